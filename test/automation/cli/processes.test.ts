import * as assert from "assert";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../../config/stack-files";
import { journalFile, readJournalFile, rehearsalReports } from "../../support/journals";
import { useTempDir } from "../../support/temp-dir";

/*
 * The rehearsal as an operator runs it: `npm run dr -- ... --simulate` in separate
 * processes sharing one work directory (one simulated account), with real signals.
 */

/** A running `npm run dr` process and what it printed. */
interface Dr {
    readonly process: ChildProcess;
    output(): string;
    exit(): Promise<number | null>;
}

/** Starts `node automation/cli/main.ts <args>` with its work directory set, as `npm run dr` does. */
function dr(workDir: string, args: readonly string[], env: Record<string, string> = {}): Dr {
    const child = spawn(
        process.execPath,
        ["-r", "ts-node/register/transpile-only", "automation/cli/main.ts", ...args],
        {
            cwd: PROJECT_ROOT,
            env: { ...process.env, WEBANK_DR_WORK_DIR: workDir, ...env },
            stdio: ["ignore", "pipe", "pipe"],
        },
    );
    let output = "";
    child.stdout?.on("data", (data: Buffer) => (output += data.toString()));
    child.stderr?.on("data", (data: Buffer) => (output += data.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    return { process: child, output: () => output, exit: () => exited };
}

/** Runs one `npm run dr` to its end. */
async function drRun(workDir: string, ...args: string[]): Promise<{ code: number | null; output: string }> {
    const run = dr(workDir, args);
    const code = await run.exit();
    return { code, output: run.output() };
}

describe("npm run dr in separate processes, sharing one simulated account", function () {
    // Each process loads ts-node and the Pulumi SDK: a few seconds apiece.
    this.timeout(120_000);
    const workDir = useTempDir("dr-processes-");

    it("of two failovers started together, exactly one takes the lock; the other changes nothing", async () => {
        // Separate journals: the lock, not the journal, must decide (two operators' machines).
        await drRun(workDir(), "status", "--simulate"); // creates the account both then share
        const runs = ["a", "b"].map((name) =>
            dr(workDir(), ["failover", "--simulate", "--yes", "--journal", journalFile(workDir(), name)]),
        );
        const codes = await Promise.all(runs.map((run) => run.exit()));
        assert.deepStrictEqual([...codes].sort(), [0, 1], runs.map((r) => r.output()).join("\n-----\n"));
        // The loser stops at the lock, or (when the winner has already activated dr) at the
        // preflight that refuses an activated stack: either way before any change.
        const loser = runs[codes.indexOf(1)].output();
        assert.match(loser, /another failover holds the lock|the dr stack is already activated/);
        const world = JSON.parse(
            fs.readFileSync(path.join(workDir(), ".journal", "simulated", "world.json"), "utf8"),
        ) as {
            changes: string[];
        };
        assert.strictEqual(world.changes.filter((c) => /^lock /.test(c)).length, 1, world.changes.join("\n"));
        assert.strictEqual(
            world.changes.filter((c) => c === "stack dr up").length,
            1,
            world.changes.join("\n"),
        );
    });

    it("of two failovers started together in one journal, one runs and the other is refused", async () => {
        await drRun(workDir(), "status", "--simulate");
        const runs = [
            dr(workDir(), ["failover", "--simulate", "--yes"]),
            dr(workDir(), ["failover", "--simulate", "--yes"]),
        ];
        const codes = await Promise.all(runs.map((run) => run.exit()));
        const outputs = runs.map((r) => r.output()).join("\n-----\n");
        // The loser is refused by the journal (exit 2) while the winner runs; on a loaded machine
        // the winner may finish before the loser's process has started, and then the loser's new
        // run stops at the preflight that refuses an activated stack (exit 1). Neither changes anything.
        const loser = codes.findIndex((code) => code !== 0);
        assert.ok(
            codes.filter((code) => code === 0).length === 1 && (codes[loser] === 1 || codes[loser] === 2),
            outputs,
        );
        assert.match(
            runs[loser].output(),
            codes[loser] === 2
                ? /another process has just started a run in the journal|is being run by/
                : /the dr stack is already activated|another failover holds the lock/,
        );
        const world = JSON.parse(
            fs.readFileSync(path.join(workDir(), ".journal", "simulated", "world.json"), "utf8"),
        ) as { changes: string[] };
        assert.strictEqual(
            world.changes.filter((c) => c === "stack dr up").length,
            1,
            world.changes.join("\n"),
        );
    });

    it("SIGINT stops a failover, writes an interrupted report, and the printed command resumes it in a new process", async () => {
        // 300 real ms per virtual minute: the failover's ~40 virtual minutes take long enough to interrupt.
        const run = dr(workDir(), ["failover", "--simulate", "--yes"], {
            WEBANK_DR_SIMULATION_PACE_MS: "300",
        });
        const deadline = Date.now() + 60_000;
        while (!/start up:/.test(run.output()) && Date.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
        run.process.kill("SIGINT");
        assert.strictEqual(await run.exit(), 1, run.output());
        assert.match(run.output(), /SIGINT: no new step starts/);
        const journal = readJournalFile(journalFile(workDir(), "failover"));
        assert.strictEqual(journal.status, "interrupted");
        assert.ok(
            journal.incidents.some((i) => i.outcome === "interrupted"),
            JSON.stringify(journal.incidents),
        );
        const [interrupted] = rehearsalReports(workDir());
        assert.strictEqual(interrupted.outcome, "interrupted");
        const resume = /resume with:\n\s+npm run dr -- (.*)\n/.exec(run.output())?.[1];
        assert.strictEqual(resume, "failover --restore-time latest --simulate --yes");

        const resumed = await drRun(workDir(), ...resume.split(" "));
        assert.strictEqual(resumed.code, 0, resumed.output);
        assert.match(resumed.output, /resuming after \d+ completed steps/);
        const [completed] = rehearsalReports(workDir());
        assert.strictEqual(completed.outcome, "completed");
        assert.strictEqual(completed.attempts.length, 2);
        assert.ok(!fs.existsSync(journalFile(workDir(), "failover")), "archived");
    });

    it("restore db, then the printed cut-over in a second process", async () => {
        const restore = await drRun(workDir(), "restore", "db", "--simulate", "--yes");
        assert.strictEqual(restore.code, 0, restore.output);
        const cutOver = /npm run dr -- (restore db --cut-over --restored-instance \S+ --simulate)/.exec(
            restore.output,
        )?.[1];
        assert.ok(cutOver, restore.output);
        const second = await drRun(workDir(), ...cutOver.split(" "), "--yes");
        assert.strictEqual(second.code, 0, second.output);
        assert.match(second.output, /renamed to webank-db/);
    });
});
