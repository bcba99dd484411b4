import {
    GetObjectCommand,
    ListObjectVersionsCommand,
    ObjectVersion,
    paginateListObjectsV2,
    PutObjectCommand,
    S3Client,
} from "@aws-sdk/client-s3";
import { newestFirst, ObjectStorePort, StoredObject } from "../../ports";
import { isAwsError, messageOf } from "./retry";

/**
 * {@link ObjectStorePort} over S3 in one region. The buckets are versioned, so `putObject`
 * only ever adds a version; nothing here deletes. Encryption is left to each bucket's
 * default (the project's KMS key), so a put cannot pick a weaker one.
 */
export class S3Objects implements ObjectStorePort {
    constructor(
        private readonly s3: S3Client,
        /** The region of `s3`. */
        public readonly region: string,
    ) {}

    /** The most recently modified object under `prefix`. */
    public async newestObject(bucket: string, prefix: string): Promise<StoredObject | undefined> {
        return (await this.currentObjects(bucket, prefix))[0];
    }

    /**
     * Every current object under `prefix`, most recently modified first. Every page is read:
     * ListObjectsV2 returns keys in UTF-8 binary order, not by time (S3 API reference). Its
     * LastModified has whole seconds, so objects of one second go greater key first: the
     * keys of exports and bundles are UTC stamps.
     */
    public async currentObjects(bucket: string, prefix: string): Promise<StoredObject[]> {
        const objects: StoredObject[] = [];
        try {
            for await (const page of paginateListObjectsV2(
                { client: this.s3 },
                { Bucket: bucket, Prefix: prefix },
            )) {
                for (const object of page.Contents ?? []) {
                    if (object.Key && object.LastModified) {
                        objects.push({
                            key: object.Key,
                            lastModified: object.LastModified,
                            size: object.Size ?? 0,
                        });
                    }
                }
            }
        } catch (error) {
            throw this.bucketError(bucket, `list s3://${bucket}/${prefix}`, error);
        }
        return objects.sort(newestFirst);
    }

    /** Every version of exactly `key` (not of longer keys sharing the prefix), delete markers left out, newest first. */
    public async listVersions(bucket: string, key: string): Promise<StoredObject[]> {
        const versions: ObjectVersion[] = [];
        let keyMarker: string | undefined;
        let versionIdMarker: string | undefined;
        try {
            do {
                const page = await this.s3.send(
                    new ListObjectVersionsCommand({
                        Bucket: bucket,
                        Prefix: key,
                        KeyMarker: keyMarker,
                        VersionIdMarker: versionIdMarker,
                    }),
                );
                versions.push(...(page.Versions ?? []).filter((v) => v.Key === key));
                keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
                versionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
            } while (keyMarker !== undefined);
        } catch (error) {
            throw this.bucketError(bucket, `list the versions of s3://${bucket}/${key}`, error);
        }
        return versions
            .filter((v) => v.LastModified)
            .map((v): StoredObject => ({
                key,
                lastModified: v.LastModified as Date,
                size: v.Size ?? 0,
                ...(v.VersionId ? { versionId: v.VersionId } : {}),
                isLatest: v.IsLatest ?? false,
            }))
            .sort(
                (a, b) =>
                    b.lastModified.getTime() - a.lastModified.getTime() ||
                    Number(b.isLatest ?? false) - Number(a.isLatest ?? false),
            );
    }

    /** The bytes of the object (one version of it when `versionId` is given). */
    public async getObject(bucket: string, key: string, versionId?: string): Promise<Buffer> {
        const what = `s3://${bucket}/${key}${versionId ? ` (version ${versionId})` : ""}`;
        let body: Uint8Array | undefined;
        try {
            const { Body } = await this.s3.send(
                new GetObjectCommand({
                    Bucket: bucket,
                    Key: key,
                    ...(versionId ? { VersionId: versionId } : {}),
                }),
            );
            body = await Body?.transformToByteArray();
        } catch (error) {
            if (isAwsError(error, "NoSuchKey", "NoSuchVersion", "NotFound")) {
                throw new Error(
                    `${what} not found in ${this.region}; list its versions with: ` +
                        `aws s3api list-object-versions --region ${this.region} --bucket ${bucket} --prefix ${key}`,
                    { cause: error },
                );
            }
            throw this.bucketError(bucket, `read ${what}`, error);
        }
        if (!body) {
            throw new Error(`S3 returned no body for ${what}; run the same command again`);
        }
        return Buffer.from(body);
    }

    /** Stores an object as a new version; returns its `VersionId` (PutObject's answer in a versioned bucket). */
    public async putObject(
        bucket: string,
        key: string,
        body: string | Buffer,
        contentType: string,
    ): Promise<string | undefined> {
        if (typeof key !== "string" || key === "" || key.startsWith("/")) {
            throw new Error(
                `key must be a non-empty S3 key not starting with "/"; got ${JSON.stringify(key)}`,
            );
        }
        try {
            const { VersionId } = await this.s3.send(
                new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }),
            );
            return VersionId;
        } catch (error) {
            throw this.bucketError(bucket, `write s3://${bucket}/${key}`, error);
        }
    }

    private bucketError(bucket: string, action: string, error: unknown): Error {
        const hint = isAwsError(error, "NoSuchBucket")
            ? `bucket ${bucket} does not exist in ${this.region}; check it with: aws s3api head-bucket --region ${this.region} --bucket ${bucket}`
            : `check access with: aws s3api head-bucket --region ${this.region} --bucket ${bucket}`;
        return new Error(`could not ${action}: ${messageOf(error)}; ${hint}`, { cause: error });
    }
}
