import * as assert from "assert";
import { OfflineRun } from "../../offline/engine";
import { ARTIFACT_PREFIXES } from "../../lib/artifacts";
import { inputsOf, named, runStack } from "../support/offline";

describe("components/artifact-store: ArtifactStore", () => {
    let run: OfflineRun;
    before(async () => {
        run = await runStack("primary");
    });

    it("keeps artifacts in a hardened bucket replicated to the DR region", () => {
        const source = named(run, "aws:s3/bucket:Bucket", "webank-artifacts-bucket-source");
        const replica = named(run, "aws:s3/bucket:Bucket", "webank-artifacts-bucket-replica");
        assert.strictEqual(source.region, "us-east-1");
        assert.strictEqual(replica.region, "us-west-2");
        const versioning = named(
            run,
            "aws:s3/bucketVersioning:BucketVersioning",
            "webank-artifacts-bucket-replica-versioning",
        );
        assert.strictEqual(inputsOf(versioning).versioningConfiguration.status, "Enabled");
        const replication = named(
            run,
            "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
            "webank-artifacts-bucket-replication",
        );
        const rule = inputsOf(replication).rules[0];
        assert.strictEqual(rule.destination.bucket, "arn:aws:s3:::webank-artifacts-123456789012-us-west-2");
        assert.strictEqual(rule.destination.replicationTime.status, "Enabled");
        assert.strictEqual(rule.deleteMarkerReplication.status, "Enabled");
    });

    it("publishes the prefix of each kind of artifact", () => {
        assert.deepStrictEqual(Object.keys(run.outputs.artifactPrefixes as object).sort(), [
            "argocdExports",
            "deploySources",
            "gitBundles",
            "helmCharts",
            "recoveryReports",
            "stackExports",
        ]);
    });

    it("replicates the project's ECR repositories to the DR region", () => {
        const replication = named(
            run,
            "aws:ecr/replicationConfiguration:ReplicationConfiguration",
            "webank-artifacts-ecr-replication",
        );
        const rule = inputsOf(replication).replicationConfiguration.rules[0];
        assert.strictEqual(replication.region, "us-east-1");
        assert.deepStrictEqual(rule.destinations, [{ region: "us-west-2", registryId: "123456789012" }]);
        assert.deepStrictEqual(rule.repositoryFilters, [{ filter: "webank/", filterType: "PREFIX_MATCH" }]);
    });

    it("creates an immutable, KMS-encrypted repository per chart on push", () => {
        const template = named(
            run,
            "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate",
            "webank-artifacts-ecr-chart-template",
        );
        const inputs = inputsOf(template);
        assert.strictEqual(template.region, "us-east-1");
        assert.strictEqual(inputs.prefix, "webank/charts");
        assert.deepStrictEqual(inputs.appliedFors, ["CREATE_ON_PUSH"]);
        assert.strictEqual(inputs.imageTagMutability, "IMMUTABLE");
        assert.match(inputs.encryptionConfigurations[0].kmsKey, /^arn:aws:kms:us-east-1:/);
        assert.strictEqual(
            run.outputs.chartRepositoryUrl,
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/webank/charts",
        );
    });

    it("makes replicated repositories immutable and encrypted with the DR replica key", () => {
        const template = named(
            run,
            "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate",
            "webank-artifacts-ecr-replica-template",
        );
        const inputs = inputsOf(template);
        assert.strictEqual(template.region, "us-west-2");
        assert.deepStrictEqual(inputs.appliedFors, ["REPLICATION"]);
        assert.strictEqual(inputs.imageTagMutability, "IMMUTABLE");
        assert.match(inputs.encryptionConfigurations[0].kmsKey, /^arn:aws:kms:us-west-2:/);
        assert.ok(inputs.customRoleArn, "KMS encryption in a template needs a custom role");
    });
    // S3 lifecycle: "the delete markers added by the S3 Lifecycle expiration rule won't be
    // replicated to the destination bucket" (S3 User Guide, delete-marker-replication), so
    // each side needs its own rule, or the replica keeps every export forever.
    it("expires only the periodic exports' current versions, on both sides, after the PITR window", async () => {
        const custom = await runStack("primary", { "webank:pitrRetentionDays": "21" });
        for (const side of ["source", "replica"]) {
            const lifecycle = named(
                custom,
                "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
                `webank-artifacts-bucket-${side}-lifecycle`,
            );
            const expiring = (
                inputsOf(lifecycle).rules as {
                    status: string;
                    filter?: { prefix?: string };
                    expiration?: { days: number };
                }[]
            ).filter((rule) => rule.expiration !== undefined);
            assert.deepStrictEqual(
                expiring.map((rule) => [rule.filter?.prefix, rule.expiration?.days, rule.status]).sort(),
                [
                    [ARTIFACT_PREFIXES.argocdExports, 21, "Enabled"],
                    [ARTIFACT_PREFIXES.gitBundles, 21, "Enabled"],
                ],
                `${side}: only the exports written every few minutes expire; charts, stack exports and reports stay`,
            );
        }
        const state = named(
            custom,
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            "webank-state-bucket-source-lifecycle",
        );
        assert.ok(
            (inputsOf(state).rules as { expiration?: unknown }[]).every(
                (rule) => rule.expiration === undefined,
            ),
            "the state bucket never expires a current object",
        );
    });
});
