import * as path from "path";
import { problem, UsageError } from "./refusal";

/** Where journals live under the work directory; rehearsals' under {@link SIMULATED_JOURNAL_DIR}. */
export const JOURNAL_DIR = ".journal";

/** Where rehearsals (`--simulate`) keep their journals and the simulated account. */
export const SIMULATED_JOURNAL_DIR = path.join(JOURNAL_DIR, "simulated");

/** Where reports go under the work directory; rehearsals' under `reports/simulated/`. */
export const REPORT_DIR = "reports";

/** Where one run's files go. */
export interface RunLocations {
    /** The journal of the operation's current run. */
    readonly journalFile: string;
    /** Where finished (or superseded) journals are moved. */
    readonly archiveDir: string;
    /** Where the run's report goes. */
    readonly reportDir: string;
    /** True when the journal is the operation's default one (the resume command then needs no --journal). */
    readonly defaultJournal: boolean;
    /** True when the report directory is the default one. */
    readonly defaultReportDir: boolean;
}

/** True when `file` is `directory` or inside it. */
function inside(file: string, directory: string): boolean {
    const relative = path.relative(directory, file);
    return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

/**
 * The files of a run of `operation`. A rehearsal's journal must be under
 * `.journal/simulated/` and a real run's must not, whatever `--journal` says, so that a real
 * run can never resume a rehearsal or write into its account (the journal itself also says
 * which it is: see run/journal.ts).
 */
export function runLocations(
    workDir: string,
    operation: string,
    simulated: boolean,
    overrides: { journalFile?: string; reportDir?: string } = {},
): RunLocations {
    const simulatedDir = path.join(workDir, SIMULATED_JOURNAL_DIR);
    const base = simulated ? simulatedDir : path.join(workDir, JOURNAL_DIR);
    const journalFile = overrides.journalFile ?? path.join(base, `${operation}.json`);
    if (simulated && !inside(journalFile, simulatedDir)) {
        throw new UsageError(
            problem(
                "--journal",
                `be a file under ${simulatedDir} with --simulate (a rehearsal's journal stays apart)`,
                journalFile,
            ),
        );
    }
    if (!simulated && inside(journalFile, simulatedDir)) {
        throw new UsageError(
            problem(
                "--journal",
                `not be under ${simulatedDir}, where rehearsals keep theirs, for a real run`,
                journalFile,
            ),
        );
    }
    const reportDir =
        overrides.reportDir ?? path.join(workDir, REPORT_DIR, ...(simulated ? ["simulated"] : []));
    return {
        journalFile,
        archiveDir: path.join(base, "archive", operation),
        reportDir,
        defaultJournal: overrides.journalFile === undefined,
        defaultReportDir: overrides.reportDir === undefined,
    };
}
