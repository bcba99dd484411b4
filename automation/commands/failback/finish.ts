import { applyStateEdit, StateBackup } from "./state-apply";
import type { StackConfig } from "../../../config/stack-config";
import { configKey } from "../../../config/keys";
import { drDatabaseUrns } from "../../../lib/stack-urns";
import type { RecoveryPorts } from "../../ports";
import type { Step } from "../../run/steps";
import { awaitAnswer } from "../failover/common-steps";
import { VERIFY_HOME_STEP } from "./home";
import type { FailbackTarget } from "./preflight";
import { forgetResources } from "./state-edit";

/*
 * The end of a failback: traffic goes home (the tool's switch released, Route 53 checked to
 * answer with the home endpoint), the dr stack returns to its posture, and the failover lock
 * is released. The DR database that took the writes during the outage is renamed away and
 * forgotten by the dr stack's state, never deleted: its name is free again for the next
 * failover (in hot, the dr stack's up makes a new read replica of the home database under it).
 */

/** The step whose end means "traffic is home" in the report. */
export const SWITCH_HOME_STEP = "switch-home";

/** What the finishing steps need besides the target. */
export interface FinishRun {
    /** The run id (the journal's). */
    readonly runId: string;
    /** The DR database's name once retired (lib/naming.ts retiredDatabaseIdentifier). */
    readonly retired: string;
    /** The generation of the restored DR database (pilot light, warm); unused in hot. */
    readonly generation: number;
    /** Where the dr stack's state is saved before its edit: bucket (DR artifact replica) and key. */
    readonly stateBackup: StateBackup;
    /** Milliseconds between checks of the DNS answer. @default common-steps DNS_POLL_MILLISECONDS */
    readonly dnsPollMilliseconds?: number;
}

/** Switch home, dr back to its posture, the lock released. */
export function finishSteps(
    config: StackConfig,
    ports: RecoveryPorts,
    target: FailbackTarget,
    run: FinishRun,
): Step[] {
    const traffic = config.platform.traffic;
    const source = target.setting.source;
    const drDatabase = ports.dr.database;
    const hot = config.dr.posture === "hot";
    return [
        {
            name: SWITCH_HOME_STEP,
            after: [VERIFY_HOME_STEP],
            describe: "release the tool's Route 53 switch and check Route 53 answers with the home endpoint",
            run: async (context) => {
                if (!traffic) {
                    throw new Error(
                        "DNS failover is not managed: the preflight should have refused this failback",
                    );
                }
                const switchId = context.dataOf("preflight-home")?.switchId ?? "";
                await ports.traffic.holdOnDr(switchId, false);
                const answer = await awaitAnswer(ports, traffic, traffic.primaryEndpoint, {
                    runId: run.runId,
                    dnsPollMilliseconds: run.dnsPollMilliseconds,
                });
                return `${traffic.recordName} answers ${answer}: traffic is home; switch ${switchId} released`;
            },
        },
        {
            name: "stand-down-dr",
            after: [SWITCH_HOME_STEP],
            describe: `return dr to its ${config.dr.posture} posture: ${source} renamed to ${run.retired} and forgotten by the dr stack's state (kept), ${configKey("activated")} false, pulumi up -s dr`,
            timeoutMinutes: 90,
            run: async () => {
                if (!(await drDatabase.describeInstance(run.retired))) {
                    if (!(await drDatabase.describeInstance(source))) {
                        throw new Error(
                            `neither ${source} nor ${run.retired} exists in ${drDatabase.region}; nothing was changed on dr. ` +
                                `Look with: aws rds describe-db-instances --region ${drDatabase.region}`,
                        );
                    }
                    await drDatabase.renameInstance(source, run.retired);
                    await drDatabase.waitAvailable(run.retired, 30);
                }
                const dr = await ports.workspace.selectStack("dr");
                const before = await dr.exportState();
                const edit = forgetResources(before, [
                    drDatabaseUrns(config.project, config.prefix, hot, run.generation).component,
                ]);
                const saved = await applyStateEdit(dr, ports.dr.objects, run.stateBackup, before, edit);
                await dr.removeConfig([configKey("restore")]);
                await dr.setConfig({ [configKey("activated")]: "false" });
                await dr.up({ onOutput: ports.output });
                return (
                    `${source} is ${run.retired} now, kept with its data (deletion protection stays on); dr is ${config.dr.posture} again` +
                    (edit.forgotten.length > 0
                        ? `; forgotten by its state (the state before is in ${saved}): ${edit.forgotten.length} resources`
                        : "")
                );
            },
        },
        {
            name: "release-lock",
            after: ["stand-down-dr"],
            describe: `release the failover lock ${target.holder} holds`,
            run: async () => {
                if (await ports.lock.release(target.holder)) {
                    return `lock released (it was held by ${target.holder})`;
                }
                const holder = await ports.lock.holder();
                if (!holder) {
                    return "the lock was free already (an earlier attempt released it)";
                }
                throw new Error(
                    `the failover lock is held by ${holder.owner} (since ${holder.since}), not by ${target.holder}: left as it is. ` +
                        "Check with: npm run dr -- lock status",
                );
            },
        },
    ];
}
