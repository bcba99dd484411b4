import { STORAGE_CLASS } from "../../../policies/backup-targets";
import { RDS_INSTANCE } from "../../../policies/rds";
import { S3_BUCKET, S3_REPLICATION } from "../../../policies/s3-links";
import { MutableStack } from "../mutable-stack";
import { MutationRow } from "../row";
import {
    SERVICE,
    plan,
    selection,
    drVault,
    restoreTestingPlan,
    restoreTestingSelection,
    framework,
    FREQUENT,
    control,
    setParameter,
    dropControl,
    moveTo,
} from "./backup-common";

/** Makes the database's selection exclude instead of include it. */
function toNotResources(s: MutableStack, name: string): void {
    const sel = selection(s, name);
    s.set(sel, "notResources", sel.inputs.resources).unset(sel, "resources");
    sel.propertyDependencies.notResources = sel.propertyDependencies.resources ?? [];
    sel.propertyDependencies.resources = [];
}

/** The coverage protections: every store selected, the database RPO delivered. */
export const BACKUP_COVERAGE_ROWS: readonly MutationRow[] = [
    {
        service: SERVICE,
        protection: "plans per store: the database selected by ARN",
        mutation: "the database's selection not declared",
        apply: (s) => s.drop(selection(s, "webank-backup-database")),
        policy: "backup-stateful-resources-covered",
    },
    {
        service: SERVICE,
        protection: "plans per store: the database selected by ARN",
        mutation: "the database's selection switched to notResources",
        apply: (s) => toNotResources(s, "webank-backup-database"),
        policy: "backup-stateful-resources-covered",
    },
    {
        service: SERVICE,
        protection: "plans per store: the database selected by ARN",
        mutation: "notResources excluding the database added to its selection",
        apply: (s) => {
            const sel = selection(s, "webank-backup-database");
            s.set(sel, "notResources", sel.inputs.resources);
            sel.propertyDependencies.notResources = [...(sel.propertyDependencies.resources ?? [])];
        },
        policy: "backup-stateful-resources-covered",
    },
    {
        service: SERVICE,
        protection: "plans per store: the database selected by ARN",
        mutation: "the database's selection names another database, ordered after it with dependsOn only",
        apply: (s) => {
            const sel = selection(s, "webank-backup-database");
            s.set(sel, "resources", ["arn:aws:rds:us-east-1:123456789012:db:webank-other-db"]);
            sel.propertyDependencies.resources = [];
            sel.dependencies.push(s.one(RDS_INSTANCE).urn);
        },
        policy: "backup-stateful-resources-covered",
    },
    {
        service: SERVICE,
        protection: "plans per store: the database selected by ARN",
        mutation:
            "the database's selection and plan declared with the DR provider (a selection only reaches its region)",
        apply: (s) => {
            moveTo(selection(s, "webank-backup-database"), drVault(s));
            moveTo(plan(s, "webank-backup-database"), drVault(s));
        },
        policy: "backup-stateful-resources-covered",
    },
    {
        service: SERVICE,
        protection: "plans per store: the database selected by ARN",
        mutation: "a tag condition the database does not satisfy added to its selection",
        apply: (s) =>
            s.set(selection(s, "webank-backup-database"), "conditions", [
                { stringEquals: [{ key: "aws:ResourceTag/webank:backup", value: "true" }] },
            ]),
        policy: "backup-stateful-resources-covered",
    },
    {
        service: SERVICE,
        protection: "plans per store: the database selected by ARN",
        mutation: "the database's selection belongs to no plan (planId unlinked)",
        apply: (s) => {
            const sel = selection(s, "webank-backup-database");
            s.set(sel, "planId", "plan-of-another-stack");
            sel.propertyDependencies.planId = [];
        },
        policy: "backup-stateful-resources-covered",
    },
    {
        service: SERVICE,
        protection: "plans per store: the lock table",
        mutation: "the lock table's selection not declared",
        apply: (s) => s.drop(selection(s, "webank-backup-lock-table")),
        policy: "backup-stateful-resources-covered",
    },
    {
        service: SERVICE,
        protection: "plans per store: the state bucket",
        mutation: "the state bucket's selection not declared",
        apply: (s) => s.drop(selection(s, "webank-backup-state-bucket")),
        policy: "backup-stateful-resources-covered",
    },
    {
        service: SERVICE,
        protection: "plans per store: the artifact bucket (its replica is the copy, not it)",
        mutation: "the artifact bucket's selection pointed at its replica",
        apply: (s) => {
            const sel = selection(s, "webank-backup-artifact-bucket");
            const replica = s.one(S3_BUCKET, "webank-artifacts-bucket-replica");
            s.set(sel, "resources", [`arn:aws:s3:::${String(replica.inputs.bucket)}`]);
            sel.propertyDependencies.resources = [replica.urn];
        },
        policy: "backup-stateful-resources-covered",
    },
    {
        service: SERVICE,
        protection: "plans per store: the state bucket (a source bucket is never exempt as a replica)",
        mutation:
            "the state bucket's selection dropped and the bucket made the destination of the artifact replication too",
        apply: (s) => {
            s.drop(selection(s, "webank-backup-state-bucket"));
            const config = s.one(S3_REPLICATION, "webank-artifacts-bucket-replication");
            config.propertyDependencies.rules = [
                ...config.propertyDependencies.rules,
                s.one(S3_BUCKET, "webank-state-bucket-source").urn,
            ];
        },
        policy: "backup-stateful-resources-covered",
    },
    {
        service: SERVICE,
        protection: "plans per store: volumes by the webank:backup tag",
        mutation: "the volumes' selection not declared",
        apply: (s) => s.drop(selection(s, "webank-backup-volumes")),
        policy: "backup-stateful-resources-covered",
    },
    {
        service: SERVICE,
        protection: "plans per store: volumes by the webank:backup tag",
        mutation: "the volumes' selection on webank:backup=false",
        apply: (s) =>
            s.set(selection(s, "webank-backup-volumes"), "conditions[0].stringEquals[0].value", "false"),
        policy: "backup-stateful-resources-covered",
    },
    {
        service: SERVICE,
        protection: "plans per store: volumes by the webank:backup tag",
        mutation: "the volumes' selection matching RDS databases instead of EBS volumes",
        apply: (s) => s.set(selection(s, "webank-backup-volumes"), "resources", ["arn:aws:rds:*:*:db:*"]),
        policy: "backup-stateful-resources-covered",
    },
    {
        service: SERVICE,
        protection: "plans per store: volumes by the webank:backup tag",
        mutation: "the StorageClass no longer tags its volumes",
        apply: (s) => s.unset(s.one(STORAGE_CLASS), "parameters.tagSpecification_1"),
        policy: "backup-stateful-resources-covered",
    },
    {
        service: SERVICE,
        protection: "plans per store: volumes by the webank:backup tag (warm standby)",
        configuration: "dr:warm",
        mutation: "the warm standby's volumes selection not declared",
        apply: (s) => s.drop(selection(s, "webank-volumes-dr-backup")),
        policy: "backup-stateful-resources-covered",
    },
    {
        service: SERVICE,
        protection: "plans per store: the restored database (dr stack after a failover)",
        configuration: "dr:activated",
        mutation: "the restored database's selection not declared",
        apply: (s) => s.drop(selection(s, "webank-db-dr-backup")),
        policy: "backup-stateful-resources-covered",
    },
    {
        service: SERVICE,
        protection: "plans per store: the restored database (dr stack after a failover)",
        configuration: "dr:warm-activated",
        mutation: "the restored database's selection switched to notResources",
        apply: (s) => toNotResources(s, "webank-db-dr-backup"),
        policy: "backup-stateful-resources-covered",
    },
    {
        service: SERVICE,
        protection: "the database RPO delivered by the backup rules (continuous under an hour)",
        mutation: "the database plan's continuous backup off",
        apply: (s) => s.set(plan(s, "webank-backup-database"), `${FREQUENT}.enableContinuousBackup`, false),
        policy: "backup-database-rpo-delivered",
    },
    {
        service: SERVICE,
        protection: "the database RPO delivered by the backup rules (continuous under an hour)",
        mutation: "the database's selection attached to the volumes plan",
        apply: (s) => {
            selection(s, "webank-backup-database").propertyDependencies.planId = [
                plan(s, "webank-backup-volumes").urn,
            ];
        },
        policy: "backup-database-rpo-delivered",
    },
    {
        service: SERVICE,
        protection: "the database RPO delivered by the backup rules (continuous under an hour)",
        configuration: "dr:activated",
        mutation: "the restored database's plan without continuous backup",
        apply: (s) => s.unset(plan(s, "webank-db-dr-backup"), `${FREQUENT}.enableContinuousBackup`),
        policy: "backup-database-rpo-delivered",
    },
];

