import * as assert from "assert";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stack-files";
import { RecordedResource } from "../../offline/engine";
import { ServedPolicyPack } from "../../offline/policy-pack-client";
import { MutableStack } from "../../offline/policy-mutations/mutable-stack";
import { renderEnforcedSettings } from "../../offline/policy-mutations/readme";
import { MutationRow } from "../../offline/policy-mutations/row";
import { MUTATION_ROWS } from "../../offline/policy-mutations/rows";
import { renderOutcomes, runMutationRows } from "../../offline/policy-mutations/suite";
import { resolveConfigurations, runStacksOffline } from "../../offline/stack-runs";
import { POLICIES } from "../../policies/policies";
import { main } from "../../offline/policy-mutations";

function resource(
    name: string,
    inputs: Record<string, unknown>,
    dependencies: string[] = [],
): RecordedResource {
    return {
        urn: `urn:pulumi:t::webank::aws:s3/bucket:Bucket::${name}`,
        type: "aws:s3/bucket:Bucket",
        name,
        id: name,
        custom: true,
        inputs,
        protect: true,
        retainOnDelete: true,
        dependencies,
        propertyDependencies: { bucket: dependencies },
        ignoreChanges: [],
    };
}

describe("offline/policy-mutations: one protection removed per row, and the policy that must catch it", function () {
    this.timeout(180_000);

    it("MutableStack edits a copy, enters JSON documents, and fails loudly when its target is not there", () => {
        const original = [
            resource("a", { policy: JSON.stringify({ Statement: [{ Effect: "Deny" }] }), n: 1 }),
        ];
        const stack = new MutableStack(original);
        stack.set(stack.one("aws:s3/bucket:Bucket"), "policy.Statement[0].Effect", "Allow");
        stack.update(stack.one("aws:s3/bucket:Bucket"), "n", (n) => Number(n) + 1);
        assert.deepStrictEqual(JSON.parse(String(stack.resources[0].inputs.policy)), {
            Statement: [{ Effect: "Allow" }],
        });
        assert.strictEqual(stack.resources[0].inputs.n, 2);
        assert.strictEqual(original[0].inputs.n, 1, "the recorded run is untouched");
        assert.throws(
            () => stack.one("aws:rds/instance:Instance"),
            /no aws:rds\/instance:Instance to mutate/,
        );
        assert.throws(() => stack.update(stack.resources[0], "missing", () => 1), /has no input missing/);
    });

    it("drop removes the resource and every link to it; retype renames its URN everywhere", () => {
        const a = resource("a", {});
        const stack = new MutableStack([a, resource("b", {}, [a.urn])]);
        stack.retype(stack.one("aws:s3/bucket:Bucket", "a"), "aws:s3/bucketV2:BucketV2");
        const renamed = stack.resources[0].urn;
        assert.match(renamed, /::aws:s3\/bucketV2:BucketV2::a$/);
        assert.deepStrictEqual(stack.resources[1].dependencies, [renamed]);
        assert.deepStrictEqual(stack.resources[1].propertyDependencies.bucket, [renamed]);
        stack.drop(stack.resources[0]);
        assert.deepStrictEqual(
            stack.resources.map((r) => [r.name, r.dependencies, r.propertyDependencies.bucket]),
            [["b", [], []]],
        );
    });

    it("every row names a policy of the pack, and rows cover every service the README table lists", () => {
        const names = new Set(POLICIES.map((p) => p.name));
        for (const row of MUTATION_ROWS) {
            assert.ok(names.has(row.policy), `${row.mutation}: ${row.policy} is not a policy of the pack`);
        }
        const table = renderEnforcedSettings(MUTATION_ROWS);
        for (const service of [
            "RDS",
            "S3",
            "DynamoDB",
            "AWS Backup",
            "KMS",
            "EKS",
            "Kubernetes",
            "Pulumi",
            "Stores",
        ]) {
            assert.ok(table.includes(`| ${service} |`), `no rows for ${service}`);
        }
    });

    it("reports a row that catches nothing as MISSED, and one that no longer applies with its reason", async () => {
        const runs = (await runStacksOffline(resolveConfigurations(["dr"]))).runs;
        const pack = await ServedPolicyPack.start(path.join(PROJECT_ROOT, "policies"));
        try {
            const rows: MutationRow[] = [
                {
                    service: "Test",
                    protection: "nothing",
                    mutation: "a harmless tag",
                    configuration: "dr",
                    apply: (s) => void s.set(s.resources[0], "tags.harmless", "yes"),
                    policy: "rds-instance-multi-az",
                },
                {
                    service: "Test",
                    protection: "a resource dr does not declare",
                    mutation: "change the database",
                    configuration: "dr",
                    apply: (s) => void s.set(s.one("aws:rds/instance:Instance"), "multiAz", false),
                    policy: "rds-instance-multi-az",
                },
            ];
            const outcomes = await runMutationRows(pack, runs, rows);
            assert.deepStrictEqual(
                outcomes.map((o) => o.caught),
                [false, false],
            );
            const report = renderOutcomes(outcomes);
            assert.match(
                report,
                /MISSED {2}rds-instance-multi-az {2}Test: nothing — a harmless tag \[dr\] \(expected rds-instance-multi-az; fired: nothing\)/,
            );
            assert.match(report, /row does not apply: no aws:rds\/instance:Instance to mutate/);
            assert.match(report, /caught 0\/2 mutations/);
        } finally {
            pack.stop();
        }
    });
});

describe("npm run policy:mutations: its options", () => {
    async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
        let stdout = "";
        let stderr = "";
        const code = await main(argv, {
            stdout: { write: (t: string) => (stdout += t) },
            stderr: { write: (t: string) => (stderr += t) },
        });
        return { code, stdout, stderr };
    }

    it("refuses a misspelt --service before running anything, naming the value and the valid ones", async () => {
        const { code, stdout, stderr } = await run(["--service", "s3"]);
        assert.strictEqual(code, 2);
        assert.strictEqual(stdout, "");
        assert.match(stderr, /--service must be one of RDS, S3, .*; got "s3"/);
        assert.doesNotMatch(stderr, /running stack/);
    });

    it("refuses an unknown option and prints the usage with --help", async () => {
        assert.strictEqual((await run(["--servce", "S3"])).code, 2);
        const help = await run(["--help"]);
        assert.strictEqual(help.code, 0);
        assert.match(help.stdout, /Usage: npm run policy:mutations/);
    });
});
