import * as assert from "assert";
import * as path from "path";
import { main } from "../../offline/policy-check";
import { PROJECT_ROOT } from "../../config/stack-files";
import { POLICIES } from "../../policies/policies";
import { STACK_VARIANTS } from "../../offline/stack-variants";
import { MUTATION_ROWS } from "../../offline/policy-mutations/rows";
import { literal } from "../support/regex";

/** Runs the policy check in-process and captures what it prints. */
async function check(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const code = await main(argv, {
        stdout: { write: (t: string) => (stdout += t) },
        stderr: { write: (t: string) => (stderr += t) },
    });
    return { code, stdout, stderr };
}

describe("npm run policy:check (the pack served over the analyzer protocol)", function () {
    this.timeout(180_000);

    it("passes both stacks and every named configuration, as an update and as a preview, timing each run", async () => {
        const { code, stdout, stderr } = await check([]);
        assert.strictEqual(code, 0, stdout);
        for (const stack of ["primary", "dr"]) {
            assert.match(
                stdout,
                new RegExp(
                    `on stack ${stack} \\(\\d+ resources, offline, as an update\\)\\n {2}no violations`,
                ),
            );
            // A preview may leave values unknown; no mandatory violation, and what it could not
            // judge it says so (an advisory listing the resources and properties).
            assert.match(
                stdout,
                new RegExp(
                    `on stack ${stack} \\(\\d+ resources, offline, as a preview\\)\\n {2}(no violations|[^]*?\\d+ violations, 0 mandatory)`,
                ),
            );
        }
        for (const advisory of stdout.matchAll(/\(advisory\)[^]*?\n {6}[^\n]*\n {6}([^\n]*)/g)) {
            assert.match(
                advisory[1],
                /not judged in this preview, judged again by pulumi up once known: urn:pulumi:/,
            );
        }
        assert.doesNotMatch(stdout, /as an update\)\n(?! {2}no violations)/, "every update run passes clean");
        // warm, and activated (a failover in progress) in both postures: the stack on a bad day;
        // and primary re-protecting the DR database after it (primary:failback).
        assert.ok(STACK_VARIANTS.length >= 3);
        for (const variant of STACK_VARIANTS) {
            assert.match(
                stdout,
                new RegExp(
                    `on ${literal(variant.name)} \\(stack ${variant.stack}, [^;]+; \\d+ resources, offline, as an update\\)\\n {2}no violations`,
                ),
                `${variant.name} is checked`,
            );
            assert.match(
                stderr,
                new RegExp(`${literal(variant.name)}.* in \\d+\\.\\d s`),
                `${variant.name} is timed`,
            );
        }
        assert.match(stderr, /stack primary.* in \d+\.\d s/);
    });

    it("checks only the named configuration with --stack dr:warm", async () => {
        const { code, stdout } = await check(["--stack", "dr:warm", "--mode", "update"]);
        assert.strictEqual(code, 0, stdout);
        assert.match(
            stdout,
            /on dr:warm \(stack dr, webank:posture=warm; \d+ resources, offline, as an update\)/,
        );
        assert.doesNotMatch(stdout, /as a preview/);
        assert.doesNotMatch(stdout, /on stack (primary|dr) /);
    });

    it("fails the broken fixture, naming the policies of every service it breaks, each on a resource URN", async () => {
        const fixture = path.join(PROJECT_ROOT, "test", "fixtures", "broken-program.ts");
        const { code, stdout } = await check(["--fixture", fixture]);
        assert.strictEqual(code, 1);
        const fired = [...stdout.matchAll(/\n {2}([a-z0-9-]+) \(mandatory\)/g)].map((m) => m[1]);
        for (const policy of [
            "rds-instance-backup-retention",
            "rds-instance-customer-key",
            "s3-bucket-versioning-enabled",
            "dynamodb-table-pitr",
            "backup-plan-rule-cross-region-copy",
            "backup-vault-lock",
            "eks-cluster-secrets-encryption",
            "stateful-resources-protected",
        ]) {
            assert.ok(fired.includes(policy), `${policy} is not named: ${fired.join(", ")}`);
        }
        assert.match(stdout, /urn:pulumi:fixture::webank::aws:rds\/instance:Instance::broken-db/);
        assert.doesNotMatch(
            stdout,
            /\(mandatory\)[^]*?\n {4}\(stack\)/,
            "every mandatory violation names a resource",
        );
    });

    it("every policy of the pack is proven able to fire by at least one row of the mutation suite", () => {
        const proven = new Set(MUTATION_ROWS.map((row) => row.policy));
        assert.deepStrictEqual(
            POLICIES.map((p) => p.name).filter((name) => !proven.has(name)),
            [],
        );
    });

    it("exits 2 on an unknown --mode, naming the value", async () => {
        const { code, stderr } = await check(["--mode", "previw"]);
        assert.strictEqual(code, 2);
        assert.match(stderr, /--mode must be one of update, preview, both; got "previw"/);
    });

    it("exits 2 on an unknown stack or configuration, naming the value and the valid ones", async () => {
        assert.strictEqual((await check(["--stack", "staging"])).code, 2);
        const { code, stdout, stderr } = await check(["--stack", "dr:warm", "--stack", "dr:activatd"]);
        assert.strictEqual(code, 2);
        assert.strictEqual(stdout, "");
        assert.match(stderr, /got "dr:activatd"/);
        for (const name of ["primary", "dr", ...STACK_VARIANTS.map((v) => v.name)]) {
            assert.ok(stderr.includes(name), `lists ${name}: ${stderr}`);
        }
    });
});
