/*
 * The port the hot posture's failover reaches the DR region's cross-Region read replica
 * through (automation/ports.ts re-exports it): RDS for the replica itself, CloudWatch for its
 * lag. The real adapter is adapters/aws/replica.ts; the simulated account's simulation/replica.ts.
 */

/** A DB instance as the hot failover needs to know it: whether it is still a read replica, and of what. */
export interface ReadReplica {
    /** DB instance identifier. */
    readonly identifier: string;
    /** Its ARN. */
    readonly arn: string;
    /** `DBInstanceStatus`, e.g. `available`, `modifying`, `backing-up`. */
    readonly status: string;
    /**
     * `ReadReplicaSourceDBInstanceIdentifier`: the source of a read replica, undefined once the
     * instance is standalone (never a replica, or promoted). For a cross-Region replica it is the
     * source's ARN ("If the source DB instance is in a different Amazon Web Services Region from
     * the read replica, specify a valid DB instance ARN", RDS API reference,
     * CreateDBInstanceReadReplica SourceDBInstanceIdentifier).
     */
    readonly source?: string;
    /**
     * `StatusInfos[StatusType="read replication"].Status`: replicating, replication stop point
     * set, replication stop point reached, error, stopped or terminated (RDS API reference,
     * DBInstanceStatusInfo); undefined for a standalone instance.
     */
    readonly replicationStatus?: string;
    /** Endpoint `host:port`, once RDS has one. */
    readonly endpoint?: string;
}

/** One CloudWatch datapoint of the replica's `ReplicaLag`. */
export interface ReplicaLagDatapoint {
    /** The lag, in seconds (the metric's unit), as the datapoint's Maximum. */
    readonly seconds: number;
    /** The datapoint's timestamp: the start of the minute it covers. */
    readonly at: Date;
}

/** The DR region's read replica: what it is, how far behind, and its promotion. */
export interface ReplicaPort {
    /** The region. */
    readonly region: string;
    /** The instance, or undefined when RDS does not know it in this region. */
    describeReplica(identifier: string): Promise<ReadReplica | undefined>;
    /**
     * The newest `AWS/RDS` `ReplicaLag` datapoint of `identifier` within the last
     * `windowMinutes`, or undefined when there is none. Undefined means the lag is UNKNOWN, never
     * that it is zero. A negative value (RDS reports -1 when replication is not active) is
     * returned as it is: the caller treats it as unknown too.
     */
    replicaLag(identifier: string, windowMinutes: number): Promise<ReplicaLagDatapoint | undefined>;
    /**
     * Starts the promotion of a read replica to a standalone instance (PromoteReadReplica) with
     * automated backups kept `backupRetentionDays` days, so the promoted instance has PITR.
     * Changes the instance; deletes nothing. Throws RDS's error (InvalidDBInstanceState for an
     * instance that is not a replica or not available, DBInstanceNotFound) with what to check.
     */
    promote(identifier: string, backupRetentionDays: number): Promise<void>;
    /**
     * Waits until the instance is available AND standalone (no replica source): right after
     * PromoteReadReplica RDS may still describe it as an available replica. Throws on timeout,
     * saying what to check and that rerunning resumes.
     */
    waitPromoted(identifier: string, timeoutMinutes: number): Promise<void>;
}
