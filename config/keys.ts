import { closest, distance } from "fastest-levenshtein";
import { ProblemCollector } from "../lib/errors";
import type { RecoveryObjectives } from "../lib/objectives";

/*
 * The names of the project's config keys and the raw shape every parser reads. The bottom of
 * config/: it imports nothing else of config/, so every parser can import it.
 */

/** The config namespace of this project: every key is `webank:<key>`. */
export const CONFIG_NAMESPACE = "webank";

/** The full name of a project config key: `webank:<name>`. */
export function configKey(name: string): string {
    return `${CONFIG_NAMESPACE}:${name}`;
}

/**
 * Every project config key this program reads, with the Pulumi config schema type it is
 * declared with in Pulumi.yaml (a test keeps the two in step). Structured values (objects)
 * are JSON strings, because Pulumi's project config schema has no object type.
 */
export const CONFIG_KEYS = {
    role: "string",
    homeRegion: "string",
    drRegion: "string",
    prefix: "string",
    rpoMinutes: "integer",
    rtoMinutes: "integer",
    objectives: "string",
    pitrRetentionDays: "integer",
    noncurrentVersionRetentionDays: "integer",
    tags: "string",
    homeVpcCidr: "string",
    drVpcCidr: "string",
    dbEngineVersion: "string",
    dbInstanceClass: "string",
    dbName: "string",
    dbAllocatedStorageGiB: "integer",
    dbBackupWindow: "string",
    dbMaintenanceWindow: "string",
    replicatedBackupRetentionDays: "integer",
    posture: "string",
    activated: "boolean",
    restore: "string",
    primaryStack: "string",
    drill: "string",
    failback: "string",
    clusterVersion: "string",
    nodeInstanceType: "string",
    nodeDesiredSize: "integer",
    nodeMinSize: "integer",
    nodeMaxSize: "integer",
    warmNodeCount: "integer",
    apiPublicAccessCidrs: "string",
    clusterAdminRoleArns: "string",
    kubernetesAccess: "string",
    runnerPulumiSha256: "string",
    argocdChartVersion: "string",
    argocdImageTag: "string",
    argocdHighAvailability: "string",
    platformRepoUrl: "string",
    mirrorRepoUrl: "string",
    gitSource: "string",
    platformRepoRevision: "string",
    platformRepoPath: "string",
    platformRepoToken: "string",
    argocdOidc: "string",
    argocdOidcClientSecret: "string",
    githubRepository: "string",
    githubTokenSecretArn: "string",
    githubToken: "string",
    dnsZoneId: "string",
    dnsRecordName: "string",
    primaryEndpoint: "string",
    drEndpoint: "string",
    healthCheckPath: "string",
    alertEmails: "string",
    vaultLockMode: "string",
    vaultLockMinRetentionDays: "integer",
    vaultLockMaxRetentionDays: "integer",
    backupLongTermRetentionDays: "integer",
    backupColdStorageAfterDays: "integer",
    backupDrFrequentCopyDays: "integer",
    configRecorder: "string",
    backupAccountId: "string",
    verifyTables: "string",
    verifyMigrations: "string",
} as const;

/** The name of one project config key, without the namespace. */
export type ConfigKey = keyof typeof CONFIG_KEYS;

/** Reads one raw config value (a string, as Pulumi passes config to programs), or `undefined`. */
export type RawConfigReader = (key: ConfigKey) => string | undefined;

/**
 * The objectives of the stack this one must agree with (see `counterpartOf` in ./role),
 * resolved from its stack file the way its own run resolves them. Part of the raw input,
 * since it is read from another stack's file; ./objectives compares with it.
 */
export interface CounterpartObjectives {
    /** The other stack's name, e.g. `dr`. */
    readonly stack: string;
    /** Its stack file, e.g. `Pulumi.dr.yaml`. */
    readonly file: string;
    /** Its objectives. */
    readonly objectives: RecoveryObjectives;
    /**
     * Its `webank:posture` as its file sets it, when the other stack is dr: what the database
     * objective the primary makes backups for must be promisable by.
     * Undefined when the other stack is primary, which has no posture.
     */
    readonly drStackPosture?: string;
}

/** What `parseStackConfig` (./stack-config) reads: the raw values and the names of every key set in the namespace. */
export interface RawStackConfig {
    /** Pulumi project name. */
    readonly project: string;
    /** Pulumi stack name. */
    readonly stack: string;
    /** Reads one key of the `webank` namespace. */
    readonly get: RawConfigReader;
    /** Every key set in the `webank` namespace (without the namespace), so that typos are caught. */
    readonly keysSet: readonly string[];
    /**
     * The current time, for restore-time checks.
     * @default the clock
     */
    readonly now?: Date;
    /**
     * Keys (without the namespace) whose values are Pulumi secrets.
     * @default none
     */
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

/** Config keys whose values must be Pulumi secrets. */
export const SECRET_KEYS = ["platformRepoToken", "argocdOidcClientSecret", "githubToken"] as const;

/**
 * Records a problem for every key of {@link SECRET_KEYS} set as plain text, with the command
 * that sets it as a secret; the value is never shown.
 */
export function checkSecretKeys(raw: RawStackConfig, problems: ProblemCollector): void {
    for (const name of SECRET_KEYS) {
        if (raw.get(name) !== undefined && !(raw.secretKeys ?? []).includes(name)) {
            problems.add(
                configKey(name),
                `be set as a secret: pulumi config set --secret ${configKey(name)} <value>`,
                "[plain text, not shown]",
            );
        }
    }
}

/**
 * Records a problem for every key set in the namespace that is not in {@link CONFIG_KEYS}: a
 * typo would otherwise be ignored and its setting silently fall back to the default. When a
 * known key is close enough to be the one meant, the problem names only that one (a list of
 * every key would bury it); otherwise it lists them all, since nothing else says what exists.
 */
export function checkKnownKeys(keysSet: readonly string[], problems: ProblemCollector): void {
    const known = Object.keys(CONFIG_KEYS);
    for (const name of keysSet) {
        if (Object.prototype.hasOwnProperty.call(CONFIG_KEYS, name)) {
            continue;
        }
        const suggestion = nearestKnownKey(name);
        if (suggestion) {
            problems.add(
                configKey(name),
                "be one of the known keys",
                name,
                `did you mean ${configKey(suggestion)}?`,
            );
        } else {
            problems.add(
                configKey(name),
                `be one of the known keys declared in Pulumi.yaml (${known.join(", ")})`,
                name,
            );
        }
    }
}

/**
 * The known key `name` is most likely a typo of, or `undefined` when none is close. Compared
 * without case (`DrRegion` is `drRegion`), by Levenshtein distance (fastest-levenshtein): at
 * most two edits (one swapped pair of letters, as in `drRegoin`, is two), or a third of the
 * name for longer names; anything further is more likely a different key than a typo.
 */
export function nearestKnownKey(name: string): ConfigKey | undefined {
    const known = Object.keys(CONFIG_KEYS) as ConfigKey[];
    const lower = name.toLowerCase();
    const candidate = closest(
        lower,
        known.map((key) => key.toLowerCase()),
    );
    const limit = Math.max(2, Math.floor(name.length / 3));
    if (distance(lower, candidate) > limit) {
        return undefined;
    }
    return known.find((key) => key.toLowerCase() === candidate);
}
