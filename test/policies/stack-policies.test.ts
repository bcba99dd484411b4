import * as assert from "assert";
import { StackValidationPolicy } from "@pulumi/policy";
import { VAULT_DENIED_ACTIONS, vaultAccessPolicy } from "../../components/backup";
import * as backup from "../../policies/backup";
import * as dynamodb from "../../policies/dynamodb";
import * as rds from "../../policies/rds";
import * as s3 from "../../policies/s3";
import { stackViolations, TestResource } from "./harness";

const TLS_POLICY = JSON.stringify({
    Statement: [{ Effect: "Deny", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } }],
});

/** A compliant stack: a replicated, hardened bucket pair, a locked vault, a replicated table and database, all covered. */
function compliant(): TestResource[] {
    const bucketParts = (bucket: string, region: string): TestResource[] => [
        { type: "aws:s3/bucket:Bucket", name: bucket, region, props: { bucket } },
        {
            type: "aws:s3/bucketVersioning:BucketVersioning",
            name: `${bucket}-v`,
            region,
            dependsOn: [bucket],
            props: { bucket, versioningConfiguration: { status: "Enabled" } },
        },
        {
            type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            name: `${bucket}-pab`,
            region,
            dependsOn: [bucket],
            props: {
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            },
        },
        {
            type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            name: `${bucket}-sse`,
            region,
            dependsOn: [bucket],
            props: {
                rules: [
                    {
                        applyServerSideEncryptionByDefault: {
                            sseAlgorithm: "aws:kms",
                            kmsMasterKeyId: "arn:k",
                        },
                    },
                ],
            },
        },
        {
            type: "aws:s3/bucketPolicy:BucketPolicy",
            name: `${bucket}-tls`,
            region,
            dependsOn: [bucket],
            props: { policy: TLS_POLICY },
        },
    ];
    return [
        ...bucketParts("state", "us-east-1"),
        ...bucketParts("state-replica", "us-west-2"),
        {
            type: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
            name: "replication",
            dependsOn: ["state", "state-replica", "state-v", "state-replica-v"],
            props: {
                bucket: "state",
                rules: [{ status: "Enabled", destination: { bucket: "arn:aws:s3:::state-replica" } }],
            },
        },
        { type: "aws:dynamodb/table:Table", name: "lock" },
        {
            type: "aws:dynamodb/tableReplica:TableReplica",
            name: "lock-replica",
            region: "us-west-2",
            dependsOn: ["lock"],
        },
        { type: "aws:rds/instance:Instance", name: "db" },
        {
            type: "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
            name: "db-replication",
            region: "us-west-2",
            dependsOn: ["db"],
        },
        { type: "aws:backup/vault:Vault", name: "vault" },
        {
            type: "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
            name: "vault-lock",
            dependsOn: ["vault"],
        },
        {
            type: "aws:backup/vaultPolicy:VaultPolicy",
            name: "vault-policy",
            dependsOn: ["vault"],
            props: { policy: JSON.stringify(vaultAccessPolicy()) },
        },
        {
            type: "aws:backup/plan:Plan",
            name: "plan",
            dependsOn: ["vault"],
            props: {
                rules: [
                    {
                        ruleName: "hourly",
                        copyActions: [
                            {
                                destinationVaultArn: "arn:aws:backup:us-west-2:123456789012:backup-vault:v",
                                lifecycle: { deleteAfter: 35 },
                            },
                        ],
                    },
                ],
            },
        },
        {
            type: "aws:backup/selection:Selection",
            name: "selection",
            dependsOn: ["plan", "db", "lock", "state"],
        },
        {
            type: "aws:backup/selection:Selection",
            name: "volumes",
            dependsOn: ["plan"],
            props: {
                conditions: [{ stringEquals: [{ key: "aws:ResourceTag/webank:backup", value: "true" }] }],
            },
        },
        {
            type: "kubernetes:storage.k8s.io/v1:StorageClass",
            name: "gp3",
            props: { parameters: { tagSpecification_1: "webank:backup=true" } },
        },
    ];
}

/** The compliant stack with one resource changed (or removed when `change` returns undefined). */
function variant(name: string, change: (r: TestResource) => TestResource | undefined): TestResource[] {
    return compliant().flatMap((r) => {
        if (r.name !== name) {
            return [r];
        }
        const changed = change(r);
        return changed ? [changed] : [];
    });
}

/** The compliant stack with its vault policy's one Deny statement changed. */
function vaultPolicyWith(
    change: (deny: ReturnType<typeof vaultAccessPolicy>["Statement"][number]) => Record<string, unknown>,
): TestResource[] {
    return variant("vault-policy", (r) => {
        const document = vaultAccessPolicy();
        return {
            ...r,
            props: { policy: JSON.stringify({ ...document, Statement: [change(document.Statement[0])] }) },
        };
    });
}

