import { S3_BUCKET, S3_REPLICATION } from "../../../policies/s3-links";
import { MutableStack } from "../mutable-stack";
import { MutationRow } from "../row";
import { renameBucket, RULE, SERVICE, STATE, STATE_REPLICA } from "./s3";

/** The state bucket's replication configuration. */
const replication = (s: MutableStack) => s.one(S3_REPLICATION, "webank-state-bucket-replication");

/**
 * The replication of the state bucket to the DR region, as the README claims it (every object,
 * SSE-KMS objects re-encrypted with the replica key, delete markers, RTC 15 min), each removed.
 */
export const S3_REPLICATION_ROWS: readonly MutationRow[] = [
    {
        service: SERVICE,
        protection: "replication to the DR region",
        mutation: "the BucketReplicationConfig not declared",
        apply: (s) => s.drop(replication(s)),
        policy: "s3-bucket-replicated",
    },
    {
        service: SERVICE,
        protection: "replication to the DR region",
        mutation: "the replication rule Disabled",
        apply: (s) => s.set(replication(s), `${RULE}.status`, "Disabled"),
        policy: "s3-bucket-replicated",
    },
    {
        service: SERVICE,
        protection: "replication covers every object",
        mutation: "a prefix filter on the rule",
        apply: (s) => s.set(replication(s), `${RULE}.filter`, { prefix: "argocd-exports/" }),
        policy: "s3-bucket-replicated",
    },
    {
        service: SERVICE,
        protection: "replication covers every object",
        mutation: "a tag filter on the rule",
        apply: (s) => s.set(replication(s), `${RULE}.filter`, { tag: { key: "replicate", value: "yes" } }),
        policy: "s3-bucket-replicated",
    },
    {
        service: SERVICE,
        protection: "replication to the DR region",
        mutation: "the replica bucket declared with the home-region provider",
        apply: (s) => {
            const [source, replica] = [s.one(S3_BUCKET, STATE), s.one(S3_BUCKET, STATE_REPLICA)];
            replica.provider = source.provider;
            replica.region = source.region;
        },
        policy: "s3-bucket-replicated",
    },
    {
        service: SERVICE,
        protection: "replication to the DR region",
        mutation: "the replication config's bucket the replica (no config on the source)",
        apply: (s) => renameBucket(s, replication(s), STATE_REPLICA),
        policy: "s3-bucket-replicated",
    },
    {
        service: SERVICE,
        protection: "replication to the DR region",
        mutation: "the rule's destination a bucket outside the stack",
        apply: (s) => {
            const config = replication(s);
            s.set(config, `${RULE}.destination.bucket`, "arn:aws:s3:::someone-elses-bucket");
            config.propertyDependencies.rules = config.propertyDependencies.rules.filter(
                (urn) => urn !== s.one(S3_BUCKET, STATE_REPLICA).urn,
            );
        },
        policy: "s3-bucket-replicated",
    },
    {
        service: SERVICE,
        protection: "delete markers replicated",
        mutation: "deleteMarkerReplication Disabled",
        apply: (s) => s.set(replication(s), `${RULE}.deleteMarkerReplication.status`, "Disabled"),
        policy: "s3-bucket-replication-delete-markers",
    },
    {
        service: SERVICE,
        protection: "delete markers replicated",
        mutation: "deleteMarkerReplication removed",
        apply: (s) => s.unset(replication(s), `${RULE}.deleteMarkerReplication`),
        policy: "s3-bucket-replication-delete-markers",
    },
    {
        service: SERVICE,
        protection: "SSE-KMS objects replicated, re-encrypted with the replica key",
        mutation: "sseKmsEncryptedObjects Disabled (no object replicates)",
        apply: (s) =>
            s.set(
                replication(s),
                `${RULE}.sourceSelectionCriteria.sseKmsEncryptedObjects.status`,
                "Disabled",
            ),
        policy: "s3-bucket-replication-kms-objects",
    },
    {
        service: SERVICE,
        protection: "SSE-KMS objects replicated, re-encrypted with the replica key",
        mutation: "sourceSelectionCriteria removed",
        apply: (s) => s.unset(replication(s), `${RULE}.sourceSelectionCriteria`),
        policy: "s3-bucket-replication-kms-objects",
    },
    {
        service: SERVICE,
        protection: "SSE-KMS objects replicated, re-encrypted with the replica key",
        mutation: "replicaKmsKeyId removed",
        apply: (s) => s.unset(replication(s), `${RULE}.destination.encryptionConfiguration`),
        policy: "s3-bucket-replication-kms-objects",
    },
    {
        service: SERVICE,
        protection: "SSE-KMS objects replicated, re-encrypted with the replica key",
        mutation: "replicaKmsKeyId the AWS managed alias/aws/s3",
        apply: (s) =>
            s.set(
                replication(s),
                `${RULE}.destination.encryptionConfiguration.replicaKmsKeyId`,
                "alias/aws/s3",
            ),
        policy: "s3-bucket-replication-kms-objects",
    },
    {
        service: SERVICE,
        protection: "SSE-KMS objects replicated, re-encrypted with the replica key",
        mutation: "replicaKmsKeyId the home-region key (not in the replica's region)",
        apply: (s) =>
            s.update(replication(s), `${RULE}.destination.encryptionConfiguration.replicaKmsKeyId`, (arn) =>
                String(arn).replace(/:kms:[^:]+:/, ":kms:us-east-1:"),
            ),
        policy: "s3-bucket-replication-kms-objects",
    },
    {
        service: SERVICE,
        protection: "S3 Replication Time Control (15 min)",
        mutation: "replicationTime Disabled",
        apply: (s) => s.set(replication(s), `${RULE}.destination.replicationTime.status`, "Disabled"),
        policy: "s3-bucket-replication-time-control",
    },
    {
        service: SERVICE,
        protection: "S3 Replication Time Control (15 min)",
        mutation: "replicationTime removed",
        apply: (s) => s.unset(replication(s), `${RULE}.destination.replicationTime`),
        policy: "s3-bucket-replication-time-control",
    },
    {
        service: SERVICE,
        protection: "S3 Replication Time Control (15 min)",
        mutation: "replication metrics Disabled",
        apply: (s) => s.set(replication(s), `${RULE}.destination.metrics.status`, "Disabled"),
        policy: "s3-bucket-replication-time-control",
    },
];
