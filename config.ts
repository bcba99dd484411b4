import * as pulumi from "@pulumi/pulumi";
import { counterpartObjectives, projectDefault, PROJECT_ROOT, readProjectFile } from "./config/stack-files";
import type { RecoveryObjectives } from "./lib/objectives";
import type { RestoreSpec } from "./lib/restore-spec";
import type { BackupSettings } from "./lib/stack-config/backup";
import type { DrillSettings, DrPosture } from "./lib/stack-config/dr";
import { CONFIG_NAMESPACE, type ConfigKey, configKey } from "./lib/stack-config/key";
import type { CounterpartObjectives } from "./lib/stack-config/objectives";
import { parseStackConfig } from "./lib/stack-config/parse";
import type { PlatformSettings } from "./lib/stack-config/platform";
import type { StackRole } from "./lib/stack-config/role";
import type { VerificationSettings } from "./lib/stack-config/verification";

// The typed view of a stack's config and the loader the program calls. The parsers live in
// lib/stack-config/ (one per section, assembled by parse.ts); what they need from files is
// read here and in config/stack-files.ts, so that the parsers stay pure.
export { CONFIG_KEYS, CONFIG_NAMESPACE, configKey } from "./lib/stack-config/key";
export type { ConfigKey } from "./lib/stack-config/key";
export { DR_POSTURES } from "./lib/stack-config/dr";
export type { DrPosture } from "./lib/stack-config/dr";
export { DRILL_STACK_PREFIX, STACK_ROLES } from "./lib/stack-config/role";
export type { StackRole } from "./lib/stack-config/role";
export { parseStackConfig } from "./lib/stack-config/parse";

/** Database settings, shared by the primary instance and the DR restore. */
export interface DatabaseSettings {
    /** PostgreSQL engine version; a major version (`16`) lets RDS pick the current minor. Default `16`. */
    readonly engineVersion: string;
    /**
     * The application database, created with a new instance (a restore keeps the source's):
     * where the heartbeat lives and what the verifier opens. `webank:dbName`.
     * @default "webank"
     */
    readonly name: string;
    /** Major version, for the parameter group family (`postgres16`). */
    readonly majorVersion: number;
    /** Instance class. Default `db.r6g.large`. */
    readonly instanceClass: string;
    /** Allocated gp3 storage in GiB (20–65536). Default 100. */
    readonly allocatedStorageGiB: number;
    /** Automated backup retention (the PITR window) in days: `webank:pitrRetentionDays`, never below 7. */
    readonly backupRetentionDays: number;
    /** Daily UTC backup window. Default `03:00-03:30`. */
    readonly backupWindow: string;
    /** Weekly UTC maintenance window. Default `sun:04:00-sun:05:00`. */
    readonly maintenanceWindow: string;
    /** Retention of the automated backups replicated to the DR region (1–35). Default 14. */
    readonly replicatedBackupRetentionDays: number;
}

/** What the `dr` stack should be right now; set by the failover script. */
export interface DrSettings {
    /** `pilot` (default) or `warm`. */
    readonly posture: DrPosture;
    /** True once a failover has activated the DR region. Default false. */
    readonly activated: boolean;
    /** Where the DR database comes from; required when activated. */
    readonly restore?: RestoreSpec;
    /** Name of the primary stack for the StackReference (`primary`, or `org/webank/primary`). */
    readonly primaryStack: string;
    /** Set on a DR drill's own stack only (the drill command sets it): makes the stack disposable. */
    readonly drill?: DrillSettings;
}

