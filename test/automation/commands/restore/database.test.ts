import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { OptionValues } from "../../../../automation/commands/definition";
import { restoreDbDefinition } from "../../../../automation/commands/restore/database/definition";
import {
    cutOverNames,
    restoredInstanceProblem,
    restoreNames,
    restoreStartOf,
} from "../../../../automation/commands/restore/database/names";
import { databaseData, setDatabaseData } from "../../../../automation/simulation/data";
import { JOURNAL_FORMAT } from "../../../../automation/run/journal";
import { filesUnder } from "../../../support/commands";
import { assertNothingDeleted } from "../../../support/nothing-deleted";
import {
    archived,
    assertRefused,
    changes,
    currentJournal,
    dispose,
    Harness,
    harness,
    journaled,
    NOW,
    reports,
    runWith,
    text,
} from "./support";

const SOURCE = "webank-db";
const TARGET = "webank-db-r202611250300";
const REPLACED = "webank-db-replaced-202611250300";
const OPERATION = "restore-db";

describe("automation/commands/restore/database: the restore", () => {
    let h: Harness;
    beforeEach(() => {
        h = harness("restore-db-");
    });
    afterEach(() => dispose(h));
    const run = (values: OptionValues = {}, confirm?: (q: string) => Promise<boolean>) =>
        runWith(h, restoreDbDefinition, values, confirm);
    const instances = () => [...h.world.home.instances.keys()].sort();

    it("names the new and the replaced instance after the restore's start minute", () => {
        assert.deepStrictEqual(restoreNames("webank", NOW), {
            source: SOURCE,
            target: TARGET,
            replaced: REPLACED,
        });
        assert.deepStrictEqual(cutOverNames("webank", TARGET), restoreNames("webank", NOW));
        assert.deepStrictEqual(restoreStartOf("webank", TARGET), new Date("2026-11-25T03:00:00Z"));
        for (const bad of [
            "webank-db-r2026112503",
            "webank-db-r202611250360",
            "other-db-r202611250300",
            REPLACED,
        ]) {
            assert.strictEqual(restoreStartOf("webank", bad), undefined, bad);
            assert.match(
                restoredInstanceProblem("webank", bad) ?? "",
                /--restored-instance must name an instance restore db made/,
            );
        }
    });

    it("restores the latest point into a new instance, verifies it, and prints the exact cut-over command", async () => {
        assert.strictEqual(await run(), 0, text(h));
        assert.deepStrictEqual(changes(h), [`home rds restore ${SOURCE} -> ${TARGET} at latest`]);
        assert.deepStrictEqual(journaled(h, OPERATION), ["preflight", "restore", "wait-available", "verify"]);
        assert.strictEqual(currentJournal(h, OPERATION), undefined, "a finished run is archived at once");
        const restored = h.world.home.instances.get(TARGET);
        assert.strictEqual(restored?.deletionProtection, true);
        assert.deepStrictEqual(
            restored?.securityGroupIds,
            h.world.home.instances.get(SOURCE)?.securityGroupIds,
            "restored with the source's settings",
        );
        assert.match(text(h), /projected data loss 4 min \(objective 30 min\)/);
        assert.ok(
            h.world.lines.includes(
                `  npm run dr -- restore db --cut-over --restored-instance ${TARGET} --simulate`,
            ),
            text(h),
        );
        assert.match(text(h), new RegExp(`clients still use ${SOURCE}, which is unchanged`));
        const [report] = reports(h);
        assert.strictEqual(report.outcome, "completed");
        assert.strictEqual(report.measurements.rto, undefined, "no RTO before the cut-over");
        assert.ok(report.measurements.notes.some((n) => n.includes("the cut-over run measures it")));
        assert.strictEqual(report.measurements.rpo?.minutes, 4);
        assert.deepStrictEqual(report.request, { "--restore-time": "latest", "--cut-over": "false" });
        assert.deepStrictEqual(instances(), [SOURCE, TARGET]);
        assertNothingDeleted(h.world);
    });

    it("restores to a chosen point, normalised to UTC, and says no RPO is claimed for a chosen point", async () => {
        assert.strictEqual(await run({ "restore-time": "2026-11-25T03:30:00+01:00" }), 0, text(h));
        assert.deepStrictEqual(changes(h), [
            `home rds restore ${SOURCE} -> ${TARGET} at 2026-11-25T02:30:00.000Z`,
        ]);
        assert.match(text(h), /projected data loss 30 min/);
        const [report] = reports(h);
        assert.strictEqual(report.measurements.rpo, undefined);
        assert.ok(
            report.measurements.notes.some((n) =>
                n.startsWith("no RPO: the restore point 2026-11-25T02:30:00.000Z was chosen"),
            ),
        );
    });

    it("refuses every bad value and contradiction before anything runs, writing nothing", async () => {
        const refused = async (values: OptionValues, message: RegExp | string) => {
            await assertRefused(h, () => run(values), message);
            assert.deepStrictEqual(h.world.calls, [], `${JSON.stringify(values)} reached the account`);
        };
        await refused(
            { "restore-time": "2026-11-25T02:30:00" },
            /--restore-time must be "latest" or an ISO-8601 instant with a zone.*got "2026-11-25T02:30:00"/,
        );
        await refused({ "restore-time": "yesterday" }, 'got "yesterday"');
        await refused({ "restore-time": "2026-02-31T00:00:00Z" }, 'got "2026-02-31T00:00:00Z"');
        await refused(
            { "restore-time": "2026-11-25T04:00:00Z" },
            /--restore-time must not be in the future \(now is 2026-11-25T03:00:00.000Z\)/,
        );
        await refused(
            { "restore-time": "2026-10-01T00:00:00Z" },
            /--restore-time must be inside the 35-day window of the primary database's point-in-time recovery \(webank:pitrRetentionDays\), after 2026-10-21T03:00:00.000Z/,
        );
        await refused(
            { "restored-instance": TARGET },
            `--restored-instance must be given with --cut-over only`,
        );
        await refused(
            { "cut-over": true, "restored-instance": TARGET, "restore-time": "latest" },
            "--restored-instance must not be given with --restore-time",
        );
        await refused(
            { "cut-over": true, "restored-instance": REPLACED },
            "--restored-instance must name an instance restore db made",
        );
        await refused(
            { "cut-over": true },
            /--cut-over must be given with --restored-instance .* or with --restore-time .*; got "--cut-over alone"/,
        );
        await refused({ "cut-over": "yes" }, '--cut-over must be given without a value; got "yes"');
        await refused({ "restore-time": 5 }, "--restore-time must be given a text value; got 5");
    });

    it("lists every problem of one command line at once", async () => {
        await assertRefused(
            h,
            () => run({ "restore-time": "3am", "restored-instance": "x" }),
            /--restore-time must .*\n.*--restored-instance must name .*\n.*--restored-instance must be given with --cut-over/,
        );
    });

    it("refuses a time after the latest restorable time RDS reports (exit 2), writing nothing", async () => {
        await assertRefused(
            h,
            () => run({ "restore-time": "2026-11-25T02:58:00Z" }),
            /--restore-time must be at most the latest restorable time of webank-db, 2026-11-25T02:56:00.000Z .*got "2026-11-25T02:58:00.000Z"/,
        );
    });

    it("stops before any change when the source is not available or the new identifier is taken (exit 1)", async () => {
        const source = h.world.home.instances.get(SOURCE)!;
        h.world.home.instances.set(SOURCE, { ...source, status: "storage-full" });
        assert.strictEqual(await run(), 1);
        assert.match(text(h), /webank-db in us-east-1 is "storage-full", not available/);
        h.world.home.instances.set(SOURCE, source);
        h.world.home.instances.set(TARGET, { ...source, identifier: TARGET });
        assert.strictEqual(await run(), 1);
        assert.match(text(h), new RegExp(`an instance named ${TARGET} already exists`));
        assert.deepStrictEqual(h.world.changes, []);
        assert.deepStrictEqual(filesUnder(h.dir), [], "a refused plan writes no journal");
    });

    it("a dry run checks and prints the plan and the cut-over to come, and writes nothing", async () => {
        assert.strictEqual(await run({ "dry-run": true }), 0, text(h));
        assert.deepStrictEqual(h.world.changes, []);
        assert.deepStrictEqual(filesUnder(h.dir), []);
        assert.match(text(h), /^DRY RUN: restore of webank-db \(us-east-1\) to the latest restorable time: /);
        assert.match(text(h), new RegExp(`preflight now: target ${TARGET};`));
        assert.match(
            text(h),
            new RegExp(
                `then, once the restored data is checked: npm run dr -- restore db --cut-over --restored-instance ${TARGET} --simulate`,
            ),
        );
    });

    it("asks before the restore; a no or no terminal changes nothing and writes nothing", async () => {
        const questions: string[] = [];
        const no = (q: string) => {
            questions.push(q);
            return Promise.resolve(false);
        };
        assert.strictEqual(await run({}, no), 2);
        assert.match(
            questions[0],
            new RegExp(
                `Restore ${SOURCE} \\(us-east-1\\) to the latest restorable time into a new instance ${TARGET}\\? This creates an instance`,
            ),
        );
        assert.strictEqual(await runWith(h, restoreDbDefinition, { yes: false }), 2);
        assert.match(text(h), /no terminal to ask on: pass --yes/);
        assert.deepStrictEqual(h.world.changes, []);
        assert.deepStrictEqual(filesUnder(h.dir), []);
    });

    it("a wait timeout stops with the resume command; the same command resumes without a second restore", async () => {
        h.world.failNext(
            "home.database.waitAvailable",
            new Error(`${TARGET} was not available after 90 minutes`),
        );
        assert.strictEqual(await run(), 1);
        assert.match(text(h), /step wait-available failed: .* was not available after 90 minutes/);
        assert.match(
            text(h),
            /resume with:\n {2}npm run dr -- restore db --restore-time latest --simulate --yes/,
        );
        assert.deepStrictEqual(journaled(h, OPERATION), ["preflight", "restore"]);
        assert.strictEqual(await run(), 0, text(h));
        assert.match(text(h), /resuming after 2 completed steps/);
        assert.deepStrictEqual(journaled(h, OPERATION), ["preflight", "restore", "wait-available", "verify"]);
        assert.strictEqual(changes(h).filter((c) => c.includes("rds restore")).length, 1);
        assert.strictEqual(archived(h, OPERATION).length, 1, "one run, resumed");
        assertNothingDeleted(h.world);
    });

    it("refuses other arguments over an unfinished restore, naming the difference and how to finish it", async () => {
        h.world.failNext(
            "home.database.waitAvailable",
            new Error(`${TARGET} was not available after 90 minutes`),
        );
        assert.strictEqual(await run(), 1);
        const before = [...h.world.changes];
        h.world.lines.length = 0;
        assert.strictEqual(await run({ "restore-time": "2026-11-25T02:30:00Z", "cut-over": true }), 2);
        assert.match(text(h), /--cut-over: the unfinished run has "false", this command has "true"/);
        assert.match(
            text(h),
            /--restore-time: the unfinished run has "latest", this command has "2026-11-25T02:30:00.000Z"/,
        );
        assert.match(
            text(h),
            /Finish it first with: npm run dr -- restore db --restore-time latest --simulate --yes/,
        );
        assert.deepStrictEqual(h.world.changes, before);
    });

    it("never resumes a finished restore: the same command later is a new run, into a new instance", async () => {
        assert.strictEqual(await run({ "restore-time": "2026-11-25T02:30:00Z" }), 0, text(h));
        h.clock = new Date("2026-11-25T03:07:00Z");
        assert.strictEqual(await run({ "restore-time": "2026-11-25T02:30:00Z" }), 0, text(h));
        assert.deepStrictEqual(
            changes(h).filter((c) => c.includes(" rds ")),
            [
                `home rds restore ${SOURCE} -> ${TARGET} at 2026-11-25T02:30:00.000Z`,
                `home rds restore ${SOURCE} -> webank-db-r202611250307 at 2026-11-25T02:30:00.000Z`,
            ],
        );
        const runs = archived(h, OPERATION);
        assert.strictEqual(runs.length, 2);
        assert.notStrictEqual(runs[0].runId, runs[1].runId);
        assert.deepStrictEqual(
            runs.map((r) => r.pins.target),
            [TARGET, "webank-db-r202611250307"],
        );
        assert.deepStrictEqual(instances(), [SOURCE, TARGET, "webank-db-r202611250307"]);
    });

    it("refuses a journal of another operation", async () => {
        const other = path.join(h.dir, ".journal", "simulated", "other.json");
        fs.mkdirSync(path.dirname(other), { recursive: true });
        const journal = {
            format: JOURNAL_FORMAT,
            runId: "failover-x",
            operation: "failover",
            simulated: true,
        };
        fs.writeFileSync(other, JSON.stringify(journal));
        assert.strictEqual(await run({ journal: other }), 2);
        assert.match(
            text(h),
            /--journal must name a journal of restore-db; got .*other\.json, a failover run \(failover-x\)/,
        );
        assert.deepStrictEqual(h.world.changes, []);
    });
});

