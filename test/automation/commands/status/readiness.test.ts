import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import type { StackConfig } from "../../../../config/stack-config";
import { projectRtoMinutes } from "../../../../automation/bench/failover-bench";
import { JOURNAL_FORMAT, JournalDocument, RunStatus } from "../../../../automation/run/journal";
import { runLocations } from "../../../../automation/run/locations";
import { STALE_AFTER_MS } from "../../../../automation/run/resume";
import { seededResources, standardWorld } from "../../../../automation/simulation/standard-world";
import { filesUnder } from "../../../support/commands";
import { useTempDir } from "../../../support/temp-dir";
import { BASE, NOW, row, runStatus, statusDocument, WITH_DNS } from "./support";

const RUN_ID = "failover-2026-11-25T02-00-00-000Z";
const RESUME = "npm run dr -- failover --restore-time latest --simulate";

/** A failover journal as the runner leaves it, `status` and `heartbeatAt` as given. */
function failoverJournal(status: RunStatus, heartbeatAt: Date, simulated = true): JournalDocument {
    return {
        format: JOURNAL_FORMAT,
        runId: RUN_ID,
        operation: "failover",
        simulated,
        request: { "--restore-time": "latest" },
        pins: {},
        command: RESUME,
        startedAt: "2026-11-25T02:00:00.000Z",
        status,
        heartbeatAt: heartbeatAt.toISOString(),
        steps: [
            {
                step: "preflight-stack",
                completedAt: "2026-11-25T02:00:05.000Z",
                detail: "ok",
                readOnly: true,
            },
            { step: "take-lock", completedAt: "2026-11-25T02:00:06.000Z", detail: "taken" },
        ],
        incidents:
            status === "failed" || status === "interrupted"
                ? [{ step: "activate-stack", at: heartbeatAt.toISOString(), outcome: status, detail: "boom" }]
                : [],
        attempts: [{ startedAt: "2026-11-25T02:00:00.000Z", by: "alice@laptop (pid 42)" }],
    };
}

/** Writes `text` where a failover's journal goes, for a rehearsal or a real run; returns the file. */
function writeJournal(workDir: string, text: string, simulated = true): string {
    const file = runLocations(workDir, "failover", simulated).journalFile;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
}

/** Every file under `dir` with its bytes: what a run must leave as it found. */
function snapshot(dir: string): Record<string, string> {
    return Object.fromEntries(filesUnder(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]));
}

/** The config with the cluster's RTO objective set to `minutes`. */
function withRto(config: StackConfig, minutes: number): StackConfig {
    return {
        ...config,
        objectives: { ...config.objectives, cluster: { ...config.objectives.cluster, rtoMinutes: minutes } },
    };
}

