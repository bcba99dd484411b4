import type { StackConfig } from "../../config/stack-config";
import { primaryDatabaseIdentifier, replicaDatabaseIdentifier } from "../../lib/naming";
import type { ReplicaPort } from "../replica-ports";
import type { DatabaseInstance } from "../ports";
import { copyDatabaseData } from "./data";
import { TRANSITIONAL } from "./database";
import { dbInstanceArn, ec2Id, rdsEndpoint } from "./formats";
import { replicaKeyOf as keyOf, replicaMap, SEEDED_REPLICA_LAG_SECONDS } from "./replica-state";
import type { Side } from "./state";
import type { WorldCore } from "./world-core";

export { SEEDED_REPLICA_LAG_SECONDS };

/*
 * The hot posture's cross-Region read replica in the simulated account: an RDS instance of the
 * DR region (in its `instances`) plus what makes it a replica, kept in the world's plain state
 * so a rehearsal's world.json holds it: its source's ARN and the `ReplicaLag` CloudWatch would
 * report. A promotion copies the source's data as of now minus the lag (asynchronous
 * replication: the replica holds what arrived), drops the source (a promoted instance is
 * standalone: DescribeDBInstances then has no ReadReplicaSourceDBInstanceIdentifier) and makes
 * the instance `modifying` until `background.rds.promote` has passed ("When you promote a read
 * replica, RDS reboots the DB instance before making it available", RDS user guide, "Promoting
 * a read replica to be a standalone DB instance").
 */

/**
 * A DR-region instance as the dr program declares its database: available, in the stack's DB
 * subnet group and parameter group, Multi-AZ, deletion protection on; its ARN and endpoint in
 * RDS's formats (./formats).
 */
export function drInstance(world: WorldCore, config: StackConfig, identifier: string): DatabaseInstance {
    return instanceOf(world, config, "dr", identifier);
}

/** An instance of `side`'s region as the stacks declare a database (see {@link drInstance}). */
function instanceOf(world: WorldCore, config: StackConfig, side: Side, identifier: string): DatabaseInstance {
    const region = world.region(side).name;
    return {
        identifier,
        arn: dbInstanceArn(region, world.accountId, identifier),
        status: "available",
        endpoint: rdsEndpoint(identifier, world.accountId, region),
        instanceClass: config.database.instanceClass,
        subnetGroupName: `${config.prefix}-db`,
        securityGroupIds: [ec2Id("sg", `${world.accountId}/${identifier}`)],
        parameterGroupName: `${config.prefix}-db`,
        multiAz: true,
        deletionProtection: true,
    };
}

/**
 * Adds the hot posture's read replica of the home primary to the DR region, as the dr stack's
 * replica declaration (stacks/dr.ts, replicateSourceDb: the primary's ARN) makes it: same class
 * and settings as the primary, its own endpoint, deletion protection on.
 */
export function seedReadReplica(world: WorldCore, config: StackConfig): void {
    const identifier = replicaDatabaseIdentifier(config.prefix);
    const source = primaryDatabaseIdentifier(config.prefix);
    world.dr.instances.set(identifier, drInstance(world, config, identifier));
    replicaMap(world)[keyOf("dr", identifier)] = {
        sourceArn: dbInstanceArn(config.homeRegion, world.accountId, source),
        source: { side: "home", identifier: source },
        lagSeconds: SEEDED_REPLICA_LAG_SECONDS,
    };
}

/**
 * Adds a cross-Region read replica of `source` (an instance of the other side) to `side`, as
 * CreateDBInstanceReadReplica with the source's ARN makes it. A source that does not exist fails
 * with RDS's code ("DBInstanceNotFound", RDS API reference, CreateDBInstanceReadReplica Errors).
 * Its lag starts at the seed: the first datapoints of a new replica are not AWS figures either.
 */
export function createReadReplica(
    world: WorldCore,
    config: StackConfig,
    side: Side,
    identifier: string,
    source: { readonly side: Side; readonly identifier: string },
): void {
    const from = world.region(source.side).instances.get(source.identifier);
    if (!from) {
        throw new Error(`DBInstanceNotFound: DBInstance ${source.identifier} not found.`);
    }
    world.region(side).instances.set(identifier, instanceOf(world, config, side, identifier));
    replicaMap(world)[keyOf(side, identifier)] = {
        sourceArn: from.arn,
        source,
        lagSeconds: SEEDED_REPLICA_LAG_SECONDS,
    };
    world.record(`${side} rds create read replica ${identifier} of ${source.identifier} (${source.side})`);
}

/**
 * Sets the `ReplicaLag` CloudWatch reports for a replica; undefined: no datapoint at all.
 * @default side: dr (the hot posture's replica)
 */
export function setReplicaLag(
    world: WorldCore,
    identifier: string,
    seconds: number | undefined,
    side: Side = "dr",
): void {
    const replica = replicaMap(world)[keyOf(side, identifier)];
    if (!replica) {
        throw new Error(`${identifier} is not a read replica in the simulated ${side} region`);
    }
    replica.lagSeconds = seconds ?? null;
}

/** True while `identifier` on `side` is a read replica (not promoted). */
export function isReadReplica(world: WorldCore, side: Side, identifier: string): boolean {
    return replicaMap(world)[keyOf(side, identifier)] !== undefined;
}

/**
 * Promotes a read replica, as PromoteReadReplica does; `available`, when the caller waits for
 * the promotion as `pulumi up` does. Errors carry RDS's codes: DBInstanceNotFound, and
 * InvalidDBInstanceState for an instance that is not a replica or not available ("The DB
 * instance isn't in a valid state", RDS API reference, PromoteReadReplica Errors; "a read
 * replica cannot be promoted to a standalone instance when it is in the backing-up status").
 */
