import * as assert from "assert";
import * as path from "path";
import { main } from "../../offline/policy-check";
import { PROJECT_ROOT } from "../../config/stack-files";
import { POLICIES } from "../../policies/policies";

/** Runs the policy check in-process and captures what it prints. */
async function check(argv: string[]): Promise<{ code: number; stdout: string }> {
    let stdout = "";
    const code = await main(argv, {
        stdout: { write: (t: string) => (stdout += t) },
        stderr: { write: () => true },
    });
    return { code, stdout };
}

describe("npm run policy:check (the pack served over the analyzer protocol)", function () {
    this.timeout(180_000);

    it("passes both stacks of the real program", async () => {
        const { code, stdout } = await check([]);
        assert.strictEqual(code, 0, stdout);
        assert.match(stdout, /on stack primary \(\d+ resources, offline\)\n {2}no violations/);
        assert.match(stdout, /on stack dr \(\d+ resources, offline\)\n {2}no violations/);
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

    it("exits 2 on an unknown stack", async () => {
        assert.strictEqual((await check(["--stack", "staging"])).code, 2);
    });
});
