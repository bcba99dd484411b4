import { PitrRestore } from "../lib/restore-spec";
import { configKey } from "../config/keys";
import { DrPosture } from "../config/dr";
import { DRILL_STACK_PREFIX } from "../config/role";
import { CONFIG_DEFAULTS } from "../config/defaults";
import { FailbackSettings } from "../config/failback";
import { restoredDatabaseIdentifier } from "../lib/naming";

/**
 * A named configuration of a stack: its committed `Pulumi.<stack>.yaml` with config overrides
 * applied in memory, never written to the file. The dr stack file is committed as a pilot
 * light; these are the other states the same stack takes (a warm standby, and the stack a
 * failover activates), and primary's after a failover (re-protecting the DR database), which
 * the plan and the policy check must cover too.
 */
export interface StackVariant {
    /** The name on the command line (`--stack dr:warm`): `<stack>:<variant>`. */
    readonly name: string;
    /** The Pulumi stack whose file it starts from. */
    readonly stack: string;
    /**
     * The Pulumi stack name it runs as, when not {@link StackVariant.stack}: a drill's own stack
     * (`dr-drill-<id>`) starts from dr's file but has its own name, URNs and role checks.
     * @default stack
     */
    readonly stackName?: string;
    /** What state of the stack it stands for, for `--help`. */
    readonly description: string;
    /** Config values (full keys, as Pulumi passes them: strings) set over the stack file. */
    readonly overrides: Readonly<Record<string, string>>;
}

/** The posture override: the key Pulumi.yaml declares, with a value `config/dr.ts` accepts. */
function posture(value: DrPosture): Record<string, string> {
    return { [configKey("posture")]: value };
}

/**
 * What a failover sets on the dr stack (automation/commands/failover/steps.ts sets the same
 * two keys): activated, with the database restored from the replicated automated backups at
 * their latest restorable time.
 */
const ACTIVATION: Readonly<Record<string, string>> = {
    [configKey("activated")]: "true",
    [configKey("restore")]: JSON.stringify({ source: "pitr", time: "latest" } satisfies Omit<
        PitrRestore,
        "generation"
    >),
};

/**
 * What `npm run dr -- drill --scope full` sets on its own stack (automation/commands/drill/steps.ts
 * sets the same keys): a dr stack marked as a drill, activated, restoring the database.
 */
const DRILL: Readonly<Record<string, string>> = {
    [configKey("role")]: "dr",
    [configKey("drill")]: JSON.stringify({ id: "policycheck", scope: "full" }),
    ...ACTIVATION,
};

/**
 * What a failover sets on a hot dr stack after promoting the read replica: activated, and no
 * restore (config/dr.ts refuses one in hot: the DR database is the promoted replica).
 */
const HOT_ACTIVATION: Readonly<Record<string, string>> = { [configKey("activated")]: "true" };

/**
 * What re-protection sets on the primary stack after a failover restored the DR database
 * (generation 1; the `reprotect` recovery command is to set the same key): a home-region replica
 * of it, `<prefix>-db-home-1`. The primary stack file keeps the default prefix, whose restored
 * database this names.
 */
const FAILBACK: Readonly<Record<string, string>> = {
    [configKey("failback")]: JSON.stringify({
        generation: 1,
        source: restoredDatabaseIdentifier(CONFIG_DEFAULTS.prefix, 1),
    } satisfies FailbackSettings),
};

/**
 * DNS failover turned on (README, "Turn on DNS failover once the ingress exists"): the hosted
 * zone, the public name and the home endpoint, an ALB's DNS name in its documented form
 * `<name>-<id>.<region>.elb.amazonaws.com` (ELB user guide, "DNS name"). The primary stack then
 * declares the PRIMARY record with its gate and traffic switch (components/traffic.ts).
 */
const DNS_FAILOVER: Readonly<Record<string, string>> = {
    [configKey("dnsZoneId")]: "Z0123456789ABCDEFGHIJ",
    [configKey("dnsRecordName")]: "app.webank.example",
    [configKey("primaryEndpoint")]: "webank-primary-alb-1234567890.us-east-1.elb.amazonaws.com",
};

/** Every named configuration; `npm run policy:check` checks each, `npm run plan -- --stack <name>` plans one. */
export const STACK_VARIANTS: readonly StackVariant[] = [
    {
        name: "dr:warm",
        stack: "dr",
        description: "warm standby: a running cluster with Argo CD, workloads at minimum",
        overrides: posture("warm"),
    },
    {
        name: "dr:activated",
        stack: "dr",
        description:
            "pilot light after a failover activated it: cluster built, database restored (PITR, latest)",
        overrides: ACTIVATION,
    },
    {
        name: "dr:warm-activated",
        stack: "dr",
        description:
            "warm standby after a failover activated it: scaled up, database restored (PITR, latest)",
        overrides: { ...ACTIVATION, ...posture("warm") },
    },
    {
        name: "dr:hot",
        stack: "dr",
        description:
            "hot standby: warm with enough nodes for Argo CD's HA, plus a cross-Region read replica of the primary database",
        overrides: posture("hot"),
    },
    {
        name: "dr:hot-activated",
        stack: "dr",
        description:
            "hot standby after a failover promoted its read replica: scaled up, the promoted replica is the DR database",
        overrides: { ...HOT_ACTIVATION, ...posture("hot") },
    },
    {
        name: "primary:dns",
        stack: "primary",
        description:
            "primary with DNS failover: the PRIMARY record, its endpoint health check, the gate and the traffic switch",
        overrides: DNS_FAILOVER,
    },
    {
        name: "primary:failback",
        stack: "primary",
        description:
            "primary re-protecting after a failover: a cross-Region read replica in the home region of the restored DR database",
        overrides: FAILBACK,
    },
    {
        name: "dr:drill",
        stack: "dr",
        stackName: `${DRILL_STACK_PREFIX}policycheck`,
        description: "a full DR drill's own stack: the dr stack file, activated, marked as a drill",
        overrides: DRILL,
    },
];

/** The named configuration called `name`, or undefined when there is none. */
export function findVariant(name: string): StackVariant | undefined {
    return STACK_VARIANTS.find((variant) => variant.name === name);
}

/** The overrides of the named configuration `name`; throws naming the valid ones when there is none (for tests). */
export function variantOverrides(name: string): Readonly<Record<string, string>> {
    const variant = findVariant(name);
    if (!variant) {
        throw new Error(
            `no named configuration ${JSON.stringify(name)} (there are: ${STACK_VARIANTS.map((v) => v.name).join(", ")})`,
        );
    }
    return variant.overrides;
}

/**
 * One configuration the offline tools can run: a committed stack file as it is (no overrides),
 * or a named configuration of one ({@link StackVariant}).
 */
export interface StackConfiguration {
    /** `primary` or `dr` for a committed stack file; a {@link StackVariant} name otherwise. */
    readonly name: string;
    /** The Pulumi stack whose file it starts from. */
    readonly stack: string;
    /** The Pulumi stack name it runs as. @default stack */
    readonly stackName?: string;
    /** Config values set over the stack file; empty for a committed stack file. */
    readonly overrides: Readonly<Record<string, string>>;
}

/** Whether `configuration` is a named configuration rather than a committed stack file as it is. */
export function isVariant(configuration: StackConfiguration): boolean {
    return configuration.name !== configuration.stack;
}

/** The overrides as `key=value` pairs, for reports: `webank:posture=warm`. */
export function describeOverrides(overrides: Readonly<Record<string, string>>): string {
    return Object.entries(overrides)
        .map(([key, value]) => `${key}=${value}`)
        .join(", ");
}
