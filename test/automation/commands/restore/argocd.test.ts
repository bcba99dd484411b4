import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ARTIFACT_PREFIXES } from "../../../../lib/artifacts";
import { drStackConfig } from "../../../../automation/commands/failover/command";
import { Journal } from "../../../../automation/run/journal";
import {
    applicationsIn,
    restoreArgocdCommand,
    RestoreArgocdOptions,
} from "../../../../automation/commands/restore/argocd";
import { standardWorld } from "../../../../automation/simulation/standard-world";
import { SimulatedWorld } from "../../../../automation/simulation/world";
import { bucketName, clusterName } from "../../../../lib/naming";

const NOW = new Date("2026-11-25T03:00:00Z");
const config = drStackConfig();
const PREFIX = `${ARTIFACT_PREFIXES.argocdExports}${clusterName(config.prefix, "primary")}/`;
const NEWEST = `${PREFIX}20261125T024900Z.yaml`;
const OLDER = `${PREFIX}20261124T230000Z.yaml`;
const OLDER_EXPORT = [
    "apiVersion: argoproj.io/v1alpha1",
    "kind: Application",
    "metadata:",
    "  name: platform",
    "---",
    "apiVersion: argoproj.io/v1alpha1",
    "kind: Application",
    "metadata:",
    "  name: payments",
    "  namespace: argocd",
    "---",
    "apiVersion: v1",
    "kind: Secret",
    "metadata:",
    "  name: platform-repository",
    "stringData:",
    "  password: not-a-real-token",
    "",
].join("\n");
const IMPORT = "argocd admin import -n argocd - --context webank-dr";
const LIST = "kubectl -n argocd get applications -o name --context webank-dr";

/** A cluster whose Applications appear when an export is imported. */
function cluster(world: SimulatedWorld, initial: string[] = []) {
    const state = {
        applications: new Set(initial),
        imports: [] as string[],
        failImports: 0,
        hideAfterImport: 0,
    };
    world.commandHandlers.set("argocd admin import", (_args, stdin) => {
        if (state.failImports > 0) {
            state.failImports -= 1;
            throw new Error("argocd admin import: connection refused");
        }
        const text = String(stdin);
        state.imports.push(text);
        applicationsIn(text, "stdin").forEach((a) => state.applications.add(a.name));
        return "Application/platform created\n";
    });
    world.commandHandlers.set("kubectl -n argocd get applications", () => {
        const hidden = state.imports.length > 0 && state.hideAfterImport > 0;
        if (hidden) {
            state.hideAfterImport -= 1;
        }
        return [...state.applications]
            .filter(() => !hidden)
            .map((name) => `application.argoproj.io/${name}\n`)
            .join("");
    });
    return state;
}

