import { FailoverLockedError, LockPort } from "../ports";
import type { WorldCore } from "./world-core";

/**
 * The failover lock: the lock table's item, taken with a conditional write (free, or already
 * the owner's: a resumed run), released only by its owner (automation/adapters/aws/lock.ts).
 * Each call is one transaction, so two processes racing for it see one account: exactly one
 * takes it, the other gets {@link FailoverLockedError} naming the holder.
 */
export function lockPort(world: WorldCore): LockPort {
    return {
        acquire: async (owner) => {
            await world.enter("lock.acquire");
            world.transact(() => {
                if (world.lockHolder && world.lockHolder !== owner) {
                    throw new FailoverLockedError(world.lockDetails());
                }
                if (world.lockHolder !== owner) {
                    world.lockHolder = owner;
                    world.lockInfo = { since: world.now().toISOString(), by: world.operator };
                    world.record(`lock ${owner}`);
                }
            });
        },
        holder: async () => {
            await world.enter("lock.holder");
            return world.transact(() => (world.lockHolder ? world.lockDetails() : undefined));
        },
        release: async (owner) => {
            await world.enter("lock.release");
            return world.transact(() => {
                if (world.lockHolder !== owner) {
                    return false;
                }
                world.lockHolder = undefined;
                world.lockInfo = undefined;
                world.record(`unlock ${owner}`);
                return true;
            });
        },
    };
}
