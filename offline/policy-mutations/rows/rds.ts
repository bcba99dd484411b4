import { RDS_BACKUP_REPLICATION, RDS_INSTANCE } from "../../../policies/rds";
import { MutationRow } from "../row";

const SERVICE = "RDS";

/** The hot posture's replica before a failover, and the instance it becomes once promoted. */
const REPLICA = "dr:hot";
const PROMOTED = "dr:hot-activated";
/** The primary stack re-protecting the DR database, and the name part of its failback replica. */
const FAILBACK = "primary:failback";
const FAILBACK_REPLICA = "db-home-";

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
    {
        service: SERVICE,
        protection: "deletion protection",
        configuration: REPLICA,
        mutation: "deletionProtection false on the hot posture's read replica",
        apply: (s) => s.set(s.one(RDS_INSTANCE), "deletionProtection", false),
        policy: "rds-instance-deletion-protection",
    },
    {
        service: SERVICE,
        protection: "deletion protection",
        configuration: PROMOTED,
        mutation: "deletionProtection false on the promoted replica",
        apply: (s) => s.set(s.one(RDS_INSTANCE), "deletionProtection", false),
        policy: "rds-instance-deletion-protection",
    },
    {
        service: SERVICE,
        protection: "storage encrypted",
        configuration: REPLICA,
        mutation: "storageEncrypted removed from the read replica",
        apply: (s) => s.unset(s.one(RDS_INSTANCE), "storageEncrypted"),
        policy: "rds-instance-storage-encrypted",
    },
    {
        service: SERVICE,
        protection: "encrypted with the customer managed data key",
        configuration: REPLICA,
        mutation: "kmsKeyId of the read replica the AWS managed alias/aws/rds",
        apply: (s) => s.set(s.one(RDS_INSTANCE), "kmsKeyId", "alias/aws/rds"),
        policy: "rds-instance-customer-key",
    },
    {
        service: SERVICE,
        protection: "encrypted with a key of its own region",
        configuration: REPLICA,
        mutation: "kmsKeyId of the read replica a key in the home region",
        apply: (s) =>
            s.update(s.one(RDS_INSTANCE), "kmsKeyId", (arn) =>
                String(arn).replace(/:kms:[a-z0-9-]+:/, ":kms:us-east-1:"),
            ),
        policy: "rds-instance-customer-key",
    },
    {
        service: SERVICE,
        protection: "encrypted with a key of its own region",
        configuration: PROMOTED,
        mutation: "kmsKeyId of the promoted replica a key in the home region",
        apply: (s) =>
            s.update(s.one(RDS_INSTANCE), "kmsKeyId", (arn) =>
                String(arn).replace(/:kms:[a-z0-9-]+:/, ":kms:us-east-1:"),
            ),
        policy: "rds-instance-customer-key",
    },
    {
        service: SERVICE,
        protection: "the replica's source is the primary database in the home region",
        configuration: REPLICA,
        mutation: "replicateSourceDb a database in the DR region itself",
        apply: (s) =>
            s.update(s.one(RDS_INSTANCE), "replicateSourceDb", (arn) =>
                String(arn).replace(/:rds:[a-z0-9-]+:/, ":rds:us-west-2:"),
            ),
        policy: "rds-instance-replica-source",
    },
    {
        service: SERVICE,
        protection: "the replica's source is the primary database in the home region",
        configuration: REPLICA,
        mutation: "replicateSourceDb a database of another account",
        apply: (s) =>
            s.update(s.one(RDS_INSTANCE), "replicateSourceDb", (arn) =>
                String(arn).replace(/:\d{12}:db:/, ":210987654321:db:"),
            ),
        policy: "rds-instance-replica-source",
    },
    {
        service: SERVICE,
        protection: "the replica's source is the primary database in the home region",
        configuration: REPLICA,
        mutation: "replicateSourceDb the bare identifier instead of the ARN",
        apply: (s) => s.set(s.one(RDS_INSTANCE), "replicateSourceDb", "webank-db"),
        policy: "rds-instance-replica-source",
    },
    {
        service: SERVICE,
        protection: "automated backups kept for the PITR window (webank:pitrRetentionDays)",
        configuration: REPLICA,
        mutation: "backupRetentionPeriod of the read replica 0 (the promoted instance would have no PITR)",
        apply: (s) => s.set(s.one(RDS_INSTANCE), "backupRetentionPeriod", 0),
        policy: "rds-instance-backup-retention",
    },
    {
        service: SERVICE,
        protection: "the failback replica's source is the DR database in the DR region",
        configuration: FAILBACK,
        mutation: "replicateSourceDb of the failback replica a database in the home region",
        apply: (s) =>
            s.update(s.one(RDS_INSTANCE, FAILBACK_REPLICA), "replicateSourceDb", (arn) =>
                String(arn).replace(/:rds:[a-z0-9-]+:/, ":rds:us-east-1:"),
            ),
        policy: "rds-instance-replica-source",
    },
    {
        service: SERVICE,
        protection: "deletion protection",
        configuration: FAILBACK,
        mutation: "deletionProtection false on the failback replica",
        apply: (s) => s.set(s.one(RDS_INSTANCE, FAILBACK_REPLICA), "deletionProtection", false),
        policy: "rds-instance-deletion-protection",
    },
    {
        service: SERVICE,
        protection: "encrypted with a key of its own region",
        configuration: FAILBACK,
        mutation: "kmsKeyId of the failback replica a key in the DR region",
        apply: (s) =>
            s.update(s.one(RDS_INSTANCE, FAILBACK_REPLICA), "kmsKeyId", (arn) =>
                String(arn).replace(/:kms:[a-z0-9-]+:/, ":kms:us-west-2:"),
            ),
        policy: "rds-instance-customer-key",
    },
    {
        service: SERVICE,
        protection: "the failback replica in the primary database's subnet group",
        configuration: FAILBACK,
        mutation:
            "the failback replica in a DB subnet group of its own (failback could not make it the home database in place)",
        apply: (s) => {
            const replica = s.one(RDS_INSTANCE, FAILBACK_REPLICA);
            s.set(replica, "dbSubnetGroupName", "webank-db-home-1-subnets");
            replica.propertyDependencies = { ...replica.propertyDependencies, dbSubnetGroupName: [] };
        },
        policy: "rds-failback-replica-placement",
    },
];
