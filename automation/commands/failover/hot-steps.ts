import type { StackConfig } from "../../../config/stack-config";
import type { RecoveryPorts } from "../../ports";
import type { Step, StepOutcome } from "../../run/steps";
import { checkRestoredDatabase, DATABASE_WAIT_MINUTES } from "../shared/restored-database";
import {
    journaledSourceVersion,
    SOURCE_DATA_STEP,
    sourceDataStep,
    verifyRestoredData,
} from "../shared/restored-data";
import {
    lockStep,
    preflightStackStep,
    preflightTrafficStep,
    refreshStep,
    resumeExportsStep,
    SharedRunSettings,
    switchTrafficStep,
    upStep,
    waitPlatformStep,
} from "./common-steps";
import { replicaInstanceUrn } from "../../../lib/stack-urns";
import { assessmentLine, LAG_WINDOW_MINUTES, replayedAt, ReplicaAssessment } from "./hot-rpo";

/** The read-only step that journals the replica and its lag (the projected RPO). */
export const REPLICA_STEP = "preflight-replica";

/** The step that promotes the replica. */
export const PROMOTE_STEP = "promote";

/** The step that refreshes the promoted instance alone, once promoted and after the stack's refresh. */
export const REFRESH_DATABASE_STEP = "refresh-database";

/** What the hot failover's steps need of the run. */
export interface HotFailoverRun extends SharedRunSettings {
    /** What the plan found of the replica (or what the resumed run pinned). */
    readonly assessment: ReplicaAssessment;
    /** When the primary failed (the run's start without --failure-time), for the RPO at promotion. */
    readonly failureTime: Date;
}

/**
 * The failover in the hot posture, as steps. No restore anywhere: the DR database is the
 * cross-Region read replica, promoted through the replica port (PromoteReadReplica, then the
 * SDK waiter) before `up`, and a refresh of the promoted instance alone after it, so the stack's
 * state takes it as it is and `up` only scales the platform up. The preflights (the stack, the
 * replica and its lag, DNS, the source's migration version) run together; then the lock,
 * `webank:activated`, the promotion beside the whole stack's refresh, the promoted instance's
 * refresh, up, the platform, the data check against the promoted replica, and traffic. Each step is idempotent; a promotion that stopped midway is resumed, never repeated.
 */
export function hotFailoverSteps(config: StackConfig, run: HotFailoverRun, ports: RecoveryPorts): Step[] {
    const identifier = run.assessment.identifier;
    return [
        preflightStackStep(ports),
        {
            name: REPLICA_STEP,
            after: ["preflight-stack"],
            readOnly: true,
            describe: `check ${identifier} is a read replica of the home primary and project the RPO from its ReplicaLag`,
            run: (context) => {
                const posture = context.dataOf("preflight-stack")?.posture;
                if (posture !== "hot") {
                    throw new Error(
                        `the dr stack's webank:posture is ${posture ?? "unset"}, but this failover was planned for hot; nothing was changed. Check Pulumi.dr.yaml and run again`,
                    );
                }
                return Promise.resolve({
                    detail: assessmentLine(run.assessment, config),
                    data: { assessment: JSON.stringify(run.assessment) },
                });
            },
        },
        preflightTrafficStep(config, ports),
        sourceDataStep(config, ports.home),
        lockStep(config, ports, run.runId, [REPLICA_STEP, "preflight-traffic", SOURCE_DATA_STEP]),
        {
            name: "activate-config",
            after: ["lock"],
            describe:
                "set webank:activated on the DR stack (no webank:restore: the promoted replica is its database)",
            run: async () => {
                await (await ports.workspace.selectStack("dr")).setConfig({ "webank:activated": "true" });
                return "webank:activated = true";
            },
        },
        {
            name: PROMOTE_STEP,
            after: ["activate-config"],
            describe: `promote ${identifier} to a standalone instance (PromoteReadReplica, ${config.database.backupRetentionDays} days of backups) and wait until it is available`,
            timeoutMinutes: DATABASE_WAIT_MINUTES,
            run: () => promote(config, ports, run),
        },
        // The whole stack is read while RDS promotes (nothing else changes meanwhile), then
        // the promoted instance alone, so the promotion does not wait for the whole refresh.
        refreshStep(ports, ["activate-config"]),
        {
            name: REFRESH_DATABASE_STEP,
            after: [PROMOTE_STEP, "refresh"],
            describe: `pulumi refresh --target the promoted ${identifier}: the state takes it as it is now (no replica source), so up keeps it and promotes nothing`,
            run: async () => {
                const urn = replicaInstanceUrn(config.project, "dr", config.prefix);
                await (await ports.workspace.selectStack("dr")).refresh(ports.output, { targets: [urn] });
                return `refreshed ${urn}`;
            },
        },
        upStep(
            ports,
            run,
            "pulumi up of the DR stack: scale the platform up, keeping the promoted replica as its database",
            [REFRESH_DATABASE_STEP],
        ),
        waitPlatformStep(config, ports),
        {
            name: "verify",
            after: ["wait-platform"],
            describe:
                "check the promoted replica answers at the endpoint the stack reports, then open it and check its data: the newest heartbeat against the replica's last replayed transaction, the critical tables, the migration version",
            run: async (context) => {
                const endpoint = context.dataOf("up")?.dbEndpoint;
                const answers = await checkRestoredDatabase(ports.dr.database, identifier, endpoint, "dr");
                const point = context.dataOf(PROMOTE_STEP)?.replayedAt ?? run.assessment.replayedAt;
                const data = await verifyRestoredData({
                    data: ports.dr.data,
                    config,
                    identifier,
                    endpoint: endpoint ?? "",
                    point: new Date(point),
                    sourceMigrationVersion: journaledSourceVersion(context.dataOf(SOURCE_DATA_STEP)),
                    latest: true,
                    heldBack: "Traffic was NOT switched and the Argo CD exports stay suspended",
                });
                return { detail: `${answers}; ${data.detail}`, data: data.data };
            },
        },
        resumeExportsStep(config, ports),
        switchTrafficStep(config, ports, run),
    ];
}

