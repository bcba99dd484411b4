// RdsReplica against mocked RDS and CloudWatch: what moto 5.2 cannot show (replica.moto.test.ts
// lists it): a promoted instance without a replica source, StatusInfos, the states a promotion
// passes through, RDS's refusal of a promotion, and the checks made before any call.
import * as assert from "assert";
import { CloudWatchClient, GetMetricStatisticsCommand } from "@aws-sdk/client-cloudwatch";
import {
    DescribeDBInstancesCommand,
    InvalidDBInstanceStateFault,
    PromoteReadReplicaCommand,
    RDSClient,
} from "@aws-sdk/client-rds";
import { RdsReplica } from "../../../../automation/adapters/aws/replica";
import { mockInstance } from "../../../support/mock-client";
import { assertNoDeletingCommand } from "../../../support/nothing-deleted";
import { DR, FAST, HOME, meta, rawInstance, SHORT_WAIT_MINUTES, SOURCE, stubRds } from "./database-fixtures";

const REPLICA = "webank-db-replica";
/** ReadReplicaSourceDBInstanceIdentifier of a cross-Region replica: the source's ARN. */
const SOURCE_ARN = `arn:aws:rds:${HOME}:123456789012:db:${SOURCE}`;
const NOW = new Date("2026-11-25T03:00:00Z");
/** A replica as DescribeDBInstances answers it while it replicates (DBInstanceStatusInfo). */
const replicating = (status = "available") =>
    rawInstance(REPLICA, status, {
        ReadReplicaSourceDBInstanceIdentifier: SOURCE_ARN,
        StatusInfos: [{ StatusType: "read replication", Normal: true, Status: "replicating" }],
    });

