import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { StackConfig } from "../../../../config";
import {
    drStackConfig,
    failoverCommand,
    FailoverCommandOptions,
} from "../../../../automation/commands/failover/command";
import { Journal } from "../../../../automation/run/journal";
import { RecoveryReport } from "../../../../automation/run/report";
import { SEEDED_AGES_MINUTES, standardWorld } from "../../../../automation/simulation/standard-world";
import { SimulatedWorld } from "../../../../automation/simulation/world";

const NOW = new Date("2026-11-25T03:00:00Z");
const BASE = drStackConfig();
/** The dr config with a hosted zone: the failover switches DNS. */
const WITH_DNS: StackConfig = {
    ...BASE,
    platform: {
        ...BASE.platform,
        traffic: {
            zoneId: "Z0123456789ABCDEFGHIJ",
            recordName: "app.webank.example",
            primaryEndpoint: "primary-alb.us-east-1.elb.amazonaws.com",
            drEndpoint: "dr-alb.us-west-2.elb.amazonaws.com",
            healthCheckPath: "/healthz",
        },
    },
};

/** Changes that would mean data was thrown away. */
const DESTRUCTIVE = /destroy|remove|delete|rename/;

describe("automation/failover", () => {
    let dir: string;
    let world: SimulatedWorld;
    let config: StackConfig;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "failover-"));
        config = BASE;
        world = standardWorld(config, { now: NOW });
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
    const journalFile = () => path.join(dir, "failover.json");
    const run = (options: Partial<FailoverCommandOptions> = {}, confirm?: (q: string) => Promise<boolean>) =>
        failoverCommand(
            {
                restoreTime: "latest",
                dryRun: false,
                yes: true,
                journalFile: journalFile(),
                reportDir: path.join(dir, "reports"),
                dnsPollMilliseconds: 0,
                ...options,
            },
            { ports: world.ports(), config, confirm },
        );
    const journaled = () => Journal.open(journalFile(), "failover").steps.map((s) => s.step);
    const text = () => world.lines.join("\n");
    const assertNothingDestroyed = () =>
        assert.deepStrictEqual(
            world.changes.filter((c) => DESTRUCTIVE.test(c)),
            [],
        );

    it("fails over: PITR from the replicated backups, up, waits, verifies, journals and reports", async () => {
        assert.strictEqual(await run(), 0, text());
        const restore = JSON.parse(world.stacks.get("dr")!.config["webank:restore"]);
        assert.deepStrictEqual(restore, {
            source: "pitr",
            time: "latest",
            automatedBackupsArn:
                "arn:aws:rds:us-west-2:123456789012:auto-backup:ab-7kqzpm3t2rvw4xh5cdhj6lyn2m",
        });
        assert.strictEqual(world.stacks.get("dr")!.config["webank:activated"], "true");
        const relevant = world.changes.filter((c) => /^(lock|stack dr)/.test(c));
        assert.match(relevant[0], /^lock failover-/);
        assert.deepStrictEqual(
            relevant.slice(1).map((c) => c.split(" ").slice(0, 3).join(" ")),
            ["stack dr config", "stack dr refresh", "stack dr up"],
        );
        // Steps of one wave finish in any order; waves finish in order.
        const steps = journaled();
        assert.deepStrictEqual(
            [steps.slice(0, 3).sort(), steps.slice(3, 7), steps.slice(7, 9).sort(), steps.slice(9)],
            [
                ["preflight-restore-point", "preflight-stack", "preflight-traffic"],
                ["lock", "activate-config", "refresh", "up"],
                ["wait-database", "wait-platform"],
                ["verify", "switch-traffic"],
            ],
        );
        assert.match(text(), /projected RPO 4 min \(objective 5\)/);
        assert.ok(
            world.commandsRun.some((c) => c.startsWith("kubectl --context webank-dr -n argocd wait")),
            world.commandsRun.join("\n"),
        );
        assertNothingDestroyed();
    });

    it("writes the report locally and to the DR artifact replica, and the journal copy to the state replica", async () => {
        assert.strictEqual(await run(), 0, text());
        const [file] = fs.readdirSync(path.join(dir, "reports")).filter((f) => f.endsWith(".json"));
        const report = JSON.parse(fs.readFileSync(path.join(dir, "reports", file), "utf8")) as RecoveryReport;
        assert.strictEqual(report.outcome, "completed");
        assert.strictEqual(report.achievedRpoMinutes, SEEDED_AGES_MINUTES.replicatedBackups);
        assert.strictEqual(report.steps.length, 11);
        const artifacts = world.dr.buckets.get("webank-artifacts-123456789012-us-west-2")!;
        assert.ok([...artifacts.keys()].some((k) => /^recovery-reports\/failover\/failover-.*\.md$/.test(k)));
        const state = world.dr.buckets.get("webank-state-123456789012-us-west-2")!;
        const copy = [...state.entries()].find(([k]) => k.startsWith("recovery-journals/failover/"));
        assert.ok(copy, "journal mirrored");
        assert.strictEqual(JSON.parse(copy[1][copy[1].length - 1].body.toString()).steps.length, 11);
    });

    it("switches DNS by inverting the PRIMARY health check, and checks the answer", async () => {
        config = WITH_DNS;
        world = standardWorld(config, { now: NOW });
        assert.strictEqual(await run(), 0, text());
        assert.ok(world.changes.includes("route53 health check hc-primary inverted=true"));
        assert.match(text(), /app\.webank\.example answers dr-alb\.us-west-2\.elb\.amazonaws\.com/);
    });

    it("leaves an already failing PRIMARY health check alone", async () => {
        config = WITH_DNS;
        world = standardWorld(config, { now: NOW });
        world.healthCheck = { id: "hc-primary", healthy: false, inverted: false };
        assert.strictEqual(await run(), 0, text());
        assert.ok(!world.changes.some((c) => c.startsWith("route53")));
        assert.match(text(), /PRIMARY already unhealthy/);
    });

    it("stops when DNS keeps answering the home region, and stays resumable", async () => {
        config = WITH_DNS;
        world = standardWorld(config, { now: NOW });
        world.dnsTargets = { primary: "primary-alb", secondary: "primary-alb" };
        assert.strictEqual(await run(), 1);
        assert.match(text(), /still answers primary-alb/);
        assert.ok(!journaled().includes("switch-traffic"));
        assert.ok(journaled().includes("verify"));
        assertNothingDestroyed();
    });

    it("prints the plan, the preflight findings and the projected RPO on --dry-run, and changes nothing", async () => {
        assert.strictEqual(await run({ dryRun: true }), 0, text());
        assert.deepStrictEqual(world.changes, []);
        assert.ok(!fs.existsSync(journalFile()), "no journal either");
        assert.match(text(), /^DRY RUN: failover of webank to us-west-2; nothing will be changed\./);
        assert.match(text(), /1\. preflight-stack: .* \| preflight-restore-point: .* \(concurrently\)/);
        assert.match(text(), /wait-database: .* \| wait-platform: .* \(concurrently\)/);
        assert.match(text(), /projected RPO 4 min/);
    });

    it("falls back to the newest DR-vault recovery point when no backups are replicated, saying so", async () => {
        world.dr.replicatedBackups.clear();
        assert.strictEqual(await run(), 0, text());
        const restore = JSON.parse(world.stacks.get("dr")!.config["webank:restore"]);
        assert.strictEqual(restore.source, "recovery-point");
        assert.match(restore.recoveryPointArn, /^arn:aws:rds:us-west-2:123456789012:snapshot:awsbackup:/);
        assert.match(text(), /WARNING: no automated backups are replicated.*MORE than the objective/);
    });

    it("stops before any change when neither replicated backups nor recovery points exist", async () => {
        world.dr.replicatedBackups.clear();
        world.dr.vaults.clear();
        assert.strictEqual(await run(), 1);
        assert.deepStrictEqual(
            world.changes.filter((c) => !c.includes("recovery-")),
            [],
        );
        assert.match(text(), /nothing to restore the database from in us-west-2/);
        assert.ok(!journaled().includes("lock"));
    });

    it("refuses a point in time without replicated backups, pointing at --restore-time latest", async () => {
        world.dr.replicatedBackups.clear();
        assert.strictEqual(await run({ restoreTime: "2026-11-25T02:00:00Z" }), 1);
        assert.match(
            text(),
            /point-in-time restore to 2026-11-25T02:00:00Z is impossible; run again with --restore-time latest/,
        );
        assert.ok(!world.changes.some((c) => c.startsWith("stack") || c.startsWith("lock")));
    });

    it("refuses a restore time outside the replicated window, changing nothing", async () => {
        assert.strictEqual(await run({ restoreTime: "2026-10-01T00:00:00Z" }), 1);
        assert.ok(!world.changes.some((c) => c.startsWith("stack") || c.startsWith("lock")));
        assert.match(text(), /outside the restorable window/);
    });

    it("refuses bad times before anything runs", async () => {
        assert.strictEqual(await run({ restoreTime: "yesterday" }), 2);
        assert.strictEqual(await run({ failureTime: "3am" }), 2);
        assert.match(text(), /--failure-time must be an ISO-8601 instant .*got "3am"/);
        assert.deepStrictEqual(world.calls, []);
    });

    it("refuses a second concurrent failover, changing nothing", async () => {
        world.lockHolder = "failover-other";
        assert.strictEqual(await run(), 1);
        assert.ok(!world.changes.some((c) => c.startsWith("stack")));
        assert.match(text(), /another failover holds the lock/);
    });

    it("refuses a dr stack that is already activated", async () => {
        world.stacks.get("dr")!.config["webank:activated"] = "true";
        assert.strictEqual(await run(), 1);
        assert.match(text(), /already activated/);
        assert.ok(!world.changes.some((c) => c.startsWith("stack") || c.startsWith("lock")));
    });

    it("stops when the stack is locked by another update, then resumes without choosing again", async () => {
        world.failNext(
            "stack.dr.up",
            new Error("the stack is currently locked by 1 lock(s): another update is running"),
        );
        assert.strictEqual(await run(), 1);
        assert.match(text(), /step up failed: the stack is currently locked/);
        assert.deepStrictEqual(journaled().slice(-2), ["activate-config", "refresh"]);
        assert.ok(!journaled().includes("up"));
        assertNothingDestroyed();
        const lookups = world.calls.filter((c) => c === "dr.database.replicatedBackups").length;
        const refreshes = world.changes.filter((c) => c === "stack dr refresh").length;
        assert.strictEqual(await run(), 0, text());
        assert.strictEqual(
            world.calls.filter((c) => c === "dr.database.replicatedBackups").length,
            lookups,
            "the restore point is read from the journal, not chosen again",
        );
        assert.strictEqual(world.changes.filter((c) => c === "stack dr refresh").length, refreshes);
        assert.match(text(), /resuming failover run failover-.* after 6 completed steps/);
    });

    it("says what to do next when the database waiter times out, and stays resumable", async () => {
        world.failNext(
            "dr.database.waitAvailable",
            new Error(
                "webank-db-dr-1 was not available after 90 minutes; check it with: aws rds describe-db-instances --region us-west-2 --db-instance-identifier webank-db-dr-1, then run the failover again to resume",
            ),
        );
        assert.strictEqual(await run(), 1);
        assert.match(text(), /describe-db-instances .* then run the failover again to resume/);
        assert.ok(!journaled().includes("wait-database"));
        assert.ok(journaled().includes("wait-platform"), "the platform wait ran beside it and is kept");
        assertNothingDestroyed();
        const ups = world.changes.filter((c) => c === "stack dr up").length;
        assert.strictEqual(await run(), 0, text());
        assert.strictEqual(world.changes.filter((c) => c === "stack dr up").length, ups, "no second up");
    });

    it("writes a report of a failed run too", async () => {
        world.failNext("stack.dr.refresh", new Error("refresh failed: credentials expired"));
        assert.strictEqual(await run(), 1);
        const [file] = fs.readdirSync(path.join(dir, "reports")).filter((f) => f.endsWith(".json"));
        const report = JSON.parse(fs.readFileSync(path.join(dir, "reports", file), "utf8")) as RecoveryReport;
        assert.strictEqual(report.outcome, "failed");
        assert.strictEqual(report.failedStep, "refresh");
        assert.strictEqual(report.measuredRtoMinutes, undefined);
    });

    it("asks before the first change, and refuses to run unattended without --yes", async () => {
        assert.strictEqual(await run({ yes: false }, () => Promise.resolve(false)), 1);
        assert.deepStrictEqual(world.changes, []);
        assert.strictEqual(await run({ yes: false }), 2, "no terminal to ask on");
        assert.deepStrictEqual(world.changes, []);
    });
});
