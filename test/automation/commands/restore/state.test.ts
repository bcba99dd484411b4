import * as assert from "assert";
import { OptionValues } from "../../../../automation/commands/definition";
import { restoreStateDefinition } from "../../../../automation/commands/restore/state/definition";
import { deploymentOf } from "../../../../automation/commands/restore/state/deployment";
import { stateObjectKey } from "../../../../automation/simulation/standard-world";
import { SimulatedRegion } from "../../../../automation/simulation/world";
import { filesUnder } from "../../../support/commands";
import { assertNothingDeleted } from "../../../support/nothing-deleted";
import {
    archived,
    assertRefused,
    changes,
    dispose,
    Harness,
    harness,
    journaled,
    NOW,
    reports,
    runWith,
    text,
} from "./support";

const ACCOUNT = "123456789012";
const KEY = stateObjectKey("primary");
const BACKUP_KEY = "stack-exports/primary/before-restore-20261125T030000Z.json";
const OPERATION = "restore-state";

/** A good checkpoint with two resources, as the DIY backend writes it. */
const GOOD_CHECKPOINT = JSON.stringify({
    version: 3,
    checkpoint: {
        stack: "organization/webank/primary",
        config: {},
        latest: {
            manifest: { time: "2026-11-25T02:00:00Z" },
            resources: [
                { urn: "urn:pulumi:primary::webank::pulumi:pulumi:Stack::webank-primary" },
                { urn: "b" },
            ],
        },
    },
});

