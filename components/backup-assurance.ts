import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SNAPSHOT_PERIODS_HOURS } from "../lib/backup-rules";
import { ProblemCollector } from "../lib/errors";
import { RecoveryObjectives } from "../lib/objectives";
import { isRegionName } from "../lib/regions";
import { BACKUP_TAG } from "../lib/tags";

/** Hours between two backups that a plan may have: the periods the backup rules use. */
export const PLAN_FREQUENCIES_HOURS = SNAPSHOT_PERIODS_HOURS;

/**
 * The AWS Backup resource types this program protects, spelled as AWS Backup Audit Manager
 * spells them in a control scope (`ComplianceResourceTypes`).
 */
export const PROTECTED_RESOURCE_TYPES = ["RDS", "EBS", "DynamoDB", "S3"] as const;

/** Default schedule of the restore tests: every Sunday at 05:00 UTC. */
export const DEFAULT_RESTORE_TEST_SCHEDULE = "cron(0 5 ? * SUN *)";

/** Default instance class of the database a restore test creates: small, and cheap for the hours it lives. */
export const DEFAULT_TEST_DB_INSTANCE_CLASS = "db.t4g.medium";

/** Default S3 key prefix of the audit reports. */
export const DEFAULT_REPORT_KEY_PREFIX = "backup-reports/";

/** The restore test picks the newest recovery point made within this many days. */
const SELECTION_WINDOW_DAYS = 7;

/** Hours after the scheduled time within which a restore test must start. */
const START_WINDOW_HOURS = 8;

/** Hours a restored test database is kept for validation before AWS Backup deletes it. */
const DATABASE_VALIDATION_WINDOW_HOURS = 2;

/** Most resource ARNs one restore testing selection may list. */
const MAX_SELECTION_ARNS = 30;

/** Longest vault lock retention AWS Backup accepts, in days (100 years). */
const MAX_LOCK_RETENTION_DAYS = 36500;

/**
 * A component name whose hyphens become underscores in the restore testing plan, the
 * framework and the report plans: a letter, then letters, digits, hyphens and underscores, at
 * most 46 characters so that `<name>_rds` and `<name>_ebs` fit the 50 characters AWS Backup
 * allows a restore testing selection.
 */
const COMPONENT_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,45}$/;

/** An EventBridge-style schedule expression, as restore testing plans take them. */
const SCHEDULE_PATTERN = /^(cron|rate)\(\S[^()]*\)$/;

/** An RDS instance class such as `db.t4g.medium`. */
const DB_INSTANCE_CLASS_PATTERN = /^db\.[a-z0-9-]+\.[a-z0-9]+$/;

/** An S3 key prefix: not starting with `/`, no whitespace, at most 512 characters. */
const KEY_PREFIX_PATTERN = /^[^/\s]\S{0,511}$/;

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

/**
 * The AWS Backup name derived from a component name: hyphens become underscores, because
 * restore testing plans and selections, frameworks and report plans allow only letters,
 * digits and underscores. E.g. `webank-backup` gives `webank_backup`.
 */
export function backupNameOf(componentName: string): string {
    return componentName.replace(/-/g, "_");
}

/** Arguments of {@link BackupAssurance}. */
export interface BackupAssuranceArgs {
    /** The stack's recovery objectives: the restore-time control uses the database and volume RTOs. */
    objectives: RecoveryObjectives;
    /** Hours between two backups of the backup plan: one of 1, 2, 3, 4, 6, 8, 12 or 24. */
    planFrequencyHours: number;
    /** Days the backup plan keeps each recovery point: a whole number, at least 1. */
    retentionDays: number;
    /** The DR region, which must hold a copy of every protected resource's backups, e.g. `us-west-2`. */
    drRegion: string;
    /** Retention bounds of the Vault Lock on the backup vaults, in days (min <= max). */
    vaultLock: VaultLockBounds;
    /** ARN of the home region's backup vault: restore tests use the recovery points in it. */
    homeVaultArn: pulumi.Input<string>;
    /** ARNs of the RDS instances whose restores are tested (1–30). */
    databaseArns: pulumi.Input<string>[];
    /**
     * ARN of the IAM role AWS Backup assumes to restore the test resources (it needs the
     * restore permissions of `AWSBackupServiceRolePolicyForRestores` and use of the vault's key).
     */
    restoreRoleArn: pulumi.Input<string>;
    /** When the restore tests run, as a `cron(...)` or `rate(...)` expression (UTC). Default {@link DEFAULT_RESTORE_TEST_SCHEDULE}. */
    restoreTestSchedule?: string;
    /** Instance class of the database a restore test creates. Default {@link DEFAULT_TEST_DB_INSTANCE_CLASS}. */
    testDbInstanceClass?: string;
    /** Name of the S3 bucket that receives the audit reports (AWS Backup must be allowed to write to it). */
    reportBucketName: pulumi.Input<string>;
    /**
     * Key prefix of the reports in that bucket; AWS Backup writes under
     * `<prefix>/Backup/<region>/<year>/<month>/<day>/`. Default {@link DEFAULT_REPORT_KEY_PREFIX}.
     */
    reportKeyPrefix?: string;
}

