import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ProblemCollector } from "../lib/errors";
import { statefulChild } from "../lib/resource-options";
import { ABORT_INCOMPLETE_UPLOAD_DAYS, NONCURRENT_VERSION_RETENTION_DAYS } from "../lib/retention";

/** Arguments of {@link HardenedBucket}. */
export interface HardenedBucketArgs {
    /** Physical bucket name. Derived by the caller so it can be found without Pulumi state. */
    bucketName: pulumi.Input<string>;
    /** ARN of the KMS key (in the bucket's region) that encrypts every object. */
    kmsKeyArn: pulumi.Input<string>;
    /**
     * Days a replaced or deleted object version stays recoverable before S3 expires it
     * (whole number, 1–3650).
     */
    noncurrentVersionRetentionDays: number;
    /**
     * Key prefixes whose objects are written again every few minutes (periodic exports) and
     * how long each stays current before S3 expires it (a delete marker: the version itself
     * stays recoverable for `noncurrentVersionRetentionDays` more). @default nothing expires
     */
    expireCurrent?: PeriodicExpiry;
}

/** Current-version expiry of periodic exports: see {@link HardenedBucketArgs.expireCurrent}. */
export interface PeriodicExpiry {
    /** Key prefixes, each ending in `/` (a bare name would also match its siblings). */
    readonly prefixes: readonly string[];
    /** Days an object stays current (whole number, 1–3650). */
    readonly days: number;
}

/**
 * One S3 bucket that is safe to keep recovery data in: versioning on, SSE-KMS with a
 * customer key (S3 Bucket Keys on to cut KMS calls), every public access setting blocked,
 * ACLs disabled (bucket owner enforced), a policy that refuses any request not made over
 * TLS, and a lifecycle that keeps noncurrent versions for a set time. The bucket is protected
 * and retained. Used for both sides of every {@link ReplicatedBucket}.
 */
export class HardenedBucket extends pulumi.ComponentResource {
    /** The bucket. */
    public readonly bucket: aws.s3.Bucket;
    /** Its versioning configuration: replication depends on it being enabled first. */
    public readonly versioning: aws.s3.BucketVersioning;
    /** Bucket name. */
    public readonly bucketName: pulumi.Output<string>;
    /** Bucket ARN. */
    public readonly bucketArn: pulumi.Output<string>;

    constructor(name: string, args: HardenedBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webank:storage:HardenedBucket", name, {}, opts);
        const problems = new ProblemCollector();
        const days = args.noncurrentVersionRetentionDays;
        problems.requireWholeNumber(
            `HardenedBucket(${name}).noncurrentVersionRetentionDays`,
            days,
            NONCURRENT_VERSION_RETENTION_DAYS,
        );
        const expiry = args.expireCurrent;
        if (expiry !== undefined) {
            problems.requireWholeNumber(
                `HardenedBucket(${name}).expireCurrent.days`,
                expiry.days,
                NONCURRENT_VERSION_RETENTION_DAYS,
            );
            if (expiry.prefixes.length === 0) {
                problems.add(
                    `HardenedBucket(${name}).expireCurrent.prefixes`,
                    "name at least one prefix",
                    expiry.prefixes,
                );
            }
            for (const prefix of expiry.prefixes) {
                if (typeof prefix !== "string" || !/^[^/]+(\/[^/]+)*\/$/.test(prefix)) {
                    problems.add(
                        `HardenedBucket(${name}).expireCurrent.prefixes`,
                        'be key prefixes ending in "/", e.g. "argocd-exports/"',
                        prefix,
                    );
                }
            }
        }
        problems.throwIfAny(`Invalid arguments for HardenedBucket "${name}"`);

        // forceDestroy stays off: Pulumi must never empty a bucket of recovery data.
        this.bucket = new aws.s3.Bucket(
            name,
            { bucket: args.bucketName, forceDestroy: false },
            statefulChild(this),
        );
        const bucket = this.bucket.id;

        this.versioning = new aws.s3.BucketVersioning(
            `${name}-versioning`,
            { bucket, versioningConfiguration: { status: "Enabled" } },
            statefulChild(this),
        );
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-encryption`,
            {
                bucket,
                rules: [
                    {
                        applyServerSideEncryptionByDefault: {
                            sseAlgorithm: "aws:kms",
                            kmsMasterKeyId: args.kmsKeyArn,
                        },
                        bucketKeyEnabled: true,
                    },
                ],
            },
            statefulChild(this),
        );
        const publicAccess = new aws.s3.BucketPublicAccessBlock(
            `${name}-public-access`,
            {
                bucket,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            },
            statefulChild(this),
        );
        new aws.s3.BucketOwnershipControls(
            `${name}-ownership`,
            { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } },
            statefulChild(this),
        );
        new aws.s3.BucketPolicy(
            `${name}-tls-only`,
            { bucket, policy: this.bucket.arn.apply(tlsOnlyPolicy) },
            // After the public access block, so the policy is never evaluated on an unguarded bucket.
            statefulChild(this, { dependsOn: [publicAccess] }),
        );
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-lifecycle`,
            {
                bucket,
                rules: [
                    {
                        id: "expire-noncurrent-versions",
                        status: "Enabled",
                        filter: {},
                        noncurrentVersionExpiration: { noncurrentDays: days },
                    },
                    {
                        id: "abort-incomplete-multipart-uploads",
                        status: "Enabled",
                        filter: {},
                        abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_INCOMPLETE_UPLOAD_DAYS },
                    },
                    // In a versioned bucket, Expiration only adds a delete marker: the export stays
                    // a noncurrent version until the rule above removes it ("Versioning-enabled
                    // bucket – ... adds a delete marker ... This makes the current version
                    // noncurrent", S3 User Guide, lifecycle-expire-general-considerations).
                    ...(expiry?.prefixes ?? []).map((prefix) => ({
                        id: `expire-current-${prefix.replace(/\/$/, "").replace(/[^A-Za-z0-9-]/g, "-")}`,
                        status: "Enabled",
                        filter: { prefix },
                        expiration: { days: expiry?.days },
                    })),
                ],
            },
            // Lifecycle rules act on versions, so they must not run before versioning exists.
            statefulChild(this, { dependsOn: [this.versioning] }),
        );

        this.bucketName = this.bucket.bucket;
        this.bucketArn = this.bucket.arn;
        this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
    }
}

/** A bucket policy that denies every request made without TLS. */
export function tlsOnlyPolicy(bucketArn: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [bucketArn, `${bucketArn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    });
}
