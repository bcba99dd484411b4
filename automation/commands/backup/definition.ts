import { problem, UsageError } from "../../run/refusal";
import { CHANGE_OPTIONS, changeRequestOf } from "../change-options";
import { CommandDefinition } from "../definition";
import type { BackupCommandRequest } from "./command";

/** A `--label`: lowercase letters, digits and hyphens, 1 to 40 characters (it goes into names and tags). */
export const LABEL_PATTERN = /^[a-z0-9-]{1,40}$/;

/** `npm run dr -- backup`. */
export const backupDefinition: CommandDefinition<BackupCommandRequest> = {
    path: ["backup"],
    summary:
        "back up everything now (e.g. before a risky change): RDS snapshot copied to the DR region, AWS Backup jobs, stack exports, mirror and Argo CD export; waits and verifies each",
    options: {
        label: {
            type: "string",
            describe: "why, e.g. before-release-42 (lowercase letters, digits, hyphens; kept in the journal)",
        },
        ...CHANGE_OPTIONS,
    },
    parse: (values): BackupCommandRequest => {
        const label = values.label;
        if (label !== undefined && (typeof label !== "string" || !LABEL_PATTERN.test(label))) {
            throw new UsageError(
                problem(
                    "--label",
                    "be 1 to 40 lowercase letters, digits and hyphens (e.g. before-release-42)",
                    label,
                ),
            );
        }
        return { ...(typeof label === "string" ? { label } : {}), change: changeRequestOf(values) };
    },
    run: async (request, context) => (await import("./command")).runBackup(request, context),
};
