import { problem, UsageError } from "../../run/refusal";
import { CommandDefinition } from "../definition";
import { StatusFormat, StatusRequest, STATUS_FORMATS } from "./request";

/** True when `value` is one of {@link STATUS_FORMATS}. */
function isStatusFormat(value: unknown): value is StatusFormat {
    return (STATUS_FORMATS as readonly unknown[]).includes(value);
}

/**
 * `npm run dr -- status`: the age of each DR copy against its RPO, and whether a failover
 * could start now and meet its RTO. Read-only; exit 0 only when READY.
 */
export const statusDefinition: CommandDefinition<StatusRequest> = {
    path: ["status"],
    summary:
        "read-only DR readiness: each DR copy's age against its RPO, the dr stack, DNS failover, the failover lock and journal, the projected RTO; exit 1 unless READY",
    options: {
        format: {
            type: "string",
            describe: "text (a table for people) or json (the document alone, for the scheduled run)",
            choices: STATUS_FORMATS,
            defaultValue: "text",
        },
    },
    parse: (values): StatusRequest => {
        const format = values.format ?? "text";
        if (!isStatusFormat(format)) {
            throw new UsageError(problem("--format", `be one of ${STATUS_FORMATS.join(", ")}`, format));
        }
        return { format };
    },
    run: async (request, context) => (await import("./command")).runStatus(request, context),
};