describe("restore argocd", () => {
    let dir: string;
    let world: SimulatedWorld;
    let options: RestoreArgocdOptions;

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "restore-argocd-"));
        world = standardWorld(config, { now: NOW });
        options = {
            yes: true,
            dryRun: false,
            journalFile: path.join(dir, "journal.json"),
            context: "webank-dr",
        };
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const run = (extra: Partial<RestoreArgocdOptions> = {}) =>
        restoreArgocdCommand({ ...options, ...extra }, world.ports(), config);
    const artifacts = (region: string) => bucketName(config.prefix, "artifacts", world.accountId, region);
    const assertNothingDeleted = () => {
        assert.ok(
            !world.commandsRun.some((c) => /--prune|delete|uninstall/.test(c)),
            world.commandsRun.join("\n"),
        );
        assert.ok(!world.changes.some((c) => /delete|remove|destroy/.test(c)), world.changes.join("\n"));
    };

    it("imports the newest export of the primary cluster on stdin and checks its Applications exist", async () => {
        const state = cluster(world);
        assert.strictEqual(await run(), 0, world.lines.join("\n"));
        assert.deepStrictEqual(world.commandsRun, [LIST, IMPORT, LIST]);
        const seeded = await world.ports().home.objects.getObject(artifacts(config.homeRegion), NEWEST);
        assert.deepStrictEqual(state.imports, [seeded.toString("utf8")]);
        assert.deepStrictEqual(world.changes, []);
        assert.ok(world.lines.some((l) => l.includes(NEWEST) && l.includes("10 min old (RPO 15 min)")));
        assert.ok(!world.lines.some((l) => l.startsWith("WARNING")));
        assert.ok(world.lines.some((l) => l.includes("all 1 Applications of the export exist: platform")));
        assertNothingDeleted();
    });

    it("imports an older export chosen with --export-key, warning that it is older than the RPO", async () => {
        world.home.put(
            artifacts(config.homeRegion),
            OLDER,
            OLDER_EXPORT,
            new Date(NOW.getTime() - 4 * 3600_000),
        );
        const state = cluster(world);
        assert.strictEqual(await run({ exportKey: OLDER }), 0, world.lines.join("\n"));
        assert.deepStrictEqual(state.imports, [OLDER_EXPORT]);
        assert.ok(world.lines.some((l) => l.startsWith("WARNING: the Argo CD export is older than its RPO")));
        assert.ok(
            world.lines.some((l) => l.includes("all 2 Applications of the export exist: platform, payments")),
        );
        assert.ok(
            !world.lines.some((l) => l.includes("not-a-real-token")),
            "the export's secrets are never printed",
        );
    });

    it("reads the DR-region replica with --region dr", async () => {
        cluster(world);
        assert.strictEqual(await run({ region: "dr" }), 0, world.lines.join("\n"));
        assert.ok(world.calls.includes("dr.objects.newestObject"));
        assert.ok(!world.calls.some((c) => c.startsWith("home.objects")));
        assert.ok(world.lines.some((l) => l.includes(artifacts(config.drRegion))));
    });

    it("dry run prints the export, the Applications and the steps, and changes nothing", async () => {
        cluster(world);
        assert.strictEqual(await run({ dryRun: true, context: undefined }), 0, world.lines.join("\n"));
        assert.ok(world.lines[0].startsWith("DRY RUN:"));
        assert.ok(world.lines.some((l) => l.includes("1. import: argocd admin import")));
        assert.ok(world.lines.some((l) => l.includes("has 0 of the 1 in namespace argocd now")));
        assert.deepStrictEqual(world.commandsRun, ["kubectl -n argocd get applications -o name"]);
        assert.deepStrictEqual(world.changes, []);
        assert.ok(!fs.existsSync(options.journalFile!));
    });

    for (const [name, extra, flag] of [
        ["no --context", { context: undefined }, "--context must name the kube context"],
        ["a context that looks like a flag", { context: "--all" }, "--context must be a kube context name"],
        ["an unknown region", { region: "eu" as never }, '--region must be home or dr; got "eu"'],
        [
            "an unknown cluster role",
            { fromCluster: "staging" },
            '--from-cluster must be primary or dr; got "staging"',
        ],
        [
            "an export key outside the prefix",
            { exportKey: "git-bundles/x.yaml" },
            "--export-key must be a key under",
        ],
        [
            "an export key that does not exist",
            { exportKey: `${PREFIX}20200101T000000Z.yaml` },
            "--export-key must name an object",
        ],
    ] as const) {
        it(`refuses ${name} before any change (exit 2)`, async () => {
            cluster(world);
            assert.strictEqual(await run(extra), 2, world.lines.join("\n"));
            assert.ok(
                world.lines.some((l) => l.includes(flag)),
                world.lines.join("\n"),
            );
            assert.ok(!world.commandsRun.includes(IMPORT));
            assert.deepStrictEqual(world.changes, []);
            assert.ok(!fs.existsSync(options.journalFile!), "no journal is started");
        });
    }

    it("asks before the first change, and a no changes nothing", async () => {
        cluster(world);
        const questions: string[] = [];
        const confirm = (q: string) => {
            questions.push(q);
            return Promise.resolve(false);
        };
        assert.strictEqual(await run({ yes: false, confirm }), 1);
        assert.match(questions[0], /Import Argo CD export .* into the cluster of kube context webank-dr\?/);
        assert.ok(!world.commandsRun.includes(IMPORT));
        assert.strictEqual(await run({ yes: false }), 2, "no terminal and no --yes");
    });

    it("stops with exit 1 when the import fails, and the same command resumes", async () => {
        const state = cluster(world);
        state.failImports = 1;
        assert.strictEqual(await run(), 1);
        assert.ok(
            world.lines.some((l) =>
                l.includes("step import failed: argocd admin import: connection refused"),
            ),
        );
        assert.strictEqual(await run(), 0, world.lines.join("\n"));
        assert.strictEqual(state.imports.length, 1);
        assertNothingDeleted();
    });

    it("fails verification when an Application is missing after the import, and resumes without importing again", async () => {
        const state = cluster(world);
        state.hideAfterImport = 1;
        assert.strictEqual(await run(), 1);
        assert.ok(
            world.lines.some((l) =>
                l.includes("1 of the 1 Applications of the export are missing after the import: platform"),
            ),
            world.lines.join("\n"),
        );
        const journal = Journal.open(options.journalFile!, "restore-argocd");
        assert.ok(journal.isDone("import") && !journal.isDone("verify"));

        // A newer export appears meanwhile: the resumed run keeps the export it imported.
        world.home.put(artifacts(config.homeRegion), `${PREFIX}20261125T025900Z.yaml`, OLDER_EXPORT, NOW);
        assert.strictEqual(await run(), 0, world.lines.join("\n"));
        assert.strictEqual(world.commandsRun.filter((c) => c === IMPORT).length, 1);
        assert.ok(world.lines.some((l) => l.includes("skip  import")));
        assert.ok(world.lines.some((l) => l.includes(NEWEST)));
        assertNothingDeleted();
    });

    it("refuses to start another request over an unfinished run (exit 2)", async () => {
        const state = cluster(world);
        state.failImports = 1;
        assert.strictEqual(await run(), 1);
        assert.strictEqual(await run({ region: "dr" }), 2);
        assert.ok(world.lines.some((l) => l.includes("holds an unfinished restore-argocd run")));
    });

    it("keeps a finished run's journal and starts a new run", async () => {
        const state = cluster(world);
        assert.strictEqual(await run(), 0);
        assert.strictEqual(await run(), 0, world.lines.join("\n"));
        assert.strictEqual(state.imports.length, 2, "a new request imports again");
        const kept = fs.readdirSync(dir).filter((f) => f.startsWith("journal.restore-argocd-"));
        assert.strictEqual(kept.length, 1, fs.readdirSync(dir).join(", "));
    });

    it("fails before any change when the export holds no Application", async () => {
        cluster(world);
        const empty = `${PREFIX}20261125T025500Z.yaml`;
        world.home.put(artifacts(config.homeRegion), empty, "apiVersion: v1\nkind: ConfigMap\n", NOW);
        assert.strictEqual(await run(), 1);
        assert.ok(world.lines.some((l) => l.includes("holds no Argo CD Application")));
        assert.ok(!world.commandsRun.includes(IMPORT));
    });
    it("fails before any change when Argo CD is not installed on the cluster", async () => {
        cluster(world);
        world.commandHandlers.set("kubectl -n argocd get applications", () => {
            throw new Error('error: the server doesn\'t have a resource type "applications"');
        });
        assert.strictEqual(await run(), 1);
        assert.ok(
            world.lines.some((l) =>
                l.includes("Argo CD must be installed before its configuration is imported"),
            ),
        );
        assert.ok(!world.commandsRun.includes(IMPORT));
        assert.ok(!fs.existsSync(options.journalFile!));
    });
});
