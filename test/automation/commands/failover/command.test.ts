import { DR_BASE, DR_WITH_DNS } from "../../../support/dr-config";
import * as assert from "assert";
import * as fs from "fs";
import { StackConfig } from "../../../../config/stack-config";
import { failoverDefinition } from "../../../../automation/commands/failover/definition";
import { OptionValues } from "../../../../automation/commands/definition";
import {
    SEEDED_AGES_MINUTES,
    seededResources,
    standardWorld,
} from "../../../../automation/simulation/standard-world";
import { SimulatedWorld } from "../../../../automation/simulation/world";
import { filesUnder, runDefinition } from "../../../support/commands";
import {
    archiveDir,
    journaledSteps,
    journalFile as journalFileOf,
    rehearsalReports,
} from "../../../support/journals";
import { assertNothingDeleted } from "../../../support/nothing-deleted";
import { useTempDir } from "../../../support/temp-dir";

const NOW = new Date("2026-11-25T03:00:00Z");
const BASE = DR_BASE;
/** The dr config with a hosted zone: the failover switches DNS. */
const WITH_DNS: StackConfig = DR_WITH_DNS;

/** Besides discarding, what would throw data away: the failover renames no instance. */
const KEEPS = { alsoForbidden: /rename/ };

describe("automation/commands/failover", () => {
    const dir = useTempDir("failover-");
    let world: SimulatedWorld;
    let config: StackConfig;
    beforeEach(() => {
        config = BASE;
        world = standardWorld(config, { now: NOW });
    });
    const journalFile = () => journalFileOf(dir(), "failover");
    const archived = () => filesUnder(archiveDir(dir(), "failover"));
    const run = (values: OptionValues = {}, confirm?: (q: string) => Promise<boolean>) =>
        runDefinition(
            failoverDefinition,
            { yes: confirm === undefined, ...values },
            { world, config, workDir: dir(), confirm },
        );
    const journaled = () => journaledSteps(dir(), "failover");
    const reports = () => rehearsalReports(dir());
    const text = () => world.lines.join("\n");

    it("fails over: PITR from the replicated backups, up, waits, verifies, journals, reports, archives", async () => {
        assert.strictEqual(await run(), 0, text());
        const restore = JSON.parse(world.stacks.get("dr")!.config["webank:restore"]);
        assert.deepStrictEqual(restore, {
            source: "pitr",
            time: "latest",
            automatedBackupsArn:
                "arn:aws:rds:us-west-2:123456789012:auto-backup:ab-7kqzpm3t2rvw4xh5cdhj6lyn2m",
        });
        assert.strictEqual(world.stacks.get("dr")!.config["webank:activated"], "true");
        // The DR export CronJob, declared suspended, runs again once the platform is verified.
        assert.deepStrictEqual(
            world.changes.filter((c) => c.startsWith("kubectl patch cronjob")),
            ["kubectl patch cronjob argocd/argocd-export suspend=false on webank-dr"],
        );
        const relevant = world.changes.filter((c) => /^(lock|stack dr)/.test(c));
        assert.match(relevant[0], /^lock failover-/);
        assert.deepStrictEqual(
            relevant.slice(1).map((c) => c.split(" ").slice(0, 3).join(" ")),
            ["stack dr config", "stack dr refresh", "stack dr up"],
        );
        // Steps of one wave finish in any order; waves finish in order.
        const steps = journaled();
        assert.deepStrictEqual(
            [
                steps.slice(0, 4).sort(),
                steps.slice(4, 8),
                steps.slice(8, 10).sort(),
                steps.slice(10, 11),
                steps.slice(11).sort(),
            ],
            [
                ["preflight-restore-point", "preflight-source-data", "preflight-stack", "preflight-traffic"],
                ["lock", "activate-config", "refresh", "up"],
                ["wait-database", "wait-platform"],
                ["verify"],
                // The exports resume once the platform is verified (shared/argocd-exports.ts).
                ["resume-exports", "switch-traffic"],
            ],
        );
        assert.ok(!fs.existsSync(journalFile()), "a finished journal is archived at once");
        assert.strictEqual(archived().length, 1);
        assert.match(text(), /projected RPO 4 min \(objective 30\)/);
        assert.ok(world.commandsRun.some((c) => c.startsWith("kubectl --context webank-dr -n argocd wait")));
        // The DR cluster's stale-export alarm was declared without actions while its export was suspended.
        assert.ok(
            world.commandsRun.includes(
                "aws cloudwatch enable-alarm-actions --region us-west-2 --alarm-names webank-dr-argocd-export-stale",
            ),
            world.commandsRun.join("\n"),
        );
        assertNothingDeleted(world, KEEPS);
    });

    it("reports RTO to platform ready, not service restored, when DNS failover is not managed", async () => {
        assert.strictEqual(await run(), 0, text());
        const [report] = reports();
        assert.strictEqual(report.outcome, "completed");
        assert.strictEqual(report.simulated, true);
        assert.match(report.measurements.rto!.span, /platform ready: DNS failover is not managed/);
        assert.ok(report.measurements.notes.some((n) => /service restored is not claimed/.test(n)));
        assert.strictEqual(report.measurements.rpo!.minutes, SEEDED_AGES_MINUTES.replicatedBackups);
        assert.strictEqual(report.steps.length, 13);
        const artifacts = world.dr.buckets.get("webank-artifacts-123456789012-us-west-2")!;
        assert.ok([...artifacts.keys()].some((k) => /^recovery-reports\/failover\/failover-.*\.md$/.test(k)));
        const state = world.dr.buckets.get("webank-state-123456789012-us-west-2")!;
        const copy = [...state.entries()].find(([k]) => k.startsWith("recovery-journals/failover/"));
        assert.ok(copy, "journal mirrored");
        assert.strictEqual(JSON.parse(copy[1][copy[1].length - 1].body.toString()).steps.length, 13);
    });

    it("switches DNS by inverting the traffic switch, and claims service restored", async () => {
        config = WITH_DNS;
        world = standardWorld(config, { now: NOW });
        assert.strictEqual(await run(), 0, text());
        assert.ok(
            world.changes.includes(
                `route53 health check ${seededResources(config).switchCheckId} inverted=true`,
            ),
        );
        assert.match(text(), /app\.webank\.example answers dr-alb\.us-west-2\.elb\.amazonaws\.com/);
        const [report] = reports();
        assert.strictEqual(report.measurements.rto!.span, "run start to traffic switched (service restored)");
    });

    it("holds traffic on DR with the switch even when the home endpoint already fails, so its recovery cannot pull traffic home", async () => {
        config = WITH_DNS;
        world = standardWorld(config, { now: NOW });
        world.healthCheck = { ...world.healthCheck!, healthy: false };
        assert.strictEqual(await run(), 0, text());
        assert.ok(
            world.changes.includes(
                `route53 health check ${seededResources(config).switchCheckId} inverted=true`,
            ),
        );
        assert.match(text(), /holds it on DR \(home endpoint unhealthy\)/);
        world.healthCheck = { ...world.healthCheck, healthy: true };
        assert.strictEqual(
            await world
                .ports()
                .traffic.answer(config.platform.traffic!.zoneId, config.platform.traffic!.recordName),
            config.platform.traffic!.drEndpoint,
            "the home endpoint recovering moves no traffic",
        );
    });

    it("stops when DNS keeps answering the home region, and stays resumable", async () => {
        config = WITH_DNS;
        world = standardWorld(config, { now: NOW });
        world.dnsTargets = { primary: "primary-alb", secondary: "primary-alb" };
        assert.strictEqual(await run({}), 1);
        assert.match(text(), /still answers primary-alb/);
        assert.ok(!journaled().includes("switch-traffic"));
        assert.ok(journaled().includes("verify"));
        assertNothingDeleted(world, KEEPS);
    });

    it("prints the plan, the preflight findings and the projected RPO and RTO on --dry-run, and writes nothing", async () => {
        assert.strictEqual(await run({ "dry-run": true }), 0, text());
        assert.deepStrictEqual(world.changes, []);
        assert.deepStrictEqual(filesUnder(dir()), [], "no journal, no report");
        assert.match(
            text(),
            /^DRY RUN: failover of webank to us-west-2: .*nothing will be changed or written\./,
        );
        assert.match(text(), /1\. preflight-stack: .* \| preflight-restore-point: .* \(concurrently\)/);
        assert.match(text(), /wait-database: .* \| wait-platform: .* \(concurrently\)/);
        assert.match(text(), /projected RPO 4 min/);
        assert.match(text(), /projected RTO: \d+\.\d min for posture pilot/);
    });

    for (const [posture, access] of [
        ["pilot", "runner"],
        ["warm", "runner"],
        ["pilot", undefined], // unset: the parser's default, runner
    ] as const) {
        it(`takes no lock and changes nothing unless Kubernetes access is direct (${posture}, ${access ?? "unset"})`, async () => {
            // The dry run's projection simulates from the config; the run reads the stack's value.
            config = {
                ...BASE,
                platform: {
                    ...BASE.platform,
                    cluster: { ...BASE.platform.cluster, kubernetesAccess: "runner" },
                },
            };
            world = standardWorld(config, { now: NOW, posture });
            const dr = world.stacks.get("dr")!;
            if (access === undefined) {
                delete dr.config["webank:kubernetesAccess"];
            } else {
                dr.config["webank:kubernetesAccess"] = access;
            }
            // The rehearsal finds it and its projection (a simulated run) stops at the lock.
            assert.strictEqual(await run({ "dry-run": true }), 1, text());
            assert.match(text(), /the simulated failover did not complete \(failed at lock: /);
            assert.deepStrictEqual(filesUnder(dir()), [], "a dry run writes nothing");
            assert.strictEqual(await run(), 1, text());
            assert.match(text(), new RegExp(`webank:kubernetesAccess is ${access ?? "runner"},`));
            assert.match(
                text(),
                /pulumi config set -s dr webank:kubernetesAccess direct\. Nothing was changed/,
            );
            assert.deepStrictEqual(
                world.changes.filter((c) => !c.includes("recovery-")),
                [],
                "no lock, no config, no up",
            );
        });
    }

    it("falls back to the newest DR-vault recovery point when no backups are replicated, saying so", async () => {
        world.dr.replicatedBackups.clear();
        assert.strictEqual(await run(), 0, text());
        const restore = JSON.parse(world.stacks.get("dr")!.config["webank:restore"]);
        assert.strictEqual(restore.source, "recovery-point");
        assert.match(restore.recoveryPointArn, /^arn:aws:rds:us-west-2:123456789012:snapshot:awsbackup:/);
        assert.match(text(), /WARNING: no automated backups are replicated.*MORE than the objective/);
        // The fallback's bound is the DR vault's copy period (hourly snapshots) plus the copy's delivery, not the 30-min RPO.
        assert.match(
            text(),
            /a snapshot copy every 60 min, landing up to 240 min after its schedule, so its RPO is up to 300 min/,
        );
        assert.match(
            text(),
            /projected RPO 50 min \(objective 30; the DR-vault fallback gives up to 300 min\) \(MORE than the objective of 30 min\)/,
        );
        const [report] = reports();
        assert.strictEqual(report.measurements.rpo!.minutes, SEEDED_AGES_MINUTES.recoveryPoints);
        assert.ok(
            report.measurements.notes.some((n) =>
                /restored from the DR-vault fallback: its RPO is up to the copy period plus the copy's delivery \(300 min\), not the database RPO of 30 min/.test(
                    n,
                ),
            ),
            report.measurements.notes.join("\n"),
        );
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

    it("stops before any change when DNS failover is managed but the dr stack names no DR endpoint", async () => {
        const { drEndpoint: _none, ...withoutDr } = WITH_DNS.platform.traffic!;
        void _none;
        config = { ...WITH_DNS, platform: { ...WITH_DNS.platform, traffic: withoutDr } };
        world = standardWorld(config, { now: NOW });
        assert.strictEqual(await run(), 1, text());
        assert.match(
            text(),
            /webank:drEndpoint must be set when the dr stack is activated with DNS failover/,
        );
        assert.match(text(), /pulumi config set -s dr webank:drEndpoint <DNS name>\. Nothing was changed/);
        assert.ok(
            !world.changes.some((c) => c.startsWith("stack") || c.startsWith("lock")),
            world.changes.join("\n"),
        );
    });

    it("lets a run with other arguments replace one that stopped in preflight (nothing had changed)", async () => {
        world.dr.replicatedBackups.clear();
        assert.strictEqual(await run({ "restore-time": "2026-11-25T02:00:00Z" }), 1);
        assert.match(
            text(),
            /point-in-time restore to 2026-11-25T02:00:00.000Z is impossible; run again with --restore-time latest/,
        );
        assert.ok(!world.changes.some((c) => c.startsWith("stack") || c.startsWith("lock")));
        assert.strictEqual(await run({ "restore-time": "latest" }), 0, text());
        assert.match(text(), /had changed nothing \(only read-only checks ran\); its journal is kept as/);
    });

    it("refuses times the operator cannot mean, before anything runs", async () => {
        const refused = async (values: OptionValues, message: RegExp) => {
            world.lines.length = 0;
            assert.strictEqual(await run(values), 2, JSON.stringify(values));
            assert.match(text(), message);
        };
        await refused(
            { "restore-time": "yesterday" },
            /--restore-time must be "latest" or an ISO-8601 instant/,
        );
        await refused({ "failure-time": "3am" }, /--failure-time must be an ISO-8601 instant .*got "3am"/);
        await refused({ "failure-time": "2026-11-28T03:00:00Z" }, /--failure-time must not be in the future/);
        await refused({ "restore-time": "2026-11-25T04:00:00Z" }, /--restore-time must not be in the future/);
        await refused(
            { "restore-time": "2026-10-01T00:00:00Z" },
            /--restore-time must be inside the 14-day window/,
        );
        await refused(
            { "restore-time": "2026-11-25T02:30:00Z", "failure-time": "2026-11-25T02:00:00Z" },
            /--failure-time must not be before --restore-time 2026-11-25T02:30:00.000Z/,
        );
        await refused({ "restore-time": "2026-11-25T02:30:00" }, /with a zone/);
        assert.deepStrictEqual(world.calls, []);
        assert.deepStrictEqual(filesUnder(dir()), []);
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
        assert.match(
            text(),
            /resume with:\n {2}npm run dr -- failover --restore-time latest --simulate --yes/,
        );
        assert.deepStrictEqual(journaled().slice(-2), ["activate-config", "refresh"]);
        assertNothingDeleted(world, KEEPS);
        const lookups = world.calls.filter((c) => c === "dr.database.replicatedBackups").length;
        const refreshes = world.changes.filter((c) => c === "stack dr refresh").length;
        assert.strictEqual(await run(), 0, text());
        assert.strictEqual(
            world.calls.filter((c) => c === "dr.database.replicatedBackups").length,
            lookups,
            "the restore point is read from the journal, not chosen again",
        );
        assert.strictEqual(world.changes.filter((c) => c === "stack dr refresh").length, refreshes);
        assert.match(text(), /resuming after 7 completed steps/);
    });

    it("refuses to resume with another --restore-time, naming the difference", async () => {
        world.failNext("stack.dr.up", new Error("throttled"));
        assert.strictEqual(await run(), 1);
        world.lines.length = 0;
        assert.strictEqual(await run({ "restore-time": "2026-11-25T02:50:00Z" }), 2);
        assert.match(
            text(),
            /--restore-time: the unfinished run has "latest", this command has "2026-11-25T02:50:00.000Z"/,
        );
        assert.match(
            text(),
            /Finish it first with: npm run dr -- failover --restore-time latest --simulate --yes/,
        );
    });

    it("says what to do next when the database waiter times out, and stays resumable", async () => {
        world.failNext(
            "dr.database.waitAvailable",
            new Error("webank-db-dr-1 was not available after 90 minutes"),
        );
        assert.strictEqual(await run(), 1);
        assert.ok(!journaled().includes("wait-database"));
        assert.ok(journaled().includes("wait-platform"), "the platform wait ran beside it and is kept");
        assertNothingDeleted(world, KEEPS);
        const ups = world.changes.filter((c) => c === "stack dr up").length;
        assert.strictEqual(await run(), 0, text());
        assert.strictEqual(world.changes.filter((c) => c === "stack dr up").length, ups, "no second up");
    });

    it("writes a report of a failed run too", async () => {
        world.failNext("stack.dr.refresh", new Error("refresh failed: credentials expired"));
        assert.strictEqual(await run(), 1);
        const [report] = reports();
        assert.strictEqual(report.outcome, "failed");
        assert.strictEqual(report.failedStep, "refresh");
        assert.strictEqual(report.measurements.rto, undefined);
    });

    it("asks before the first change, and without a terminal refuses with nothing written", async () => {
        assert.strictEqual(await run({}, () => Promise.resolve(false)), 2);
        assert.deepStrictEqual(world.changes, []);
        assert.strictEqual(await runDefinition(failoverDefinition, {}, { world, config, workDir: dir() }), 2);
        assert.match(text(), /no terminal to ask on: pass --yes/);
        assert.deepStrictEqual(world.changes, []);
        assert.deepStrictEqual(filesUnder(dir()), [], "no journal: a refused run leaves nothing behind");
    });
});
