import type { StackConfig } from "../../../config/stack-config";
import { bucketName } from "../../../lib/naming";
import type { ObjectStorePort, RecoveryPorts, StoredObject } from "../../ports";
import { problem, UsageError } from "../../run/refusal";
import type { ArtifactRegion } from "./options";

/*
 * What the artifact restores (argocd, git) share: the bucket a run reads, choosing the
 * artifact ("newest" or the operator's key), and how its age is told against its RPO.
 */

/** Where a command reads artifacts: one region's copy of the artifact bucket. */
export interface ArtifactStore {
    /** S3 in that region. */
    readonly objects: ObjectStorePort;
    /** The bucket name. */
    readonly bucket: string;
    /** The region name. */
    readonly region: string;
}

/** The artifact bucket of `side` (`home`, or its replica in `dr`). */
export async function artifactStore(
    ports: RecoveryPorts,
    config: StackConfig,
    side: ArtifactRegion,
): Promise<ArtifactStore> {
    const regionPorts = side === "dr" ? ports.dr : ports.home;
    const account = await ports.identity.accountId();
    return {
        objects: regionPorts.objects,
        bucket: bucketName(config.prefix, "artifacts", account, regionPorts.region),
        region: regionPorts.region,
    };
}

/**
 * The artifact to restore from: `key` (a version of it when `versionId` is given) when the
 * operator chose one or a resumed run pinned one, else the newest object under `prefix`. A
 * chosen key that does not exist is bad input ({@link UsageError}); an empty prefix is a
 * failure of the world (exit 1), with the command that lists what exists.
 */
export async function chooseArtifact(
    store: ArtifactStore,
    prefix: string,
    choice: { key?: string; versionId?: string; flag: string },
): Promise<StoredObject> {
    const where = `s3://${store.bucket}/${prefix} (${store.region})`;
    if (choice.key !== undefined) {
        const versions = await store.objects.listVersions(store.bucket, choice.key);
        const version = choice.versionId
            ? versions.find((v) => v.versionId === choice.versionId)
            : (versions.find((v) => v.isLatest) ?? versions[0]);
        if (!version) {
            throw new UsageError(
                problem(
                    choice.flag,
                    `name an object under ${where}${choice.versionId ? ` with version ${choice.versionId}` : ""}`,
                    choice.key,
                ),
            );
        }
        return version;
    }
    const newest = await store.objects.newestObject(store.bucket, prefix);
    if (!newest) {
        throw noArtifactError(store, prefix);
    }
    return currentVersion(store, newest);
}

/**
 * `object` with the version id of its current version. A listing of current objects carries
 * none (S3 ListObjectsV2), and a pin must name one, or a resumed run would read whatever
 * version the key holds by then; reading by that id also keeps the bytes and the pin together.
 */
export async function currentVersion(store: ArtifactStore, object: StoredObject): Promise<StoredObject> {
    if (object.versionId !== undefined) {
        return object;
    }
    const versions = await store.objects.listVersions(store.bucket, object.key);
    return versions.find((v) => v.isLatest) ?? versions[0] ?? object;
}

/** The failure of finding nothing under `prefix`, with where to look instead and how to list it. */
export function noArtifactError(store: ArtifactStore, prefix: string): Error {
    return new Error(
        `there is no object under s3://${store.bucket}/${prefix} (${store.region}); if the home region is lost read the replica with --region dr, ` +
            `and list what exists with: ${listCommand(store, prefix)}`,
    );
}

/** The AWS CLI command that lists the artifacts under `prefix`. */
export function listCommand(store: ArtifactStore, prefix: string): string {
    return `aws s3 ls s3://${store.bucket}/${prefix} --region ${store.region}`;
}

/** The pins of a chosen artifact: its key and version, so a resumed run restores the same bytes. */
export function artifactPins(name: string, object: StoredObject): Record<string, string> {
    return {
        [`${name}Key`]: object.key,
        ...(object.versionId ? { [`${name}Version`]: object.versionId } : {}),
    };
}

/** What an operator needs to know of an artifact: where, when, and whether it is older than its RPO. */
export function describeArtifact(
    what: string,
    store: ArtifactStore,
    object: StoredObject,
    now: Date,
    rpoMinutes: number,
): string[] {
    const ageMinutes = Math.max(0, Math.round((now.getTime() - object.lastModified.getTime()) / 60_000));
    const lines = [
        `${what}: s3://${store.bucket}/${object.key}${object.versionId ? ` version ${object.versionId}` : ""} ` +
            `(${store.region}), written ${object.lastModified.toISOString()}, ${ageMinutes} min old (RPO ${rpoMinutes} min)`,
    ];
    if (ageMinutes > rpoMinutes) {
        lines.push(
            `WARNING: the ${what} is older than its RPO of ${rpoMinutes} min: changes made after ` +
                `${object.lastModified.toISOString()} are not in it and must be re-applied (from Git)`,
        );
    }
    return lines;
}
