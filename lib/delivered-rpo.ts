import { BACKUP_CAPABILITIES } from "./backup-rules";

/*
 * The database RPO each way of keeping a copy in the DR region can promise: what the config
 * refuses to promise below, and what the objectives table and the benchmark show.
 */

/**
 * Minutes: the RPO of a restore from the automated backups RDS replicates into the DR region
 * (the pilot and warm postures). RDS "initiates a cross-Region copy of all snapshots and
 * transaction logs as soon as they are ready on the DB instance" (RDS user guide, "Replicating
 * automated backups to another AWS Region",
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReplicateBackups.html), with no
 * stated copy time; "Amazon RDS PITR snapshot replication is based on asynchronous
 * replication, so the underlying RPO is on the slightly higher side, ranging 5–30 minutes"
 * (AWS Prescriptive Guidance,
 * https://docs.aws.amazon.com/prescriptive-guidance/latest/dr-standard-edition-amazon-rds/rds-pitr-snapshot.html).
 * The upper end is what can be promised.
 */
export const REPLICATED_BACKUPS_RPO_MINUTES = 30;

/**
 * Minutes: the least RPO promised for a cross-Region read replica (the hot posture), whose RPO
 * is its replication lag. RDS publishes `ReplicaLag` to CloudWatch, which the failover reads
 * before promoting, and "Amazon RDS sends metrics and dimensions to Amazon CloudWatch every
 * minute" (Elastic's Metricbeat reference for the AWS rds metricset,
 * https://www.elastic.co/guide/en/beats/metricbeat/current/metricbeat-metricset-aws-rds.html),
 * so a lag is known a minute at a time: less than that cannot be promised.
 */
export const READ_REPLICA_RPO_FLOOR_MINUTES = 1;

/**
 * Minutes: the least RPO of the database's own loss (a dropped table, a bad migration), which
 * the read replica replays too: it comes back only by a point-in-time restore, and RDS
 * continuous backup gives 5 minutes at best (lib/backup-rules.ts BACKUP_CAPABILITIES).
 */
export const DATABASE_LOSS_RPO_FLOOR_MINUTES = BACKUP_CAPABILITIES.rds.continuousRpoFloorMinutes ?? 0;

/**
 * The least database RPO a posture can promise. Without a read replica the replicated backups'.
 * With one, a region loss costs only the replica's lag ({@link READ_REPLICA_RPO_FLOOR_MINUTES}),
 * but the same objective covers the database's own loss, so never less than
 * {@link DATABASE_LOSS_RPO_FLOOR_MINUTES}.
 */
export function promisableDatabaseRpoMinutes(withReadReplica: boolean): number {
    return withReadReplica
        ? Math.max(READ_REPLICA_RPO_FLOOR_MINUTES, DATABASE_LOSS_RPO_FLOOR_MINUTES)
        : REPLICATED_BACKUPS_RPO_MINUTES;
}
