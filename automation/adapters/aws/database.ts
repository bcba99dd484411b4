import { POSTGRES_PORT } from "../../../lib/postgres";
import {
    DBInstance,
    DBInstanceAutomatedBackup,
    ModifyDBInstanceCommand,
    paginateDescribeDBInstanceAutomatedBackups,
    RDSClient,
    RestoreDBInstanceToPointInTimeCommand,
    RestoreDBInstanceToPointInTimeCommandInput,
    waitUntilDBInstanceAvailable,
} from "@aws-sdk/client-rds";
import { DatabaseInstance, DatabasePort, ReplicatedBackups } from "../../ports";
import { RdsSnapshots } from "./database-snapshots";
import { DEFAULT_POLL_DELAYS, isAwsError, messageOf, PollDelays, waiterSettings } from "./retry";
import {
    describeDbInstance,
    describeInstanceCommand,
    RdsDatabaseOptions,
    requireIdentifier,
    waitError,
} from "./rds-support";

/** Re-exported so callers keep taking the options from the adapter they construct. */
export type { RdsDatabaseOptions } from "./rds-support";

/**
 * Tag on every instance {@link RdsDatabase.restoreToPointInTime} creates: the source it was
 * restored from. A re-run finds an instance of the target name and reuses it only when this
 * tag (and {@link RESTORE_POINT_TAG}) say it is the same restore; anything else is refused.
 */
export const RESTORED_FROM_TAG = "webank:restored-from";

/** Tag with the restore point of a restored instance: `latest` or an ISO-8601 instant. */
export const RESTORE_POINT_TAG = "webank:restore-point";

/**
 * {@link DatabasePort} over RDS in one region. Every change is idempotent: a snapshot, copy
 * or restored instance that already exists under the target name is reused when it is the
 * same thing (same source), and refused, with nothing changed, when it is not. Nothing is
 * ever deleted.
 */
export class RdsDatabase implements DatabasePort {
    private readonly pollDelays: PollDelays;
    /** The snapshot half of the port, in its own file; built with the same client and options. */
    private readonly snapshots: RdsSnapshots;

    constructor(
        private readonly rds: RDSClient,
        /** The region of `rds`. */
        public readonly region: string,
        options: RdsDatabaseOptions = {},
    ) {
        this.pollDelays = options.pollDelays ?? DEFAULT_POLL_DELAYS;
        this.snapshots = new RdsSnapshots(rds, region, options);
    }

    /**
     * The automated backups of `sourceIdentifier` replicated into this region. RDS describes
     * them under the source's identifier, with the source's region in `Region`; the filter
     * by identifier may not find them here (the source instance lives in another region), so
     * the whole list is read and matched when it does not.
     */
    public async replicatedBackups(sourceIdentifier: string): Promise<ReplicatedBackups | undefined> {
        // Any error of the filtered query (not found, or a "must match an existing instance"
        // refusal) falls back to the full list; a real problem (permissions) fails that too.
        const byIdentifier = await this.automatedBackups(sourceIdentifier).catch(() => []);
        const found =
            this.newestReplicated(byIdentifier, sourceIdentifier) ??
            this.newestReplicated(await this.automatedBackups(undefined), sourceIdentifier);
        if (!found) {
            return undefined;
        }
        return {
            arn: found.DBInstanceAutomatedBackupsArn as string,
            earliest: found.RestoreWindow?.EarliestTime as Date,
            latest: found.RestoreWindow?.LatestTime as Date,
        };
    }

    /** The instance, or undefined when RDS does not know it in this region. */
    public async describeInstance(identifier: string): Promise<DatabaseInstance | undefined> {
        const instance = await this.describeRaw(identifier);
        return instance && toDatabaseInstance(instance);
    }

