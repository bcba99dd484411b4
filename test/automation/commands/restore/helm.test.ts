import * as assert from "assert";
import { OptionValues } from "../../../../automation/commands/definition";
import { restoreHelmDefinition } from "../../../../automation/commands/restore/helm/definition";
import {
    HelmRevision,
    parseHistory,
    parseStatus,
} from "../../../../automation/commands/restore/helm/history";
import { SimulatedWorld } from "../../../../automation/simulation/world";
import { filesUnder } from "../../../support/commands";
import { assertNothingDeleted } from "../../../support/nothing-deleted";
import {
    archived,
    assertRefused,
    currentJournal,
    dispose,
    Harness,
    harness,
    reports,
    runWith,
    text,
} from "./support";

const OPERATION = "restore-helm";
const SUFFIX = "-n argocd --kube-context webank-primary";
const HISTORY = `helm history argocd -o json ${SUFFIX}`;
const ROLLBACK = `helm rollback argocd 2 ${SUFFIX} --wait --timeout 10m`;
const STATUS = `helm status argocd -o json ${SUFFIX}`;
const ROLLBACK_ARGS = { release: "argocd", namespace: "argocd", revision: 2, context: "webank-primary" };
/** Never printed: `helm status -o json` carries the release's values. */
const VALUE_SECRET = "oidc-client-secret-value";

/**
 * A Helm release with three revisions, the newest the bad upgrade; `helm rollback` behaves as
 * Helm's (a new revision described "Rollback to <n>"). Set here rather than left to the
 * simulation's own helm: the tests need rollbacks that fail, do nothing, or leave the release
 * pending.
 */
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

