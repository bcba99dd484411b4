import * as assert from "assert";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { commandName, commandTree, CommandNode } from "../../../automation/cli/command-tree";
import { main } from "../../../automation/cli/main";
import { clockOf } from "../../../automation/cli/wiring";
import { COMMANDS } from "../../../automation/cli/registry";
import { AnyCommandDefinition } from "../../../automation/commands/definition";
import { PROJECT_ROOT } from "../../../config/stack-files";
import { makeTempDir } from "../../support/temp-dir";
import { flagsFromHelp, HelpFlag } from "./help-reader";
import { BadCase, flagTypoCases, flagValueCases, variants, wordTypoCases } from "./typo-cases";

/*
 * At 3 a.m. a typo must never become a failover. Every command of the real registry, every
 * flag its own --help shows, mistyped and given bad values: each line must exit 2, print
 * nothing on stdout, write nothing in the work directory, and leave the repository
 * byte-identical. The commands' own parsers run; their runs are replaced by a tripwire.
 */

/** The commands the CLI is expected to have; each is skipped, visibly, until it is registered. */
const EXPECTED = [
    "status",
    "backup",
    "failover",
    "drill",
    "restore db",
    "restore state",
    "restore argocd",
    "restore git",
    "restore helm",
    "lock status",
    "lock release",
    "simulate reset",
];

/** Under --simulate the CLI's clock is the simulation's; a line about time waits for it to land. */
const SIMULATION_LANDED = fs.existsSync(path.join(PROJECT_ROOT, "automation", "simulation", "persistent.ts"));

/** A hash of every file of the repository but node_modules and .git, and the files' own. */
function treeHashes(dir = PROJECT_ROOT, into = new Map<string, string>()): Map<string, string> {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.name === "node_modules" || entry.name === ".git") {
            continue;
        }
        if (entry.isDirectory()) {
            treeHashes(file, into);
        } else if (entry.isFile()) {
            into.set(
                path.relative(PROJECT_ROOT, file),
                createHash("sha256").update(fs.readFileSync(file)).digest("hex"),
            );
        }
    }
    return into;
}

/** The registry with every run replaced by a tripwire: a line that gets through cannot act. */
const ran: string[] = [];
const TRIPPED = 99;
const GUARDED: AnyCommandDefinition[] = COMMANDS.map(
    (definition) =>
        new Proxy(definition, {
            get(target, property) {
                if (property === "run") {
                    return () => {
                        ran.push(commandName(target.path));
                        return Promise.resolve(TRIPPED);
                    };
                }
                const value: unknown = Reflect.get(target, property, target);
                return typeof value === "function" ? value.bind(target) : value;
            },
        }),
);

