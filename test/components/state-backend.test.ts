import * as assert from "assert";
import { OfflineRun, RecordedResource } from "../../offline/engine";
import { descendantsOf, inputsOf, named, ofType, policyOf, runStack } from "../support/offline";

const SOURCE = "webank-state-bucket-source";
const REPLICA = "webank-state-bucket-replica";

/** The child of `bucket` (by name suffix) of the given type. */
function bucketPart(run: OfflineRun, bucket: string, type: string, suffix: string): RecordedResource {
    return named(run, type, `${bucket}-${suffix}`);
}

describe("components/state-backend: StateBackend", () => {
    let run: OfflineRun;
    before(async () => {
        run = await runStack("primary");
    });

    for (const [bucket, region, keyRegion] of [
        [SOURCE, "us-east-1", "us-east-1"],
        [REPLICA, "us-west-2", "us-west-2"],
    ]) {
        describe(`the ${bucket === SOURCE ? "state" : "replica"} bucket`, () => {
            it(`lives in ${region} under a name derived from prefix, account and region`, () => {
                const resource = named(run, "aws:s3/bucket:Bucket", bucket);
                assert.strictEqual(resource.region, region);
                assert.strictEqual(inputsOf(resource).bucket, `webank-state-123456789012-${region}`);
                assert.strictEqual(inputsOf(resource).forceDestroy, false);
            });
            it("is versioned", () => {
                const v = bucketPart(run, bucket, "aws:s3/bucketVersioning:BucketVersioning", "versioning");
                assert.strictEqual(inputsOf(v).versioningConfiguration.status, "Enabled");
            });
            it(`is encrypted with SSE-KMS under the ${keyRegion} key`, () => {
                const sse = bucketPart(
                    run,
                    bucket,
                    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                    "encryption",
                );
                const rule = inputsOf(sse).rules[0].applyServerSideEncryptionByDefault;
                assert.strictEqual(rule.sseAlgorithm, "aws:kms");
                assert.match(rule.kmsMasterKeyId, new RegExp(`^arn:aws:kms:${keyRegion}:`));
            });
            it("blocks all public access and disables ACLs", () => {
                const pab = inputsOf(
                    bucketPart(
                        run,
                        bucket,
                        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                        "public-access",
                    ),
                );
                assert.deepStrictEqual(
                    [
                        pab.blockPublicAcls,
                        pab.blockPublicPolicy,
                        pab.ignorePublicAcls,
                        pab.restrictPublicBuckets,
                    ],
                    [true, true, true, true],
                );
                const own = bucketPart(
                    run,
                    bucket,
                    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
                    "ownership",
                );
                assert.strictEqual(inputsOf(own).rule.objectOwnership, "BucketOwnerEnforced");
            });
            it("denies every request made without TLS", () => {
                const policy = policyOf(
                    bucketPart(run, bucket, "aws:s3/bucketPolicy:BucketPolicy", "tls-only"),
                );
                const deny = policy.Statement.find((s: { Sid: string }) => s.Sid === "DenyInsecureTransport");
                assert.strictEqual(deny.Effect, "Deny");
                assert.strictEqual(deny.Action, "s3:*");
                assert.strictEqual(deny.Condition.Bool["aws:SecureTransport"], "false");
                assert.strictEqual(deny.Resource.length, 2, "bucket and objects");
            });
            it("keeps noncurrent versions for the configured 90 days", () => {
                const lifecycle = bucketPart(
                    run,
                    bucket,
                    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
                    "lifecycle",
                );
                const rule = inputsOf(lifecycle).rules.find(
                    (r: { id: string }) => r.id === "expire-noncurrent-versions",
                );
                assert.strictEqual(rule.noncurrentVersionExpiration.noncurrentDays, 90);
                assert.strictEqual(rule.expiration, undefined, "current versions never expire");
            });
        });
    }

    it("replicates to the DR bucket with RTC, delete markers and the replica key", () => {
        const replication = named(
            run,
            "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
            "webank-state-bucket-replication",
        );
        assert.strictEqual(replication.region, "us-east-1");
        const rule = inputsOf(replication).rules[0];
        assert.strictEqual(rule.status, "Enabled");
        assert.strictEqual(rule.destination.bucket, "arn:aws:s3:::webank-state-123456789012-us-west-2");
        assert.strictEqual(rule.deleteMarkerReplication.status, "Enabled");
        assert.strictEqual(rule.destination.replicationTime.status, "Enabled");
        assert.strictEqual(rule.destination.replicationTime.time.minutes, 15);
        assert.strictEqual(rule.destination.metrics.status, "Enabled");
        assert.strictEqual(rule.sourceSelectionCriteria.sseKmsEncryptedObjects.status, "Enabled");
        assert.match(rule.destination.encryptionConfiguration.replicaKmsKeyId, /^arn:aws:kms:us-west-2:/);
        const versionings = [SOURCE, REPLICA].map(
            (b) => named(run, "aws:s3/bucketVersioning:BucketVersioning", `${b}-versioning`).urn,
        );
        for (const urn of versionings) {
            assert.ok(
                replication.dependencies.includes(urn),
                "replication waits for versioning on both buckets",
            );
        }
    });

    it("lets the replication role read the source and write the replica only", () => {
        const policy = policyOf(
            named(run, "aws:iam/rolePolicy:RolePolicy", "webank-state-bucket-replication"),
        );
        const resources = policy.Statement.flatMap((s: { Resource: string | string[] }) => s.Resource);
        assert.ok(
            resources.every(
                (r: string) => r.includes("webank-state-123456789012") || r.startsWith("arn:aws:kms:"),
            ),
        );
        const write = policy.Statement.find((s: { Action: string[] }) =>
            s.Action.includes("s3:ReplicateObject"),
        );
        assert.strictEqual(write.Resource, "arn:aws:s3:::webank-state-123456789012-us-west-2/*");
    });

    it("creates the lock table with LockID, PITR, deletion protection and SSE-KMS", () => {
        const table = named(run, "aws:dynamodb/table:Table", "webank-state-lock");
        const inputs = inputsOf(table);
        assert.strictEqual(table.region, "us-east-1");
        assert.strictEqual(inputs.hashKey, "LockID");
        assert.deepStrictEqual(inputs.attributes, [{ name: "LockID", type: "S" }]);
        assert.strictEqual(inputs.pointInTimeRecovery.enabled, true);
        assert.strictEqual(inputs.pointInTimeRecovery.recoveryPeriodInDays, 35);
        assert.strictEqual(inputs.deletionProtectionEnabled, true);
        assert.strictEqual(inputs.serverSideEncryption.enabled, true);
        assert.match(inputs.serverSideEncryption.kmsKeyArn, /^arn:aws:kms:us-east-1:/);
        assert.strictEqual(inputs.streamEnabled, true, "global-table replicas need the stream");
    });

    it("replicates the lock table into the DR region with the same protections", () => {
        const replica = named(run, "aws:dynamodb/tableReplica:TableReplica", "webank-state-lock-replica");
        const inputs = inputsOf(replica);
        assert.strictEqual(replica.region, "us-west-2");
        assert.strictEqual(inputs.pointInTimeRecovery, true);
        assert.strictEqual(inputs.deletionProtectionEnabled, true);
        assert.match(inputs.kmsKeyArn, /^arn:aws:kms:us-west-2:/);
    });

    it("protects and retains every resource that holds or guards state", () => {
        const backend = named(run, "webank:state:StateBackend", "webank-state");
        const stateful = descendantsOf(run, backend).filter(
            (r) => r.custom && !r.type.startsWith("aws:iam/"),
        );
        assert.ok(
            stateful.length >= 17,
            `expected the buckets, their settings and the tables; found ${stateful.length}`,
        );
        for (const resource of stateful) {
            assert.ok(resource.protect && resource.retainOnDelete, `${resource.type} ${resource.name}`);
        }
    });

    it("outputs the pulumi login URLs and a Terraform backend block using the lock table", () => {
        assert.strictEqual(
            run.outputs.pulumiLoginUrl,
            "s3://webank-state-123456789012-us-east-1?region=us-east-1&awssdk=v2",
        );
        assert.strictEqual(
            run.outputs.pulumiLoginUrlDr,
            "s3://webank-state-123456789012-us-west-2?region=us-west-2&awssdk=v2",
        );
        const block = String(run.outputs.terraformBackend);
        assert.match(block, /backend "s3"/);
        assert.match(block, /dynamodb_table = "webank-state-lock"/);
        assert.match(block, /encrypt\s+= true/);
    });

    it("follows webank:noncurrentVersionRetentionDays and webank:pitrRetentionDays", async () => {
        const custom = await runStack("primary", {
            "webank:noncurrentVersionRetentionDays": "400",
            "webank:pitrRetentionDays": "7",
        });
        for (const lifecycle of ofType(
            custom,
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        )) {
            const rule = inputsOf(lifecycle).rules.find(
                (r: { id: string }) => r.id === "expire-noncurrent-versions",
            );
            assert.strictEqual(rule.noncurrentVersionExpiration.noncurrentDays, 400);
        }
        const table = named(custom, "aws:dynamodb/table:Table", "webank-state-lock");
        assert.strictEqual(inputsOf(table).pointInTimeRecovery.recoveryPeriodInDays, 7);
    });
});
