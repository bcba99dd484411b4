import { PolicyResource, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { dependentsOfType, policyDocument, regionOf, report, resourcesOfType } from "./lib";

const BUCKET = "aws:s3/bucket:Bucket";

/** Runs `check` for every bucket; it returns a violation message or undefined. */
function eachBucket(
    args: StackValidationArgs,
    reportViolation: Parameters<StackValidationPolicy["validateStack"]>[1],
    check: (bucket: PolicyResource) => string | undefined,
): void {
    for (const bucket of resourcesOfType(args, BUCKET)) {
        const message = check(bucket);
        if (message) {
            report(reportViolation, bucket, message);
        }
    }
}

/** Versioning enabled: overwritten or deleted state and artifacts stay recoverable. */
export const s3BucketVersioningEnabled: StackValidationPolicy = {
    name: "s3-bucket-versioning-enabled",
    description: "Checks whether S3 buckets have versioning enabled.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) =>
        eachBucket(args, reportViolation, (bucket) => {
            const enabled = dependentsOfType(args, bucket, "aws:s3/bucketVersioning:BucketVersioning").some(
                (v) =>
                    (v.props.versioningConfiguration as { status?: string } | undefined)?.status ===
                    "Enabled",
            );
            return enabled
                ? undefined
                : "S3 buckets must have versioning Enabled (a BucketVersioning resource).";
        }),
};

/**
 * Part of a cross-region replication pair: an enabled replication configuration links the
 * bucket with a bucket in another region. The check reads the dependency graph, so it also
 * holds in a preview where bucket names are not known yet; source and replica both pass.
 */
export const s3BucketReplicated: StackValidationPolicy = {
    name: "s3-bucket-replicated",
    description: "Checks whether S3 buckets are replicated to another region.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const configs = resourcesOfType(
            args,
            "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
        ).filter((c) =>
            ((c.props.rules as Array<{ status?: string }> | undefined) ?? []).some(
                (r) => r.status === "Enabled",
            ),
        );
        eachBucket(args, reportViolation, (bucket) => {
            const region = regionOf(bucket);
            const paired = configs.some(
                (config) =>
                    config.dependencies.some((d) => d.urn === bucket.urn) &&
                    config.dependencies.some(
                        (d) => d.type === BUCKET && d.urn !== bucket.urn && regionOf(d) !== region,
                    ),
            );
            return paired
                ? undefined
                : "S3 buckets must be replicated to (or from) a bucket in another region.";
        });
    },
};

/** All four public access settings blocked. */
export const s3BucketPublicAccessBlocked: StackValidationPolicy = {
    name: "s3-bucket-public-access-blocked",
    description: "Checks whether S3 buckets block all public access.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) =>
        eachBucket(args, reportViolation, (bucket) => {
            const blocked = dependentsOfType(
                args,
                bucket,
                "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            ).some(
                (b) =>
                    b.props.blockPublicAcls === true &&
                    b.props.blockPublicPolicy === true &&
                    b.props.ignorePublicAcls === true &&
                    b.props.restrictPublicBuckets === true,
            );
            return blocked ? undefined : "S3 buckets must block all public access (all four settings true).";
        }),
};

/** Default encryption SSE-KMS with a customer key. */
export const s3BucketSseKms: StackValidationPolicy = {
    name: "s3-bucket-sse-kms",
    description: "Checks whether S3 buckets encrypt objects with SSE-KMS under a customer managed key.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) =>
        eachBucket(args, reportViolation, (bucket) => {
            const kms = dependentsOfType(
                args,
                bucket,
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            ).some((e) => {
                const rules =
                    (e.props.rules as Array<{
                        applyServerSideEncryptionByDefault?: Record<string, unknown>;
                    }>) ?? [];
                const byDefault = rules[0]?.applyServerSideEncryptionByDefault;
                return byDefault?.sseAlgorithm === "aws:kms" && Boolean(byDefault.kmsMasterKeyId);
            });
            return kms
                ? undefined
                : "S3 buckets must use SSE-KMS with a customer managed key (kmsMasterKeyId set).";
        }),
};

/** A bucket policy denies every request made without TLS. */
export const s3BucketTlsOnly: StackValidationPolicy = {
    name: "s3-bucket-tls-only",
    description: "Checks whether S3 bucket policies deny requests made without TLS.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) =>
        eachBucket(args, reportViolation, (bucket) => {
            const denies = dependentsOfType(args, bucket, "aws:s3/bucketPolicy:BucketPolicy").some((p) =>
                (policyDocument(p.props.policy)?.Statement ?? []).some((s) => {
                    const condition = s.Condition as { Bool?: Record<string, string> } | undefined;
                    return s.Effect === "Deny" && condition?.Bool?.["aws:SecureTransport"] === "false";
                }),
            );
            return denies
                ? undefined
                : "S3 buckets must have a policy that denies requests where aws:SecureTransport is false.";
        }),
};
