import { DatabasePort, DatabaseInstance } from "../ports";
import { copyDatabaseData, moveDatabaseData } from "./data";
import { dbInstanceArn, dbSnapshotArn, rdsEndpoint } from "./formats";
import { Side } from "./state";
import type { WorldCore } from "./world-core";

/** Statuses RDS passes through on its way to `available` (RDS user guide, "Viewing Amazon RDS DB instance status"). */
export const TRANSITIONAL = ["creating", "renaming", "rebooting", "modifying", "backing-up"];

/**
 * RDS in one region. A point-in-time restore creates the instance `creating` and makes it
 * `available` after the time the duration model gives `background.rds.restore`; a rename
 * changes the identifier and the endpoint at once (RDS user guide, "Renaming a DB instance":
 * "the endpoint for the DB instance changes, because the URL includes the name you assigned")
 * and the instance is `renaming` until `background.rds.rename` has passed ("The renamed DB
 * instance is not available until the new name becomes effective"). Errors carry RDS's error
 * codes (`DBInstanceNotFound`, `DBInstanceAlreadyExists`, `DBSnapshotNotFound`).
 */
export function databasePort(world: WorldCore, side: Side): DatabasePort {
    const region = world.region(side);
    const op = (name: string) => `${side}.database.${name}`;
    const instanceOf = (identifier: string) => {
        const found = region.instances.get(identifier);
        if (!found) {
            throw new Error(`DBInstanceNotFound: DBInstance ${identifier} not found.`);
        }
        return found;
    };
    const becomeAvailable = (identifier: string, status: string, operation: string) => {
        world.schedule(world.backgroundTime(operation, { identifier }), {
            type: "rds-available",
            side,
            identifier,
        });
        return status;
    };
    const describeCommand = (identifier: string) =>
        `aws rds describe-db-instances --region ${region.name} --db-instance-identifier ${identifier}`;
    return {
        region: region.name,
        replicatedBackups: async (source) => {
            await world.enter(op("replicatedBackups"));
            return world.transact(() => {
                const found = region.replicatedBackups.get(source);
                return found ? { ...found } : undefined;
            });
        },
        describeInstance: async (identifier) => {
            await world.enter(op("describeInstance"));
            return world.transact(() => {
                const found = region.instances.get(identifier);
                return found ? { ...found, securityGroupIds: [...found.securityGroupIds] } : undefined;
            });
        },
        restoreToPointInTime: async (source, target, time, like) => {
            await world.enter(op("restoreToPointInTime"));
            world.transact(() => {
                if (region.instances.has(target)) {
                    throw new Error(`DBInstanceAlreadyExists: DB instance already exists`);
                }
                const status = becomeAvailable(target, "creating", "rds.restore");
                const point =
                    time === "latest"
                        ? (region.instances.get(source)?.latestRestorableTime ?? world.now())
                        : time;
                copyDatabaseData(world, { side, identifier: source }, { side, identifier: target }, point);
                // A new instance has no restorable time of its own until its first backup.
                const { latestRestorableTime: _sourcesTime, ...settings } = like;
                void _sourcesTime;
                region.instances.set(target, {
                    ...settings,
                    securityGroupIds: [...like.securityGroupIds],
                    identifier: target,
                    arn: dbInstanceArn(region.name, world.accountId, target),
                    status,
                    endpoint: rdsEndpoint(target, world.accountId, region.name),
                });
                world.record(
                    `${side} rds restore ${source} -> ${target} at ${time === "latest" ? "latest" : time.toISOString()}`,
                );
            });
        },
        renameInstance: async (identifier, newIdentifier) => {
            await world.enter(op("renameInstance"));
            world.transact(() => {
                const instance = instanceOf(identifier);
                if (region.instances.has(newIdentifier)) {
                    throw new Error(`DBInstanceAlreadyExists: DB instance already exists`);
                }
                region.instances.delete(identifier);
                moveDatabaseData(world, side, identifier, newIdentifier);
                region.instances.set(newIdentifier, {
                    ...instance,
                    identifier: newIdentifier,
                    arn: dbInstanceArn(region.name, world.accountId, newIdentifier),
                    status: becomeAvailable(newIdentifier, "renaming", "rds.rename"),
                    endpoint: rdsEndpoint(newIdentifier, world.accountId, region.name),
                });
                world.record(`${side} rds rename ${identifier} -> ${newIdentifier}`);
            });
        },
        waitAvailable: async (identifier, timeoutMinutes) => {
            await world.enter(op("waitAvailable"), { identifier });
            const started = world.now().getTime();
            const deadline = new Date(started + timeoutMinutes * 60_000);
            const timedOut = () =>
                new Error(
                    `${identifier} was not available after ${timeoutMinutes} minutes; check it with: ${describeCommand(identifier)}`,
                );
            await world.poll((now) => {
                const instance = region.instances.get(identifier);
                if (instance?.status === "available") {
                    return { done: true, value: undefined };
                }
                if (!instance || !TRANSITIONAL.includes(instance.status) || now >= deadline) {
                    throw timedOut();
                }
                const due = world.dueOf(
                    (e) => e.type === "rds-available" && e.side === side && e.identifier === identifier,
                );
                return { done: false, until: due && due < deadline ? due : deadline };
            });
        },
        createSnapshot: async (instance, snapshot, timeoutMinutes) => {
            await world.enter(op("createSnapshot"));
            const snapshotArn = world.transact(() => {
                instanceOf(instance);
                const arn = dbSnapshotArn(region.name, world.accountId, snapshot);
                if (!region.snapshots.has(snapshot)) {
                    region.snapshots.set(snapshot, arn);
                    world.schedule(world.backgroundTime("rds.snapshot", { snapshot }), {
                        type: "rds-snapshot-available",
                        side,
                        identifier: snapshot,
                    });
                    world.record(`${side} rds snapshot ${instance} -> ${snapshot}`);
                }
                return arn;
            });
            await waitSnapshot(world, side, snapshot, timeoutMinutes);
            return snapshotArn;
        },
        copySnapshot: async (sourceArn, target, kmsKeyId, timeoutMinutes) => {
            await world.enter(op("copySnapshot"));
            const targetArn = world.transact(() => {
                const sourceSide = world.sideOfRegion(sourceArn.split(":")[3] ?? "");
                const sourceId = sourceArn.split(":snapshot:")[1] ?? "";
                if (!sourceSide || !world.region(sourceSide).snapshots.has(sourceId)) {
                    throw new Error(`DBSnapshotNotFound: DBSnapshot ${sourceArn} not found.`);
                }
                const arn = dbSnapshotArn(region.name, world.accountId, target);
                if (!region.snapshots.has(target)) {
                    region.snapshots.set(target, arn);
                    world.schedule(world.backgroundTime("rds.snapshotCopy", { target }), {
                        type: "rds-snapshot-available",
                        side,
                        identifier: target,
                    });
                    world.record(`${side} rds copy ${sourceArn} -> ${target} (key ${kmsKeyId})`);
                }
                return arn;
            });
            await waitSnapshot(world, side, target, timeoutMinutes);
            return targetArn;
        },
    };
}

