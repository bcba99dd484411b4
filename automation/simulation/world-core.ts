import * as os from "os";
import * as path from "path";
import type { RunnerBuild } from "../../lib/kubernetes-access";
import { LockHolder, Timers } from "../ports";
import { INSTANT_TIMERS, timersOnSleep } from "./clock";
import { SimulatedRegion } from "./region";
import { emptyState, PlainState, ScheduledEvent, Side } from "./state";

// The stack and command types live here, with the class whose fields hold them, so that the
// port files and programs name them without importing world.ts (which imports those files).

/** Where a program runs: the operator's machine (no build), or a deploy runner's CodeBuild build. */
export interface ProgramRun {
    /** The stack's name (WEBANK_STACK in a runner). */
    readonly stackName: string;
    /** The build it runs in, as the program reads it from CODEBUILD_BUILD_ARN; undefined outside CodeBuild. */
    readonly build?: RunnerBuild;
}

/**
 * What a simulated stack's `pulumi up` and `pulumi destroy` do to the world: the simulated
 * counterpart of its Pulumi program. Programs are code, registered by name in
 * {@link WorldCore.programs}; a stack names its program, so a stack loaded from
 * `world.json` runs the same program.
 */
export interface StackProgram {
    /** Changes the world as the program's `up` would, run where `run` says, and returns the stack's new outputs. */
    readonly up: (stack: SimulatedStack, world: WorldCore, run: ProgramRun) => Record<string, unknown>;
    /** Removes from the world what the program's `up` created. */
    readonly destroy?: (stack: SimulatedStack, world: WorldCore) => void;
}

/** A simulated stack: config, outputs, and its exported deployment. */
export interface SimulatedStack {
    /** Config values by full key (`webank:activated`). */
    config: Record<string, string>;
    /** Outputs after the last up. */
    outputs: Record<string, unknown>;
    /** The deployment `pulumi stack export` returns. */
    deployment: string;
    /** The name of its program in {@link WorldCore.programs}; without one (and without `onUp`), `up` keeps the outputs. */
    program?: string;
    /** Computes the outputs an `up` produces; wins over `program` (a test's own stack). */
    onUp?: (stack: SimulatedStack, world: WorldCore, run: ProgramRun) => Record<string, unknown>;
    /** Removes from the world what the stack's `up` created (a destroy); wins over `program`. */
    onDestroy?: (stack: SimulatedStack, world: WorldCore) => void;
}

/** An external command the simulation answers: by `command args...` prefix. */
export type CommandHandler = (args: readonly string[], stdin?: string | Buffer) => string;

/**
 * How long a simulated operation takes, in milliseconds, by operation name (e.g.
 * `dr.database.waitAvailable`, `stack.dr.up`, `dr.replica.promote`, and `background.<what>`
 * for what AWS does on its own after a call: `background.rds.restore`, `background.rds.promote`
 * (a read replica's promotion, from PromoteReadReplica until it is available and standalone),
 * `background.codebuild.mirror`). The
 * benchmark and rehearsals pass durations cited from AWS documentation
 * (automation/bench/durations.ts); tests pass none (everything is instant).
 */
export type DurationModel = (operation: string, detail: Readonly<Record<string, unknown>>) => number;

/** One look of a wait: done with a value, or look again at `until`. */
export type Poll<T> =
    { readonly done: true; readonly value: T } | { readonly done: false; readonly until: Date };

/**
 * Where the world's data lives between transactions. In memory there is none; a rehearsal's
 * store (persistent.ts) loads the data before each transaction and saves it after, under a
 * cross-process lock.
 */
export interface WorldStore {
    /** Runs `apply` as one transaction on the world's data. */
    transact<T>(world: WorldCore, apply: () => T): T;
}

/**
 * Route 53's health checks of the PRIMARY record as automation/traffic-ports.ts describes them:
 * a CALCULATED gate (healthy while both children are), the home endpoint's HTTPS check and the
 * tool's switch (CALCULATED, no children, threshold 0: healthy unless inverted). Ids are UUIDs,
 * as CreateHealthCheck returns them.
 */
export interface SimulatedTrafficSwitch {
    /** The gate's id: the PRIMARY record's HealthCheckId. */
    readonly gateId: string;
    /** The home endpoint's HTTPS check. */
    readonly endpointId: string;
    /** Whether Route 53's checkers find the home endpoint healthy (a test fails it for a region outage). */
    readonly healthy: boolean;
    /** The switch's id. */
    readonly switchId: string;
    /** The switch's Inverted flag: traffic held on DR. */
    readonly heldOnDr: boolean;
}

