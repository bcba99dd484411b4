/**
 * The snapshot half of the RDS adapter: manual snapshots and cross-region copies. Kept apart
 * from {@link RdsDatabase} (instances: restore, rename, wait) so each file has one
 * responsibility; {@link RdsDatabase} delegates its snapshot calls here.
 */
import {
    CopyDBSnapshotCommand,
    CreateDBSnapshotCommand,
    DBSnapshot,
    DescribeDBSnapshotsCommand,
    RDSClient,
    waitUntilDBSnapshotAvailable,
} from "@aws-sdk/client-rds";
import { DEFAULT_POLL_DELAYS, isAwsError, messageOf, PollDelays, waiterSettings } from "./retry";
import { describeInstanceCommand, RdsDatabaseOptions, requireIdentifier, waitError } from "./rds-support";

/** An RDS snapshot ARN; captures the region. */
const SNAPSHOT_ARN_PATTERN = /^arn:aws[a-z-]*:rds:([a-z0-9-]+):\d{12}:snapshot:([a-zA-Z][a-zA-Z0-9-]*)$/;

/**
 * Snapshots and snapshot copies over RDS in one region, with the idempotence of
 * {@link RdsDatabase}: a snapshot or copy that already exists under the target name is
 * reused when it has the same source, and refused, with nothing changed, when it does not.
 * Nothing is ever deleted.
 */
export class RdsSnapshots {
    private readonly pollDelays: PollDelays;

    constructor(
        private readonly rds: RDSClient,
        /** The region of `rds`: snapshots are made and copied into it, and messages name it. */
        public readonly region: string,
        options: RdsDatabaseOptions = {},
    ) {
        this.pollDelays = options.pollDelays ?? DEFAULT_POLL_DELAYS;
    }

    /** Takes a manual snapshot (or reuses the one of that name taken of the same instance) and waits for it. */
    public async createSnapshot(
        instanceIdentifier: string,
        snapshotIdentifier: string,
        timeoutMinutes: number,
    ): Promise<string> {
        requireIdentifier("snapshotIdentifier", snapshotIdentifier);
        const settings = waiterSettings(this.rds, timeoutMinutes, this.pollDelays);
        const sameSnapshot = (snapshot: DBSnapshot) => {
            if (snapshot.DBInstanceIdentifier !== instanceIdentifier) {
                throw new Error(
                    `snapshot ${snapshotIdentifier} already exists in ${this.region} but is of ${String(snapshot.DBInstanceIdentifier)}, ` +
                        `not ${instanceIdentifier}; nothing was changed. Choose another snapshot name, or check it with: ` +
                        this.describeSnapshotCommand(snapshotIdentifier),
                );
            }
        };
        const existing = await this.describeSnapshot(snapshotIdentifier);
        if (existing) {
            sameSnapshot(existing);
        } else {
            try {
                await this.rds.send(
                    new CreateDBSnapshotCommand({
                        DBInstanceIdentifier: instanceIdentifier,
                        DBSnapshotIdentifier: snapshotIdentifier,
                    }),
                );
            } catch (error) {
                const raced = isAwsError(error, "DBSnapshotAlreadyExistsFault")
                    ? await this.describeSnapshot(snapshotIdentifier)
                    : undefined;
                if (!raced) {
                    throw this.snapshotStartError(error, instanceIdentifier, snapshotIdentifier);
                }
                sameSnapshot(raced);
            }
        }
        return this.waitSnapshot(snapshotIdentifier, timeoutMinutes, settings);
    }

