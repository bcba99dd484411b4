import { configKey } from "../../../config/keys";
import { ARTIFACT_PREFIXES } from "../../../lib/artifacts";
import {
    bucketName,
    clusterName,
    failbackDatabaseIdentifier,
    primaryDatabaseIdentifier,
    retiredDatabaseIdentifier,
} from "../../../lib/naming";
import { Refusal } from "../../run/refusal";
import type { ChangingCommand, PlanContext } from "../../run/runner";
import type { RunPlan } from "../../run/plan";
import { artifactReportStore, stateBucketJournalMirror } from "../../run/stores";
import type { ChangeRequest } from "../change-options";
import type { CommandContext } from "../definition";
import { drDatabaseOf, failoverHolder, parseSetting } from "../reprotect/source";
import { minuteStamp } from "../restore/database/names";
import { runInContext } from "../run-in-context";
import { RUNNER_UP_STEP, runnerTarget, runnerUpStepsAfter, stackUpPlace } from "../shared/runner-deploy";
import { caughtUpStep, freezeStep } from "./freeze";
import { finishSteps } from "./finish";
import { homeSteps } from "./home";
import { measureFailback } from "./measure";
import { restoredGenerationOf, UP_HERE_STEP, upHereStep } from "./up";
import {
    DNS_NOT_MANAGED,
    FailbackTarget,
    preflightHomeStep,
    preflightReplicaStep,
    PREFLIGHT_REPLICA_STEP,
    reprotectionRefusal,
} from "./preflight";
import { promoteHomeStep } from "./promote";

/*
 * `npm run dr -- failback`: after a failover and re-protection (`reprotect`), the platform comes
 * home without losing what the DR region wrote. Preflights (the home region healthy, traffic
 * held on DR, the home replica within the RPO); the DR platform's writes frozen; the home
 * replica waited for until it holds the last of them, then promoted and given the home
 * database's name (the stale one kept under another); the primary stack's state made to agree,
 * and its up; the data checked; traffic home; dr back to its posture; the lock released.
 */

/** What `failback` was asked: it takes no arguments of its own. */
export interface FailbackRequest {
    /** How the run runs: dry run, confirmation, journal and report locations. */
    readonly change: ChangeRequest;
}

/** The journal's and the report's operation. */
export const FAILBACK_OPERATION = "failback";

/** The pin of what the failback ends: a resumed run keeps it, since its own steps unset what it was read from. */
const ORIGIN_PIN = "origin";

/** What a failback ends: the failover holding the lock and the home replica re-protection declared. */
interface FailbackOrigin {
    readonly holder: { readonly owner: string; readonly since: string };
    readonly source: string;
    readonly raw: string;
}

/**
 * Reads the failover the run ends and the home replica re-protection declared. A resumed run
 * takes them from its pins: by then its own steps may have removed `webank:failback`, set
 * `webank:activated` false or released the lock.
 */
async function originOf(context: CommandContext, run: PlanContext): Promise<FailbackOrigin> {
    const pinned = run.pins[ORIGIN_PIN];
    if (pinned) {
        return JSON.parse(pinned) as FailbackOrigin;
    }
    const { config, ports } = context;
    const holder = await failoverHolder(ports);
    const source = await drDatabaseOf(config, await ports.workspace.selectStack("dr"));
    const raw = await (await ports.workspace.selectStack("primary")).getConfig(configKey("failback"));
    const setting = raw === undefined ? undefined : parseSetting(raw);
    if (raw === undefined || !setting || setting.source !== source) {
        throw new Refusal(reprotectionRefusal(raw, source), 1);
    }
    return { holder, source, raw };
}