/** The validated view of one stack's config. Everything the program needs, in one place. */
export interface StackConfig {
    /** Pulumi project name. */
    readonly project: string;
    /** Pulumi stack name. */
    readonly stack: string;
    /** The stack's role: fixed by the name for `primary`, `dr` and drill stacks (`dr-drill-<id>`: dr), else `webank:role`. */
    readonly role: StackRole;
    /** The home region, where the platform runs day to day. */
    readonly homeRegion: string;
    /** The DR region, where copies are kept and where the platform is restored on failover. */
    readonly drRegion: string;
    /** The region of this stack's own resources: the home region for `primary`, the DR region for `dr`. */
    readonly stackRegion: string;
    /** Prefix of every physical name. Default `webank`. */
    readonly prefix: string;
    /** RPO/RTO for every asset class. */
    readonly objectives: RecoveryObjectives;
    /** Retention settings, in days. */
    readonly retention: {
        /** Point-in-time recovery window for databases and the lock table (1–35). Default 35. */
        readonly pitrDays: number;
        /** How long replaced or deleted state/artifact object versions stay recoverable. Default 90. */
        readonly noncurrentVersionDays: number;
    };
    /** VPC address ranges; distinct between regions so they can be peered. */
    readonly network: {
        /** CIDR of the home region's VPC. */
        readonly homeCidr: string;
        /** CIDR of the DR region's VPC. */
        readonly drCidr: string;
        /** CIDR of this stack's VPC. */
        readonly stackCidr: string;
    };
    /** Database settings. */
    readonly database: DatabaseSettings;
    /** DR posture and activation; defaults on the primary stack. */
    readonly dr: DrSettings;
    /** EKS, Argo CD, the GitHub mirror, DNS failover and alert recipients. */
    readonly platform: PlatformSettings;
    /** AWS Backup: retention, Vault Lock and the rules derived from the objectives. */
    readonly backup: BackupSettings;
    /** What a restore's verify step checks inside the restored database, beside the heartbeat. */
    readonly verification: VerificationSettings;
    /** Tags for every resource: the project's own keys plus `webank:tags`. */
    readonly tags: Readonly<Record<string, string>>;
}

/** Reads one raw config value (a string, as Pulumi passes config to programs), or `undefined`. */
export type RawConfigReader = (key: ConfigKey) => string | undefined;

/** What {@link parseStackConfig} reads: the raw values and the names of every key set in the namespace. */
export interface RawStackConfig {
    /** Pulumi project name. */
    readonly project: string;
    /** Pulumi stack name. */
    readonly stack: string;
    /** Reads one key of the `webank` namespace. */
    readonly get: RawConfigReader;
    /** Every key set in the `webank` namespace (without the namespace), so that typos are caught. */
    readonly keysSet: readonly string[];
    /** The current time, for restore-time checks. Default: the clock. */
    readonly now?: Date;
    /** Keys (without the namespace) whose values are Pulumi secrets. Default: none. */
    readonly secretKeys?: readonly string[];
    /**
     * The project default of `webank:objectives` (its `default` in Pulumi.yaml), which the
     * stack's value is merged over class by class and field by field. Pulumi hands a program
     * only the stack's value when the stack sets one, so the loaders read this from Pulumi.yaml.
     * @default none: the stack's value is all the overrides there are
     */
    readonly projectObjectives?: string;
    /**
     * The objectives of the stack this one must agree with (primary for dr and drill stacks,
     * dr for primary), read from its stack file; refused when they differ.
     * @default none: nothing to compare with
     */
    readonly counterpart?: CounterpartObjectives;
}

/**
 * Loads and validates the current stack's config from the Pulumi runtime. Call it before
 * declaring any resource. Pulumi.yaml's default of `webank:objectives` and the counterpart
 * stack's objectives (see {@link RawStackConfig}) are read from the project's files, since
 * the runtime does not carry them.
 */
export function loadStackConfig(
    options: {
        /**
         * Directory holding Pulumi.yaml and the stack files.
         * @default PROJECT_ROOT, the directory this program was loaded from
         */
        readonly root?: string;
    } = {},
): StackConfig {
    const root = options.root ?? PROJECT_ROOT;
    const stack = pulumi.getStack();
    const config = new pulumi.Config(CONFIG_NAMESPACE);
    const keysSet = Object.keys(pulumi.runtime.allConfig())
        .filter((k) => k.startsWith(`${CONFIG_NAMESPACE}:`))
        .map((k) => k.slice(CONFIG_NAMESPACE.length + 1));
    return parseStackConfig({
        project: pulumi.getProject(),
        stack,
        get: (name) => config.get(name),
        keysSet,
        secretKeys: keysSet.filter((name) => isConfigSecret(configKey(name))),
        projectObjectives: projectDefault(readProjectFile(root), "objectives"),
        counterpart: counterpartObjectives(stack, root),
    });
}

/**
 * Whether a config value is a Pulumi secret. The SDK answers this (runtime/config.ts) but
 * does not publish it in its typings.
 */
function isConfigSecret(fullKey: string): boolean {
    const runtime = pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean };
    return runtime.isConfigSecret?.(fullKey) ?? false;
}
