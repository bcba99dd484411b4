import * as assert from "assert";
import { OfflineRun } from "../../offline/engine";
import { inputsOf, named, ofType, policyOf, runStack } from "../support/offline";

describe("components/keys: DataKeys", () => {
    let run: OfflineRun;
    before(async () => {
        run = await runStack("primary");
    });

    it("creates a multi-Region key with rotation in the home region", () => {
        const key = named(run, "aws:kms/key:Key", "webank-data-key");
        assert.strictEqual(key.region, "us-east-1");
        assert.strictEqual(inputsOf(key).multiRegion, true);
        assert.strictEqual(inputsOf(key).enableKeyRotation, true);
        assert.strictEqual(inputsOf(key).deletionWindowInDays, 30);
    });

    it("replicates it into the DR region", () => {
        const key = named(run, "aws:kms/key:Key", "webank-data-key");
        const replica = named(run, "aws:kms/replicaKey:ReplicaKey", "webank-data-replica");
        assert.strictEqual(replica.region, "us-west-2");
        assert.ok(String(inputsOf(replica).primaryKeyArn).includes(":us-east-1:"));
        assert.ok(replica.dependencies.includes(key.urn), "the replica depends on the primary key");
    });

    it("gives both keys the same alias, one per region", () => {
        const aliases = ofType(run, "aws:kms/alias:Alias");
        assert.deepStrictEqual(aliases.map((a) => a.region).sort(), ["us-east-1", "us-west-2"]);
        assert.ok(aliases.every((a) => inputsOf(a).name === "alias/webank-data"));
    });

    it("lets each region's CloudWatch Logs encrypt this account's log groups, and alarms publish", () => {
        const key = named(run, "aws:kms/key:Key", "webank-data-key");
        const replica = named(run, "aws:kms/replicaKey:ReplicaKey", "webank-data-replica");
        for (const [resource, region] of [
            [key, "us-east-1"],
            [replica, "us-west-2"],
        ] as const) {
            const statements = policyOf(resource).Statement;
            assert.deepStrictEqual(
                statements.map((s: { Sid: string }) => s.Sid),
                [
                    "AccountAdministersThroughIam",
                    "CloudWatchLogsEncryptsLogGroups",
                    "AlarmsPublishToEncryptedTopics",
                    "AutoScalingUsesKeyForEncryptedVolumes",
                    "AutoScalingGrantsForPersistentResources",
                ],
            );
            const logs = statements[1];
            assert.strictEqual(logs.Principal.Service, `logs.${region}.amazonaws.com`);
            assert.strictEqual(
                logs.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"],
                `arn:aws:logs:${region}:123456789012:log-group:*`,
            );
        }
    });

    it("names this account's Auto Scaling service-linked role, in each key's partition, for the node volumes", () => {
        // What the role may do is evaluated in test/components/iam-policies.test.ts.
        for (const resource of [
            named(run, "aws:kms/key:Key", "webank-data-key"),
            named(run, "aws:kms/replicaKey:ReplicaKey", "webank-data-replica"),
        ]) {
            const statements = policyOf(resource).Statement.slice(3);
            for (const statement of statements) {
                assert.strictEqual(
                    statement.Principal.AWS,
                    "arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
                );
            }
            assert.deepStrictEqual(statements[1].Condition, {
                Bool: { "kms:GrantIsForAWSResource": "true" },
            });
        }
    });

    it("protects and retains both keys: losing a key loses every copy it encrypts", () => {
        for (const resource of [
            ...ofType(run, "aws:kms/key:Key"),
            ...ofType(run, "aws:kms/replicaKey:ReplicaKey"),
        ]) {
            assert.ok(resource.protect && resource.retainOnDelete, resource.name);
        }
    });
});