    /**
     * Starts a point-in-time restore. The source is the instance itself when it lives in this
     * region (an in-place restore), otherwise its automated backups replicated here (a
     * failover). Deletion protection is always on and the instance is never public,
     * whatever `like` says: a restored bank database must not be lost or exposed by accident.
     */
    public async restoreToPointInTime(
        sourceIdentifier: string,
        targetIdentifier: string,
        time: Date | "latest",
        like: DatabaseInstance,
    ): Promise<void> {
        requireIdentifier("targetIdentifier", targetIdentifier);
        if (time !== "latest" && !(time instanceof Date && !Number.isNaN(time.getTime()))) {
            throw new Error(`time must be "latest" or a valid Date; got ${String(time)}`);
        }
        const point = time === "latest" ? "latest" : time.toISOString();
        const existing = await this.describeRaw(targetIdentifier);
        if (existing) {
            this.requireSameRestore(existing, sourceIdentifier, point);
            return;
        }
        const local = await this.describeRaw(sourceIdentifier);
        const backups = local ? undefined : await this.replicatedBackups(sourceIdentifier);
        if (!local && !backups) {
            throw new Error(
                `neither the DB instance ${sourceIdentifier} nor automated backups of it replicated into ${this.region} exist, ` +
                    `so ${targetIdentifier} cannot be restored; nothing was changed. Check with: ` +
                    `aws rds describe-db-instance-automated-backups --region ${this.region}`,
            );
        }
        const input: RestoreDBInstanceToPointInTimeCommandInput = {
            TargetDBInstanceIdentifier: targetIdentifier,
            ...(local
                ? { SourceDBInstanceIdentifier: sourceIdentifier }
                : { SourceDBInstanceAutomatedBackupsArn: backups?.arn }),
            ...(time === "latest" ? { UseLatestRestorableTime: true } : { RestoreTime: time }),
            DBInstanceClass: like.instanceClass,
            DBSubnetGroupName: like.subnetGroupName,
            ...(like.securityGroupIds.length > 0 ? { VpcSecurityGroupIds: [...like.securityGroupIds] } : {}),
            DBParameterGroupName: like.parameterGroupName,
            MultiAZ: like.multiAz,
            DeletionProtection: true,
            CopyTagsToSnapshot: true,
            PubliclyAccessible: false,
            Tags: [
                { Key: RESTORED_FROM_TAG, Value: sourceIdentifier },
                { Key: RESTORE_POINT_TAG, Value: point },
            ],
        };
        try {
            await this.rds.send(new RestoreDBInstanceToPointInTimeCommand(input));
        } catch (error) {
            if (isAwsError(error, "DBInstanceAlreadyExistsFault")) {
                // Another run started the same restore between our check and our call.
                const raced = await this.describeRaw(targetIdentifier);
                if (raced) {
                    this.requireSameRestore(raced, sourceIdentifier, point);
                    return;
                }
            }
            throw new Error(
                `restore of ${sourceIdentifier} into ${targetIdentifier} in ${this.region} failed: ${messageOf(error)}`,
                { cause: error },
            );
        }
    }

    /**
     * Renames an instance (ApplyImmediately: the cut-over must not wait for a maintenance
     * window). Already renamed (only the new name exists) or being renamed to the new name
     * is success, so a re-run resumes.
     */
    public async renameInstance(identifier: string, newIdentifier: string): Promise<void> {
        requireIdentifier("newIdentifier", newIdentifier);
        const [current, renamed] = await Promise.all([
            this.describeRaw(identifier),
            this.describeRaw(newIdentifier),
        ]);
        if (!current && renamed) {
            return;
        }
        if (!current) {
            throw new Error(
                `DB instance ${identifier} not found in ${this.region}, and no instance is named ${newIdentifier} yet; ` +
                    `nothing was changed. Check with: ${describeInstanceCommand(this.region, identifier)}`,
            );
        }
        if (current.PendingModifiedValues?.DBInstanceIdentifier === newIdentifier) {
            // A previous run's rename is under way; asking again would only be refused.
            return;
        }
        if (renamed) {
            throw new Error(
                `cannot rename ${identifier} to ${newIdentifier} in ${this.region}: an instance named ${newIdentifier} already exists; ` +
                    `nothing was changed. Check both with: aws rds describe-db-instances --region ${this.region}`,
            );
        }
        await this.rds.send(
            new ModifyDBInstanceCommand({
                DBInstanceIdentifier: identifier,
                NewDBInstanceIdentifier: newIdentifier,
                ApplyImmediately: true,
            }),
        );
    }

    /**
     * Waits with the SDK waiter. The waiter retries on any describe error (it cannot tell a
     * rename in progress from a typo), so one describe first surfaces errors that waiting
     * cannot fix, such as missing permissions.
     */
    public async waitAvailable(identifier: string, timeoutMinutes: number): Promise<void> {
        const settings = waiterSettings(this.rds, timeoutMinutes, this.pollDelays);
        await this.describeRaw(identifier);
        const started = Date.now();
        try {
            await waitUntilDBInstanceAvailable(settings, { DBInstanceIdentifier: identifier });
        } catch (error) {
            const status = (await this.describeRaw(identifier).catch(() => undefined))?.DBInstanceStatus;
            throw waitError(
                `DB instance ${identifier}`,
                { timeoutMinutes, started },
                status,
                describeInstanceCommand(this.region, identifier),
                error,
            );
        }
    }

