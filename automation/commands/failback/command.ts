import { configKey } from "../../../config/keys";
import { clusterName, failbackDatabaseIdentifier } from "../../../lib/naming";
import { measurement, minutesBetween } from "../../run/report";
import { Refusal } from "../../run/refusal";
import type { ChangingCommand } from "../../run/runner";
import type { RunPlan } from "../../run/plan";
import { artifactReportStore, stateBucketJournalMirror } from "../../run/stores";
import type { ChangeRequest } from "../change-options";
import type { CommandContext } from "../definition";
import { drDatabaseOf, failoverHolder, parseSetting } from "../reprotect/source";
import { runInContext } from "../run-in-context";
import { CAUGHT_UP_STEP, caughtUpStep, FREEZE_STEP, freezeStep } from "./freeze";
import {
    FailbackTarget,
    preflightHomeStep,
    preflightReplicaStep,
    PREFLIGHT_REPLICA_STEP,
    reprotectionRefusal,
} from "./preflight";
import { promoteHomeStep } from "./promote";

/*
 * `failback`, its first phase: after re-protection, the DR platform's writes are frozen, the
 * home replica is waited for until it holds the DR region's last write, and it is promoted.
 * What follows the promotion (the primary stack serving from it, traffic home, dr back to its
 * posture, the lock released) is not built yet, so this command is not in the CLI's registry:
 * docs/architecture.md, "Failback", says what remains.
 */

/** What `failback` was asked: it takes no arguments of its own. */
export interface FailbackRequest {
    /** How the run runs: dry run, confirmation, journal and report locations. */
    readonly change: ChangeRequest;
}

/** The journal's and the report's operation. */
export const FAILBACK_OPERATION = "failback";

/** Reads only: the failover it ends, the DR database, the home replica, where the DR cluster is reached from. */
async function planFailback(context: CommandContext): Promise<RunPlan> {
    const { config, ports } = context;
    const holder = await failoverHolder(ports);
    const dr = await ports.workspace.selectStack("dr");
    const source = await drDatabaseOf(config, dr);
    const raw = await (await ports.workspace.selectStack("primary")).getConfig(configKey("failback"));
    const setting = raw === undefined ? undefined : parseSetting(raw);
    if (!setting || setting.source !== source) {
        throw new Refusal(reprotectionRefusal(raw, source), 1);
    }
    // The freeze reaches the DR cluster's private API endpoint with kubectl from here.
    const access = (await dr.getConfig(configKey("kubernetesAccess"))) ?? "runner";
    if (access !== "direct") {
        throw new Refusal(
            `the dr stack's ${configKey("kubernetesAccess")} is ${access}: the failback's write freeze reaches the DR cluster's private ` +
                "API endpoint with kubectl from where it runs. Run it from a machine that reaches the DR VPC (VPN, Direct Connect, or an " +
                `address in webank:apiPublicAccessCidrs) after: pulumi config set -s dr ${configKey("kubernetesAccess")} direct. Nothing was changed`,
            1,
        );
    }
    const target: FailbackTarget = {
        holder: holder.owner,
        setting,
        replica: failbackDatabaseIdentifier(config.prefix, setting.generation),
        drCluster: clusterName(config.prefix, "dr"),
    };
    return {
        summary: `failback of ${config.prefix} to ${config.homeRegion}: ${target.replica}, the home replica of ${source}, promoted once it holds the DR region's last write`,
        findings: [
            `the failover ${holder.owner} holds the lock since ${holder.since}: ${source} in ${config.drRegion} takes the writes`,
            `${configKey("failback")} on the primary stack: ${raw}`,
            `writes stop on ${target.drCluster} from the freeze until the home platform takes them; traffic stays on DR meanwhile`,
        ],
        question:
            `Freeze the writes on ${target.drCluster}, wait until ${target.replica} holds the last of them, and promote it in ${config.homeRegion}? ` +
            `The DR platform stays frozen afterwards and traffic stays on DR until the failback's next steps run.`,
        steps: [
            preflightHomeStep(config, ports),
            preflightReplicaStep(config, ports, target),
            freezeStep(config, ports, target, ["preflight-home", PREFLIGHT_REPLICA_STEP]),
            caughtUpStep(config, ports, target),
            promoteHomeStep(config, ports, target),
        ],
        measure: (journal) => {
            const caught = journal.steps.find((s) => s.step === CAUGHT_UP_STEP)?.data;
            const frozen = journal.steps.find((s) => s.step === FREEZE_STEP)?.data?.frozenAt;
            const notes = frozen ? [`writes frozen on ${target.drCluster} since ${frozen}`] : [];
            if (!caught?.drNewestBeat || !caught.homeNewestBeat) {
                return {
                    notes: [
                        ...notes,
                        "no data-loss figure: the home replica was not shown to hold the DR region's last write",
                    ],
                };
            }
            const lost = Math.max(0, minutesBetween(caught.homeNewestBeat, caught.drNewestBeat));
            return {
                rpo: measurement(
                    `data lost: DR writes the promoted ${target.replica} lacks (heartbeat ${caught.drNewestBeat})`,
                    lost,
                    0,
                ),
                notes,
            };
        },
        next: () => [
            `${target.replica} is standalone in ${config.homeRegion} with every write the DR region took; writes on ${target.drCluster} stay frozen.`,
        ],
    };
}

/** The failback's first phase as a changing command for the runner. */
export function failbackCommand(context: CommandContext): ChangingCommand {
    const { config, ports } = context;
    return {
        operation: FAILBACK_OPERATION,
        title: `failback of ${config.prefix} to ${config.homeRegion}`,
        request: {},
        resumeArgs: [FAILBACK_OPERATION],
        journalMirror: stateBucketJournalMirror(config, ports),
        reportStore: artifactReportStore(config, ports, FAILBACK_OPERATION),
        plan: () => planFailback(context),
    };
}

/** Runs the failback through the runner. */
export function runFailback(request: FailbackRequest, context: CommandContext): Promise<number> {
    return runInContext(failbackCommand(context), request.change, context);
}
