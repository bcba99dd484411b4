import type { StackConfig } from "../../../config/stack-config";
import { JournalDocument } from "../../run/journal";
import { measurement, Measurements, minutesBetween } from "../../run/report";
import { ChangingCommand } from "../../run/runner";
import { runInContext } from "../run-in-context";
import { artifactReportStore, stateBucketJournalMirror } from "../../run/stores";
import { ChangeRequest } from "../change-options";
import { CommandContext } from "../definition";
import { fallbackRpoNote, journaledChoice } from "../shared/restore-source";
import { achievedRpo } from "../shared/restored-data";
import { failoverSteps, SERVICE_RESTORED_STEP } from "./steps";
import type { OnRunnerRequest } from "./on-runner-options";
import { hotFailoverSteps, PROMOTE_STEP, REPLICA_STEP } from "./hot-steps";
import {
    assessmentLine,
    assessReplica,
    hotRpo,
    pinnedAssessment,
    REPLICA_PIN,
    ReplicaAssessment,
} from "./hot-rpo";

/** What a completed failover says comes next: the two commands that bring the platform home. */
const COMING_HOME =
    "to come home once the home region answers: npm run dr -- reprotect (a read replica of the DR database there), then npm run dr -- failback";
/** What the operator asked a failover for, checked by the parser. */
export interface FailoverRequest {
    /** `latest`, or an ISO-8601 instant in UTC (normalised). */
    readonly restoreTime: string;
    /** When the primary failed (ISO-8601, UTC), for the achieved RPO; undefined: the run's start. */
    readonly failureTime?: string;
    /** `--accept-rpo`: hot posture only, the projected RPO (replica lag) in minutes the operator accepts above the objective. @default none */
    readonly acceptRpoMinutes?: number;
    /** How the run runs: dry run, confirmation, journal and report locations. */
    readonly change: ChangeRequest;
    /** `pulumi up --parallel` (the benchmark's baseline). @default Pulumi's own */
    readonly parallel?: number;
    /** Milliseconds between DNS checks after the switch. @default 10 000 (tests pass 0) */
    readonly dnsPollMilliseconds?: number;
    /** `--on-runner`: run it in the dr stack's deploy runner instead (on-runner.ts). @default here */
    readonly onRunner?: OnRunnerRequest;
    /** Milliseconds between two reads of the runner's build, log and journal. @default 10 000 (tests pass 0) */
    readonly runnerPollMilliseconds?: number;
}

/**
 * The arguments after `npm run dr --` that run `request` again, its defaults filled in: what
 * a resume repeats, and what the deploy runner runs with `--on-runner`.
 */
export function failoverArgs(request: FailoverRequest): string[] {
    return [
        "failover",
        "--restore-time",
        request.restoreTime,
        ...(request.failureTime ? ["--failure-time", request.failureTime] : []),
        ...(request.acceptRpoMinutes !== undefined ? ["--accept-rpo", String(request.acceptRpoMinutes)] : []),
    ];
}

/**
 * The question before the first change: the same whether the failover runs here or, with
 * `--on-runner`, in the deploy runner. `promoted` names the read replica a hot failover
 * promotes. `where` says where it runs. @default where: nothing (here)
 */
export function failoverQuestion(config: StackConfig, promoted: string | undefined, where = ""): string {
    const what =
        config.dr.posture === "hot"
            ? `PROMOTES the read replica${promoted ? ` ${promoted}` : ""} (replication from the home region stops for good)`
            : "restores the database there";
    return (
        `Fail over ${config.prefix} to ${config.drRegion}${where}? This takes the failover lock, activates the dr stack, ` +
        `${what} and switches traffic. The preflight checks run first: nothing changes if one fails.`
    );
}

/** The step that journaled the restore choice. */
const CHOICE_STEP = "preflight-restore-point";

/**
 * What a failover is measured against: the database's RPO (the data) and the platform's RTO
 * (service is back when traffic is switched, which needs the cluster as well as the database).
 */
