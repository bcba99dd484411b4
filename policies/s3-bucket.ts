import { PolicyResource } from "@pulumi/policy";
import { resourcePolicy, stackPolicy } from "./lib/define";
import { Evaluation } from "./lib/evaluation";
import { requireCustomerKey } from "./lib/keys";
import { describe, listAt, UNKNOWN } from "./lib/values";
import {
    bucketsOf,
    judgeSiblings,
    requireNoInline,
    S3_ACL,
    S3_ACL_V2,
    S3_BUCKET_TYPES,
    S3_ENCRYPTION,
    S3_ENCRYPTION_V2,
    S3_OWNERSHIP,
    S3_PUBLIC_ACCESS_BLOCK,
    S3_VERSIONING,
    S3_VERSIONING_V2,
    siblingsOf,
} from "./s3-links";

/**
 * The settings every bucket keeps, source and replica alike (the replica is the copy the DR
 * region recovers from, so it gets the same protections). Each is judged on the sibling
 * resource that declares it, linked to the bucket by its `bucket` input (see s3-links.ts).
 */

/**
 * Versioning Enabled: an overwritten or deleted object stays recoverable as a noncurrent
 * version, and S3 replication requires it on both buckets ("Both source and destination
 * buckets must have versioning enabled", S3 User Guide, replication-requirements).
 */
export const s3BucketVersioningEnabled = stackPolicy({
    name: "s3-bucket-versioning-enabled",
    description: "Checks whether S3 buckets have versioning enabled.",
    validate: (args, evaluation) => {
        for (const bucket of bucketsOf(args)) {
            requireNoInline(evaluation, bucket, "versioning", S3_VERSIONING);
            judgeSiblings(
                args,
                evaluation,
                bucket,
                [S3_VERSIONING, S3_VERSIONING_V2],
                'with versioningConfiguration.status "Enabled"',
                (versioning) =>
                    evaluation.requireEqual(
                        versioning,
                        "versioningConfiguration.status",
                        "Enabled",
                        "replaced and deleted objects stay recoverable as noncurrent versions, and replication requires it",
                    ),
            );
        }
    },
});

/** The four settings of a public access block, each of which closes one way to make data public. */
const PUBLIC_ACCESS_SETTINGS = [
    "blockPublicAcls",
    "ignorePublicAcls",
    "blockPublicPolicy",
    "restrictPublicBuckets",
];

/**
 * All four public access block settings true: new public ACLs refused, existing ones
 * ignored, public bucket policies refused, and access through a public policy restricted
 * to AWS services and the bucket owner (S3 User Guide, access-control-block-public-access).
 */
export const s3BucketPublicAccessBlocked = stackPolicy({
    name: "s3-bucket-public-access-blocked",
    description: "Checks whether S3 buckets block all public access.",
    validate: (args, evaluation) => {
        for (const bucket of bucketsOf(args)) {
            judgeSiblings(
                args,
                evaluation,
                bucket,
                [S3_PUBLIC_ACCESS_BLOCK],
                `with ${PUBLIC_ACCESS_SETTINGS.join(", ")} all true`,
                (block) => {
                    for (const setting of PUBLIC_ACCESS_SETTINGS) {
                        evaluation.requireEqual(
                            block,
                            setting,
                            true,
                            "every public access setting is blocked",
                        );
                    }
                },
            );
        }
    },
});

/**
 * ACLs disabled: object ownership `BucketOwnerEnforced`, so the bucket owner owns every
 * object (a replica or upload from another principal included) and only policies grant
 * access ("ACLs are disabled and no longer affect permissions", S3 User Guide,
 * about-object-ownership). No ACL may be declared for the bucket besides.
 */