/**
 * Promotes the replica unless an earlier attempt already did, then waits until it is available
 * and standalone. A replica that is not available yet (backing up, or a promotion RDS has not
 * started) is waited for first, since RDS refuses to promote it then; an instance already
 * without a replica source is never promoted again. Journals the lag read just before the
 * promotion, for the report.
 */
async function promote(config: StackConfig, ports: RecoveryPorts, run: HotFailoverRun): Promise<StepOutcome> {
    const identifier = run.assessment.identifier;
    const replica = ports.dr.replica;
    const check = `aws rds describe-db-instances --region ${replica.region} --db-instance-identifier ${identifier}`;
    let found = await replica.describeReplica(identifier);
    if (found?.source && found.status !== "available") {
        await ports.dr.database.waitAvailable(identifier, DATABASE_WAIT_MINUTES);
        found = await replica.describeReplica(identifier);
    }
    if (!found) {
        throw new Error(
            `${identifier} is missing in ${replica.region}, though the preflight found it; nothing was promoted. Check it with: ${check}`,
        );
    }
    let data: Record<string, string> = { promoted: "earlier" };
    if (found.source) {
        const lag = await replica.replicaLag(identifier, LAG_WINDOW_MINUTES);
        data =
            lag && lag.seconds >= 0
                ? {
                      promoted: "now",
                      lagSeconds: String(lag.seconds),
                      lagAt: lag.at.toISOString(),
                      replayedAt: replayedAt(lag).toISOString(),
                  }
                : { promoted: "now", lag: "unknown" };
        await replica.promote(identifier, config.database.backupRetentionDays);
    }
    await replica.waitPromoted(identifier, DATABASE_WAIT_MINUTES);
    const how =
        data.promoted === "now"
            ? `promoted ${identifier}${data.lagSeconds !== undefined ? ` (ReplicaLag ${data.lagSeconds} s at ${data.lagAt})` : " (ReplicaLag unknown at promotion)"}`
            : `${identifier} was already standalone (promoted by an earlier attempt): not promoted again`;
    return {
        detail: `${how}; available and standalone in ${replica.region}${lagWarning(config, run, data)}`,
        data,
    };
}

/**
 * A warning when the lag read at promotion projects more data loss than the run was started
 * with (the objective, or what --accept-rpo accepted): the decision was taken at the preflight
 * and the lock and the activation are done, so the run goes on, and says so for the report.
 */
function lagWarning(
    config: StackConfig,
    run: HotFailoverRun,
    data: Readonly<Record<string, string>>,
): string {
    if (data.replayedAt === undefined) {
        return data.lag === "unknown"
            ? "; WARNING: the lag was unknown at promotion, so the data check decides the RPO"
            : "";
    }
    const seconds = (run.failureTime.getTime() - Date.parse(data.replayedAt)) / 1000;
    const allowed = Math.max(config.objectives.database.rpoMinutes, run.assessment.acceptedMinutes ?? 0) * 60;
    return seconds > allowed
        ? `; WARNING: at promotion the projected RPO was ${Math.round(seconds / 6) / 10} min, more than the ${allowed / 60} min the run started with`
        : "";
}
