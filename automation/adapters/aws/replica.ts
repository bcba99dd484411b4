import { CloudWatchClient, GetMetricStatisticsCommand } from "@aws-sdk/client-cloudwatch";
import {
    DBInstance,
    PromoteReadReplicaCommand,
    RDSClient,
    waitUntilDBInstanceAvailable,
} from "@aws-sdk/client-rds";
import { POSTGRES_PORT } from "../../../lib/postgres";
import type { ReadReplica, ReplicaLagDatapoint, ReplicaPort } from "../../replica-ports";
import {
    describeDbInstance,
    describeInstanceCommand,
    RdsDatabaseOptions,
    requireIdentifier,
    waitError,
} from "./rds-support";
import { DEFAULT_POLL_DELAYS, messageOf, PollDelays, waiterSettings } from "./retry";

/**
 * The period of the lag query, in seconds: RDS sends its metrics to CloudWatch every minute
 * ("Amazon RDS sends metrics and dimensions to Amazon CloudWatch every minute", RDS user
 * guide, "Amazon CloudWatch metrics for Amazon RDS"), so one datapoint per minute.
 */
const LAG_PERIOD_SECONDS = 60;

/** PromoteReadReplica's BackupRetentionPeriod: "Must be a value from 0 to 35" (RDS API reference); 0 would leave no PITR. */
const MAX_BACKUP_RETENTION_DAYS = 35;

/**
 * {@link ReplicaPort} over RDS and CloudWatch in one region (the DR region, where the replica
 * and its metrics live, so it answers while the home region is down). Reads are plain
 * DescribeDBInstances and GetMetricStatistics; the one change is PromoteReadReplica, which
 * deletes nothing.
 */
export class RdsReplica implements ReplicaPort {
    private readonly pollDelays: PollDelays;

    constructor(
        private readonly rds: RDSClient,
        private readonly cloudwatch: CloudWatchClient,
        /** The region of both clients. */
        public readonly region: string,
        options: RdsDatabaseOptions = {},
        /** Now, for the lag query's window. @default the wall clock */
        private readonly now: () => Date = () => new Date(),
    ) {
        this.pollDelays = options.pollDelays ?? DEFAULT_POLL_DELAYS;
    }

    /** The instance as DescribeDBInstances has it, or undefined when it does not exist here. */
    public async describeReplica(identifier: string): Promise<ReadReplica | undefined> {
        requireIdentifier("identifier", identifier);
        const instance = await this.describeRaw(identifier);
        return instance && toReadReplica(instance);
    }

    /**
     * The newest `ReplicaLag` datapoint (namespace `AWS/RDS`, dimension `DBInstanceIdentifier`,
     * unit Seconds: RDS user guide, "Amazon CloudWatch metrics for Amazon RDS") in the window,
     * by GetMetricStatistics with the Maximum of each minute: the worst lag of the minute is the
     * one the RPO must assume.
     */
    public async replicaLag(
        identifier: string,
        windowMinutes: number,
    ): Promise<ReplicaLagDatapoint | undefined> {
        requireIdentifier("identifier", identifier);
        if (!Number.isInteger(windowMinutes) || windowMinutes < 1) {
            throw new Error(
                `windowMinutes must be a whole number of at least 1; got ${String(windowMinutes)}`,
            );
        }
        const end = this.now();
        const { Datapoints = [] } = await this.cloudwatch.send(
            new GetMetricStatisticsCommand({
                Namespace: "AWS/RDS",
                MetricName: "ReplicaLag",
                Dimensions: [{ Name: "DBInstanceIdentifier", Value: identifier }],
                StartTime: new Date(end.getTime() - windowMinutes * 60_000),
                EndTime: end,
                Period: LAG_PERIOD_SECONDS,
                Statistics: ["Maximum"],
                Unit: "Seconds",
            }),
        );
        const newest = Datapoints.filter(
            (d) => d.Timestamp instanceof Date && typeof d.Maximum === "number" && Number.isFinite(d.Maximum),
        ).sort((a, b) => (b.Timestamp as Date).getTime() - (a.Timestamp as Date).getTime())[0];
        return newest ? { seconds: newest.Maximum as number, at: newest.Timestamp as Date } : undefined;
    }