/** Options of {@link WorldCore} (and so of the SimulatedWorld of world.ts). */
export interface SimulatedWorldOptions {
    /** The home region. */
    readonly homeRegion: string;
    /** The DR region. */
    readonly drRegion: string;
    /** The account id. @default "123456789012" */
    readonly accountId?: string;
    /** Now. @default the wall clock */
    readonly now?: () => Date;
    /** Durations of operations. @default all instant */
    readonly durations?: DurationModel;
    /** Waits `ms` (the benchmark passes a virtual clock's). @default resolves at once */
    readonly sleep?: (ms: number) => Promise<void>;
    /** Ticks every `ms`. @default through `sleep` when given, else never */
    readonly every?: Timers["every"];
    /** `user@host` of whoever runs the commands: the lock's holder and the caller's session. @default "rehearsal@simulation" */
    readonly operator?: string;
    /** The kubeconfig's path, for messages. @default `~/.kube/config` */
    readonly kubeconfigPath?: string;
}

/**
 * The data of the simulated world and the primitives every port uses: regions, stacks,
 * recorded changes and calls, queued faults, the clock, scheduling, transactions and waits.
 * What the simulated services do on their own (schedules and due events) is left to the
 * subclass, SimulatedWorld in world.ts, since that needs the port modules, which need this.
 */
export abstract class WorldCore {
    /** Every change made through the ports, in order, e.g. `dr rds restore webank-db -> webank-db-r1`. */
    public readonly changes: string[] = [];
    /** Every operation called through the ports, in order (reads too). */
    public readonly calls: string[] = [];
    /** Progress lines written to the output port. */
    public readonly lines: string[] = [];
    /** Stacks by name. */
    public readonly stacks = new Map<string, SimulatedStack>();
    /** Every external command line run through the ports, in order. */
    public readonly commandsRun: string[] = [];
    /** Command handlers by `command subcommand` prefix: they answer before the simulated tools (tests inject odd output). */
    public readonly commandHandlers = new Map<string, CommandHandler>();
    /** Stack programs by name (what a stack's `up` and `destroy` do). */
    public readonly programs = new Map<string, StackProgram>();
    /** What a newly created stack starts as (the standard world makes drill stacks behave like dr). */
    public newStack: (name: string) => SimulatedStack = () => ({ config: {}, outputs: {}, deployment: "{}" });
    /** The failover lock holder's run id. */
    public lockHolder: string | undefined;
    /** When and by whom the lock was taken; a test that sets {@link lockHolder} alone means another operator's run, since unknown. */
    public lockInfo: { since: string; by: string } | undefined;
    /** Every notification published to the alert topic, in order. */
    public readonly notifications: { subject: string; message: string }[] = [];
    /** The PRIMARY record's gate, the home endpoint's check under it and the tool's switch. */
    public healthCheck: SimulatedTrafficSwitch | undefined;
    /** What Route 53 answers for the record while the PRIMARY is healthy, and after failover. */
    public dnsTargets: { primary: string; secondary: string } | undefined;
    /** The home region. */
    public readonly home: SimulatedRegion;
    /** The DR region. */
    public readonly dr: SimulatedRegion;
    /** The rest of the world's data, plain JSON: clusters, jobs, remotes, schedules. */
    public state: PlainState;
    /** Where the data lives between transactions; none in memory. */
    public store: WorldStore | undefined;
    private readonly faults = new Map<string, Error[]>();
    private readonly settings: Required<
        Omit<SimulatedWorldOptions, "homeRegion" | "drRegion" | "sleep" | "every" | "kubeconfigPath">
    > & {
        readonly timers: Timers;
    };

    constructor(options: SimulatedWorldOptions) {
        this.home = new SimulatedRegion(options.homeRegion);
        this.dr = new SimulatedRegion(options.drRegion);
        this.state = emptyState(options.kubeconfigPath ?? path.join(os.homedir(), ".kube", "config"));
        const timers = options.sleep
            ? { ...timersOnSleep(options.sleep), ...(options.every ? { every: options.every } : {}) }
            : { ...INSTANT_TIMERS, ...(options.every ? { every: options.every } : {}) };
        this.settings = {
            accountId: options.accountId ?? "123456789012",
            now: options.now ?? (() => new Date()),
            durations: options.durations ?? (() => 0),
            operator: options.operator ?? "rehearsal@simulation",
            timers,
        };
    }

    /** The account id. */
    public get accountId(): string {
        return this.settings.accountId;
    }

    /** `user@host` of whoever runs the commands. */
    public get operator(): string {
        return this.settings.operator;
    }

    /** The region of a side. */
    public region(side: Side): SimulatedRegion {
        return side === "home" ? this.home : this.dr;
    }

    /** The side whose region is `name`, or undefined for another region. */
    public sideOfRegion(name: string): Side | undefined {
        return name === this.home.name ? "home" : name === this.dr.name ? "dr" : undefined;
    }

