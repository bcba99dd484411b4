import * as assert from "assert";
import { failoverBenchmark, upCriticalChain } from "../../../automation/bench/failover-bench";
import { failoverDurations } from "../../../automation/bench/duration-model";
import { simulateFailover } from "../../../automation/bench/simulate";
import { drStackConfig } from "../../../automation/commands/dr-config";

describe("automation/bench: the failover benchmark", () => {
    const config = drStackConfig();
    const durations = failoverDurations();

    for (const posture of ["pilot", "warm"] as const) {
        it(`projects a ${posture} failover, the concurrent plan beating the same steps one at a time`, async () => {
            const concurrent = await simulateFailover(config, posture, "concurrent", durations);
            const sequential = await simulateFailover(config, posture, "sequential", durations);
            assert.ok(concurrent.minutes > 10, `a failover takes real time: ${concurrent.minutes}`);
            assert.ok(
                concurrent.minutes < sequential.minutes,
                `${concurrent.minutes} should be below ${sequential.minutes}`,
            );
            assert.deepStrictEqual(concurrent.criticalPath.slice(-3), [
                "wait-platform",
                "verify",
                "resume-exports",
            ]);
            assert.strictEqual(concurrent.timeline.length, 13);
        });
    }

    it("keeps a warm standby faster than a pilot light", async () => {
        const pilot = await simulateFailover(config, "pilot", "concurrent", durations);
        const warm = await simulateFailover(config, "warm", "concurrent", durations);
        assert.ok(warm.minutes < pilot.minutes, `${warm.minutes} vs ${pilot.minutes}`);
    });

    it("names the chain inside pulumi up that decides its length", () => {
        const pilot = upCriticalChain("pilot");
        assert.match(pilot.names[0], /^eks-control-plane /);
        assert.ok(pilot.minutes >= 15);
    });

    it("prints the projected RTO of both postures and the sequential comparison", async () => {
        const text = (await failoverBenchmark(config)).join("\n");
        assert.match(text, /posture pilot\n  projected RTO \(concurrent\): \d+\.\d min/);
        assert.match(text, /posture warm\n  projected RTO \(concurrent\): \d+\.\d min/);
        assert.match(text, /same steps one at a time: +\d+\.\d min/);
    });
});