export function failoverObjectives(config: StackConfig): { rpoMinutes: number; rtoMinutes: number } {
    return {
        rpoMinutes: config.objectives.database.rpoMinutes,
        rtoMinutes: config.objectives.cluster.rtoMinutes,
    };
}

/**
 * The measured RTO and achieved RPO of a failover, from its journal. RTO counts from the run's
 * first start; it is "service restored" only when traffic was switched. Without DNS failover
 * it is measured to "platform ready" (verified), and says clients must still be moved.
 */
export function measureFailover(
    journal: JournalDocument,
    config: StackConfig,
    failureTime: string | undefined,
): Measurements {
    const objectives = failoverObjectives(config);
    const entry = (step: string) => journal.steps.find((s) => s.step === step);
    const switched = entry(SERVICE_RESTORED_STEP);
    const verified = entry("verify");
    const notes: string[] = [];
    let rto;
    if (switched?.data?.switched === "true") {
        rto = measurement(
            "run start to traffic switched (service restored)",
            minutesBetween(journal.startedAt, switched.completedAt),
            objectives.rtoMinutes,
        );
    } else if (verified) {
        rto = measurement(
            "run start to platform ready: DNS failover is not managed, so service is restored only once clients are pointed at the DR endpoint",
            minutesBetween(journal.startedAt, verified.completedAt),
            objectives.rtoMinutes,
        );
        notes.push("service restored is not claimed: traffic was not switched by this run");
    } else {
        notes.push("no RTO: the run did not get as far as a verified platform");
    }
    const chosen = entry(CHOICE_STEP)?.data;
    const replica = entry(REPLICA_STEP)?.data?.assessment;
    let rpo;
    if (replica) {
        const failure = failureTime ?? journal.startedAt;
        const hot = hotRpo(
            verified?.data,
            entry(PROMOTE_STEP)?.data,
            JSON.parse(replica) as ReplicaAssessment,
            {
                at: failure,
                text: `failure time ${failure}${failureTime ? "" : " (the run's start: no --failure-time given)"}`,
            },
            objectives.rpoMinutes,
        );
        rpo = hot.rpo;
        notes.push(...hot.notes);
    } else if (chosen) {
        const choice = journaledChoice(chosen);
        const point = choice.point;
        const failure = failureTime ?? journal.startedAt;
        // The data decides: the newest heartbeat the restored database holds is the last write
        // known to have survived. AWS's restore point is beside it, for comparison.
        const achieved = achievedRpo(
            verified?.data,
            point,
            {
                at: failure,
                text: `failure time ${failure}${failureTime ? "" : " (the run's start: no --failure-time given)"}`,
            },
            objectives.rpoMinutes,
        );
        rpo = achieved.rpo;
        if (achieved.note) {
            notes.push(achieved.note);
        }
        const fallback = fallbackRpoNote(config, choice);
        if (fallback) {
            notes.push(fallback);
        }
    } else {
        notes.push("no RPO: no restore point was chosen");
    }
    return { ...(rto ? { rto } : {}), ...(rpo ? { rpo } : {}), notes };
}