/** Reads only: the failover it ends, the DR database, the home replica, where the DR cluster is reached from. */
async function planFailback(context: CommandContext, run: PlanContext): Promise<RunPlan> {
    const { config, ports } = context;
    if (!config.platform.traffic) {
        throw new Refusal(DNS_NOT_MANAGED, 1);
    }
    const origin = await originOf(context, run);
    const { holder, source, raw } = origin;
    const setting = parseSetting(raw)!;
    // The freeze reaches the DR cluster's private API endpoint with kubectl from here.
    const dr = await ports.workspace.selectStack("dr");
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
    const primary = await ports.workspace.selectStack("primary");
    const stamp = minuteStamp(run.startedAt);
    const account = await ports.identity.accountId();
    const backup = (stack: string, region: string) => ({
        bucket: bucketName(config.prefix, "artifacts", account, region),
        key: `${ARTIFACT_PREFIXES.stackExports}${stack}/before-failback-${stamp}.json`,
    });
    const homeName = primaryDatabaseIdentifier(config.prefix);
    const retiredHome = retiredDatabaseIdentifier(homeName, stamp);
    const retiredDr = retiredDatabaseIdentifier(source, stamp);
    const place = await stackUpPlace(primary);
    const runner = place.runner ? await runnerTarget(config, ports, "primary") : undefined;
    return {
        summary: `failback of ${config.prefix} to ${config.homeRegion}: ${target.replica}, the home replica of ${source}, promoted as ${homeName} once it holds the DR region's last write; traffic home; dr ${config.dr.posture} again`,
        findings: [
            `the failover ${holder.owner} holds the lock since ${holder.since}: ${source} in ${config.drRegion} takes the writes`,
            `${configKey("failback")} on the primary stack: ${raw}`,
            `writes stop on ${target.drCluster} from the freeze until the home platform writes into ${homeName} again; traffic stays on DR until then`,
            `kept, never deleted: the stale home database as ${retiredHome}, the DR database as ${retiredDr}`,
            place.reason,
            "pulumi up of primary and of dr apply every pending change of those stacks: preview them first",
        ],
        question:
            `Freeze the writes on ${target.drCluster}, promote ${target.replica} once it holds the last of them, make it ${homeName}, ` +
            `bring the primary stack up on it, switch traffic home and return dr to its ${config.dr.posture} posture?`,
        steps: [
            preflightHomeStep(config, ports),
            preflightReplicaStep(config, ports, target),
            freezeStep(config, ports, target, ["preflight-home", PREFLIGHT_REPLICA_STEP]),
            caughtUpStep(config, ports, target),
            promoteHomeStep(config, ports, target),
            ...homeSteps(config, ports, target, {
                retired: retiredHome,
                stateBackup: backup("primary", config.homeRegion),
                primary,
                upSteps: runner
                    ? runnerUpStepsAfter(runner, ports, run)
                    : (after) => [upHereStep(ports, primary, homeName, after)],
                upStep: runner ? RUNNER_UP_STEP : UP_HERE_STEP,
            }),
            ...finishSteps(config, ports, target, {
                runId: run.runId,
                retired: retiredDr,
                generation: restoredGenerationOf(config.prefix, source),
                stateBackup: backup("dr", config.drRegion),
            }),
        ],
        pins: { [ORIGIN_PIN]: JSON.stringify(origin) },
        measure: (journal) => measureFailback(journal, config, target),
        next: () => [
            `${homeName} in ${config.homeRegion} serves with every write the DR region took; the lock is free: a failover can run again.`,
            `Kept for you to retire once nobody needs them (deletion protection on): ${retiredHome} (if the home region still had one) and ${retiredDr}.`,
        ],
    };
}

/** The failback as a changing command for the runner. */
export function failbackCommand(context: CommandContext): ChangingCommand {
    const { config, ports } = context;
    return {
        operation: FAILBACK_OPERATION,
        title: `failback of ${config.prefix} to ${config.homeRegion}`,
        request: {},
        resumeArgs: [FAILBACK_OPERATION],
        journalMirror: stateBucketJournalMirror(config, ports),
        reportStore: artifactReportStore(config, ports, FAILBACK_OPERATION),
        plan: (run) => planFailback(context, run),
    };
}

/** Runs the failback through the runner. */
export function runFailback(request: FailbackRequest, context: CommandContext): Promise<number> {
    return runInContext(failbackCommand(context), request.change, context);
}
