import type { StackConfig } from "../../../config/stack-config";
import { configKey } from "../../../config/keys";
import type { RecoveryPorts } from "../../ports";
import type { Step, StepOutcome } from "../../run/steps";
import { missingSwitch } from "../failover/common-steps";
import { LAG_WINDOW_MINUTES } from "../failover/hot-rpo";
import type { FailbackSetting } from "../reprotect/source";

/*
 * The read-only checks a failback makes before it freezes anything: the home region answers
 * and is healthy (Route 53's own checkers say so), traffic is held on DR by the tool's switch,
 * and the home replica re-protection made is available, replicates the DR database and is
 * within the database RPO. Each failure names what to do; nothing is changed by any of them.
 */

/** What the failback acts on, as the plan found it. */
export interface FailbackTarget {
    /** The failover run that holds the lock. */
    readonly holder: string;
    /** The primary stack's `webank:failback`: the home replica's generation and the DR database it replicates. */
    readonly setting: FailbackSetting;
    /** Identifier of the home replica (lib/naming.ts failbackDatabaseIdentifier). */
    readonly replica: string;
    /** The DR cluster, whose writers the freeze stops. */
    readonly drCluster: string;
}

/** The step that journals the home replica's ARN and the source's. */
export const PREFLIGHT_REPLICA_STEP = "preflight-replica";

/** Why a failback without DNS failover is refused: the plan refuses it before the run starts. */
export const DNS_NOT_MANAGED =
    "DNS failover is not managed (no webank:dnsZoneId): a failback cannot tell whether the home region is healthy, " +
    "nor move traffic home. Set webank:dnsZoneId, webank:dnsRecordName and webank:primaryEndpoint (README, DNS failover) " +
    "and run pulumi up -s primary first. Nothing was changed";

/**
 * Checks the home endpoint is healthy and traffic is held on DR by the switch. A failback
 * while the home region is still unhealthy would promote a database there and switch clients
 * to an endpoint Route 53 finds failing: refused, before anything changes.
 */
export function preflightHomeStep(config: StackConfig, ports: RecoveryPorts): Step {
    const traffic = config.platform.traffic;
    return {
        name: "preflight-home",
        after: [],
        readOnly: true,
        describe: "check Route 53 finds the home endpoint healthy and the traffic switch holds traffic on DR",
        run: async () => {
            if (!traffic) {
                throw new Error(DNS_NOT_MANAGED);
            }
            const state = await ports.traffic.trafficSwitch(traffic.zoneId, traffic.recordName);
            if (!state) {
                throw new Error(missingSwitch(traffic.zoneId, traffic.recordName));
            }
            if (!state.endpoint.healthy) {
                throw new Error(
                    `the home region is still unhealthy: Route 53's health check ${state.endpoint.id} of ${traffic.primaryEndpoint} ` +
                        `fails, so traffic stays on DR and nothing was changed. Run the failback again once it passes. ` +
                        `Check with: aws route53 get-health-check-status --health-check-id ${state.endpoint.id}`,
                );
            }
            if (!state.heldOnDr) {
                throw new Error(
                    `the traffic switch ${state.switchId} does not hold traffic on DR: Route 53 may already send clients home, to a ` +
                        "platform whose database is not the one that took the writes. Find out who released it before going on; " +
                        `nothing was changed. Check with: aws route53 get-health-check --health-check-id ${state.switchId}`,
                );
            }
            return {
                detail: `home endpoint check ${state.endpoint.id} is healthy; switch ${state.switchId} holds traffic on DR`,
                data: { switchId: state.switchId, endpointId: state.endpoint.id },
            };
        },
    };
}

/**
 * Checks the DR database is available and the home replica is available, replicates it and is
 * within the database RPO: re-protection (`npm run dr -- reprotect`) has finished.
 */
export function preflightReplicaStep(
    config: StackConfig,
    ports: RecoveryPorts,
    target: FailbackTarget,
): Step {
    const { setting, replica } = target;
    const home = ports.home;
    const describeHome = `aws rds describe-db-instances --region ${home.region} --db-instance-identifier ${replica}`;
    return {
        name: PREFLIGHT_REPLICA_STEP,
        after: [],
        readOnly: true,
        describe: `check ${replica} in ${home.region} replicates ${setting.source} and is within the database RPO`,
        run: async (): Promise<StepOutcome> => {
            const source = await ports.dr.database.describeInstance(setting.source);
            if (source?.status !== "available" || !source.endpoint) {
                throw new Error(
                    `the DR database ${setting.source} is ${source ? source.status : "not found"} in ${ports.dr.region}: the failback ` +
                        "copies its last writes home and must read it. Nothing was changed. Check with: " +
                        `aws rds describe-db-instances --region ${ports.dr.region} --db-instance-identifier ${setting.source}`,
                );
            }
            const found = await home.replica.describeReplica(replica);
            if (!found) {
                throw new Error(
                    `there is no home replica ${replica} in ${home.region}: re-protect first (npm run dr -- reprotect), then fail back. ` +
                        `Nothing was changed. Check with: ${describeHome}`,
                );
            }
            if (found.source === undefined && found.status === "available") {
                // A failback stopped after its promotion: the resumed run goes on from there.
                return {
                    detail: `${replica} is already standalone (promoted by an earlier attempt of this failback)`,
                    data: {
                        sourceEndpoint: source.endpoint,
                        replicaEndpoint: found.endpoint ?? "",
                        promoted: "earlier",
                    },
                };
            }
            if (found.source !== source.arn || found.status !== "available") {
                throw new Error(
                    `${replica} is ${found.status} in ${home.region} and replicates ${found.source ?? "nothing"}, not ${source.arn}: ` +
                        `the failback promotes only an available replica of the DR database. Nothing was changed. Check with: ${describeHome}`,
                );
            }
            const lag = await home.replica.replicaLag(replica, LAG_WINDOW_MINUTES);
            const objective = config.objectives.database.rpoMinutes * 60;
            // No datapoint, or RDS's -1 (replication not active), is an unknown lag, never zero.
            if (!lag || lag.seconds < 0 || lag.seconds > objective) {
                throw new Error(
                    `${replica} is ${lag && lag.seconds >= 0 ? `${lag.seconds} s` : "an unknown time"} behind ${setting.source}, ` +
                        `more than the database RPO allows (${objective} s): the write freeze would last until it catches up. ` +
                        "Wait for it (npm run dr -- reprotect waits and resumes), then fail back. Nothing was changed",
                );
            }
            return {
                detail: `${replica} replicates ${setting.source} (ReplicaLag ${lag.seconds} s at ${lag.at.toISOString()})`,
                data: {
                    sourceEndpoint: source.endpoint,
                    replicaEndpoint: found.endpoint ?? "",
                    lagSeconds: String(lag.seconds),
                },
            };
        },
    };
}

/** The `webank:failback` the primary stack must hold: re-protection of `source` has run. */
export function reprotectionRefusal(raw: string | undefined, source: string): string {
    return (
        `the primary stack's ${configKey("failback")} is ${raw ?? "not set"}: no home replica of the DR database ${source} is declared. ` +
        "Re-protect first (npm run dr -- reprotect), then fail back. Nothing was changed"
    );
}
