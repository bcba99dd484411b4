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
    /** What the step will do, for dry runs, heartbeats and reports. */
    readonly describe: string;
    /**
     * True when the step only reads (a preflight check): a dry run runs it to show what it
     * finds now, and an unfinished run that completed nothing else may be replaced by a run
     * with other arguments. @default false
     */
    readonly readOnly?: boolean;
    /** How long the step may wait before it gives up, in minutes, for the heartbeat. @default none */
    readonly timeoutMinutes?: number;
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

/** What the runner needs of a journal: which steps are done, their data, and a way to record one. */
export interface StepJournal {
    /** True when `step` completed in this run or an earlier attempt of it. */
    isDone(step: string): boolean;
    /** Data a completed step recorded. */
    dataOf(step: string): Readonly<Record<string, string>> | undefined;
    /** Records `step` as completed. */
    complete(
        step: string,
        detail: string,
        at: Date,
        extra: { startedAt?: Date; data?: Readonly<Record<string, string>>; readOnly?: boolean },
    ): Promise<void>;
}

/** How a set of steps ended. */
export interface StepsResult {
    /** `completed`: every step done; `failed`: one failed; `interrupted`: a stop was requested. */
    readonly outcome: "completed" | "failed" | "interrupted";
    /** This process's timeline, in start order. */
    readonly timeline: readonly StepTiming[];
    /** The first step that failed, with its error. */
    readonly failure?: { readonly step: string; readonly cause: unknown };
    /** Steps still running when the run was interrupted, with their start (ms). */
    readonly inFlight: readonly { readonly step: string; readonly startedAt: number }[];
}

/** A request to stop: once `requested`, no new step starts; `stopped` resolves when it is made. */
export interface StopRequest {
    /** True once a stop was requested. */
    readonly requested: boolean;
    /** Resolves when a stop is requested. */
    readonly stopped: Promise<void>;
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

/** Options of {@link runSteps}. */
export interface RunStepsOptions {
    /** Milliseconds since the epoch. @default the wall clock */
    readonly clock?: () => number;
    /** Receives a line per step start, skip, end and failure. @default none */
    readonly progress?: (line: string) => void;
    /** Most steps running at once. @default no limit (as the graph allows) */
    readonly concurrency?: number;
    /** A stop request (a signal): no new step starts once it is made. @default none */
    readonly stop?: StopRequest;
    /** Told when a step starts and ends in this process (the heartbeat tracks what runs). */
    readonly onStart?: (step: Step, startedAt: number) => void;
    /** Told when a step this process started has ended. */
    readonly onEnd?: (step: Step) => void;
}

/**
 * Runs the steps as early as their dependencies allow, concurrently where they are
 * independent. A step the journal already has is skipped (a resumed run). On the first
 * failure no new step starts, the steps already running finish and are journaled, and the
 * result says which failed; nothing is rolled back or deleted. On a stop request no new step
 * starts and the result comes back at once, naming the steps still in flight (their work
 * goes on until the process ends; each is idempotent, so the resumed run repeats it).
 */
export async function runSteps(
    steps: readonly Step[],
    journal: StepJournal,
    options: RunStepsOptions = {},
): Promise<StepsResult> {
    planWaves(steps);
    const clock = options.clock ?? (() => Date.now());
    const progress = options.progress ?? (() => undefined);
    const timeline: StepTiming[] = [];
    const running = new Map<string, number>();
    const finished = new Map<string, Promise<void>>();
    let failure: { step: string; cause: unknown } | undefined;
    const halted = () => failure !== undefined || options.stop?.requested === true;
    const slots = new Slots(options.concurrency ?? Number.POSITIVE_INFINITY);

    const start = (step: Step): Promise<void> => {
        const existing = finished.get(step.name);
        if (existing) {
            return existing;
        }
        const promise = (async () => {
            await Promise.all(step.after.map((d) => start(steps.find((s) => s.name === d)!)));
            if (halted()) {
                return;
            }
            if (journal.isDone(step.name)) {
                const at = clock();
                timeline.push({
                    step: step.name,
                    startedAt: at,
                    endedAt: at,
                    outcome: "skipped",
                    detail: "completed by an earlier attempt",
                });
                progress(`skip  ${step.name} (done in an earlier attempt)`);
                return;
            }
            await slots.take();
            if (halted()) {
                slots.give();
                return;
            }
            const begunAt = clock();
            running.set(step.name, begunAt);
            options.onStart?.(step, begunAt);
            progress(`start ${step.name}: ${step.describe}`);
            try {
                const result = await step.run({ dataOf: (name) => journal.dataOf(name) });
                const { detail, data } =
                    typeof result === "string" ? { detail: result, data: undefined } : result;
                const endedAt = clock();
                await journal.complete(step.name, detail, new Date(endedAt), {
                    startedAt: new Date(begunAt),
                    data,
                    readOnly: step.readOnly,
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
                running.delete(step.name);
                options.onEnd?.(step);
                slots.give();
            }
        })();
        finished.set(step.name, promise);
        return promise;
    };

    const all = Promise.all(steps.map(start)).then(() => "settled" as const);
    const stopped = options.stop
        ? options.stop.stopped.then(() => "stopped" as const)
        : new Promise<never>(() => undefined);
    const how = await Promise.race([all, stopped]);
    const sorted = () => [...timeline].sort((a, b) => a.startedAt - b.startedAt);
    if (how === "stopped" && !failure) {
        return {
            outcome: "interrupted",
            timeline: sorted(),
            inFlight: [...running].map(([step, startedAt]) => ({ step, startedAt })),
        };
    }
    if (failure) {
        return { outcome: "failed", timeline: sorted(), failure, inFlight: [] };
    }
    if (options.stop?.requested && steps.some((s) => !journal.isDone(s.name))) {
        return { outcome: "interrupted", timeline: sorted(), inFlight: [] };
    }
    return { outcome: "completed", timeline: sorted(), inFlight: [] };
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

/** An in-memory {@link StepJournal}: for the benchmark and for dry runs, which journal nothing. */
export class MemoryJournal implements StepJournal {
    private readonly entries = new Map<string, Readonly<Record<string, string>> | undefined>();

    /** True when `step` completed here. */
    public isDone(step: string): boolean {
        return this.entries.has(step);
    }

    /** Data `step` recorded here. */
    public dataOf(step: string): Readonly<Record<string, string>> | undefined {
        return this.entries.get(step);
    }

    /** Records `step`. */
    public complete(
        step: string,
        _detail: string,
        _at: Date,
        extra: { data?: Readonly<Record<string, string>> },
    ): Promise<void> {
        this.entries.set(step, extra.data);
        return Promise.resolve();
    }
}
