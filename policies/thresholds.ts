import { BackupResourceKind, MAX_DR_FREQUENT_COPY_DAYS } from "../lib/backup-rules";
import {
    KMS_DELETION_WINDOW_DAYS,
    MIN_DATABASE_BACKUP_RETENTION_DAYS,
    NONCURRENT_VERSION_RETENTION_DAYS,
    PITR_RETENTION_DAYS,
    REPLICATED_BACKUP_RETENTION_DAYS,
} from "../lib/retention";
import { Threshold } from "./lib/define";

/**
 * The objectives the pack judges against, each defined once here. A policy names the ones it
 * reads (`thresholds: pick(...)`), so each becomes a property of that policy's
 * `configSchema`. `npm run policy:config -- --stack <name>` derives every value from the
 * stack's own config (offline/policy-config.ts) as a `--policy-pack-config` file, and
 * `npm run policy:check` configures the pack with the same before each stack.
 *
 * Defaults are floors and ceilings every valid configuration meets (what the config parser
 * itself enforces), so an unconfigured run never fails a valid stack; the stack's own
 * objectives are stricter and come through the config.
 */
export const THRESHOLDS = {
    pitrDays: {
        type: "integer",
        description:
            "Point-in-time recovery window in days (webank:pitrRetentionDays): RDS backupRetentionPeriod and DynamoDB recoveryPeriodInDays must reach it.",
        default: MIN_DATABASE_BACKUP_RETENTION_DAYS,
        minimum: PITR_RETENTION_DAYS.min,
        maximum: PITR_RETENTION_DAYS.max,
    },
    replicatedBackupRetentionDays: {
        type: "integer",
        description:
            "Retention in days of the RDS automated backups replicated to the DR region (webank:replicatedBackupRetentionDays).",
        default: REPLICATED_BACKUP_RETENTION_DAYS.min,
        minimum: REPLICATED_BACKUP_RETENTION_DAYS.min,
        maximum: REPLICATED_BACKUP_RETENTION_DAYS.max,
    },
    noncurrentVersionDays: {
        type: "integer",
        description:
            "Days a replaced or deleted object version stays recoverable in the state and artifact buckets (webank:noncurrentVersionRetentionDays).",
        default: NONCURRENT_VERSION_RETENTION_DAYS.min,
        minimum: NONCURRENT_VERSION_RETENTION_DAYS.min,
        maximum: NONCURRENT_VERSION_RETENTION_DAYS.max,
    },
    kmsDeletionWindowDays: {
        type: "integer",
        description: "Waiting period in days before a KMS key scheduled for deletion is deleted.",
        default: KMS_DELETION_WINDOW_DAYS,
        minimum: 7,
        maximum: 30,
    },
    backupRpoMinutes: {
        type: "object",
        description:
            "Per resource kind, the RPO in minutes the AWS Backup rules covering it must deliver (from the objectives of the asset classes it holds and lib/backup-rules.ts).",
        default: { rds: 1440, ebs: 1440, dynamodb: 1440, s3: 1440, eks: 1440 },
        properties: {
            rds: { type: "integer", minimum: 1 },
            ebs: { type: "integer", minimum: 1 },
            dynamodb: { type: "integer", minimum: 1 },
            s3: { type: "integer", minimum: 1 },
            eks: { type: "integer", minimum: 1 },
        },
    },
    backupRetentionDays: {
        type: "integer",
        description:
            "Shortest retention in days of any AWS Backup recovery point in the home vault (the frequent rules keep webank:pitrRetentionDays).",
        default: 1,
        minimum: 1,
    },
    backupLongTermRetentionDays: {
        type: "integer",
        description:
            "Retention in days of the daily long-term backups and their DR copies (webank:backupLongTermRetentionDays); every plan keeps one rule that long.",
        default: 1,
        minimum: 1,
    },
    backupCopyRetentionDays: {
        type: "integer",
        description:
            "Shortest retention in days of a DR-vault copy (webank:backupDrFrequentCopyDays, at least the Vault Lock minimum).",
        default: 1,
        minimum: 1,
    },
    backupMaxFrequentCopyDays: {
        type: "integer",
        description:
            "Longest retention in days of the copies of a rule that runs more often than daily (each run is copied).",
        default: MAX_DR_FREQUENT_COPY_DAYS,
        minimum: 1,
        maximum: MAX_DR_FREQUENT_COPY_DAYS,
    },
    vaultLockMinRetentionDays: {
        type: "integer",
        description: "Vault Lock minimum retention in days (webank:vaultLockMinRetentionDays).",
        default: 1,
        minimum: 1,
    },
    vaultLockMode: {
        type: "string",
        description:
            "Vault Lock mode (webank:vaultLockMode): compliance requires changeableForDays (the cooling-off after which the lock is immutable).",
        default: "governance",
        enum: ["governance", "compliance"],
    },
    stackRole: {
        type: "string",
        description:
            "The stack's role (webank:role): on primary every database is a source whose backups must be copied; on dr a restored one is itself the copy.",
        default: "primary",
        enum: ["primary", "dr"],
    },
    homeRegion: {
        type: "string",
        description:
            "The home region (webank:homeRegion): a read replica on the dr stack must replicate a database there.",
        default: "us-east-1",
    },
    drRegion: {
        type: "string",
        description:
            "The DR region (webank:drRegion): a read replica on the primary stack (the failback replica) must replicate a database there.",
        default: "us-west-2",
    },
    disposableStack: {
        type: "boolean",
        description:
            "True on a DR drill's own stack (webank:drill): its database and volumes are a throwaway copy of primary's backups, restored to be verified and destroyed, so the protections against deleting them (deletion protection, final snapshot, Pulumi protect, backup coverage) do not apply; encryption, Multi-AZ and every other setting still do.",
        default: false,
    },
    gitopsRpoMinutes: {
        type: "integer",
        description:
            "RPO of the Argo CD configuration in minutes: the export CronJob must run at least that often.",
        default: 1440,
        minimum: 1,
    },
} satisfies Record<string, Threshold>;

