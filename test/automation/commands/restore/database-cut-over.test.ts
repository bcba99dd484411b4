import * as assert from "assert";
import { OptionValues } from "../../../../automation/commands/definition";
import { restoreDbDefinition } from "../../../../automation/commands/restore/database/definition";
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
    reports,
    runWith,
    text,
} from "./support";

const SOURCE = "webank-db";
const TARGET = "webank-db-r202611250300";
const REPLACED = "webank-db-replaced-202611250300";
const OPERATION = "restore-db";
const CUT_OVER = { "cut-over": true, "restored-instance": TARGET };
const RESTORED = `home rds restore ${SOURCE} -> ${TARGET} at latest`;
const RENAMES = [`home rds rename ${SOURCE} -> ${REPLACED}`, `home rds rename ${TARGET} -> ${SOURCE}`];

/** Makes the `nth` rename of the account's RDS fail (the cut-over stopping between its two renames). */
function failRename(h: Harness, nth: number): void {
    const ports = h.world.ports.bind(h.world);
    let renames = 0;
    h.world.ports = () => {
        const real = ports();
        return {
            ...real,
            home: {
                ...real.home,
                database: {
                    ...real.home.database,
                    renameInstance: async (identifier: string, newIdentifier: string) => {
                        renames += 1;
                        if (renames === nth) {
                            throw new Error("Throttling: Rate exceeded");
                        }
                        await real.home.database.renameInstance(identifier, newIdentifier);
                    },
                },
            },
        };
    };
}

