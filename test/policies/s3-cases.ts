// The S3 policies' cases, shared by s3.test.ts (which runs them) and s3-preview.test.ts (which
// judges the same policies in a preview): for each policy, the settings every bucket keeps.
import * as s3 from "../../policies/s3";
import { S3_BUCKET_V2 } from "../../policies/s3-links";
import { Cases, compliant, EXPORTS_EXPIRY, tls, variant, withProps, withRule } from "./s3-harness";

/** The settings every bucket keeps, source and replica: [what is removed, stack, culprit, message]. */
export const CASES: Cases = [
    [
        s3.s3BucketVersioningEnabled,
        [
            [
                "Suspended",
                variant("state-versioning", withProps({ versioningConfiguration: { status: "Suspended" } })),
                "state-versioning",
                /^versioningConfiguration\.status: must be "Enabled".*"Suspended"/,
            ],
            [
                "not declared",
                variant("state-replica-versioning", () => undefined),
                "state-replica",
                /^aws:s3\/bucketVersioning:BucketVersioning: must be declared/,
            ],
            [
                "naming another bucket",
                variant("state-versioning", (r) => ({
                    ...r,
                    props: { ...r.props, bucket: "state-replica" },
                    inputsFrom: { bucket: ["state-replica"] },
                })),
                "state",
                /must be declared/,
            ],
            [
                "linked only through dependsOn",
                variant("state-versioning", (r) => ({
                    ...r,
                    props: { ...r.props, bucket: "other" },
                    inputsFrom: {},
                    dependsOn: ["state"],
                })),
                "state",
                /not only ordered after it with dependsOn/,
            ],
            [
                "the inline argument disabled",
                variant("state", withProps({ versioning: { enabled: false } })),
                "state",
                /^versioning: must be unset/,
            ],
            [
                "a BucketV2 with no versioning",
                variant("state-versioning", () => undefined).map((r) =>
                    r.name === "state" ? { ...r, type: S3_BUCKET_V2 } : r,
                ),
                "state",
                /must be declared/,
            ],
        ],
    ],
    [
        s3.s3BucketPublicAccessBlocked,
        [
            [
                "one setting off",
                variant("state-public-access", withProps({ restrictPublicBuckets: false })),
                "state-public-access",
                /^restrictPublicBuckets: must be true/,
            ],
            [
                "one setting unset",
                variant("state-public-access", withProps({ ignorePublicAcls: undefined })),
                "state-public-access",
                /^ignorePublicAcls: must be true.*unset/,
            ],
            [
                "not declared",
                variant("state-replica-public-access", () => undefined),
                "state-replica",
                /must be declared/,
            ],
        ],
    ],
    [
        s3.s3BucketOwnershipEnforced,
        [
            [
                "ACLs enabled",
                variant("state-ownership", withProps({ rule: { objectOwnership: "ObjectWriter" } })),
                "state-ownership",
                /^rule\.objectOwnership: must be "BucketOwnerEnforced"/,
            ],
            ["not declared", variant("state-ownership", () => undefined), "state", /must be declared/],
            [
                "an inline ACL",
                variant("state", withProps({ acl: "public-read" })),
                "state",
                /^acl: must be unset/,
            ],
            [
                "a BucketAcl",
                [
                    ...compliant(),
                    {
                        type: "aws:s3/bucketAcl:BucketAcl",
                        name: "acl",
                        props: { bucket: "state", acl: "public-read" },
                    },
                ],
                "acl",
                /^bucket: must not name a bucket whose ACLs are disabled/,
            ],
        ],
    ],
    [
        s3.s3BucketSseKms,
        [
            [
                "AES256",
                variant(
                    "state-encryption",
                    withRule((r) => ({
                        ...r,
                        applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" },
                    })),
                ),
                "state-encryption",
                /sseAlgorithm: must be "aws:kms"/,
            ],
            [
                "the AWS managed key",
                variant(
                    "state-encryption",
                    withRule((r) => ({
                        ...r,
                        applyServerSideEncryptionByDefault: {
                            sseAlgorithm: "aws:kms",
                            kmsMasterKeyId: "alias/aws/s3",
                        },
                    })),
                ),
                "state-encryption",
                /kmsMasterKeyId: S3 default encryption must use a customer managed KMS key/,
            ],
            [
                "no key",
                variant(
                    "state-encryption",
                    withRule((r) => ({
                        ...r,
                        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" },
                    })),
                ),
                "state-encryption",
                /kmsMasterKeyId: .*it is unset/,
            ],
            [
                "no bucket key",
                variant(
                    "state-encryption",
                    withRule((r) => ({ ...r, bucketKeyEnabled: false })),
                ),
                "state-encryption",
                /bucketKeyEnabled: must be true/,
            ],
            [
                "no rule",
                variant("state-encryption", withProps({ rules: [] })),
                "state-encryption",
                /^rules: must hold one rule/,
            ],
            [
                "not declared",
                variant("state-replica-encryption", () => undefined),
                "state-replica",
                /must be declared/,
            ],
        ],
    ],
    [
        s3.s3BucketTlsOnly,
        [
            [
                "narrowed to one action",
                tls((s) => (s.Action = "s3:GetObject")),
                "state-tls-only",
                /Action "s3:\*"/,
            ],
            [
                "narrowed to the bucket",
                tls((s) => (s.Resource = "arn:aws:s3:::state")),
                "state-tls-only",
                /Resource both the bucket ARN/,
            ],
            [
                "narrowed to some objects",
                tls((s) => (s.Resource = ["arn:aws:s3:::state", "arn:aws:s3:::state/public/*"])),
                "state-tls-only",
                /Resource both/,
            ],
            [
                "another bucket's ARN",
                tls((s) => (s.Resource = ["arn:aws:s3:::other", "arn:aws:s3:::other/*"])),
                "state-tls-only",
                /Resource both/,
            ],
            ["an Allow", tls((s) => (s.Effect = "Allow")), "state-tls-only", /Effect "Deny"/],
            [
                "one principal",
                tls((s) => (s.Principal = { AWS: "arn:aws:iam::1:role/x" })),
                "state-tls-only",
                /Principal "\*"/,
            ],
            [
                "a second condition",
                tls(
                    (s) =>
                        (s.Condition = {
                            Bool: { "aws:SecureTransport": "false" },
                            IpAddress: { "aws:SourceIp": "10.0.0.0/8" },
                        }),
                ),
                "state-tls-only",
                /Condition exactly/,
            ],
            [
                "a contradiction: denied over TLS",
                tls((s) => (s.Condition = { Bool: { "aws:SecureTransport": "true" } })),
                "state-tls-only",
                /Condition exactly/,
            ],
            [
                "NotAction",
                tls((s) => {
                    s.NotAction = "s3:GetObject";
                    delete s.Action;
                }),
                "state-tls-only",
                /Action/,
            ],
            [
                "not declared",
                variant("state-replica-tls-only", () => undefined),
                "state-replica",
                /must be declared/,
            ],
            [
                "an inline policy besides",
                variant("state", withProps({ policy: "{}" })),
                "state",
                /^policy: must be unset/,
            ],
        ],
    ],
    [
        s3.s3BucketForceDestroyDisabled,
        [
            [
                "forceDestroy",
                variant("state", withProps({ forceDestroy: true })),
                "state",
                /^forceDestroy: must be false or unset/,
            ],
            [
                "forceDestroy on a BucketV2",
                variant("state", (r) => ({
                    ...r,
                    type: S3_BUCKET_V2,
                    props: { ...r.props, forceDestroy: true },
                })),
                "state",
                /^forceDestroy/,
            ],
        ],
    ],
    [
        s3.s3BucketNoncurrentVersionRetention,
        [
            [
                "1 day",
                variant(
                    "state-lifecycle",
                    withRule((r) => ({ ...r, noncurrentVersionExpiration: { noncurrentDays: 1 } })),
                ),
                "state-lifecycle",
                /^rules\[0\]\.noncurrentVersionExpiration\.noncurrentDays: must be at least 90/,
            ],
            [
                "a day short on the replica",
                variant(
                    "state-replica-lifecycle",
                    withRule((r) => ({ ...r, noncurrentVersionExpiration: { noncurrentDays: 89 } })),
                ),
                "state-replica-lifecycle",
                /at least 90/,
            ],
            [
                "the whole bucket's current versions expire",
                variant(
                    "state-lifecycle",
                    withRule((r) => ({ ...r, expiration: { days: 3650 } })),
                ),
                "state-lifecycle",
                /^rules\[0\]\.expiration: must not expire current versions outside the periodic exports.*whole bucket/,
            ],
            [
                "charts expire",
                variant(
                    "state-lifecycle",
                    withProps({ rules: [{ ...EXPORTS_EXPIRY, filter: { prefix: "helm-charts/" } }] }),
                ),
                "state-lifecycle",
                /helm-charts/,
            ],
            [
                "exports expire after a day",
                variant(
                    "state-lifecycle",
                    withProps({ rules: [{ ...EXPORTS_EXPIRY, expiration: { days: 1 } }] }),
                ),
                "state-lifecycle",
                /expiration\.days: must be at least 35/,
            ],
            [
                "exports expire on a date",
                variant(
                    "state-lifecycle",
                    withProps({ rules: [{ ...EXPORTS_EXPIRY, expiration: { date: "2030-01-01" } }] }),
                ),
                "state-lifecycle",
                /expiration\.days: must be at least 35/,
            ],
            [
                "inline lifecycle rules",
                variant("state", withProps({ lifecycleRules: [{ enabled: true, expiration: { days: 1 } }] })),
                "state",
                /^lifecycleRules: must be unset/,
            ],
        ],
    ],
];
