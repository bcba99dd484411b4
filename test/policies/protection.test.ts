import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as protection from "../../policies/protection";
import { findings, violations } from "./stack-harness";

const policy = protection.statefulResourcesProtected;

describe(`policies/protection: ${policy.name}`, () => {
    it("passes every stateful type when protected", () => {
        const resources = protection.STATEFUL_TYPES.map((type, i) => ({
            type,
            name: `r${i}`,
            protect: true,
        }));
        assert.deepStrictEqual(findings(policy, resources), []);
    });

    it("fails each stateful type when unprotected, naming the resource and the option", () => {
        for (const type of protection.STATEFUL_TYPES) {
            assert.deepStrictEqual(
                violations(policy, [{ type, name: "r" }]).map((v) => v.split(": ").slice(0, 2).join(": ")),
                ["r: protect"],
                type,
            );
        }
        assert.match(
            violations(policy, [{ type: "aws:dynamodb/table:Table", name: "lock" }])[0],
            /^lock: protect: must be true \(aws:dynamodb\/table:Table holds data or guards it.*it is false\.$/,
        );
    });

    it("covers the stores, their keys and the siblings whose loss removes a protection", () => {
        for (const type of [
            "aws:s3/bucket:Bucket",
            "aws:kms/key:Key",
            "aws:kms/replicaKey:ReplicaKey",
            "aws:backup/vault:Vault",
            "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
            "aws:backup/vaultPolicy:VaultPolicy",
            "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
            "aws:dynamodb/tableReplica:TableReplica",
            "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
        ]) {
            assert.ok(protection.STATEFUL_TYPES.includes(type), type);
        }
    });

    it("names only type tokens the AWS provider has", () => {
        const root = path.join(__dirname, "../../node_modules/@pulumi/aws");
        for (const type of protection.STATEFUL_TYPES) {
            const module = type.split(":")[1].split("/")[0];
            const index = fs.readFileSync(path.join(root, module, "index.js"), "utf8");
            assert.ok(index.includes(`"${type}"`), type);
        }
    });

    it("ignores resources that hold no data, and judges no store's settings (CHECKED_TYPES is empty)", () => {
        assert.deepStrictEqual(findings(policy, [{ type: "aws:iam/role:Role", name: "role" }]), []);
        assert.deepStrictEqual(protection.CHECKED_TYPES, []);
    });

    it("is mandatory, named and described as a check", () => {
        assert.strictEqual(policy.enforcementLevel, "mandatory");
        assert.strictEqual(policy.name, "stateful-resources-protected");
        assert.match(policy.description, /^Checks whether /);
    });
});
