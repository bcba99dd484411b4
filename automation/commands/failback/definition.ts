import { CHANGE_OPTIONS, changeRequestOf } from "../change-options";
import { CommandDefinition } from "../definition";
import type { FailbackRequest } from "./command";

/** `failback`: not in the CLI's registry until its steps after the promotion exist (./command.ts). */
export const failbackDefinition: CommandDefinition<FailbackRequest> = {
    path: ["failback"],
    summary:
        "after a failover and re-protection: freeze the DR platform's writes, wait until the home replica holds the last of them, promote it",
    options: { ...CHANGE_OPTIONS },
    parse: (values): FailbackRequest => ({ change: changeRequestOf(values) }),
    run: async (request, context) => (await import("./command")).runFailback(request, context),
};
