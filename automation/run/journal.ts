import * as fs from "fs";
import * as path from "path";

/** One completed step of a recovery run. */
export interface JournalEntry {
    /** Step name, e.g. `preflight`, `set-dr-config`. */
    readonly step: string;
    /** When it started (ISO-8601, UTC), for the report's timeline; absent in journals of older runs. */
    readonly startedAt?: string;
    /** When it completed (ISO-8601, UTC). */
    readonly completedAt: string;
    /** What it did or found, for the report; never a secret. */
    readonly detail: string;
    /** Values later steps need (e.g. the chosen restore point), so a resumed run decides nothing twice. */
    readonly data?: Readonly<Record<string, string>>;
}

/** What the journal file holds. */
export interface JournalDocument {
    /** The run this journal belongs to: a resumed run keeps the id. */
    readonly runId: string;
    /** The operation, e.g. `failover`. */
    readonly operation: string;
    /** When the run started. */
    readonly startedAt: string;
    /** Completed steps, in completion order. */
    readonly steps: readonly JournalEntry[];
}

/** Somewhere a copy of the journal is kept as well (the state bucket, when reachable). */
export interface JournalMirror {
    /** Stores the journal document; failures are reported, never fatal. */
    put(document: JournalDocument): Promise<void>;
}

/**
 * The record of a recovery run's completed steps. Every completed step is written at once
 * (to a temporary file renamed over the journal, so a crash never leaves half a file), and
 * copied to a mirror when one is given. Running the operation again with the same journal
 * resumes after the last completed step.
 */
export class Journal {
    private constructor(
        private readonly file: string,
        private doc: JournalDocument,
        private readonly mirror?: JournalMirror,
        private readonly warn: (message: string) => void = () => undefined,
    ) {}

    /**
     * Opens the journal of `operation` at `file`, resuming it when it exists and belongs to the
     * same operation, or starting a new run otherwise.
     */
    public static open(
        file: string,
        operation: string,
        options: { now?: () => Date; mirror?: JournalMirror; warn?: (message: string) => void } = {},
    ): Journal {
        const now = options.now ?? (() => new Date());
        if (fs.existsSync(file)) {
            const existing = JSON.parse(fs.readFileSync(file, "utf8")) as JournalDocument;
            if (existing.operation !== operation) {
                throw new Error(
                    `journal ${file} belongs to a ${existing.operation} run (${existing.runId}), not ${operation}; ` +
                        "finish or archive that run first",
                );
            }
            return new Journal(file, existing, options.mirror, options.warn);
        }
        const startedAt = now().toISOString();
        const runId = `${operation}-${startedAt.replace(/[:.]/g, "-")}`;
        const journal = new Journal(
            file,
            { runId, operation, startedAt, steps: [] },
            options.mirror,
            options.warn,
        );
        journal.writeLocal();
        return journal;
    }

    /** The whole journal as stored, for reports. */
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

    /** When the run started (a resumed run keeps the first start). */
    public get startedAt(): string {
        return this.doc.startedAt;
    }

    /** Records `step` as completed, locally at once and then in the mirror. */
    public async complete(
        step: string,
        detail: string,
        at: Date = new Date(),
        extra: { startedAt?: Date; data?: Readonly<Record<string, string>> } = {},
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
        };
        this.doc = { ...this.doc, steps: [...this.doc.steps, entry] };
        this.writeLocal();
        if (this.mirror) {
            try {
                await this.mirror.put(this.doc);
            } catch (error) {
                this.warn(
                    `journal copy not stored (${String(error)}); the local journal ${this.file} is complete`,
                );
            }
        }
    }

    private writeLocal(): void {
        fs.mkdirSync(path.dirname(this.file), { recursive: true });
        const temporary = `${this.file}.${process.pid}.tmp`;
        fs.writeFileSync(temporary, `${JSON.stringify(this.doc, null, 2)}\n`);
        fs.renameSync(temporary, this.file);
    }
}