describe("automation/aws/replica: RdsReplica", () => {
    let client: RDSClient;
    let rds: ReturnType<typeof stubRds>["rds"];
    let cloudwatch: CloudWatchClient;
    let metrics: ReturnType<typeof mockInstance<CloudWatchClient>>;
    const port = () => new RdsReplica(client, cloudwatch, DR, FAST, () => NOW);
    beforeEach(() => {
        ({ client, rds } = stubRds());
        cloudwatch = new CloudWatchClient({ region: DR });
        metrics = mockInstance(cloudwatch);
    });
    afterEach(() => assertNoDeletingCommand(rds));

    it("describes a replicating replica with its source and replication status; a standalone one with neither", async () => {
        rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: REPLICA }).resolves({
            DBInstances: [replicating()],
        });
        assert.deepStrictEqual(await port().describeReplica(REPLICA), {
            identifier: REPLICA,
            arn: `arn:aws:rds:${DR}:123456789012:db:${REPLICA}`,
            status: "available",
            source: SOURCE_ARN,
            replicationStatus: "replicating",
            endpoint: `${REPLICA}.abc.${DR}.rds.amazonaws.com:5432`,
        });
        rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: REPLICA }).resolves({
            DBInstances: [rawInstance(REPLICA)],
        });
        const standalone = await port().describeReplica(REPLICA);
        assert.strictEqual(standalone?.source, undefined);
        assert.strictEqual(standalone?.replicationStatus, undefined);
        assert.strictEqual(await port().describeReplica("webank-nothing"), undefined);
        await assert.rejects(port().describeReplica("bad--name"), /identifier must be an RDS identifier/);
    });

    it("asks CloudWatch for the AWS/RDS ReplicaLag of this instance, per minute, and takes the newest datapoint", async () => {
        metrics.on(GetMetricStatisticsCommand).resolves({
            Datapoints: [
                { Timestamp: new Date("2026-11-25T02:57:00Z"), Maximum: 80, Unit: "Seconds" },
                { Timestamp: new Date("2026-11-25T02:59:00Z"), Maximum: 12, Unit: "Seconds" },
                { Timestamp: new Date("2026-11-25T02:58:00Z"), Maximum: 40, Unit: "Seconds" },
            ],
        });
        assert.deepStrictEqual(await port().replicaLag(REPLICA, 10), {
            seconds: 12,
            at: new Date("2026-11-25T02:59:00Z"),
        });
        const [call] = metrics.commandCalls(GetMetricStatisticsCommand);
        assert.deepStrictEqual(call.args[0].input, {
            Namespace: "AWS/RDS",
            MetricName: "ReplicaLag",
            Dimensions: [{ Name: "DBInstanceIdentifier", Value: REPLICA }],
            StartTime: new Date("2026-11-25T02:50:00Z"),
            EndTime: NOW,
            Period: 60,
            Statistics: ["Maximum"],
            Unit: "Seconds",
        });
    });

    it("answers undefined, never 0, when CloudWatch has no datapoint; refuses a window that is not whole minutes", async () => {
        metrics.on(GetMetricStatisticsCommand).resolves({ Datapoints: [] });
        assert.strictEqual(await port().replicaLag(REPLICA, 10), undefined);
        metrics.on(GetMetricStatisticsCommand).resolves({});
        assert.strictEqual(await port().replicaLag(REPLICA, 10), undefined);
        for (const bad of [0, -1, 2.5]) {
            await assert.rejects(
                port().replicaLag(REPLICA, bad),
                /windowMinutes must be a whole number of at least 1/,
            );
        }
    });

    it("promotes with the backup retention it is given, and refuses one without PITR before any call", async () => {
        rds.on(PromoteReadReplicaCommand).resolves({ DBInstance: replicating("modifying") });
        await port().promote(REPLICA, 35);
        assert.deepStrictEqual(rds.commandCalls(PromoteReadReplicaCommand)[0].args[0].input, {
            DBInstanceIdentifier: REPLICA,
            BackupRetentionPeriod: 35,
        });
        for (const bad of [0, 36, 1.5]) {
            await assert.rejects(
                port().promote(REPLICA, bad),
                /backupRetentionDays must be a whole number from 1 to 35/,
            );
        }
        assert.strictEqual(rds.commandCalls(PromoteReadReplicaCommand).length, 1);
    });

    it("says what RDS refused and how to check it (InvalidDBInstanceState: not a replica)", async () => {
        rds.on(PromoteReadReplicaCommand).rejects(
            new InvalidDBInstanceStateFault({ message: "DB Instance is not a read replica.", ...meta }),
        );
        await assert.rejects(
            port().promote(REPLICA, 35),
            /promotion of the read replica webank-db-replica in us-west-2 was refused: DB Instance is not a read replica\.; check it with: aws rds describe-db-instances --region us-west-2 --db-instance-identifier webank-db-replica/,
        );
    });

    it("waits through a promotion until the instance is available and standalone", async () => {
        rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: REPLICA })
            // Right after PromoteReadReplica RDS may still describe an available replica.
            .resolvesOnce({ DBInstances: [replicating()] })
            .resolvesOnce({ DBInstances: [replicating()] })
            .resolvesOnce({ DBInstances: [replicating()] })
            .resolvesOnce({ DBInstances: [rawInstance(REPLICA, "modifying")] })
            .resolvesOnce({ DBInstances: [rawInstance(REPLICA, "rebooting")] })
            .resolves({ DBInstances: [rawInstance(REPLICA)] });
        await port().waitPromoted(REPLICA, 1);
        assert.ok(rds.commandCalls(DescribeDBInstancesCommand).length >= 6);
    });

    it("gives up when the instance stays a replica, saying what to check and that rerunning resumes", async () => {
        rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: REPLICA }).resolves({
            DBInstances: [replicating()],
        });
        await assert.rejects(
            port().waitPromoted(REPLICA, SHORT_WAIT_MINUTES),
            /webank-db-replica is available but still a read replica of arn:aws:rds:us-east-1:123456789012:db:webank-db .*run the same command again to resume/,
        );
    });

    it("stops waiting when the promotion fails (the waiter's failure states), naming the status", async () => {
        rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: REPLICA }).resolves({
            DBInstances: [rawInstance(REPLICA, "failed")],
        });
        await assert.rejects(
            port().waitPromoted(REPLICA, 1),
            /the promoted replica webank-db-replica stopped short of available after .* its status is failed/,
        );
    });
});
