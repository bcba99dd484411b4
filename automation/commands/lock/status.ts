import type { CommandContext } from "../definition";
import { lockTableName } from "../../../lib/naming";
import { describeHolderJournal, holderJournal } from "./holder-journal";

/**
 * `npm run dr -- lock status`: who holds the failover lock, since when, and what that run's
 * journal says. Reads only. Exit 0 whether the lock is free or held (it is a question, not a
 * check: `status` is the check), 1 when the lock cannot be read.
 */
export async function lockStatus(context: CommandContext): Promise<number> {
    const { ports, config } = context;
    const out = ports.output;
    let holder;
    try {
        holder = await ports.lock.holder();
    } catch (error) {
        out(
            `error: the failover lock could not be read: ${error instanceof Error ? error.message : String(error)}`,
        );
        return 1;
    }
    if (!holder) {
        out(
            `the failover lock is free (lock table ${lockTableName(config.prefix)}, ${config.drRegion}): a failover may start`,
        );
        return 0;
    }
    out(`the failover lock is held by run ${holder.owner} since ${holder.since}, taken by ${holder.by}`);
    const journal = await holderJournal(holder.owner, config, ports, context.workDir, context.simulated);
    out(`  ${describeHolderJournal(journal, ports.now())}`);
    out(
        "  it stays held after a failover until failback; release it only when no failover runs: " +
            `npm run dr -- lock release --run-id ${holder.owner}`,
    );
    return 0;
}
