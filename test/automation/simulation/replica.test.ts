import * as assert from "assert";
import { primaryDatabaseIdentifier, replicaDatabaseIdentifier } from "../../../lib/naming";
import { homeHeartbeatSource } from "../../../automation/commands/shared/restored-data";
import { VirtualClock } from "../../../automation/simulation/clock";
import { isReadReplica, setReplicaLag } from "../../../automation/simulation/replica";
import { standardWorld } from "../../../automation/simulation/standard-world";
import { CONFIG, MINUTE, NOW, rejection, world } from "./support";

/*
 * The simulated hot standby tells RDS's truth: a replica names its source's ARN until it is
 * promoted; a promotion takes the time `background.rds.promote` gives, `modifying` meanwhile;
 * RDS's refusals carry their codes; and the dr program keeps the replica before activation and
 * takes the promoted instance (never a second one) after.
 */

const REPLICA = replicaDatabaseIdentifier(CONFIG.prefix);
const SOURCE_ARN = `arn:aws:rds:${CONFIG.homeRegion}:123456789012:db:${primaryDatabaseIdentifier(CONFIG.prefix)}`;
const hotWorld = () => world({ posture: "hot" });

describe("automation/simulation: the hot standby's read replica", () => {
    it("is seeded only in hot, as a replicating replica of the primary with a lag datapoint of the last minute", async () => {
        assert.strictEqual(
            await world({ posture: "warm" }).ports().dr.replica.describeReplica(REPLICA),
            undefined,
        );
        const replica = hotWorld().ports().dr.replica;
        const seen = await replica.describeReplica(REPLICA);
        assert.strictEqual(seen?.source, SOURCE_ARN);
        assert.strictEqual(seen?.replicationStatus, "replicating");
        assert.strictEqual(seen?.status, "available");
        assert.match(
            seen?.endpoint ?? "",
            /^webank-db-replica\.[a-z0-9]{12}\.us-west-2\.rds\.amazonaws\.com:5432$/,
        );
        const lag = await replica.replicaLag(REPLICA, 10);
        assert.deepStrictEqual(lag, { seconds: 45, at: new Date(NOW.getTime() - MINUTE) });
    });

    it("has no lag datapoint for an instance that is not a replica, nor once the test removes it", async () => {
        const w = hotWorld();
        const replica = w.ports().dr.replica;
        assert.strictEqual(await replica.replicaLag("webank-db-other", 10), undefined);
        setReplicaLag(w, REPLICA, undefined);
        assert.strictEqual(await replica.replicaLag(REPLICA, 10), undefined);
        assert.throws(() => setReplicaLag(w, "webank-db-other", 5), /is not a read replica/);
    });

    it("promotes: modifying for background.rds.promote, then available and standalone, holding the data up to the lag", async () => {
        const clock = new VirtualClock(NOW);
        const w = standardWorld(CONFIG, {
            now: NOW,
            posture: "hot",
            clock: () => clock.now(),
            durations: (operation) => (operation === "background.rds.promote" ? 12 * MINUTE : 0),
            sleep: (ms) => clock.sleep(ms),
            every: (ms, tick) => clock.every(ms, tick),
        });
        const replica = w.ports().dr.replica;
        await replica.promote(REPLICA, 35);
        const during = await replica.describeReplica(REPLICA);
        assert.strictEqual(during?.status, "modifying");
        assert.strictEqual(during?.source, undefined, "a promoted instance has no replica source");
        assert.strictEqual(during?.replicationStatus, undefined);
        await clock.drive(replica.waitPromoted(REPLICA, 60));
        assert.strictEqual(clock.now().getTime() - NOW.getTime(), 12 * MINUTE);
        const promoted = await replica.describeReplica(REPLICA);
        assert.strictEqual(promoted?.status, "available");
        // Promoted at 03:00 with a lag of 45 s: the home beats up to 02:59:15 arrived, the newest 02:59.
        const data = await w.ports().dr.data.read({
            identifier: REPLICA,
            endpoint: promoted.endpoint!,
            database: CONFIG.database.name,
            heartbeatSource: homeHeartbeatSource(CONFIG),
        });
        assert.strictEqual(data.newestBeat?.toISOString(), "2026-11-25T02:59:00.000Z");
        assert.deepStrictEqual(w.changes, [
            `dr rds promote ${REPLICA} (backup retention 35 days, by PromoteReadReplica)`,
        ]);
    });

    it("refuses, with RDS's codes, to promote what is not an available replica", async () => {
        const w = hotWorld();
        const replica = w.ports().dr.replica;
        assert.match(await rejection(replica.promote("webank-db-gone", 35)), /^DBInstanceNotFound: /);
        w.dr.instances.set(REPLICA, { ...w.dr.instances.get(REPLICA)!, status: "backing-up" });
        assert.match(
            await rejection(replica.promote(REPLICA, 35)),
            /^InvalidDBInstanceState: .* is backing-up, not available/,
        );
        w.dr.instances.set(REPLICA, { ...w.dr.instances.get(REPLICA)!, status: "available" });
        await replica.promote(REPLICA, 35);
        assert.match(
            await rejection(replica.promote(REPLICA, 35)),
            /^InvalidDBInstanceState: .* is not a read replica/,
        );
        assert.strictEqual(w.changes.filter((c) => c.includes("promote")).length, 1);
    });

    it("does not wait for a promotion that was never started", async () => {
        const message = await rejection(hotWorld().ports().dr.replica.waitPromoted(REPLICA, 60));
        assert.match(message, /was not available and standalone after 60 minutes \(status available\)/);
    });

    it("dr program: an up before activation keeps the replica (and makes it when missing); once activated it takes the promoted instance", async () => {
        const w = hotWorld();
        const dr = await w.ports().workspace.selectStack("dr");
        const outputs = await dr.up({ onOutput: () => undefined });
        assert.strictEqual(outputs.clusterName, "webank-dr", "hot runs warm's cluster");
        assert.strictEqual(outputs.dbEndpoint, undefined);
        assert.ok(isReadReplica(w, "dr", REPLICA));
        w.dr.instances.delete(REPLICA);
        await dr.up({ onOutput: () => undefined });
        assert.ok(isReadReplica(w, "dr", REPLICA), "the declared replica is created again");
        await w.ports().dr.replica.promote(REPLICA, 35);
        await dr.setConfig({ "webank:activated": "true" });
        const activated = await dr.up({ onOutput: () => undefined });
        assert.strictEqual(activated.dbEndpoint, w.dr.instances.get(REPLICA)!.endpoint);
        assert.deepStrictEqual([...w.dr.instances.keys()], [REPLICA], "no restored instance beside it");
        assert.strictEqual(
            w.changes.filter((c) => c.includes("promote")).length,
            1,
            "not promoted again by up",
        );
    });

    it("dr program: an activated up that finds the replica still replicating promotes it, as the provider does", async () => {
        const w = hotWorld();
        const dr = await w.ports().workspace.selectStack("dr");
        await dr.setConfig({ "webank:activated": "true" });
        await dr.up({ onOutput: () => undefined });
        assert.ok(!isReadReplica(w, "dr", REPLICA));
        assert.ok(
            w.changes.includes(
                `dr rds promote ${REPLICA} (backup retention ${CONFIG.database.backupRetentionDays} days, by pulumi up)`,
            ),
        );
        assert.strictEqual(w.dr.instances.get(REPLICA)!.status, "available", "up waits for the promotion");
    });
});
