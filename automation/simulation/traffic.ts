import { TrafficPort } from "../ports";
import type { WorldCore } from "./world-core";

/**
 * Route 53's failover pair. The PRIMARY answers while its health check is healthy and not
 * inverted ("Inverted: Specify whether you want Amazon Route 53 to invert the status of a
 * health check, for example, to consider a health check unhealthy when it otherwise would be
 * considered healthy", UpdateHealthCheck API reference); otherwise the SECONDARY. The
 * detection and TTL delays are the duration model's (`traffic.invertHealthCheck`), so the
 * answer changes at once afterwards.
 */
export function trafficPort(world: WorldCore): TrafficPort {
    return {
        primaryHealthCheck: async () => {
            await world.enter("traffic.primaryHealthCheck");
            return world.transact(() => (world.healthCheck ? { ...world.healthCheck } : undefined));
        },
        invertHealthCheck: async (id, inverted) => {
            await world.enter("traffic.invertHealthCheck");
            world.transact(() => {
                if (!world.healthCheck || world.healthCheck.id !== id) {
                    throw new Error(`NoSuchHealthCheck: No health check exists with the specified ID ${id}.`);
                }
                if (world.healthCheck.inverted !== inverted) {
                    world.healthCheck = { ...world.healthCheck, inverted };
                    world.record(`route53 health check ${id} inverted=${inverted}`);
                }
            });
        },
        answer: async () => {
            await world.enter("traffic.answer");
            return world.transact(() => {
                if (!world.dnsTargets || !world.healthCheck) {
                    return undefined;
                }
                const primaryHealthy = world.healthCheck.healthy !== world.healthCheck.inverted;
                return primaryHealthy ? world.dnsTargets.primary : world.dnsTargets.secondary;
            });
        },
    };
}
