import * as assert from "assert";
import { DescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import { RdsDatabase } from "../../../../automation/adapters/aws/database";
import type { DataPort } from "../../../../automation/ports";
import { cutOverNames } from "../../../../automation/commands/restore/database/names";
import { restoreDbDefinition } from "../../../../automation/commands/restore/database/definition";
import { standardWorld } from "../../../../automation/simulation/standard-world";
import { awsCliVersion } from "../../../support/aws-cli";
import { makeTempDir } from "../../../support/temp-dir";
import { MotoServer, motoPrimaryDatabase, motoVersion, startMoto } from "../../../support/moto";
import { requirePeer } from "../../../support/peers";
import { CONFIG, dispose, Harness, runWith, text } from "./support";

/*
 * `restore db` and its cut-over with the real RDS adapter against moto's RDS: the restore into
 * a new instance like the source, its wait and check, then the two renames of the cut-over,
 * over RDS's own Query protocol and answers. The rest of the account (journal mirror, reports,
 * notifications) stays simulated. The clock is the real one: moto's restorable times are.
 *
 * Gap: moto runs no PostgreSQL behind its instances, so the verify step's data check cannot
 * open the restored database here. Its data port answers as a restored copy whose newest
 * heartbeat is the last whole minute (what a restore to the latest point holds); the data
 * check itself runs against a real PostgreSQL in
 * test/automation/adapters/postgres-verifier.test.ts.
 */

const REGION = CONFIG.homeRegion;
const SOURCE = "webank-db";
const FAST = { pollDelays: { minDelaySeconds: 0.001, maxDelaySeconds: 0.002 } };

/** The data port of the gap above: a copy restored to the latest point, beating until now. */
const latestCopy: DataPort = {
    read: () =>
        Promise.resolve({
            heartbeatTable: true,
            newestBeat: new Date(Math.floor(Date.now() / 60_000) * 60_000),
            beats: 60,
        }),
};

describe("restore db through the real RDS adapter against moto (peer)", function () {
    this.timeout(120_000);
    let moto: MotoServer | undefined;
    let rds: RDSClient;
    let h: Harness | undefined;

    before(async function () {
        requirePeer(this, "moto (python3 -m moto.server)", motoVersion());
        requirePeer(this, "the AWS CLI", awsCliVersion());
        moto = await startMoto();
        rds = await motoPrimaryDatabase(moto.endpoint, REGION, SOURCE, CONFIG.database.instanceClass);
        const now = new Date();
        h = {
            dir: makeTempDir("restore-db-moto-"),
            world: standardWorld(CONFIG, { now, clock: () => new Date() }),
            config: CONFIG,
            clock: now,
        };
    });
    after(async () => {
        if (h) {
            dispose(h);
        }
        rds?.destroy();
        await moto?.stop();
    });
    const run = (values: Record<string, string | boolean>) => {
        const ports = h!.world.ports();
        return runWith(h!, restoreDbDefinition, values, undefined, {
            ...ports,
            home: { ...ports.home, database: new RdsDatabase(rds, REGION, FAST), data: latestCopy },
        });
    };
    const identifiers = async () =>
        ((await rds.send(new DescribeDBInstancesCommand({}))).DBInstances ?? [])
            .map((i) => i.DBInstanceIdentifier)
            .sort();

    it("restores the latest point into a new protected instance like the source, then cuts over by two renames", async () => {
        assert.strictEqual(await run({}), 0, text(h!));
        const created = (await identifiers()).filter((id) => id !== SOURCE);
        assert.strictEqual(created.length, 1, text(h!));
        // Named after the run's start minute, read back rather than guessed across a minute's turn.
        const target = created[0]!;
        const { replaced } = cutOverNames(CONFIG.prefix, target);
        assert.match(target, /^webank-db-r\d{12}$/);
        const [restored] = (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: target })))
            .DBInstances!;
        assert.strictEqual(restored.DeletionProtection, true);
        assert.strictEqual(restored.DBSubnetGroup?.DBSubnetGroupName, "webank-db");
        assert.strictEqual(restored.MultiAZ, true);
        assert.match(text(h!), /done  verify: /);

        h!.world.lines.length = 0;
        assert.strictEqual(await run({ "cut-over": true, "restored-instance": target }), 0, text(h!));
        assert.deepStrictEqual(
            await identifiers(),
            [SOURCE, replaced].sort(),
            "nothing deleted: the old one is kept renamed",
        );
        const [now] = (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: SOURCE })))
            .DBInstances!;
        assert.strictEqual(now.DBInstanceArn?.endsWith(`:db:${SOURCE}`), true);
    });
});
