import type { JournalDocument } from "./journal";
import type { Measurements } from "./report-types";
import type { Step } from "./steps";

/*
 * The plan a changing command hands the runner, apart from the runner (./runner.ts): the dry
 * run and the heartbeat read it, and the runner calls them.
 */

/** What the command's read-only preparation found and will do. */
export interface RunPlan {
    /** One line: what the run restores or changes, from what, into what. */
    readonly summary: string;
    /** What the read-only checks found, printed before the steps and before the question. */
    readonly findings: readonly string[];
    /** The question asked before the first change. */
    readonly question: string;
    /** The journaled steps. */
    readonly steps: readonly Step[];
    /** Choices a resumed run must keep (which object "newest" meant), journaled with the run. @default none */
    readonly pins?: Readonly<Record<string, string>>;
    /** The projected RTO in minutes, for the heartbeat's "elapsed of projected". @default none */
    readonly projectedRtoMinutes?: number;
    /** Extra lines of a dry run (e.g. the projected RTO and what it rests on). @default none */
    readonly dryRunNotes?: () => Promise<readonly string[]>;
    /** What the run measured, from its journal; said in the report. @default no RTO or RPO, with a note */
    readonly measure?: (journal: JournalDocument) => Measurements;
    /** Lines printed after a completed run (what to do next). @default none */
    readonly next?: (journal: JournalDocument) => readonly string[];
}
