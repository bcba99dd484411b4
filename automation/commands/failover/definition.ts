import { scenario } from "../../runbook/scenarios";
import { UsageError } from "../../run/refusal";
import { CHANGE_OPTIONS, changeRequestOf } from "../change-options";
import { CommandDefinition, OptionValues, ParseContext } from "../definition";
import {
    failureBeforeRestoreProblem,
    failureTimeProblems,
    parseInstant,
    parseRestoreTime,
    restoreTimeProblems,
} from "../times";
import type { FailoverRequest } from "./command";

/** The window a failover can restore into: the automated backups replicated into the DR region. */
export function replicatedWindow(context: ParseContext) {
    return {
        now: context.now,
        days: context.config.database.replicatedBackupRetentionDays,
        what: "the automated backups replicated into the DR region (webank:replicatedBackupRetentionDays)",
    };
}

/** `npm run dr -- failover`. */
export const failoverDefinition: CommandDefinition<FailoverRequest> = {
    path: ["failover"],
    summary: scenario("region-outage").summary,
    options: {
        "restore-time": {
            type: "string",
            describe: '"latest" or an ISO-8601 instant with a zone, inside the replicated backups\' window',
            defaultValue: "latest",
        },
        "failure-time": {
            type: "string",
            describe:
                "when the primary failed (ISO-8601 with a zone), for the achieved RPO; default the run's start",
        },
        ...CHANGE_OPTIONS,
    },
    parse: (values: OptionValues, context: ParseContext): FailoverRequest => {
        const restoreText = typeof values["restore-time"] === "string" ? values["restore-time"] : "latest";
        const failureText = typeof values["failure-time"] === "string" ? values["failure-time"] : undefined;
        const problems = restoreTimeProblems("--restore-time", restoreText, replicatedWindow(context));
        if (failureText !== undefined) {
            problems.push(...failureTimeProblems("--failure-time", failureText, context.now));
        }
        const failure = failureText === undefined ? undefined : parseInstant(failureText);
        if (problems.length === 0 && failure) {
            const contradiction = failureBeforeRestoreProblem(
                "--failure-time",
                failure,
                "--restore-time",
                parseRestoreTime(restoreText),
            );
            if (contradiction) {
                problems.push(contradiction);
            }
        }
        if (problems.length > 0) {
            throw new UsageError(problems);
        }
        const restore = parseRestoreTime(restoreText);
        return {
            restoreTime: restore === "latest" ? "latest" : restore.toISOString(),
            ...(failure ? { failureTime: failure.toISOString() } : {}),
            change: changeRequestOf(values),
        };
    },
    run: async (request, context) => (await import("./command")).runFailover(request, context),
};