describe("status: readiness rows (simulated world)", () => {
    const workDir = useTempDir("status-");

    describe("dns-failover", () => {
        it("is ok, and the report READY, when a zone is configured and the PRIMARY record has its gate and a free switch", async () => {
            const world = standardWorld(WITH_DNS, { now: NOW });
            const { code, doc } = await statusDocument(world, { workDir: workDir() });
            assert.strictEqual(code, 0, JSON.stringify(doc.assets, null, 2));
            const dns = row(doc, "dns-failover");
            assert.strictEqual(dns.verdict, "ok");
            assert.match(
                dns.note,
                new RegExp(
                    `app\\.webank\\.example fails over on the home endpoint check ${seededResources(WITH_DNS).endpointCheckId}, ` +
                        `which Route 53 sees healthy; traffic switch ${seededResources(WITH_DNS).switchCheckId} free`,
                ),
            );
            assert.match(dns.where, /Z0123456789ABCDEFGHIJ/);
            assert.strictEqual(doc.verdict, "ready");
        });

        it("is NOT MANAGED without a hosted zone: the report is NOT MANAGED, exit 1, and Route 53 is not asked", async () => {
            const world = standardWorld(BASE, { now: NOW });
            const { code, output } = await runStatus(world, "text", { config: BASE, workDir: workDir() });
            assert.strictEqual(code, 1, output);
            const lines = output.split("\n");
            assert.strictEqual(
                lines[lines.length - 1],
                "verdict: NOT MANAGED: 10 of 11 checks ok; DNS failover NOT MANAGED: a failover cannot switch traffic",
            );
            assert.match(
                output,
                /^DNS failover: no webank:dnsZoneId: .*pointed at the DR endpoint by hand$/m,
            );
            assert.match(output, /check: pulumi config get webank:dnsZoneId -s dr/);
            assert.ok(!world.calls.includes("traffic.trafficSwitch"), world.calls.join(", "));
            const json = await statusDocument(standardWorld(BASE, { now: NOW }), {
                config: BASE,
                workDir: workDir(),
            });
            assert.strictEqual(json.code, 1);
            assert.strictEqual(json.doc.verdict, "not-managed");
            assert.deepStrictEqual(json.doc.failing, ["dns-failover"]);
            assert.strictEqual(row(json.doc, "dns-failover").verdict, "NOT MANAGED");
        });

        it("is NOT MANAGED while the traffic switch holds traffic on DR", async () => {
            const world = standardWorld(WITH_DNS, { now: NOW });
            world.healthCheck = { ...world.healthCheck!, heldOnDr: true };
            const { code, doc } = await statusDocument(world, { workDir: workDir() });
            assert.strictEqual(code, 1);
            assert.strictEqual(row(doc, "dns-failover").verdict, "NOT MANAGED");
            assert.match(
                row(doc, "dns-failover").note,
                new RegExp(`switch ${seededResources(WITH_DNS).switchCheckId} holds traffic on DR`),
            );
            assert.strictEqual(doc.verdict, "not-managed");
        });

        it("is NOT MANAGED when the zone has no PRIMARY health check", async () => {
            const world = standardWorld(WITH_DNS, { now: NOW });
            world.healthCheck = undefined;
            const { code, doc } = await statusDocument(world, { workDir: workDir() });
            assert.strictEqual(code, 1);
            assert.strictEqual(row(doc, "dns-failover").verdict, "NOT MANAGED");
            assert.match(
                row(doc, "dns-failover").note,
                /no PRIMARY failover record with the gate and traffic switch/,
            );
            assert.match(
                row(doc, "dns-failover").check,
                /aws route53 list-resource-record-sets --hosted-zone-id Z0123456789ABCDEFGHIJ/,
            );
        });

        it("is UNREACHABLE, and the report NOT READY, when Route 53 cannot be read", async () => {
            const world = standardWorld(WITH_DNS, { now: NOW });
            world.failNext(
                "traffic.trafficSwitch",
                new Error("AccessDenied: route53:ListResourceRecordSets"),
            );
            const { code, doc } = await statusDocument(world, { workDir: workDir() });
            assert.strictEqual(code, 1);
            assert.strictEqual(row(doc, "dns-failover").verdict, "UNREACHABLE");
            assert.match(row(doc, "dns-failover").note, /lookup failed: AccessDenied/);
            assert.strictEqual(doc.verdict, "not-ready");
        });

        it("makes the report NOT READY, naming every failing row, when something else fails too", async () => {
            const world = standardWorld(BASE, { now: NOW });
            world.dr.replicatedBackups.clear();
            const { code, output } = await runStatus(world, "text", { config: BASE, workDir: workDir() });
            assert.strictEqual(code, 1);
            const lines = output.split("\n");
            assert.strictEqual(
                lines[lines.length - 1],
                "verdict: NOT READY: 2 of 11 checks failing: database PITR MISSING, DNS failover NOT MANAGED",
            );
        });
    });

    describe("failover-lock", () => {
        it("is ok when the lock is free", async () => {
            const world = standardWorld(WITH_DNS, { now: NOW });
            const { doc } = await statusDocument(world, { workDir: workDir() });
            assert.strictEqual(row(doc, "failover-lock").verdict, "ok");
            assert.match(row(doc, "failover-lock").where, /us-west-2 lock table /);
        });

        it("is HELD, and the report NOT READY, naming the holder and lock status, when a run holds it", async () => {
            const world = standardWorld(WITH_DNS, { now: NOW });
            world.lockHolder = RUN_ID;
            const { code, output } = await runStatus(world, "text", { workDir: workDir() });
            assert.strictEqual(code, 1, output);
            assert.match(
                output,
                new RegExp(
                    `^failover lock: held by run ${RUN_ID} since unknown, taken by another operator`,
                    "m",
                ),
            );
            assert.match(output, /^ {4}check: npm run dr -- lock status --simulate$/m);
            const lines = output.split("\n");
            assert.strictEqual(
                lines[lines.length - 1],
                "verdict: NOT READY: 1 of 11 checks failing: failover lock HELD",
            );
            assert.strictEqual(world.lockHolder, RUN_ID);
            assert.deepStrictEqual(world.changes, []);
        });

        it("is UNREACHABLE when the lock table cannot be read", async () => {
            const world = standardWorld(WITH_DNS, { now: NOW });
            world.failNext("lock.holder", new Error("ResourceNotFoundException: table not found"));
            const { code, doc } = await statusDocument(world, { workDir: workDir() });
            assert.strictEqual(code, 1);
            assert.strictEqual(row(doc, "failover-lock").verdict, "UNREACHABLE");
            assert.match(row(doc, "failover-lock").note, /ResourceNotFoundException/);
        });
    });

    describe("failover-journal", () => {
        it("is ok with no journal, or with a finished one left unarchived", async () => {
            const none = await statusDocument(standardWorld(WITH_DNS, { now: NOW }), { workDir: workDir() });
            assert.strictEqual(row(none.doc, "failover-journal").verdict, "ok");
            assert.strictEqual(
                row(none.doc, "failover-journal").where,
                runLocations(workDir(), "failover", true).journalFile,
            );
            writeJournal(
                workDir(),
                JSON.stringify(failoverJournal("finished", new Date("2026-11-25T02:40:00Z"))),
            );
            const finished = await statusDocument(standardWorld(WITH_DNS, { now: NOW }), {
                workDir: workDir(),
            });
            assert.strictEqual(finished.code, 0);
            assert.strictEqual(row(finished.doc, "failover-journal").verdict, "ok");
            assert.match(row(finished.doc, "failover-journal").note, new RegExp(`${RUN_ID} finished`));
        });

        const unfinished: { status: RunStatus; silentMs: number; says: RegExp }[] = [
            { status: "failed", silentMs: 10 * 60_000, says: /is FAILED .*, failed at activate-stack/ },
            {
                status: "interrupted",
                silentMs: 10 * 60_000,
                says: /is INTERRUPTED .*, interrupted at activate-stack/,
            },
            {
                status: "running",
                silentMs: STALE_AFTER_MS + 1000,
                says: /is silent since .* \(its process is gone\)/,
            },
            { status: "running", silentMs: 5000, says: /is RUNNING now/ },
        ];
        for (const c of unfinished) {
            it(`is UNFINISHED, and the report NOT READY with the resume command, for ${c.status === "interrupted" ? "an" : "a"} ${c.status} journal${c.status === "running" ? ` silent ${c.silentMs / 1000} s` : ""}`, async () => {
                const file = writeJournal(
                    workDir(),
                    JSON.stringify(failoverJournal(c.status, new Date(NOW.getTime() - c.silentMs))),
                );
                const before = snapshot(workDir());
                const world = standardWorld(WITH_DNS, { now: NOW });
                const { code, output } = await runStatus(world, "text", { workDir: workDir() });
                assert.strictEqual(code, 1, output);
                assert.match(output, new RegExp(`^failover journal: run ${RUN_ID} `, "m"));
                assert.match(output, c.says);
                assert.match(output, /2 steps done/);
                assert.ok(output.includes(`resume it with: ${RESUME}`), output);
                assert.ok(output.includes(`    check: cat ${file}`), output);
                const lines = output.split("\n");
                assert.strictEqual(
                    lines[lines.length - 1],
                    "verdict: NOT READY: 1 of 11 checks failing: failover journal UNFINISHED",
                );
                assert.deepStrictEqual(snapshot(workDir()), before);
                assert.deepStrictEqual(world.changes, []);
            });
        }

        it("reads the rehearsal's journal in a rehearsal, not the real run's", async () => {
            writeJournal(workDir(), JSON.stringify(failoverJournal("failed", NOW, false)), false);
            const { code, doc } = await statusDocument(standardWorld(WITH_DNS, { now: NOW }), {
                workDir: workDir(),
            });
            assert.strictEqual(code, 0);
            assert.strictEqual(row(doc, "failover-journal").verdict, "ok");
        });

        it("is UNREACHABLE, saying why, for a journal that cannot be read", async () => {
            const file = writeJournal(workDir(), "{ not json");
            const { code, doc } = await statusDocument(standardWorld(WITH_DNS, { now: NOW }), {
                workDir: workDir(),
            });
            assert.strictEqual(code, 1);
            assert.strictEqual(row(doc, "failover-journal").verdict, "UNREACHABLE");
            assert.ok(row(doc, "failover-journal").note.includes(`journal ${file} cannot be read`));
            assert.strictEqual(fs.readFileSync(file, "utf8"), "{ not json");
        });
    });

    describe("projected-rto", () => {
        it("is ok within the objective, MISSED with both numbers when the objective is below the projection", async () => {
            const projected = await projectRtoMinutes(WITH_DNS, "pilot");
            const above = Math.ceil(projected.minutes);
            const below = Math.floor(projected.minutes);
            assert.ok(below < projected.minutes, "the projection is a whole number: pick another boundary");

            const ok = await statusDocument(standardWorld(WITH_DNS, { now: NOW }), {
                config: withRto(WITH_DNS, above),
                workDir: workDir(),
            });
            assert.strictEqual(ok.code, 0);
            assert.strictEqual(row(ok.doc, "projected-rto").verdict, "ok");
            assert.match(
                row(ok.doc, "projected-rto").note,
                new RegExp(`within the RTO objective of ${above} min`),
            );

            const world = standardWorld(WITH_DNS, { now: NOW });
            const { code, output } = await runStatus(world, "text", {
                config: withRto(WITH_DNS, below),
                workDir: workDir(),
            });
            assert.strictEqual(code, 1, output);
            assert.ok(
                output.includes(`projected RTO: ${projected.text}: OVER the RTO objective of ${below} min`),
                output,
            );
            assert.match(output, /^ {4}check: npm run bench:failover$/m);
            const lines = output.split("\n");
            assert.strictEqual(
                lines[lines.length - 1],
                "verdict: NOT READY: 1 of 11 checks failing: projected RTO MISSED",
            );
        });

        it("projects the dr stack's posture, and the config's when the stack cannot be read", async () => {
            const [pilot, warm] = await Promise.all([
                projectRtoMinutes(WITH_DNS, "pilot"),
                projectRtoMinutes(WITH_DNS, "warm"),
            ]);
            assert.ok(warm.minutes < pilot.minutes, "warm must fail over faster than pilot for this case");
            // Between the two: met by the warm posture the stack has, missed by the config's pilot.
            const config = withRto(WITH_DNS, (warm.minutes + pilot.minutes) / 2);
            assert.strictEqual(config.dr.posture, "pilot");

            const warmWorld = standardWorld(WITH_DNS, { now: NOW, posture: "warm" });
            const read = await statusDocument(warmWorld, { config, workDir: workDir() });
            assert.strictEqual(row(read.doc, "projected-rto").verdict, "ok");
            assert.match(row(read.doc, "projected-rto").where, /posture warm$/);

            const unreadable = standardWorld(WITH_DNS, { now: NOW, posture: "warm" });
            unreadable.failNext("workspace.selectStack", new Error("no backend logged in"));
            const fallback = await statusDocument(unreadable, { config, workDir: workDir() });
            assert.strictEqual(row(fallback.doc, "projected-rto").verdict, "MISSED");
            assert.match(row(fallback.doc, "projected-rto").where, /posture pilot \(Pulumi\.dr\.yaml's/);
            assert.deepStrictEqual(fallback.doc.failing, ["dr-stack", "projected-rto"]);
        });
    });

    describe("dr-stack", () => {
        it("reports an unreachable DR stack as its own failing row", async () => {
            const world = standardWorld(WITH_DNS, { now: NOW });
            world.failNext("workspace.selectStack", new Error("stack dr not found: no backend logged in"));
            const { code, output } = await runStatus(world, "text", { workDir: workDir() });
            assert.strictEqual(code, 1, output);
            assert.match(output, /DR stack dr: UNREACHABLE/);
            assert.match(output, /DR stack: the dr stack could not be read: stack dr not found/);
            assert.match(output, /check: pulumi config -s dr/);
            assert.match(output, /verdict: NOT READY: 1 of 11 checks failing: DR stack UNREACHABLE$/);
            assert.match(output, /^Git bundle .* ok$/m);
            assert.deepStrictEqual(world.changes, []);
        });

        it("shows an activated DR stack", async () => {
            const world = standardWorld(WITH_DNS, { now: NOW });
            world.stacks.get("dr")!.config["webank:activated"] = "true";
            const { doc } = await statusDocument(world, { workDir: workDir() });
            assert.deepStrictEqual(doc.drStack, {
                name: "dr",
                reachable: true,
                posture: "pilot",
                activated: true,
            });
            assert.match(row(doc, "dr-stack").note, /ACTIVATED/);
            assert.deepStrictEqual(world.changes, []);
        });
    });
});
