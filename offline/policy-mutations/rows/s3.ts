import {
    S3_BUCKET,
    S3_BUCKET_V2,
    S3_ENCRYPTION,
    S3_LIFECYCLE,
    S3_OWNERSHIP,
    S3_POLICY,
    S3_PUBLIC_ACCESS_BLOCK,
    S3_VERSIONING,
    S3_VERSIONING_V2,
} from "../../../policies/s3-links";
import { MutableResource, MutableStack } from "../mutable-stack";
import { MutationRow } from "../row";

/** The service the S3 rows are grouped under in the README table. */
export const SERVICE = "S3";

/** The state bucket in the home region, the one most rows mutate. */
export const STATE = "webank-state-bucket-source";
/** Its replica in the DR region. */
export const STATE_REPLICA = "webank-state-bucket-replica";
/** The artifact bucket in the home region, whose lifecycle expires the periodic exports. */
export const ARTIFACTS = "webank-artifacts-bucket-source";

/** The sibling of `type` of the bucket named `bucket` (its logical name is the bucket's plus a suffix). */
const sibling = (s: MutableStack, type: string, bucket = STATE) => s.one(type, `${bucket}-`);

/** Points `resource`'s `bucket` input at another bucket of the stack, value and propertyDependencies both. */
export function renameBucket(s: MutableStack, resource: MutableResource, to: string): void {
    const other = s.one(S3_BUCKET, to);
    s.set(resource, "bucket", other.inputs.bucket);
    resource.propertyDependencies.bucket = [other.urn];
}

/** Makes `resource` name a bucket of no resource, ordered after the bucket with dependsOn only. */
function dependsOnOnly(s: MutableStack, resource: MutableResource): void {
    s.set(resource, "bucket", "webank-unrelated-bucket");
    resource.propertyDependencies.bucket = [];
}

/** The TLS-only statement of the state bucket's policy, changed by `change`. */
const tlsStatement = (change: (statement: Record<string, unknown>) => void) => (s: MutableStack) =>
    s.update(sibling(s, S3_POLICY), "policy", (document) => {
        const parsed = JSON.parse(String(document)) as { Statement: Record<string, unknown>[] };
        change(parsed.Statement[0]);
        return JSON.stringify(parsed);
    });

/** The first rule of a sibling's `rules` (the only one of the encryption and replication configurations). */
export const RULE = "rules[0]";

/** The artifact bucket's lifecycle rule that expires one periodic export prefix. */
function expiringRule(s: MutableStack): { lifecycle: MutableResource; rule: string } {
    const lifecycle = sibling(s, S3_LIFECYCLE, ARTIFACTS);
    const rules = lifecycle.inputs.rules as { expiration?: unknown }[];
    const index = rules.findIndex((r) => r.expiration !== undefined);
    if (index < 0) {
        throw new Error(`${lifecycle.name} has no rule that expires current versions`);
    }
    return { lifecycle, rule: `rules[${index}]` };
}

