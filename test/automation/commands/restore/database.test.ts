import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseRestoreTime } from "../../../../automation/commands/times";
import { drStackConfig } from "../../../../automation/commands/failover/command";
import { Journal } from "../../../../automation/run/journal";
import { RecoveryPorts } from "../../../../automation/ports";
import {
    restoreDatabaseCommand,
    RestoreDatabaseOptions,
    restoreNames,
} from "../../../../automation/commands/restore/database";
import { standardWorld } from "../../../../automation/simulation/standard-world";
import { SimulatedWorld } from "../../../../automation/simulation/world";

const NOW = new Date("2026-11-25T03:00:00Z");
const SOURCE = "webank-db";
const TARGET = "webank-db-r202611250300";
const REPLACED = "webank-db-replaced-202611250300";

describe("automation/restore/database", () => {
    const config = drStackConfig();
    let dir: string;
    let world: SimulatedWorld;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "restore-db-"));
        world = standardWorld(config, { now: NOW });
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const journalFile = () => path.join(dir, "restore-db.json");
    const run = (options: Partial<RestoreDatabaseOptions> = {}, ports: RecoveryPorts = world.ports()) =>
        restoreDatabaseCommand(
            { restoreTime: "latest", yes: true, dryRun: false, journalFile: journalFile(), ...options },
            ports,
            config,
        );
    const journaled = () => Journal.open(journalFile(), "restore-db").steps.map((s) => s.step);
    const output = () => world.lines.join("\n");
    const instances = () => [...world.home.instances.keys()].sort();
    /** Nothing deleted: no deleting change, and every instance that held data is still there. */
    const assertNothingDeleted = (expected: string[]) => {
        assert.deepStrictEqual(
            world.changes.filter((c) => /delete|destroy|remove/.test(c)),
            [],
        );
        assert.deepStrictEqual(instances(), [...expected].sort());
    };
    /** Ports whose n-th rename fails (the cut-over stopping between its two renames). */
    const failingRename = (failing: number): RecoveryPorts => {
        const ports = world.ports();
        let renames = 0;
        return {
            ...ports,
            home: {
                ...ports.home,
                database: {
                    ...ports.home.database,
                    renameInstance: async (identifier, newIdentifier) => {
                        renames += 1;
                        if (renames === failing) {
                            throw new Error("Throttling: Rate exceeded");
                        }
                        await ports.home.database.renameInstance(identifier, newIdentifier);
                    },
                },
            },
        };
    };

    it("names the new and the replaced instance after the run's start minute", () => {
        assert.deepStrictEqual(restoreNames("webank", NOW), {
            source: SOURCE,
            target: TARGET,
            replaced: REPLACED,
        });
    });

    it("parses --restore-time: latest, or an instant with a zone (normalised to UTC)", () => {
        assert.strictEqual(parseRestoreTime("latest"), "latest");
        assert.deepStrictEqual(
            parseRestoreTime("2026-11-25T03:30:00+01:00"),
            new Date("2026-11-25T02:30:00Z"),
        );
        for (const bad of [
            "yesterday",
            "2026-11-25T02:30:00",
            "2026-02-31T00:00:00Z",
            "2026-11-25 02:30Z",
            "",
        ]) {
            assert.throws(
                () => parseRestoreTime(bad),
                (e: Error) => e.message.includes(`got "${bad}"`),
                bad,
            );
        }
    });

    it("restores the latest point into a new instance, verifies it, and prints the exact cut-over command", async () => {
        assert.strictEqual(await run(), 0);
        assert.deepStrictEqual(world.changes, [`home rds restore ${SOURCE} -> ${TARGET} at latest`]);
        assert.deepStrictEqual(journaled(), ["preflight", "restore", "wait-available", "verify"]);
        const restored = world.home.instances.get(TARGET);
        assert.strictEqual(restored?.deletionProtection, true);
        assert.strictEqual(restored?.securityGroupIds[0], "sg-0db", "restored with the source's settings");
        assert.match(output(), /projected data loss 4 min \(objective 5 min\)/);
        assert.ok(
            world.lines.includes(
                `  npm run dr -- restore db --restore-time latest --cut-over --journal ${journalFile()} --yes`,
            ),
            output(),
        );
        assertNothingDeleted([SOURCE, TARGET]);
    });

    it("cuts over: renames the source away (kept) and the restored one to the source identifier", async () => {
        const time = "2026-11-25T02:30:00Z";
        assert.strictEqual(await run({ restoreTime: time, cutOver: true }), 0);
        assert.deepStrictEqual(world.changes, [
            `home rds restore ${SOURCE} -> ${TARGET} at 2026-11-25T02:30:00.000Z`,
            `home rds rename ${SOURCE} -> ${REPLACED}`,
            `home rds rename ${TARGET} -> ${SOURCE}`,
        ]);
        assert.deepStrictEqual(journaled(), [
            "preflight",
            "restore",
            "wait-available",
            "verify",
            "rename-source",
            "rename-restored",
            "verify-cut-over",
        ]);
        assert.strictEqual(world.home.instances.get(REPLACED)?.deletionProtection, true);
        assert.strictEqual(
            world.home.instances.get(SOURCE)?.endpoint,
            `${SOURCE}.sim.${config.homeRegion}.rds.amazonaws.com:5432`,
            "the endpoint clients use now reaches the restored instance",
        );
        assert.match(output(), /projected data loss 30 min/);
        assert.match(output(), /USER_RenameInstance/);
        assert.match(output(), /pulumi refresh -s primary/);
        assertNothingDeleted([REPLACED, SOURCE]);
    });

    it("a dry run checks and prints the plan, changes nothing and writes no journal", async () => {
        assert.strictEqual(await run({ dryRun: true, cutOver: true, yes: false }), 0);
        assert.deepStrictEqual(world.changes, []);
        assert.strictEqual(fs.existsSync(journalFile()), false);
        assert.match(output(), /DRY RUN/);
        assert.match(output(), new RegExp(`target ${TARGET};`));
        assert.match(output(), new RegExp(`rename-source: rename ${SOURCE} to ${REPLACED}`));
        assert.match(output(), /projected data loss 4 min/);
    });

    it("refuses a malformed --restore-time before reaching AWS", async () => {
        assert.strictEqual(await run({ restoreTime: "2026-11-25T02:30:00" }), 2);
        assert.match(
            output(),
            /--restore-time must be "latest" or an ISO-8601 instant with a zone.*got "2026-11-25T02:30:00"/,
        );
        assert.deepStrictEqual(world.calls, []);
        assert.strictEqual(fs.existsSync(journalFile()), false);
    });

    it("refuses a time outside the restorable window, naming the window, with no change", async () => {
        for (const time of ["2026-11-25T02:58:00Z", "2026-10-01T00:00:00Z"]) {
            world.lines.length = 0;
            assert.strictEqual(await run({ restoreTime: time }), 2, time);
            assert.match(
                output(),
                new RegExp(
                    `--restore-time must be inside the restorable window of ${SOURCE} \\(2026-10-21T03:00:00.000Z to 2026-11-25T02:56:00.000Z.*got "${time}"`,
                ),
            );
        }
        assert.deepStrictEqual(world.changes, []);
        assert.strictEqual(fs.existsSync(journalFile()), false);
    });

    it("refuses when the source is not available, or the new identifier is taken, with no change", async () => {
        const source = world.home.instances.get(SOURCE)!;
        world.home.instances.set(SOURCE, { ...source, status: "storage-full" });
        assert.strictEqual(await run(), 1);
        assert.match(output(), /webank-db in us-east-1 is "storage-full", not available/);
        world.home.instances.set(SOURCE, source);
        world.home.instances.set(TARGET, { ...source, identifier: TARGET });
        assert.strictEqual(await run(), 1);
        assert.match(output(), new RegExp(`an instance named ${TARGET} already exists`));
        assert.deepStrictEqual(world.changes, []);
    });

    it("asks before the restore and before the cut-over; without a terminal or --yes it changes nothing", async () => {
        assert.strictEqual(await run({ yes: false, cutOver: true }), 2);
        assert.match(output(), /pass --yes/);
        assert.deepStrictEqual(world.changes, []);

        const questions: string[] = [];
        const confirm = (question: string) => {
            questions.push(question);
            return Promise.resolve(questions.length === 1);
        };
        assert.strictEqual(await run({ yes: false, cutOver: true, confirm }), 1);
        assert.strictEqual(questions.length, 2);
        assert.match(questions[0], new RegExp(`into a new instance ${TARGET}`));
        assert.match(questions[1], new RegExp(`rename ${SOURCE} to ${REPLACED} and ${TARGET} to ${SOURCE}`));
        assert.deepStrictEqual(world.changes, [`home rds restore ${SOURCE} -> ${TARGET} at latest`]);
        assertNothingDeleted([SOURCE, TARGET]);
    });

    it("a wait timeout stops with what to do; the re-run resumes without a second restore", async () => {
        world.failNext(
            "home.database.waitAvailable",
            new Error(
                `${TARGET} was not available after 90 minutes; check it with: aws rds describe-db-instances --region us-east-1 --db-instance-identifier ${TARGET}`,
            ),
        );
        assert.strictEqual(await run(), 1);
        assert.match(
            output(),
            /step wait-available failed: .* was not available after 90 minutes; check it with: aws rds/,
        );
        assert.match(output(), /To resume: npm run dr -- restore db --restore-time latest --journal/);
        assert.deepStrictEqual(journaled(), ["preflight", "restore"]);
        assertNothingDeleted([SOURCE, TARGET]);

        assert.strictEqual(await run(), 0);
        assert.deepStrictEqual(journaled(), ["preflight", "restore", "wait-available", "verify"]);
        assert.strictEqual(world.changes.filter((c) => c.includes("rds restore")).length, 1);
        assertNothingDeleted([SOURCE, TARGET]);
    });

    it("a cut-over stopped between the two renames says clients have no database; the re-run completes it", async () => {
        assert.strictEqual(await run(), 0);
        assert.strictEqual(await run({ cutOver: true }, failingRename(2)), 1);
        assert.match(output(), /CLIENTS HAVE NO DATABASE/);
        assert.match(output(), /--cut-over/);
        assert.deepStrictEqual(journaled().slice(-1), ["rename-source"]);
        assertNothingDeleted([REPLACED, TARGET]);

        assert.strictEqual(await run({ cutOver: true }), 0);
        assert.deepStrictEqual(world.changes, [
            `home rds restore ${SOURCE} -> ${TARGET} at latest`,
            `home rds rename ${SOURCE} -> ${REPLACED}`,
            `home rds rename ${TARGET} -> ${SOURCE}`,
        ]);
        assert.deepStrictEqual(journaled().slice(-3), [
            "rename-source",
            "rename-restored",
            "verify-cut-over",
        ]);
        assertNothingDeleted([REPLACED, SOURCE]);
    });

    it("a rename done but not journaled is not repeated: the re-run sees it in RDS", async () => {
        assert.strictEqual(await run(), 0);
        world.failNext(
            "home.database.waitAvailable",
            new Error(`${REPLACED} was not available after 30 minutes`),
        );
        assert.strictEqual(await run({ cutOver: true }), 1);
        assert.deepStrictEqual(journaled().slice(-1), ["verify"]);
        assert.ok(world.home.instances.has(REPLACED));
        assertNothingDeleted([REPLACED, TARGET]);

        assert.strictEqual(await run({ cutOver: true }), 0);
        assert.strictEqual(
            world.changes.filter((c) => c === `home rds rename ${SOURCE} -> ${REPLACED}`).length,
            1,
        );
        assertNothingDeleted([REPLACED, SOURCE]);
    });

    it("refuses another --restore-time over an unfinished run, naming the command that finishes it", async () => {
        world.failNext(
            "home.database.waitAvailable",
            new Error(`${TARGET} was not available after 90 minutes`),
        );
        assert.strictEqual(await run(), 1);
        assert.strictEqual(await run({ restoreTime: "2026-11-25T02:30:00Z", cutOver: true }), 2);
        assert.match(
            output(),
            /--restore-time must be latest to finish the unfinished restore in .*done: preflight, restore\); got "2026-11-25T02:30:00Z". Finish it first: npm run dr -- restore db --restore-time latest --journal/,
        );
        assert.strictEqual(world.changes.length, 1);
        assertNothingDeleted([SOURCE, TARGET]);
    });

    it("a restore to another point after a verified one is a new run; the earlier journal and instance are kept", async () => {
        assert.strictEqual(await run({ restoreTime: "2026-11-25T02:30:00Z" }), 0);
        const firstRun = Journal.open(journalFile(), "restore-db").runId;
        const later = new Date("2026-11-25T03:07:00Z");
        const ports = { ...world.ports(), now: () => later };
        assert.strictEqual(await run({ restoreTime: "2026-11-25T02:10:00Z" }, ports), 0);
        assert.ok(
            fs.existsSync(path.join(dir, `restore-db.${firstRun}.json`)),
            "the settled journal is kept",
        );
        assert.deepStrictEqual(world.changes, [
            `home rds restore ${SOURCE} -> ${TARGET} at 2026-11-25T02:30:00.000Z`,
            `home rds restore ${SOURCE} -> webank-db-r202611250307 at 2026-11-25T02:10:00.000Z`,
        ]);
        assertNothingDeleted([SOURCE, TARGET, "webank-db-r202611250307"]);
    });

    it("the same command after a completed cut-over changes nothing", async () => {
        assert.strictEqual(await run({ cutOver: true }), 0);
        const changes = [...world.changes];
        assert.strictEqual(await run({ cutOver: true }), 0);
        assert.strictEqual(await run(), 0);
        assert.deepStrictEqual(world.changes, changes);
        assert.match(output(), /records this restore as complete, cut-over included/);
    });

    it("refuses a journal of another operation", async () => {
        fs.writeFileSync(
            journalFile(),
            JSON.stringify({ runId: "failover-x", operation: "failover", startedAt: "x", steps: [] }),
        );
        assert.strictEqual(await run(), 2);
        assert.match(
            output(),
            /--journal must name a journal of restore-db: journal .* belongs to a failover run/,
        );
        assert.deepStrictEqual(world.changes, []);
    });
});