/** The name of one objective the pack judges against. */
export type ThresholdName = keyof typeof THRESHOLDS;

/** Values of every objective, as `npm run policy:config` derives them for a stack. */
export interface PolicyObjectives {
    /** Point-in-time recovery window, days. */
    readonly pitrDays: number;
    /** Retention of the replicated RDS automated backups, days. */
    readonly replicatedBackupRetentionDays: number;
    /** Noncurrent version retention of the state and artifact buckets, days. */
    readonly noncurrentVersionDays: number;
    /** KMS key deletion window, days. */
    readonly kmsDeletionWindowDays: number;
    /** The RPO AWS Backup must deliver per resource kind, minutes. */
    readonly backupRpoMinutes: Readonly<Record<BackupResourceKind, number>>;
    /** Shortest retention of a home-vault recovery point, days. */
    readonly backupRetentionDays: number;
    /** Retention of the daily long-term backups, days. */
    readonly backupLongTermRetentionDays: number;
    /** Shortest retention of a DR copy, days. */
    readonly backupCopyRetentionDays: number;
    /** Longest retention of a frequent rule's copies, days. */
    readonly backupMaxFrequentCopyDays: number;
    /** Vault Lock minimum retention, days. */
    readonly vaultLockMinRetentionDays: number;
    /** Vault Lock mode. */
    readonly vaultLockMode: "governance" | "compliance";
    /** The stack's role. */
    readonly stackRole: "primary" | "dr";
    /** The home region, where a dr stack's replica's source must be. */
    readonly homeRegion: string;
    /** The DR region, where a primary stack's replica's (the failback replica's) source must be. */
    readonly drRegion: string;
    /** True on a DR drill's own stack, whose stores are disposable copies. */
    readonly disposableStack: boolean;
    /** Argo CD configuration RPO, minutes. */
    readonly gitopsRpoMinutes: number;
}

/** The thresholds `names`, for a policy's `thresholds`. */
export function pick<K extends ThresholdName>(...names: K[]): { readonly [P in K]: Threshold } {
    return Object.fromEntries(names.map((name) => [name, THRESHOLDS[name] as Threshold])) as {
        readonly [P in K]: Threshold;
    };
}
