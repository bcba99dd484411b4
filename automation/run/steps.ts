import { Journal } from "./journal";

/** What a step returns: what it did, and values later steps (or a resumed run) need. */
export interface StepOutcome {
    /** What it did, one line, never a secret. */
    readonly detail: string;
    /** Values to journal with the step, read back with {@link StepContext.dataOf}. */
    readonly data?: Readonly<Record<string, string>>;
}

/** What a running step can see of the run. */
export interface StepContext {
    /** Data an earlier step journaled (in this run or the run being resumed). */
    dataOf(step: string): Readonly<Record<string, string>> | undefined;
}

/** One step of a recovery run. */
export interface Step {
    /** Unique name; the journal records it. */
    readonly name: string;
    /** Steps that must complete first. Steps with nothing in common run concurrently. */
    readonly after: readonly string[];
    /** What the step will do, for dry runs and reports. */
    readonly describe: string;
    /** Does the step; idempotent, so a resumed run may repeat it safely. Returns what it did. */
    run(context: StepContext): Promise<string | StepOutcome>;
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
    options: {
        /** Milliseconds since the epoch. Default: the wall clock. */
        clock?: () => number;
        /** Receives a line per step start, skip, end and failure. */
        progress?: (line: string) => void;
        /** Most steps running at once. Default: no limit (as the graph allows). */
        concurrency?: number;
    } = {},
): Promise<StepTiming[]> {
    planWaves(steps);
    const clock = options.clock ?? (() => Date.now());
    const progress = options.progress ?? (() => undefined);
    const timeline: StepTiming[] = [];
    const finished = new Map<string, Promise<void>>();
    let failure: { step: string; cause: unknown } | undefined;
    const slots = new Slots(options.concurrency ?? Number.POSITIVE_INFINITY);

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
            await slots.take();
            if (failure) {
                slots.give();
                return;
            }
            const begunAt = clock();
            progress(`start ${step.name}: ${step.describe}`);
            try {
                const result = await step.run({ dataOf: (name) => journal.dataOf(name) });
                const { detail, data } =
                    typeof result === "string" ? { detail: result, data: undefined } : result;
                const endedAt = clock();
                await journal.complete(step.name, detail, new Date(endedAt), {
                    startedAt: new Date(begunAt),
                    data,
                });
                timeline.push({ step: step.name, startedAt: begunAt, endedAt, outcome: "done", detail });
                progress(`done  ${step.name}: ${detail}`);
            } catch (cause) {
                failure ??= { step: step.name, cause };
                const detail = cause instanceof Error ? cause.message : String(cause);
                timeline.push({
                    step: step.name,
                    startedAt: begunAt,
                    endedAt: clock(),
                    outcome: "failed",
                    detail,
                });
                progress(`FAIL  ${step.name}: ${detail}`);
            } finally {
                slots.give();
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

/** A counting semaphore: at most `limit` steps run at once; waiters start in arrival order. */
class Slots {
    private free: number;
    private readonly waiting: (() => void)[] = [];

    constructor(limit: number) {
        this.free = limit;
    }

    /** Resolves when a slot is free, and takes it. */
    public take(): Promise<void> {
        if (this.free > 0) {
            this.free -= 1;
            return Promise.resolve();
        }
        return new Promise((resolve) => this.waiting.push(resolve));
    }

    /** Gives a slot back, to the longest waiter if there is one. */
    public give(): void {
        const next = this.waiting.shift();
        if (next) {
            next();
        } else {
            this.free += 1;
        }
    }
}

/**
 * Runs the steps for a command: progress to `out`, time from `clock`, and a failure turned into
 * an error line and a timeline that ends at the failed step, so the command can still report.
 */
export async function runCommandSteps(
    steps: readonly Step[],
    journal: Journal,
    out: (line: string) => void,
    clock: () => number,
): Promise<{ timeline: StepTiming[]; failed: boolean }> {
    try {
        return { timeline: await runSteps(steps, journal, { progress: out, clock }), failed: false };
    } catch (error) {
        out(`error: ${error instanceof Error ? error.message : String(error)}`);
        return { timeline: error instanceof StepFailedError ? [...error.timeline] : [], failed: true };
    }
}
