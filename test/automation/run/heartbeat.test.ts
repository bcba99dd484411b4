import * as assert from "assert";
import { startHeartbeat } from "../../../automation/run/heartbeat";
import type { Journal } from "../../../automation/run/journal";
import type { RunPlan } from "../../../automation/run/runner";
import type { Step } from "../../../automation/run/steps";
import type { RecoveryPorts } from "../../../automation/ports";

const START = new Date("2026-12-02T03:00:00.000Z");

/** A step of the heartbeat's view: only what it prints. */
function step(name: string, timeoutMinutes?: number): Step {
    return {
        name,
        after: [],
        readOnly: false,
        describe: `await ${name}`,
        timeoutMinutes,
        run: () => Promise.resolve(""),
    };
}

describe("automation/run/heartbeat", () => {
    it("names each awaited step, its elapsed time and its timeout, or says it has none", () => {
        const lines: string[] = [];
        const beats: Date[] = [];
        let now = START.getTime();
        let tick: () => void = () => assert.fail("no timer was set");
        const ports = {
            output: (line: string) => lines.push(line),
            now: () => new Date(now),
            timers: { every: (_ms: number, run: () => void) => ((tick = run), () => undefined) },
        } as unknown as RecoveryPorts;
        const journal = {
            document: { startedAt: START.toISOString() },
            heartbeat: (at: Date) => (beats.push(at), Promise.resolve()),
        } as unknown as Journal;
        const plan = { projectedRtoMinutes: 40 } as unknown as RunPlan;
        const heartbeat = startHeartbeat(ports, journal, plan, 30_000);
        heartbeat.started(step("up"), now);
        heartbeat.started(step("wait-platform", 20), now);
        now += 95_000;
        tick();
        assert.deepStrictEqual(lines, [
            "...   up: waiting 1m35s (no timeout of its own): await up",
            "...   wait-platform: waiting 1m35s (timeout 20 min): await wait-platform",
            "...   run elapsed 1.6 min of the projected RTO of 40.0 min",
        ]);
        assert.deepStrictEqual(beats, [new Date(now)], "the journal hears a sign of life");
        heartbeat.ended(step("up"));
        lines.length = 0;
        tick();
        assert.strictEqual(
            lines.filter((line) => line.includes(" up:")).length,
            0,
            "an ended step is not awaited",
        );
    });
});