/** The assurance protections: weekly restore tests and the audit framework. */
export const BACKUP_ASSURANCE_ROWS: readonly MutationRow[] = [
    {
        service: SERVICE,
        protection: "weekly restore tests of the newest database and volume recovery points",
        mutation: "the restore tests monthly",
        apply: (s) => s.set(restoreTestingPlan(s), "scheduleExpression", "cron(0 5 1 * ? *)"),
        policy: "backup-restore-testing-weekly",
    },
    {
        service: SERVICE,
        protection: "weekly restore tests of the newest database and volume recovery points",
        mutation: "the restore tests every 30 days (rate expression)",
        apply: (s) => s.set(restoreTestingPlan(s), "scheduleExpression", "rate(30 days)"),
        policy: "backup-restore-testing-weekly",
    },
    {
        service: SERVICE,
        protection: "weekly restore tests of the newest database and volume recovery points",
        mutation: "a random recovery point of the window tested instead of the newest",
        apply: (s) =>
            s.set(restoreTestingPlan(s), "recoveryPointSelection.algorithm", "RANDOM_WITHIN_WINDOW"),
        policy: "backup-restore-testing-weekly",
    },
    {
        service: SERVICE,
        protection: "weekly restore tests of the newest database and volume recovery points",
        mutation: "the restore tests reading the Default vault instead of the home vault",
        apply: (s) => {
            const p = restoreTestingPlan(s);
            s.set(p, "recoveryPointSelection.includeVaults", [
                "arn:aws:backup:us-east-1:123456789012:backup-vault:Default",
            ]);
            p.propertyDependencies.recoveryPointSelection = [];
        },
        policy: "backup-restore-testing-weekly",
    },
    {
        service: SERVICE,
        protection: "weekly restore tests of the newest database and volume recovery points",
        mutation: "the database's restore testing selection not declared",
        apply: (s) => s.drop(restoreTestingSelection(s, "rds")),
        policy: "backup-restore-testing-weekly",
    },
    {
        service: SERVICE,
        protection: "weekly restore tests of the newest database and volume recovery points",
        mutation: "the database's restore testing selection naming another database",
        apply: (s) => {
            const sel = restoreTestingSelection(s, "rds");
            s.set(sel, "protectedResourceArns", ["arn:aws:rds:us-east-1:123456789012:db:webank-other-db"]);
            sel.propertyDependencies.protectedResourceArns = [];
        },
        policy: "backup-restore-testing-weekly",
    },
    {
        service: SERVICE,
        protection: "weekly restore tests of the newest database and volume recovery points",
        mutation: "the volumes' restore testing selection on webank:backup=false",
        apply: (s) =>
            s.set(
                restoreTestingSelection(s, "ebs"),
                "protectedResourceConditions.stringEquals[0].value",
                "false",
            ),
        policy: "backup-restore-testing-weekly",
    },
    {
        service: SERVICE,
        protection: "weekly restore tests of the newest database and volume recovery points",
        mutation: "the volumes' restore testing selection not declared",
        apply: (s) => s.drop(restoreTestingSelection(s, "ebs")),
        policy: "backup-restore-testing-weekly",
    },
    {
        service: SERVICE,
        protection: "Backup Audit Manager framework with the nine controls",
        mutation: "the framework not declared",
        apply: (s) => s.drop(framework(s)),
        policy: "backup-audit-framework-controls",
    },
    ...[
        "BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED",
        "BACKUP_RECOVERY_POINT_ENCRYPTED",
        "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN",
        "RESTORE_TIME_FOR_RESOURCES_MEET_TARGET",
    ].map((name): MutationRow => ({
        service: SERVICE,
        protection: "Backup Audit Manager framework with the nine controls",
        mutation: `control ${name} removed`,
        apply: dropControl(name),
        policy: "backup-audit-framework-controls",
    })),
    {
        service: SERVICE,
        protection: "Backup Audit Manager framework with the nine controls (frequency)",
        mutation: "the plan frequency control requires daily backups only",
        apply: setParameter(
            "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
            "requiredFrequencyValue",
            "24",
        ),
        policy: "backup-audit-framework-controls",
    },
    {
        service: SERVICE,
        protection: "Backup Audit Manager framework with the nine controls (retention)",
        mutation: "the recovery point retention control requires 7 days",
        apply: setParameter("BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK", "requiredRetentionDays", "7"),
        policy: "backup-audit-framework-controls",
    },
    {
        service: SERVICE,
        protection: "Backup Audit Manager framework with the nine controls (cross-region)",
        mutation: "the cross-region control checks copies in the home region",
        apply: setParameter("BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION", "crossRegionList", "us-east-1"),
        policy: "backup-audit-framework-controls",
    },
    {
        service: SERVICE,
        protection: "Backup Audit Manager framework with the nine controls (Vault Lock)",
        mutation: "the Vault Lock control accepts a 1-day minimum",
        apply: setParameter("BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK", "minRetentionDays", "1"),
        policy: "backup-audit-framework-controls",
    },
    {
        service: SERVICE,
        protection: "Backup Audit Manager framework with the nine controls (last recovery point)",
        mutation: "the last recovery point may be 48 hours old",
        apply: setParameter("BACKUP_LAST_RECOVERY_POINT_CREATED", "recoveryPointAgeValue", "48"),
        policy: "backup-audit-framework-controls",
    },
    {
        service: SERVICE,
        protection: "Backup Audit Manager framework with the nine controls (scope)",
        mutation: "the backup-plan coverage control scoped without RDS",
        apply: control("BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN", (c) => {
            c.scope = { complianceResourceTypes: ["EBS", "DynamoDB", "S3"] };
        }),
        policy: "backup-audit-framework-controls",
    },
];
