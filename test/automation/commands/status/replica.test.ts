import * as assert from "assert";
import type { StackConfig } from "../../../../config/stack-config";
import { setReplicaLag } from "../../../../automation/simulation/replica";
import { standardWorld } from "../../../../automation/simulation/standard-world";
import { replicaDatabaseIdentifier } from "../../../../lib/naming";
import { useTempDir } from "../../../support/temp-dir";
import { NOW, row, statusDocument, WITH_DNS } from "./support";

/*
 * status in the hot posture: a row for the read replica, judged as the failover projects its
 * RPO (the newest ReplicaLag datapoint, the last replayed transaction) against the database
 * RPO; an unknown lag is MISSING, never ok. Pilot and warm have no such row.
 */

/** WITH_DNS as a hot standby with a 5-minute database objective (what only hot can promise). */
const HOT: StackConfig = {
    ...WITH_DNS,
    dr: { ...WITH_DNS.dr, posture: "hot" },
    objectives: { ...WITH_DNS.objectives, database: { ...WITH_DNS.objectives.database, rpoMinutes: 5 } },
};
const REPLICA = replicaDatabaseIdentifier(HOT.prefix);

describe("status: the hot standby's read replica", () => {
    const workDir = useTempDir("status-replica-");
    const status = (world: ReturnType<typeof standardWorld>) =>
        statusDocument(world, { config: HOT, workDir: workDir() });

    it("is ok while the replica's lag is inside the database RPO", async () => {
        const world = standardWorld(HOT, { now: NOW, posture: "hot" });
        setReplicaLag(world, REPLICA, 45);
        const { doc } = await status(world);
        const replica = row(doc, "database-replica");
        assert.strictEqual(replica.verdict, "ok", JSON.stringify(replica));
        assert.strictEqual(replica.limitMinutes, 5);
        assert.ok(replica.behindMinutes !== null && replica.behindMinutes <= 5, JSON.stringify(replica));
        assert.deepStrictEqual(world.changes, []);
    });

    it("is STALE, and status NOT READY, once the lag is past the database RPO", async () => {
        const world = standardWorld(HOT, { now: NOW, posture: "hot" });
        setReplicaLag(world, REPLICA, 6 * 60);
        const { code, doc } = await status(world);
        assert.strictEqual(row(doc, "database-replica").verdict, "STALE");
        assert.strictEqual(doc.verdict, "not-ready");
        assert.strictEqual(code, 1);
    });

    it("is MISSING when CloudWatch has no datapoint or reports -1: an unknown lag is not zero", async () => {
        for (const seconds of [undefined, -1]) {
            const world = standardWorld(HOT, { now: NOW, posture: "hot" });
            setReplicaLag(world, REPLICA, seconds);
            const { doc } = await status(world);
            assert.strictEqual(row(doc, "database-replica").verdict, "MISSING", String(seconds));
            assert.match(row(doc, "database-replica").note, /unknown/);
        }
    });

    it("has no replica row in the pilot posture", async () => {
        const world = standardWorld(WITH_DNS, { now: NOW });
        const { doc } = await statusDocument(world, { workDir: workDir() });
        assert.ok(!doc.assets.some((r) => r.id === "database-replica"));
    });
});
