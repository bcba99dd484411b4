import * as assert from "assert";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { drStackConfig } from "../../../automation/commands/dr-config";
import { ChangeRequest } from "../../../automation/commands/change-options";
import { InterruptSource } from "../../../automation/commands/definition";
import { RecoveryPorts } from "../../../automation/ports";
import { JOURNAL_FORMAT, JournalDocument } from "../../../automation/run/journal";
import { RecoveryReport } from "../../../automation/run/report";
import { UsageError } from "../../../automation/run/refusal";
import { ChangingCommand, runChangingCommand } from "../../../automation/run/runner";
import { Step } from "../../../automation/run/steps";
import { standardWorld } from "../../../automation/simulation/standard-world";
import { SimulatedWorld } from "../../../automation/simulation/world";
import { filesUnder } from "../../support/commands";
import { archivedJournals, rehearsalReports, reportDir } from "../../support/journals";
import { useTempDir } from "../../support/temp-dir";

const NOW = new Date("2026-11-25T03:00:00Z");
const config = drStackConfig();

/** A signal source the test fires. */
function signals() {
    const listeners: ((signal: string) => void)[] = [];
    const source: InterruptSource = {
        onInterrupt: (listener) => {
            listeners.push(listener);
            return () => listeners.splice(listeners.indexOf(listener), 1);
        },
    };
    return { source, fire: (signal: string) => [...listeners].forEach((l) => l(signal)), listeners };
}

