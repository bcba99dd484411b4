import { newestFirst, ObjectStorePort, StoredObject } from "../ports";
import { ObjectVersion } from "./region";
import { Side } from "./state";
import type { WorldCore } from "./world-core";

/** How S3 describes one version (ListObjectVersions / HeadObject). */
function describe(key: string, version: ObjectVersion, isLatest: boolean): StoredObject {
    return {
        key,
        lastModified: version.lastModified,
        size: version.body.length,
        versionId: version.versionId,
        isLatest,
    };
}

/**
 * Stores a new version of `key` in `bucket` of `side` and replicates it by the world's
 * replication rules. S3 replication copies each new version to the destination bucket with
 * "the same key names and the same metadata—for example, creation time, user-defined
 * metadata, and version ID" (S3 user guide, "Replicating objects within and across Regions",
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication.html), so the replica has
 * the same version id and Last-Modified. Replication is asynchronous in S3 ("most objects
 * replicate within 15 minutes", S3 Replication Time Control); the simulation takes the best
 * case and replicates in the same transaction. Returns the version id.
 * @param record whether to log the put as a change: a put through the port is one; what a job
 *     or build writes on its own (and the seed) is not, since the change log lists what the ports changed
 */
export function putReplicated(
    world: WorldCore,
    side: Side,
    bucket: string,
    key: string,
    body: string | Buffer,
    at: Date,
    record = true,
): string {
    const versionId = world.region(side).put(bucket, key, body, at);
    if (record) {
        world.record(`${side} s3 put s3://${bucket}/${key}`);
    }
    for (const rule of world.state.replication) {
        if (rule.source.side === side && rule.source.bucket === bucket) {
            world.region(rule.destination.side).put(rule.destination.bucket, key, body, at, versionId);
        }
    }
    return versionId;
}

/**
 * S3 in one region, over versioned buckets. Errors carry S3's codes: `NoSuchBucket` ("The
 * specified bucket does not exist"), `NoSuchKey` ("The specified key does not exist"),
 * `NoSuchVersion` ("The specified version does not exist"), as in the S3 API reference's
 * error code list.
 */
export function objectStorePort(world: WorldCore, side: Side): ObjectStorePort {
    const region = world.region(side);
    const op = (name: string) => `${side}.objects.${name}`;
    const bucketOf = (bucket: string) => {
        const objects = region.buckets.get(bucket);
        if (!objects) {
            throw new Error(
                `NoSuchBucket: The specified bucket does not exist (${bucket} in ${region.name})`,
            );
        }
        return objects;
    };
    // ListObjectsV2's Contents: the current version of each key.
    const current = (bucket: string, prefix: string): StoredObject[] =>
        [...bucketOf(bucket).entries()]
            .filter(([key, versions]) => key.startsWith(prefix) && versions.length > 0)
            // ListObjectsV2 gives no version id (S3 API Reference, "ListObjectsV2": Contents has
            // Key, LastModified, ETag, Size, StorageClass, Owner): neither does this listing.
            .map(([key, versions]) => {
                const {
                    versionId: _id,
                    isLatest: _latest,
                    ...current
                } = describe(key, versions[versions.length - 1], true);
                void _id;
                void _latest;
                return current;
            })
            .sort(newestFirst);
    return {
        region: region.name,
        newestObject: async (bucket, prefix) => {
            await world.enter(op("newestObject"));
            return world.transact(() => current(bucket, prefix)[0]);
        },
        currentObjects: async (bucket, prefix) => {
            await world.enter(op("currentObjects"));
            return world.transact(() => current(bucket, prefix));
        },
        listVersions: async (bucket, key) => {
            await world.enter(op("listVersions"));
            return world.transact(() => {
                const versions = bucketOf(bucket).get(key) ?? [];
                // Newest first, as ListObjectVersions returns them for one key (the last written is the latest).
                return versions
                    .map((v, i) => ({ i, object: describe(key, v, i === versions.length - 1) }))
                    .sort(
                        (a, b) =>
                            b.object.lastModified.getTime() - a.object.lastModified.getTime() || b.i - a.i,
                    )
                    .map(({ object }) => object);
            });
        },
        getObject: async (bucket, key, versionId) => {
            await world.enter(op("getObject"));
            return world.transact(() => {
                const versions = bucketOf(bucket).get(key) ?? [];
                if (versions.length === 0) {
                    throw new Error(`NoSuchKey: The specified key does not exist (s3://${bucket}/${key})`);
                }
                const version = versionId
                    ? versions.find((v) => v.versionId === versionId)
                    : versions[versions.length - 1];
                if (!version) {
                    throw new Error(
                        `NoSuchVersion: The specified version does not exist (s3://${bucket}/${key} version ${versionId})`,
                    );
                }
                return Buffer.from(version.body);
            });
        },
        putObject: async (bucket, key, body) => {
            await world.enter(op("putObject"), { key });
            return world.transact(() => {
                bucketOf(bucket);
                return putReplicated(world, side, bucket, key, body, world.now());
            });
        },
    };
}
