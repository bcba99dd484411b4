import { RDS_BACKUP_REPLICATION, RDS_INSTANCE } from "../../../policies/rds";
import { MutationRow } from "../row";

const SERVICE = "RDS";

/** The RDS protections the README claims, each removed once. */
export const RDS_ROWS: readonly MutationRow[] = [
    {
        service: SERVICE,
        protection: "automated backups kept for the PITR window (webank:pitrRetentionDays)",
        mutation: "backupRetentionPeriod one day below the window",
        apply: (s) => s.update(s.one(RDS_INSTANCE), "backupRetentionPeriod", (days) => Number(days) - 1),
        policy: "rds-instance-backup-retention",
    },
    {
        service: SERVICE,
        protection: "automated backups kept when the instance is deleted",
        mutation: "deleteAutomatedBackups true",
        apply: (s) => s.set(s.one(RDS_INSTANCE), "deleteAutomatedBackups", true),
        policy: "rds-instance-backup-retention",
    },
    {
        service: SERVICE,
        protection: "automated backups kept when the instance is deleted",
        mutation: "deleteAutomatedBackups left to the provider's default (true)",
        apply: (s) => s.unset(s.one(RDS_INSTANCE), "deleteAutomatedBackups"),
        policy: "rds-instance-backup-retention",
    },
    {
        service: SERVICE,
        protection: "deletion protection",
        mutation: "deletionProtection false",
        apply: (s) => s.set(s.one(RDS_INSTANCE), "deletionProtection", false),
        policy: "rds-instance-deletion-protection",
    },
    {
        service: SERVICE,
        protection: "storage encrypted",
        mutation: "storageEncrypted removed",
        apply: (s) => s.unset(s.one(RDS_INSTANCE), "storageEncrypted"),
        policy: "rds-instance-storage-encrypted",
    },
    {
        service: SERVICE,
        protection: "encrypted with the customer managed data key",
        mutation: "kmsKeyId dropped (RDS would use aws/rds)",
        apply: (s) => s.unset(s.one(RDS_INSTANCE), "kmsKeyId"),
        policy: "rds-instance-customer-key",
    },
    {
        service: SERVICE,
        protection: "encrypted with the customer managed data key",
        mutation: "kmsKeyId the AWS managed alias/aws/rds",
        apply: (s) => s.set(s.one(RDS_INSTANCE), "kmsKeyId", "alias/aws/rds"),
        policy: "rds-instance-customer-key",
    },
    {
        service: SERVICE,
        protection: "a final snapshot on delete",
        mutation: "skipFinalSnapshot true",
        apply: (s) => s.set(s.one(RDS_INSTANCE), "skipFinalSnapshot", true),
        policy: "rds-instance-final-snapshot",
    },
    {
        service: SERVICE,
        protection: "a final snapshot on delete",
        mutation: "finalSnapshotIdentifier removed",
        apply: (s) => s.unset(s.one(RDS_INSTANCE), "finalSnapshotIdentifier"),
        policy: "rds-instance-final-snapshot",
    },
    {
        service: SERVICE,
        protection: "tags copied to snapshots",
        mutation: "copyTagsToSnapshot false",
        apply: (s) => s.set(s.one(RDS_INSTANCE), "copyTagsToSnapshot", false),
        policy: "rds-instance-copy-tags-to-snapshot",
    },
    {
        service: SERVICE,
        protection: "Multi-AZ",
        mutation: "multiAz false",
        apply: (s) => s.set(s.one(RDS_INSTANCE), "multiAz", false),
        policy: "rds-instance-multi-az",
    },
    {
        service: SERVICE,
        protection: "Multi-AZ",
        configuration: "dr:activated",
        mutation: "multiAz false on the restored DR database",
        apply: (s) => s.set(s.one(RDS_INSTANCE), "multiAz", false),
        policy: "rds-instance-multi-az",
    },
    {
        service: SERVICE,
        protection: "automated backups replicated to the DR region",
        mutation: "the InstanceAutomatedBackupsReplication not declared",
        apply: (s) => s.drop(s.one(RDS_BACKUP_REPLICATION)),
        policy: "rds-instance-backups-replicated",
    },
    {
        service: SERVICE,
        protection: "automated backups replicated to the DR region",
        mutation: "the replication declared with the home-region provider",
        apply: (s) => {
            const replication = s.one(RDS_BACKUP_REPLICATION);
            const home = s.one(RDS_INSTANCE);
            replication.provider = home.provider;
            replication.region = home.region;
        },
        policy: "rds-instance-backups-replicated",
    },
    {
        service: SERVICE,
        protection: "replicated automated backups kept webank:replicatedBackupRetentionDays",
        mutation: "retentionPeriod 1",
        apply: (s) => s.set(s.one(RDS_BACKUP_REPLICATION), "retentionPeriod", 1),
        policy: "rds-instance-backups-replicated",
    },
    {
        service: SERVICE,
        protection: "replicated automated backups encrypted with the replica key",
        mutation: "kmsKeyId of the replication dropped",
        apply: (s) => s.unset(s.one(RDS_BACKUP_REPLICATION), "kmsKeyId"),
        policy: "rds-instance-customer-key",
    },
    {
        service: SERVICE,
        protection: "a primary database is always copied, whatever its inputs say",
        mutation: "the replication not declared and snapshotIdentifier set, so the database looks restored",
        apply: (s) =>
            s
                .set(s.one(RDS_INSTANCE), "snapshotIdentifier", "webank-db-final")
                .drop(s.one(RDS_BACKUP_REPLICATION)),
        policy: "rds-instance-backups-replicated",
    },
];
