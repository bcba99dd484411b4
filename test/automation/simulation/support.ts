import { drStackConfig } from "../../../automation/commands/dr-config";
import { VirtualClock } from "../../../automation/simulation/clock";
import { standardWorld, StandardWorldOptions } from "../../../automation/simulation/standard-world";
import { DurationModel, SimulatedWorld } from "../../../automation/simulation/world";

/** The clock of every simulation test. */
export const NOW = new Date("2026-11-25T03:00:00Z");

/** The dr stack's config as the repository has it. */
export const CONFIG = drStackConfig();

/** A minute in milliseconds. */
export const MINUTE = 60_000;

/** The standard world at {@link NOW}, in memory, instant. */
export function world(options: Partial<StandardWorldOptions> = {}): SimulatedWorld {
    return standardWorld(CONFIG, { now: NOW, ...options });
}

/** The standard world on a virtual clock with `durations`: the clock drives what a test awaits. */
export function timedWorld(durations: DurationModel): { world: SimulatedWorld; clock: VirtualClock } {
    const clock = new VirtualClock(NOW);
    const w = standardWorld(CONFIG, {
        now: NOW,
        clock: () => clock.now(),
        durations,
        sleep: (ms) => clock.sleep(ms),
        every: (ms, tick) => clock.every(ms, tick),
    });
    return { world: w, clock };
}

/** The message of what `work` throws (fails the test when it does not throw). */
export async function rejection(work: Promise<unknown>): Promise<string> {
    try {
        await work;
    } catch (error) {
        return error instanceof Error ? error.message : String(error);
    }
    throw new Error("expected a rejection");
}

/** The home and DR artifact buckets of the standard world. */
export function artifactBuckets(w: SimulatedWorld): { home: string; dr: string } {
    return {
        home: `webank-artifacts-${w.accountId}-${CONFIG.homeRegion}`,
        dr: `webank-artifacts-${w.accountId}-${CONFIG.drRegion}`,
    };
}
