import * as assert from "assert";
import { newRunId } from "../../../automation/run/runner";

/*
 * Run ids: the operation, the start to the millisecond and a nonce. The nonce is what keeps two
 * runs apart that start in one millisecond where neither can see the other's files (two
 * machines, or two processes on one simulated clock): the failover lock is re-entrant for its
 * holder's run id, so without it both would hold the lock.
 */
describe("automation/run: run ids", () => {
    const at = new Date("2026-11-25T03:00:00.000Z");

    it("names the operation, the start and the nonce, file-name safe", () => {
        assert.strictEqual(
            newRunId("failover", at, undefined, "a1b2c3"),
            "failover-2026-11-25T03-00-00-000Z-a1b2c3",
        );
    });

    it("gives two runs started in the same millisecond different ids", () => {
        const ids = new Set(Array.from({ length: 50 }, () => newRunId("failover", at)));
        assert.strictEqual(ids.size, 50);
        for (const id of ids) {
            assert.match(id, /^failover-2026-11-25T03-00-00-000Z-[0-9a-f]{6}$/);
        }
    });

    it("still counts up past ids this machine has used, so no report is overwritten", () => {
        const used = new Set([
            "failover-2026-11-25T03-00-00-000Z-a1b2c3",
            "failover-2026-11-25T03-00-00-000Z-a1b2c3-2",
        ]);
        assert.strictEqual(
            newRunId("failover", at, (id) => used.has(id), "a1b2c3"),
            "failover-2026-11-25T03-00-00-000Z-a1b2c3-3",
        );
    });
});
