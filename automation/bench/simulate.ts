import * as FakeTimers from "@sinonjs/fake-timers";
import { StackConfig } from "../../config/stack-config";
import { hotFailoverSteps } from "../commands/failover/hot-steps";
import { assessReplica } from "../commands/failover/hot-rpo";
import { failoverSteps } from "../commands/failover/steps";
import { standardWorld } from "../simulation/standard-world";
import { DurationModel } from "../simulation/world";
import { MemoryJournal, runSteps, Step, StepTiming } from "../run/steps";
import { Posture } from "./up-phases";

/** The two ways the same steps are run. */
export type RunMode = "concurrent" | "sequential";

/** One simulated failover. */
export interface SimulatedFailover {
    /** The DR posture simulated. */
    readonly posture: Posture;
    /** `concurrent` (the orchestrator and Pulumi as they run) or `sequential` (one step, one resource at a time). */
    readonly mode: RunMode;
    /** Start of the run to traffic switched, in minutes. */
    readonly minutes: number;
    /** The steps on the longest chain, first to last. */
    readonly criticalPath: readonly string[];
    /** Every step with its simulated start and end (ms from the run's start). */
    readonly timeline: readonly StepTiming[];
}

/** The virtual run starts here; only differences matter. */
const SIMULATION_START = new Date("2026-11-25T03:00:00Z");

/**
 * Runs the real failover orchestrator against the simulated AWS on a virtual clock: every port
 * call takes the time `durations` gives it, and no real time passes. `sequential` runs one step
 * at a time and `pulumi up --parallel 1`, the baseline the concurrent plan is measured against.
 */
export async function simulateFailover(
    config: StackConfig,
    posture: Posture,
    mode: RunMode,
    durations: DurationModel,
): Promise<SimulatedFailover> {
    const clock = FakeTimers.createClock(SIMULATION_START.getTime());
    // The config the failover reads says the posture simulated, as Pulumi.dr.yaml would.
    const simulated: StackConfig = { ...config, dr: { ...config.dr, posture } };
    const world = standardWorld(simulated, {
        now: SIMULATION_START,
        clock: () => new Date(clock.now),
        posture,
        durations,
        sleep: (ms) => new Promise<void>((resolve) => clock.setTimeout(() => resolve(), ms)),
    });
    const ports = world.ports();
    const settings = {
        runId: "bench",
        failureTime: SIMULATION_START,
        parallel: mode === "sequential" ? 1 : undefined,
        dnsPollMilliseconds: 0,
    };
    // Hot plans as the failover command does (automation/commands/failover/command.ts): the
    // replica is assessed first (its calls count: the timeline starts before them), and its
    // steps promote instead of restoring.
    const planAndRun = async () => {
        const steps =
            posture === "hot"
                ? hotFailoverSteps(
                      simulated,
                      {
                          ...settings,
                          assessment: await assessReplica(simulated, ports, SIMULATION_START, undefined),
                      },
                      ports,
                  )
                : failoverSteps(simulated, { ...settings, restoreTime: "latest" }, ports);
        const result = await runSteps(steps, new MemoryJournal(), {
            clock: () => clock.now,
            concurrency: mode === "sequential" ? 1 : undefined,
        });
        return { steps, result };
    };
    // Advance virtual time until the run settles: each timer fired lets the next port call start.
    let settled = false;
    const outcome = planAndRun().finally(() => {
        settled = true;
    });
    while (!settled) {
        await new Promise((resolve) => setImmediate(resolve));
        if (clock.countTimers() > 0) {
            clock.next();
        }
    }
    const { steps, result } = await outcome;
    if (result.outcome !== "completed") {
        throw new Error(
            `the simulated failover did not complete (${result.outcome}${result.failure ? ` at ${result.failure.step}: ${String(result.failure.cause)}` : ""})`,
        );
    }
    const timeline = result.timeline.map((t) => ({
        ...t,
        startedAt: t.startedAt - SIMULATION_START.getTime(),
        endedAt: t.endedAt - SIMULATION_START.getTime(),
    }));
    const end = Math.max(...timeline.map((t) => t.endedAt));
    return {
        posture,
        mode,
        minutes: end / 60_000,
        criticalPath: criticalPath(steps, timeline),
        timeline,
    };
}

/**
 * The chain of steps that decided the end: from the last step to finish, repeatedly the
 * dependency that finished last (the one it actually waited for).
 */
export function criticalPath(steps: readonly Step[], timeline: readonly StepTiming[]): string[] {
    const ended = new Map(timeline.map((t) => [t.step, t.endedAt]));
    const last = [...timeline].sort((a, b) => b.endedAt - a.endedAt)[0];
    const path: string[] = [];
    let current: string | undefined = last?.step;
    while (current) {
        path.unshift(current);
        const step = steps.find((s) => s.name === current);
        current = step?.after
            .filter((d) => ended.has(d))
            .sort((a, b) => (ended.get(b) ?? 0) - (ended.get(a) ?? 0))[0];
    }
    return path;
}
