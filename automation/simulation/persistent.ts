import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { StackConfig } from "../../config/stack-config";
import { failoverDurations } from "../bench/duration-model";
import { RecoveryPorts } from "../ports";
import { REPORT_DIR, SIMULATED_JOURNAL_DIR } from "../run/locations";
import { VirtualClock } from "./clock";
import { FileMutexOptions, withFileMutex } from "./mutex";
import { seedStandardClusterBackups } from "./backup-eks";
import { standardWorld } from "./standard-world";
import { documentOf, documentProblem, loadDocument, WorldDocument } from "./document";
import { DurationModel, SimulatedWorld, WorldStore } from "./world";
import type { WorldCore } from "./world-core";

/*
 * The simulated account of `npm run dr -- <command> --simulate`, kept between processes in
 * `<workDir>/.journal/simulated/world.json`, so a rehearsal is a sequence of commands against
 * one account: a failover, then its status; a restore, then its cut-over in another process.
 *
 * Pacing: the environment variable WEBANK_DR_SIMULATION_PACE_MS is the real milliseconds one
 * virtual minute takes (default 0: as fast as possible). A demo sets e.g. 1000 (a 45-minute
 * failover in 45 seconds); a test sends a signal during a run that lasts long enough to get it.
 */

export { SIMULATED_JOURNAL_DIR } from "../run/locations";

/** Where rehearsals' reports go under the work directory; a reset keeps them, as records. */
export const SIMULATED_REPORT_DIR = path.join(REPORT_DIR, "simulated");

/** The file of the simulated account, in {@link SIMULATED_JOURNAL_DIR}. */
export const WORLD_FILE_NAME = "world.json";

/** The environment variable of real pacing: real milliseconds per virtual minute. @default 0 */
export const PACE_VARIABLE = "WEBANK_DR_SIMULATION_PACE_MS";

/** The path of the simulated account in `workDir`. */
export function worldFileOf(workDir: string): string {
    return path.join(path.resolve(workDir), SIMULATED_JOURNAL_DIR, WORLD_FILE_NAME);
}

/**
 * The cross-process lock of `workDir`'s simulated account. It lives in the system's
 * temporary directory, named after the work directory, so taking it writes nothing under the
 * work directory (a refused or read-only command leaves nothing behind); every process of
 * one machine finds the same file.
 */
export function mutexFileOf(workDir: string): string {
    const digest = createHash("sha256").update(path.resolve(workDir)).digest("hex").slice(0, 16);
    return path.join(os.tmpdir(), `webank-dr-simulation-${digest}.lock`);
}

/** The pace of {@link PACE_VARIABLE}; throws naming it when it is not a number of 0 or more. */
export function paceOf(env: Readonly<Record<string, string | undefined>>): number {
    const raw = env[PACE_VARIABLE];
    if (raw === undefined || raw.trim() === "") {
        return 0;
    }
    const pace = Number(raw);
    if (!Number.isFinite(pace) || pace < 0) {
        throw new Error(
            `${PACE_VARIABLE} must be a number of real milliseconds per virtual minute, 0 or more; got "${raw}"`,
        );
    }
    return pace;
}

/** Reads the account's file: undefined when there is none; throws naming the file and how to start again when it is damaged. */
function readWorld(file: string): WorldDocument | undefined {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") {
            return undefined;
        }
        throw error;
    }
    let parsed: unknown;
    let problem: string | undefined;
    try {
        parsed = JSON.parse(text);
        problem = documentProblem(parsed);
    } catch (error) {
        problem = `it is not JSON (${error instanceof Error ? error.message : String(error)})`;
    }
    if (problem) {
        throw new Error(
            `${file} is not a simulated account: ${problem}. To start again from a normal day run ` +
                `npm run dr -- simulate reset (or remove ${path.dirname(file)}); reports under ${SIMULATED_REPORT_DIR} are kept`,
        );
    }
    return parsed as WorldDocument;
}