const cases: Array<{ policy: StackValidationPolicy; fail: Array<[string, TestResource[], string]> }> = [
    {
        policy: s3.s3BucketVersioningEnabled,
        fail: [
            [
                "suspended",
                variant("state-v", (r) => ({
                    ...r,
                    props: { versioningConfiguration: { status: "Suspended" } },
                })),
                "state",
            ],
        ],
    },
    {
        policy: s3.s3BucketPublicAccessBlocked,
        fail: [
            [
                "one setting off",
                variant("state-pab", (r) => ({ ...r, props: { ...r.props, restrictPublicBuckets: false } })),
                "state",
            ],
        ],
    },
    {
        policy: s3.s3BucketSseKms,
        fail: [
            [
                "AES256",
                variant("state-sse", (r) => ({
                    ...r,
                    props: { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
                })),
                "state",
            ],
        ],
    },
    {
        policy: s3.s3BucketTlsOnly,
        fail: [["no policy", variant("state-replica-tls", () => undefined), "state-replica"]],
    },
    {
        policy: s3.s3BucketReplicated,
        fail: [
            ["no replication", variant("replication", () => undefined), "state|state-replica"],
            [
                "replica in the same region",
                variant("state-replica", (r) => ({ ...r, region: "us-east-1" })),
                "state|state-replica",
            ],
        ],
    },
    {
        policy: dynamodb.dynamodbTableReplica,
        fail: [
            [
                "replica in the same region",
                variant("lock-replica", (r) => ({ ...r, region: "us-east-1" })),
                "lock",
            ],
        ],
    },
    {
        policy: rds.rdsInstanceBackupsReplicated,
        fail: [["no replication", variant("db-replication", () => undefined), "db"]],
    },
    { policy: backup.backupVaultLock, fail: [["no lock", variant("vault-lock", () => undefined), "vault"]] },
    {
        policy: backup.backupVaultRecoveryPointsProtected,
        fail: [
            ["no vault policy", variant("vault-policy", () => undefined), "vault"],
            // Removing any one denied action is caught.
            ...VAULT_DENIED_ACTIONS.map((action): [string, TestResource[], string] => [
                `${action} not denied`,
                vaultPolicyWith((deny) => ({ ...deny, Action: deny.Action.filter((a) => a !== action) })),
                "vault",
            ]),
            [
                "denied on the vault ARN only (the recovery point actions never match it)",
                vaultPolicyWith((deny) => ({
                    ...deny,
                    Resource: "arn:aws:backup:us-east-1:123456789012:backup-vault:v",
                })),
                "vault",
            ],
            [
                "denied to one role only",
                vaultPolicyWith((deny) => ({
                    ...deny,
                    Principal: { AWS: "arn:aws:iam::123456789012:role/Ops" },
                })),
                "vault",
            ],
            [
                "denied only under a condition",
                vaultPolicyWith((deny) => ({
                    ...deny,
                    Condition: { StringNotEquals: { "aws:PrincipalAccount": "123456789012" } },
                })),
                "vault",
            ],
            [
                "the policy before issue 13: DeleteRecoveryPoint only, on the vault ARN",
                vaultPolicyWith((deny) => ({
                    ...deny,
                    Action: ["backup:DeleteRecoveryPoint"],
                    Resource: "arn:aws:backup:us-east-1:123456789012:backup-vault:v",
                })),
                "vault",
            ],
            ["allowed instead", vaultPolicyWith((deny) => ({ ...deny, Effect: "Allow" })), "vault"],
        ],
    },
    {
        policy: backup.backupPlanRuleCrossRegionCopy,
        fail: [
            [
                "no copy action",
                variant("plan", (r) => ({ ...r, props: { rules: [{ ruleName: "hourly" }] } })),
                "plan",
            ],
            [
                "copy in the same region",
                variant("plan", (r) => ({
                    ...r,
                    props: {
                        rules: [
                            {
                                ruleName: "hourly",
                                copyActions: [
                                    {
                                        destinationVaultArn: "arn:aws:backup:us-east-1:1:backup-vault:v",
                                        lifecycle: { deleteAfter: 35 },
                                    },
                                ],
                            },
                        ],
                    },
                })),
                "plan",
            ],
        ],
    },
    {
        policy: backup.backupStatefulResourcesCovered,
        fail: [
            [
                "database not selected",
                variant("selection", (r) => ({ ...r, dependsOn: ["plan", "lock", "state"] })),
                "db",
            ],
            ["volumes tag not selected", variant("volumes", () => undefined), "gp3"],
        ],
    },
];

describe("policies: stack policies", () => {
    for (const c of cases) {
        describe(c.policy.name, () => {
            it("passes the compliant stack", () => {
                assert.deepStrictEqual(stackViolations(c.policy, compliant()), []);
            });
            for (const [what, resources, culprit] of c.fail) {
                it(`fails: ${what}, naming ${culprit}`, () => {
                    const violations = stackViolations(c.policy, resources);
                    assert.ok(violations.length > 0, "a violation");
                    assert.ok(
                        violations.every((v) => culprit.split("|").some((c) => v.startsWith(`${c}: `))),
                        violations.join("\n"),
                    );
                });
            }
            it("is mandatory and named <service>-<resource>-<check>, described as a check", () => {
                assert.strictEqual(c.policy.enforcementLevel, "mandatory");
                assert.match(c.policy.name, /^[a-z0-9]+(-[a-z0-9]+){2,}$/);
                assert.match(c.policy.description, /^Checks whether /);
            });
        });
    }
});
