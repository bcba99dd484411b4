import * as assert from "assert";
import { execFile, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    mutexFileOf,
    openSimulation,
    paceOf,
    resetSimulation,
    SIMULATED_JOURNAL_DIR,
    SIMULATED_REPORT_DIR,
    simulatedNow,
    worldFileOf,
} from "../../../automation/simulation/persistent";
import { PROJECT_ROOT } from "../../../config/stack-files";
import { literal } from "../../support/regex";
import { useTempDir } from "../../support/temp-dir";
import { CONFIG, MINUTE, NOW, rejection } from "./support";

const CHILD = path.join(__dirname, "child.ts");

/** Runs child.ts in a new Node process; resolves with its JSON line. */
function child(workDir: string, ...args: string[]): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
        execFile(
            process.execPath,
            ["-r", "ts-node/register/transpile-only", CHILD, workDir, ...args],
            {
                cwd: PROJECT_ROOT,
                env: { ...process.env, SIMULATION_TEST_CONFIG: JSON.stringify(CONFIG) },
            },
            (error, stdout, stderr) => {
                if (error) {
                    reject(new Error(`child ${args.join(" ")} failed: ${stderr}`));
                    return;
                }
                resolve(JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as Record<string, unknown>);
            },
        );
    });
}

const instant = () => 0;