describe("automation/commands/restore/helm", () => {
    let h: Harness;
    beforeEach(() => {
        h = harness("restore-helm-");
    });
    afterEach(() => dispose(h));
    const run = (values: OptionValues = {}, confirm?: (q: string) => Promise<boolean>) =>
        runWith(h, restoreHelmDefinition, { ...ROLLBACK_ARGS, ...values }, confirm);
    const rollbacks = () => h.world.commandsRun.filter((c) => c.startsWith("helm rollback")).length;

    it("without --revision prints the history and how to choose, and changes and writes nothing", async () => {
        helmTools(h.world);
        assert.strictEqual(
            await runWith(h, restoreHelmDefinition, { release: "argocd", namespace: "argocd" }),
            0,
            text(h),
        );
        assert.deepStrictEqual(h.world.commandsRun, ["helm history argocd -o json -n argocd"]);
        assert.match(h.world.lines[0], /3 revisions \(nothing was changed\)/);
        assert.ok(
            h.world.lines.some((l) => /^\s+2\s+superseded\s+.*argo-cd-9\.1\.0/.test(l)),
            text(h),
        );
        assert.ok(
            h.world.lines.some(
                (l) => l.includes("--revision <n>") && l.includes("the current revision is 3"),
            ),
        );
        assert.deepStrictEqual(filesUnder(h.dir), []);
    });

    it("rolls the release back to the revision and verifies it is deployed at a new revision", async () => {
        const state = helmTools(h.world);
        assert.strictEqual(await run(), 0, text(h));
        assert.deepStrictEqual(h.world.commandsRun, [HISTORY, HISTORY, ROLLBACK, STATUS, HISTORY]);
        assert.strictEqual(state.history.length, 4);
        assert.match(text(h), /release argocd deployed at revision 4 \("Rollback to 2"\)/);
        assert.match(text(h), /helm rollback creates revision 4 with revision 2's chart/);
        assert.ok(!text(h).includes(VALUE_SECRET), "the release's values are never printed");
        const [report] = reports(h);
        assert.strictEqual(report.measurements.rpo, undefined);
        assert.ok(
            report.measurements.notes.some((n) =>
                n.startsWith("no RPO: a rollback restores a chart and values"),
            ),
        );
        assert.strictEqual(report.measurements.rto?.objectiveMinutes, h.config.objectives.charts.rtoMinutes);
        assert.deepStrictEqual(report.request, {
            "--release": "argocd",
            "--namespace": "argocd",
            "--revision": "2",
            "--timeout": "10",
            "--context": "webank-primary",
        });
        assertNothingDeleted(h.world);
    });

    it("rolls back against the simulation's own helm (no injected handlers)", async () => {
        assert.strictEqual(await run({ revision: 1 }), 0, text(h));
        assert.match(text(h), /done  verify: release argocd deployed at revision \d+ \("Rollback to 1"\)/);
        assertNothingDeleted(h.world);
    });

    it("passes --timeout to helm rollback --wait", async () => {
        helmTools(h.world);
        assert.strictEqual(await run({ timeout: 25 }), 0, text(h));
        assert.ok(
            h.world.commandsRun.includes(ROLLBACK.replace("10m", "25m")),
            h.world.commandsRun.join("\n"),
        );
    });

    it("a dry run needs no --context, checks the revision and prints the rollback, writing nothing", async () => {
        helmTools(h.world);
        assert.strictEqual(await run({ "dry-run": true, context: undefined }), 0, text(h));
        assert.match(text(h), /^DRY RUN: /);
        assert.match(text(h), /1\. rollback: helm rollback argocd 2 -n argocd --wait --timeout 10m/);
        assert.deepStrictEqual(h.world.commandsRun, ["helm history argocd -o json -n argocd"]);
        assert.deepStrictEqual(filesUnder(h.dir), []);
    });

    for (const [name, values, message] of [
        [
            "no --release",
            { release: undefined },
            "--release must be a Helm release name (lowercase, at most 53 characters); got nothing",
        ],
        [
            "a release name that looks like a flag",
            { release: "--all" },
            '--release must be a Helm release name (lowercase, at most 53 characters); got "--all"',
        ],
        [
            "no --namespace",
            { namespace: undefined },
            "--namespace must be a Kubernetes namespace name; got nothing",
        ],
        ["a zero revision", { revision: 0 }, "--revision must be a positive whole number; got 0"],
        ["a negative revision", { revision: -1 }, "--revision must be a positive whole number; got -1"],
        ["a fractional revision", { revision: 2.5 }, "--revision must be a positive whole number; got 2.5"],
        [
            "a revision given as text",
            { revision: "2" },
            '--revision must be a positive whole number; got "2"',
        ],
        [
            "a zero timeout",
            { timeout: 0 },
            "--timeout must be a whole number of minutes from 1 to 120; got 0",
        ],
        [
            "a timeout of a day",
            { timeout: 1440 },
            "--timeout must be a whole number of minutes from 1 to 120; got 1440",
        ],
        [
            "--timeout without --revision",
            { revision: undefined, context: undefined, timeout: 5 },
            "--timeout must be given with --revision only",
        ],
        [
            "a rollback without --context",
            { context: undefined },
            "--context must name the kube context of the cluster the release runs in (a rollback changes it)",
        ],
        [
            "a revision not in the history",
            { revision: 7 },
            "--revision must be a revision in the history of argocd (1 to 3); got 7",
        ],
        [
            "the current revision",
            { revision: 3 },
            "--revision must be an earlier revision than the current one (3); got 3",
        ],
    ] as const) {
        it(`refuses ${name} before any change, writing nothing (exit 2)`, async () => {
            helmTools(h.world);
            await assertRefused(h, () => run(values), message);
            assert.strictEqual(rollbacks(), 0);
        });
    }

    it("refuses a revision that failed (exit 2)", async () => {
        const state = helmTools(h.world);
        state.history[1] = {
            ...state.history[1],
            status: "failed",
            description: "Upgrade failed: timed out",
        };
        await assertRefused(
            h,
            () => run(),
            '--revision must be a revision that was deployed successfully (superseded or deployed); got "2 (failed)"',
        );
    });

    it("refuses while another Helm operation is pending (exit 1), and says why a release may be unknown", async () => {
        const state = helmTools(h.world);
        state.history[2] = { ...state.history[2], status: "pending-upgrade" };
        assert.strictEqual(await run(), 1);
        assert.match(text(h), /is pending-upgrade at revision 3/);
        state.missing = true;
        assert.strictEqual(await run(), 1);
        assert.match(text(h), /Releases Argo CD deploys are not Helm releases/);
        assert.strictEqual(rollbacks(), 0);
        assert.deepStrictEqual(filesUnder(h.dir), []);
    });

    it("asks before the rollback; a no, or no terminal, writes nothing", async () => {
        helmTools(h.world);
        let asked = "";
        assert.strictEqual(await run({}, (q) => ((asked = q), Promise.resolve(false))), 2);
        assert.match(
            asked,
            /Roll back Helm release argocd in argocd on webank-primary from revision 3 to 2\?/,
        );
        assert.strictEqual(await run({ yes: false }), 2);
        assert.strictEqual(rollbacks(), 0);
        assert.deepStrictEqual(filesUnder(h.dir), []);
    });

    it("stops with exit 1 when the rollback fails, and the same command resumes", async () => {
        const state = helmTools(h.world);
        state.failRollbacks = 1;
        assert.strictEqual(await run(), 1);
        assert.match(text(h), /step rollback failed: helm rollback of argocd failed/);
        assert.match(
            text(h),
            /resume with:\n {2}npm run dr -- restore helm --release argocd --namespace argocd --revision 2 --timeout 10 --context webank-primary --simulate --yes/,
        );
        assert.strictEqual(await run(), 0, text(h));
        assert.strictEqual(state.history.length, 4, "one rollback, one new revision");
        assertNothingDeleted(h.world);
    });

    it("fails verification when the rollback left the release pending, and resumes without rolling back again", async () => {
        const state = helmTools(h.world);
        state.statusFailsOnce = true;
        assert.strictEqual(await run(), 1);
        assert.match(text(h), /is not rolled back to 2 at revision 4: its status is pending-rollback/);
        assert.deepStrictEqual(
            currentJournal(h, OPERATION)?.steps.map((s) => s.step),
            ["rollback"],
        );
        assert.strictEqual(await run(), 0, text(h));
        assert.strictEqual(h.world.commandsRun.filter((c) => c === ROLLBACK).length, 1);
        assert.strictEqual(state.history.length, 4);
    });

    it("refuses other arguments over an unfinished run, naming the difference", async () => {
        helmTools(h.world).statusFailsOnce = true;
        assert.strictEqual(await run(), 1);
        h.world.lines.length = 0;
        assert.strictEqual(await run({ revision: 1 }), 2);
        assert.match(text(h), /--revision: the unfinished run has "2", this command has "1"/);
        assert.strictEqual(rollbacks(), 1);
    });

    it("fails verification when helm reports success but the history shows no rollback (exit 1)", async () => {
        helmTools(h.world).rollbackDoesNothing = true;
        assert.strictEqual(await run(), 1);
        assert.match(text(h), /is not rolled back to 2 at revision 3: its description is "Upgrade complete"/);
    });

    it("never resumes a finished run: run again it is a new run, which finds the rollback done and does not roll back twice", async () => {
        const state = helmTools(h.world);
        assert.strictEqual(await run(), 0);
        h.clock = new Date("2026-11-25T03:01:00Z");
        assert.strictEqual(await run(), 0, text(h));
        assert.strictEqual(archived(h, OPERATION).length, 2);
        assert.strictEqual(h.world.commandsRun.filter((c) => c === ROLLBACK).length, 1);
        assert.strictEqual(state.history.length, 4);
        assert.match(text(h), /revision 4 already rolled back to 2: the rollback step changes nothing/);
        assert.match(text(h), /already rolled back: revision 4 is "Rollback to 2"/);
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
            {
                version: 3,
                status: "deployed",
                description: "Rollback to 1",
            },
        );
        assert.throws(() => parseHistory("Error: boom", "argocd"), /did not print JSON/);
    });
});
