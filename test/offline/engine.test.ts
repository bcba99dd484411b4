import * as assert from "assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { runOffline, SECRET_PLACEHOLDER } from "../../offline/engine";
import { readPath } from "../../offline/recovery-settings";

const BASE = { project: "webank", stack: "test", config: {} };

describe("offline/engine", () => {
    it("records secrets as a placeholder in inputs and outputs", async () => {
        const run = await runOffline({
            ...BASE,
            program: () => {
                const provider = new aws.Provider("p", { region: "us-east-1" });
                const secret = new aws.secretsmanager.SecretVersion(
                    "s",
                    { secretId: "x", secretString: pulumi.secret("hunter2") },
                    { provider },
                );
                return { value: pulumi.secret("hunter2"), plain: secret.secretId };
            },
        });
        const version = run.resources.find(
            (r) => r.type === "aws:secretsmanager/secretVersion:SecretVersion",
        );
        assert.strictEqual(version?.inputs.secretString, SECRET_PLACEHOLDER);
        assert.strictEqual(run.outputs.value, SECRET_PLACEHOLDER);
        assert.ok(!JSON.stringify(run).includes("hunter2"));
    });

    it("fails a run that uses a disabled default provider", async () => {
        await assert.rejects(
            () =>
                runOffline({
                    ...BASE,
                    disabledDefaultProviders: ["aws"],
                    program: () => {
                        new aws.s3.Bucket("implicit-region");
                        return {};
                    },
                }),
            /default aws provider/,
        );
    });

    it("records protect, retainOnDelete, parent and region", async () => {
        const run = await runOffline({
            ...BASE,
            program: () => {
                const provider = new aws.Provider("west", { region: "us-west-2" });
                const parent = new pulumi.ComponentResource("test:index:Parent", "parent");
                new aws.s3.Bucket("b", {}, { parent, provider, protect: true, retainOnDelete: true });
                return {};
            },
        });
        const bucket = run.resources.find((r) => r.name === "b");
        const parent = run.resources.find((r) => r.name === "parent");
        assert.deepStrictEqual(
            [bucket?.protect, bucket?.retainOnDelete, bucket?.parent, bucket?.region],
            [true, true, parent?.urn, "us-west-2"],
        );
    });
});

describe("offline/recovery-settings: readPath", () => {
    const value = { rules: [{ a: { b: 1 } }, { a: { b: 2 } }], policy: '{"Statement":[{"Sid":"X"}]}' };
    it("reads an indexed path", () => assert.strictEqual(readPath(value, "rules[1].a.b"), 2));
    it("fans out over [*]", () => assert.deepStrictEqual(readPath(value, "rules[*].a.b"), [1, 2]));
    it("reads inside a JSON string", () =>
        assert.deepStrictEqual(readPath(value, "policy.Statement[*].Sid"), ["X"]));
    it("returns undefined for an absent path", () =>
        assert.strictEqual(readPath(value, "rules[5].a"), undefined));
});
