import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { drStackConfig } from "../../../../automation/commands/failover/command";
import { Journal } from "../../../../automation/run/journal";
import {
    HelmRevision,
    parseHistory,
    parseStatus,
    restoreHelmCommand,
    RestoreHelmOptions,
} from "../../../../automation/commands/restore/helm";
import { standardWorld } from "../../../../automation/simulation/standard-world";
import { SimulatedWorld } from "../../../../automation/simulation/world";

const NOW = new Date("2026-11-25T03:00:00Z");
const config = drStackConfig();
const SUFFIX = "-n argocd --kube-context webank-primary";
const HISTORY = `helm history argocd -o json ${SUFFIX}`;
const ROLLBACK = `helm rollback argocd 2 ${SUFFIX} --wait --timeout 10m`;
const STATUS = `helm status argocd -o json ${SUFFIX}`;
/** Never printed: `helm status -o json` carries the release's values. */
const VALUE_SECRET = "oidc-client-secret-value";

/** A Helm release with three revisions, the newest the bad upgrade; `helm rollback` behaves as Helm's. */
function helmTools(world: SimulatedWorld) {
    const revision = (n: number, status: string, chart: string, description: string): HelmRevision => ({
        revision: n,
        updated: `2026-11-2${n}T10:00:00Z`,
        status,
        chart,
        app_version: chart.replace("argo-cd-", "v"),
        description,
    });
    const state = {
        history: [
            revision(1, "superseded", "argo-cd-9.0.0", "Install complete"),
            revision(2, "superseded", "argo-cd-9.1.0", "Upgrade complete"),
            revision(3, "deployed", "argo-cd-9.2.0", "Upgrade complete"),
        ],
        failRollbacks: 0,
        rollbackDoesNothing: false,
        statusFailsOnce: false,
        missing: false,
    };
    const newest = () => state.history[state.history.length - 1];
    world.commandHandlers.set("helm history", () => {
        if (state.missing) {
            throw new Error("helm history argocd: Error: release: not found");
        }
        return JSON.stringify(state.history);
    });
    world.commandHandlers.set("helm rollback", (args) => {
        if (state.failRollbacks > 0) {
            state.failRollbacks -= 1;
            throw new Error("helm rollback: Error: context deadline exceeded");
        }
        if (!state.rollbackDoesNothing) {
            const target = Number(args[2]);
            state.history = state.history.map((r) => ({ ...r, status: "superseded" }));
            const from = state.history.find((r) => r.revision === target)!;
            state.history.push({
                ...from,
                revision: newest().revision + 1,
                status: "deployed",
                description: `Rollback to ${target}`,
            });
        }
        return "Rollback was a success! Happy Helming!\n";
    });
    world.commandHandlers.set("helm status", () => {
        const current = newest();
        const status = state.statusFailsOnce ? "pending-rollback" : current.status;
        state.statusFailsOnce = false;
        return JSON.stringify({
            name: "argocd",
            namespace: "argocd",
            version: current.revision,
            info: { status, description: current.description, last_deployed: current.updated },
            config: { configs: { secret: { oidcClientSecret: VALUE_SECRET } } },
        });
    });
    return state;
}

