import * as assert from "assert";
import { judgeData } from "../../lib/heartbeat";

const TARGET = new Date("2026-12-03T03:00:00Z");
const minutesBefore = (m: number) => new Date(TARGET.getTime() - m * 60_000);
const expected = { target: TARGET, periodMinutes: 1, rpoMinutes: 5 };

describe("lib/heartbeat: judgeData", () => {
    it("passes a newest heartbeat within the objective plus one period, reporting the achieved RPO", () => {
        for (const lag of [0, 0.5, 5, 6]) {
            const verdict = judgeData(
                { heartbeatTable: true, newestBeat: minutesBefore(lag), beats: 10 },
                expected,
            );
            assert.strictEqual(verdict.ok, true, `${lag}: ${verdict.detail}`);
            assert.strictEqual(verdict.achievedRpoMinutes, lag);
        }
    });

    it("fails a newest heartbeat older than the objective plus one period (stale)", () => {
        for (const lag of [6.05, 30, 60 * 24]) {
            const verdict = judgeData(
                { heartbeatTable: true, newestBeat: minutesBefore(lag), beats: 10 },
                expected,
            );
            assert.strictEqual(verdict.ok, false, String(lag));
            assert.match(
                verdict.detail,
                /more than the RPO objective \(5 min\) plus one heartbeat period \(1 min\): stale data/,
            );
        }
    });

    it("fails a heartbeat from after the target beyond a minute of clock skew, and tolerates less", () => {
        assert.strictEqual(
            judgeData({ heartbeatTable: true, newestBeat: minutesBefore(-0.9), beats: 1 }, expected).ok,
            true,
        );
        const after = judgeData({ heartbeatTable: true, newestBeat: minutesBefore(-2), beats: 1 }, expected);
        assert.strictEqual(after.ok, false);
        assert.match(after.detail, /after the target .*not the point that was asked for/);
    });

    it("fails an empty or wrong database", () => {
        assert.match(
            judgeData({ heartbeatTable: false, beats: 0 }, expected).detail,
            /empty or not the platform's/,
        );
        const empty = judgeData({ heartbeatTable: true, beats: 0 }, expected);
        assert.strictEqual(empty.ok, false);
        assert.match(empty.detail, /is empty: no heartbeat was ever restored/);
    });
});