/** Rows of the bucket settings every bucket keeps, source and replica. */
const BUCKET_ROWS: MutationRow[] = [
    {
        service: SERVICE,
        protection: "versioning",
        mutation: "the state bucket's versioning Suspended",
        apply: (s) => s.set(sibling(s, S3_VERSIONING), "versioningConfiguration.status", "Suspended"),
        policy: "s3-bucket-versioning-enabled",
    },
    {
        service: SERVICE,
        protection: "replica bucket in the DR region with the same protections",
        mutation: "the state replica's BucketVersioning not declared",
        apply: (s) => s.drop(sibling(s, S3_VERSIONING, STATE_REPLICA)),
        policy: "s3-bucket-versioning-enabled",
    },
    {
        service: SERVICE,
        protection: "versioning",
        mutation: "the state bucket's BucketVersioning names the artifact bucket instead",
        apply: (s) => renameBucket(s, sibling(s, S3_VERSIONING), ARTIFACTS),
        policy: "s3-bucket-versioning-enabled",
    },
    {
        service: SERVICE,
        protection: "versioning",
        mutation: "the BucketVersioning linked to the state bucket only through dependsOn",
        apply: (s) => dependsOnOnly(s, sibling(s, S3_VERSIONING)),
        policy: "s3-bucket-versioning-enabled",
    },
    {
        service: SERVICE,
        protection: "versioning",
        mutation: "the bucket's deprecated inline versioning set to disabled",
        apply: (s) => s.set(s.one(S3_BUCKET, STATE), "versioning", { enabled: false }),
        policy: "s3-bucket-versioning-enabled",
    },
    {
        service: SERVICE,
        protection: "versioning",
        mutation: "the state bucket declared as a BucketV2, its versioning not declared",
        apply: (s) => s.retype(s.one(S3_BUCKET, STATE), S3_BUCKET_V2).drop(sibling(s, S3_VERSIONING)),
        policy: "s3-bucket-versioning-enabled",
    },
    {
        service: SERVICE,
        protection: "versioning",
        mutation: "versioning declared as a BucketVersioningV2, Suspended",
        apply: (s) => {
            const versioning = sibling(s, S3_VERSIONING);
            s.retype(versioning, S3_VERSIONING_V2).set(
                versioning,
                "versioningConfiguration.status",
                "Suspended",
            );
        },
        policy: "s3-bucket-versioning-enabled",
    },
    {
        service: SERVICE,
        protection: "all public access blocked",
        mutation: "restrictPublicBuckets false",
        apply: (s) => s.set(sibling(s, S3_PUBLIC_ACCESS_BLOCK), "restrictPublicBuckets", false),
        policy: "s3-bucket-public-access-blocked",
    },
    {
        service: SERVICE,
        protection: "all public access blocked",
        mutation: "blockPublicPolicy left unset (false)",
        apply: (s) => s.unset(sibling(s, S3_PUBLIC_ACCESS_BLOCK), "blockPublicPolicy"),
        policy: "s3-bucket-public-access-blocked",
    },
    {
        service: SERVICE,
        protection: "replica bucket in the DR region with the same protections",
        mutation: "the state replica's public access block not declared",
        apply: (s) => s.drop(sibling(s, S3_PUBLIC_ACCESS_BLOCK, STATE_REPLICA)),
        policy: "s3-bucket-public-access-blocked",
    },
    {
        service: SERVICE,
        protection: "all public access blocked",
        mutation: "the public access block names the artifact bucket instead",
        apply: (s) => renameBucket(s, sibling(s, S3_PUBLIC_ACCESS_BLOCK), ARTIFACTS),
        policy: "s3-bucket-public-access-blocked",
    },
    {
        service: SERVICE,
        protection: "ACLs disabled",
        mutation: "objectOwnership ObjectWriter (ACLs enabled)",
        apply: (s) => s.set(sibling(s, S3_OWNERSHIP), "rule.objectOwnership", "ObjectWriter"),
        policy: "s3-bucket-ownership-enforced",
    },
    {
        service: SERVICE,
        protection: "ACLs disabled",
        mutation: "the state replica's BucketOwnershipControls not declared",
        apply: (s) => s.drop(sibling(s, S3_OWNERSHIP, STATE_REPLICA)),
        policy: "s3-bucket-ownership-enforced",
    },
    {
        service: SERVICE,
        protection: "ACLs disabled",
        mutation: "the bucket's deprecated inline acl public-read",
        apply: (s) => s.set(s.one(S3_BUCKET, STATE), "acl", "public-read"),
        policy: "s3-bucket-ownership-enforced",
    },
    {
        service: SERVICE,
        protection: "SSE-KMS (bucket key)",
        mutation: "sseAlgorithm AES256",
        apply: (s) =>
            s.set(
                sibling(s, S3_ENCRYPTION),
                `${RULE}.applyServerSideEncryptionByDefault.sseAlgorithm`,
                "AES256",
            ),
        policy: "s3-bucket-sse-kms",
    },
    {
        service: SERVICE,
        protection: "SSE-KMS (bucket key)",
        mutation: "kmsMasterKeyId the AWS managed alias/aws/s3",
        apply: (s) =>
            s.set(
                sibling(s, S3_ENCRYPTION),
                `${RULE}.applyServerSideEncryptionByDefault.kmsMasterKeyId`,
                "alias/aws/s3",
            ),
        policy: "s3-bucket-sse-kms",
    },
    {
        service: SERVICE,
        protection: "SSE-KMS (bucket key)",
        mutation: "kmsMasterKeyId dropped (S3 would use aws/s3)",
        apply: (s) =>
            s.unset(sibling(s, S3_ENCRYPTION), `${RULE}.applyServerSideEncryptionByDefault.kmsMasterKeyId`),
        policy: "s3-bucket-sse-kms",
    },
    {
        service: SERVICE,
        protection: "SSE-KMS (bucket key)",
        mutation: "bucketKeyEnabled false",
        apply: (s) => s.set(sibling(s, S3_ENCRYPTION), `${RULE}.bucketKeyEnabled`, false),
        policy: "s3-bucket-sse-kms",
    },
    {
        service: SERVICE,
        protection: "replica bucket in the DR region with the same protections",
        mutation: "the state replica's default encryption not declared",
        apply: (s) => s.drop(sibling(s, S3_ENCRYPTION, STATE_REPLICA)),
        policy: "s3-bucket-sse-kms",
    },
    {
        service: SERVICE,
        protection: "SSE-KMS (bucket key)",
        mutation: "the encryption configuration's rules emptied",
        apply: (s) => s.set(sibling(s, S3_ENCRYPTION), "rules", []),
        policy: "s3-bucket-sse-kms",
    },
    {
        service: SERVICE,
        protection: "TLS-only policy",
        mutation: "the TLS deny narrowed to s3:GetObject",
        apply: tlsStatement((statement) => (statement.Action = "s3:GetObject")),
        policy: "s3-bucket-tls-only",
    },
    {
        service: SERVICE,
        protection: "TLS-only policy",
        mutation: "the TLS deny narrowed to the bucket ARN (no objects)",
        apply: tlsStatement((statement) => (statement.Resource = (statement.Resource as string[])[0])),
        policy: "s3-bucket-tls-only",
    },
    {
        service: SERVICE,
        protection: "TLS-only policy",
        mutation: "the TLS statement an Allow",
        apply: tlsStatement((statement) => (statement.Effect = "Allow")),
        policy: "s3-bucket-tls-only",
    },
    {
        service: SERVICE,
        protection: "TLS-only policy",
        mutation: "the TLS deny narrowed to one role",
        apply: tlsStatement(
            (statement) => (statement.Principal = { AWS: "arn:aws:iam::123456789012:role/Ops" }),
        ),
        policy: "s3-bucket-tls-only",
    },
    {
        service: SERVICE,
        protection: "TLS-only policy",
        mutation: "the TLS deny narrowed by a second condition key",
        apply: tlsStatement(
            (statement) =>
                (statement.Condition = {
                    Bool: { "aws:SecureTransport": "false" },
                    StringEquals: { "aws:PrincipalAccount": "123456789012" },
                }),
        ),
        policy: "s3-bucket-tls-only",
    },
    {
        service: SERVICE,
        protection: "TLS-only policy",
        mutation: "the TLS deny's resources those of the artifact bucket",
        apply: tlsStatement(
            (statement) =>
                (statement.Resource = (statement.Resource as string[]).map((r) =>
                    r.replace("-state-", "-artifacts-"),
                )),
        ),
        policy: "s3-bucket-tls-only",
    },
    {
        service: SERVICE,
        protection: "replica bucket in the DR region with the same protections",
        mutation: "the state replica's bucket policy not declared",
        apply: (s) => s.drop(sibling(s, S3_POLICY, STATE_REPLICA)),
        policy: "s3-bucket-tls-only",
    },
    {
        service: SERVICE,
        protection: "protected and retained (forceDestroy off)",
        mutation: "forceDestroy true",
        apply: (s) => s.set(s.one(S3_BUCKET, STATE), "forceDestroy", true),
        policy: "s3-bucket-force-destroy-disabled",
    },
    {
        service: SERVICE,
        protection: "protected and retained (forceDestroy off)",
        mutation: "the state bucket declared as a BucketV2 with forceDestroy true",
        apply: (s) => {
            const bucket = s.one(S3_BUCKET, STATE);
            s.retype(bucket, S3_BUCKET_V2).set(bucket, "forceDestroy", true);
        },
        policy: "s3-bucket-force-destroy-disabled",
    },
    {
        service: SERVICE,
        protection: "noncurrent versions kept webank:noncurrentVersionRetentionDays",
        mutation: "noncurrentDays 1",
        apply: (s) =>
            s.set(sibling(s, S3_LIFECYCLE), `${RULE}.noncurrentVersionExpiration.noncurrentDays`, 1),
        policy: "s3-bucket-noncurrent-version-retention",
    },
    {
        service: SERVICE,
        protection: "noncurrent versions kept webank:noncurrentVersionRetentionDays",
        mutation: "noncurrentDays one day below the configured retention, on the replica",
        apply: (s) =>
            s.update(
                sibling(s, S3_LIFECYCLE, STATE_REPLICA),
                `${RULE}.noncurrentVersionExpiration.noncurrentDays`,
                (days) => Number(days) - 1,
            ),
        policy: "s3-bucket-noncurrent-version-retention",
    },
    {
        service: SERVICE,
        protection: "no lifecycle rule deletes current data",
        mutation: "a rule expiring every current version of the state bucket after a year",
        apply: (s) =>
            s.set(sibling(s, S3_LIFECYCLE), "rules[2]", {
                id: "expire-everything",
                status: "Enabled",
                filter: {},
                expiration: { days: 365 },
            }),
        policy: "s3-bucket-noncurrent-version-retention",
    },
    {
        service: SERVICE,
        protection: "periodic exports stay current for pitrRetentionDays",
        mutation: "the periodic exports expire after 1 day",
        apply: (s) => {
            const { lifecycle, rule } = expiringRule(s);
            s.set(lifecycle, `${rule}.expiration.days`, 1);
        },
        policy: "s3-bucket-noncurrent-version-retention",
    },
    {
        service: SERVICE,
        protection: "no lifecycle rule deletes current data",
        mutation: "the export expiry rule's prefix widened to helm-charts/",
        apply: (s) => {
            const { lifecycle, rule } = expiringRule(s);
            s.set(lifecycle, `${rule}.filter.prefix`, "helm-charts/");
        },
        policy: "s3-bucket-noncurrent-version-retention",
    },
    {
        service: SERVICE,
        protection: "no lifecycle rule deletes current data",
        mutation: "the export expiry rule's filter emptied (the whole bucket)",
        apply: (s) => {
            const { lifecycle, rule } = expiringRule(s);
            s.set(lifecycle, `${rule}.filter`, {});
        },
        policy: "s3-bucket-noncurrent-version-retention",
    },
];

/**
 * The S3 bucket protections the README claims (state and artifact buckets and their replicas),
 * each removed in every way it can be; the replication rows are in s3-replication.ts.
 */
export const S3_ROWS: readonly MutationRow[] = BUCKET_ROWS;