describe("automation/commands/restore/state", () => {
    let h: Harness;
    beforeEach(() => {
        h = harness("restore-state-");
    });
    afterEach(() => dispose(h));
    /** Most cases use the platform state bucket, where --region picks the copy. */
    const run = (values: OptionValues = {}, confirm?: (q: string) => Promise<boolean>) =>
        runWith(h, restoreStateDefinition, { backend: "state", ...values }, confirm);
    const stateBucket = (region: SimulatedRegion) => `webank-state-${ACCOUNT}-${region.name}`;
    const artifactBucket = (region: SimulatedRegion) => `webank-artifacts-${ACCOUNT}-${region.name}`;
    const stored = (region: SimulatedRegion, bucket: string, key: string) =>
        region.buckets
            .get(bucket)
            ?.get(key)
            ?.map((v) => v.body.toString("utf8"));
    const versionIds = (region: SimulatedRegion) =>
        (region.buckets.get(stateBucket(region))?.get(KEY) ?? []).map((v) => v.versionId);
    /** The corruption scenario: a good version, then a corrupt one on top (current); returns their ids. */
    const corruptAfterGoodVersion = (region: SimulatedRegion) => {
        region.put(stateBucket(region), KEY, GOOD_CHECKPOINT, new Date(NOW.getTime() - 10 * 60_000));
        region.put(stateBucket(region), KEY, '{"version": 3, "checkpoint": {"latest": {"resou', NOW);
        const ids = versionIds(region);
        return { good: ids[ids.length - 2], corrupt: ids[ids.length - 1] };
    };
    const deployment = () => h.world.stacks.get("primary")!.deployment;

    it("lists the versions newest first and changes nothing, writing nothing", async () => {
        assert.strictEqual(await run(), 0, text(h));
        const [oldest, middle, newest] = versionIds(h.world.home);
        const listed = h.world.lines.filter((l) => /^ {2}\S+ {2}\d{4}-/.test(l));
        assert.deepStrictEqual(
            listed.map((l) => l.trim().split(/\s+/)[0]),
            [newest, middle, oldest],
        );
        assert.match(listed[0], /2026-11-25T02:40:00.000Z \(20 min ago\) {2}\d+ bytes {2}\(current\)/);
        assert.match(
            text(h),
            /restore state --stack primary --backend state --region home --version-id <version id> --dry-run/,
        );
        assert.deepStrictEqual(h.world.changes, []);
        assert.deepStrictEqual(filesUnder(h.dir), []);
    });

    it("restores a version: saves the present state first, imports the deployment, verifies the count", async () => {
        const { good } = corruptAfterGoodVersion(h.world.home);
        const before = deployment();
        assert.strictEqual(await run({ "version-id": good }), 0, text(h));
        assert.deepStrictEqual(changes(h), [
            `home s3 put s3://${artifactBucket(h.world.home)}/${BACKUP_KEY}`,
            "stack primary import",
        ]);
        assert.deepStrictEqual(stored(h.world.home, artifactBucket(h.world.home), BACKUP_KEY), [before]);
        assert.deepStrictEqual(JSON.parse(deployment()), {
            version: 3,
            deployment: JSON.parse(GOOD_CHECKPOINT).checkpoint.latest,
        });
        assert.deepStrictEqual(journaled(h, OPERATION), ["preflight", "backup", "import", "verify"]);
        assert.match(text(h), new RegExp(`done  verify: primary exports 2 resources, as version ${good}`));
        assert.match(text(h), /Next: pulumi refresh -s primary/);
        assert.strictEqual(versionIds(h.world.home).length, 5, "no state version is lost");
        const [report] = reports(h);
        assert.strictEqual(
            report.measurements.rpo?.minutes,
            10,
            "the restored version's age at the run's start",
        );
        assert.strictEqual(report.measurements.rpo?.objectiveMinutes, h.config.objectives.state.rpoMinutes);
        assert.strictEqual(report.measurements.rto?.span, "run start to the restored state verified");
        assertNothingDeleted(h.world);
    });

    it("converts a checkpoint file into the export format and refuses what is not a Pulumi state", () => {
        assert.deepStrictEqual(
            deploymentOf(Buffer.from(GOOD_CHECKPOINT), "primary", "v4").deployment,
            JSON.parse(GOOD_CHECKPOINT).checkpoint.latest,
        );
        const exported = { version: 3, deployment: { resources: [] } };
        assert.deepStrictEqual(
            deploymentOf(Buffer.from(JSON.stringify(exported)), "primary", "v9"),
            exported,
        );
        const refusals: [string, RegExp][] = [
            ["not json", /got "vX", which is not valid JSON/],
            ['{"hello": 1}', /got "vX", which has no numeric "version"/],
            ['{"version": 3}', /got "vX", which has neither "checkpoint" nor "deployment"/],
            ['{"version": 3, "checkpoint": {"stack": "dr", "latest": {}}}', /is the state of stack "dr"/],
            ['{"version": 3, "checkpoint": {"stack": "primary"}}', /holds no deployment/],
        ];
        for (const [body, message] of refusals) {
            assert.throws(() => deploymentOf(Buffer.from(body), "primary", "vX"), message, body);
        }
    });

    it("refuses a version that is not a state, or not a version of the object, before any change (exit 2)", async () => {
        const { corrupt } = corruptAfterGoodVersion(h.world.home);
        const before = deployment();
        await assertRefused(
            h,
            () => run({ "version-id": corrupt }),
            `--version-id must name a version holding a Pulumi state file; got "${corrupt}", which is not valid JSON`,
        );
        await assertRefused(
            h,
            () => run({ "version-id": "v9" }),
            /--version-id must be one of the versions of .*; got "v9"\. The versions are:\n {2}\S+ .*\(current\)/,
        );
        assert.strictEqual(deployment(), before);
    });

    it("refuses bad values and contradictions, naming the flag and the value, before reaching AWS", async () => {
        const refused = async (values: OptionValues, message: string) => {
            await assertRefused(h, () => runWith(h, restoreStateDefinition, values), message);
            assert.deepStrictEqual(h.world.calls, []);
        };
        await refused({ stack: "prod" }, '--stack must be primary or dr; got "prod"');
        await refused(
            { backend: "state", region: "eu" },
            '--region must be home (the state bucket) or dr (its replica); got "eu"',
        );
        await refused(
            { "version-id": "v 1" },
            '--version-id must be an S3 version id (1-1024 characters, no spaces); got "v 1"',
        );
        await refused({ region: "home" }, "--region must not be set with --backend bootstrap");
        await refused(
            { backend: "bootstrap", region: "dr" },
            "--region must not be set with --backend bootstrap",
        );
        await refused(
            { backend: "s3" },
            '--backend must be bootstrap (the bucket holding primary and dr) or state (the platform state bucket); got "s3"',
        );
    });

    it("reads the DR replica with --region dr and keeps the backup in the DR region", async () => {
        const { good } = corruptAfterGoodVersion(h.world.dr);
        assert.strictEqual(await run({ "version-id": good, region: "dr" }), 0, text(h));
        assert.deepStrictEqual(changes(h), [
            `dr s3 put s3://${artifactBucket(h.world.dr)}/${BACKUP_KEY}`,
            "stack primary import",
        ]);
        assert.deepStrictEqual(
            h.world.calls.filter((c) => c.startsWith("home.")),
            [],
        );
        assert.match(
            text(h),
            /PULUMI_BACKEND_URL=s3:\/\/webank-state-123456789012-us-west-2\?region=us-west-2/,
        );
    });

    it("a dry run checks the version and prints the plan; it changes nothing and writes nothing", async () => {
        const { good } = corruptAfterGoodVersion(h.world.home);
        assert.strictEqual(await run({ "version-id": good, "dry-run": true }), 0, text(h));
        assert.deepStrictEqual(h.world.changes, []);
        assert.deepStrictEqual(filesUnder(h.dir), []);
        assert.match(text(h), /^DRY RUN: /);
        assert.match(text(h), new RegExp(`version ${good} of .* 2 resources\\); backup to s3://`));
        assert.match(text(h), /the present state: 0 resources/);
    });

    it("asks before the import; a no, or no terminal, changes nothing and writes nothing", async () => {
        const [, middle] = versionIds(h.world.home);
        let asked = "";
        assert.strictEqual(
            await run({ "version-id": middle }, (q) => ((asked = q), Promise.resolve(false))),
            2,
        );
        assert.match(asked, new RegExp(`The present state is saved first to s3://.*/${BACKUP_KEY}`));
        assert.strictEqual(
            await runWith(h, restoreStateDefinition, { backend: "state", "version-id": middle, yes: false }),
            2,
        );
        assert.deepStrictEqual(h.world.changes, []);
        assert.deepStrictEqual(filesUnder(h.dir), []);
    });

    it("an import failure stops after the backup; the resumed run, later, imports without a second backup", async () => {
        const { good } = corruptAfterGoodVersion(h.world.home);
        h.world.failNext("stack.primary.importState", new Error("the stack is locked by another update"));
        assert.strictEqual(await run({ "version-id": good }), 1);
        assert.match(text(h), /step import failed: the stack is locked/);
        assert.match(
            text(h),
            new RegExp(
                `resume with:\\n {2}npm run dr -- restore state --stack primary --backend state --region home --version-id ${good} --simulate --yes`,
            ),
        );
        assert.deepStrictEqual(journaled(h, OPERATION), ["preflight", "backup"]);
        h.clock = new Date("2026-11-25T03:09:00Z");
        assert.strictEqual(await run({ "version-id": good }), 0, text(h));
        assert.deepStrictEqual(
            changes(h).filter((c) => c.includes("stack-exports/") || c.startsWith("stack ")),
            [`home s3 put s3://${artifactBucket(h.world.home)}/${BACKUP_KEY}`, "stack primary import"],
            "the backup key is pinned: the resumed run does not save again",
        );
        assert.deepStrictEqual(journaled(h, OPERATION), ["preflight", "backup", "import", "verify"]);
    });

    it("a run whose save of the present state failed is not replaced by another version: it may have written", async () => {
        const [oldest, middle] = versionIds(h.world.home);
        h.world.failNext("home.objects.putObject", new Error("AccessDenied"));
        assert.strictEqual(await run({ "version-id": middle }), 1);
        assert.deepStrictEqual(journaled(h, OPERATION), ["preflight"]);
        assert.strictEqual(await run({ "version-id": oldest }), 2);
        assert.match(text(h), /--version-id: the unfinished run has /);
        assert.strictEqual(await run({ "version-id": middle }), 0, text(h));
        assert.strictEqual(changes(h).filter((c) => c === "stack primary import").length, 1);
    });

    it("saves the current state object when the corrupt state cannot be exported", async () => {
        const { good } = corruptAfterGoodVersion(h.world.home);
        h.world.failNext("stack.primary.exportState", new Error("could not deserialize deployment"));
        h.world.failNext("stack.primary.exportState", new Error("could not deserialize deployment"));
        assert.strictEqual(await run({ "version-id": good }), 0, text(h));
        assert.deepStrictEqual(stored(h.world.home, artifactBucket(h.world.home), BACKUP_KEY), [
            '{"version": 3, "checkpoint": {"latest": {"resou',
        ]);
        assert.match(text(h), /the present state: not exportable \(.*could not deserialize/);
        assert.match(text(h), /saved the current object of s3:\/\/.* \(pulumi stack export failed/);
    });

    it("refuses another version over an unfinished run, naming the difference; the listing names the run to resume", async () => {
        const [oldest, middle] = versionIds(h.world.home);
        h.world.failNext("stack.primary.importState", new Error("locked"));
        assert.strictEqual(await run({ "version-id": middle }), 1);
        h.world.lines.length = 0;
        assert.strictEqual(await run({ "version-id": oldest }), 2);
        assert.match(
            text(h),
            new RegExp(`--version-id: the unfinished run has "${middle}", this command has "${oldest}"`),
        );
        assert.match(
            text(h),
            new RegExp(
                `Finish it first with: npm run dr -- restore state .* --version-id ${middle} --simulate --yes`,
            ),
        );
        assert.strictEqual(changes(h).filter((c) => c.includes("import")).length, 0);
        h.world.lines.length = 0;
        assert.strictEqual(await run(), 0);
        assert.match(
            text(h),
            new RegExp(
                `An unfinished restore \\(run restore-state-.*\\) is in .*; resume it with: npm run dr -- restore state .*--version-id ${middle}`,
            ),
        );
    });

    it("never resumes a finished restore: the same command again is a new run and imports again", async () => {
        const [, middle] = versionIds(h.world.home);
        assert.strictEqual(await run({ "version-id": middle }), 0, text(h));
        h.clock = new Date("2026-11-25T03:05:00Z");
        assert.strictEqual(await run({ "version-id": middle }), 0, text(h));
        assert.strictEqual(changes(h).filter((c) => c === "stack primary import").length, 2);
        const runs = archived(h, OPERATION);
        assert.strictEqual(runs.length, 2);
        assert.notStrictEqual(runs[0].runId, runs[1].runId);
        assert.notStrictEqual(
            runs[0].pins.backupKey,
            runs[1].pins.backupKey,
            "each run saves the state it replaces",
        );
    });

    it("reads primary's own state from the bootstrap bucket in the DR region by default", async () => {
        assert.strictEqual(await runWith(h, restoreStateDefinition, {}), 0, text(h));
        assert.match(
            text(h),
            new RegExp(
                `Versions of s3://webank-bootstrap-state-${ACCOUNT}/${KEY.replace(/\./g, "\\.")} \\(us-west-2\\)`,
            ),
        );
        assert.deepStrictEqual(
            h.world.calls.filter((c) => c.startsWith("home.")),
            [],
        );
        assert.deepStrictEqual(h.world.changes, []);
    });
});