/**
 * Proves that the backups can be restored, and keeps proving that the backup settings hold.
 *
 * Restore testing: every week (by default) AWS Backup restores the newest recovery point of
 * the last 7 days, snapshot or continuous, from the home vault: each listed RDS database as a
 * small private instance, kept 2 hours for validation, and every EBS volume carrying the backup
 * tag. AWS Backup deletes the restored resources afterwards and records how long each restore
 * took, which the restore-time control checks against the RTO.
 *
 * Audit: an AWS Backup Audit Manager framework with the nine controls of
 * {@link auditControls}, and two report plans delivering CSV and JSON reports to the report
 * bucket: the framework's control compliance, and every backup job. The framework needs AWS
 * Config to record AWS Backup resources in the region.
 *
 * The restore testing plan, the framework and the report plans are named after the component,
 * with underscores for hyphens (see {@link backupNameOf}).
 */
export class BackupAssurance extends pulumi.ComponentResource {
    /** The restore testing plan. */
    public readonly restoreTestingPlan: aws.backup.RestoreTestingPlan;
    /** The audit framework. */
    public readonly framework: aws.backup.Framework;
    /** ARN of the audit framework. */
    public readonly frameworkArn: pulumi.Output<string>;
    /** Name of the restore testing plan. */
    public readonly restoreTestingPlanName: pulumi.Output<string>;
    /** Names of the report plans: control compliance first, then backup jobs. */
    public readonly reportPlanNames: pulumi.Output<string[]>;
    /** The controls of the framework, as {@link auditControls} derived them. */
    public readonly controls: readonly Control[];

