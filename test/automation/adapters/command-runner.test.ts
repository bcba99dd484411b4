import * as assert from "assert";
import * as fs from "fs";
import { commandRunner, tail } from "../../../automation/adapters/command-runner";
import { formatCommandLine } from "../../../lib/command-line";
import { literal } from "../../support/regex";
import { useTempDir } from "../../support/temp-dir";

const NODE = process.execPath;

describe("automation/command-runner", () => {
    const dir = useTempDir("command-runner-");

    it("runs a command without a shell and returns its stdout", async () => {
        const { stdout } = await commandRunner().run(NODE, [
            "-e",
            "process.stdout.write(process.argv[1])",
            "$(echo injected) *",
        ]);
        assert.strictEqual(stdout, "$(echo injected) *");
    });

    it("writes stdin, and closes it when there is none (a reader never hangs)", async () => {
        const echo = [
            "-e",
            "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>process.stdout.write('got:'+s))",
        ];
        assert.strictEqual(
            (await commandRunner().run(NODE, echo, { stdin: "bundle-bytes" })).stdout,
            "got:bundle-bytes",
        );
        assert.strictEqual((await commandRunner().run(NODE, echo)).stdout, "got:");
    });

    it("runs in cwd with extra environment", async () => {
        const { stdout } = await commandRunner().run(
            NODE,
            ["-e", "process.stdout.write(process.cwd()+'|'+process.env.WEBANK_TEST)"],
            {
                cwd: dir(),
                env: { WEBANK_TEST: "yes" },
            },
        );
        assert.strictEqual(stdout, `${fs.realpathSync(dir())}|yes`);
    });

    it("fails with the command line, the exit code and the end of stderr", async () => {
        await assert.rejects(
            () =>
                commandRunner().run(NODE, [
                    "-e",
                    "console.error('early noise\\n'.repeat(500)+'fatal: repository not found'); process.exit(3)",
                ]),
            (error: Error) => {
                assert.match(
                    error.message,
                    new RegExp(`^${literal(NODE)} -e '.*' failed \\(exit code 3\\):`),
                );
                assert.match(error.message, /fatal: repository not found$/);
                assert.ok(error.message.length < 2600, "only the tail of stderr");
                return true;
            },
        );
    });

    it("says when the tool is not installed", async () => {
        await assert.rejects(
            () => commandRunner().run("webank-no-such-tool", ["--version"]),
            /webank-no-such-tool --version: webank-no-such-tool was not found on PATH; install it/,
        );
    });

    it("stops a command that prints more than the limit", async () => {
        await assert.rejects(
            () =>
                commandRunner({ maxOutputBytes: 1000 }).run(NODE, [
                    "-e",
                    "process.stdout.write('x'.repeat(5000))",
                ]),
            /printed more than 1000 bytes and was stopped/,
        );
    });

    it("quotes arguments an operator could not paste as they are", () => {
        assert.strictEqual(
            formatCommandLine("git", ["push", "--mirror", "https://example/a b"]),
            "git push --mirror 'https://example/a b'",
        );
        assert.strictEqual(formatCommandLine("sh", ["it's"]), "sh 'it'\\''s'");
        assert.strictEqual(tail("abcdef", 3), "...def");
    });
});
