import { problem, UsageError } from "../../run/refusal";
import { CommandDefinition } from "../definition";

/** Output formats of the status command. */
export const STATUS_FORMATS = ["text", "json"] as const;

/** One of {@link STATUS_FORMATS}. */
export type StatusFormat = (typeof STATUS_FORMATS)[number];

/** What `npm run dr -- status` is asked. */
export interface StatusRequest {
    /**
     * `text` (an aligned table for people) or `json` (the status document of document.ts
     * alone, for the scheduled run to keep).
     * @default "text"
     */
    readonly format: StatusFormat;
}

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
