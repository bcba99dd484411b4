import { primaryDatabaseIdentifier } from "../../../../lib/naming";
import { scenario } from "../../../runbook/scenarios";
import { problem, UsageError } from "../../../run/refusal";
import { CHANGE_OPTIONS, changeRequestOf } from "../../change-options";
import { CommandDefinition, OptionValues, ParseContext } from "../../definition";
import { parseRestoreTime, RestoreWindow, restoreTimeProblems } from "../../times";
import { switchOf, textOf } from "../options";
import { restoredInstanceProblem } from "./names";
import type { RestoreDbRequest } from "./request";

/** The window an in-place restore can reach: the primary database's own point-in-time recovery. */
export function pitrWindow(context: ParseContext): RestoreWindow {
    return {
        now: context.now,
        days: context.config.database.backupRetentionDays,
        what: "the primary database's point-in-time recovery (webank:pitrRetentionDays)",
    };
}

/**
 * Checks the flags of `restore db`: the restore time against the clock and the PITR window,
 * the restored instance's name, and the combinations that contradict each other. A cut-over
 * is never guessed: `--cut-over` alone is refused, because it would restore anew when the
 * operator probably meant the instance they have just checked.
 */
export function parseRestoreDb(values: OptionValues, context: ParseContext): RestoreDbRequest {
    const problems: string[] = [];
    const restoreText = textOf(values, "restore-time", problems);
    const cutOver = switchOf(values, "cut-over", problems);
    const restored = textOf(values, "restored-instance", problems);
    if (restoreText !== undefined) {
        problems.push(...restoreTimeProblems("--restore-time", restoreText, pitrWindow(context)));
    }
    if (restored !== undefined) {
        const named = restoredInstanceProblem(context.config.prefix, restored);
        if (named) {
            problems.push(named);
        }
        if (!cutOver) {
            problems.push(
                problem(
                    "--restored-instance",
                    "be given with --cut-over only (it names the restored instance to cut over to)",
                    restored,
                ),
            );
        }
        if (restoreText !== undefined) {
            problems.push(
                problem(
                    "--restored-instance",
                    "not be given with --restore-time (a run either restores into a new instance, or cuts over to one an earlier run restored)",
                    restored,
                ),
            );
        }
    } else if (cutOver && restoreText === undefined) {
        const source = primaryDatabaseIdentifier(context.config.prefix);
        problems.push(
            problem(
                "--cut-over",
                `be given with --restored-instance <the ${source}-r... instance you checked>, or with --restore-time to restore and cut over in one run`,
                "--cut-over alone",
            ),
        );
    }
    if (problems.length > 0) {
        throw new UsageError(problems);
    }
    const change = changeRequestOf(values);
    if (restored !== undefined) {
        return { cutOver: true, restoredInstance: restored, change };
    }
    const time = parseRestoreTime(restoreText ?? "latest");
    return { restoreTime: time === "latest" ? "latest" : time.toISOString(), cutOver, change };
}

/** `npm run dr -- restore db`. */
export const restoreDbDefinition: CommandDefinition<RestoreDbRequest> = {
    path: ["restore", "db"],
    summary: scenario("database-loss").summary,
    options: {
        "restore-time": {
            type: "string",
            describe:
                '"latest" or an ISO-8601 instant with a zone (before the corruption), inside the PITR window; ' +
                "default latest, not with --restored-instance",
        },
        "cut-over": {
            type: "boolean",
            describe:
                "rename the restored instance into the primary's name (the old one is kept, renamed, deletion protection on)",
        },
        "restored-instance": {
            type: "string",
            describe:
                "with --cut-over: the instance an earlier restore db made (<prefix>-db-r<YYYYMMDDHHmm>), once its data is checked",
        },
        ...CHANGE_OPTIONS,
    },
    parse: parseRestoreDb,
    run: async (request, context) => (await import("./command")).runRestoreDb(request, context),
};