    /**
     * PromoteReadReplica (RDS API reference) with BackupRetentionPeriod: its default is 1 day,
     * so it is always passed, and never 0, which "disables automated backups".
     */
    public async promote(identifier: string, backupRetentionDays: number): Promise<void> {
        requireIdentifier("identifier", identifier);
        if (
            !Number.isInteger(backupRetentionDays) ||
            backupRetentionDays < 1 ||
            backupRetentionDays > MAX_BACKUP_RETENTION_DAYS
        ) {
            throw new Error(
                `backupRetentionDays must be a whole number from 1 to ${MAX_BACKUP_RETENTION_DAYS} (PromoteReadReplica's range, without 0, which disables PITR); got ${String(backupRetentionDays)}`,
            );
        }
        try {
            await this.rds.send(
                new PromoteReadReplicaCommand({
                    DBInstanceIdentifier: identifier,
                    BackupRetentionPeriod: backupRetentionDays,
                }),
            );
        } catch (error) {
            throw new Error(
                `promotion of the read replica ${identifier} in ${this.region} was refused: ${messageOf(error)}; ` +
                    `check it with: ${describeInstanceCommand(this.region, identifier)}`,
                { cause: error },
            );
        }
    }

    /**
     * The SDK waiter `waitUntilDBInstanceAvailable` (success when every described instance is
     * `available`; failure on `deleted`, `deleting`, `failed`, `incompatible-restore`,
     * `incompatible-parameters`: @aws-sdk/client-rds waiters/waitForDBInstanceAvailable), then a
     * describe: an instance still naming a replica source is waited for again until the timeout.
     */
    public async waitPromoted(identifier: string, timeoutMinutes: number): Promise<void> {
        waiterSettings(this.rds, timeoutMinutes, this.pollDelays);
        const started = Date.now();
        const deadline = started + timeoutMinutes * 60_000;
        await this.describeRaw(identifier);
        for (;;) {
            const remainingMinutes = Math.max((deadline - Date.now()) / 60_000, 1 / 60);
            try {
                await waitUntilDBInstanceAvailable(
                    waiterSettings(this.rds, remainingMinutes, this.pollDelays),
                    { DBInstanceIdentifier: identifier },
                );
            } catch (error) {
                const status = (await this.describeRaw(identifier).catch(() => undefined))?.DBInstanceStatus;
                throw waitError(
                    `the promoted replica ${identifier}`,
                    { timeoutMinutes, started },
                    status,
                    describeInstanceCommand(this.region, identifier),
                    error,
                );
            }
            const instance = await this.describeRaw(identifier);
            if (instance && !instance.ReadReplicaSourceDBInstanceIdentifier) {
                return;
            }
            if (Date.now() >= deadline) {
                throw new Error(
                    `${identifier} is available but still a read replica of ${String(instance?.ReadReplicaSourceDBInstanceIdentifier)} ` +
                        `after ${timeoutMinutes} minutes; check it with: ${describeInstanceCommand(this.region, identifier)}; ` +
                        "once it is standalone, run the same command again to resume",
                );
            }
            await new Promise((resolve) => setTimeout(resolve, this.pollDelays.minDelaySeconds * 1000));
        }
    }

    private describeRaw(identifier: string): Promise<DBInstance | undefined> {
        return describeDbInstance(this.rds, identifier);
    }
}

/** The port's view of an instance: a replica source and replication status only while it is one. */
function toReadReplica(instance: DBInstance): ReadReplica {
    const endpoint = instance.Endpoint?.Address
        ? `${instance.Endpoint.Address}:${instance.Endpoint.Port ?? POSTGRES_PORT}`
        : undefined;
    const replication = (instance.StatusInfos ?? []).find((s) => s.StatusType === "read replication");
    const source = instance.ReadReplicaSourceDBInstanceIdentifier || undefined;
    return {
        identifier: instance.DBInstanceIdentifier ?? "",
        arn: instance.DBInstanceArn ?? "",
        status: instance.DBInstanceStatus ?? "unknown",
        ...(source ? { source } : {}),
        ...(source && replication?.Status ? { replicationStatus: replication.Status } : {}),
        ...(endpoint ? { endpoint } : {}),
    };
}