/** Writes `document` atomically: a temporary file beside it, then a rename over it. */
function writeWorld(file: string, document: WorldDocument): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, `${JSON.stringify(document, null, 1)}\n`, { mode: 0o600 });
    fs.renameSync(temporary, file);
}

/** A fixed time for comparing documents: whether data changed, whatever the clock did. */
const COMPARE_CLOCK = new Date(0);

/**
 * The store of a rehearsal: every transaction takes the cross-process lock, loads the file
 * (when there is one), applies, and saves when the data changed or the clock moved on; a
 * transaction that throws leaves the data as it was. (The file always exists once the
 * account is open: {@link openSimulation} writes the seed.)
 */
class FileStore implements WorldStore {
    constructor(
        private readonly file: string,
        private readonly mutex: string,
        private readonly clock: () => Date,
        private readonly mutexOptions: FileMutexOptions,
    ) {}

    /** True inside a transaction: a nested one joins it (the lock is not reentrant). */
    private open = false;

    public transact<T>(world: WorldCore, apply: () => T): T {
        if (this.open) {
            return apply();
        }
        return withFileMutex(
            this.mutex,
            () => {
                this.open = true;
                try {
                    return this.apply(world, apply);
                } finally {
                    this.open = false;
                }
            },
            this.mutexOptions,
        );
    }

    /** Load, apply, save: the body of a transaction, under the lock. */
    private apply<T>(world: WorldCore, apply: () => T): T {
        const stored = readWorld(this.file);
        if (stored) {
            loadDocument(world, stored);
        }
        const before = documentOf(world, COMPARE_CLOCK);
        const marks = [world.changes.length, world.notifications.length];
        let result: T;
        try {
            result = apply();
        } catch (error) {
            loadDocument(world, before);
            throw error;
        }
        const after = documentOf(world, this.latest(stored));
        // Without a file, only a change made through the ports writes the seed: what time alone
        // does (replication moving on, a scheduled job) is saved with the first such change.
        const changed = stored
            ? JSON.stringify({ ...after, clock: "" }) !== JSON.stringify({ ...before, clock: "" })
            : world.changes.length !== marks[0] || world.notifications.length !== marks[1];
        if (changed || (stored && after.clock !== stored.clock)) {
            writeWorld(this.file, after);
        }
        return result;
    }

    /** Saves the clock alone (the end of a driven run), when the file exists and the clock moved on. */
    public saveClock(): void {
        withFileMutex(
            this.mutex,
            () => {
                const stored = readWorld(this.file);
                const clock = this.latest(stored).toISOString();
                if (stored && clock !== stored.clock) {
                    writeWorld(this.file, { ...stored, clock });
                }
            },
            this.mutexOptions,
        );
    }

    /** The later of the saved clock and this process's: another process may have gone further. */
    private latest(stored: WorldDocument | undefined): Date {
        const own = this.clock();
        return stored && Date.parse(stored.clock) > own.getTime() ? new Date(stored.clock) : own;
    }
}

/** Options of {@link openSimulation}. */
export interface OpenSimulationOptions {
    /** Where the ports' progress lines go (besides {@link SimulatedWorld.lines}). @default nowhere */
    readonly output?: (line: string) => void;
    /** The clock's start when there is no account yet. @default the wall clock */
    readonly now?: Date;
    /** Durations of the port calls. @default failoverDurations() of automation/bench/duration-model.ts */
    readonly durations?: DurationModel;
    /** Real milliseconds per virtual minute. @default $WEBANK_DR_SIMULATION_PACE_MS, else 0 */
    readonly paceMsPerMinute?: number;
    /** The cross-process lock's timing (tests shorten it). @default withFileMutex's */
    readonly mutex?: FileMutexOptions;
}

