import * as pulumi from "@pulumi/pulumi";
import { Database, DatabaseRestoreSource } from "../components/database";
import { DatabaseEndpoints } from "../components/database-parts";
import { ReplicaDatabase } from "../components/database-replica";
import { Network } from "../components/network";
import { StackConfig } from "../config/stack-config";
import {
    primaryDatabaseIdentifier,
    replicaDatabaseIdentifier,
    restoredDatabaseIdentifier,
} from "../lib/naming";
import { partitionOf } from "../lib/regions";
import { RestoreSpec } from "../lib/restore-spec";
import { replicaResourceNames } from "../lib/stack-urns";

/** The dr stack's database, when it has one, and how it came to be. */
export interface DrDatabase {
    /** The instance and what the stack reads of it. */
    readonly database: DatabaseEndpoints;
    /** Whether it serves as the DR region's database now (restored, or the promoted replica). */
    readonly serving: boolean;
    /** One line for the stack outputs and the failover report: where its data came from. */
    readonly origin: string;
}

/**
 * The dr stack's database. Pilot and warm: none until activated, then the restore that
 * `webank:restore` names. Hot: the cross-Region read replica of the primary database from the
 * start, and after activation the same resource (same URN, `<prefix>-db-replica`) as the
 * promoted standalone instance; never a second database (config/dr.ts refuses a restore in hot, but for a drill).
 * A drill's stack restores, whatever the posture. `own` prefixes what the stack creates.
 */
export function declareDrDatabase(
    config: StackConfig,
    own: string,
    network: Network,
    keyArn: pulumi.Input<string>,
    accountId: pulumi.Output<string>,
    opts: pulumi.ComponentResourceOptions,
): DrDatabase | undefined {
    const { dr } = config;
    if (dr.posture === "hot" && !dr.drill) {
        const identifier = replicaDatabaseIdentifier(config.prefix);
        // Built from the account, the home region and the primary's identifier (lib/naming.ts), so
        // the dr stack needs nothing from the primary's state, which may be in the lost region.
        const sourceArn = pulumi.interpolate`arn:${partitionOf(config.homeRegion)}:rds:${config.homeRegion}:${accountId}:db:${primaryDatabaseIdentifier(config.prefix)}`;
        const replica = new ReplicaDatabase(
            replicaResourceNames(config.prefix).component,
            {
                identifier,
                settings: config.database,
                vpcId: network.vpcId,
                vpcCidr: network.cidr,
                privateSubnetIds: network.privateSubnetIds,
                kmsKeyArn: keyArn,
                sourceArn,
                promoted: dr.activated,
            },
            opts,
        );
        return {
            database: replica,
            serving: dr.activated,
            origin: dr.activated
                ? `promoted read replica ${identifier} of ${primaryDatabaseIdentifier(config.prefix)} (${config.homeRegion})`
                : `read replica ${identifier} of ${primaryDatabaseIdentifier(config.prefix)} (${config.homeRegion}), promoted on failover`,
        };
    }
    const restore = dr.restore;
    if (!dr.activated || !restore) {
        return undefined;
    }
    const database = new Database(
        `${own}-db-dr-${restore.generation}`,
        {
            identifier: restoredDatabaseIdentifier(own, restore.generation),
            disposable: dr.drill !== undefined,
            settings: config.database,
            vpcId: network.vpcId,
            vpcCidr: network.cidr,
            privateSubnetIds: network.privateSubnetIds,
            kmsKeyArn: keyArn,
            restoreFrom: restoreSource(restore, dr.primaryStack),
        },
        opts,
    );
    return { database, serving: true, origin: describeRestore(restore) };
}

/**
 * What RDS restores from. A PITR restore without an explicit backups ARN reads the primary
 * stack's `dbReplicatedBackupsArn` output; when the primary's state cannot be read (its
 * backend may be in the lost region) set `automatedBackupsArn` in `webank:restore`.
 */
function restoreSource(restore: RestoreSpec, primaryStack: string): DatabaseRestoreSource {
    switch (restore.source) {
        case "pitr":
            return {
                kind: "pitr",
                time: restore.time,
                automatedBackupsArn:
                    restore.automatedBackupsArn ??
                    (new pulumi.StackReference("primary-stack", { name: primaryStack }).requireOutput(
                        "dbReplicatedBackupsArn",
                    ) as pulumi.Output<string>),
            };
        case "snapshot":
            return { kind: "snapshot", snapshotArn: restore.snapshotArn };
        case "recovery-point":
            // An AWS Backup recovery point of an RDS instance is a DB snapshot.
            return { kind: "snapshot", snapshotArn: restore.recoveryPointArn };
    }
}

/** One line for the stack outputs and the failover report. */
function describeRestore(restore: RestoreSpec): string {
    switch (restore.source) {
        case "pitr":
            return `point in time ${restore.time} (generation ${restore.generation})`;
        case "snapshot":
            return `snapshot ${restore.snapshotArn} (generation ${restore.generation})`;
        case "recovery-point":
            return `recovery point ${restore.recoveryPointArn} (generation ${restore.generation})`;
    }
}
