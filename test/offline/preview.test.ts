import * as assert from "assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { OfflineRun, RecordedResource, runOffline, SECRET_PLACEHOLDER, UNKNOWN } from "../../offline/engine";
import { ConfigurationRun, resolveConfigurations, runStacksOffline } from "../../offline/stack-runs";

const BASE = { project: "webank", stack: "test", config: {} };

/** The S3 bucket ARN format: arn:partition:s3:::bucket-name (S3 user guide, "Amazon S3 resources" ARN format). */
const BUCKET_ARN = /^arn:aws:s3:::[a-z0-9.-]{3,63}$/;

/**
 * A program with the shapes a preview treats differently: a computed output (a bucket's ARN)
 * taken by another resource, a literal input, a resource created in an `apply` of that output,
 * a read (`get`), a provider function, a StackReference, and a component with outputs.
 */
/** A component with a child bucket and an output, declared as the project's components are. */
class Store extends pulumi.ComponentResource {
    public readonly bucket: aws.s3.Bucket;

    constructor(name: string, provider: aws.Provider) {
        super("test:index:Store", name);
        this.bucket = new aws.s3.Bucket(
            "data",
            { bucket: "webank-test-data", tags: { owner: "sre" } },
            { provider, parent: this },
        );
        this.registerOutputs({ bucketName: this.bucket.bucket });
    }
}

function program(): Record<string, unknown> {
    const provider = new aws.Provider("home", { region: "us-east-1" });
    const store = new Store("store", provider);
    const bucket = store.bucket;
    new aws.backup.Selection(
        "selection",
        {
            name: "data",
            planId: "plan-id",
            iamRoleArn: "arn:aws:iam::123456789012:role/backup",
            resources: [bucket.arn],
        },
        { provider },
    );
    bucket.arn.apply(
        (arn) =>
            new aws.s3.BucketVersioning(
                "in-apply",
                { bucket: arn, versioningConfiguration: { status: "Enabled" } },
                { provider },
            ),
    );
    const existing = aws.s3.Bucket.get("existing", "webank-existing", undefined, { provider });
    const account = aws.getCallerIdentityOutput({}, { provider });
    new aws.sns.Topic("alerts", { name: pulumi.interpolate`alerts-${account.accountId}` }, { provider });
    const primary = new pulumi.StackReference("organization/webank/primary");
    new aws.sns.Topic("from-primary", { name: primary.requireOutput("topicName") }, { provider });
    new aws.secretsmanager.Secret(
        "token",
        { name: "token", description: pulumi.secret(bucket.arn) },
        { provider },
    );
    return {
        bucketArn: bucket.arn,
        existingArn: existing.arn,
        literal: "kept",
        storeBucket: store.bucket.bucket,
    };
}

async function run(preview: boolean): Promise<OfflineRun> {
    return runOffline({
        ...BASE,
        preview,
        stackOutputs: { primary: { topicName: "primary-alerts" } },
        program,
    });
}

function named(run: OfflineRun, name: string): RecordedResource {
    const found = run.resources.find((r) => r.name === name);
    assert.ok(found, `no resource named ${name} (have: ${run.resources.map((r) => r.name).join(", ")})`);
    return found;
}

describe("offline/engine: preview", () => {
    let update: OfflineRun;
    let preview: OfflineRun;
    before(async () => {
        update = await run(false);
        preview = await run(true);
    });

    it("passes a computed output (a bucket ARN) as the unknown sentinel in preview, as a real ARN in update", () => {
        const previewed = named(preview, "selection").inputs.resources;
        const updated = named(update, "selection").inputs.resources as string[];
        assert.deepStrictEqual(previewed, [UNKNOWN]);
        assert.strictEqual(UNKNOWN, "04da6b54-80e4-46f7-96ec-b56ff0331ba9");
        assert.strictEqual(updated.length, 1);
        assert.match(updated[0], BUCKET_ARN);
        assert.strictEqual(updated[0], "arn:aws:s3:::webank-test-data");
    });

    it("keeps literal inputs known in preview", () => {
        const selection = named(preview, "selection").inputs;
        assert.strictEqual(selection.iamRoleArn, "arn:aws:iam::123456789012:role/backup");
        assert.deepStrictEqual(named(preview, "data").inputs.tags, { owner: "sre" });
        assert.strictEqual(preview.outputs.literal, "kept");
    });

    it("gives new resources an empty id and providers the unknown id in preview", () => {
        assert.strictEqual(named(preview, "data").id, "");
        assert.strictEqual(named(preview, "home").id, UNKNOWN);
        assert.notStrictEqual(named(update, "data").id, "");
        assert.strictEqual(preview.outputs.bucketArn, UNKNOWN);
    });

    it("does not register a resource created in an apply of an unknown value", () => {
        assert.ok(update.resources.some((r) => r.name === "in-apply"));
        assert.ok(!preview.resources.some((r) => r.name === "in-apply"));
    });

    it("keeps reads, provider functions and StackReferences known", () => {
        // The fake names a read bucket after its logical name, not its id; known either way.
        assert.match(String(preview.outputs.existingArn), BUCKET_ARN);
        assert.strictEqual(preview.outputs.existingArn, update.outputs.existingArn);
        assert.match(String(named(preview, "alerts").inputs.name), /^alerts-\d{12}$/);
        assert.strictEqual(named(preview, "from-primary").inputs.name, "primary-alerts");
    });

    it("keeps an unknown secret unknown, a known one masked", () => {
        assert.strictEqual(named(preview, "token").inputs.description, UNKNOWN);
        assert.strictEqual(named(update, "token").inputs.description, SECRET_PLACEHOLDER);
    });

    it("runs components: children registered under them, an output set from an input known", () => {
        for (const mode of [update, preview]) {
            const store = named(mode, "store");
            assert.strictEqual(store.custom, false);
            assert.strictEqual(named(mode, "data").parent, store.urn);
            assert.strictEqual(mode.outputs.storeBucket, "webank-test-data");
        }
    });

    it("records property dependencies in both modes", () => {
        for (const mode of [update, preview]) {
            const bucket = named(mode, "data");
            const selection = named(mode, "selection");
            assert.deepStrictEqual(selection.propertyDependencies.resources, [bucket.urn]);
            assert.deepStrictEqual(selection.propertyDependencies.iamRoleArn, []);
            assert.ok(selection.dependencies.includes(bucket.urn));
        }
    });
});

