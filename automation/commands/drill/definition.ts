import { problem, UsageError } from "../../run/refusal";
import { CHANGE_OPTIONS, changeRequestOf } from "../change-options";
import { CommandDefinition } from "../definition";
import { replicatedWindow } from "../failover/definition";
import { parseRestoreTime, restoreTimeProblems } from "../times";
import type { DrillRequest } from "./command";

/** The scopes a drill can have. */
export const DRILL_SCOPES = ["database", "full"] as const;

/** `npm run dr -- drill`. */
export const drillDefinition: CommandDefinition<DrillRequest> = {
    path: ["drill"],
    summary:
        "restore into a new, uniquely named stack, verify, destroy it, and report RTO and RPO (never touches dr or traffic)",
    options: {
        "restore-time": {
            type: "string",
            describe: '"latest" or an ISO-8601 instant with a zone, inside the replicated backups\' window',
            defaultValue: "latest",
        },
        scope: {
            type: "string",
            choices: DRILL_SCOPES,
            describe: "database: the restore only; full: the cluster and Argo CD too",
            defaultValue: "database",
        },
        keep: {
            type: "boolean",
            describe: "keep the drill stack to inspect it (destroy it by hand afterwards)",
        },
        ...CHANGE_OPTIONS,
    },
    parse: (values, context): DrillRequest => {
        const restoreText = typeof values["restore-time"] === "string" ? values["restore-time"] : "latest";
        const problems = restoreTimeProblems("--restore-time", restoreText, replicatedWindow(context));
        const scope = values.scope ?? "database";
        if (!(DRILL_SCOPES as readonly unknown[]).includes(scope)) {
            problems.push(problem("--scope", `be one of ${DRILL_SCOPES.join(", ")}`, scope));
        }
        if (problems.length > 0) {
            throw new UsageError(problems);
        }
        const restore = parseRestoreTime(restoreText);
        return {
            restoreTime: restore === "latest" ? "latest" : restore.toISOString(),
            scope: values.scope === "full" ? "full" : "database",
            keep: values.keep === true,
            change: changeRequestOf(values),
        };
    },
    run: async (request, context) => (await import("./command")).runDrill(request, context),
};
