import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { Evaluation } from "./lib/evaluation";
import { referencedBy, resourcesOfType } from "./lib/graph";
import { describe, isUnknown, valueAt } from "./lib/values";

/**
 * How the S3 policies find a bucket's settings. Since provider v4 every setting of a bucket
 * (versioning, encryption, public access, ownership, policy, lifecycle, replication) is its
 * own resource that names the bucket in its `bucket` input; the pack judges a bucket through
 * those siblings, linked by that input alone (its value, or the engine's
 * `propertyDependencies` when the value is unknown), never through `dependsOn`.
 */

/** The S3 bucket type of provider v7 (the former `BucketV2`). */
export const S3_BUCKET = "aws:s3/bucket:Bucket";
/** The deprecated alias of {@link S3_BUCKET}: the same bucket, with the same siblings. */
export const S3_BUCKET_V2 = "aws:s3/bucketV2:BucketV2";
/** Every type that declares a general purpose S3 bucket. */
export const S3_BUCKET_TYPES = [S3_BUCKET, S3_BUCKET_V2] as const;

/** Versioning of a bucket. */
export const S3_VERSIONING = "aws:s3/bucketVersioning:BucketVersioning";
/** The deprecated alias of {@link S3_VERSIONING}. */
export const S3_VERSIONING_V2 = "aws:s3/bucketVersioningV2:BucketVersioningV2";
/** Default encryption of a bucket. */
export const S3_ENCRYPTION =
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
/** The deprecated alias of {@link S3_ENCRYPTION}. */
export const S3_ENCRYPTION_V2 =
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2";
/** The public access block of a bucket. */
export const S3_PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
/** Object ownership (ACLs on or off) of a bucket. */
export const S3_OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls";
/** An ACL of a bucket. */
export const S3_ACL = "aws:s3/bucketAcl:BucketAcl";
/** The deprecated alias of {@link S3_ACL}. */
export const S3_ACL_V2 = "aws:s3/bucketAclV2:BucketAclV2";
/** The bucket policy. */
export const S3_POLICY = "aws:s3/bucketPolicy:BucketPolicy";
/** The lifecycle configuration of a bucket. */
export const S3_LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
/** The deprecated alias of {@link S3_LIFECYCLE}. */
export const S3_LIFECYCLE_V2 = "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2";
/** The replication configuration of a source bucket. */
export const S3_REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";

/** The buckets of the stack, of either type. */
export function bucketsOf(args: StackValidationArgs): PolicyResource[] {
    return resourcesOfType(args, ...S3_BUCKET_TYPES);
}

/** The bucket's physical name when the program gave it and it is known; undefined otherwise. */
export function bucketNameOf(bucket: PolicyResource): string | undefined {
    const name = valueAt(bucket.props, "bucket");
    return typeof name === "string" && name.length > 0 ? name : undefined;
}

/** The names a reference to `name` may take: the name itself or the bucket's ARN in any partition. */
function referencesTo(name: string): string[] {
    return [name, ...["aws", "aws-cn", "aws-us-gov"].map((partition) => `arn:${partition}:s3:::${name}`)];
}

/**
 * Whether the input at `path` of `resource` (the top-level input `input`) names `bucket`. A
 * known value is compared with the bucket's known name (a name or an ARN): it is what S3 is
 * told. When either is unknown (a preview, or a generated name), the input must have been
 * computed from the bucket, as the engine's `propertyDependencies` of `input` say.
 */
export function names(
    resource: PolicyResource,
    bucket: PolicyResource,
    path = "bucket",
    input = "bucket",
): boolean {
    const value = valueAt(resource.props, path);
    const name = bucketNameOf(bucket);
    if (typeof value === "string" && !isUnknown(value) && name !== undefined) {
        return referencesTo(name).includes(value);
    }
    return referencedBy(resource, input).some((d) => d.urn === bucket.urn);
}

/** The resources of `types` whose `bucket` input names `bucket`. */
export function siblingsOf(
    args: StackValidationArgs,
    bucket: PolicyResource,
    ...types: string[]
): PolicyResource[] {
    return resourcesOfType(args, ...types).filter((sibling) => names(sibling, bucket));
}

/**
 * The siblings of `types` of `bucket`, each judged by `judge`; when there is none, a
 * violation on the bucket whose property is the sibling's type and whose message says what it
 * must declare (`what`). Every sibling is judged, not only one: S3 keeps one configuration of
 * each kind per bucket, so two siblings overwrite each other and the weaker may win.
 */
export function judgeSiblings(
    args: StackValidationArgs,
    evaluation: Evaluation,
    bucket: PolicyResource,
    types: readonly string[],
    what: string,
    judge: (sibling: PolicyResource) => void,
): void {
    const siblings = siblingsOf(args, bucket, ...types);
    if (siblings.length === 0) {
        evaluation.violation(
            bucket,
            types[0],
            `must be declared for this bucket: a ${types[0].split(":").pop()} whose \`bucket\` input is this bucket's name (computed from it, not only ordered after it with dependsOn) ${what}.`,
        );
    }
    siblings.forEach(judge);
}

/**
 * Judges that the bucket's deprecated inline argument `input` is unset: the sibling resource
 * (`sibling`) declares that setting, and provider v7 marks the inline argument deprecated in
 * its favour ("versioning is deprecated. Use the aws.s3.BucketVersioning resource instead",
 * @pulumi/aws s3/bucket.d.ts); with both, each update of one resets what the other declared.
 */
export function requireNoInline(
    evaluation: Evaluation,
    bucket: PolicyResource,
    input: string,
    sibling: string,
): void {
    evaluation.check(bucket, input, (value) =>
        value === undefined || value === null || (Array.isArray(value) && value.length === 0)
            ? undefined
            : `must be unset: the ${sibling.split(":").pop()} resource declares this setting, and the deprecated inline argument would override it; it is ${describe(value)}.`,
    );
}