    /** The lock holder as the lock table's item has it. */
    public lockDetails(): LockHolder {
        return {
            owner: this.lockHolder ?? "unknown",
            since: this.lockInfo?.since ?? "unknown",
            by: this.lockInfo?.by ?? "another operator",
        };
    }

    /** Makes the next call of `operation` (e.g. `dr.database.waitAvailable`) throw `error`. Queue several for several calls. */
    public failNext(operation: string, error: Error): void {
        this.faults.set(operation, [...(this.faults.get(operation) ?? []), error]);
    }

    /** Now, on the world's clock. */
    public now(): Date {
        return this.settings.now();
    }

    /** Lets `ms` pass on the world's clock. */
    public sleep(ms: number): Promise<void> {
        return this.settings.timers.sleep(ms);
    }

    /** Records a change. */
    public record(change: string): void {
        this.changes.push(change);
    }

    /** A seed for the next generated id, unique in this world (and across the processes sharing it). */
    public nextSeed(kind: string): string {
        this.state.sequence += 1;
        return `${this.accountId}/${kind}/${this.state.sequence}`;
    }

    /** Milliseconds AWS takes, on its own, for `operation` (`background.<operation>` in the duration model). */
    public backgroundDuration(operation: string, detail: Readonly<Record<string, unknown>> = {}): number {
        return Math.max(0, this.settings.durations(`background.${operation}`, detail));
    }

    /** When something started now and taking {@link backgroundDuration} ends. */
    public backgroundTime(operation: string, detail: Readonly<Record<string, unknown>> = {}): Date {
        return new Date(this.now().getTime() + this.backgroundDuration(operation, detail));
    }

    /** Schedules `event` at `at`. */
    public schedule(at: Date, event: ScheduledEvent): void {
        this.state.scheduled.push({ at: at.toISOString(), event });
    }

    /** When the first pending event matching `match` is due, or undefined when none is pending. */
    public dueOf(match: (event: ScheduledEvent) => boolean): Date | undefined {
        const times = this.state.scheduled.filter((s) => match(s.event)).map((s) => Date.parse(s.at));
        return times.length > 0 ? new Date(Math.min(...times)) : undefined;
    }

    /** Counts an operation, lets its simulated time pass, and throws its queued fault. */
    public async enter(operation: string, detail: Readonly<Record<string, unknown>> = {}): Promise<void> {
        this.calls.push(operation);
        const duration = this.settings.durations(operation, detail);
        if (duration > 0) {
            await this.sleep(duration);
        }
        const fault = this.faults.get(operation)?.shift();
        if (fault) {
            throw fault;
        }
    }

    /**
     * Runs `apply` as one transaction: what is due happens first, then `apply`, then what
     * `apply` made due at once. With a store, the data is loaded before and saved after.
     */
    public transact<T>(apply: () => T): T {
        const run = () => {
            this.settle();
            const result = apply();
            this.settle();
            return result;
        };
        return this.store ? this.store.transact(this, run) : run();
    }

    /**
     * Looks (in a transaction) until `check` is done, sleeping until it asks to look again.
     * When the clock does not move (an in-memory world without one), the awaited time is
     * taken to have passed at once, so a wait never hangs.
     */
    public async poll<T>(check: (now: Date) => Poll<T>): Promise<T> {
        let virtual: Date | undefined;
        for (;;) {
            const real = this.now();
            const now = virtual && virtual > real ? virtual : real;
            const outcome = this.transact(() => {
                this.settle(now);
                return check(now);
            });
            if (outcome.done) {
                return outcome.value;
            }
            await this.sleep(Math.max(1, outcome.until.getTime() - now.getTime()));
            if (this.now().getTime() <= real.getTime()) {
                virtual = outcome.until;
            }
        }
    }

    /**
     * Makes happen what is due by `upTo` (default now): scheduled events in time order (each
     * at its own time), the schedules of backup plans, CronJobs and the mirror, and the
     * replication of automated backups.
     */
    public settle(upTo: Date = this.now()): void {
        for (let round = 0; round < 100; round += 1) {
            this.settleSchedules(upTo);
            const due = this.state.scheduled
                .filter((s) => Date.parse(s.at) <= upTo.getTime())
                .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
            if (due.length === 0) {
                return;
            }
            this.state.scheduled = this.state.scheduled.filter((s) => !due.includes(s));
            due.forEach((s) => this.happen(s.event, new Date(s.at)));
        }
    }

    /** The timers the world's time passes through (the ports hand them on). */
    protected get timers(): Timers {
        return this.settings.timers;
    }

    /** Starts, by `upTo`, what the services' own schedules (backup plans, CronJobs, the mirror, backup replication) make due. */
    protected abstract settleSchedules(upTo: Date): void;

    /** Makes one scheduled event happen, at its own time `at`. */
    protected abstract happen(event: ScheduledEvent, at: Date): void;
}