describe("automation/commands/restore/database: the cut-over", () => {
    let h: Harness;
    beforeEach(() => {
        h = harness("restore-db-cut-over-");
    });
    afterEach(() => dispose(h));
    const run = (values: OptionValues = {}, confirm?: (q: string) => Promise<boolean>) =>
        runWith(h, restoreDbDefinition, values, confirm);
    const instances = () => [...h.world.home.instances.keys()].sort();
    /** The restore, then time for the database owner to check the data before the cut-over. */
    const restoreThenCheck = async () => {
        assert.strictEqual(await run(), 0, text(h));
        h.clock = new Date("2026-11-25T03:20:00Z");
    };
    const rdsChanges = () => changes(h).filter((c) => c.includes(" rds "));
    const endpointOfSource = () => h.world.home.instances.get(SOURCE)?.endpoint;

    it("restore db, then --cut-over --restored-instance in a second run: renames, keeps the old one, measures RTO", async () => {
        const endpoint = endpointOfSource();
        await restoreThenCheck();
        assert.strictEqual(await run(CUT_OVER), 0, text(h));
        assert.deepStrictEqual(rdsChanges(), [RESTORED, ...RENAMES]);
        assert.deepStrictEqual(journaled(h, OPERATION), [
            "preflight-cut-over",
            "rename-source",
            "rename-restored",
            "verify-cut-over",
        ]);
        assert.strictEqual(archived(h, OPERATION).length, 2, "two runs, each archived when it finished");
        assert.strictEqual(h.world.home.instances.get(REPLACED)?.deletionProtection, true);
        assert.strictEqual(
            endpointOfSource(),
            endpoint,
            "the endpoint clients use now reaches the restored instance",
        );
        assert.match(text(h), /USER_RenameInstance/);
        assert.match(text(h), /pulumi refresh -s primary/);
        assert.match(
            text(h),
            new RegExp(
                `cut-over complete: ${SOURCE} is the restored database \\(it was ${TARGET}\\); ${REPLACED} is kept`,
            ),
        );
        const cutOver = reports(h)[1];
        assert.deepStrictEqual(cutOver.request, { "--cut-over": "true", "--restored-instance": TARGET });
        assert.match(
            cutOver.measurements.rto!.span,
            /^restore run start 2026-11-25T03:00:00.000Z \(the minute in the name webank-db-r202611250300\) to the restored database behind webank-db/,
        );
        assert.strictEqual(cutOver.measurements.rto!.minutes, 20, "the restore and the data check count");
        assert.deepStrictEqual(instances(), [SOURCE, REPLACED]);
        assertNothingDeleted(h.world);
    });

    it("--restore-time with --cut-over does both in one run, after one confirmation naming both", async () => {
        const questions: string[] = [];
        const yes = (q: string) => {
            questions.push(q);
            return Promise.resolve(true);
        };
        assert.strictEqual(
            await run({ "restore-time": "2026-11-25T02:30:00Z", "cut-over": true }, yes),
            0,
            text(h),
        );
        assert.strictEqual(questions.length, 1);
        assert.match(
            questions[0],
            new RegExp(
                `into a new instance ${TARGET}, and then cut over: rename ${SOURCE} to ${REPLACED} and ${TARGET} to ${SOURCE}\\?`,
            ),
        );
        assert.deepStrictEqual(changes(h), [
            `home rds restore ${SOURCE} -> ${TARGET} at 2026-11-25T02:30:00.000Z`,
            ...RENAMES,
        ]);
        assert.deepStrictEqual(journaled(h, OPERATION), [
            "preflight",
            "restore",
            "wait-available",
            "verify",
            "rename-source",
            "rename-restored",
            "verify-cut-over",
        ]);
        const [report] = reports(h);
        assert.strictEqual(
            report.measurements.rto?.span,
            `run start to the restored database behind ${SOURCE}`,
        );
        assert.strictEqual(
            report.measurements.rto?.objectiveMinutes,
            h.config.objectives.database.rtoMinutes,
        );
        assertNothingDeleted(h.world);
    });

    it("a cut-over stopped between the two renames says clients have no database; the same command completes it", async () => {
        await restoreThenCheck();
        failRename(h, 2);
        assert.strictEqual(await run(CUT_OVER), 1);
        assert.match(
            text(h),
            /step rename-restored failed: Throttling: Rate exceeded\. CLIENTS HAVE NO DATABASE: webank-db is renamed to webank-db-replaced-202611250300/,
        );
        assert.match(
            text(h),
            new RegExp(
                `aws rds modify-db-instance --region us-east-1 --db-instance-identifier ${TARGET} --new-db-instance-identifier ${SOURCE} --apply-immediately`,
            ),
        );
        assert.match(
            text(h),
            new RegExp(
                `resume with:\\n {2}npm run dr -- restore db --cut-over --restored-instance ${TARGET} --simulate --yes`,
            ),
        );
        assert.deepStrictEqual(
            currentJournal(h, OPERATION)?.steps.map((s) => s.step),
            ["preflight-cut-over", "rename-source"],
        );
        assert.deepStrictEqual(instances(), [TARGET, REPLACED]);

        const questions: string[] = [];
        const yes = (q: string) => {
            questions.push(q);
            return Promise.resolve(true);
        };
        assert.strictEqual(await run(CUT_OVER, yes), 0, text(h));
        assert.match(
            questions[0],
            /^Resume restore-db run .*The cut-over is half done: clients reach no database until/,
        );
        assert.deepStrictEqual(rdsChanges(), [RESTORED, ...RENAMES]);
        assert.deepStrictEqual(instances(), [SOURCE, REPLACED]);
        assertNothingDeleted(h.world);
    });

    it("a rename done but not journaled is not repeated: the resumed run sees it in RDS", async () => {
        await restoreThenCheck();
        h.world.failNext(
            "home.database.waitAvailable",
            new Error(`${REPLACED} was not available after 30 minutes`),
        );
        assert.strictEqual(await run(CUT_OVER), 1);
        assert.match(
            text(h),
            /step rename-source failed: .* was not available after 30 minutes\. CLIENTS HAVE NO DATABASE/,
        );
        assert.deepStrictEqual(
            currentJournal(h, OPERATION)?.steps.map((s) => s.step),
            ["preflight-cut-over"],
        );
        assert.strictEqual(await run(CUT_OVER), 0, text(h));
        assert.match(
            text(h),
            new RegExp(`done  rename-source: ${SOURCE} was already renamed to ${REPLACED}`),
        );
        assert.deepStrictEqual(rdsChanges(), [RESTORED, ...RENAMES], "each rename once");
        assertNothingDeleted(h.world);
    });

    it("refuses a restored instance that does not exist (exit 2) or is not available (exit 1), before any change", async () => {
        await assertRefused(
            h,
            () => run(CUT_OVER),
            new RegExp(
                `--restored-instance must name an instance that exists in us-east-1 .*; got "${TARGET}"`,
            ),
        );
        const source = h.world.home.instances.get(SOURCE)!;
        h.world.home.instances.set(TARGET, { ...source, identifier: TARGET, status: "creating" });
        assert.strictEqual(await run(CUT_OVER), 1);
        assert.match(text(h), new RegExp(`${TARGET} is "creating", not available`));
        assert.deepStrictEqual(h.world.changes, []);
        assert.deepStrictEqual(filesUnder(h.dir), []);
    });

    it("a second cut-over to the same instance is a new run, and is refused: the instance is gone (nothing renamed twice)", async () => {
        await restoreThenCheck();
        assert.strictEqual(await run(CUT_OVER), 0);
        h.clock = new Date("2026-11-25T03:30:00Z");
        const before = [...h.world.changes];
        h.world.lines.length = 0;
        assert.strictEqual(await run(CUT_OVER), 2);
        assert.match(text(h), /--restored-instance must name an instance that exists/);
        assert.deepStrictEqual(h.world.changes, before);
    });

    it("a dry run of the cut-over checks both instances and writes nothing", async () => {
        await restoreThenCheck();
        const written = filesUnder(h.dir);
        const before = [...h.world.changes];
        assert.strictEqual(await run({ ...CUT_OVER, "dry-run": true }), 0, text(h));
        assert.match(
            text(h),
            new RegExp(`preflight-cut-over now: ${TARGET} available at .*; ${REPLACED} is free`),
        );
        assert.match(text(h), new RegExp(`rename-source: rename ${SOURCE} to ${REPLACED}`));
        assert.deepStrictEqual(filesUnder(h.dir), written);
        assert.deepStrictEqual(h.world.changes, before);
    });
});
