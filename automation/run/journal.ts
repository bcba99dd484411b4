import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Refusal } from "./refusal";

/** The journal format this version writes and reads; a journal without it is from an older version. */
export const JOURNAL_FORMAT = "webank-dr/journal/v2";

/** Where a run stands: a process is in it, it stopped on a failure or a signal, or it finished. */
export type RunStatus = "running" | "failed" | "interrupted" | "finished";

/** One completed step of a run. */
export interface JournalEntry {
    /** Step name, e.g. `preflight-stack`. */
    readonly step: string;
    /** When it started (ISO-8601, UTC). */
    readonly startedAt?: string;
    /** When it completed (ISO-8601, UTC). */
    readonly completedAt: string;
    /** What it did or found, for the report; never a secret. */
    readonly detail: string;
    /** Values later steps need (e.g. the chosen restore point), so a resumed run decides nothing twice. */
    readonly data?: Readonly<Record<string, string>>;
    /** True when the step only read (a preflight check): a run that did nothing else changed nothing. */
    readonly readOnly?: boolean;
}

/** A step that did not complete: it failed, or was running when the run was interrupted. */
export interface JournalIncident {
    /** Step name. */
    readonly step: string;
    /** When it started (ISO-8601). */
    readonly startedAt?: string;
    /** When it was recorded (ISO-8601). */
    readonly at: string;
    /** `failed` or `interrupted`. */
    readonly outcome: "failed" | "interrupted";
    /** Why. */
    readonly detail: string;
    /** True when the step only reads: its failure changed nothing. */
    readonly readOnly?: boolean;
}

/** One process's attempt at the run (a resumed run adds one). */
export interface JournalAttempt {
    /** When the attempt started (ISO-8601). */
    readonly startedAt: string;
    /** When it ended; absent while it runs (or when the process died). */
    readonly endedAt?: string;
    /** How it ended. */
    readonly outcome?: Exclude<RunStatus, "running">;
    /** `user@host (pid n)` of the process. */
    readonly by: string;
}

/** What the journal file holds. */
export interface JournalDocument {
    /** {@link JOURNAL_FORMAT}. */
    readonly format: typeof JOURNAL_FORMAT;
    /** The run this journal belongs to: a resumed run keeps the id. */
    readonly runId: string;
    /** The operation, e.g. `failover`, `restore-db`. */
    readonly operation: string;
    /** True for a rehearsal against the simulated account: never resumed by a real run, and the reverse. */
    readonly simulated: boolean;
    /** The arguments that define the run, by flag (`--restore-time`); a resume must repeat them. */
    readonly request: Readonly<Record<string, string>>;
    /** Choices the first attempt made that a resumed run keeps (which object "newest" meant). */
    readonly pins: Readonly<Record<string, string>>;
    /** The exact command line that resumes the run. */
    readonly command: string;
    /** When the run started (the first attempt). */
    readonly startedAt: string;
    /** Where the run stands. */
    readonly status: RunStatus;
    /** Last sign of life of the process running it (ISO-8601): a running journal with an old one is stale. */
    readonly heartbeatAt: string;
    /** Completed steps, in completion order. */
    readonly steps: readonly JournalEntry[];
    /** Steps that failed or were interrupted, in order. */
    readonly incidents: readonly JournalIncident[];
    /** Every attempt, first to last. */
    readonly attempts: readonly JournalAttempt[];
}

/** Somewhere a copy of the journal is kept as well (the DR state replica, for failover and drill). */
export interface JournalMirror {
    /** Stores the journal document; failures are reported, never fatal. */
    put(document: JournalDocument): Promise<void>;
}

/** `user@host (pid n)`: who runs this process, for the journal and the lock. */
export function processOwner(): string {
    let user = process.env.USER ?? process.env.USERNAME ?? "unknown";
    try {
        user = os.userInfo().username;
    } catch {
        // Containers without a passwd entry: keep the environment's name.
    }
    return `${user}@${os.hostname()} (pid ${process.pid})`;
}

/**
 * Reads the journal at `file` without changing it: undefined when there is none. Refuses
 * (exit 2, naming the file) one that cannot be read, is from an older version, belongs to
 * another operation, or is a rehearsal's when this run is real (or the reverse).
 */
