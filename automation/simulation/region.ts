import { DatabaseInstance, RecoveryPoint, ReplicatedBackups } from "../ports";
import { s3VersionId } from "./formats";

/** One simulated S3 object version. */
export interface ObjectVersion {
    /** The version id S3 gave it (kept by replication: the replica's version has the same id). */
    readonly versionId: string;
    /** Last-Modified (replication keeps it too). */
    readonly lastModified: Date;
    /** The bytes. */
    readonly body: Buffer;
}

/**
 * What one simulated region holds: RDS instances, replicated automated backups, manual
 * snapshots, backup vaults and versioned buckets. Tests read and seed these maps directly;
 * the ports change them inside the world's transactions.
 */
export class SimulatedRegion {
    /** RDS instances by identifier. */
    public readonly instances = new Map<string, DatabaseInstance>();
    /** Replicated automated backups by source instance identifier. */
    public readonly replicatedBackups = new Map<string, ReplicatedBackups>();
    /** Manual snapshots by identifier, with their ARNs. */
    public readonly snapshots = new Map<string, string>();
    /** Recovery points by vault name. */
    public readonly vaults = new Map<string, RecoveryPoint[]>();
    /** Buckets: key to versions, oldest first. */
    public readonly buckets = new Map<string, Map<string, ObjectVersion[]>>();

    constructor(
        /** The region name. */
        public readonly name: string,
    ) {}

    /**
     * Adds an object version to this region's bucket (creating the bucket when needed), as an
     * upload would, and returns its version id. Only this region: replication to a replica
     * bucket is the object store's (see objects.ts), so tests can seed one side alone.
     * @param versionId the id to keep (a replica's); default a new S3-shaped id
     */
    public put(bucket: string, key: string, body: string | Buffer, at: Date, versionId?: string): string {
        const objects = this.buckets.get(bucket) ?? new Map<string, ObjectVersion[]>();
        this.buckets.set(bucket, objects);
        const versions = objects.get(key) ?? [];
        const id =
            versionId ?? s3VersionId(`${this.name}/${bucket}/${key}/${versions.length}/${at.toISOString()}`);
        versions.push({
            versionId: id,
            lastModified: at,
            body: Buffer.isBuffer(body) ? body : Buffer.from(body),
        });
        objects.set(key, versions);
        return id;
    }

    /** Adds a completed recovery point to a vault (creating the vault when needed). */
    public addRecoveryPoint(vaultName: string, point: RecoveryPoint): void {
        this.vaults.set(vaultName, [...(this.vaults.get(vaultName) ?? []), point]);
    }
}
