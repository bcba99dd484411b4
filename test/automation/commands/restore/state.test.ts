import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { drStackConfig } from "../../../../automation/commands/failover/command";
import { Journal } from "../../../../automation/run/journal";
import {
    deploymentOf,
    restoreStateCommand,
    RestoreStateOptions,
} from "../../../../automation/commands/restore/state";
import { standardWorld, stateObjectKey } from "../../../../automation/simulation/standard-world";
import { SimulatedRegion, SimulatedWorld } from "../../../../automation/simulation/world";

const NOW = new Date("2026-11-25T03:00:00Z");
const ACCOUNT = "123456789012";
const KEY = stateObjectKey("primary");
const BACKUP_KEY = "stack-exports/primary/before-restore-20261125T030000Z.json";

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

describe("automation/restore/state", () => {
    const config = drStackConfig();
    let dir: string;
    let world: SimulatedWorld;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "restore-state-"));
        world = standardWorld(config, { now: NOW });
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const journalFile = () => path.join(dir, "restore-state.json");
    const run = (options: Partial<RestoreStateOptions> = {}) =>
        restoreStateCommand(
            // Most cases use the platform state bucket, where --region picks the copy.
            {
                stack: "primary",
                backend: "state",
                yes: true,
                dryRun: false,
                journalFile: journalFile(),
                ...options,
            },
            world.ports(),
            config,
        );
    const journaled = () => Journal.open(journalFile(), "restore-state").steps.map((s) => s.step);
    const output = () => world.lines.join("\n");
    const stateBucket = (region: SimulatedRegion) => `webank-state-${ACCOUNT}-${region.name}`;
    const artifactBucket = (region: SimulatedRegion) => `webank-artifacts-${ACCOUNT}-${region.name}`;
    const stored = (region: SimulatedRegion, bucket: string, key: string) =>
        region.buckets
            .get(bucket)
            ?.get(key)
            ?.map((v) => v.body.toString("utf8"));
    /** The corruption scenario: a good version (v4), then a corrupt one on top (v5, current). */
    const corruptAfterGoodVersion = (region: SimulatedRegion) => {
        region.put(stateBucket(region), KEY, GOOD_CHECKPOINT, new Date(NOW.getTime() - 10 * 60_000));
        region.put(stateBucket(region), KEY, '{"version": 3, "checkpoint": {"latest": {"resou', NOW);
    };
    const assertNoStateVersionLost = (region: SimulatedRegion, count: number) =>
        assert.strictEqual(stored(region, stateBucket(region), KEY)?.length, count);

    it("lists the versions newest first and changes nothing", async () => {
        assert.strictEqual(await run(), 0);
        const listed = world.lines.filter((l) => /^ {2}v\d/.test(l));
        assert.deepStrictEqual(
            listed.map((l) => l.trim().split(/\s+/)[0]),
            ["v3", "v2", "v1"],
        );
        assert.match(listed[0], /2026-11-25T02:40:00.000Z \(20 min ago\) {2}\d+ bytes {2}\(current\)/);
        assert.match(output(), /--version-id <version id> --dry-run/);
        assert.deepStrictEqual(world.changes, []);
        assert.ok(world.calls.includes("home.objects.listVersions"));
        assert.strictEqual(fs.existsSync(journalFile()), false);
    });

    it("restores a version: saves the present state first, imports the deployment, verifies the count", async () => {
        corruptAfterGoodVersion(world.home);
        const before = world.stacks.get("primary")!.deployment;
        assert.strictEqual(await run({ versionId: "v4" }), 0);
        assert.deepStrictEqual(world.changes, [
            `home s3 put s3://${artifactBucket(world.home)}/${BACKUP_KEY}`,
            "stack primary import",
        ]);
        assert.deepStrictEqual(stored(world.home, artifactBucket(world.home), BACKUP_KEY), [before]);
        const imported = JSON.parse(world.stacks.get("primary")!.deployment);
        assert.deepStrictEqual(imported, {
            version: 3,
            deployment: JSON.parse(GOOD_CHECKPOINT).checkpoint.latest,
        });
        assert.deepStrictEqual(journaled(), ["preflight", "backup", "import", "verify"]);
        assert.match(output(), /done  verify: primary exports 2 resources, as version v4/);
        assert.match(output(), /Next: pulumi refresh -s primary/);
        assertNoStateVersionLost(world.home, 5);
    });

    it("converts a checkpoint file into the export format and refuses what is not a Pulumi state", () => {
        assert.deepStrictEqual(deploymentOf(Buffer.from(GOOD_CHECKPOINT), "primary", "v4").deployment, {
            manifest: { time: "2026-11-25T02:00:00Z" },
            resources: [
                { urn: "urn:pulumi:primary::webank::pulumi:pulumi:Stack::webank-primary" },
                { urn: "b" },
            ],
        });
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

    it("refuses a version that is not valid JSON before any change", async () => {
        corruptAfterGoodVersion(world.home);
        const before = world.stacks.get("primary")!.deployment;
        assert.strictEqual(await run({ versionId: "v5" }), 2);
        assert.match(
            output(),
            /--version-id must name a version holding a Pulumi state file; got "v5", which is not valid JSON/,
        );
        assert.deepStrictEqual(world.changes, []);
        assert.strictEqual(world.stacks.get("primary")!.deployment, before);
        assert.strictEqual(fs.existsSync(journalFile()), false);
    });

    it("an unknown version id lists the available ones", async () => {
        assert.strictEqual(await run({ versionId: "v9" }), 2);
        assert.match(
            output(),
            /--version-id must be one of the versions of .*; got "v9". The versions are:\n {2}v3 .*\n {2}v2 .*\n {2}v1 /,
        );
        assert.deepStrictEqual(world.changes, []);
    });

    it("refuses a bad --stack, --region or --version-id, naming the flag and the value, before reaching AWS", async () => {
        assert.strictEqual(await run({ stack: "prod" }), 2);
        assert.match(output(), /--stack must be one of primary, dr; got "prod"/);
        assert.strictEqual(await run({ region: "eu" }), 2);
        assert.match(output(), /--region must be home \(the state bucket\) or dr \(its replica\); got "eu"/);
        assert.strictEqual(await run({ versionId: "v 1" }), 2);
        assert.match(output(), /--version-id must be an S3 version id .*; got "v 1"/);
        assert.deepStrictEqual(world.calls, []);
    });

    it("reads the DR replica with --region dr and keeps the backup in the DR region", async () => {
        corruptAfterGoodVersion(world.dr);
        assert.strictEqual(await run({ versionId: "v4", region: "dr" }), 0);
        assert.deepStrictEqual(world.changes, [
            `dr s3 put s3://${artifactBucket(world.dr)}/${BACKUP_KEY}`,
            "stack primary import",
        ]);
        assert.deepStrictEqual(
            world.calls.filter((c) => c.startsWith("home.")),
            [],
        );
        assert.ok(world.calls.includes("dr.objects.getObject"));
        assert.strictEqual(
            JSON.parse(world.stacks.get("primary")!.deployment).deployment.resources.length,
            2,
        );
        assert.match(output(), new RegExp(`s3://${stateBucket(world.dr)}/`));
    });

    it("a dry run checks the version and prints the plan; it changes nothing and writes no journal", async () => {
        corruptAfterGoodVersion(world.home);
        assert.strictEqual(await run({ versionId: "v4", dryRun: true, yes: false }), 0);
        assert.deepStrictEqual(world.changes, []);
        assert.strictEqual(fs.existsSync(journalFile()), false);
        assert.match(output(), /DRY RUN/);
        assert.match(output(), /version v4 of .* 2 resources\); backup to s3:\/\//);
        assert.match(output(), /the present state: 0 resources/);
    });

    it("without --yes and no terminal to ask on it changes nothing; a declined question neither", async () => {
        assert.strictEqual(await run({ versionId: "v2", yes: false }), 2);
        let asked = "";
        const confirm = (question: string) => {
            asked = question;
            return Promise.resolve(false);
        };
        assert.strictEqual(await run({ versionId: "v2", yes: false, confirm }), 1);
        assert.match(asked, new RegExp(`The present state is saved first to s3://.*/${BACKUP_KEY}`));
        assert.deepStrictEqual(world.changes, []);
    });

    it("an import failure stops after the backup; the re-run imports without a second backup", async () => {
        corruptAfterGoodVersion(world.home);
        world.failNext("stack.primary.importState", new Error("the stack is locked by another update"));
        assert.strictEqual(await run({ versionId: "v4" }), 1);
        assert.match(output(), /step import failed: the stack is locked/);
        assert.match(
            output(),
            /To resume: npm run dr -- restore state --stack primary --backend state --region home --version-id v4/,
        );
        assert.deepStrictEqual(journaled(), ["preflight", "backup"]);
        assertNoStateVersionLost(world.home, 5);

        assert.strictEqual(await run({ versionId: "v4" }), 0);
        assert.deepStrictEqual(world.changes, [
            `home s3 put s3://${artifactBucket(world.home)}/${BACKUP_KEY}`,
            "stack primary import",
        ]);
        assert.deepStrictEqual(journaled(), ["preflight", "backup", "import", "verify"]);
        assertNoStateVersionLost(world.home, 5);
    });

    it("saves the current state object when the corrupt state cannot be exported", async () => {
        corruptAfterGoodVersion(world.home);
        world.failNext("stack.primary.exportState", new Error("could not deserialize deployment"));
        assert.strictEqual(await run({ versionId: "v4" }), 0);
        assert.deepStrictEqual(stored(world.home, artifactBucket(world.home), BACKUP_KEY), [
            '{"version": 3, "checkpoint": {"latest": {"resou',
        ]);
        assert.match(output(), /saved the current object of s3:\/\/.* \(pulumi stack export failed/);
    });

    it("refuses another version over an unfinished run, naming the command that finishes it", async () => {
        world.failNext("stack.primary.importState", new Error("locked"));
        assert.strictEqual(await run({ versionId: "v2" }), 1);
        assert.strictEqual(await run({ versionId: "v1" }), 2);
        assert.match(
            output(),
            /--version-id must be v2 .* to finish the unfinished restore in .*done: preflight, backup\); got "v1".*Finish it first: npm run dr -- restore state --stack primary --backend state --region home --version-id v2/,
        );
        assert.strictEqual(world.changes.filter((c) => c.includes("import")).length, 0);
    });

    it("after a finished restore, the same command changes nothing and another version is a new run", async () => {
        assert.strictEqual(await run({ versionId: "v2" }), 0);
        const firstRun = Journal.open(journalFile(), "restore-state").runId;
        assert.strictEqual(await run({ versionId: "v2" }), 0);
        assert.match(
            output(),
            /records this restore \(version v2 into primary\) as complete; nothing was changed/,
        );
        assert.strictEqual(world.changes.length, 2);
        assert.strictEqual(await run({ versionId: "v1" }), 0);
        assert.ok(
            fs.existsSync(path.join(dir, `restore-state.${firstRun}.json`)),
            "the finished journal is kept",
        );
        assert.strictEqual(JSON.parse(world.stacks.get("primary")!.deployment).deployment.age, 60 * 24);
        assert.strictEqual(world.changes.filter((c) => c === "stack primary import").length, 2);
    });

    it("reads primary's own state from the bootstrap bucket in the DR region by default", async () => {
        const bootstrap = `webank-bootstrap-state-${ACCOUNT}`;
        world.dr.put(bootstrap, KEY, GOOD_CHECKPOINT, new Date(NOW.getTime() - 60 * 60_000));
        assert.strictEqual(await run({ backend: undefined }), 0, output());
        assert.match(
            output(),
            new RegExp(`Versions of s3://${bootstrap}/${KEY.replace(/\./g, "\\.")} \\(us-west-2\\)`),
        );
        assert.strictEqual(await run({ backend: undefined, region: "home" }), 2);
        assert.match(output(), /--region must not be set with --backend bootstrap/);
        assert.strictEqual(await run({ backend: "s3" }), 2);
        assert.match(output(), /--backend must be bootstrap .* got "s3"/);
        assert.deepStrictEqual(world.changes, []);
    });
});