describe("automation/commands/restore/database: the data of the restored instance", () => {
    let h: Harness;
    beforeEach(() => {
        h = harness("restore-db-data-");
    });
    afterEach(() => dispose(h));
    const run = (values: OptionValues = {}) => runWith(h, restoreDbDefinition, values);

    it("does not start the cut-over when the restored instance holds no heartbeat (an empty database)", async () => {
        setDatabaseData(h.world, "home", SOURCE, undefined);
        assert.strictEqual(await run({ "cut-over": true, "restore-time": "latest" }), 1, text(h));
        assert.match(
            text(h),
            /FAIL {2}verify: the data in webank-db-r202611250300 .*no webank_dr\.heartbeat table/,
        );
        assert.match(text(h), /The cut-over did NOT start: clients still use the source/);
        assert.ok(!changes(h).some((c) => c.includes("rename")), changes(h).join("\n"));
        assertNothingDeleted(h.world);
    });

    it("after a cut-over, the home writer beats into the restored instance, now named like the source", async () => {
        assert.strictEqual(await run({ "cut-over": true, "restore-time": "latest" }), 0, text(h));
        const data = databaseData(h.world, "home", SOURCE);
        assert.ok(
            data?.beats.some((s) => s.to === undefined),
            JSON.stringify(data),
        );
        const replaced = databaseData(h.world, "home", REPLACED);
        assert.ok(
            replaced?.beats.every((s) => s.to !== undefined),
            JSON.stringify(replaced),
        );
    });
});
