import * as path from "path";
import { OptionSpec, OptionValues } from "./definition";

/** The flags every changing command takes (failover, drill, backup, every restore, lock release). */
export const CHANGE_OPTIONS: Readonly<Record<string, OptionSpec>> = {
    "dry-run": {
        type: "boolean",
        describe: "print the plan and what the read-only checks find now; change and write nothing",
    },
    yes: {
        type: "boolean",
        describe: "do not ask before the first change (required when there is no terminal to ask on)",
    },
    journal: {
        type: "string",
        describe: "journal file (default .journal/<operation>.json; under --simulate .journal/simulated/)",
    },
    "report-dir": {
        type: "string",
        describe: "directory of the run's report (default reports/; under --simulate reports/simulated/)",
    },
};

/** What the operator said about how a changing command runs (not what it does). */
export interface ChangeRequest {
    /** `--dry-run`: plan and read-only checks; nothing changes, nothing is written. */
    readonly dryRun: boolean;
    /** `--yes`: do not ask before the first change. */
    readonly yes: boolean;
    /** `--journal`, resolved to an absolute path; undefined for the default. */
    readonly journalFile?: string;
    /** `--report-dir`, resolved to an absolute path; undefined for the default. */
    readonly reportDir?: string;
}

/** The {@link ChangeRequest} in parsed values (the CLI has checked their types). */
export function changeRequestOf(values: OptionValues): ChangeRequest {
    const file = values.journal;
    const reports = values["report-dir"];
    return {
        dryRun: values["dry-run"] === true,
        yes: values.yes === true,
        ...(typeof file === "string" ? { journalFile: path.resolve(file) } : {}),
        ...(typeof reports === "string" ? { reportDir: path.resolve(reports) } : {}),
    };
}