describe("automation/cli: typos and bad values never run a command", () => {
    const tree = commandTree(GUARDED);
    const workDir = makeTempDir("webank-dr-typos-");
    let hashesBefore: Map<string, string>;
    let lines = 0;

    before(() => {
        hashesBefore = treeHashes();
    });

    /** Runs one line in-process; the reasons it is not a clean refusal naming `mentions`. */
    async function refusal(argv: readonly string[], mentions: string): Promise<string[]> {
        lines++;
        let stdout = "";
        let stderr = "";
        const code = await main(argv, {
            registry: GUARDED,
            workDir,
            env: {},
            isTTY: false,
            stdout: { write: (text: string) => (stdout += text) },
            stderr: { write: (text: string) => (stderr += text) },
        });
        const wrong: string[] = [];
        if (code !== 2) {
            wrong.push(`exit ${code}`);
        }
        if (stdout !== "") {
            wrong.push(`stdout ${JSON.stringify(stdout.slice(0, 200))}`);
        }
        if (!stderr.includes(mentions)) {
            wrong.push(`stderr does not mention ${mentions}: ${JSON.stringify(stderr.slice(0, 300))}`);
        }
        const written = fs.readdirSync(workDir);
        if (written.length > 0) {
            wrong.push(`wrote ${written.join(", ")}`);
            fs.rmSync(workDir, { recursive: true, force: true });
            fs.mkdirSync(workDir);
        }
        return wrong.map((w) => `${argv.join(" ")}: ${w}`);
    }

    /** Runs every variant of every case; fails listing the first lines that were not refused. */
    async function expectRefused(
        words: readonly string[] | undefined,
        cases: readonly BadCase[],
        hasYes: boolean,
    ): Promise<void> {
        const failures: string[] = [];
        for (const bad of cases) {
            for (const argv of variants(words, bad, hasYes)) {
                failures.push(...(await refusal(argv, bad.mentions)));
            }
        }
        assert.deepStrictEqual(failures.slice(0, 25), [], `${failures.length} lines were not refused`);
    }

    /** The node of a command's words, if registered. */
    function nodeOf(name: string): CommandNode | undefined {
        let node: CommandNode | undefined = tree;
        for (const word of name.split(" ")) {
            node = node?.children.get(word);
        }
        return node?.definition === undefined ? undefined : node;
    }

    /** The flags of a command, read from its own --help. */
    async function helpFlags(words: readonly string[]): Promise<HelpFlag[]> {
        let help = "";
        const code = await main([...words, "--help"], {
            registry: GUARDED,
            workDir,
            stdout: { write: (text: string) => (help += text) },
        });
        assert.strictEqual(code, 0);
        return flagsFromHelp(help);
    }

    const names = [...new Set([...EXPECTED, ...COMMANDS.map((c) => commandName(c.path))])];
    for (const name of names) {
        it(`${name}: every typo of every flag and word, every bad value, exits 2`, async function () {
            const node = nodeOf(name);
            if (node === undefined) {
                console.log(`      (skipped: "${name}" is not in automation/cli/registry.ts yet)`);
                this.skip();
            }
            const words = node.path;
            const flags = await helpFlags(words);
            assert.ok(flags.some((f) => f.name === "simulate") && flags.some((f) => f.name === "help"));
            const hasYes = flags.some((f) => f.name === "yes");
            await expectRefused(words, [...flagTypoCases(flags), ...flagValueCases(flags)], hasYes);
            const siblings = (depth: number) => {
                let level: CommandNode = tree;
                for (const word of words.slice(0, depth)) {
                    level = level.children.get(word)!;
                }
                return [...level.children.keys()];
            };
            await expectRefused(undefined, wordTypoCases(words, siblings, flags), hasYes);
        });
    }

    /**
     * A named bad line, with and without --simulate and --yes; `build` gets the clock the CLI
     * will parse at (the simulated account's under --simulate). Skipped until its command is
     * registered.
     */
    function badLine(title: string, command: string, build: (now: Date) => string[], mentions: string) {
        it(`${command} ${title} exits 2`, async function () {
            if (nodeOf(command) === undefined) {
                console.log(`      (skipped: "${command}" is not in automation/cli/registry.ts yet)`);
                this.skip();
            }
            const failures: string[] = [];
            for (const simulate of [false, ...(SIMULATION_LANDED ? [true] : [])]) {
                // Only a line about time needs the clock (and, under --simulate, the simulation).
                const argv = build(build.length === 0 ? new Date() : await clockOf(simulate, workDir));
                for (const line of variants(undefined, { argv, mentions }, true)) {
                    if (line.includes("--simulate") === simulate) {
                        failures.push(...(await refusal(line, mentions)));
                    }
                }
            }
            assert.deepStrictEqual(failures, []);
            if (!SIMULATION_LANDED && build.length > 0) {
                console.log(
                    "      (--simulate half skipped: automation/simulation/persistent.ts is not there yet)",
                );
                this.skip();
            }
        });
    }

    const hours = (now: Date, count: number) => new Date(now.getTime() + count * 3600_000).toISOString();
    badLine("--dryrun", "failover", () => ["failover", "--dryrun", "--yes"], "--dryrun");
    badLine(
        "--restore-tme",
        "failover",
        () => ["failover", "--restore-tme", "2026-11-25T02:00:00Z"],
        "--restore-tme",
    );
    badLine(
        "--restore-tim",
        "restore db",
        () => ["restore", "db", "--restore-tim", "2026-11-25T02:00:00Z"],
        "--restore-tim",
    );
    // The hot posture's --accept-rpo: a misspelling must never pass for it, nor a value it cannot mean.
    badLine("--accept_rpo", "failover", () => ["failover", "--accept_rpo", "15"], "--accept_rpo");
    badLine("--acceptrpo", "failover", () => ["failover", "--acceptrpo", "15"], "--acceptrpo");
    badLine("--accept-rpo -5", "failover", () => ["failover", "--accept-rpo", "-5"], "--accept-rpo");
    badLine("--accept-rpo 2.5", "failover", () => ["failover", "--accept-rpo", "2.5"], "--accept-rpo");
    badLine("--accept-rpo 0", "failover", () => ["failover", "--accept-rpo", "0"], "--accept-rpo");
    badLine("--bogus", "status", () => ["status", "--bogus"], "--bogus");
    badLine("extra", "status", () => ["status", "extra"], '"extra"');
    badLine("--scope all", "drill", () => ["drill", "--scope", "all"], '"all"');
    badLine("--format xml", "status", () => ["status", "--format", "xml"], '"xml"');
    badLine(
        "--dry-run twice",
        "failover",
        () => ["failover", "--dry-run", "--dry-run"],
        "--dry-run must be given once",
    );
    badLine(
        "--yes=true",
        "failover",
        () => ["failover", "--yes=true"],
        "--yes must be given without a value",
    );
    badLine(
        "--restore-time without a value",
        "failover",
        () => ["failover", "--restore-time"],
        "--restore-time",
    );
    badLine(
        "--restore-time swallowing --yes",
        "failover",
        () => ["failover", "--restore-time", "--yes"],
        "--restore-time",
    );
    badLine(
        "--failure-time three days ahead",
        "failover",
        (now) => ["failover", "--failure-time", hours(now, 72)],
        "--failure-time",
    );
    badLine(
        "--failure-time before --restore-time",
        "failover",
        (now) => ["failover", "--restore-time", hours(now, -2), "--failure-time", hours(now, -3)],
        "--failure-time",
    );

    it("leaves the work directory empty and the repository byte-identical", () => {
        assert.deepStrictEqual(fs.readdirSync(workDir), []);
        assert.deepStrictEqual(ran, [], "a command ran");
        const after = treeHashes();
        const changed = [...new Set([...hashesBefore.keys(), ...after.keys()])].filter(
            (f) => hashesBefore.get(f) !== after.get(f),
        );
        assert.deepStrictEqual(changed, [], "files changed (another engineer's edit shows here too)");
        console.log(`      ${lines} bad lines, all refused`);
    });
});
