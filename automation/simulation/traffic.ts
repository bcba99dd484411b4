import type { TrafficPort } from "../traffic-ports";
import type { WorldCore } from "./world-core";

/**
 * Route 53's failover pair, simulated. The PRIMARY answers while its gate is healthy: the home endpoint's
 * check healthy AND the tool's switch not inverted (automation/traffic-ports.ts says why and
 * cites Route 53); otherwise the SECONDARY. "Inverted: Specify whether you want Amazon Route 53
 * to invert the status of a health check" (UpdateHealthCheck API reference). The detection and
 * TTL delays are the duration model's (`traffic.holdOnDr`), so the answer changes at once
 * afterwards.
 */
export function trafficPort(world: WorldCore): TrafficPort {
    return {
        trafficSwitch: async () => {
            await world.enter("traffic.trafficSwitch");
            return world.transact(() => {
                const check = world.healthCheck;
                return check
                    ? {
                          gateId: check.gateId,
                          endpoint: { id: check.endpointId, healthy: check.healthy },
                          switchId: check.switchId,
                          heldOnDr: check.heldOnDr,
                      }
                    : undefined;
            });
        },
        holdOnDr: async (switchId, held) => {
            await world.enter("traffic.holdOnDr", { held });
            world.transact(() => {
                if (!world.healthCheck || world.healthCheck.switchId !== switchId) {
                    throw new Error(
                        `NoSuchHealthCheck: No health check exists with the specified ID ${switchId}.`,
                    );
                }
                if (world.healthCheck.heldOnDr !== held) {
                    world.healthCheck = { ...world.healthCheck, heldOnDr: held };
                    world.record(`route53 health check ${switchId} inverted=${held}`);
                }
            });
        },
        answer: async () => {
            await world.enter("traffic.answer");
            return world.transact(() => {
                if (!world.dnsTargets || !world.healthCheck) {
                    return undefined;
                }
                const gateHealthy = world.healthCheck.healthy && !world.healthCheck.heldOnDr;
                return gateHealthy ? world.dnsTargets.primary : world.dnsTargets.secondary;
            });
        },
    };
}
