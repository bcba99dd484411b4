import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import type { JournalDocument } from "../../automation/run/journal";
import type { RecoveryReport } from "../../automation/run/report";
import { filesUnder } from "./commands";

/*
 * Where a rehearsal (`--simulate`) leaves its files under the work directory, written out here
 * rather than taken from automation/run/locations.ts: the layout is what the runbook tells an
 * operator to look at, so a change to it must fail the tests, not follow along silently.
 */

/** The journal of `operation`'s unfinished rehearsal: `.journal/simulated/<operation>.json`. */
export function journalFile(workDir: string, operation: string): string {
    return path.join(workDir, ".journal", "simulated", `${operation}.json`);
}

/** Where `operation`'s finished (or set aside) rehearsal journals are archived. */
export function archiveDir(workDir: string, operation: string): string {
    return path.join(workDir, ".journal", "simulated", "archive", operation);
}

/** Where rehearsals write their reports (Markdown and JSON). */
export function reportDir(workDir: string): string {
    return path.join(workDir, "reports", "simulated");
}

/** A journal file, parsed. */
export function readJournalFile(file: string): JournalDocument {
    return JSON.parse(fs.readFileSync(file, "utf8")) as JournalDocument;
}

/** The unfinished rehearsal's journal of `operation`, or undefined when there is none. */
export function currentJournal(workDir: string, operation: string): JournalDocument | undefined {
    const file = journalFile(workDir, operation);
    return fs.existsSync(file) ? readJournalFile(file) : undefined;
}

/** The archived journals of `operation`, oldest first. */
export function archivedJournals(workDir: string, operation: string): JournalDocument[] {
    const directory = archiveDir(workDir, operation);
    return filesUnder(directory)
        .map((name) => readJournalFile(path.join(directory, name)))
        .sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.runId.localeCompare(b.runId));
}

/** The journal of `operation`'s latest rehearsal: the unfinished one, else the last archived. */
export function latestJournal(workDir: string, operation: string): JournalDocument {
    const journal = currentJournal(workDir, operation) ?? archivedJournals(workDir, operation).at(-1);
    assert.ok(journal, `no journal of ${operation}`);
    return journal;
}

/** The completed steps of `operation`'s latest rehearsal, in completion order. */
export function journaledSteps(workDir: string, operation: string): string[] {
    return latestJournal(workDir, operation).steps.map((s) => s.step);
}

/** The JSON reports rehearsals wrote, oldest first. */
export function rehearsalReports(workDir: string): RecoveryReport[] {
    const directory = reportDir(workDir);
    return filesUnder(directory)
        .filter((f) => f.endsWith(".json"))
        .map((f) => JSON.parse(fs.readFileSync(path.join(directory, f), "utf8")) as RecoveryReport)
        .sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.runId.localeCompare(b.runId));
}