describe("automation/simulation/persistent: one account across processes", () => {
    const workDir = useTempDir("sim-persistent-");

    it("writes the seed on open, so every later process sees the same account; reads change nothing", async () => {
        assert.strictEqual(
            simulatedNow(workDir()).getTime() > NOW.getTime(),
            true,
            "no account: the wall clock",
        );
        assert.deepStrictEqual(fs.readdirSync(workDir()), [], "nothing before a command opens the account");
        const simulation = openSimulation(workDir(), CONFIG, { now: NOW, durations: instant });
        const seeded = fs.readFileSync(worldFileOf(workDir()), "utf8");
        assert.strictEqual(simulatedNow(workDir()).toISOString(), NOW.toISOString());
        const reopened = openSimulation(workDir(), CONFIG, {
            now: new Date(NOW.getTime() + 3_600_000),
            durations: instant,
        });
        const versions = async (s: typeof simulation) =>
            (
                await s.drive(
                    s.ports.dr.objects.listVersions(
                        `webank-bootstrap-state-${s.world.accountId}`,
                        ".pulumi/stacks/webank/primary.json",
                    ),
                )
            ).map((v) => v.versionId);
        assert.deepStrictEqual(
            await versions(reopened),
            await versions(simulation),
            "one account, not two seeds",
        );
        await simulation.drive(simulation.ports.home.backup.protectedResources("webank-vault"));
        assert.strictEqual(fs.readFileSync(worldFileOf(workDir()), "utf8"), seeded, "a read writes nothing");
        const dr = await simulation.drive(simulation.ports.workspace.selectStack("dr"));
        await simulation.drive(dr.setConfig({ "webank:posture": "warm" }));
        const saved = JSON.parse(fs.readFileSync(worldFileOf(workDir()), "utf8")) as {
            stacks: { dr: { config: object } };
            changes: string[];
        };
        assert.deepStrictEqual(saved.stacks.dr.config, {
            "webank:role": "dr",
            "webank:posture": "warm",
            "webank:kubernetesAccess": "direct",
        });
        assert.deepStrictEqual(saved.changes, ['stack dr config {"webank:posture":"warm"}']);
    });

    it("runs port calls on the virtual clock and saves the later of its own and the saved clock", async () => {
        const first = openSimulation(workDir(), CONFIG, { now: NOW });
        const db = first.ports.home.database;
        const like = (await first.drive(db.describeInstance("webank-db")))!;
        await first.drive(db.restoreToPointInTime("webank-db", "webank-db-r1", "latest", like));
        await first.drive(db.waitAvailable("webank-db-r1", 90));
        assert.ok(first.now().getTime() - NOW.getTime() >= 30 * MINUTE, "the documented RDS restore");
        assert.strictEqual(simulatedNow(workDir()).toISOString(), first.now().toISOString());
        const second = openSimulation(workDir(), CONFIG, { durations: instant });
        assert.strictEqual(
            second.now().toISOString(),
            first.now().toISOString(),
            "a new process starts at the saved clock",
        );
        assert.strictEqual(
            (await second.drive(second.ports.home.database.describeInstance("webank-db-r1")))?.status,
            "available",
        );
    });

    it("keeps faults in the process that injected them", async () => {
        const one = openSimulation(workDir(), CONFIG, { now: NOW, durations: instant });
        const two = openSimulation(workDir(), CONFIG, { now: NOW, durations: instant });
        one.world.failNext("lock.acquire", new Error("ProvisionedThroughputExceededException"));
        assert.match(
            await rejection(one.drive(one.ports.lock.acquire("failover-a"))),
            /ProvisionedThroughput/,
        );
        await two.drive(two.ports.lock.acquire("failover-b"));
        assert.strictEqual((await one.drive(one.ports.lock.holder()))?.owner, "failover-b");
    });

    it("leaves the data as it was when a transaction fails", async () => {
        const simulation = openSimulation(workDir(), CONFIG, { now: NOW, durations: instant });
        await simulation.drive(simulation.ports.lock.acquire("failover-a"));
        assert.match(
            await rejection(simulation.drive(simulation.ports.lock.acquire("failover-b"))),
            /another failover holds the lock/,
        );
        const saved = JSON.parse(fs.readFileSync(worldFileOf(workDir()), "utf8")) as {
            lock: { owner: string };
        };
        assert.strictEqual(saved.lock.owner, "failover-a");
    });

    it("refuses a damaged world.json, naming the file and how to start again", async () => {
        fs.mkdirSync(path.dirname(worldFileOf(workDir())), { recursive: true });
        fs.writeFileSync(worldFileOf(workDir()), '{"schema": "webank-dr/simulated-world/v1", "clock": ');
        const message = await rejection(Promise.resolve().then(() => openSimulation(workDir(), CONFIG)));
        assert.ok(
            message.startsWith(`${worldFileOf(workDir())} is not a simulated account: it is not JSON`),
            message,
        );
        assert.match(message, /npm run dr -- simulate reset/);
        fs.writeFileSync(worldFileOf(workDir()), '{"schema": "other/v9"}');
        assert.match(
            await rejection(Promise.resolve().then(() => simulatedNow(workDir()))),
            /its schema is "other\/v9"/,
        );
    });

    it("breaks a lock left by a dead process, and names a live holder when it cannot get the lock", async () => {
        const dead = spawnSync(process.execPath, [
            "-e",
            "process.stdout.write(String(process.pid))",
        ]).stdout.toString();
        const mutex = mutexFileOf(workDir());
        fs.writeFileSync(
            mutex,
            JSON.stringify({ pid: Number(dead), host: os.hostname(), since: NOW.toISOString() }),
        );
        const old = new Date(Date.now() - 10_000);
        fs.utimesSync(mutex, old, old);
        const simulation = openSimulation(workDir(), CONFIG, { now: NOW, durations: instant });
        await simulation.drive(simulation.ports.lock.acquire("failover-a"));
        assert.strictEqual(fs.existsSync(mutex), false, "broken, then released");

        fs.writeFileSync(
            mutex,
            JSON.stringify({ pid: process.pid, host: os.hostname(), since: NOW.toISOString() }),
        );
        fs.utimesSync(mutex, old, old);
        const held = openSimulation(workDir(), CONFIG, { durations: instant, mutex: { timeoutMs: 100 } });
        try {
            assert.match(
                await rejection(held.drive(held.ports.lock.holder())),
                new RegExp(`locked by process ${process.pid} on .* \\(${literal(mutex)}\\)`),
            );
        } finally {
            fs.rmSync(mutex, { force: true });
        }
    });

    it("resets the account and the rehearsals' journals but keeps their reports", async () => {
        const simulation = openSimulation(workDir(), CONFIG, { now: NOW, durations: instant });
        await simulation.drive(simulation.ports.lock.acquire("failover-a"));
        fs.writeFileSync(path.join(workDir(), SIMULATED_JOURNAL_DIR, "failover.json"), "{}");
        fs.mkdirSync(path.join(workDir(), SIMULATED_REPORT_DIR), { recursive: true });
        fs.writeFileSync(path.join(workDir(), SIMULATED_REPORT_DIR, "failover.md"), "# report");
        assert.deepStrictEqual(resetSimulation(workDir()), [
            path.join(SIMULATED_JOURNAL_DIR, "failover.json"),
            path.join(SIMULATED_JOURNAL_DIR, "world.json"),
        ]);
        assert.strictEqual(fs.existsSync(path.join(workDir(), SIMULATED_JOURNAL_DIR)), false);
        assert.strictEqual(
            fs.readFileSync(path.join(workDir(), SIMULATED_REPORT_DIR, "failover.md"), "utf8"),
            "# report",
        );
        assert.deepStrictEqual(resetSimulation(workDir()), []);
    });

    it("reads the pace from WEBANK_DR_SIMULATION_PACE_MS, refusing what is not a number", () => {
        assert.strictEqual(paceOf({}), 0);
        assert.strictEqual(paceOf({ WEBANK_DR_SIMULATION_PACE_MS: "250" }), 250);
        assert.throws(
            () => paceOf({ WEBANK_DR_SIMULATION_PACE_MS: "fast" }),
            /WEBANK_DR_SIMULATION_PACE_MS must be a number .*got "fast"/,
        );
    });

    it("finds in a second process the instance a first process restored", async () => {
        const restored = await child(workDir(), "restore", "webank-db-r1");
        assert.strictEqual(restored.restored, "webank-db-r1");
        const seen = await child(workDir(), "describe", "webank-db-r1");
        assert.strictEqual(seen.status, "available");
        assert.ok(
            Date.parse(String(seen.now)) >= Date.parse(String(restored.at)),
            "the clock goes on where the first left it",
        );
    });

    it("finishes in another process a job an interrupted one started", async () => {
        const { jobId } = await child(workDir(), "start-backup", "token-1");
        const resumed = openSimulation(workDir(), CONFIG);
        const point = await resumed.drive(resumed.ports.home.backup.waitBackupJob(String(jobId), 240));
        assert.strictEqual(point.status, "COMPLETED");
        assert.match(point.arn, /^arn:aws:rds:us-east-1:123456789012:snapshot:awsbackup:job-/);
        const again = await resumed.drive(
            resumed.ports.home.backup.startBackupJob({
                vaultName: "webank-vault",
                resourceArn: point.resourceArn,
                iamRoleArn: "arn:aws:iam::123456789012:role/webank-backup",
                idempotencyToken: "token-1",
            }),
        );
        assert.strictEqual(again, jobId, "the same token returns the interrupted run's job");
    });

    it("lets exactly one of two racing processes take the failover lock", async () => {
        const barrier = path.join(workDir(), "go");
        const racers = ["failover-a", "failover-b"].map((owner) => child(workDir(), "lock", owner, barrier));
        let failed = false;
        void Promise.all(racers).catch(() => (failed = true));
        // The barrier opens once both processes are up and polling, so they take the lock together.
        const owners = ["failover-a", "failover-b"];
        while (!failed && !owners.every((owner) => fs.existsSync(`${barrier}.${owner}.ready`))) {
            await new Promise((resolve) => setTimeout(resolve, 10));
        }
        fs.writeFileSync(barrier, "");
        const results = await Promise.all(racers);
        const winners = results.filter((r) => r.won === true);
        assert.strictEqual(winners.length, 1, JSON.stringify(results));
        const loser = results.find((r) => r.won === false)!;
        const winner = ["failover-a", "failover-b"][results.indexOf(winners[0])];
        assert.strictEqual(loser.holder, winner);
    });

    it("can be told to stop with a signal while paced, as the runner's signal test needs", async () => {
        const script = `
            const { openSimulation } = require("./automation/simulation/persistent");
            const { drStackConfig } = require("./automation/commands/dr-config");
            const simulation = openSimulation(process.argv[1], drStackConfig(), { now: new Date("2026-11-25T03:00:00Z"), paceMsPerMinute: 60000 });
            process.on("SIGINT", () => { process.stdout.write("interrupted"); process.exit(130); });
            process.stdout.write("ready");
            simulation.drive(simulation.ports.timers.sleep(60 * 60000));`;
        const proc = spawn(
            process.execPath,
            ["-r", "ts-node/register/transpile-only", "-e", script, workDir()],
            {
                cwd: PROJECT_ROOT,
            },
        );
        let out = "";
        await new Promise<void>((resolve) =>
            proc.stdout.on("data", (data: Buffer) => {
                out += data.toString();
                if (out.includes("ready")) {
                    resolve();
                }
            }),
        );
        proc.kill("SIGINT");
        const code = await new Promise((resolve) => proc.on("exit", resolve));
        assert.strictEqual(code, 130);
        assert.match(out, /interrupted$/);
    });
});
