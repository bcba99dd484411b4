import * as assert from "assert";
import { InvalidInputError } from "../lib/errors";
import { OfflineRun, OfflineRunError } from "../offline/engine";
import { named, ofType, runStack } from "./support/offline";

describe("program", () => {
    let primary: OfflineRun;
    let dr: OfflineRun;
    before(async () => {
        primary = await runStack("primary");
        dr = await runStack("dr");
    });

    it("runs both stacks", () => {
        assert.strictEqual(primary.outputs.role, "primary");
        assert.strictEqual(dr.outputs.role, "dr");
    });

    it("declares two explicit providers in primary: home and DR region", () => {
        const regions = ofType(primary, "pulumi:providers:aws").map((p) => p.inputs.region);
        assert.deepStrictEqual(regions.sort(), ["us-east-1", "us-west-2"]);
    });

    it("gives every AWS resource an explicit provider and a region of the stack pair", () => {
        for (const run of [primary, dr]) {
            for (const resource of run.resources.filter((r) => r.custom && r.type.startsWith("aws:"))) {
                assert.ok(
                    resource.provider && !resource.provider.includes("::default_"),
                    `${resource.name} uses a default provider`,
                );
                assert.ok(
                    ["us-east-1", "us-west-2", "global"].includes(String(resource.region)),
                    `${resource.name}: ${resource.region}`,
                );
            }
        }
    });

    it("puts a copy of every protected store in the DR region", () => {
        const inDr = primary.resources.filter((r) => r.region === "us-west-2").map((r) => r.type);
        for (const type of [
            "aws:kms/replicaKey:ReplicaKey",
            "aws:s3/bucket:Bucket",
            "aws:dynamodb/tableReplica:TableReplica",
        ]) {
            assert.ok(inDr.includes(type), `no ${type} in the DR region`);
        }
        assert.strictEqual(
            ofType(primary, "aws:s3/bucket:Bucket").filter((b) => b.region === "us-west-2").length,
            2,
        );
    });

    it("tags every resource through the providers' default tags", () => {
        for (const provider of ofType(primary, "pulumi:providers:aws")) {
            const tags = (JSON.parse(String(provider.inputs.defaultTags)) as { tags: Record<string, string> })
                .tags;
            assert.strictEqual(tags["webank:stack"], "primary");
            assert.strictEqual(tags["webank:managed-by"], "pulumi");
        }
    });

    it("declares nothing in the home region from the dr stack", () => {
        assert.ok(
            dr.resources.every(
                (r) => r.region === undefined || r.region === "us-west-2" || r.region === "global",
            ),
        );
        assert.strictEqual(named(dr, "pulumi:providers:aws", "webank-us-west-2").inputs.region, "us-west-2");
    });

    it("fails on invalid config before declaring any resource", async () => {
        await assert.rejects(
            () => runStack("primary", { "webank:drRegion": "us-east-1" }),
            (error: unknown) =>
                error instanceof OfflineRunError &&
                error.cause instanceof InvalidInputError &&
                /webank:drRegion/.test(error.cause.message) &&
                error.resources.length === 0,
        );
    });

    it("applies the naming prefix to every physical name", async () => {
        const run = await runStack("primary", { "webank:prefix": "bank" });
        assert.strictEqual(run.outputs.stateBucketName, "bank-state-123456789012-us-east-1");
        assert.strictEqual(run.outputs.lockTableName, "bank-state-lock");
        assert.ok(
            ofType(run, "aws:s3/bucket:Bucket").every((b) => String(b.inputs.bucket).startsWith("bank-")),
        );
    });
});
