import type { StackConfig } from "../../../config/stack-config";
import type { RecoveryPorts } from "../../ports";
import type { Step } from "../../run/steps";
import { DATABASE_WAIT_MINUTES } from "../shared/restored-database";
import { CAUGHT_UP_STEP } from "./freeze";
import type { FailbackTarget } from "./preflight";

/** The step that promotes the home replica. */
export const PROMOTE_HOME_STEP = "promote-home";

/**
 * Promotes the home replica to a standalone instance once it holds the DR region's last write
 * (PromoteReadReplica, with the primary's backup retention so it has point-in-time recovery at
 * once), then waits until RDS shows it available and without a replica source. An instance an
 * earlier attempt already promoted is not promoted again; one that is a replica of anything but
 * the DR database is refused.
 */
export function promoteHomeStep(config: StackConfig, ports: RecoveryPorts, target: FailbackTarget): Step {
    const { replica, setting } = target;
    const home = ports.home.replica;
    const check = `aws rds describe-db-instances --region ${home.region} --db-instance-identifier ${replica}`;
    return {
        name: PROMOTE_HOME_STEP,
        after: [CAUGHT_UP_STEP],
        describe: `promote ${replica} to a standalone instance in ${home.region} (PromoteReadReplica, ${config.database.backupRetentionDays} days of backups) and wait until it is available`,
        timeoutMinutes: DATABASE_WAIT_MINUTES,
        run: async () => {
            const found = await home.describeReplica(replica);
            if (!found) {
                throw new Error(
                    `${replica} is missing in ${home.region}, though the preflight found it; nothing was promoted and writes stay frozen. Check it with: ${check}`,
                );
            }
            const sourceArn = (await ports.dr.database.describeInstance(setting.source))?.arn;
            if (found.source !== undefined && found.source !== sourceArn) {
                throw new Error(
                    `${replica} replicates ${found.source}, not the DR database ${setting.source}: nothing was promoted and writes stay frozen. Check it with: ${check}`,
                );
            }
            const now = found.source !== undefined;
            if (now) {
                await home.promote(replica, config.database.backupRetentionDays);
            }
            await home.waitPromoted(replica, DATABASE_WAIT_MINUTES);
            return {
                detail: now
                    ? `promoted ${replica}: available and standalone in ${home.region}`
                    : `${replica} was already standalone (promoted by an earlier attempt): not promoted again`,
                data: { promoted: now ? "now" : "earlier" },
            };
        },
    };
}