export function readJournal(
    file: string,
    operation: string,
    simulated: boolean,
): JournalDocument | undefined {
    if (!fs.existsSync(file)) {
        return undefined;
    }
    const aside = `move it aside (mv ${file} ${file}.old) to start a new run`;
    let document: Partial<JournalDocument>;
    try {
        document = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<JournalDocument>;
    } catch (error) {
        throw new Refusal(
            `journal ${file} cannot be read (${error instanceof Error ? error.message : String(error)}); ${aside}`,
            2,
        );
    }
    if (document.format !== JOURNAL_FORMAT) {
        throw new Refusal(
            `journal ${file} was written by an older version of this tool (format ${String(document.format ?? "none")}, ` +
                `not ${JOURNAL_FORMAT}) and does not say whether it was a rehearsal; ${aside}`,
            2,
        );
    }
    if (document.operation !== operation) {
        throw new Refusal(
            `--journal must name a journal of ${operation}; got ${file}, a ${String(document.operation)} run (${String(document.runId)})`,
            2,
        );
    }
    if (document.simulated !== simulated) {
        throw new Refusal(
            `journal ${file} is a ${document.simulated ? "rehearsal's (--simulate)" : "real run's"}, and this run is ` +
                `${simulated ? "a rehearsal" : "real"}: a rehearsal and a real run never share a journal. ` +
                (simulated
                    ? "Drop --journal to use the rehearsal's own"
                    : "Run without --simulate's journal"),
            2,
        );
    }
    return document as JournalDocument;
}

/**
 * The journal of one run. Every change is written at once to a temporary file renamed over
 * the journal, so a crash never leaves half a file, and copied to the mirror when there is
 * one. Only the runner (run/runner.ts) creates, resumes, ends and archives journals.
 */
export class Journal {
    private lastMirrored = 0;

    private constructor(
        private readonly file: string,
        private doc: JournalDocument,
        private readonly mirror: JournalMirror | undefined,
        private readonly warn: (message: string) => void,
    ) {}

