import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { drillCommand, DrillOptions, drillId } from "../../../automation/commands/drill";
import { drStackConfig } from "../../../automation/commands/failover/command";
import { Journal } from "../../../automation/run/journal";
import { RecoveryReport } from "../../../automation/run/report";
import { SEEDED_AGES_MINUTES, standardWorld } from "../../../automation/simulation/standard-world";
import { SimulatedWorld } from "../../../automation/simulation/world";

const NOW = new Date("2026-11-25T03:00:00Z");
const STACK = "dr-drill-d2611250300";
const DRILL_DB = "webank-drill-d2611250300-db-dr-1";

describe("automation/drill", () => {
    const config = drStackConfig();
    let dir: string;
    let world: SimulatedWorld;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "drill-"));
        world = standardWorld(config, { now: NOW });
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
    const run = (options: Partial<DrillOptions> = {}) =>
        drillCommand(
            {
                restoreTime: "latest",
                scope: "database",
                keep: false,
                dryRun: false,
                journalFile: path.join(dir, "drill.json"),
                reportDir: path.join(dir, "reports"),
                ...options,
            },
            world.ports(),
            config,
        );
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
        const [file] = fs.readdirSync(path.join(dir, "reports")).filter((f) => f.endsWith(".json"));
        const report = JSON.parse(fs.readFileSync(path.join(dir, "reports", file), "utf8")) as RecoveryReport;
        assert.strictEqual(report.operation, "drill");
        assert.strictEqual(report.achievedRpoMinutes, SEEDED_AGES_MINUTES.replicatedBackups);
        assert.strictEqual(typeof report.measuredRtoMinutes, "number");
        assert.match(text(), /drill complete: measured RTO 0 min, achieved RPO 4 min/);
    });

    it("keeps the drill stack with --keep, saying how to destroy it", async () => {
        assert.strictEqual(await run({ keep: true }), 0, text());
        assert.ok(world.dr.instances.has(DRILL_DB));
        assert.ok(!world.changes.some((c) => c.includes("destroy")));
        assert.match(text(), new RegExp(`pulumi destroy -s ${STACK}`));
    });

    it("prints its steps on --dry-run and changes nothing", async () => {
        assert.strictEqual(await run({ dryRun: true }), 0, text());
        assert.deepStrictEqual(world.changes, []);
        assert.match(text(), /DRY RUN: drill of webank in us-west-2 \(scope database\)/);
        assert.match(text(), /preflight now: point-in-time restore to latest restorable time/);
    });

    it("resumes after a failed verification without a second restore, then cleans up", async () => {
        world.failNext("dr.database.waitAvailable", new Error("not available after 90 minutes"));
        assert.strictEqual(await run(), 1);
        assert.match(text(), /run the same command again to resume/);
        assert.ok(world.dr.instances.has(DRILL_DB), "nothing removed on failure");
        untouched();
        assert.strictEqual(await run(), 0, text());
        assert.strictEqual(world.changes.filter((c) => c === `stack ${STACK} up`).length, 1);
        assert.ok(!world.dr.instances.has(DRILL_DB));
        assert.deepStrictEqual(
            Journal.open(path.join(dir, "drill.json"), "drill")
                .steps.map((s) => s.step)
                .slice(-2),
            ["destroy", "remove-stack"],
        );
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

    it("refuses a bad restore time before anything runs", async () => {
        assert.strictEqual(await run({ restoreTime: "last tuesday" }), 2);
        assert.deepStrictEqual(world.calls, []);
    });
});
