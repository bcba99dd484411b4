import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stack-files";
import { enginesNode } from "../../scripts/check-runtime";
import { makeTempDir, removeTempDir } from "../support/temp-dir";

/*
 * scripts/check-runtime.ts (npm run check:runtime), run as npm test runs it, on the Node
 * binary npm ci pinned; the machine's own Node (older) where it has one.
 */
const SCRIPT = path.join(PROJECT_ROOT, "scripts", "check-runtime.ts");
const PINNED_NODE = path.join(PROJECT_ROOT, "node_modules", ".bin", "node");

function runCheck(node: string) {
    return spawnSync(node, ["-r", "ts-node/register/transpile-only", SCRIPT], {
        cwd: PROJECT_ROOT,
        encoding: "utf8",
    });
}

describe("scripts/check-runtime.ts", function () {
    this.timeout(60_000);

    it("passes on the pinned Node, saying which binary it checked", () => {
        const result = runCheck(PINNED_NODE);
        assert.strictEqual(result.status, 0, result.stderr);
        assert.match(
            result.stdout,
            /^Node\.js v\d+\.\d+\.\d+ \(.*node_modules.*\) satisfies engines\.node >=\d+\n$/,
        );
    });

    it("refuses an older Node with exit 1 and what to do (the machine's own Node, where older)", function () {
        const machine = spawnSync(
            "/usr/bin/env",
            ["-i", "PATH=/usr/local/bin:/usr/bin:/bin", "node", "--version"],
            {
                encoding: "utf8",
            },
        );
        const major = Number(/^v(\d+)\./.exec(machine.stdout ?? "")?.[1] ?? NaN);
        if (machine.status !== 0 || !(major < 24)) {
            this.skip(); // no older Node on this machine to refuse
        }
        const result = spawnSync(
            "/usr/bin/env",
            [
                "-i",
                "PATH=/usr/local/bin:/usr/bin:/bin",
                "node",
                "-r",
                "ts-node/register/transpile-only",
                SCRIPT,
            ],
            { cwd: PROJECT_ROOT, encoding: "utf8" },
        );
        assert.strictEqual(result.status, 1, result.stdout);
        assert.match(
            result.stderr,
            /^error: Node\.js \d+\.\d+\.\d+ is older than package\.json's engines\.node \(>=24\): run npm ci/,
        );
    });

    it("refuses a package.json without engines.node, naming the directory", () => {
        const dir = makeTempDir("check-runtime-");
        try {
            fs.writeFileSync(path.join(dir, "package.json"), '{"name": "x"}');
            assert.throws(() => enginesNode(dir), new RegExp(`package.json in ${dir} sets no engines.node`));
        } finally {
            removeTempDir(dir);
        }
    });
});
