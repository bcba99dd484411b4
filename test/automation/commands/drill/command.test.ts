import * as assert from "assert";
import * as fs from "fs";
import { OptionValues } from "../../../../automation/commands/definition";
import { drStackConfig } from "../../../../automation/commands/dr-config";
import { drillDefinition } from "../../../../automation/commands/drill/definition";
import { drillId } from "../../../../automation/commands/drill/steps";
import { SEEDED_AGES_MINUTES, standardWorld } from "../../../../automation/simulation/standard-world";
import { SimulatedWorld } from "../../../../automation/simulation/world";
import { stopHeartbeatWriter } from "../../../../automation/simulation/data";
import { filesUnder, runDefinition } from "../../../support/commands";
import {
    archiveDir,
    archivedJournals,
    journalFile as journalFileOf,
    rehearsalReports,
} from "../../../support/journals";
import { useTempDir } from "../../../support/temp-dir";

const NOW = new Date("2026-11-25T03:00:00Z");
const STACK = "dr-drill-d2611250300";
const DRILL_DB = "webank-drill-d2611250300-db-dr-1";

describe("automation/commands/drill", () => {
    const config = drStackConfig();
    const dir = useTempDir("drill-");
    let world: SimulatedWorld;
    beforeEach(() => {
        world = standardWorld(config, { now: NOW });
    });
    const run = (values: OptionValues = {}) =>
        runDefinition(drillDefinition, { yes: true, ...values }, { world, config, workDir: dir() });
    const journalFile = () => journalFileOf(dir(), "drill");
    const text = () => world.lines.join("\n");
    const untouched = () => {
        assert.ok(
            !world.changes.some(
                (c) => c.startsWith("stack dr ") || c.startsWith("route53") || c.startsWith("lock"),
            ),
        );
        assert.deepStrictEqual(world.stacks.get("dr")!.config, {
            "webank:role": "dr",
            "webank:posture": "pilot",
            "webank:kubernetesAccess": config.platform.cluster.kubernetesAccess,
        });
    };

    it("names the drill from its start, inside the config's id limits", () => {
        assert.strictEqual(drillId("2026-11-25T03:00:00.000Z"), "d2611250300");
    });

    it("restores into its own stack, verifies, destroys it, and reports RTO and RPO", async () => {
        assert.strictEqual(await run(), 0, text());
        const [create, config_, up, destroy, remove] = world.changes.filter((c) => c.includes(STACK));
        assert.strictEqual(create, `workspace create ${STACK}`);
        assert.match(config_, /"webank:drill":"\{\\"id\\":\\"d2611250300\\",\\"scope\\":\\"database\\"\}"/);
        assert.strictEqual(up, `stack ${STACK} up`);
        assert.strictEqual(destroy, `stack ${STACK} destroy`);
        assert.strictEqual(remove, `workspace remove ${STACK}`);
        assert.ok(!world.dr.instances.has(DRILL_DB), "the drill's copy is gone");
        assert.ok(world.home.instances.has("webank-db"), "the primary is untouched");
        untouched();
        const [report] = rehearsalReports(dir());
        assert.strictEqual(report.operation, "drill");
        assert.strictEqual(report.measurements.rpo!.minutes, SEEDED_AGES_MINUTES.replicatedBackups);
        assert.strictEqual(report.measurements.rto!.objectiveMinutes, config.objectives.database.rtoMinutes);
        assert.match(text(), /drill complete: .*\n {2}measured RTO: 0 min .*\n {2}achieved RPO: 4 min/);
    });

    it("rehearses the DR-vault fallback honestly: the copy period as its RPO, the point's age", async () => {
        world.dr.replicatedBackups.clear();
        assert.strictEqual(await run(), 0, text());
        assert.match(
            text(),
            /WARNING: .*taken [^,]+, 50 min before now .*every 60 min, landing up to 240 min after its schedule, so its RPO is up to 300 min/,
        );
        const [report] = rehearsalReports(dir());
        assert.strictEqual(report.measurements.rpo!.minutes, SEEDED_AGES_MINUTES.recoveryPoints);
        assert.ok(
            report.measurements.notes.some((n) =>
                /DR-vault fallback: its RPO is up to the copy period plus the copy's delivery \(300 min\)/.test(
                    n,
                ),
            ),
            report.measurements.notes.join("\n"),
        );
    });

    it("keeps the drill stack with --keep, saying how to destroy it", async () => {
        assert.strictEqual(await run({ keep: true }), 0, text());
        assert.ok(!fs.existsSync(journalFile()), "the finished run is archived even when the stack is kept");
        assert.ok(world.dr.instances.has(DRILL_DB));
        assert.ok(!world.changes.some((c) => c.includes("destroy")));
        assert.match(text(), new RegExp(`pulumi destroy -s ${STACK}`));
    });

    it("prints its steps on --dry-run and changes nothing", async () => {
        assert.strictEqual(await run({ "dry-run": true }), 0, text());
        assert.deepStrictEqual(world.changes, []);
        assert.deepStrictEqual(filesUnder(dir()), []);
        assert.match(text(), /DRY RUN: DR drill of webank in us-west-2 \(scope database\)/);
        assert.match(text(), /preflight now: point-in-time restore to latest restorable time/);
    });

    it("resumes after a failed verification without a second restore, then cleans up", async () => {
        world.failNext("dr.database.waitAvailable", new Error("not available after 90 minutes"));
        assert.strictEqual(await run(), 1);
        assert.match(
            text(),
            /resume with:\n {2}npm run dr -- drill --restore-time latest --scope database --simulate --yes/,
        );
        assert.ok(world.dr.instances.has(DRILL_DB), "nothing removed on failure");
        untouched();
        assert.strictEqual(await run(), 0, text());
        assert.strictEqual(world.changes.filter((c) => c === `stack ${STACK} up`).length, 1);
        assert.ok(!world.dr.instances.has(DRILL_DB));
        const [archived] = archivedJournals(dir(), "drill");
        const done = archived.steps.map((s) => s.step);
        assert.deepStrictEqual(done.slice(-2), ["destroy", "remove-stack"]);
    });

    it("refuses to destroy a stack that is not marked as a drill", async () => {
        world.failNext("dr.database.waitAvailable", new Error("not available after 90 minutes"));
        assert.strictEqual(await run(), 1);
        delete world.stacks.get(STACK)!.config["webank:drill"];
        assert.strictEqual(await run(), 1);
        assert.match(text(), /stack dr-drill-d2611250300 is not a drill stack; a drill changes nothing else/);
        assert.ok(!world.changes.some((c) => c.includes("destroy")));
        assert.ok(world.dr.instances.has(DRILL_DB));
    });

    it("refuses a bad restore time or scope before anything runs", async () => {
        assert.strictEqual(await run({ "restore-time": "last tuesday" }), 2);
        assert.strictEqual(await run({ "restore-time": "2026-11-26T03:00:00Z" }), 2);
        assert.strictEqual(await run({ scope: "all" }), 2);
        assert.match(text(), /--restore-time must not be in the future/);
        assert.match(text(), /--scope must be one of database, full; got "all"/);
        assert.deepStrictEqual(world.calls, []);
        assert.deepStrictEqual(filesUnder(dir()), []);
    });

    it("never resumes a finished drill: a second one is a new run with its own stack", async () => {
        assert.strictEqual(await run(), 0, text());
        assert.strictEqual(await run(), 0, text());
        const created = world.changes.filter((c) => c.startsWith("workspace create"));
        assert.strictEqual(created.length, 2, created.join("; "));
        assert.strictEqual(filesUnder(archiveDir(dir(), "drill")).length, 2);
    });
});

