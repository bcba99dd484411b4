import * as assert from "assert";
import { ROOT_APP_NAME } from "../../../lib/argocd";
import { platformCluster } from "../../../automation/simulation/programs";
import { SimulatedWorld } from "../../../automation/simulation/world";
import { VirtualClock } from "../../../automation/simulation/clock";
import { CONFIG, MINUTE, NOW, rejection, timedWorld } from "./support";

/*
 * A root app an `up` creates is synced by Argo CD on its own time (simulation/argocd-apps.ts):
 * `kubectl wait` for Healthy applications lasts until then (or times out as kubectl does); a
 * root app synced before (a hot standby's) answers at once. The failover's RTO in each posture
 * rests on this, so it is tested here, not only through the benchmark.
 */
describe("automation/simulation: Argo CD syncing a root app", () => {
    const NAME = "webank-dr-sync";
    const APPS = ["accounts", "payments"];
    const WAIT = (timeout: string) => [
        "--context",
        NAME,
        "-n",
        "argocd",
        "wait",
        "--for=jsonpath={.status.health.status}=Healthy",
        "applications.argoproj.io",
        "--all",
        `--timeout=${timeout}`,
    ];

    /** A world whose Argo CD takes 6 minutes to sync, with a DR cluster whose root app is `rootApp`. */
    function cluster(rootApp: "synced" | "pending" | "none"): { w: SimulatedWorld; clock: VirtualClock } {
        const { world: w, clock } = timedWorld((op) => (op === "background.argocd.sync" ? 6 * MINUTE : 0));
        platformCluster(w, CONFIG, {
            name: NAME,
            side: "dr",
            repoURL: CONFIG.platform.gitops.repoUrl,
            applications: APPS,
            at: NOW,
            rootApp,
        });
        w.state.kubeconfig.contexts[NAME] = w.state.clusters[NAME].arn;
        return { w, clock };
    }

    const apps = (w: SimulatedWorld) =>
        Object.values(w.state.clusters[NAME].argocd?.Application ?? {}).map((a) => [
            (a.metadata as { name: string }).name,
            JSON.stringify(a.status),
        ]);

    it("holds a new root app OutOfSync and Missing, without its Applications, until Argo CD has synced it", async () => {
        const { w, clock } = cluster("pending");
        assert.deepStrictEqual(apps(w), [
            [ROOT_APP_NAME, JSON.stringify({ sync: { status: "OutOfSync" }, health: { status: "Missing" } })],
        ]);
        const out = await clock.drive(w.ports().commands.run("kubectl", WAIT("900s")));
        assert.strictEqual(clock.now().getTime() - NOW.getTime(), 6 * MINUTE, "the wait lasted the sync");
        assert.strictEqual(out.stdout.split("\n").filter(Boolean).length, 1 + APPS.length);
        const healthy = JSON.stringify({ sync: { status: "Synced" }, health: { status: "Healthy" } });
        assert.deepStrictEqual(
            apps(w),
            [ROOT_APP_NAME, ...APPS].map((name) => [name, healthy]),
        );
    });

    it("times the wait out as kubectl does when the sync outlasts --timeout", async () => {
        const { w, clock } = cluster("pending");
        assert.match(
            await rejection(clock.drive(w.ports().commands.run("kubectl", WAIT("60s")))),
            /error: timed out waiting for the condition on applications\/platform$/,
        );
        assert.strictEqual(clock.now().getTime() - NOW.getTime(), MINUTE);
    });

    it("answers at once for a root app synced before, and finds nothing to wait for without one", async () => {
        const synced = cluster("synced");
        await synced.clock.drive(synced.w.ports().commands.run("kubectl", WAIT("900s")));
        assert.strictEqual(synced.clock.now().getTime(), NOW.getTime());
        const none = cluster("none");
        assert.deepStrictEqual(apps(none.w), []);
        assert.match(
            await rejection(none.clock.drive(none.w.ports().commands.run("kubectl", WAIT("900s")))),
            /no matching resources found/,
        );
    });
});
