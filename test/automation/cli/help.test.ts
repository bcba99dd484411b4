import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { commandTree } from "../../../automation/cli/command-tree";
import { helpText } from "../../../automation/cli/help";
import { main } from "../../../automation/cli/main";
import { PROJECT_ROOT } from "../../../config/stack-files";
import { captureIo, FAKE_OPTIONS, fakeRegistry, noCalls } from "./fakes";
import { commandsFromHelp, flagsFromHelp } from "./help-reader";

/** Module paths `--help` must never load: the providers, the simulation, the benchmark. */
const HEAVY = [
    "node_modules/@pulumi/aws/",
    "node_modules/@pulumi/eks/",
    "node_modules/@pulumi/kubernetes/",
    "node_modules/@pulumi/aws-native/",
    "automation/simulation/",
    "automation/bench/",
];

describe("automation/cli/help: --help from the definitions", () => {
    const calls = noCalls();
    const tree = commandTree(fakeRegistry(calls));

    it("shows every flag of a command on its own line, with its type, choices and default", async () => {
        const help = await helpText(tree.children.get("fake")!);
        assert.match(help, /^npm run dr -- fake \[flags\]\n\nthe fake fake command\n/);
        assert.match(
            help,
            /^ {2}--format +text or json +\[string\] \[choices: "text", "json"\] \[default: "text"\]$/m,
        );
        assert.match(help, /^ {2}--revision +revision to roll back to +\[integer\]$/m);
        assert.match(help, /exit codes: 0 done; 1 failed .*; 2 refused/);
        const expected = Object.entries(FAKE_OPTIONS).map(([name, spec]) => ({
            name,
            type: spec.type,
            ...(spec.choices === undefined ? {} : { choices: spec.choices }),
            ...(spec.defaultValue === undefined ? {} : { defaultValue: spec.defaultValue }),
            required: false,
        }));
        const globals = ["simulate", "help"].map((name) => ({ name, type: "boolean", required: false }));
        assert.deepStrictEqual(flagsFromHelp(help), [...expected, ...globals]);
    });

    it("marks a required flag", async () => {
        const help = await helpText(tree.children.get("needs")!);
        assert.deepStrictEqual(flagsFromHelp(help)[0], { name: "release", type: "string", required: true });
    });

    it("lists every command with its summary at the root, and a group's own at the group", async () => {
        const root = await helpText(tree);
        assert.deepStrictEqual(commandsFromHelp(root), ["fake", "group one", "group two", "needs"]);
        assert.match(root, /npm run dr -- group one +the fake group one command/);
        assert.deepStrictEqual(commandsFromHelp(await helpText(tree.children.get("group")!)), [
            "group one",
            "group two",
        ]);
    });

    it("prints the help of the deepest command named, exit 0, reading no config and running nothing", async () => {
        const io = captureIo({
            registry: fakeRegistry(calls),
            configRoot: path.join(PROJECT_ROOT, "no-such-dir"),
        });
        assert.strictEqual(await main(["group", "one", "--bogus", "-h"], io.io), 0);
        assert.match(io.stdout(), /^npm run dr -- group one \[flags\]/);
        assert.strictEqual(io.stderr(), "");
        assert.deepStrictEqual(calls, noCalls());
        assert.deepStrictEqual(fs.readdirSync(io.io.workDir!), []);
    });

    it("loads no provider, simulation or benchmark module for --help or a refused line", function () {
        this.timeout(120000);
        // A fresh process: this one has loaded everything other tests use.
        const script = `
            const { main } = require("./automation/cli/main");
            const { COMMANDS } = require("./automation/cli/registry");
            const sink = { write: () => true };
            const lines = [["--help"], ["-h"], ["no-such-command"], ...COMMANDS.flatMap((c) => [[...c.path, "--help"], [...c.path, "--no-such-flag"]])];
            (async () => {
                const codes = [];
                for (const argv of lines) codes.push(await main(argv, { stdout: sink, stderr: sink, workDir: "/nonexistent" }));
                process.stdout.write(JSON.stringify({ codes, loaded: Object.keys(require.cache) }));
            })().catch((error) => { console.error(error); process.exit(3); });
        `;
        const result = JSON.parse(
            execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
                cwd: PROJECT_ROOT,
                encoding: "utf8",
            }),
        ) as { codes: number[]; loaded: string[] };
        assert.deepStrictEqual(result.codes.slice(0, 3), [0, 0, 2]);
        const loaded = result.loaded.map((file) =>
            path.relative(PROJECT_ROOT, file).split(path.sep).join("/"),
        );
        assert.ok(
            loaded.some((file) => file === "automation/cli/main.ts"),
            "main itself was loaded",
        );
        const heavy = loaded.filter((file) => HEAVY.some((prefix) => file.startsWith(prefix)));
        assert.deepStrictEqual(heavy, []);
    });
});
