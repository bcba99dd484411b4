import * as FakeTimers from "@sinonjs/fake-timers";
import { Timers } from "../ports";

/** Real milliseconds between looks while a driven run waits on something real (a prompt, a file write). */
const IDLE_POLL_MS = 5;

/** Timers for a world whose time does not pass: a sleep resolves at once, a ticker never ticks. */
export const INSTANT_TIMERS: Timers = {
    sleep: () => Promise.resolve(),
    every: () => () => undefined,
};

/** Timers on a caller's sleep (the benchmark's virtual clock): a ticker sleeps between ticks. */
export function timersOnSleep(sleep: (ms: number) => Promise<void>): Timers {
    return {
        sleep,
        every: (ms, tick) => {
            let stopped = false;
            void (async () => {
                while (!stopped) {
                    await sleep(ms);
                    if (!stopped) {
                        tick();
                    }
                }
            })();
            return () => {
                stopped = true;
            };
        },
    };
}

/** A real wait that can be cut short, so a settled run never waits for it. */
function realDelay(ms: number, until: Promise<unknown>): Promise<void> {
    let handle: NodeJS.Timeout | undefined;
    const delay = new Promise<void>((resolve) => {
        handle = setTimeout(resolve, ms);
    });
    return Promise.race([delay, until.then(() => undefined)]).finally(() => clearTimeout(handle));
}

/**
 * The virtual clock of a rehearsal: a `@sinonjs/fake-timers` clock (as automation/bench/
 * simulate.ts uses) that moves only when the run waits on it. {@link VirtualClock.drive}
 * advances it to the next due timer whenever the process is idle and some sleep is pending,
 * so port calls take their simulated durations without real time passing. A ticker alone
 * (the runner's heartbeat) never moves time: a run waiting on something real (the operator's
 * answer, a file) waits in real time, and the heartbeat keeps its virtual period.
 */
export class VirtualClock implements Timers {
    private readonly clock: ReturnType<typeof FakeTimers.createClock>;
    private readonly sleeps = new Map<number, number>();
    private readonly tickers = new Map<number, { next: number; ms: number }>();
    private ids = 0;

    constructor(
        start: Date,
        /** Real milliseconds per virtual minute; 0 runs as fast as possible. */
        private readonly paceMsPerMinute = 0,
    ) {
        this.clock = FakeTimers.createClock(start.getTime());
    }

    /** Now, on the virtual clock. */
    public now(): Date {
        return new Date(this.clock.now);
    }

    /** Resolves when `ms` virtual milliseconds have passed (only while {@link drive} runs). */
    public sleep(ms: number): Promise<void> {
        const id = (this.ids += 1);
        const wait = Math.max(0, ms);
        this.sleeps.set(id, this.clock.now + wait);
        return new Promise((resolve) =>
            this.clock.setTimeout(() => {
                this.sleeps.delete(id);
                resolve();
            }, wait),
        );
    }

    /** Calls `tick` every `ms` virtual milliseconds until the returned function is called. */
    public every(ms: number, tick: () => void): () => void {
        const id = (this.ids += 1);
        const period = Math.max(1, ms);
        this.tickers.set(id, { next: this.clock.now + period, ms: period });
        const handle = this.clock.setInterval(() => {
            const ticker = this.tickers.get(id);
            if (ticker) {
                ticker.next += ticker.ms;
            }
            tick();
        }, period);
        return () => {
            this.tickers.delete(id);
            this.clock.clearInterval(handle);
        };
    }

    /** When the next timer is due, or undefined when no sleep is pending (nothing waits on time). */
    private nextDue(): number | undefined {
        if (this.sleeps.size === 0) {
            return undefined;
        }
        return Math.min(...this.sleeps.values(), ...[...this.tickers.values()].map((t) => t.next));
    }

    /**
     * Runs `work` to its end, moving the clock whenever the process is idle and a sleep is
     * pending: to the next due timer, after `paceMsPerMinute` real milliseconds per virtual
     * minute of the step (none by default).
     */
    public async drive<T>(work: Promise<T>): Promise<T> {
        let settled = false;
        const done = work.then(
            () => {
                settled = true;
            },
            () => {
                settled = true;
            },
        );
        while (!settled) {
            await new Promise((resolve) => setImmediate(resolve));
            if (settled) {
                break;
            }
            const next = this.nextDue();
            if (next === undefined) {
                await realDelay(IDLE_POLL_MS, done);
                continue;
            }
            const step = Math.max(0, next - this.clock.now);
            const real = (step / 60_000) * this.paceMsPerMinute;
            if (real > 0) {
                await realDelay(real, done);
                if (settled) {
                    break;
                }
            }
            this.clock.tick(step);
        }
        return work;
    }
}
