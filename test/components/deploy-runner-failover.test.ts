import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { RUNNER_MAIN, RUNNER_VARIABLES, runScript } from "../../components/deploy-runner-buildspec";
import { runnerArgv, runnerMain } from "../../automation/cli/runner-main";
import { makeTempDir, removeTempDir } from "../support/temp-dir";

/*
 * The runner's `failover` branch, run by bash with stand-ins for npm, pulumi and node on PATH
 * that record what they were given: the arguments travel as one JSON environment variable that
 * the shell never expands, and the runner's own entry point (runnerArgv, the real code) turns
 * them back into exactly the arguments the operator's machine sent.
 */

const BACKEND_URL = "s3://webank-bootstrap-state-123456789012?region=us-west-2&awssdk=v2";

/** Arguments a shell would act on if it ever interpolated them. */
const HOSTILE = ["'; touch \"$PWNED\"; echo '", '$(touch "$PWNED")', '`touch "$PWNED"`', "a b\nc", "--yes"];

describe("components/deploy-runner-buildspec: failover in the dr stack's runner", function () {
    this.timeout(30_000);
    let dir: string;
    beforeEach(() => {
        dir = makeTempDir("runner-failover-");
        fs.mkdirSync(path.join(dir, "bin"));
        stub("npm", 'echo "npm $*" >> "$LOG"');
        stub("pulumi", 'echo "pulumi $*" >> "$LOG"');
        // The node stand-in records its argv one per line and the arguments variable as is.
        stub("node", `echo "node $*" >> "$LOG"; printenv ${RUNNER_VARIABLES.args} > "$ARGS_SEEN"`);
    });
    afterEach(() => removeTempDir(dir));

    function stub(name: string, body: string): void {
        fs.writeFileSync(path.join(dir, "bin", name), `#!/bin/bash\n${body}\n`, { mode: 0o755 });
    }
    function run(env: Record<string, string>): { status: number | null; output: string } {
        const result = spawnSync("bash", ["-c", runScript()], {
            cwd: dir,
            env: {
                PATH: `${path.join(dir, "bin")}:/usr/bin:/bin`,
                LOG: path.join(dir, "log"),
                ARGS_SEEN: path.join(dir, "args-seen"),
                PWNED: path.join(dir, "pwned"),
                [RUNNER_VARIABLES.backendUrl]: BACKEND_URL,
                ...env,
            },
            encoding: "utf8",
        });
        return { status: result.status, output: `${result.stdout}${result.stderr}` };
    }
    const log = () => fs.readFileSync(path.join(dir, "log"), "utf8").trim().split("\n");

    it("installs, logs in, then runs the runner's entry point with no argument on its command line", () => {
        const args = ["--restore-time", "latest"];
        const result = run({
            [RUNNER_VARIABLES.command]: "failover",
            [RUNNER_VARIABLES.stack]: "dr",
            [RUNNER_VARIABLES.args]: JSON.stringify(args),
        });
        assert.strictEqual(result.status, 0, result.output);
        assert.deepStrictEqual(log(), [
            "npm ci --no-audit --no-fund",
            `pulumi login ${BACKEND_URL}`,
            `node -r ts-node/register/transpile-only ${RUNNER_MAIN}`,
        ]);
        assert.ok(fs.existsSync(path.join(__dirname, "..", "..", RUNNER_MAIN)), "the entry point exists");
    });

    it("hands hostile arguments to node untouched: the shell runs none, node reads each as one literal argument", () => {
        const sent = JSON.stringify(["--restore-time", ...HOSTILE]);
        const result = run({
            [RUNNER_VARIABLES.command]: "failover",
            [RUNNER_VARIABLES.stack]: "dr",
            [RUNNER_VARIABLES.args]: sent,
        });
        assert.strictEqual(result.status, 0, result.output);
        assert.ok(!fs.existsSync(path.join(dir, "pwned")), "no command substitution ran");
        const seen = fs.readFileSync(path.join(dir, "args-seen"), "utf8").replace(/\n$/, "");
        assert.strictEqual(seen, sent, "the variable arrives byte for byte");
        // The runner's entry point refuses the smuggled --yes, naming it...
        assert.throws(
            () => runnerArgv({ [RUNNER_VARIABLES.command]: "failover", [RUNNER_VARIABLES.args]: seen }),
            /WEBANK_ARGS must not hold --yes/,
        );
        // ...and passes every other one through as exactly one argument each.
        const kept = JSON.stringify(["--restore-time", ...HOSTILE.slice(0, -1)]);
        assert.deepStrictEqual(
            runnerArgv({ [RUNNER_VARIABLES.command]: "failover", [RUNNER_VARIABLES.args]: kept }),
            ["failover", "--restore-time", ...HOSTILE.slice(0, -1), "--yes"],
        );
    });

    for (const stack of ["primary", "", "dr-drill"]) {
        it(`refuses a failover in the runner of stack ${JSON.stringify(stack)} before installing anything`, () => {
            const result = run({
                [RUNNER_VARIABLES.command]: "failover",
                [RUNNER_VARIABLES.stack]: stack,
                [RUNNER_VARIABLES.args]: "[]",
            });
            assert.notStrictEqual(result.status, 0);
            assert.match(result.output, /failover runs only in the dr stack's runner/);
            assert.ok(!fs.existsSync(path.join(dir, "log")), "npm, pulumi and node never ran");
        });
    }

    for (const command of ["Failover", "failover --yes", "failover;id"]) {
        it(`refuses ${RUNNER_VARIABLES.command}=${JSON.stringify(command)}`, () => {
            const result = run({ [RUNNER_VARIABLES.command]: command, [RUNNER_VARIABLES.stack]: "dr" });
            assert.notStrictEqual(result.status, 0);
            assert.match(result.output, /must be one of preview, up, refresh, failover/);
            assert.ok(!fs.existsSync(path.join(dir, "log")));
        });
    }

    it("the entry point refuses a run id to resume that is not a failover's, before loading anything, printing exit code 2 last", async () => {
        const written: string[] = [];
        const write = process.stdout.write.bind(process.stdout);
        const errors = process.stderr.write.bind(process.stderr);
        process.stdout.write = (chunk: string) => written.push(chunk) > 0;
        process.stderr.write = (chunk: string) => written.push(chunk) > 0;
        try {
            const code = await runnerMain({
                [RUNNER_VARIABLES.command]: "failover",
                [RUNNER_VARIABLES.args]: "[]",
                WEBANK_RESUME_RUN: "$(id)",
            });
            assert.strictEqual(code, 2);
        } finally {
            process.stdout.write = write;
            process.stderr.write = errors;
        }
        assert.match(written.join(""), /WEBANK_RESUME_RUN must be a failover's run id; got "\$\(id\)"/);
        assert.strictEqual(written.at(-1), "webank-dr runner exit code: 2\n");
    });

    describe("runnerArgv: the entry point's reading of its environment", () => {
        const env = (command: string | undefined, args?: string) => ({
            [RUNNER_VARIABLES.command]: command,
            ...(args === undefined ? {} : { [RUNNER_VARIABLES.args]: args }),
        });
        it("adds --yes, the operator having confirmed on their own machine", () => {
            assert.deepStrictEqual(runnerArgv(env("failover", '["--restore-time","latest"]')), [
                "failover",
                "--restore-time",
                "latest",
                "--yes",
            ]);
            assert.deepStrictEqual(runnerArgv(env("failover")), ["failover", "--yes"]);
        });
        for (const [args, why] of [
            ['"--restore-time latest"', /must be a JSON array of strings/],
            ["[1]", /must be a JSON array of strings/],
            ["--restore-time", /must be a JSON array of strings/],
            ['["--on-runner"]', /must not hold --on-runner/],
            ['["--follow=x"]', /must not hold --follow=x/],
            ['["--simulate"]', /must not hold --simulate/],
        ] as const) {
            it(`refuses WEBANK_ARGS=${args}`, () => {
                assert.throws(() => runnerArgv(env("failover", args)), why);
            });
        }
        for (const command of ["up", "", undefined, "restore"]) {
            it(`refuses WEBANK_COMMAND=${JSON.stringify(command)}`, () => {
                assert.throws(() => runnerArgv(env(command, "[]")), /WEBANK_COMMAND must be one of failover/);
            });
        }
    });
});
