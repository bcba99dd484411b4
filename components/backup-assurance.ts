import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ProblemCollector } from "../lib/errors";
import { BACKUP_TAG } from "../lib/tags";
import {
    BackupAssuranceArgs,
    checkRestoreMetadataKeys,
    RestoreTestNetwork,
    validateBackupAssuranceArgs,
} from "./backup-assurance-args";
import { auditControls, Control } from "./backup-assurance-controls";

/** Re-exported so importers keep taking the arguments and their defaults from the component they construct. */
export {
    type BackupAssuranceArgs,
    checkRestoreMetadataKeys,
    DEFAULT_REPORT_KEY_PREFIX,
    DEFAULT_RESTORE_TEST_SCHEDULE,
    DEFAULT_TEST_DB_INSTANCE_CLASS,
    RDS_OVERRIDABLE_RESTORE_METADATA,
    type RestoreTestNetwork,
} from "./backup-assurance-args";
/** Re-exported so importers keep taking the audit controls from the component that declares their framework. */
export {
    type AuditParameters,
    auditControls,
    type Control,
    type ControlParameter,
    type ControlScope,
    PLAN_FREQUENCIES_HOURS,
    PROTECTED_RESOURCE_TYPES,
    type VaultLockBounds,
} from "./backup-assurance-controls";

/** The restore test picks the newest recovery point made within this many days. */
const SELECTION_WINDOW_DAYS = 7;

/** Hours after the scheduled time within which a restore test must start. */
const START_WINDOW_HOURS = 8;

/** Hours a restored test database is kept for validation before AWS Backup deletes it. */
const DATABASE_VALIDATION_WINDOW_HOURS = 2;

/**
 * The AWS Backup name derived from a component name: hyphens become underscores, because
 * restore testing plans and selections, frameworks and report plans allow only letters,
 * digits and underscores. E.g. `webank-backup` gives `webank_backup`.
 */
export function backupNameOf(componentName: string): string {
    return componentName.replace(/-/g, "_");
}

/**
 * The restore metadata overrides of the RDS restore test. AWS Backup already restores test
 * databases single-AZ and without deletion protection; these keep the instance small, say
 * "private" explicitly, and place it in the tested databases' private subnets behind
 * `securityGroupId` instead of the default VPC AWS Backup would infer. A list value is a
 * JSON-array string ("Restore testing inferred metadata", "Format for list-typed override values").
 */
function rdsRestoreOverrides(
    testDbInstanceClass: string,
    network: RestoreTestNetwork,
    securityGroupId: pulumi.Input<string>,
): Record<string, pulumi.Input<string>> {
    return {
        dbInstanceClass: testDbInstanceClass,
        publiclyAccessible: "false",
        dbSubnetGroupName: network.dbSubnetGroupName,
        vpcSecurityGroupIds: pulumi.output(securityGroupId).apply((id) => JSON.stringify([id])),
    };
}

/**
 * Proves that the backups can be restored, and keeps proving that the backup settings hold.
 *
 * Restore testing: every week (by default) AWS Backup restores the newest recovery point of
 * the last 7 days, snapshot or continuous, from the home vault: each listed RDS database as a
 * small private instance in the tested databases' DB subnet group, behind a security group of
 * their VPC that admits nothing (the restored copy holds production data), kept 2 hours for
 * validation, and every EBS volume carrying the backup tag. AWS Backup deletes the restored resources afterwards and records how long each restore
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
    /** The security group of restored test databases: in the tested databases' VPC, without rules. */
    public readonly restoreTestSecurityGroup: aws.ec2.SecurityGroup;
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
        const { schedule, testDbInstanceClass, reportKeyPrefix } = validateBackupAssuranceArgs(name, args);

        // A misspelled key would be ignored by AWS Backup: refuse it before declaring anything.
        const keyProblems = new ProblemCollector();
        checkRestoreMetadataKeys(
            keyProblems,
            `BackupAssurance(${name}).rds.restoreMetadataOverrides`,
            rdsRestoreOverrides(testDbInstanceClass, args.restoreTestNetwork, ""),
        );
        keyProblems.throwIfAny(`Invalid restore metadata for BackupAssurance "${name}"`);

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

        // Nothing reaches a restored copy and nothing leaves it: both rule lists are managed and
        // empty (the provider also removes AWS's default allow-all egress rule on create).
        this.restoreTestSecurityGroup = new aws.ec2.SecurityGroup(
            `${name}-restore-test-sg`,
            {
                description: "Databases restored by AWS Backup restore tests: no inbound or outbound traffic",
                vpcId: args.restoreTestNetwork.vpcId,
                ingress: [],
                egress: [],
            },
            { parent: this },
        );
        new aws.backup.RestoreTestingSelection(
            `${name}-rds`,
            {
                name: `${backupName}_rds`,
                restoreTestingPlanName: this.restoreTestingPlan.name,
                protectedResourceType: "RDS",
                protectedResourceArns: args.databaseArns,
                iamRoleArn: args.restoreRoleArn,
                restoreMetadataOverrides: rdsRestoreOverrides(
                    testDbInstanceClass,
                    args.restoreTestNetwork,
                    this.restoreTestSecurityGroup.id,
                ),
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
