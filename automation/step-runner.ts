import { Journal } from "./journal";

/** One step of a recovery run. */
export interface Step {
    /** Unique name; the journal records it. */
    readonly name: string;
    /** Steps that must complete first. Steps with nothing in common run concurrently. */
    readonly after: readonly string[];
    /** What the step will do, for dry runs and reports. */
    readonly describe: string;
    /** Does the step; idempotent, so a resumed run may repeat it safely. Returns what it did. */
    run(): Promise<string>;
}

/** When a step ran, for the report's timeline. */
export interface StepTiming {
    /** Step name. */
    readonly step: string;
    /** Start, ms since the epoch. */
    readonly startedAt: number;
    /** End, ms since the epoch. */
    readonly endedAt: number;
    /** `done`, `skipped` (completed by an earlier run), or `failed`. */
    readonly outcome: "done" | "skipped" | "failed";
    /** What it did, or why it failed. */
    readonly detail: string;
}

/** A step failed; the journal holds every step completed before it, so the run can resume. */
export class StepFailedError extends Error {
    constructor(
        /** The step that failed. */
        public readonly step: string,
        /** Its error. */
        public readonly cause: unknown,
        /** The timeline up to the failure. */
        public readonly timeline: readonly StepTiming[],
    ) {
        super(
            `step ${step} failed: ${cause instanceof Error ? cause.message : String(cause)}. ` +
                "Completed steps are in the journal: fix the cause and run the same command again to resume.",
        );
        this.name = "StepFailedError";
    }
}

/**
 * Checks the steps form a graph that can run: unique names, known dependencies, no cycle.
 * Returns them in waves: each wave's steps depend only on earlier waves and run together.
 */
export function planWaves(steps: readonly Step[]): string[][] {
    const names = new Set<string>();
    for (const step of steps) {
        if (names.has(step.name)) {
            throw new Error(`step ${step.name} is declared twice`);
        }
        names.add(step.name);
    }
    for (const step of steps) {
        const unknown = step.after.filter((d) => !names.has(d));
        if (unknown.length > 0) {
            throw new Error(`step ${step.name} waits for unknown step ${unknown.join(", ")}`);
        }
    }
    const waves: string[][] = [];
    const placed = new Set<string>();
    while (placed.size < steps.length) {
        const wave = steps
            .filter((s) => !placed.has(s.name) && s.after.every((d) => placed.has(d)))
            .map((s) => s.name);
        if (wave.length === 0) {
            const stuck = steps.filter((s) => !placed.has(s.name)).map((s) => s.name);
            throw new Error(`steps ${stuck.join(", ")} wait for each other (a cycle)`);
        }
        wave.forEach((name) => placed.add(name));
        waves.push(wave);
    }
    return waves;
}

/**
 * Runs the steps as early as their dependencies allow, concurrently where they are
 * independent. A step the journal already has is skipped (a resumed run). On the first
 * failure no new step starts, the steps already running finish and are journaled, and a
 * {@link StepFailedError} reports what failed; nothing is rolled back or deleted.
 */
export async function runSteps(
    steps: readonly Step[],
    journal: Journal,
    options: { clock?: () => number; progress?: (line: string) => void } = {},
): Promise<StepTiming[]> {
    planWaves(steps);
    const clock = options.clock ?? (() => Date.now());
    const progress = options.progress ?? (() => undefined);
    const timeline: StepTiming[] = [];
    const finished = new Map<string, Promise<void>>();
    let failure: { step: string; cause: unknown } | undefined;

    const start = (step: Step): Promise<void> => {
        const existing = finished.get(step.name);
        if (existing) {
            return existing;
        }
        const promise = (async () => {
            await Promise.all(step.after.map((d) => start(steps.find((s) => s.name === d)!)));
            if (failure) {
                return;
            }
            const startedAt = clock();
            if (journal.isDone(step.name)) {
                timeline.push({
                    step: step.name,
                    startedAt,
                    endedAt: startedAt,
                    outcome: "skipped",
                    detail: "completed by an earlier run",
                });
                progress(`skip  ${step.name} (done in an earlier run)`);
                return;
            }
            progress(`start ${step.name}: ${step.describe}`);
            try {
                const detail = await step.run();
                await journal.complete(step.name, detail);
                timeline.push({ step: step.name, startedAt, endedAt: clock(), outcome: "done", detail });
                progress(`done  ${step.name}: ${detail}`);
            } catch (cause) {
                failure ??= { step: step.name, cause };
                const detail = cause instanceof Error ? cause.message : String(cause);
                timeline.push({ step: step.name, startedAt, endedAt: clock(), outcome: "failed", detail });
                progress(`FAIL  ${step.name}: ${detail}`);
            }
        })();
        finished.set(step.name, promise);
        return promise;
    };

    await Promise.all(steps.map(start));
    if (failure) {
        throw new StepFailedError(failure.step, failure.cause, timeline);
    }
    return timeline;
}