/** The failover as a changing command for the runner. */
export function failoverCommand(request: FailoverRequest, context: CommandContext): ChangingCommand {
    const { config, ports } = context;
    return {
        operation: "failover",
        title: `failover of ${config.prefix} to ${config.drRegion}`,
        request: {
            "--restore-time": request.restoreTime,
            ...(request.failureTime ? { "--failure-time": request.failureTime } : {}),
            ...(request.acceptRpoMinutes !== undefined
                ? { "--accept-rpo": String(request.acceptRpoMinutes) }
                : {}),
        },
        resumeArgs: failoverArgs(request),
        journalMirror: stateBucketJournalMirror(config, ports),
        reportStore: artifactReportStore(config, ports, "failover"),
        plan: async (run) => {
            if (config.dr.posture === "hot") {
                return hotPlan(request, context, run);
            }
            const steps = failoverSteps(
                config,
                {
                    restoreTime: request.restoreTime,
                    runId: run.runId,
                    failureTime: new Date(request.failureTime ?? run.startedAt.toISOString()),
                    parallel: request.parallel,
                    dnsPollMilliseconds: request.dnsPollMilliseconds,
                },
                ports,
            );
            // The benchmark's model, loaded only now: --help and other commands never load it.
            const { projectRtoMinutes } = await import("../../bench/failover-bench");
            const projected = await projectRtoMinutes(config, config.dr.posture);
            const objectives = failoverObjectives(config);
            return {
                summary: `the platform and the database in ${config.drRegion} (restore time ${request.restoreTime}), then traffic`,
                findings: [
                    config.platform.traffic
                        ? `DNS failover is managed: ${config.platform.traffic.recordName} in zone ${config.platform.traffic.zoneId}`
                        : "DNS failover is NOT managed (no webank:dnsZoneId): clients must be pointed at the DR endpoint by hand",
                ],
                question: failoverQuestion(config, undefined),
                steps,
                projectedRtoMinutes: projected.minutes,
                dryRunNotes: () =>
                    Promise.resolve([
                        `projected RTO: ${projected.text} (objective ${objectives.rtoMinutes} min)`,
                        `objectives: database RPO ${objectives.rpoMinutes} min, platform RTO ${objectives.rtoMinutes} min`,
                    ]),
                measure: (journal) => measureFailover(journal, config, request.failureTime),
                next: (journal) => [
                    `the failover lock stays held by ${journal.runId} until failback: npm run dr -- lock status`,
                    COMING_HOME,
                ],
            };
        },
    };
}

/**
 * The plan of a failover in the hot posture: the replica is assessed first (a refusal here
 * changes and writes nothing), or taken from the pins of the run being resumed, since after the
 * promotion it is no replica any more. The projected RTO is the benchmark's simulated hot
 * failover (the same hot steps against the simulated account).
 */
async function hotPlan(
    request: FailoverRequest,
    context: CommandContext,
    run: { runId: string; startedAt: Date; pins: Readonly<Record<string, string>> },
) {
    const { config, ports } = context;
    const failureTime = new Date(request.failureTime ?? run.startedAt.toISOString());
    const assessment =
        pinnedAssessment(run.pins) ??
        (await assessReplica(config, ports, failureTime, request.acceptRpoMinutes));
    const objectives = failoverObjectives(config);
    // The benchmark's model, loaded only now: --help and other commands never load it.
    const { projectRtoMinutes } = await import("../../bench/failover-bench");
    const projected = await projectRtoMinutes(config, "hot");
    return {
        summary: `the platform in ${config.drRegion} on the promoted read replica ${assessment.identifier}, then traffic`,
        findings: [
            assessmentLine(assessment, config),
            config.platform.traffic
                ? `DNS failover is managed: ${config.platform.traffic.recordName} in zone ${config.platform.traffic.zoneId}`
                : "DNS failover is NOT managed (no webank:dnsZoneId): clients must be pointed at the DR endpoint by hand",
        ],
        question: failoverQuestion(config, assessment.identifier),
        steps: hotFailoverSteps(
            config,
            {
                runId: run.runId,
                assessment,
                failureTime,
                parallel: request.parallel,
                dnsPollMilliseconds: request.dnsPollMilliseconds,
            },
            ports,
        ),
        pins: { [REPLICA_PIN]: JSON.stringify(assessment) },
        projectedRtoMinutes: projected.minutes,
        dryRunNotes: () =>
            Promise.resolve([
                `projected RTO: ${projected.text} (objective ${objectives.rtoMinutes} min)`,
                `objectives: database RPO ${objectives.rpoMinutes} min, platform RTO ${objectives.rtoMinutes} min`,
            ]),
        measure: (journal: JournalDocument) => measureFailover(journal, config, request.failureTime),
        next: (journal: JournalDocument) => [
            `the failover lock stays held by ${journal.runId} until failback: npm run dr -- lock status`,
            `${assessment.identifier} is standalone now and takes the writes.`,
            COMING_HOME,
        ],
    };
}

/** Runs a failover request through the runner. */
export function runFailover(request: FailoverRequest, context: CommandContext): Promise<number> {
    return runInContext(failoverCommand(request, context), request.change, context);
}