describe("automation/commands/drill: the data of the drill's copy", () => {
    const config = drStackConfig();
    const dir = useTempDir("drill-data-");
    let world: SimulatedWorld;
    beforeEach(() => {
        world = standardWorld(config, { now: NOW });
    });
    const run = () => runDefinition(drillDefinition, { yes: true }, { world, config, workDir: dir() });
    const text = () => world.lines.join("\n");

    it("fails a drill whose copy holds stale data, and keeps the drill stack for examination", async () => {
        stopHeartbeatWriter(world, "home", "webank-db", new Date(NOW.getTime() - 3 * 3600_000));
        assert.strictEqual(await run(), 1, text());
        assert.match(text(), new RegExp(`FAIL  verify: the data in ${DRILL_DB} .*stale data`));
        assert.match(text(), new RegExp(`The drill stack ${STACK} is kept`));
        assert.ok(world.stacks.has(STACK), "the drill's copy is kept");
        assert.ok(!world.changes.some((c) => c.includes("destroy")), world.changes.join("\n"));
    });

    it("journals the newest heartbeat of a good copy and measures the achieved RPO from it", async () => {
        assert.strictEqual(await run(), 0, text());
        assert.match(
            text(),
            /achieved RPO: 4 min \(objective 30 min: met\), newest heartbeat in the restored database 2026-11-25T02:56:00\.000Z to the drill's start/,
        );
        assert.match(
            text(),
            /done {2}verify: .*data of webank: heartbeat: newest heartbeat 2026-11-25T02:56:00\.000Z/,
        );
    });
});
