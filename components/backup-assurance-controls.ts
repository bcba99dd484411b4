/**
 * The controls of the backup audit framework of {@link BackupAssurance}, derived from the
 * stack's backup settings and objectives: pure data, apart from the resources the component
 * declares, so each file has one responsibility.
 */
import { SNAPSHOT_PERIODS_HOURS } from "../lib/backup-rules";
import { RecoveryObjectives } from "../lib/objectives";

/** Hours between two backups that a plan may have: the periods the backup rules use. */
export const PLAN_FREQUENCIES_HOURS = SNAPSHOT_PERIODS_HOURS;

/**
 * The AWS Backup resource types this program protects, spelled as AWS Backup Audit Manager
 * spells them in a control scope (`ComplianceResourceTypes`).
 */
export const PROTECTED_RESOURCE_TYPES = ["RDS", "EBS", "DynamoDB", "S3"] as const;

/** One input parameter of an AWS Backup Audit Manager control: a name and a value, always a string. */
export interface ControlParameter {
    /** The parameter's name exactly as AWS Backup spells it, e.g. `requiredRetentionDays`. */
    readonly name: string;
    /** The parameter's value as a string, e.g. `"35"`. */
    readonly value: string;
}

/** Which resources an AWS Backup Audit Manager control evaluates. */
export interface ControlScope {
    /** AWS Backup resource types, e.g. `["RDS", "EBS"]`. */
    readonly complianceResourceTypes: readonly string[];
}

/** One control of an AWS Backup Audit Manager framework, in the shape `aws.backup.Framework` takes. */
export interface Control {
    /** The control's name, e.g. `BACKUP_RECOVERY_POINT_ENCRYPTED`. */
    readonly name: string;
    /** Its parameters; absent when the control takes none. */
    readonly inputParameters?: readonly ControlParameter[];
    /** Its scope; absent when the control evaluates every resource of the kind it checks (plans, vaults or recovery points). */
    readonly scope?: ControlScope;
}

/** What the audit controls are derived from (see {@link auditControls}). */
export interface AuditParameters {
    /** The stack's recovery objectives: the restore-time control uses the database and volume RTOs. */
    readonly objectives: RecoveryObjectives;
    /** Hours between two backups of the backup plan (one of {@link PLAN_FREQUENCIES_HOURS}). */
    readonly planFrequencyHours: number;
    /** Days the backup plan keeps each recovery point. */
    readonly retentionDays: number;
    /** The region that must hold a copy of every protected resource's backups. */
    readonly drRegion: string;
    /** Retention bounds of the Vault Lock on the backup vaults, in days. */
    readonly vaultLock: VaultLockBounds;
}

/** Retention bounds of a Backup Vault Lock, in days. */
export interface VaultLockBounds {
    /** Shortest retention the locked vault accepts. */
    readonly minRetentionDays: number;
    /** Longest retention the locked vault accepts. */
    readonly maxRetentionDays: number;
}

/**
 * The nine controls of the backup audit framework, with parameters derived from the stack's
 * backup settings and objectives. The parameter names are AWS Backup's (see the AWS Backup
 * Developer Guide, "Creating frameworks using the AWS Backup API", and the AWS Config rules the
 * controls run as):
 *
 * - the plan backs up at least every `planFrequencyHours` and keeps recovery points `retentionDays`;
 * - vaults refuse manual deletion of recovery points; every recovery point is encrypted and kept
 *   at least `retentionDays`;
 * - every protected resource is in a backup plan, copied to `drRegion`, and backed up to a vault
 *   locked with the given bounds;
 * - each has a recovery point younger than two backup periods (one late backup is tolerated,
 *   two are not);
 * - restores finish within the smallest RTO of the databases and volumes, in minutes.
 *
 * Controls that evaluate resources are scoped to {@link PROTECTED_RESOURCE_TYPES}; those that
 * evaluate backup plans, vaults or recovery points evaluate all of them.
 */
export function auditControls(input: AuditParameters): Control[] {
    const scope: ControlScope = { complianceResourceTypes: [...PROTECTED_RESOURCE_TYPES] };
    const retentionDays = String(input.retentionDays);
    const maxRestoreMinutes = Math.min(
        input.objectives.database.rtoMinutes,
        input.objectives.volumes.rtoMinutes,
    );
    return [
        {
            name: "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
            inputParameters: [
                { name: "requiredFrequencyUnit", value: "hours" },
                { name: "requiredFrequencyValue", value: String(input.planFrequencyHours) },
                { name: "requiredRetentionDays", value: retentionDays },
            ],
        },
        { name: "BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED" },
        { name: "BACKUP_RECOVERY_POINT_ENCRYPTED" },
        {
            name: "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK",
            inputParameters: [{ name: "requiredRetentionDays", value: retentionDays }],
        },
        { name: "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN", scope },
        {
            name: "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION",
            inputParameters: [{ name: "crossRegionList", value: input.drRegion }],
            scope,
        },
        {
            name: "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK",
            inputParameters: [
                { name: "minRetentionDays", value: String(input.vaultLock.minRetentionDays) },
                { name: "maxRetentionDays", value: String(input.vaultLock.maxRetentionDays) },
            ],
            scope,
        },
        {
            name: "BACKUP_LAST_RECOVERY_POINT_CREATED",
            inputParameters: [
                { name: "recoveryPointAgeUnit", value: "hours" },
                { name: "recoveryPointAgeValue", value: String(input.planFrequencyHours * 2) },
            ],
            scope,
        },
        {
            name: "RESTORE_TIME_FOR_RESOURCES_MEET_TARGET",
            inputParameters: [{ name: "maxRestoreTime", value: String(maxRestoreMinutes) }],
            scope,
        },
    ];
}