/** Waits until a snapshot is available (its creation event has happened), or throws on timeout. */
async function waitSnapshot(
    world: WorldCore,
    side: Side,
    snapshot: string,
    timeoutMinutes: number,
): Promise<void> {
    const deadline = new Date(world.now().getTime() + timeoutMinutes * 60_000);
    const region = world.region(side);
    await world.poll((now) => {
        const due = world.dueOf(
            (e) => e.type === "rds-snapshot-available" && e.side === side && e.identifier === snapshot,
        );
        if (!due) {
            return { done: true, value: undefined };
        }
        if (now >= deadline) {
            throw new Error(
                `snapshot ${snapshot} was not available after ${timeoutMinutes} minutes; check it with: ` +
                    `aws rds describe-db-snapshots --region ${region.name} --db-snapshot-identifier ${snapshot}`,
            );
        }
        return { done: false, until: due < deadline ? due : deadline };
    });
}

/** The restored or renamed instance becomes available (the `rds-available` event). */
export function instanceAvailable(world: WorldCore, side: Side, identifier: string): void {
    const region = world.region(side);
    const instance = region.instances.get(identifier);
    if (instance && TRANSITIONAL.includes(instance.status)) {
        region.instances.set(identifier, { ...instance, status: "available" });
    }
}

/**
 * Keeps the replicated automated backups current: while the source instance exists in the
 * home region, RDS replicates its backups and transaction logs continuously, so the latest
 * restorable time in the DR region trails now by the replication's lag ("RDS uploads
 * transaction logs for DB instances to Amazon S3 every five minutes", RDS user guide,
 * "Restoring a DB instance to a specified time"). When the source is gone, it stops moving.
 */
export function settleReplicatedBackups(world: WorldCore, now: Date): void {
    for (const [source, { lagMinutes }] of Object.entries(world.state.rdsReplication)) {
        const backups = world.dr.replicatedBackups.get(source);
        const instance: DatabaseInstance | undefined = world.home.instances.get(source);
        if (!backups || instance?.status !== "available") {
            continue;
        }
        const latest = new Date(now.getTime() - lagMinutes * 60_000);
        if (latest > backups.latest) {
            world.dr.replicatedBackups.set(source, { ...backups, latest });
            world.home.instances.set(source, { ...instance, latestRestorableTime: latest });
        }
    }
}
