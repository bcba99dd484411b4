import { CHANGE_OPTIONS, changeRequestOf } from "../change-options";
import { CommandDefinition } from "../definition";
import type { ReprotectRequest } from "./command";

/** `npm run dr -- reprotect`. */
export const reprotectDefinition: CommandDefinition<ReprotectRequest> = {
    path: ["reprotect"],
    summary:
        "after a failover: a read replica of the DR database in the home region (pulumi up -s primary), waited for until within the database RPO; traffic and the lock untouched",
    options: { ...CHANGE_OPTIONS },
    parse: (values): ReprotectRequest => ({ change: changeRequestOf(values) }),
    run: async (request, context) => (await import("./command")).runReprotect(request, context),
};
