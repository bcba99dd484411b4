import { CHANGE_OPTIONS, changeRequestOf } from "../change-options";
import { CommandDefinition } from "../definition";
import type { FailbackRequest } from "./command";

/** `failback`: after a failover and `reprotect`, come home without losing what the DR region wrote (./command.ts). */
export const failbackDefinition: CommandDefinition<FailbackRequest> = {
    path: ["failback"],
    summary:
        "after a failover and reprotect: freeze the DR platform's writes, promote the home replica once it holds the last of them, bring the home platform up on it, switch traffic home, return dr to its posture, release the lock",
    options: { ...CHANGE_OPTIONS },
    parse: (values): FailbackRequest => ({ change: changeRequestOf(values) }),
    run: async (request, context) => (await import("./command")).runFailback(request, context),
};