describe("offline/stack-runs: every configuration in preview", function () {
    this.timeout(180_000);
    const configurations = resolveConfigurations(undefined, { variants: true });
    let update: ConfigurationRun[];
    let preview: ConfigurationRun[];
    before(async () => {
        const [updated, previewed] = [
            await runStacksOffline(configurations),
            await runStacksOffline(configurations, { preview: true }),
        ];
        assert.deepStrictEqual(updated.failures, []);
        assert.deepStrictEqual(previewed.failures, []);
        update = updated.runs;
        preview = previewed.runs;
    });

    it("runs each configuration in preview", () => {
        assert.deepStrictEqual(
            preview.map((r) => r.configuration.name),
            configurations.map((c) => c.name),
        );
        for (const name of ["primary", "dr", "dr:warm", "dr:activated", "dr:warm-activated"]) {
            assert.ok(
                preview.some((r) => r.configuration.name === name),
                `${name} was not run in preview`,
            );
        }
    });

    it("prints resource counts per configuration, preview vs update; a preview registers no resource an update lacks", () => {
        const lines: string[] = [];
        for (const previewed of preview) {
            const updated = update.find((r) => r.configuration.name === previewed.configuration.name);
            assert.ok(updated);
            const updateUrns = new Set(updated.resources.map((r) => r.urn));
            const previewUrns = new Set(previewed.resources.map((r) => r.urn));
            const onlyInUpdate = [...updateUrns].filter((urn) => !previewUrns.has(urn));
            const onlyInPreview = [...previewUrns].filter((urn) => !updateUrns.has(urn));
            lines.push(
                `${previewed.configuration.name.padEnd(20)} preview ${String(previewed.resources.length).padStart(4)}  update ${String(updated.resources.length).padStart(4)}` +
                    (onlyInUpdate.length > 0 ? `  only in update: ${onlyInUpdate.join(", ")}` : ""),
            );
            assert.deepStrictEqual(
                onlyInPreview,
                [],
                `${previewed.configuration.name}: registered only in preview`,
            );
        }
        console.log(`      resources per configuration:\n${lines.map((l) => `        ${l}`).join("\n")}`);
    });

    it("sends the replica bucket's ARN to the primary's replication rule: unknown in preview, an S3 ARN in update", () => {
        const find = (runs: ConfigurationRun[]) => {
            const primary = runs.find((r) => r.configuration.name === "primary");
            const config = primary?.resources.find(
                (r) => r.type === "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
            );
            assert.ok(config, "primary has a BucketReplicationConfig");
            return config;
        };
        type Rule = { status: unknown; destination: { bucket: unknown; storageClass: unknown } };
        const previewed = (find(preview).inputs.rules as Rule[])[0];
        const updated = (find(update).inputs.rules as Rule[])[0];
        assert.strictEqual(previewed.destination.bucket, UNKNOWN);
        assert.match(String(updated.destination.bucket), BUCKET_ARN);
        // Literals in the same rule stay known.
        assert.strictEqual(previewed.status, "Enabled");
        assert.strictEqual(previewed.destination.storageClass, "STANDARD");
        // And the rule's dependency on the replica bucket is recorded.
        const replica = preview
            .find((r) => r.configuration.name === "primary")
            ?.resources.find(
                (r) =>
                    r.type === "aws:s3/bucket:Bucket" &&
                    find(preview).propertyDependencies.rules?.includes(r.urn),
            );
        assert.ok(replica, "rules depends on a bucket");
    });
});
