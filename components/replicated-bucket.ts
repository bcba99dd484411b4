import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { bucketName } from "../lib/naming";
import { statefulChild } from "../lib/resource-options";
import { S3_REPLICATION_TIME_MINUTES } from "../lib/retention";
import { HardenedBucket, PeriodicExpiry } from "./hardened-bucket";

/** What every store replicated from the home region to the DR region needs. */
export interface ReplicatedStoreArgs {
    /** Naming prefix (validated `webank:prefix`). */
    prefix: string;
    /** AWS account id, part of the physical names to make them globally unique. */
    accountId: pulumi.Input<string>;
    /** Home region: the source bucket. */
    homeRegion: string;
    /** DR region: the replica bucket. */
    drRegion: string;
    /** Multi-Region KMS key in the home region that encrypts the source. */
    kmsKeyArn: pulumi.Input<string>;
    /** Replica of that key in the DR region that encrypts the replica. */
    replicaKmsKeyArn: pulumi.Input<string>;
    /** Provider for the DR region. */
    replicaProvider: aws.Provider;
    /** Days a replaced or deleted object version stays recoverable, in both buckets. */
    noncurrentVersionRetentionDays: number;
}

/** Arguments of {@link ReplicatedBucket}. */
export interface ReplicatedBucketArgs extends ReplicatedStoreArgs {
    /** What the bucket holds (`state`, `artifacts`); part of both physical names. */
    purpose: string;
    /**
     * Periodic exports whose current versions expire, on both sides: S3 does not replicate
     * the delete markers a lifecycle rule adds ("the delete markers added by the S3 Lifecycle
     * expiration rule won't be replicated", S3 User Guide, delete-marker-replication), so
     * the replica needs the rule too. @default nothing expires
     */
    expireCurrent?: PeriodicExpiry;
}

/**
 * A {@link HardenedBucket} in the home region replicated to a {@link HardenedBucket} in the DR
 * region. Replication covers every object, including KMS-encrypted ones (re-encrypted with
 * the replica key) and delete markers, under S3 Replication Time Control (15 minutes, with
 * metrics) so lag is measurable. Deletes of a specific version are never replicated (S3 does
 * not), so a version deleted in the home region survives in the DR region.
 */
export class ReplicatedBucket extends pulumi.ComponentResource {
    /** The home-region bucket. */
    public readonly source: HardenedBucket;
    /** The DR-region bucket. */
    public readonly replica: HardenedBucket;
    /** The role S3 assumes to replicate. */
    public readonly replicationRole: aws.iam.Role;

    constructor(name: string, args: ReplicatedBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webank:storage:ReplicatedBucket", name, {}, opts);
        const nameIn = (region: string) =>
            pulumi
                .output(args.accountId)
                .apply((account) => bucketName(args.prefix, args.purpose, account, region));

        this.source = new HardenedBucket(
            `${name}-source`,
            {
                bucketName: nameIn(args.homeRegion),
                kmsKeyArn: args.kmsKeyArn,
                noncurrentVersionRetentionDays: args.noncurrentVersionRetentionDays,
                expireCurrent: args.expireCurrent,
            },
            { parent: this },
        );
        this.replica = new HardenedBucket(
            `${name}-replica`,
            {
                bucketName: nameIn(args.drRegion),
                kmsKeyArn: args.replicaKmsKeyArn,
                noncurrentVersionRetentionDays: args.noncurrentVersionRetentionDays,
                expireCurrent: args.expireCurrent,
            },
            { parent: this, providers: [args.replicaProvider] },
        );

        this.replicationRole = new aws.iam.Role(
            `${name}-replication`,
            {
                description: `S3 replication of the ${args.purpose} bucket to ${args.drRegion}`,
                // No aws:SourceAccount condition: "Setting up permissions for live replication"
                // (S3 User Guide) gives this trust policy without one and documents no source keys.
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: "s3.amazonaws.com" },
                            Action: "sts:AssumeRole",
                        },
                    ],
                }),
            },
            { parent: this },
        );
        new aws.iam.RolePolicy(
            `${name}-replication`,
            {
                role: this.replicationRole.id,
                policy: pulumi
                    .all([
                        this.source.bucketArn,
                        this.replica.bucketArn,
                        args.kmsKeyArn,
                        args.replicaKmsKeyArn,
                    ])
                    .apply(([sourceArn, replicaArn, keyArn, replicaKeyArn]) =>
                        replicationPolicy({
                            sourceArn,
                            replicaArn,
                            keyArn,
                            replicaKeyArn,
                            homeRegion: args.homeRegion,
                            drRegion: args.drRegion,
                        }),
                    ),
            },
            { parent: this },
        );

        new aws.s3.BucketReplicationConfig(
            `${name}-replication`,
            {
                bucket: this.source.bucket.id,
                role: this.replicationRole.arn,
                rules: [
                    {
                        id: `replicate-to-${args.drRegion}`,
                        status: "Enabled",
                        priority: 1,
                        filter: {},
                        deleteMarkerReplication: { status: "Enabled" },
                        sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                        destination: {
                            bucket: this.replica.bucketArn,
                            storageClass: "STANDARD",
                            encryptionConfiguration: { replicaKmsKeyId: args.replicaKmsKeyArn },
                            replicationTime: {
                                status: "Enabled",
                                time: { minutes: S3_REPLICATION_TIME_MINUTES },
                            },
                            metrics: {
                                status: "Enabled",
                                eventThreshold: { minutes: S3_REPLICATION_TIME_MINUTES },
                            },
                        },
                    },
                ],
            },
            // S3 refuses a replication configuration until both buckets are versioned.
            statefulChild(this, { dependsOn: [this.source.versioning, this.replica.versioning] }),
        );

        this.registerOutputs({
            sourceBucketName: this.source.bucketName,
            replicaBucketName: this.replica.bucketName,
        });
    }
}

/** Inputs of {@link replicationPolicy}. */
interface ReplicationPolicyInputs {
    sourceArn: string;
    replicaArn: string;
    keyArn: string;
    replicaKeyArn: string;
    homeRegion: string;
    drRegion: string;
}

/**
 * The least-privilege policy for S3 replication of KMS-encrypted objects (per the S3 user
 * guide). The encryption context is the bucket ARN when S3 Bucket Keys are on and the object
 * ARN otherwise, so both are allowed.
 */
function replicationPolicy(p: ReplicationPolicyInputs): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
                Resource: p.sourceArn,
            },
            {
                Effect: "Allow",
                Action: [
                    "s3:GetObjectVersionForReplication",
                    "s3:GetObjectVersionAcl",
                    "s3:GetObjectVersionTagging",
                ],
                Resource: `${p.sourceArn}/*`,
            },
            {
                Effect: "Allow",
                Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
                Resource: `${p.replicaArn}/*`,
            },
            {
                Effect: "Allow",
                Action: ["kms:Decrypt"],
                Resource: p.keyArn,
                Condition: {
                    StringLike: {
                        "kms:ViaService": `s3.${p.homeRegion}.amazonaws.com`,
                        "kms:EncryptionContext:aws:s3:arn": [p.sourceArn, `${p.sourceArn}/*`],
                    },
                },
            },
            {
                Effect: "Allow",
                Action: ["kms:Encrypt", "kms:GenerateDataKey"],
                Resource: p.replicaKeyArn,
                Condition: {
                    StringLike: {
                        "kms:ViaService": `s3.${p.drRegion}.amazonaws.com`,
                        "kms:EncryptionContext:aws:s3:arn": [p.replicaArn, `${p.replicaArn}/*`],
                    },
                },
            },
        ],
    });
}
