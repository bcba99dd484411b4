import * as assert from "assert";
import * as path from "path";
import { main } from "../../offline/policy-check";
import { PROJECT_ROOT } from "../../config/stack-files";
import { POLICIES } from "../../policies/policies";
import { STACK_VARIANTS } from "../../offline/stack-variants";

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

/** A regular expression matching `text` literally. */
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("npm run policy:check (the pack served over the analyzer protocol)", function () {
    this.timeout(180_000);

    it("passes both stacks and every named configuration of the dr stack, timing each run", async () => {
        const { code, stdout, stderr } = await check([]);
        assert.strictEqual(code, 0, stdout);
        assert.match(stdout, /on stack primary \(\d+ resources, offline\)\n {2}no violations/);
        assert.match(stdout, /on stack dr \(\d+ resources, offline\)\n {2}no violations/);
        // warm, and activated (a failover in progress) in both postures: the stack on a bad day.
        assert.ok(STACK_VARIANTS.length >= 3);
        for (const variant of STACK_VARIANTS) {
            assert.match(
                stdout,
                new RegExp(
                    `on ${literal(variant.name)} \\(stack dr, [^;]+; \\d+ resources, offline\\)\\n {2}no violations`,
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
        const { code, stdout } = await check(["--stack", "dr:warm"]);
        assert.strictEqual(code, 0, stdout);
        assert.match(stdout, /on dr:warm \(stack dr, webank:posture=warm; \d+ resources, offline\)/);
        assert.doesNotMatch(stdout, /on stack (primary|dr) /);
    });

    it("fails the broken fixture, naming every policy it breaks", async () => {
        const fixture = path.join(PROJECT_ROOT, "test", "fixtures", "broken-program.ts");
        const { code, stdout } = await check(["--fixture", fixture]);
        assert.strictEqual(code, 1);
        for (const policy of POLICIES) {
            assert.match(
                stdout,
                new RegExp(`\\n {2}${policy.name} \\(mandatory\\)`),
                `${policy.name} is not named`,
            );
        }
        assert.match(stdout, /urn:pulumi:fixture::webank::aws:rds\/instance:Instance::broken-db/);
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
