import * as assert from "assert";
import { DescribeDBInstancesCommand, ListTagsForResourceCommand, RDSClient } from "@aws-sdk/client-rds";
import {
    RdsDatabase,
    RESTORE_POINT_TAG,
    RESTORED_FROM_TAG,
} from "../../../../automation/adapters/aws/database";
import { awsCliVersion } from "../../../support/aws-cli";
import { MotoServer, motoPrimaryDatabase, motoVersion, startMoto } from "../../../support/moto";
import { requirePeer } from "../../../support/peers";

const REGION = "us-east-1";
const SOURCE = "webank-db";
const FAST = { pollDelays: { minDelaySeconds: 0.001, maxDelaySeconds: 0.002 } };

/**
 * RdsDatabase against moto's RDS: the in-place point-in-time restore (`restore db`), its
 * idempotent re-run, the cut-over rename, the waiter and a manual snapshot, over the real
 * Query protocol and RDS's XML answers. Gaps, kept with the mocks of database.test.ts (and database-snapshots.test.ts): moto
 * 5.2 answers every instance `available` at once (no `creating` to wait through), leaves
 * PubliclyAccessible out of its answer (the request's `false` is checked there), and has no
 * automated backups replicated across regions (the failover's source).
 */
describe("automation/aws/database: RdsDatabase against moto (peer)", function () {
    this.timeout(60_000);
    let moto: MotoServer | undefined;
    let rds: RDSClient;

    before(async function () {
        requirePeer(this, "moto (python3 -m moto.server)", motoVersion());
        requirePeer(this, "the AWS CLI", awsCliVersion());
        moto = await startMoto();
        rds = await motoPrimaryDatabase(moto.endpoint, REGION, SOURCE, "db.r6g.large");
    });
    after(async () => {
        rds?.destroy();
        await moto?.stop();
    });
    const port = () => new RdsDatabase(rds, REGION, FAST);

    it("describes the source as RDS answers it", async () => {
        const source = await port().describeInstance(SOURCE);
        assert.strictEqual(source?.identifier, SOURCE);
        assert.strictEqual(source?.instanceClass, "db.r6g.large");
        assert.strictEqual(source?.subnetGroupName, "webank-db");
        assert.strictEqual(source?.multiAz, true);
        assert.match(source?.arn ?? "", /^arn:aws:rds:us-east-1:\d{12}:db:webank-db$/);
        assert.strictEqual(await port().describeInstance("webank-nothing"), undefined);
    });

    it("restores in place to a point in time like the source, protected, private and tagged; a re-run changes nothing", async () => {
        const source = (await port().describeInstance(SOURCE))!;
        const time = new Date(Date.now() - 10 * 60_000);
        await port().restoreToPointInTime(SOURCE, "webank-db-restored-1", time, source);
        await port().restoreToPointInTime(SOURCE, "webank-db-restored-1", time, source);
        const { DBInstances = [] } = await rds.send(
            new DescribeDBInstancesCommand({ DBInstanceIdentifier: "webank-db-restored-1" }),
        );
        assert.strictEqual(DBInstances.length, 1);
        const [restored] = DBInstances;
        assert.strictEqual(restored.DeletionProtection, true);
        assert.strictEqual(restored.DBInstanceClass, "db.r6g.large");
        assert.strictEqual(restored.DBSubnetGroup?.DBSubnetGroupName, "webank-db");
        const { TagList = [] } = await rds.send(
            new ListTagsForResourceCommand({ ResourceName: restored.DBInstanceArn }),
        );
        const tags = Object.fromEntries(TagList.map((t) => [t.Key, t.Value]));
        assert.strictEqual(tags[RESTORED_FROM_TAG], SOURCE);
        assert.strictEqual(tags[RESTORE_POINT_TAG], time.toISOString());
        await port().waitAvailable("webank-db-restored-1", 1);
    });

    it("refuses to reuse an instance restored from another point", async () => {
        const source = (await port().describeInstance(SOURCE))!;
        await assert.rejects(
            port().restoreToPointInTime(
                SOURCE,
                "webank-db-restored-1",
                new Date(Date.now() - 60 * 60_000),
                source,
            ),
        );
    });

    it("renames for the cut-over, and a re-run after it is done changes nothing", async () => {
        const source = (await port().describeInstance(SOURCE))!;
        await port().restoreToPointInTime(SOURCE, "webank-db-restored-2", "latest", source);
        await port().renameInstance("webank-db-restored-2", "webank-db-cut-over");
        await port().renameInstance("webank-db-restored-2", "webank-db-cut-over");
        assert.ok(await port().describeInstance("webank-db-cut-over"));
        assert.strictEqual(await port().describeInstance("webank-db-restored-2"), undefined);
        await assert.rejects(port().renameInstance("webank-db-cut-over", SOURCE), /already exists/);
    });

    it("takes a manual snapshot and returns its ARN", async () => {
        const arn = await port().createSnapshot(SOURCE, "webank-db-before-restore", 1);
        assert.match(arn, /^arn:aws:rds:us-east-1:\d{12}:snapshot:webank-db-before-restore$/);
    });
});
