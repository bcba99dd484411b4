import { scenario } from "../../runbook/scenarios";
import { problem, UsageError } from "../../run/refusal";
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
import { ON_RUNNER_OPTIONS, onRunnerRequestOf } from "./on-runner-options";

/** The window a failover can restore into: the automated backups replicated into the DR region. */
export function replicatedWindow(context: ParseContext) {
    return {
        now: context.now,
        days: context.config.database.replicatedBackupRetentionDays,
        what: "the automated backups replicated into the DR region (webank:replicatedBackupRetentionDays)",
    };
}

/**
 * `--accept-rpo`: a whole number of minutes, at least 1, or undefined when not given. The CLI
 * reads an integer flag already; a value from elsewhere (a test, a caller) is checked the same.
 */
export function acceptRpoOf(value: unknown, problems: string[]): number | undefined {
    if (value === undefined) {
        return undefined;
    }
    const whole =
        typeof value === "number"
            ? value
            : typeof value === "string" && /^[0-9]+$/.test(value)
              ? Number(value)
              : NaN;
    if (!Number.isSafeInteger(whole) || whole < 1) {
        problems.push(problem("--accept-rpo", "be a whole number of minutes, at least 1", value));
        return undefined;
    }
    return whole;
}

/** What only the hot posture accepts, and what it does not. */
function hotProblems(context: ParseContext, restoreText: string, accept: unknown): string[] {
    const posture = context.config.dr.posture;
    const problems: string[] = [];
    if (accept !== undefined && posture !== "hot") {
        problems.push(
            problem(
                "--accept-rpo",
                `be given only when webank:posture is hot (it is ${posture}): it accepts a read replica's lag, and a ${posture} failover restores from backups instead, its RPO shown by the preflight`,
                accept,
            ),
        );
    }
    if (posture === "hot" && restoreText !== "latest") {
        problems.push(
            problem(
                "--restore-time",
                "be latest (or left out) when webank:posture is hot: the failover promotes the read replica, which holds what it replicated, and restores nothing. A point-in-time restore is a warm failover's (webank:posture warm)",
                restoreText,
            ),
        );
    }
    return problems;
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
        "accept-rpo": {
            type: "integer",
            describe:
                "hot posture only: accept a projected RPO (the read replica's lag) above the database objective, up to this many whole minutes",
        },
        ...CHANGE_OPTIONS,
        ...ON_RUNNER_OPTIONS,
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
        const accept = acceptRpoOf(values["accept-rpo"], problems);
        problems.push(...hotProblems(context, restoreText, values["accept-rpo"]));
        const onRunner = onRunnerRequestOf(values, context, problems);
        if (problems.length > 0) {
            throw new UsageError(problems);
        }
        const restore = parseRestoreTime(restoreText);
        return {
            restoreTime: restore === "latest" ? "latest" : restore.toISOString(),
            ...(failure ? { failureTime: failure.toISOString() } : {}),
            ...(accept !== undefined ? { acceptRpoMinutes: accept } : {}),
            change: changeRequestOf(values),
            ...(onRunner ? { onRunner } : {}),
        };
    },
    run: async (request, context) =>
        request.onRunner
            ? (await import("./on-runner")).runFailoverOnRunner(request, request.onRunner, context)
            : (await import("./command")).runFailover(request, context),
};