    /**
     * Starts a new run's journal at `file` and writes it. The file is created exclusively
     * (`O_EXCL`), so of two processes starting a run in one journal at once only one gets it;
     * the other is refused (exit 2) and changes nothing.
     */
    public static async create(
        file: string,
        start: Omit<
            JournalDocument,
            "format" | "status" | "heartbeatAt" | "steps" | "incidents" | "attempts"
        >,
        options: { mirror?: JournalMirror; warn?: (message: string) => void } = {},
    ): Promise<Journal> {
        const journal = new Journal(
            file,
            {
                format: JOURNAL_FORMAT,
                ...start,
                status: "running",
                heartbeatAt: start.startedAt,
                steps: [],
                incidents: [],
                attempts: [{ startedAt: start.startedAt, by: processOwner() }],
            },
            options.mirror,
            options.warn ?? (() => undefined),
        );
        fs.mkdirSync(path.dirname(file), { recursive: true });
        try {
            fs.closeSync(fs.openSync(file, "wx"));
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code === "EEXIST") {
                throw new Refusal(
                    `another process has just started a run in the journal ${file}; nothing was changed. ` +
                        "Check it with: npm run dr -- lock status, or read the journal",
                    2,
                );
            }
            throw error;
        }
        await journal.write(true, Date.parse(start.startedAt));
        return journal;
    }

    /** Resumes the run `document` (read with {@link readJournal}) as a new attempt, and writes it. */
    public static async resume(
        file: string,
        document: JournalDocument,
        at: Date,
        options: { mirror?: JournalMirror; warn?: (message: string) => void } = {},
    ): Promise<Journal> {
        const journal = new Journal(
            file,
            {
                ...document,
                status: "running",
                heartbeatAt: at.toISOString(),
                attempts: [...document.attempts, { startedAt: at.toISOString(), by: processOwner() }],
            },
            options.mirror,
            options.warn ?? (() => undefined),
        );
        await journal.write(true, at.getTime());
        return journal;
    }

    /** The whole journal as stored. */
    public get document(): JournalDocument {
        return this.doc;
    }

    /** The run id. */
    public get runId(): string {
        return this.doc.runId;
    }

    /** Completed steps so far. */
    public get steps(): readonly JournalEntry[] {
        return this.doc.steps;
    }

    /** True when the run had already completed `step` (so a resumed run skips it). */
    public isDone(step: string): boolean {
        return this.doc.steps.some((entry) => entry.step === step);
    }

    /** The data a completed step recorded, or undefined. */
    public dataOf(step: string): Readonly<Record<string, string>> | undefined {
        return this.doc.steps.find((entry) => entry.step === step)?.data;
    }

    /** Records `step` as completed, locally at once and then in the mirror. */
    public async complete(
        step: string,
        detail: string,
        at: Date,
        extra: { startedAt?: Date; data?: Readonly<Record<string, string>>; readOnly?: boolean } = {},
    ): Promise<void> {
        if (this.isDone(step)) {
            return;
        }
        const entry: JournalEntry = {
            step,
            ...(extra.startedAt ? { startedAt: extra.startedAt.toISOString() } : {}),
            completedAt: at.toISOString(),
            detail,
            ...(extra.data ? { data: extra.data } : {}),
            ...(extra.readOnly ? { readOnly: true } : {}),
        };
        this.doc = { ...this.doc, heartbeatAt: at.toISOString(), steps: [...this.doc.steps, entry] };
        await this.write(true, at.getTime());
    }

    /** Records a step that failed or was interrupted. */
    public async incident(incident: JournalIncident): Promise<void> {
        this.doc = { ...this.doc, incidents: [...this.doc.incidents, incident] };
        await this.write(true, Date.parse(incident.at));
    }

    /** Records a sign of life; the mirror gets it at most every {@link MIRROR_HEARTBEAT_MS}. */
    public async heartbeat(at: Date): Promise<void> {
        this.doc = { ...this.doc, heartbeatAt: at.toISOString() };
        await this.write(at.getTime() - this.lastMirrored >= MIRROR_HEARTBEAT_MS, at.getTime());
    }

    /** Ends this attempt with `status` and writes it. */
    public async end(status: Exclude<RunStatus, "running">, at: Date): Promise<void> {
        const attempts = [...this.doc.attempts];
        const last = attempts.pop();
        this.doc = {
            ...this.doc,
            status,
            heartbeatAt: at.toISOString(),
            attempts: [
                ...attempts,
                ...(last ? [{ ...last, endedAt: at.toISOString(), outcome: status }] : []),
            ],
        };
        await this.write(true, at.getTime());
    }

    /**
     * Moves the journal into `directory` as `<runId>.json` (never over an earlier file), so the
     * next run of the operation starts afresh; returns where it went.
     */
    public archive(directory: string): string {
        return archiveJournal(this.file, directory, this.doc.runId);
    }

    private async write(mirrorToo: boolean, now: number): Promise<void> {
        writeAtomically(this.file, `${JSON.stringify(this.doc, null, 2)}\n`);
        if (!mirrorToo || !this.mirror) {
            return;
        }
        this.lastMirrored = now;
        try {
            await this.mirror.put(this.doc);
        } catch (error) {
            this.warn(
                `journal copy not stored (${error instanceof Error ? error.message : String(error)}); the local journal ${this.file} is complete`,
            );
        }
    }
}

/** Moves the journal `file` of run `runId` into `directory` (never over an earlier file); returns where it went. */
export function archiveJournal(file: string, directory: string, runId: string): string {
    fs.mkdirSync(directory, { recursive: true });
    let target = path.join(directory, `${runId}.json`);
    for (let n = 2; fs.existsSync(target); n += 1) {
        target = path.join(directory, `${runId}-${n}.json`);
    }
    fs.renameSync(file, target);
    return target;
}

/** How often a heartbeat also reaches the journal's mirror, in milliseconds: the lock's release check reads it there. */
export const MIRROR_HEARTBEAT_MS = 60_000;

/** Writes `text` to a temporary file beside `file` and renames it over `file`: readers never see half a file. */
export function writeAtomically(file: string, text: string): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, text);
    fs.renameSync(temporary, file);
}
