import { UNKNOWN } from "../../engine";
import { MutationRow } from "../row";
import {
    SERVICE,
    plan,
    selection,
    homeVault,
    FREQUENT,
    LONG_TERM,
    homeVaultArn,
    dropRule,
} from "./backup-common";
import { BACKUP_ASSURANCE_ROWS, BACKUP_COVERAGE_ROWS } from "./backup-coverage";
import { BACKUP_VAULT_ROWS } from "./backup-vaults";

const plans: MutationRow[] = [
    {
        service: SERVICE,
        protection: "continuous backup where the RPO is under an hour (database, RDS ≥ 5 min)",
        mutation: "the database plan's continuous rule made a snapshot rule (enableContinuousBackup false)",
        apply: (s) => s.set(plan(s, "webank-backup-database"), `${FREQUENT}.enableContinuousBackup`, false),
        policy: "backup-plan-rule-frequency-retention",
    },
    {
        service: SERVICE,
        protection: "continuous backup where the RPO is under an hour (database, RDS ≥ 5 min)",
        mutation: "enableContinuousBackup removed from the database plan's frequent rule",
        apply: (s) => s.unset(plan(s, "webank-backup-database"), `${FREQUENT}.enableContinuousBackup`),
        policy: "backup-plan-rule-frequency-retention",
    },
    {
        service: SERVICE,
        protection: "continuous backup where the RPO is under an hour (database, RDS ≥ 5 min)",
        mutation: "the database plan keeps only its daily long-term rule",
        apply: (s) => dropRule(s, plan(s, "webank-backup-database"), 0),
        policy: "backup-plan-rule-frequency-retention",
    },
    {
        service: SERVICE,
        protection: "continuous backup where the RPO is under an hour (S3 ≥ 15 min)",
        mutation: "the state bucket plan's continuous rule made a snapshot rule",
        apply: (s) =>
            s.set(plan(s, "webank-backup-state-bucket"), `${FREQUENT}.enableContinuousBackup`, false),
        policy: "backup-plan-rule-frequency-retention",
    },
    {
        service: SERVICE,
        protection: "snapshots at the longest period meeting the RPO (volumes hourly)",
        mutation: "the volumes snapshot rule every 4 hours",
        apply: (s) => s.set(plan(s, "webank-backup-volumes"), `${FREQUENT}.schedule`, "cron(0 0/4 ? * * *)"),
        policy: "backup-plan-rule-frequency-retention",
    },
    {
        service: SERVICE,
        protection: "snapshots at the longest period meeting the RPO (volumes hourly)",
        mutation: "the volumes snapshot rule weekly",
        apply: (s) => s.set(plan(s, "webank-backup-volumes"), `${FREQUENT}.schedule`, "cron(0 5 ? * SUN *)"),
        policy: "backup-plan-rule-frequency-retention",
    },
    {
        service: SERVICE,
        protection: "snapshots at the longest period meeting the RPO (volumes hourly)",
        mutation: "the volumes snapshot rule's schedule removed (AWS Backup then runs it daily)",
        apply: (s) => s.unset(plan(s, "webank-backup-volumes"), `${FREQUENT}.schedule`),
        policy: "backup-plan-rule-frequency-retention",
    },
    {
        service: SERVICE,
        protection: "snapshots at the longest period meeting the RPO (lock table hourly)",
        mutation: "the lock table snapshot rule every 2 hours, written in another cron form",
        apply: (s) =>
            s.set(plan(s, "webank-backup-lock-table"), `${FREQUENT}.schedule`, "cron(30 0/2 * * ? *)"),
        policy: "backup-plan-rule-frequency-retention",
    },
    {
        service: SERVICE,
        protection: "snapshots at the longest period meeting the RPO (volumes hourly)",
        mutation:
            "the volumes snapshot rule hourly in a daylight-saving timezone (a 2-hour gap at the change)",
        apply: (s) =>
            s.set(plan(s, "webank-backup-volumes"), `${FREQUENT}.scheduleExpressionTimezone`, "Europe/Paris"),
        policy: "backup-plan-rule-frequency-retention",
    },
    {
        service: SERVICE,
        protection: "plans per store: the database in a plan that delivers its RPO",
        mutation: "the database's selection attached to the volumes plan (hourly snapshots)",
        apply: (s) => {
            const volumes = plan(s, "webank-backup-volumes");
            s.set(selection(s, "webank-backup-database"), "planId", "volumes-plan-id");
            selection(s, "webank-backup-database").propertyDependencies.planId = [volumes.urn];
        },
        policy: "backup-plan-rule-frequency-retention",
    },
    {
        service: SERVICE,
        protection: "continuous backup where the RPO is under an hour (database, RDS ≥ 5 min)",
        configuration: "dr:activated",
        mutation: "the restored database's dr plan without continuous backup",
        apply: (s) => s.set(plan(s, "webank-db-dr-backup"), `${FREQUENT}.enableContinuousBackup`, false),
        policy: "backup-plan-rule-frequency-retention",
    },
    {
        service: SERVICE,
        protection: "snapshots at the longest period meeting the RPO (volumes hourly)",
        configuration: "dr:warm",
        mutation: "the warm standby's volumes plan snapshots daily",
        apply: (s) => s.set(plan(s, "webank-volumes-dr-backup"), `${FREQUENT}.schedule`, "cron(0 5 ? * * *)"),
        policy: "backup-plan-rule-frequency-retention",
    },
    {
        service: SERVICE,
        protection: "frequent backups kept for the PITR window in the home vault",
        mutation: "the database's continuous points kept 1 day",
        apply: (s) => s.set(plan(s, "webank-backup-database"), `${FREQUENT}.lifecycle.deleteAfter`, 1),
        policy: "backup-plan-rule-frequency-retention",
    },
    {
        service: SERVICE,
        protection: "frequent backups kept for the PITR window in the home vault",
        mutation: "the volume snapshots kept 7 days",
        apply: (s) => s.set(plan(s, "webank-backup-volumes"), `${FREQUENT}.lifecycle.deleteAfter`, 7),
        policy: "backup-plan-rule-frequency-retention",
    },
    {
        service: SERVICE,
        protection: "frequent backups kept for the PITR window in the home vault",
        configuration: "dr:activated",
        mutation: "the restored database's continuous points kept 1 day",
        apply: (s) => s.set(plan(s, "webank-db-dr-backup"), `${FREQUENT}.lifecycle.deleteAfter`, 1),
        policy: "backup-plan-rule-frequency-retention",
    },
    {
        service: SERVICE,
        protection: "a daily long-term backup kept backupLongTermRetentionDays",
        mutation: "the database plan's long-term rule removed",
        apply: (s) => dropRule(s, plan(s, "webank-backup-database"), 1),
        policy: "backup-plan-long-term-retention",
    },
    {
        service: SERVICE,
        protection: "a daily long-term backup kept backupLongTermRetentionDays",
        mutation: "the long-term rule kept 30 days",
        apply: (s) =>
            s.set(plan(s, "webank-backup-lock-table"), `${LONG_TERM}.lifecycle`, { deleteAfter: 30 }),
        policy: "backup-plan-long-term-retention",
    },
    {
        service: SERVICE,
        protection: "a daily long-term backup kept backupLongTermRetentionDays",
        mutation: "the long-term rule weekly",
        apply: (s) =>
            s.set(plan(s, "webank-backup-state-bucket"), `${LONG_TERM}.schedule`, "cron(0 5 ? * SUN *)"),
        policy: "backup-plan-long-term-retention",
    },
    {
        service: SERVICE,
        protection: "the daily backups' DR copies kept as long as the backups",
        mutation: "the long-term rule's copies kept 30 days",
        apply: (s) =>
            s.set(plan(s, "webank-backup-artifact-bucket"), `${LONG_TERM}.copyActions[0].lifecycle`, {
                deleteAfter: 30,
            }),
        policy: "backup-plan-long-term-retention",
    },
    {
        service: SERVICE,
        protection: "a daily long-term backup kept backupLongTermRetentionDays",
        configuration: "dr:activated",
        mutation: "the restored database's dr plan without its long-term rule",
        apply: (s) => dropRule(s, plan(s, "webank-db-dr-backup"), 1),
        policy: "backup-plan-long-term-retention",
    },
    {
        service: SERVICE,
        protection: "frequent copies kept backupDrFrequentCopyDays in the DR vault",
        mutation: "the database's frequent copies kept 1 day",
        apply: (s) =>
            s.set(plan(s, "webank-backup-database"), `${FREQUENT}.copyActions[0].lifecycle.deleteAfter`, 1),
        policy: "backup-plan-rule-copy-retention",
    },
    {
        service: SERVICE,
        protection: "frequent copies kept at most 14 days (an hourly rule sends 24 a day per resource)",
        mutation: "the volumes' hourly copies kept 35 days",
        apply: (s) =>
            s.set(plan(s, "webank-backup-volumes"), `${FREQUENT}.copyActions[0].lifecycle.deleteAfter`, 35),
        policy: "backup-plan-rule-copy-retention",
    },
    {
        service: SERVICE,
        protection: "frequent copies kept at most 14 days (an hourly rule sends 24 a day per resource)",
        mutation: "the database's frequent copy without a lifecycle (it keeps the source's 35 days)",
        apply: (s) => s.unset(plan(s, "webank-backup-database"), `${FREQUENT}.copyActions[0].lifecycle`),
        policy: "backup-plan-rule-copy-retention",
    },
    {
        service: SERVICE,
        protection: "every copy kept at least backupCopyRetentionDays",
        mutation: "the long-term copy kept 1 day",
        apply: (s) =>
            s.set(plan(s, "webank-backup-lock-table"), `${LONG_TERM}.copyActions[0].lifecycle`, {
                deleteAfter: 1,
            }),
        policy: "backup-plan-rule-copy-retention",
    },
    {
        service: SERVICE,
        protection: "frequent copies kept backupDrFrequentCopyDays in the DR vault",
        configuration: "dr:warm",
        mutation: "the warm standby's volume copies kept 1 day",
        apply: (s) =>
            s.set(plan(s, "webank-volumes-dr-backup"), `${FREQUENT}.copyActions[0].lifecycle.deleteAfter`, 1),
        policy: "backup-plan-rule-copy-retention",
    },
    {
        service: SERVICE,
        protection: "every rule copies to the DR vault on each run",
        mutation: "the database's continuous rule without copy actions",
        apply: (s) => s.unset(plan(s, "webank-backup-database"), `${FREQUENT}.copyActions`),
        policy: "backup-plan-rule-cross-region-copy",
    },
    {
        service: SERVICE,
        protection: "every rule copies to the DR vault on each run",
        mutation: "the volumes' copy sent to the home vault (same region)",
        apply: (s) =>
            s.set(
                plan(s, "webank-backup-volumes"),
                `${FREQUENT}.copyActions[0].destinationVaultArn`,
                homeVaultArn(s),
            ),
        policy: "backup-plan-rule-cross-region-copy",
    },
    {
        service: SERVICE,
        protection: "every rule copies to the DR vault on each run",
        mutation:
            "the long-term copy sent to another vault in the DR region, not the stack's locked DR vault",
        apply: (s) =>
            s.update(
                plan(s, "webank-backup-state-bucket"),
                `${LONG_TERM}.copyActions[0].destinationVaultArn`,
                (arn) => String(arn).replace(/backup-vault:.*$/, "backup-vault:Default"),
            ),
        policy: "backup-plan-rule-cross-region-copy",
    },
    {
        service: SERVICE,
        protection: "every rule copies to the DR vault on each run",
        mutation:
            "in a preview, the copy's ARN computed from the home vault only (rules linked to no DR vault)",
        apply: (s) => {
            const p = plan(s, "webank-backup-database");
            s.set(p, `${FREQUENT}.copyActions[0].destinationVaultArn`, UNKNOWN).set(
                p,
                `${LONG_TERM}.copyActions[0].destinationVaultArn`,
                UNKNOWN,
            );
            p.propertyDependencies.rules = [homeVault(s).urn];
        },
        policy: "backup-plan-rule-cross-region-copy",
    },
    {
        service: SERVICE,
        protection: "every rule copies to the home vault (dr stack after a failover)",
        configuration: "dr:activated",
        mutation: "the restored database's copies sent to a vault in the DR region itself",
        apply: (s) =>
            s.update(
                plan(s, "webank-db-dr-backup"),
                `${FREQUENT}.copyActions[0].destinationVaultArn`,
                (arn) => String(arn).replace(/:us-east-1:/, ":us-west-2:"),
            ),
        policy: "backup-plan-rule-cross-region-copy",
    },
    {
        service: SERVICE,
        protection: "the rules back up into the stack's locked vault",
        mutation: "targetVaultName Default (the unlocked default vault)",
        apply: (s) => s.set(plan(s, "webank-backup-database"), `${FREQUENT}.targetVaultName`, "Default"),
        policy: "backup-plan-rule-target-vault",
    },
    {
        service: SERVICE,
        protection: "the rules back up into the stack's locked vault",
        mutation: "the rule diverted to a logically air-gapped vault",
        apply: (s) =>
            s.set(
                plan(s, "webank-backup-volumes"),
                `${FREQUENT}.targetLogicallyAirGappedBackupVaultArn`,
                "arn:aws:backup:us-east-1:123456789012:backup-vault:airgapped",
            ),
        policy: "backup-plan-rule-target-vault",
    },
    {
        service: SERVICE,
        protection: "the rules back up into the DR vault (dr stack after a failover)",
        configuration: "dr:activated",
        mutation: "the restored database backed up into the Default vault",
        apply: (s) => s.set(plan(s, "webank-db-dr-backup"), `${FREQUENT}.targetVaultName`, "Default"),
        policy: "backup-plan-rule-target-vault",
    },
];

/** The AWS Backup protections the README claims, each removed in the ways a change could remove it. */
export const BACKUP_ROWS: readonly MutationRow[] = [
    ...plans,
    ...BACKUP_VAULT_ROWS,
    ...BACKUP_COVERAGE_ROWS,
    ...BACKUP_ASSURANCE_ROWS,
];