export const s3BucketOwnershipEnforced = stackPolicy({
    name: "s3-bucket-ownership-enforced",
    description: "Checks whether S3 buckets disable ACLs (object ownership BucketOwnerEnforced).",
    validate: (args, evaluation) => {
        for (const bucket of bucketsOf(args)) {
            requireNoInline(evaluation, bucket, "acl", S3_ACL);
            requireNoInline(evaluation, bucket, "grants", S3_ACL);
            judgeSiblings(
                args,
                evaluation,
                bucket,
                [S3_OWNERSHIP],
                'with rule.objectOwnership "BucketOwnerEnforced"',
                (ownership) =>
                    evaluation.requireEqual(
                        ownership,
                        "rule.objectOwnership",
                        "BucketOwnerEnforced",
                        "ACLs disabled: the bucket owner owns every object and only policies grant access",
                    ),
            );
            for (const acl of siblingsOf(args, bucket, S3_ACL, S3_ACL_V2)) {
                evaluation.violation(
                    acl,
                    "bucket",
                    `must not name a bucket whose ACLs are disabled: access is granted by policies only; it names ${describe(bucket.urn)}.`,
                );
            }
        }
    },
});

/** Server-side encryption algorithms that use a KMS key: SSE-KMS and dual-layer DSSE-KMS. */
const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];

function judgeEncryption(evaluation: Evaluation, encryption: PolicyResource): void {
    const rules = listAt(encryption.props, "rules");
    if (rules === UNKNOWN) {
        evaluation.unknown(encryption, "rules");
        return;
    }
    if (rules.length === 0) {
        evaluation.violation(
            encryption,
            "rules",
            `must hold one rule that encrypts with SSE-KMS (without one S3 uses SSE-S3); it is ${describe(rules)}.`,
        );
    }
    rules.forEach((_, i) => {
        const rule = `rules[${i}]`;
        evaluation.check(encryption, `${rule}.applyServerSideEncryptionByDefault.sseAlgorithm`, (value) =>
            typeof value === "string" && KMS_ALGORITHMS.includes(value)
                ? undefined
                : `must be "aws:kms" (SSE-KMS with the customer managed key; AES256 is SSE-S3, whose keys this project does not control); it is ${describe(value)}.`,
        );
        requireCustomerKey(
            evaluation,
            encryption,
            `${rule}.applyServerSideEncryptionByDefault.kmsMasterKeyId`,
            "S3 default encryption",
        );
        evaluation.requireEqual(
            encryption,
            `${rule}.bucketKeyEnabled`,
            true,
            "S3 Bucket Keys, as declared: the replication role's KMS grants expect the bucket ARN as encryption context",
        );
    });
}

/**
 * Default encryption SSE-KMS with a customer managed key (a key of this stack, never the AWS
 * managed `aws/s3` that S3 uses when `kmsMasterKeyId` is unset: "If you don't specify a
 * customer managed key ... By default, Amazon S3 uses this KMS key", CloudFormation
 * ServerSideEncryptionByDefault), with S3 Bucket Keys on as the program declares.
 */
export const s3BucketSseKms = stackPolicy({
    name: "s3-bucket-sse-kms",
    description: "Checks whether S3 buckets encrypt objects with SSE-KMS under a customer managed key.",
    validate: (args, evaluation) => {
        for (const bucket of bucketsOf(args)) {
            requireNoInline(evaluation, bucket, "serverSideEncryptionConfiguration", S3_ENCRYPTION);
            judgeSiblings(
                args,
                evaluation,
                bucket,
                [S3_ENCRYPTION, S3_ENCRYPTION_V2],
                'with sseAlgorithm "aws:kms", kmsMasterKeyId a customer managed key and bucketKeyEnabled true',
                (encryption) => judgeEncryption(evaluation, encryption),
            );
        }
    },
});

/**
 * `forceDestroy` never true: with it, deleting the bucket first deletes every object and
 * version in it ("all objects (including any locked objects) should be deleted from the
 * bucket when the bucket is destroyed ... These objects are not recoverable", @pulumi/aws
 * s3/bucket.d.ts), so one mistaken replacement empties the recovery data. Unset is false,
 * the provider's default.
 */
export const s3BucketForceDestroyDisabled = resourcePolicy({
    name: "s3-bucket-force-destroy-disabled",
    description:
        "Checks whether S3 buckets leave forceDestroy off, so deleting one never deletes its objects.",
    types: S3_BUCKET_TYPES,
    validate: (bucket, evaluation) =>
        evaluation.check(bucket, "forceDestroy", (value) =>
            value === undefined || value === false
                ? undefined
                : `must be false or unset (true deletes every object and version with the bucket); it is ${describe(value)}.`,
        ),
});
