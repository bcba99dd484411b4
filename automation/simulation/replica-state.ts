import type { Side } from "./state";
import type { WorldCore } from "./world-core";

/*
 * What makes a simulated instance a read replica, kept in the world's plain state so a
 * rehearsal's world.json holds it. Its own module because both the replica (./replica.ts) and
 * the verifier's data (./data.ts: a replica answers reads with what it has replayed) need it.
 */

/** What makes an instance a read replica. */
export interface ReplicaState {
    /** ReadReplicaSourceDBInstanceIdentifier: the source's ARN (cross-Region). */
    readonly sourceArn: string;
    /** The side and identifier of the source, for the data a promotion copies. */
    readonly source: { readonly side: Side; readonly identifier: string };
    /** `ReplicaLag` in seconds as CloudWatch reports it; null: no datapoint (the lag is unknown). */
    lagSeconds: number | null;
}

/** The replicas by `<side>:<identifier>` (older saved worlds have none). */
export function replicaMap(world: WorldCore): Record<string, ReplicaState> {
    const state = world.state as { readReplicas?: Record<string, ReplicaState> };
    state.readReplicas ??= {};
    return state.readReplicas;
}

/** The key of a replica in {@link replicaMap}. */
export const replicaKeyOf = (side: Side, identifier: string) => `${side}:${identifier}`;

/**
 * The lag the standard world's replica reports, in seconds: a seed chosen well inside the
 * 5-minute database RPO (not an AWS figure); tests set their own with setReplicaLag.
 */
export const SEEDED_REPLICA_LAG_SECONDS = 45;

/**
 * What a replica holds now, asynchronous replication being behind by its lag: the source's data
 * as of now minus the lag (an unknown lag counts as the seed, never as zero); undefined when the
 * instance is not a replica.
 */
export function replicatedView(
    world: WorldCore,
    side: Side,
    identifier: string,
): { source: { side: Side; identifier: string }; asOf: Date } | undefined {
    const replica = replicaMap(world)[replicaKeyOf(side, identifier)];
    if (!replica) {
        return undefined;
    }
    const lagMs = (replica.lagSeconds ?? SEEDED_REPLICA_LAG_SECONDS) * 1000;
    return { source: replica.source, asOf: new Date(world.now().getTime() - lagMs) };
}
