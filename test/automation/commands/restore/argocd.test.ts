import * as assert from "assert";
import { OptionValues } from "../../../../automation/commands/definition";
import { applicationsIn } from "../../../../automation/commands/restore/argocd/applications";
import { restoreArgocdDefinition } from "../../../../automation/commands/restore/argocd/definition";
import { SimulatedWorld } from "../../../../automation/simulation/world";
import { argocdExportPrefix } from "../../../../lib/artifacts";
import { bucketName, clusterName } from "../../../../lib/naming";
import { filesUnder } from "../../../support/commands";
import { assertNothingDeleted } from "../../../support/nothing-deleted";
import {
    archived,
    assertRefused,
    CONFIG,
    currentJournal,
    dispose,
    Harness,
    harness,
    NOW,
    reports,
    runWith,
    text,
} from "./support";

const OPERATION = "restore-argocd";
const PREFIX = argocdExportPrefix(clusterName(CONFIG.prefix, "primary"));
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
const RESUME = `kubectl -n argocd patch cronjob argocd-export --type=merge -p {"spec":{"suspend":false}} --context webank-dr`;

/** A cluster whose Applications appear when an export is imported; faults on demand. */
function cluster(world: SimulatedWorld) {
    const state = {
        applications: new Set<string>(),
        imports: [] as string[],
        failImports: 0,
        hideAfterImport: 0,
        exportSuspended: true,
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
    world.commandHandlers.set("kubectl -n argocd patch cronjob", () => {
        state.exportSuspended = false;
        return "cronjob.batch/argocd-export patched\n";
    });
    world.commandHandlers.set("kubectl -n argocd get applications", () => {
        const hidden = state.imports.length > 0 && state.hideAfterImport > 0;
        if (hidden) {
            state.hideAfterImport -= 1;
        }
        return hidden
            ? ""
            : [...state.applications].map((name) => `application.argoproj.io/${name}\n`).join("");
    });
    return state;
}

describe("automation/commands/restore/argocd", () => {
    let h: Harness;
    beforeEach(() => {
        h = harness("restore-argocd-");
    });
    afterEach(() => dispose(h));
    const run = (values: OptionValues = {}, confirm?: (q: string) => Promise<boolean>) =>
        runWith(h, restoreArgocdDefinition, { context: "webank-dr", ...values }, confirm);
    const artifacts = (region: string) => bucketName(CONFIG.prefix, "artifacts", h.world.accountId, region);
    const importsRun = () => h.world.commandsRun.filter((c) => c === IMPORT).length;
    /** The names of the Applications the seeded newest export holds (the simulation decides them). */
    const seededApplications = async () =>
        applicationsIn(
            (await h.world.ports().home.objects.getObject(artifacts(CONFIG.homeRegion), NEWEST)).toString(
                "utf8",
            ),
            NEWEST,
        ).map((a) => a.name);

    it("enables the stale-export alarm of the cluster a context ARN names, once its exports resume", async () => {
        cluster(h.world);
        const arn = "arn:aws:eks:us-west-2:123456789012:cluster/webank-dr";
        assert.strictEqual(await run({ context: arn }), 0, text(h));
        assert.deepStrictEqual(h.world.commandsRun.slice(-2), [
            RESUME.replace("--context webank-dr", `--context ${arn}`),
            "aws cloudwatch enable-alarm-actions --region us-west-2 --alarm-names webank-dr-argocd-export-stale",
        ]);
    });

    it("imports the newest export of the primary cluster on stdin and checks its Applications exist", async () => {
        const state = cluster(h.world);
        assert.strictEqual(await run(), 0, text(h));
        assert.deepStrictEqual(h.world.commandsRun, [LIST, IMPORT, LIST, RESUME]);
        assert.strictEqual(state.exportSuspended, false, "exports resume once the import is verified");
        // The context names no EKS cluster ARN: the operator is told how to enable the alarm.
        assert.ok(
            text(h).includes(
                "aws cloudwatch enable-alarm-actions --region <cluster region> --alarm-names <cluster name>-argocd-export-stale",
            ),
            text(h),
        );
        const seeded = await h.world.ports().home.objects.getObject(artifacts(CONFIG.homeRegion), NEWEST);
        assert.deepStrictEqual(state.imports, [seeded.toString("utf8")]);
        assert.ok(h.world.lines.some((l) => l.includes(NEWEST) && l.includes("10 min old (RPO 15 min)")));
        assert.ok(!h.world.lines.some((l) => l.startsWith("WARNING")));
        const names = await seededApplications();
        assert.ok(names.includes("platform"));
        assert.ok(
            text(h).includes(`all ${names.length} Applications of the export exist: ${names.join(", ")}`),
            text(h),
        );
        const [report] = reports(h);
        assert.strictEqual(report.measurements.rpo?.minutes, 10, "the export's age at the run's start");
        assert.strictEqual(report.measurements.rpo?.objectiveMinutes, CONFIG.objectives.gitops.rpoMinutes);
        assert.match(
            report.measurements.rto!.span,
            /^run start to every Application of the export on the cluster/,
        );
        assert.strictEqual(archived(h, OPERATION).length, 1);
        assertNothingDeleted(h.world);
    });

    it("imports against the simulation's own cluster tools (no injected handlers)", async () => {
        assert.strictEqual(await run({ context: "webank-primary" }), 0, text(h));
        const names = await seededApplications();
        assert.ok(text(h).includes(`all ${names.length} Applications of the export exist`), text(h));
        assertNothingDeleted(h.world);
    });

    it("imports an older export chosen with --export-key, warning that it is older than the RPO, never printing its secrets", async () => {
        h.world.home.put(
            artifacts(CONFIG.homeRegion),
            OLDER,
            OLDER_EXPORT,
            new Date(NOW.getTime() - 4 * 3600_000),
        );
        const state = cluster(h.world);
        assert.strictEqual(await run({ "export-key": OLDER }), 0, text(h));
        assert.deepStrictEqual(state.imports, [OLDER_EXPORT]);
        assert.ok(
            h.world.lines.some((l) => l.startsWith("WARNING: the Argo CD export is older than its RPO")),
        );
        assert.match(text(h), /all 2 Applications of the export exist: platform, payments/);
        assert.ok(!text(h).includes("not-a-real-token"), "the export's secrets are never printed");
        assert.strictEqual(reports(h)[0].measurements.rpo?.met, false);
    });

    it("reads the DR-region replica with --region dr", async () => {
        cluster(h.world);
        assert.strictEqual(await run({ region: "dr" }), 0, text(h));
        assert.ok(h.world.calls.includes("dr.objects.currentObjects"));
        assert.ok(!h.world.calls.some((c) => c.startsWith("home.objects")));
        assert.ok(h.world.lines.some((l) => l.includes(artifacts(CONFIG.drRegion))));
    });

    it("a dry run needs no --context, prints the export, the Applications and the steps, and writes nothing", async () => {
        cluster(h.world);
        assert.strictEqual(await runWith(h, restoreArgocdDefinition, { "dry-run": true }), 0, text(h));
        assert.match(text(h), /^DRY RUN: /);
        assert.match(text(h), /1\. import: argocd admin import/);
        assert.ok(
            text(h).includes(`has 0 of the ${(await seededApplications()).length} in namespace argocd now`),
        );
        assert.deepStrictEqual(h.world.commandsRun, ["kubectl -n argocd get applications -o name"]);
        assert.deepStrictEqual(h.world.changes, []);
        assert.deepStrictEqual(filesUnder(h.dir), []);
    });

    for (const [name, values, message] of [
        [
            "no --context",
            { context: undefined },
            "--context must name the kube context of the cluster to import Argo CD into",
        ],
        [
            "a context that looks like a flag",
            { context: "--all" },
            '--context must be a kube context name (no spaces, not starting with -); got "--all"',
        ],
        ["an unknown region", { region: "eu" }, '--region must be home or dr; got "eu"'],
        [
            "an unknown cluster role",
            { "from-cluster": "staging" },
            '--from-cluster must be primary or dr; got "staging"',
        ],
        [
            "an export key outside the prefix",
            { "export-key": "git-bundles/x.yaml" },
            `--export-key must be a key under ${PREFIX} ending in .yaml`,
        ],
        [
            "an export key of the other cluster",
            { "export-key": `${argocdExportPrefix("webank-dr")}x.yaml` },
            "--export-key must be a key under",
        ],
        [
            "an export key that does not exist",
            { "export-key": `${PREFIX}20200101T000000Z.yaml` },
            "--export-key must name an object under",
        ],
    ] as const) {
        it(`refuses ${name} before any change, writing nothing (exit 2)`, async () => {
            cluster(h.world);
            await assertRefused(h, () => run(values), message);
            assert.strictEqual(importsRun(), 0);
        });
    }

    it("asks before the import; a no, or no terminal, changes nothing and writes nothing", async () => {
        cluster(h.world);
        const questions: string[] = [];
        assert.strictEqual(await run({}, (q) => (questions.push(q), Promise.resolve(false))), 2);
        assert.match(questions[0], /Import Argo CD export .* into the cluster of kube context webank-dr\?/);
        assert.strictEqual(await run({ yes: false }, undefined), 2);
        assert.strictEqual(importsRun(), 0);
        assert.deepStrictEqual(filesUnder(h.dir), []);
    });

    it("stops with exit 1 when the import fails, and the same command resumes", async () => {
        const state = cluster(h.world);
        state.failImports = 1;
        assert.strictEqual(await run(), 1);
        assert.match(text(h), /step import failed: argocd admin import: connection refused/);
        assert.match(
            text(h),
            /resume with:\n {2}npm run dr -- restore argocd --region home --from-cluster primary --context webank-dr --simulate --yes/,
        );
        assert.strictEqual(await run(), 0, text(h));
        assert.strictEqual(state.imports.length, 1);
        assertNothingDeleted(h.world);
    });

    it("a resumed run keeps its export: a newer one appearing meanwhile is not imported", async () => {
        const state = cluster(h.world);
        state.hideAfterImport = 1;
        assert.strictEqual(await run(), 1);
        const names = await seededApplications();
        assert.ok(
            text(h).includes(
                `${names.length} of the ${names.length} Applications of the export are missing after the import: ${names.join(", ")}`,
            ),
            text(h),
        );
        assert.deepStrictEqual(currentJournal(h, OPERATION)?.pins.exportKey, NEWEST);
        assert.deepStrictEqual(
            currentJournal(h, OPERATION)?.steps.map((s) => s.step),
            ["import"],
        );
        assert.strictEqual(state.exportSuspended, true, "an unverified import leaves the export suspended");
        h.world.home.put(artifacts(CONFIG.homeRegion), `${PREFIX}20261125T025900Z.yaml`, OLDER_EXPORT, NOW);
        h.world.lines.length = 0;
        assert.strictEqual(await run(), 0, text(h));
        assert.strictEqual(importsRun(), 1, "not imported again");
        assert.match(text(h), /skip  import/);
        assert.ok(
            h.world.lines.some((l) => l.startsWith("Argo CD export:") && l.includes(NEWEST)),
            text(h),
        );
        assert.deepStrictEqual(state.imports.length, 1);
        assert.strictEqual(state.exportSuspended, false, "unsuspended after the resumed verification");
    });

    it("a resumed run keeps the version of its export: a new version of the same key is not read", async () => {
        cluster(h.world).hideAfterImport = 1;
        assert.strictEqual(await run(), 1);
        const pinned = currentJournal(h, OPERATION)?.pins.exportVersion;
        assert.ok(pinned, "the version is pinned");
        const names = await seededApplications();
        h.world.home.put(artifacts(CONFIG.homeRegion), NEWEST, OLDER_EXPORT, NOW);
        h.world.lines.length = 0;
        assert.strictEqual(await run(), 0, text(h));
        assert.ok(
            h.world.lines.some((l) => l.startsWith("Argo CD export:") && l.includes(`version ${pinned}`)),
            text(h),
        );
        assert.ok(
            text(h).includes(`all ${names.length} Applications of the export exist: ${names.join(", ")}`),
            text(h),
        );
    });

    it("refuses other arguments over an unfinished run, naming the difference", async () => {
        cluster(h.world).hideAfterImport = 1;
        assert.strictEqual(await run(), 1);
        h.world.lines.length = 0;
        assert.strictEqual(await run({ region: "dr" }), 2);
        assert.match(text(h), /--region: the unfinished run has "home", this command has "dr"/);
        assert.match(text(h), /Finish it first with: npm run dr -- restore argocd --region home/);
        assert.strictEqual(importsRun(), 1);
    });

    it("never resumes a finished run: the same command again is a new run and imports again", async () => {
        const state = cluster(h.world);
        assert.strictEqual(await run(), 0);
        h.clock = new Date("2026-11-25T03:02:00Z");
        assert.strictEqual(await run(), 0, text(h));
        assert.strictEqual(state.imports.length, 2);
        assert.strictEqual(archived(h, OPERATION).length, 2);
    });

    it("fails before any change when the chosen export holds no Application, or Argo CD is not installed (exit 1)", async () => {
        cluster(h.world);
        h.world.home.put(
            artifacts(CONFIG.homeRegion),
            `${PREFIX}20261125T025500Z.yaml`,
            "apiVersion: v1\nkind: ConfigMap\n",
            NOW,
        );
        assert.strictEqual(await run({ "export-key": `${PREFIX}20261125T025500Z.yaml` }), 1);
        assert.match(text(h), /holds no Argo CD Application/);
        h.world.commandHandlers.set("kubectl -n argocd get applications", () => {
            throw new Error('error: the server doesn\'t have a resource type "applications"');
        });
        assert.strictEqual(await run({ "export-key": NEWEST }), 1);
        assert.match(text(h), /Argo CD must be installed before its configuration is imported/);
        assert.strictEqual(importsRun(), 0);
        assert.deepStrictEqual(filesUnder(h.dir), []);
    });
});
