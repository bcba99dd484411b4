import * as assert from "assert";
import {
    failoverBenchmark,
    projectRtoMinutes,
    upCriticalChain,
} from "../../../automation/bench/failover-bench";
import { failoverDurations } from "../../../automation/bench/duration-model";
import { DR_STACK_RESOURCES, FAILOVER_DURATIONS } from "../../../automation/bench/durations";
import { projectHotRto, simulatedHotFailover } from "../../../automation/bench/hot-projection";
import { simulateFailover, SimulatedFailover } from "../../../automation/bench/simulate";
import { upMinutes } from "../../../automation/bench/up-phases";
import { drStackConfig } from "../../../automation/commands/dr-config";

describe("automation/bench: the failover benchmark", () => {
    const config = drStackConfig();
    const durations = failoverDurations();
    let warm: SimulatedFailover;
    let text: string;
    before(async () => {
        warm = await simulateFailover(config, "warm", "concurrent", durations);
        text = (await failoverBenchmark(config)).join("\n");
    });

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
        assert.ok(warm.minutes < pilot.minutes, `${warm.minutes} vs ${pilot.minutes}`);
    });

    it("names the chain inside pulumi up that decides its length", () => {
        const pilot = upCriticalChain("pilot");
        assert.match(pilot.names[0], /^eks-control-plane /);
        assert.ok(pilot.minutes >= 15);
    });

    it("simulates hot with the failover command's own hot steps: the replica promoted, no restore", async () => {
        const simulated = await simulatedHotFailover(config, durations);
        assert.ok(simulated.run, simulated.why);
        const steps = simulated.run.timeline.map((t) => t.step);
        assert.ok(steps.includes("promote") && steps.includes("preflight-replica"), steps.join(", "));
        assert.ok(
            !steps.includes("wait-database") && !steps.includes("preflight-restore-point"),
            steps.join(", "),
        );
        assert.deepStrictEqual(simulated.run.criticalPath.slice(4, 7), ["promote", "refresh-database", "up"]);
        // Argo CD's applications were synced before the failover: the wait for them is a call,
        // where warm's lasts until Argo CD has synced the root app its up created.
        const waited = (run: SimulatedFailover) => {
            const t = run.timeline.find((s) => s.step === "wait-platform");
            return t ? (t.endedAt - t.startedAt) / 60_000 : NaN;
        };
        assert.ok(waited(simulated.run) < 0.1, `hot waited ${waited(simulated.run)} min`);
        assert.ok(waited(warm) >= 6, `warm waited ${waited(warm)} min`);
        assert.ok(simulated.run.minutes <= 10, `hot ${simulated.run.minutes} min`);
        assert.ok(simulated.run.minutes < warm.minutes, `${simulated.run.minutes} vs ${warm.minutes}`);
    });

    it("does not take a simulated run as hot unless it promotes the replica", async () => {
        const unpromoted: SimulatedFailover = { ...warm, posture: "hot" };
        const simulated = await simulatedHotFailover(config, durations, () => Promise.resolve(unpromoted));
        assert.strictEqual(simulated.run, undefined);
        assert.match(simulated.why ?? "", /has no step that promotes the replica/);
    });

    it("projects hot from the warm run with hot's refresh and up when no hot run promotes, and says so", async () => {
        const hot = await projectHotRto(config, durations, warm, () =>
            Promise.resolve({ why: "the simulated hot failover does not run: test" }),
        );
        assert.strictEqual(hot.source, "duration model");
        const read = FAILOVER_DURATIONS.pulumiRefreshRead.minutes;
        const expected =
            warm.minutes -
            upMinutes("warm") +
            upMinutes("hot") +
            (DR_STACK_RESOURCES.hot - DR_STACK_RESOURCES.warm) * read;
        assert.ok(Math.abs(hot.minutes - expected) < 1e-9, `${hot.minutes} vs ${expected}`);
        assert.ok(hot.minutes < warm.minutes, "no restore: hot is faster than warm");
        assert.ok(hot.boundMinutes >= hot.minutes);
        assert.ok(hot.whyNotSimulated);
    });

    it("takes hot's RTO from the simulated hot failover once one promotes", async () => {
        const promoted: SimulatedFailover = {
            ...warm,
            posture: "hot",
            minutes: 9.5,
            timeline: [
                ...warm.timeline,
                {
                    step: "promote-replica",
                    startedAt: 0,
                    endedAt: 60_000,
                    outcome: "done",
                    detail: "promoted",
                },
            ],
        };
        const hot = await projectHotRto(config, durations, warm, () => Promise.resolve({ run: promoted }));
        assert.strictEqual(hot.source, "simulated");
        assert.strictEqual(hot.minutes, 9.5);
        assert.strictEqual(hot.whyNotSimulated, undefined);
    });

    it("prints each posture's RTO (saying which are simulated), RPO and standing cost", () => {
        for (const posture of ["pilot", "warm"]) {
            assert.match(
                text,
                new RegExp(
                    `posture ${posture}\\n  projected RTO \\(concurrent\\): \\d+\\.\\d min \\(simulated;`,
                ),
            );
        }
        assert.match(
            text,
            /posture hot\n  projected RTO \(concurrent\): \d+\.\d min \(simulated: the failover command promoted the replica/,
        );
        assert.doesNotMatch(text, /why not simulated/);
        assert.match(text, /assumed: +replica promotion 5 min/);
        assert.strictEqual((text.match(/  projected RPO: +5 to 30 min/g) ?? []).length, 2);
        assert.match(text, /  projected RPO: +the read replica's lag/);
        assert.strictEqual((text.match(/  fallback RPO: +/g) ?? []).length, 3);
        assert.strictEqual(
            (text.match(/  standing cost in us-west-2: \$\d+\.\d\d a month priced/g) ?? []).length,
            3,
        );
        assert.match(text, /NAT gateways +730 gateway-hours +x \$0\.045\/hour +=\s+\$32\.85/);
        assert.match(text, /same steps one at a time: +\d+\.\d min/);
    });

    it("closes with the trade: RTO, RPO and cost of the three postures side by side", () => {
        const trade = text.slice(text.indexOf("The trade"));
        for (const posture of ["pilot", "warm", "hot"]) {
            assert.match(
                trade,
                new RegExp(
                    `\\n  ${posture} +\\d+\\.\\d min \\((simulated|projected, not simulated)\\) +\\| [^|]+ \\| \\$\\d+\\.\\d\\d a month priced`,
                ),
            );
        }
    });

    it("projects the failover command's RTO for hot from the hot projection, saying which it is", async () => {
        const hot = await projectRtoMinutes(config, "hot");
        assert.match(hot.text, /for posture hot \(simulated/);
        const pilot = await projectRtoMinutes(config, "pilot");
        assert.match(pilot.text, /for posture pilot \(simulated/);
        assert.ok(hot.minutes < pilot.minutes);
    });
});
