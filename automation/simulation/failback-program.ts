import { StackConfig } from "../../config/stack-config";
import { FAILBACK_NOT_SET } from "../../lib/failback";
import { failbackDatabaseIdentifier } from "../../lib/naming";
import { createReadReplica } from "./replica";
import type { SimulatedStack, WorldCore } from "./world-core";

/**
 * The primary stack's re-protection (`webank:failback`, set by `reprotect`): the home read
 * replica of the DR database, created by the up when missing (replicateSourceDb: the DR
 * database's ARN); its outputs, which say "not set" without the key.
 */
export function failbackReplica(
    world: WorldCore,
    config: StackConfig,
    stack: SimulatedStack,
): Record<string, string> {
    const raw = stack.config["webank:failback"];
    if (!raw) {
        // As stacks/primary-failback.ts failbackOutputs: both outputs say the key is not set.
        return { failbackReplicaIdentifier: FAILBACK_NOT_SET, failbackReplicaArn: FAILBACK_NOT_SET };
    }
    const failback = JSON.parse(raw) as { generation: number; source: string };
    const identifier = failbackDatabaseIdentifier(config.prefix, failback.generation);
    if (!world.home.instances.has(identifier)) {
        createReadReplica(world, config, "home", identifier, { side: "dr", identifier: failback.source });
    }
    return {
        failbackReplicaIdentifier: identifier,
        failbackReplicaArn: world.home.instances.get(identifier)!.arn,
    };
}