    /**
     * Copies a snapshot of another region into this one (SourceRegion makes the SDK sign the
     * pre-signed URL RDS needs for an encrypted cross-region copy), re-encrypted with
     * `kmsKeyId` of this region, and waits for the copy. A copy of the same source under the
     * target name is reused.
     */
    public async copySnapshot(
        sourceSnapshotArn: string,
        targetIdentifier: string,
        kmsKeyId: string,
        timeoutMinutes: number,
    ): Promise<string> {
        const sourceRegion = SNAPSHOT_ARN_PATTERN.exec(sourceSnapshotArn)?.[1];
        if (!sourceRegion) {
            throw new Error(
                `sourceSnapshotArn must be an RDS snapshot ARN (arn:aws:rds:<region>:<account>:snapshot:<name>); got ${JSON.stringify(sourceSnapshotArn)}`,
            );
        }
        requireIdentifier("targetIdentifier", targetIdentifier);
        if (typeof kmsKeyId !== "string" || kmsKeyId.trim() === "") {
            throw new Error(
                `kmsKeyId must be a KMS key id, ARN or alias of ${this.region}; got ${JSON.stringify(kmsKeyId)}`,
            );
        }
        const settings = waiterSettings(this.rds, timeoutMinutes, this.pollDelays);
        const sameCopy = (snapshot: DBSnapshot) => {
            if (snapshot.SourceDBSnapshotIdentifier !== sourceSnapshotArn) {
                throw new Error(
                    `snapshot ${targetIdentifier} already exists in ${this.region} but is not a copy of ${sourceSnapshotArn} ` +
                        `(its source: ${snapshot.SourceDBSnapshotIdentifier ?? "none"}); nothing was changed. ` +
                        `Choose another name, or check it with: ${this.describeSnapshotCommand(targetIdentifier)}`,
                );
            }
        };
        const existing = await this.describeSnapshot(targetIdentifier);
        if (existing) {
            sameCopy(existing);
        } else {
            try {
                await this.rds.send(
                    new CopyDBSnapshotCommand({
                        SourceDBSnapshotIdentifier: sourceSnapshotArn,
                        TargetDBSnapshotIdentifier: targetIdentifier,
                        KmsKeyId: kmsKeyId,
                        CopyTags: true,
                        ...(sourceRegion !== this.region ? { SourceRegion: sourceRegion } : {}),
                    }),
                );
            } catch (error) {
                const raced = isAwsError(error, "DBSnapshotAlreadyExistsFault")
                    ? await this.describeSnapshot(targetIdentifier)
                    : undefined;
                if (!raced) {
                    const check = isAwsError(error, "DBSnapshotNotFoundFault")
                        ? `the source snapshot was not found; check it with: aws rds describe-db-snapshots --region ${sourceRegion} --db-snapshot-identifier ${sourceSnapshotArn}`
                        : "nothing was changed; run the same command again once the cause is fixed";
                    throw new Error(
                        `copy of ${sourceSnapshotArn} to ${targetIdentifier} in ${this.region} could not start: ${messageOf(error)}; ${check}`,
                        { cause: error },
                    );
                }
                sameCopy(raced);
            }
        }
        return this.waitSnapshot(targetIdentifier, timeoutMinutes, settings);
    }

    /** Waits for a snapshot and returns its ARN. */
    private async waitSnapshot(
        identifier: string,
        timeoutMinutes: number,
        settings: ReturnType<typeof waiterSettings<RDSClient>>,
    ): Promise<string> {
        const started = Date.now();
        try {
            await waitUntilDBSnapshotAvailable(settings, { DBSnapshotIdentifier: identifier });
        } catch (error) {
            const status = (await this.describeSnapshot(identifier).catch(() => undefined))?.Status;
            throw waitError(
                `DB snapshot ${identifier}`,
                { timeoutMinutes, started },
                status,
                this.describeSnapshotCommand(identifier),
                error,
            );
        }
        const snapshot = await this.describeSnapshot(identifier);
        if (!snapshot?.DBSnapshotArn) {
            throw new Error(
                `DB snapshot ${identifier} was available but is no longer described; check it with: ${this.describeSnapshotCommand(identifier)}`,
            );
        }
        return snapshot.DBSnapshotArn;
    }

    private snapshotStartError(error: unknown, instance: string, snapshot: string): Error {
        const check = isAwsError(error, "DBInstanceNotFoundFault")
            ? `DB instance ${instance} not found; check it with: ${describeInstanceCommand(this.region, instance)}`
            : "nothing was changed; run the same command again once the cause is fixed";
        return new Error(
            `snapshot ${snapshot} of ${instance} in ${this.region} could not start: ${messageOf(error)}; ${check}`,
            { cause: error },
        );
    }

    private async describeSnapshot(identifier: string): Promise<DBSnapshot | undefined> {
        try {
            const { DBSnapshots = [] } = await this.rds.send(
                new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: identifier }),
            );
            return DBSnapshots[0];
        } catch (error) {
            if (isAwsError(error, "DBSnapshotNotFoundFault")) {
                return undefined;
            }
            throw error;
        }
    }

    private describeSnapshotCommand(identifier: string): string {
        return `aws rds describe-db-snapshots --region ${this.region} --db-snapshot-identifier ${identifier}`;
    }
}