    constructor(name: string, args: BackupAssuranceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webank:backup:BackupAssurance", name, {}, opts);
        const schedule = args.restoreTestSchedule ?? DEFAULT_RESTORE_TEST_SCHEDULE;
        const testDbInstanceClass = args.testDbInstanceClass ?? DEFAULT_TEST_DB_INSTANCE_CLASS;
        const reportKeyPrefix = args.reportKeyPrefix ?? DEFAULT_REPORT_KEY_PREFIX;
        const problems = new ProblemCollector();
        const field = (argument: string) => `BackupAssurance(${name}).${argument}`;
        if (!COMPONENT_NAME_PATTERN.test(name)) {
            problems.add(
                field("name"),
                "be a letter, then at most 45 letters, digits, hyphens and underscores (AWS Backup names restore tests after it)",
                name,
            );
        }
        if (!(PLAN_FREQUENCIES_HOURS as readonly number[]).includes(args.planFrequencyHours)) {
            problems.add(
                field("planFrequencyHours"),
                `be one of ${PLAN_FREQUENCIES_HOURS.join(", ")}`,
                args.planFrequencyHours,
            );
        }
        if (!Number.isInteger(args.retentionDays) || args.retentionDays < 1) {
            problems.add(field("retentionDays"), "be a whole number of days, at least 1", args.retentionDays);
        }
        if (typeof args.drRegion !== "string" || !isRegionName(args.drRegion)) {
            problems.add(field("drRegion"), "be an AWS region name such as us-west-2", args.drRegion);
        }
        const lock: Partial<VaultLockBounds> = args.vaultLock ?? {};
        const lockBounds = { min: 1, max: MAX_LOCK_RETENTION_DAYS };
        const problemsBeforeLock = problems.count;
        problems.requireWholeNumber(
            field("vaultLock.minRetentionDays"),
            lock.minRetentionDays as number,
            lockBounds,
        );
        problems.requireWholeNumber(
            field("vaultLock.maxRetentionDays"),
            lock.maxRetentionDays as number,
            lockBounds,
        );
        if (
            problems.count === problemsBeforeLock &&
            (lock.minRetentionDays as number) > (lock.maxRetentionDays as number)
        ) {
            problems.add(field("vaultLock"), "have minRetentionDays <= maxRetentionDays", lock);
        }
        // Only the count is checked (and shown): the ARNs themselves may be Outputs.
        const databaseCount = Array.isArray(args.databaseArns) ? args.databaseArns.length : 0;
        if (databaseCount < 1 || databaseCount > MAX_SELECTION_ARNS) {
            problems.add(
                field("databaseArns.length"),
                `be from 1 to ${MAX_SELECTION_ARNS}: a restore testing selection lists 1 to ${MAX_SELECTION_ARNS} RDS instance ARNs`,
                databaseCount,
            );
        }
        if (typeof schedule !== "string" || !SCHEDULE_PATTERN.test(schedule)) {
            problems.add(
                field("restoreTestSchedule"),
                "be a schedule expression such as cron(0 5 ? * SUN *) or rate(7 days)",
                schedule,
            );
        }
        if (typeof testDbInstanceClass !== "string" || !DB_INSTANCE_CLASS_PATTERN.test(testDbInstanceClass)) {
            problems.add(
                field("testDbInstanceClass"),
                "be an RDS instance class such as db.t4g.medium",
                testDbInstanceClass,
            );
        }
        if (typeof reportKeyPrefix !== "string" || !KEY_PREFIX_PATTERN.test(reportKeyPrefix)) {
            problems.add(
                field("reportKeyPrefix"),
                'be an S3 key prefix without spaces that does not start with "/", at most 512 characters',
                reportKeyPrefix,
            );
        }
        problems.throwIfAny(`Invalid arguments for BackupAssurance "${name}"`);

        const backupName = backupNameOf(name);
        this.controls = auditControls(args);

        // Restore testing: AWS Backup restores, keeps for validation, then deletes.
        this.restoreTestingPlan = new aws.backup.RestoreTestingPlan(
            `${name}-restore-testing`,
            {
                name: backupName,
                scheduleExpression: schedule,
                startWindowHours: START_WINDOW_HOURS,
                recoveryPointSelection: {
                    algorithm: "LATEST_WITHIN_WINDOW",
                    includeVaults: [args.homeVaultArn],
                    recoveryPointTypes: ["CONTINUOUS", "SNAPSHOT"],
                    selectionWindowDays: SELECTION_WINDOW_DAYS,
                },
            },
            { parent: this },
        );
        this.restoreTestingPlanName = this.restoreTestingPlan.name;

        new aws.backup.RestoreTestingSelection(
            `${name}-rds`,
            {
                name: `${backupName}_rds`,
                restoreTestingPlanName: this.restoreTestingPlan.name,
                protectedResourceType: "RDS",
                protectedResourceArns: args.databaseArns,
                iamRoleArn: args.restoreRoleArn,
                // AWS Backup already restores test databases single-AZ and without deletion
                // protection; these keep the instance small and say "private" explicitly.
                restoreMetadataOverrides: {
                    dbInstanceClass: testDbInstanceClass,
                    publiclyAccessible: "false",
                },
                validationWindowHours: DATABASE_VALIDATION_WINDOW_HOURS,
            },
            { parent: this },
        );
        new aws.backup.RestoreTestingSelection(
            `${name}-ebs`,
            {
                name: `${backupName}_ebs`,
                restoreTestingPlanName: this.restoreTestingPlan.name,
                protectedResourceType: "EBS",
                protectedResourceArns: ["*"],
                protectedResourceConditions: {
                    stringEquals: [{ key: `aws:ResourceTag/${BACKUP_TAG.key}`, value: BACKUP_TAG.value }],
                },
                iamRoleArn: args.restoreRoleArn,
            },
            { parent: this },
        );

        // Audit: the controls, and reports of them and of every backup job.
        this.framework = new aws.backup.Framework(
            `${name}-framework`,
            {
                name: backupName,
                description: `Backups every ${args.planFrequencyHours} h kept ${args.retentionDays} days, encrypted, locked, copied to ${args.drRegion} and restorable within the RTO`,
                controls: this.controls.map((control) => ({
                    name: control.name,
                    inputParameters: control.inputParameters?.map((parameter) => ({ ...parameter })),
                    scope: control.scope
                        ? { complianceResourceTypes: [...control.scope.complianceResourceTypes] }
                        : undefined,
                })),
            },
            { parent: this },
        );
        this.frameworkArn = this.framework.arn;

        // AWS Backup appends `/Backup/<region>/...` to the prefix itself.
        const reportDeliveryChannel = {
            s3BucketName: args.reportBucketName,
            s3KeyPrefix: reportKeyPrefix.replace(/\/+$/, ""),
            formats: ["CSV", "JSON"],
        };
        const compliance = new aws.backup.ReportPlan(
            `${name}-compliance-report`,
            {
                name: `${backupName}_control_compliance`,
                description: "Daily compliance of the backup audit framework's controls",
                reportDeliveryChannel,
                reportSetting: {
                    reportTemplate: "CONTROL_COMPLIANCE_REPORT",
                    frameworkArns: [this.framework.arn],
                },
            },
            { parent: this },
        );
        const jobs = new aws.backup.ReportPlan(
            `${name}-jobs-report`,
            {
                name: `${backupName}_backup_jobs`,
                description: "Daily report of every backup job and its outcome",
                reportDeliveryChannel,
                reportSetting: { reportTemplate: "BACKUP_JOB_REPORT" },
            },
            { parent: this },
        );
        this.reportPlanNames = pulumi.all([compliance.name, jobs.name]);

        this.registerOutputs({
            frameworkArn: this.frameworkArn,
            restoreTestingPlanName: this.restoreTestingPlanName,
            reportPlanNames: this.reportPlanNames,
        });
    }
}