export function promoteReadReplica(
    world: WorldCore,
    side: Side,
    identifier: string,
    how: { backupRetentionDays: number; by: string; waited?: boolean },
): void {
    const region = world.region(side);
    const instance = region.instances.get(identifier);
    if (!instance) {
        throw new Error(`DBInstanceNotFound: DBInstance ${identifier} not found.`);
    }
    const replica = replicaMap(world)[keyOf(side, identifier)];
    if (!replica) {
        throw new Error(`InvalidDBInstanceState: DB instance ${identifier} is not a read replica.`);
    }
    if (instance.status !== "available") {
        throw new Error(
            `InvalidDBInstanceState: DB instance ${identifier} is ${instance.status}, not available: it cannot be promoted now.`,
        );
    }
    const lagMs = (replica.lagSeconds ?? 0) * 1000;
    copyDatabaseData(world, replica.source, { side, identifier }, new Date(world.now().getTime() - lagMs));
    delete replicaMap(world)[keyOf(side, identifier)];
    region.instances.set(identifier, { ...instance, status: how.waited ? "available" : "modifying" });
    if (!how.waited) {
        world.schedule(world.backgroundTime("rds.promote", { identifier }), {
            type: "rds-available",
            side,
            identifier,
        });
    }
    world.record(
        `${side} rds promote ${identifier} (backup retention ${how.backupRetentionDays} days, by ${how.by})`,
    );
}

/** The simulated {@link ReplicaPort} of one side. */
export function replicaPort(world: WorldCore, side: Side): ReplicaPort {
    const region = world.region(side);
    const op = (name: string) => `${side}.replica.${name}`;
    const describeCommand = (identifier: string) =>
        `aws rds describe-db-instances --region ${region.name} --db-instance-identifier ${identifier}`;
    return {
        region: region.name,
        describeReplica: async (identifier) => {
            await world.enter(op("describeReplica"));
            return world.transact(() => {
                const instance = region.instances.get(identifier);
                if (!instance) {
                    return undefined;
                }
                const replica = replicaMap(world)[keyOf(side, identifier)];
                return {
                    identifier,
                    arn: instance.arn,
                    status: instance.status,
                    // DBInstanceStatusInfo: "replicating" while the replica is healthy.
                    ...(replica ? { source: replica.sourceArn, replicationStatus: "replicating" } : {}),
                    ...(instance.endpoint ? { endpoint: instance.endpoint } : {}),
                };
            });
        },
        replicaLag: async (identifier, windowMinutes) => {
            await world.enter(op("replicaLag"));
            return world.transact(() => {
                const lag = replicaMap(world)[keyOf(side, identifier)]?.lagSeconds;
                if (lag === undefined || lag === null || windowMinutes < 1) {
                    return undefined;
                }
                // The datapoint of the last whole minute: RDS publishes every minute, per minute.
                const minute = 60_000;
                return {
                    seconds: lag,
                    at: new Date(Math.floor(world.now().getTime() / minute) * minute - minute),
                };
            });
        },
        promote: async (identifier, backupRetentionDays) => {
            await world.enter(op("promote"), { identifier });
            world.transact(() =>
                promoteReadReplica(world, side, identifier, {
                    backupRetentionDays,
                    by: "PromoteReadReplica",
                }),
            );
        },
        waitPromoted: async (identifier, timeoutMinutes) => {
            await world.enter(op("waitPromoted"), { identifier });
            const deadline = new Date(world.now().getTime() + timeoutMinutes * 60_000);
            await world.poll((now) => {
                const instance = region.instances.get(identifier);
                const standalone = !replicaMap(world)[keyOf(side, identifier)];
                if (instance?.status === "available" && standalone) {
                    return { done: true, value: undefined };
                }
                if (!instance || !TRANSITIONAL.includes(instance.status) || now >= deadline) {
                    throw new Error(
                        `the promoted replica ${identifier} was not available and standalone after ${timeoutMinutes} minutes ` +
                            `(status ${instance?.status ?? "not found"}); check it with: ${describeCommand(identifier)}`,
                    );
                }
                const due = world.dueOf(
                    (e) => e.type === "rds-available" && e.side === side && e.identifier === identifier,
                );
                return { done: false, until: due && due < deadline ? due : deadline };
            });
        },
    };
}

/**
 * The hot posture's database: before activation the program declares the read replica
 * (replicateSourceDb: the primary), so an up creates it when it is missing; once activated it
 * declares the same instance without replicateSourceDb, which the provider turns into a
 * promotion of a replica it finds still replicating ("separate request to promote a database":
 * terraform-provider-aws resourceInstanceUpdate calls PromoteReadReplica when
 * replicate_source_db is removed), and `up` waits for it. An activated up that finds no
 * instance at all creates the declared one empty: the verify step's data check then fails it.
 * Returns the identifier of the DR database.
 */
export function hotDatabase(world: WorldCore, config: StackConfig, activated: boolean): string {
    const identifier = replicaDatabaseIdentifier(config.prefix);
    const existing = world.dr.instances.get(identifier);
    if (!activated) {
        if (!existing) {
            seedReadReplica(world, config);
            world.record(
                `dr rds create read replica ${identifier} of ${primaryDatabaseIdentifier(config.prefix)}`,
            );
        }
        return identifier;
    }
    if (!existing) {
        world.dr.instances.set(identifier, drInstance(world, config, identifier));
        world.record(`dr rds create ${identifier} (empty: no replica was found to promote)`);
    } else if (isReadReplica(world, "dr", identifier)) {
        promoteReadReplica(world, "dr", identifier, {
            backupRetentionDays: config.database.backupRetentionDays,
            by: "pulumi up",
            waited: true,
        });
    }
    return identifier;
}
