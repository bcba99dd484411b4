import * as assert from "assert";
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import {
    CreateDBInstanceReadReplicaCommand,
    DescribeDBInstancesCommand,
    RDSClient,
} from "@aws-sdk/client-rds";
import { RdsReplica } from "../../../../automation/adapters/aws/replica";
import { awsCliVersion } from "../../../support/aws-cli";
import {
    MotoServer,
    motoClientConfig,
    motoPrimaryDatabase,
    motoVersion,
    startMoto,
} from "../../../support/moto";
import { requirePeer } from "../../../support/peers";

const HOME = "us-east-1";
const DR = "us-west-2";
const SOURCE = "webank-db";
const REPLICA = "webank-db-replica";
const FAST = { pollDelays: { minDelaySeconds: 0.001, maxDelaySeconds: 0.002 } };

/**
 * RdsReplica against moto's RDS and CloudWatch: a cross-Region read replica made as the dr
 * stack makes it (CreateDBInstanceReadReplica in the DR region, the source named by its ARN),
 * described, its ReplicaLag read back after put-metric-data, and PromoteReadReplica with the
 * backup retention. Gaps of moto 5.2, kept with the mocks of replica.test.ts: after
 * PromoteReadReplica it still reports ReadReplicaSourceDBInstanceIdentifier (RDS drops it: a
 * promoted instance is standalone), so waitPromoted would wait for ever here; it promotes a
 * non-replica without InvalidDBInstanceState; it answers every instance `available` at once
 * and gives no StatusInfos; it answers PromoteReadReplica of a missing instance with an HTML
 * error page, not DBInstanceNotFound; and it accepts PutMetricData into `AWS/RDS`, which only RDS itself
 * writes in AWS ("you should not specify a namespace that begins with AWS/", CloudWatch API
 * reference, PutMetricData): here it stands in for what RDS publishes.
 */
describe("automation/aws/replica: RdsReplica against moto (peer)", function () {
    this.timeout(60_000);
    let moto: MotoServer | undefined;
    let home: RDSClient;
    let rds: RDSClient;
    let cloudwatch: CloudWatchClient;
    let now = new Date();

    before(async function () {
        requirePeer(this, "moto (python3 -m moto.server)", motoVersion());
        requirePeer(this, "the AWS CLI", awsCliVersion());
        moto = await startMoto();
        home = await motoPrimaryDatabase(moto.endpoint, HOME, SOURCE, "db.r6g.large");
        rds = new RDSClient(motoClientConfig(moto.endpoint, DR));
        cloudwatch = new CloudWatchClient(motoClientConfig(moto.endpoint, DR));
        const { DBInstances = [] } = await home.send(
            new DescribeDBInstancesCommand({ DBInstanceIdentifier: SOURCE }),
        );
        await rds.send(
            new CreateDBInstanceReadReplicaCommand({
                DBInstanceIdentifier: REPLICA,
                SourceDBInstanceIdentifier: DBInstances[0].DBInstanceArn,
                DBInstanceClass: "db.r6g.large",
            }),
        );
    });
    after(async () => {
        home?.destroy();
        rds?.destroy();
        cloudwatch?.destroy();
        await moto?.stop();
    });
    const port = () => new RdsReplica(rds, cloudwatch, DR, FAST, () => now);
    const putLag = (seconds: number, at: Date, identifier = REPLICA) =>
        cloudwatch.send(
            new PutMetricDataCommand({
                Namespace: "AWS/RDS",
                MetricData: [
                    {
                        MetricName: "ReplicaLag",
                        Dimensions: [{ Name: "DBInstanceIdentifier", Value: identifier }],
                        Value: seconds,
                        Unit: "Seconds",
                        Timestamp: at,
                    },
                ],
            }),
        );

    it("describes the cross-Region replica with its source's ARN, and nothing for a missing one", async () => {
        const replica = await port().describeReplica(REPLICA);
        assert.strictEqual(replica?.identifier, REPLICA);
        assert.strictEqual(replica?.status, "available");
        assert.strictEqual(replica?.source, `arn:aws:rds:${HOME}:123456789012:db:${SOURCE}`);
        assert.match(replica?.arn ?? "", /^arn:aws:rds:us-west-2:\d{12}:db:webank-db-replica$/);
        assert.strictEqual(await port().describeReplica("webank-nothing"), undefined);
    });

    it("reads the newest ReplicaLag datapoint of the window, of this instance only; none is undefined", async () => {
        now = new Date();
        assert.strictEqual(
            await port().replicaLag(REPLICA, 10),
            undefined,
            "no datapoint: unknown, not zero",
        );
        const minutesAgo = (m: number) => new Date(Math.floor(now.getTime() / 60_000) * 60_000 - m * 60_000);
        await putLag(300, minutesAgo(30)); // outside the window
        assert.strictEqual(await port().replicaLag(REPLICA, 10), undefined);
        await putLag(12, minutesAgo(4));
        await putLag(37, minutesAgo(2));
        await putLag(999, minutesAgo(1), "webank-other-replica");
        const lag = await port().replicaLag(REPLICA, 10);
        assert.strictEqual(lag?.seconds, 37);
        assert.strictEqual(lag?.at.toISOString(), minutesAgo(2).toISOString());
    });

    it("promotes with the backup retention, so the promoted instance keeps PITR", async () => {
        // The primary keeps 35 days, and so its replica: 14 shows the request's value arrived.
        await port().promote(REPLICA, 14);
        const { DBInstances = [] } = await rds.send(
            new DescribeDBInstancesCommand({ DBInstanceIdentifier: REPLICA }),
        );
        assert.strictEqual(DBInstances[0].BackupRetentionPeriod, 14);
    });
});