describe("automation/run/runner: the one journaled-command runner", () => {
    const dir = useTempDir("runner-");
    let world: SimulatedWorld;
    let ran: string[];
    beforeEach(() => {
        world = standardWorld(config, { now: NOW });
        ran = [];
    });
    const text = () => world.lines.join("\n");
    const simulatedDir = () => path.join(dir(), ".journal", "simulated");
    const journalFile = (simulated = true) =>
        path.join(dir(), ".journal", ...(simulated ? ["simulated"] : []), "test-op.json");
    const readJournalFile = (simulated = true) =>
        JSON.parse(fs.readFileSync(journalFile(simulated), "utf8")) as JournalDocument;

    /** A command of three steps: a read-only check, a change, and a last step that may hang or fail. */
    function command(
        options: { request?: Record<string, string>; last?: Step["run"]; plan?: () => Promise<void> } = {},
    ): ChangingCommand {
        const step = (name: string, after: string[], readOnly = false, run?: Step["run"]): Step => ({
            name,
            after,
            readOnly,
            describe: `do ${name}`,
            timeoutMinutes: 5,
            run:
                run ??
                (() => {
                    ran.push(name);
                    return Promise.resolve(`${name} done`);
                }),
        });
        return {
            operation: "test-op",
            title: "a test operation",
            request: options.request ?? { "--target": "a" },
            resumeArgs: ["test-op", "--target", options.request?.["--target"] ?? "a"],
            plan: async () => {
                await options.plan?.();
                return {
                    summary: "the test change",
                    findings: ["found: all is well"],
                    question: "Change it?",
                    steps: [
                        step("check", [], true),
                        step("change", ["check"]),
                        step("last", ["change"], false, options.last),
                    ],
                    projectedRtoMinutes: 12.5,
                };
            },
        };
    }
    const run = (
        cmd: ChangingCommand,
        change: Partial<ChangeRequest> = {},
        extra: {
            ports?: RecoveryPorts;
            simulated?: boolean;
            confirm?: (q: string) => Promise<boolean>;
            interrupts?: InterruptSource;
        } = {},
    ) =>
        runChangingCommand(cmd, {
            ports: extra.ports ?? world.ports(),
            config,
            change: { dryRun: false, yes: extra.confirm === undefined, ...change },
            simulated: extra.simulated ?? true,
            workDir: dir(),
            confirm: extra.confirm,
            interrupts: extra.interrupts,
        });

    it("journals, reports (JSON, its SHA-256, Markdown), notifies, and archives a finished run at once", async () => {
        assert.strictEqual(await run(command()), 0, text());
        assert.deepStrictEqual(ran, ["check", "change", "last"]);
        assert.ok(!fs.existsSync(journalFile()), "archived");
        const [journal] = archivedJournals(dir(), "test-op");
        assert.strictEqual(journal.status, "finished");
        assert.strictEqual(journal.simulated, true);
        assert.strictEqual(journal.command, "npm run dr -- test-op --target a --simulate --yes");
        const reports = reportDir(dir());
        const id = journal.runId;
        assert.deepStrictEqual(filesUnder(reports), [`${id}.json`, `${id}.json.sha256`, `${id}.md`]);
        const json = fs.readFileSync(path.join(reports, `${id}.json`));
        const [digest, name] = fs
            .readFileSync(path.join(reports, `${id}.json.sha256`), "utf8")
            .trim()
            .split(/\s+/);
        assert.strictEqual(digest, createHash("sha256").update(json).digest("hex"));
        assert.strictEqual(name, `${id}.json`);
        const report = JSON.parse(json.toString()) as RecoveryReport;
        assert.strictEqual(report.outcome, "completed");
        assert.strictEqual(report.simulated, true);
        assert.strictEqual(
            report.operator.awsArn,
            "arn:aws:sts::123456789012:assumed-role/webank-dr-operator/rehearsal",
        );
        assert.deepStrictEqual(report.regions, { home: "us-east-1", dr: "us-west-2" });
        assert.match(report.tool.commit, /^([0-9a-f]{40}|unknown)$/);
        assert.match(fs.readFileSync(path.join(reports, `${id}.md`), "utf8"), /^> \*\*SIMULATED\*\*/m);
        assert.deepStrictEqual(
            world.notifications.map((n) => n.subject),
            [
                `[SIMULATED] webank-dr test-op started: ${id}`,
                `[SIMULATED] webank-dr test-op completed: ${id}`,
            ],
        );
    });

    it("never resumes a finished run: one left unarchived (a crash just before) is archived and a new run starts", async () => {
        assert.strictEqual(await run(command()), 0);
        const [archived] = filesUnder(path.join(simulatedDir(), "archive", "test-op"));
        fs.copyFileSync(path.join(simulatedDir(), "archive", "test-op", archived), journalFile());
        ran = [];
        assert.strictEqual(await run(command()), 0, text());
        assert.deepStrictEqual(ran, ["check", "change", "last"], "every step runs again");
        assert.match(text(), /the previous test-op run .* finished; its journal is kept as/);
    });

    it("refuses to resume with other arguments, naming the difference, and changes nothing", async () => {
        assert.strictEqual(await run(command({ last: () => Promise.reject(new Error("throttled")) })), 1);
        const before = fs.readFileSync(journalFile());
        world.lines.length = 0;
        assert.strictEqual(await run(command({ request: { "--target": "b" } })), 2);
        assert.match(text(), /--target: the unfinished run has "a", this command has "b"/);
        assert.match(text(), /Finish it first with: npm run dr -- test-op --target a --simulate --yes/);
        assert.deepStrictEqual(fs.readFileSync(journalFile()), before, "the journal is byte-identical");
    });

    it("sets aside an unfinished run that only read, when the arguments change", async () => {
        const failing = (step: string): ChangingCommand => {
            const base = command();
            return {
                ...base,
                plan: async (context) => {
                    const p = await base.plan(context);
                    return {
                        ...p,
                        steps: p.steps.map((s) =>
                            s.name === step ? { ...s, run: () => Promise.reject(new Error("no")) } : s,
                        ),
                    };
                },
            };
        };
        assert.strictEqual(await run(failing("check")), 1, "the read-only check fails");
        assert.strictEqual(await run(command({ request: { "--target": "b" } })), 0, text());
        assert.match(text(), /had changed nothing \(only read-only checks ran\)/);
    });

    it("refuses other arguments over a run whose changing step failed: it may have changed something", async () => {
        const base = command();
        const failingChange: ChangingCommand = {
            ...base,
            plan: async (context) => {
                const p = await base.plan(context);
                return {
                    ...p,
                    steps: p.steps.map((s) =>
                        s.name === "change" ? { ...s, run: () => Promise.reject(new Error("half done")) } : s,
                    ),
                };
            },
        };
        assert.strictEqual(await run(failingChange), 1);
        assert.strictEqual(await run(command({ request: { "--target": "b" } })), 2);
        assert.match(text(), /--target: the unfinished run has "a", this command has "b"/);
    });

    it("never reuses a run id: two runs in the same instant get their own reports", async () => {
        assert.strictEqual(await run(command()), 0);
        assert.strictEqual(await run(command()), 0);
        const reports = filesUnder(reportDir(dir())).filter((f) => f.endsWith(".json"));
        assert.strictEqual(reports.length, 2, reports.join(", "));
    });

    it("resumes an interrupted run in a new attempt: SIGINT stops new steps, journals the one in flight, reports", async () => {
        const { source, fire, listeners } = signals();
        const hang = command({ last: () => new Promise<string>(() => undefined) });
        const running = run(hang, {}, { interrupts: source });
        while (!ran.includes("change")) {
            await new Promise((resolve) => setImmediate(resolve));
        }
        await new Promise((resolve) => setImmediate(resolve));
        fire("SIGINT");
        assert.strictEqual(await running, 1);
        assert.strictEqual(listeners.length, 0, "the signal listener is removed");
        const journal = readJournalFile();
        assert.strictEqual(journal.status, "interrupted");
        assert.deepStrictEqual(
            journal.incidents.map((i) => [i.step, i.outcome]),
            [["last", "interrupted"]],
        );
        const [report] = rehearsalReports(dir());
        assert.strictEqual(report.outcome, "interrupted");
        assert.deepStrictEqual(report.interruptedSteps, ["last"]);
        assert.match(text(), /SIGINT: no new step starts/);
        assert.match(text(), /resume with:\n {2}npm run dr -- test-op --target a --simulate --yes/);
        assert.ok(world.notifications.some((n) => / interrupted: /.test(n.subject)));

        ran = [];
        assert.strictEqual(await run(command()), 0, text());
        assert.deepStrictEqual(ran, ["last"], "the resumed attempt repeats only the interrupted step");
    });

    it("refuses without --yes and without a terminal, and when the operator declines, writing nothing", async () => {
        assert.strictEqual(await run(command(), { yes: false }), 2);
        assert.match(text(), /no terminal to ask on: pass --yes/);
        const asked: string[] = [];
        assert.strictEqual(
            await run(command(), { yes: false }, { confirm: (q) => (asked.push(q), Promise.resolve(false)) }),
            2,
        );
        assert.deepStrictEqual(asked, ["Change it?"]);
        assert.deepStrictEqual(filesUnder(dir()), []);
        assert.deepStrictEqual(ran, []);
        assert.deepStrictEqual(world.notifications, []);
    });

    it("on --dry-run runs the read-only steps only and writes nothing", async () => {
        assert.strictEqual(await run(command(), { dryRun: true }), 0, text());
        assert.deepStrictEqual(ran, ["check"]);
        assert.match(text(), /check now: check done/);
        assert.match(text(), /a real run starts a new run/);
        assert.deepStrictEqual(filesUnder(dir()), []);
    });

    it("keeps rehearsals and real runs apart, whatever --journal says", async () => {
        const real = { simulated: false };
        assert.strictEqual(
            await run(command(), { journalFile: path.join(simulatedDir(), "x.json") }, real),
            2,
        );
        assert.match(text(), /--journal must not be under .*simulated, where rehearsals keep theirs/);
        assert.strictEqual(await run(command(), { journalFile: path.join(dir(), "elsewhere.json") }), 2);
        assert.match(text(), /--journal must be a file under .*simulated with --simulate/);
        // A rehearsal's journal copied where a real run looks: refused by what it says it is.
        assert.strictEqual(await run(command({ last: () => Promise.reject(new Error("no")) })), 1);
        fs.mkdirSync(path.dirname(journalFile(false)), { recursive: true });
        fs.copyFileSync(journalFile(), journalFile(false));
        assert.strictEqual(await run(command(), {}, real), 2);
        assert.match(text(), /is a rehearsal's \(--simulate\), and this run is real/);
    });

    it("refuses a journal of an older version and one a live process is running", async () => {
        fs.mkdirSync(simulatedDir(), { recursive: true });
        fs.writeFileSync(journalFile(), JSON.stringify({ runId: "old", operation: "test-op", steps: [] }));
        assert.strictEqual(await run(command()), 2);
        assert.match(text(), /written by an older version .* does not say whether it was a rehearsal/);
        const live: JournalDocument = {
            format: JOURNAL_FORMAT,
            runId: "test-op-live",
            operation: "test-op",
            simulated: true,
            request: { "--target": "a" },
            pins: {},
            command: "npm run dr -- test-op --target a --simulate",
            startedAt: NOW.toISOString(),
            status: "running",
            heartbeatAt: new Date(NOW.getTime() - 30_000).toISOString(),
            steps: [],
            incidents: [],
            attempts: [{ startedAt: NOW.toISOString(), by: "alice@jump-1 (pid 4242)" }],
        };
        fs.writeFileSync(journalFile(), JSON.stringify(live));
        assert.strictEqual(await run(command()), 2);
        assert.match(
            text(),
            /is being run by alice@jump-1 \(pid 4242\) .*two processes never run one journal/,
        );
        fs.writeFileSync(
            journalFile(),
            JSON.stringify({ ...live, heartbeatAt: new Date(NOW.getTime() - 600_000).toISOString() }),
        );
        assert.strictEqual(await run(command()), 0, "a silent one is resumed");
    });

    it("refuses what the plan refuses, with its exit code, writing nothing", async () => {
        const refusing = command({
            plan: () => Promise.reject(new UsageError('--target must name a thing; got "x"')),
        });
        assert.strictEqual(await run(refusing), 2);
        assert.match(text(), /--target must name a thing/);
        assert.deepStrictEqual(filesUnder(dir()), []);
    });

    it("beats during long steps: what is awaited, for how long, the timeout, and the projected RTO", async () => {
        const ticks: (() => void)[] = [];
        let clock = NOW.getTime();
        const ports: RecoveryPorts = {
            ...world.ports(),
            now: () => new Date(clock),
            timers: {
                sleep: () => Promise.resolve(),
                every: (_ms, tick) => (ticks.push(tick), () => undefined),
            },
        };
        let release: () => void = () => undefined;
        const slow = command({
            last: () => new Promise<string>((resolve) => (release = () => resolve("slow done"))),
        });
        const running = run(slow, {}, { ports });
        while (ticks.length === 0 || !ran.includes("change")) {
            await new Promise((resolve) => setImmediate(resolve));
        }
        await new Promise((resolve) => setImmediate(resolve));
        clock += 150_000;
        ticks.forEach((tick) => tick());
        release();
        assert.strictEqual(await running, 0, text());
        assert.match(text(), /\.\.\. {3}last: waiting 2m30s \(timeout 5 min\): do last/);
        assert.match(text(), /run elapsed 2\.5 min of the projected RTO of 12\.5 min/);
    });

    it("does not fail a run because a notification cannot be sent", async () => {
        const ports: RecoveryPorts = {
            ...world.ports(),
            notifications: { publish: () => Promise.reject(new Error("AuthorizationError")) },
        };
        assert.strictEqual(await run(command(), {}, { ports }), 0);
        assert.match(text(), /warning: the started notification was not sent \(AuthorizationError\)/);
    });
});
