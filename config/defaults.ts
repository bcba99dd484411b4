import type { CONFIG_KEYS, ConfigKey } from "./keys";

/*
 * The one place a config default is written. A default is what the program uses when a stack
 * leaves an optional key unset; every parser takes it from here. Pulumi.yaml's description
 * (`Default: <value>.`), the README's configuration table and the settings field's `@default`
 * tag repeat it for readers, and test/config/defaults.test.ts fails when one of them differs.
 *
 * Not here: keys with a `default:` in Pulumi.yaml (homeRegion, rpoMinutes, ...), which are
 * project values Pulumi hands the program as if the stack had set them, so the code holds no
 * default for them; keys whose absence is itself the meaning (restore, dnsZoneId, ...); and
 * `role`, which defaults to what the stack's name says (config/role.ts), not to a value.
 */

/** The value of a default, as the parser returns it: JSON-string keys hold their parsed value. */
type DefaultOf<Schema> = Schema extends "integer"
    ? number
    : Schema extends "boolean"
      ? boolean
      : string | readonly string[] | Readonly<Record<string, never>>;

/** What {@link CONFIG_DEFAULTS} may hold: an optional entry per key, typed by the key's schema type. */
type ConfigDefaults = { readonly [K in ConfigKey]?: DefaultOf<(typeof CONFIG_KEYS)[K]> };

/** The default of every optional key that has one, keyed by config key (without the namespace). */
export const CONFIG_DEFAULTS = {
    prefix: "webank",
    /** The longest PITR window AWS allows (lib/retention.ts): the safe choice for a bank. */
    pitrRetentionDays: 35,
    noncurrentVersionRetentionDays: 90,
    tags: {},
    dbEngineVersion: "16",
    dbInstanceClass: "db.r6g.large",
    dbName: "webank",
    dbAllocatedStorageGiB: 100,
    dbBackupWindow: "03:00-03:30",
    dbMaintenanceWindow: "sun:04:00-sun:05:00",
    /** Two weeks of restorable time in the DR region. */
    replicatedBackupRetentionDays: 14,
    posture: "pilot",
    activated: false,
    primaryStack: "primary",
    clusterVersion: "1.33",
    nodeInstanceType: "m6i.large",
    nodeDesiredSize: 3,
    nodeMinSize: 3,
    nodeMaxSize: 6,
    warmNodeCount: 1,
    /** No CIDR: the public API endpoint is off. */
    apiPublicAccessCidrs: [],
    clusterAdminRoleArns: [],
    /** The API endpoints are private, so only the deploy runner reaches them (lib/kubernetes-access.ts). */
    kubernetesAccess: "runner",
    argocdChartVersion: "9.1.0",
    argocdImageTag: "v3.2.0",
    argocdHighAvailability: "auto",
    platformRepoUrl: "https://github.com/webank/platform.git",
    gitSource: "github",
    platformRepoRevision: "main",
    platformRepoPath: "apps",
    githubRepository: "webank/platform",
    healthCheckPath: "/healthz",
    alertEmails: [],
    /** Compliance mode cannot be undone after its cooling-off: production sets it deliberately. */
    vaultLockMode: "governance",
    vaultLockMinRetentionDays: 7,
    vaultLockMaxRetentionDays: 3650,
    backupLongTermRetentionDays: 365,
    backupColdStorageAfterDays: 90,
    /**
     * A week, the shortest retention the default Vault Lock allows. Short because AWS Backup
     * copies each run of a rule, and a copy of a continuous backup arrives as a snapshot, so an
     * hourly rule sends 24 snapshots a day per resource to the DR vault ("Copying continuous
     * backups", https://docs.aws.amazon.com/aws-backup/latest/devguide/point-in-time-recovery-copying.html).
     * A failover restores the newest of them; the daily long-term copies cover the long window.
     */
    backupDrFrequentCopyDays: 7,
    configRecorder: "create",
    /** No table is counted; the heartbeat is still checked. */
    verifyTables: {},
    verifyMigrations: "none",
} as const satisfies ConfigDefaults;

/** A key that has a default in {@link CONFIG_DEFAULTS}. */
export type DefaultedKey = keyof typeof CONFIG_DEFAULTS;
