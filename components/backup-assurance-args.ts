/**
 * The arguments of {@link BackupAssurance}, their defaults and their validation, apart from
 * the resources the component declares, so each file has one responsibility.
 */
import * as pulumi from "@pulumi/pulumi";
import { ProblemCollector } from "../lib/errors";
import { RecoveryObjectives } from "../lib/objectives";
import { isRegionName } from "../lib/regions";
import { PLAN_FREQUENCIES_HOURS, VaultLockBounds } from "./backup-assurance-controls";

/** Default schedule of the restore tests: every Sunday at 05:00 UTC. */
export const DEFAULT_RESTORE_TEST_SCHEDULE = "cron(0 5 ? * SUN *)";

/** Default instance class of the database a restore test creates: small, and cheap for the hours it lives. */
export const DEFAULT_TEST_DB_INSTANCE_CLASS = "db.t4g.medium";

/** Default S3 key prefix of the audit reports. */
export const DEFAULT_REPORT_KEY_PREFIX = "backup-reports/";

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
export const KEY_PREFIX_PATTERN = /^[^/\s]\S{0,511}$/;

/**
 * The restore metadata keys AWS Backup lets a restore testing selection override for Amazon
 * RDS instances, spelled as documented (AWS Backup developer guide, "Restore testing inferred
 * metadata", https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing-inferred-metadata.html,
 * row "Amazon RDS instances", column "Overridable metadata"). AWS Backup matches keys without
 * regard to case, but a misspelled key is silently ignored, so the component allows exactly
 * these spellings.
 */
export const RDS_OVERRIDABLE_RESTORE_METADATA: readonly string[] = [
    "allocatedStorage",
    "availabilityZones",
    "dbInstanceClass",
    "dbName",
    "dbParameterGroupName",
    "dbSubnetGroupName",
    "domain",
    "domainIamRoleName",
    "enableCloudwatchLogsExports",
    "enableIamDatabaseAuthentication",
    "iops",
    "licensemodel",
    "multiAz",
    "optionGroupName",
    "port",
    "processorFeatures",
    "publiclyAccessible",
    "storageType",
    "vpcSecurityGroupIds",
];

/** Records a problem for each key of `overrides` that is not one of {@link RDS_OVERRIDABLE_RESTORE_METADATA}. */
export function checkRestoreMetadataKeys(
    problems: ProblemCollector,
    field: string,
    overrides: Readonly<Record<string, unknown>>,
): void {
    for (const [key, value] of Object.entries(overrides)) {
        if (!RDS_OVERRIDABLE_RESTORE_METADATA.includes(key)) {
            problems.add(
                `${field}.${key}`,
                `be a restore metadata key AWS Backup documents for Amazon RDS instances (one of ${RDS_OVERRIDABLE_RESTORE_METADATA.join(", ")})`,
                value,
            );
        }
    }
}

/** Where the databases a restore test creates are placed: the tested databases' own network. */
export interface RestoreTestNetwork {
    /** The tested databases' VPC (the app VPC): the component creates the restore-test security group in it. */
    vpcId: pulumi.Input<string>;
    /** Name of the tested databases' DB subnet group: their private subnets in that VPC. */
    dbSubnetGroupName: pulumi.Input<string>;
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
    /**
     * Where restored test databases go: the tested databases' DB subnet group, behind a
     * security group of their VPC that admits nothing. Without it AWS Backup infers the
     * default VPC, and the restore fails where that VPC has been deleted ("Restore testing
     * inferred metadata").
     */
    restoreTestNetwork: RestoreTestNetwork;
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

/** The arguments of {@link BackupAssurance} that have defaults, resolved by {@link validateBackupAssuranceArgs}. */
export interface ValidBackupAssuranceArgs {
    /** {@link BackupAssuranceArgs.restoreTestSchedule} or {@link DEFAULT_RESTORE_TEST_SCHEDULE}. */
    readonly schedule: string;
    /** {@link BackupAssuranceArgs.testDbInstanceClass} or {@link DEFAULT_TEST_DB_INSTANCE_CLASS}. */
    readonly testDbInstanceClass: string;
    /** {@link BackupAssuranceArgs.reportKeyPrefix} or {@link DEFAULT_REPORT_KEY_PREFIX}. */
    readonly reportKeyPrefix: string;
}

/**
 * Checks the arguments of the {@link BackupAssurance} named `name` (the name too: AWS Backup
 * names restore tests after it) before it declares anything, and throws one error listing
 * every invalid argument, so an operator fixes them all at once.
 */
export function validateBackupAssuranceArgs(
    name: string,
    args: BackupAssuranceArgs,
): ValidBackupAssuranceArgs {
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
    // Only presence is checked: the id and the name are usually Outputs of the network and the database.
    const network: Partial<RestoreTestNetwork> = args.restoreTestNetwork ?? {};
    if (network.vpcId === undefined || network.vpcId === "") {
        problems.add(
            field("restoreTestNetwork.vpcId"),
            "be the id of the tested databases' VPC, for the restore-test security group",
            network.vpcId,
        );
    }
    if (network.dbSubnetGroupName === undefined || network.dbSubnetGroupName === "") {
        problems.add(
            field("restoreTestNetwork.dbSubnetGroupName"),
            "be the name of the tested databases' DB subnet group, so restored databases land in their private subnets",
            network.dbSubnetGroupName,
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
    return { schedule, testDbInstanceClass, reportKeyPrefix };
}