/** An open rehearsal account. */
export interface Simulation {
    /** The ports of the account. */
    readonly ports: RecoveryPorts;
    /** The world behind them (this process's view; reloaded by every port call). */
    readonly world: SimulatedWorld;
    /** The account's file. */
    readonly file: string;
    /** Now, on the virtual clock. */
    now(): Date;
    /**
     * Runs `work` (a command using {@link ports}) to its end, advancing the virtual clock
     * whenever the process is idle and a port call waits, then saves the clock. Port calls
     * outside `drive` wait for a clock that does not move.
     */
    drive<T>(work: Promise<T>): Promise<T>;
}

/**
 * Opens the simulated account of `workDir`: the one in `world.json`, or the standard world
 * seeded at `options.now`, written at once (the CLI opens it only for a command it accepted:
 * a refused command leaves nothing behind). Every port call takes the time the duration model gives it on a virtual
 * clock starting at the account's clock, then runs one transaction under the cross-process
 * lock, so processes sharing the directory share one account (faults injected with
 * `failNext` stay in this process). Throws, naming the file and the reset, when it is damaged.
 */
export function openSimulation(
    workDir: string,
    config: StackConfig,
    options: OpenSimulationOptions = {},
): Simulation {
    const file = worldFileOf(workDir);
    const stored = readWorld(file);
    const start = stored ? new Date(stored.clock) : (options.now ?? new Date());
    const clock = new VirtualClock(start, options.paceMsPerMinute ?? paceOf(process.env));
    let user = process.env.USER ?? "operator";
    try {
        user = os.userInfo().username;
    } catch {
        // No passwd entry (a container): keep the environment's name.
    }
    const world = standardWorld(config, {
        now: start,
        clock: () => clock.now(),
        durations: options.durations ?? failoverDurations(),
        sleep: (ms) => clock.sleep(ms),
        every: (ms, tick) => clock.every(ms, tick),
        posture: config.dr.posture,
        operator: `${user}@${os.hostname()}`,
    });
    seedStandardClusterBackups(world, config, start);
    if (stored) {
        loadDocument(world, stored);
    } else {
        // The account comes into being when a command first uses it (never for a command the
        // CLI refused: those never open it), so every later command, read-only ones included,
        // sees the same seeded account. Under the lock: a process that got there first wins.
        withFileMutex(
            mutexFileOf(workDir),
            () => {
                const first = readWorld(file);
                if (first) {
                    loadDocument(world, first);
                } else {
                    writeWorld(file, documentOf(world, start));
                }
            },
            options.mutex ?? {},
        );
    }
    const store = new FileStore(file, mutexFileOf(workDir), () => clock.now(), options.mutex ?? {});
    world.store = store;
    const base = world.ports();
    const ports: RecoveryPorts = {
        ...base,
        output: (line) => {
            world.lines.push(line);
            options.output?.(line);
        },
    };
    return {
        ports,
        world,
        file,
        now: () => clock.now(),
        drive: async (work) => {
            try {
                return await clock.drive(work);
            } finally {
                store.saveClock();
            }
        },
    };
}

/** The account's clock in `workDir`, read without writing; the wall clock when there is no account. */
export function simulatedNow(workDir: string): Date {
    const stored = readWorld(worldFileOf(workDir));
    return stored ? new Date(stored.clock) : new Date();
}

/**
 * Removes the simulated account of `workDir` and the rehearsals' journals (everything under
 * {@link SIMULATED_JOURNAL_DIR}), keeping their reports under {@link SIMULATED_REPORT_DIR};
 * returns what it removed, relative to `workDir`. Takes the account's lock, so no running
 * rehearsal is cut in the middle of a transaction.
 */
export function resetSimulation(workDir: string): string[] {
    const directory = path.join(path.resolve(workDir), SIMULATED_JOURNAL_DIR);
    return withFileMutex(mutexFileOf(workDir), () => {
        if (!fs.existsSync(directory)) {
            return [];
        }
        const removed = fs
            .readdirSync(directory)
            .sort()
            .map((entry) => path.join(SIMULATED_JOURNAL_DIR, entry));
        fs.rmSync(directory, { recursive: true, force: true });
        return removed;
    });
}