describe("restore helm", () => {
    let dir: string;
    let world: SimulatedWorld;
    let options: RestoreHelmOptions;

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "restore-helm-"));
        world = standardWorld(config, { now: NOW });
        options = {
            yes: true,
            dryRun: false,
            journalFile: path.join(dir, "journal.json"),
            release: "argocd",
            namespace: "argocd",
            revision: 2,
            context: "webank-primary",
        };
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const run = (extra: Partial<RestoreHelmOptions> = {}) =>
        restoreHelmCommand({ ...options, ...extra }, world.ports(), config);
    const assertNothingDeleted = () => {
        assert.ok(
            !world.commandsRun.some((c) => /uninstall|delete|--cleanup-on-fail|--force/.test(c)),
            world.commandsRun.join("\n"),
        );
        assert.ok(!world.changes.some((c) => /delete|remove|destroy/.test(c)), world.changes.join("\n"));
    };

    it("without --revision prints the history and how to choose, and changes nothing", async () => {
        helmTools(world);
        assert.strictEqual(
            await run({ revision: undefined, context: undefined, yes: false }),
            0,
            world.lines.join("\n"),
        );
        assert.deepStrictEqual(world.commandsRun, ["helm history argocd -o json -n argocd"]);
        assert.ok(world.lines[0].includes("3 revisions (nothing was changed)"));
        assert.ok(
            world.lines.some((l) => /^\s+2\s+superseded\s+.*argo-cd-9\.1\.0/.test(l)),
            world.lines.join("\n"),
        );
        assert.ok(
            world.lines.some((l) => l.includes("--revision <n>") && l.includes("the current revision is 3")),
        );
        assert.ok(!fs.existsSync(options.journalFile!));
    });

    it("rolls the release back to the revision and verifies it is deployed at a new revision", async () => {
        const state = helmTools(world);
        assert.strictEqual(await run(), 0, world.lines.join("\n"));
        assert.deepStrictEqual(world.commandsRun, [HISTORY, HISTORY, ROLLBACK, STATUS, HISTORY]);
        assert.strictEqual(state.history.length, 4);
        assert.ok(
            world.lines.some((l) => l.includes('release argocd deployed at revision 4 ("Rollback to 2")')),
        );
        assert.ok(
            world.lines.some((l) => l.includes("helm rollback creates revision 4 with revision 2's chart")),
        );
        assert.ok(
            !world.lines.some((l) => l.includes(VALUE_SECRET)),
            "the release's values are never printed",
        );
        assert.deepStrictEqual(world.changes, []);
        assertNothingDeleted();
    });

    it("dry run checks the revision and prints the rollback, changing nothing", async () => {
        helmTools(world);
        assert.strictEqual(await run({ dryRun: true, context: undefined }), 0, world.lines.join("\n"));
        assert.ok(world.lines[0].startsWith("DRY RUN:"));
        assert.ok(
            world.lines.some((l) =>
                l.includes("1. rollback: helm rollback argocd 2 -n argocd --wait --timeout 10m"),
            ),
        );
        assert.deepStrictEqual(world.commandsRun, ["helm history argocd -o json -n argocd"]);
        assert.ok(!fs.existsSync(options.journalFile!));
    });

    for (const [name, extra, message, code] of [
        ["no --release", { release: undefined }, "--release must be a Helm release name", 2],
        [
            "a release name that looks like a flag",
            { release: "--all" },
            '--release must be a Helm release name (lowercase, at most 53 characters); got "--all"',
            2,
        ],
        [
            "no --namespace",
            { namespace: undefined },
            "--namespace must be a Kubernetes namespace name; got nothing",
            2,
        ],
        ["a negative revision", { revision: -1 }, "--revision must be a positive whole number; got -1", 2],
        [
            "a fractional revision",
            { revision: 2.5 },
            "--revision must be a positive whole number; got 2.5",
            2,
        ],
        [
            "a zero timeout",
            { timeoutMinutes: 0 },
            "--timeout must be a whole number of minutes from 1 to 120; got 0",
            2,
        ],
        [
            "a rollback without --context",
            { context: undefined },
            "--context must name the kube context of the cluster the release runs in",
            2,
        ],
        [
            "a revision not in the history",
            { revision: 7 },
            "--revision must be a revision in the history of argocd (1 to 3); got 7",
            2,
        ],
        [
            "the current revision",
            { revision: 3 },
            "--revision must be an earlier revision than the current one (3); got 3",
            2,
        ],
    ] as const) {
        it(`refuses ${name} before any change (exit ${code})`, async () => {
            helmTools(world);
            assert.strictEqual(await run(extra), code, world.lines.join("\n"));
            assert.ok(
                world.lines.some((l) => l.includes(message)),
                world.lines.join("\n"),
            );
            assert.ok(!world.commandsRun.some((c) => c.startsWith("helm rollback")));
            assert.ok(!fs.existsSync(options.journalFile!));
        });
    }

    it("refuses a revision that failed (exit 2)", async () => {
        const state = helmTools(world);
        state.history[1] = {
            ...state.history[1],
            status: "failed",
            description: "Upgrade failed: timed out",
        };
        assert.strictEqual(await run(), 2);
        assert.ok(
            world.lines.some((l) =>
                l.includes(
                    '--revision must be a revision that was deployed successfully (superseded or deployed); got "2 (failed)"',
                ),
            ),
        );
        assert.ok(!world.commandsRun.some((c) => c.startsWith("helm rollback")));
    });

    it("refuses while another Helm operation is pending (exit 1)", async () => {
        const state = helmTools(world);
        state.history[2] = { ...state.history[2], status: "pending-upgrade" };
        assert.strictEqual(await run(), 1);
        assert.ok(world.lines.some((l) => l.includes("is pending-upgrade at revision 3")));
        assert.ok(!world.commandsRun.some((c) => c.startsWith("helm rollback")));
    });

    it("says why a release may be unknown to Helm (Argo CD-managed releases)", async () => {
        const state = helmTools(world);
        state.missing = true;
        assert.strictEqual(await run(), 1);
        assert.ok(world.lines.some((l) => l.includes("Releases Argo CD deploys are not Helm releases")));
    });

    it("stops with exit 1 when the rollback fails, and the same command resumes", async () => {
        const state = helmTools(world);
        state.failRollbacks = 1;
        assert.strictEqual(await run(), 1);
        assert.ok(
            world.lines.some((l) => l.includes("step rollback failed: helm rollback of argocd failed")),
        );
        assert.strictEqual(await run(), 0, world.lines.join("\n"));
        assert.strictEqual(state.history.length, 4, "one rollback, one new revision");
        assertNothingDeleted();
    });

    it("fails verification when the rollback left the release undeployed, and resumes without rolling back again", async () => {
        const state = helmTools(world);
        state.statusFailsOnce = true;
        assert.strictEqual(await run(), 1);
        assert.ok(
            world.lines.some((l) =>
                l.includes("is not rolled back to 2 at revision 4: its status is pending-rollback"),
            ),
        );
        const journal = Journal.open(options.journalFile!, "restore-helm");
        assert.ok(journal.isDone("rollback") && !journal.isDone("verify"));
        assert.strictEqual(await run(), 0, world.lines.join("\n"));
        assert.strictEqual(world.commandsRun.filter((c) => c === ROLLBACK).length, 1);
        assert.strictEqual(state.history.length, 4);
        assertNothingDeleted();
    });

    it("fails verification when helm reports success but the history shows no rollback (exit 1)", async () => {
        const state = helmTools(world);
        state.rollbackDoesNothing = true;
        assert.strictEqual(await run(), 1);
        assert.ok(
            world.lines.some((l) =>
                l.includes('is not rolled back to 2 at revision 3: its description is "Upgrade complete"'),
            ),
            world.lines.join("\n"),
        );
    });

    it("run again after it finished, it finds the rollback done and does not roll back twice", async () => {
        const state = helmTools(world);
        assert.strictEqual(await run(), 0);
        assert.strictEqual(await run(), 0, world.lines.join("\n"));
        assert.strictEqual(world.commandsRun.filter((c) => c === ROLLBACK).length, 1);
        assert.strictEqual(state.history.length, 4);
        assert.ok(world.lines.some((l) => l.includes('already rolled back: revision 4 is "Rollback to 2"')));
    });

    it("parses helm's JSON shapes", () => {
        const history = parseHistory(
            '[{"revision":2,"updated":"2026-11-22T10:00:00Z","status":"deployed","chart":"argo-cd-9.1.0","app_version":"v3.2.0","description":"Upgrade complete"},' +
                '{"revision":1,"updated":"2026-11-21T10:00:00Z","status":"superseded","chart":"argo-cd-9.0.0","app_version":"v3.1.0","description":"Install complete"}]',
            "argocd",
        );
        assert.deepStrictEqual(
            history.map((r) => r.revision),
            [1, 2],
        );
        assert.deepStrictEqual(
            parseStatus(
                '{"name":"argocd","info":{"status":"deployed","description":"Rollback to 1"},"version":3}',
                "argocd",
            ),
            { version: 3, status: "deployed", description: "Rollback to 1" },
        );
        assert.throws(() => parseHistory("Error: boom", "argocd"), /did not print JSON/);
    });
});
