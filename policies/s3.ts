/**
 * The S3 policies, one module per concern: the bucket's own settings (s3-bucket.ts), its TLS-only
 * policy (s3-bucket-policy.ts), its lifecycle (s3-lifecycle.ts) and its cross-region replication
 * (s3-replication.ts); how a bucket's siblings are found is s3-links.ts. Only policies are
 * exported here, so `Object.values` of this module is the S3 part of the pack.
 */
export {
    s3BucketForceDestroyDisabled,
    s3BucketOwnershipEnforced,
    s3BucketPublicAccessBlocked,
    s3BucketSseKms,
    s3BucketVersioningEnabled,
} from "./s3-bucket";
export { s3BucketTlsOnly } from "./s3-bucket-policy";
export { s3BucketNoncurrentVersionRetention } from "./s3-lifecycle";
export {
    s3BucketReplicated,
    s3BucketReplicationDeleteMarkers,
    s3BucketReplicationKmsObjects,
    s3BucketReplicationTimeControl,
} from "./s3-replication";
