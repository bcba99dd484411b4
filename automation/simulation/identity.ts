import { CallerIdentity, IdentityPort } from "../ports";
import { roleUniqueId } from "./formats";
import type { WorldCore } from "./world-core";

/** The role a rehearsal runs as: the operators' role, as automation/ports.ts names it in its example. */
export const SIMULATED_ROLE = "webank-dr-operator";

/** An STS role session name: 2 to 64 of `[\w+=,.@-]` (AssumeRole API reference, RoleSessionName). */
function sessionName(operator: string): string {
    const name = operator
        .split("@")[0]
        .replace(/[^\w+=,.@-]/g, "-")
        .slice(0, 64);
    return name.length >= 2 ? name : "rehearsal";
}

/**
 * The caller as STS GetCallerIdentity answers for an assumed-role session (STS API
 * reference, example response): `Account` the 12-digit id, `Arn`
 * `arn:aws:sts::<account>:assumed-role/<role>/<session>`, `UserId` `<role id>:<session>`.
 */
export function callerIdentityOf(world: WorldCore): CallerIdentity {
    const session = sessionName(world.operator);
    return {
        account: world.accountId,
        arn: `arn:aws:sts::${world.accountId}:assumed-role/${SIMULATED_ROLE}/${session}`,
        userId: `${roleUniqueId(`${world.accountId}/${SIMULATED_ROLE}`)}:${session}`,
    };
}

/** The caller's identity (reads nothing from the world but its account). */
export function identityPort(world: WorldCore): IdentityPort {
    return {
        accountId: () => world.enter("identity.accountId").then(() => world.accountId),
        callerIdentity: () => world.enter("identity.callerIdentity").then(() => callerIdentityOf(world)),
    };
}
