import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stack-files";
import { makeTempDir, removeTempDir } from "../support/temp-dir";

/*
 * The peers harness (test/support/peers.ts) as a run sees it: a suite whose peer is missing
 * prints a SKIPPED line naming the test and the peer and passes; with WEBANK_REQUIRE_PEERS=1
 * (as .ci/run sets it) the same suite fails. Run in a child mocha on a spec written here.
 */

const SPEC = `
import { requirePeer } from ${JSON.stringify(path.join(PROJECT_ROOT, "test/support/peers"))};
describe("a suite with a peer", function () {
    before(function () {
        requirePeer(this, "frobnicator 9 (not a real program)", undefined);
    });
    it("needs the frobnicator", () => undefined);
});
`;

function runSpec(env: Record<string, string>): { status: number | null; stderr: string; stdout: string } {
    const dir = makeTempDir("webank-peers-");
    try {
        const spec = path.join(dir, "spec.test.ts");
        fs.writeFileSync(spec, SPEC);
        const result = spawnSync(
            process.execPath,
            [
                path.join(PROJECT_ROOT, "node_modules/mocha/bin/mocha.js"),
                "--no-config",
                "-r",
                "ts-node/register/transpile-only",
                "--extension",
                "ts",
                spec,
            ],
            { cwd: PROJECT_ROOT, encoding: "utf8", env: { ...process.env, ...env }, timeout: 120_000 },
        );
        return { status: result.status, stderr: result.stderr, stdout: result.stdout };
    } finally {
        removeTempDir(dir);
    }
}

describe("test/support/peers: a missing peer", function () {
    this.timeout(120_000);

    it("is skipped with a visible SKIPPED line naming the peer and the suite", () => {
        const run = runSpec({ WEBANK_REQUIRE_PEERS: "" });
        assert.strictEqual(run.status, 0, run.stdout + run.stderr);
        assert.match(
            run.stderr,
            /^SKIPPED: a suite with a peer .*: frobnicator 9 \(not a real program\) is not installed/m,
        );
        assert.match(run.stdout, /1 pending/);
    });

    it("fails the run when WEBANK_REQUIRE_PEERS=1, as in CI", () => {
        const run = runSpec({ WEBANK_REQUIRE_PEERS: "1" });
        assert.notStrictEqual(run.status, 0);
        assert.match(
            run.stdout + run.stderr,
            /frobnicator 9 \(not a real program\) must be installed: WEBANK_REQUIRE_PEERS=1/,
        );
        assert.doesNotMatch(run.stderr, /^SKIPPED/m);
    });
});