    /**
     * Takes a manual snapshot (or reuses the one of that name taken of the same instance) and
     * waits for it; see {@link RdsSnapshots.createSnapshot}. Here so callers of the port keep
     * one object for the whole database.
     */
    public createSnapshot(
        instanceIdentifier: string,
        snapshotIdentifier: string,
        timeoutMinutes: number,
    ): Promise<string> {
        return this.snapshots.createSnapshot(instanceIdentifier, snapshotIdentifier, timeoutMinutes);
    }

    /**
     * Copies a snapshot of another region into this one, re-encrypted with `kmsKeyId`, and
     * waits for the copy; see {@link RdsSnapshots.copySnapshot}. Here so callers of the port
     * keep one object for the whole database.
     */
    public copySnapshot(
        sourceSnapshotArn: string,
        targetIdentifier: string,
        kmsKeyId: string,
        timeoutMinutes: number,
    ): Promise<string> {
        return this.snapshots.copySnapshot(sourceSnapshotArn, targetIdentifier, kmsKeyId, timeoutMinutes);
    }

    /** Refuses to reuse an instance that is not the restore asked for. */
    private requireSameRestore(instance: DBInstance, source: string, point: string): void {
        const tags = new Map((instance.TagList ?? []).map((tag) => [tag.Key, tag.Value]));
        if (tags.get(RESTORED_FROM_TAG) === source && tags.get(RESTORE_POINT_TAG) === point) {
            return;
        }
        throw new Error(
            `DB instance ${String(instance.DBInstanceIdentifier)} already exists in ${this.region} but is not the restore of ` +
                `${source} at ${point} (its tags: ${RESTORED_FROM_TAG}=${tags.get(RESTORED_FROM_TAG) ?? "none"}, ` +
                `${RESTORE_POINT_TAG}=${tags.get(RESTORE_POINT_TAG) ?? "none"}); nothing was changed. Restore into another ` +
                `identifier, or check it with: ${describeInstanceCommand(this.region, String(instance.DBInstanceIdentifier))}`,
        );
    }

    private describeRaw(identifier: string): Promise<DBInstance | undefined> {
        return describeDbInstance(this.rds, identifier);
    }

    /** Every automated backup in this region, or those of one instance identifier. */
    private async automatedBackups(identifier: string | undefined): Promise<DBInstanceAutomatedBackup[]> {
        const all: DBInstanceAutomatedBackup[] = [];
        const pages = paginateDescribeDBInstanceAutomatedBackups(
            { client: this.rds },
            identifier ? { DBInstanceIdentifier: identifier } : {},
        );
        for await (const page of pages) {
            all.push(...(page.DBInstanceAutomatedBackups ?? []));
        }
        return all;
    }

    /** The replicated backups of `source` (from another region) that can restore the latest time. */
    private newestReplicated(
        backups: readonly DBInstanceAutomatedBackup[],
        source: string,
    ): DBInstanceAutomatedBackup | undefined {
        return backups
            .filter((b) => b.DBInstanceIdentifier?.toLowerCase() === source.toLowerCase())
            .filter((b) => (b.Region ?? arnRegion(b.DBInstanceArn)) !== this.region)
            .filter(
                (b) =>
                    b.DBInstanceAutomatedBackupsArn &&
                    b.RestoreWindow?.EarliestTime &&
                    b.RestoreWindow.LatestTime,
            )
            .sort(
                (a, b) =>
                    (b.RestoreWindow?.LatestTime?.getTime() ?? 0) -
                    (a.RestoreWindow?.LatestTime?.getTime() ?? 0),
            )[0];
    }
}

/** The port's view of an RDS instance. */
function toDatabaseInstance(instance: DBInstance): DatabaseInstance {
    const endpoint = instance.Endpoint?.Address
        ? `${instance.Endpoint.Address}:${instance.Endpoint.Port ?? POSTGRES_PORT}`
        : undefined;
    return {
        identifier: instance.DBInstanceIdentifier ?? "",
        arn: instance.DBInstanceArn ?? "",
        status: instance.DBInstanceStatus ?? "unknown",
        ...(endpoint ? { endpoint } : {}),
        ...(instance.LatestRestorableTime ? { latestRestorableTime: instance.LatestRestorableTime } : {}),
        instanceClass: instance.DBInstanceClass ?? "",
        subnetGroupName: instance.DBSubnetGroup?.DBSubnetGroupName,
        securityGroupIds: (instance.VpcSecurityGroups ?? [])
            .map((group) => group.VpcSecurityGroupId)
            .filter((id): id is string => typeof id === "string"),
        parameterGroupName: instance.DBParameterGroups?.[0]?.DBParameterGroupName,
        multiAz: instance.MultiAZ ?? false,
        deletionProtection: instance.DeletionProtection ?? false,
    };
}

/** The region field of an ARN. */
function arnRegion(arn: string | undefined): string | undefined {
    return arn?.split(":")[3];
}
