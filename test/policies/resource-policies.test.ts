import * as assert from "assert";
import { ResourceValidationPolicy } from "@pulumi/policy";
import * as backup from "../../policies/backup";
import * as dynamodb from "../../policies/dynamodb";
import * as eks from "../../policies/eks";
import * as protection from "../../policies/protection";
import * as rds from "../../policies/rds";
import { resourceViolations } from "./harness";

const RDS = "aws:rds/instance:Instance";
const GOOD_DB = {
    backupRetentionPeriod: 35,
    deletionProtection: true,
    storageEncrypted: true,
    skipFinalSnapshot: false,
    finalSnapshotIdentifier: "db-final",
    copyTagsToSnapshot: true,
    multiAz: true,
};
const TABLE = "aws:dynamodb/table:Table";
const GOOD_TABLE = { pointInTimeRecovery: { enabled: true }, deletionProtectionEnabled: true };
const PLAN = "aws:backup/plan:Plan";
const GOOD_RULE = {
    ruleName: "r",
    schedule: "cron(0 * ? * * *)",
    lifecycle: { deleteAfter: 35 },
    copyActions: [{ destinationVaultArn: "arn:aws:backup:us-west-2:123456789012:backup-vault:v" }],
};
const EKS = "eks:index:Cluster";
const GOOD_EKS = {
    encryptionConfigKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k",
    enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
};

/** One policy, one passing resource, and failing variants that each change one property. */
const cases: Array<{
    policy: ResourceValidationPolicy;
    type: string;
    pass: Record<string, unknown>;
    fail: Array<[string, Record<string, unknown>]>;
    protect?: boolean;
}> = [
    {
        policy: rds.rdsInstanceBackupRetention,
        type: RDS,
        pass: GOOD_DB,
        fail: [["retention 1", { ...GOOD_DB, backupRetentionPeriod: 1 }]],
    },
    {
        policy: rds.rdsInstanceDeletionProtection,
        type: RDS,
        pass: GOOD_DB,
        fail: [["off", { ...GOOD_DB, deletionProtection: false }]],
    },
    {
        policy: rds.rdsInstanceStorageEncrypted,
        type: RDS,
        pass: GOOD_DB,
        fail: [["unencrypted", { ...GOOD_DB, storageEncrypted: false }]],
    },
    {
        policy: rds.rdsInstanceFinalSnapshot,
        type: RDS,
        pass: GOOD_DB,
        fail: [
            ["skipped", { ...GOOD_DB, skipFinalSnapshot: true }],
            ["unnamed", { ...GOOD_DB, finalSnapshotIdentifier: undefined }],
        ],
    },
    {
        policy: rds.rdsInstanceCopyTagsToSnapshot,
        type: RDS,
        pass: GOOD_DB,
        fail: [["off", { ...GOOD_DB, copyTagsToSnapshot: false }]],
    },
    {
        policy: rds.rdsInstanceMultiAz,
        type: RDS,
        pass: GOOD_DB,
        fail: [["single-AZ", { ...GOOD_DB, multiAz: false }]],
    },
    {
        policy: dynamodb.dynamodbTablePitr,
        type: TABLE,
        pass: GOOD_TABLE,
        fail: [["off", { ...GOOD_TABLE, pointInTimeRecovery: { enabled: false } }]],
    },
    {
        policy: dynamodb.dynamodbTableDeletionProtection,
        type: TABLE,
        pass: GOOD_TABLE,
        fail: [["off", { ...GOOD_TABLE, deletionProtectionEnabled: false }]],
    },
    {
        policy: backup.backupPlanRuleFrequencyAndRetention,
        type: PLAN,
        pass: {
            rules: [
                GOOD_RULE,
                { ...GOOD_RULE, schedule: "cron(0 0/6 ? * * *)" },
                { ...GOOD_RULE, enableContinuousBackup: true },
            ],
        },
        fail: [
            ["weekly", { rules: [{ ...GOOD_RULE, schedule: "cron(0 5 ? * SUN *)" }] }],
            ["retention 1", { rules: [{ ...GOOD_RULE, lifecycle: { deleteAfter: 1 } }] }],
        ],
    },
    {
        policy: backup.backupVaultCustomerKey,
        type: "aws:backup/vault:Vault",
        pass: { kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k" },
        fail: [
            ["no key", {}],
            ["AWS managed key", { kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:alias/aws/backup" }],
        ],
    },
    {
        policy: eks.eksClusterSecretsEncryption,
        type: EKS,
        pass: GOOD_EKS,
        fail: [["no key", { ...GOOD_EKS, encryptionConfigKeyArn: undefined }]],
    },
    {
        policy: eks.eksClusterControlPlaneLogging,
        type: EKS,
        pass: GOOD_EKS,
        fail: [
            [
                "audit off",
                {
                    ...GOOD_EKS,
                    enabledClusterLogTypes: ["api", "authenticator", "controllerManager", "scheduler"],
                },
            ],
        ],
    },
];

describe("policies: resource policies", () => {
    for (const c of cases) {
        describe(c.policy.name, () => {
            it("passes a compliant resource", () => {
                assert.deepStrictEqual(resourceViolations(c.policy, c.type, c.pass), []);
            });
            for (const [what, props] of c.fail) {
                it(`fails: ${what}`, () => {
                    assert.strictEqual(resourceViolations(c.policy, c.type, props).length > 0, true);
                });
            }
            it("is mandatory and named <service>-<resource>-<check>, described as a check", () => {
                assert.strictEqual(c.policy.enforcementLevel, "mandatory");
                assert.match(c.policy.name, /^[a-z0-9]+(-[a-z0-9]+){2,}$/);
                assert.match(c.policy.description, /^Checks whether /);
            });
        });
    }

    it("reads its threshold from config", () => {
        const db = { ...GOOD_DB, backupRetentionPeriod: 14 };
        assert.deepStrictEqual(resourceViolations(rds.rdsInstanceBackupRetention, RDS, db), []);
        const violations = resourceViolations(rds.rdsInstanceBackupRetention, RDS, db, {
            config: { minimumRetentionDays: 30 },
        });
        assert.match(violations[0], /at least 30 days; backupRetentionPeriod is 14/);
    });

    describe(protection.statefulResourcesProtected.name, () => {
        it("passes a protected bucket", () => {
            assert.deepStrictEqual(
                resourceViolations(
                    protection.statefulResourcesProtected,
                    "aws:s3/bucket:Bucket",
                    {},
                    { protect: true },
                ),
                [],
            );
        });
        it("fails an unprotected table", () => {
            assert.strictEqual(
                resourceViolations(protection.statefulResourcesProtected, TABLE, GOOD_TABLE).length,
                1,
            );
        });
        it("ignores resources that hold no data", () => {
            assert.deepStrictEqual(
                resourceViolations(protection.statefulResourcesProtected, "aws:iam/role:Role", {}),
                [],
            );
        });
    });
});
