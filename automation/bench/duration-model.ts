/**
 * The duration model of the simulated account: what each port call costs on the virtual clock,
 * from the cited durations and the `pulumi up` schedule.
 */
import { formatProblem } from "../../lib/errors";
import { DurationModel } from "../simulation/world";
import { DR_STACK_RESOURCES, FAILOVER_DURATIONS } from "./durations";
import { Posture, requireParallel, requirePosture, upMinutes } from "./up-phases";

/** Options of {@link failoverDurations}. */
export interface FailoverDurationsOptions {
    /** Multiplies every duration, e.g. 2 for a region under load. Default 1. */
    readonly scale?: number;
}

/** Data-source reads of stacks/dr.ts (KMS alias, caller identity, availability zones): an `up` with nothing to change. */
const NO_CHANGE_UP_CALLS = 3;

/** API calls of the port operations that make more than one request (automation/aws/traffic.ts). */
const CALLS_BY_OPERATION: Readonly<Record<string, number>> = {
    // ListResourceRecordSets, GetHealthCheck of the gate, GetHealthCheck of its two children
    // together, then GetHealthCheckStatus of the endpoint's.
    "traffic.trafficSwitch": 4,
};

/**
 * The duration model of the failover benchmark: milliseconds per port call of the simulated
 * world, from {@link FAILOVER_DURATIONS}. `stack.dr.up` costs {@link upMinutes} for the
 * stack's posture and `parallel` once activated; `stack.dr.refresh` reads each resource of
 * the stack (of its targets, when it has some); inverting the traffic switch costs its API calls plus Route 53's detection
 * and the record's TTL (the simulated DNS answers at once after it); Argo CD's sync of a root
 * app an `up` created (`background.argocd.sync`) costs two Git polling intervals, and the
 * `kubectl wait` for Healthy applications lasts until it is done (at once for a hot standby's,
 * synced before the failover); the RDS waiter, called after `up` has waited for
 * the restore, costs one describe call. Of what AWS does on its own after a call
 * (`background.*`), a point-in-time restore started outside `up` (restore db) costs the RDS
 * restore, a read replica promoted outside `up` the promotion, and a rename the RDS rename. Every other operation, known or not, costs one API call.
 */
export function failoverDurations(options: FailoverDurationsOptions = {}): DurationModel {
    const scale = options.scale ?? 1;
    if (typeof scale !== "number" || !Number.isFinite(scale) || scale <= 0) {
        throw new Error(
            formatProblem({
                field: "scale",
                requirement: "be a finite number greater than 0",
                received: scale,
            }),
        );
    }
    const call = FAILOVER_DURATIONS.awsApiCall.minutes;
    const minutesOf = (operation: string, detail: Readonly<Record<string, unknown>>): number => {
        const stackOperation = /^stack\.[^.]+\.(up|refresh)$/.exec(operation)?.[1];
        if (stackOperation === "up") {
            const config = configOf(detail);
            if (config["webank:activated"] !== "true") {
                return NO_CHANGE_UP_CALLS * call;
            }
            return upMinutes(postureOf(config), parallelOf(detail));
        }
        if (stackOperation === "refresh") {
            // `--target`: Pulumi reads only the resources named.
            if (Array.isArray(detail.targets)) {
                return detail.targets.length * FAILOVER_DURATIONS.pulumiRefreshRead.minutes;
            }
            const config = detail.config === undefined ? undefined : configOf(detail);
            // Without the config the posture is unknown: count the largest stack.
            const resources = config
                ? DR_STACK_RESOURCES[postureOf(config)]
                : Math.max(...Object.values(DR_STACK_RESOURCES));
            return resources * FAILOVER_DURATIONS.pulumiRefreshRead.minutes;
        }
        // What AWS does on its own after a call of the simulated world (automation/simulation/world.ts).
        if (operation === "background.rds.restore") {
            return FAILOVER_DURATIONS.rdsPointInTimeRestore.minutes;
        }
        if (operation === "background.rds.promote") {
            return FAILOVER_DURATIONS.rdsReplicaPromotion.minutes;
        }
        if (operation === "background.rds.rename") {
            return FAILOVER_DURATIONS.rdsRename.minutes;
        }
        if (operation === "traffic.holdOnDr") {
            // GetHealthCheck, UpdateHealthCheck; then Route 53 acts and resolvers let the old answer expire.
            return (
                2 * call + FAILOVER_DURATIONS.healthCheckDetection.minutes + FAILOVER_DURATIONS.dnsTtl.minutes
            );
        }
        // Argo CD syncing a root app an `up` created (simulation/argocd-apps.ts); a `kubectl
        // wait` for it lasts until then, and one for applications already synced returns at once.
        if (operation === "background.argocd.sync") {
            return FAILOVER_DURATIONS.argocdSync.minutes;
        }
        return (CALLS_BY_OPERATION[operation] ?? 1) * call;
    };
    return (operation, detail) => Math.round(minutesOf(operation, detail ?? {}) * 60_000 * scale);
}

function configOf(detail: Readonly<Record<string, unknown>>): Readonly<Record<string, string>> {
    const config = detail.config;
    return typeof config === "object" && config !== null ? (config as Record<string, string>) : {};
}

function postureOf(config: Readonly<Record<string, string>>): Posture {
    const posture = config["webank:posture"] ?? "pilot";
    requirePosture(posture);
    return posture;
}

function parallelOf(detail: Readonly<Record<string, unknown>>): number | undefined {
    const parallel = detail.parallel;
    if (parallel === undefined) {
        return undefined;
    }
    requireParallel(parallel);
    return parallel as number;
}
