import * as assert from "assert";
import { settleCronJobs } from "../../../automation/simulation/cluster";
import { platformCluster } from "../../../automation/simulation/programs";
import { CONFIG, NOW, rejection, world } from "./support";

/*
 * The export CronJob's `spec.suspend` in the simulation (Kubernetes CronJob "Schedule
 * suspension"): no scheduled Job while suspended, one catch-up run once unsuspended, and
 * `kubectl patch` as restore argocd issues it.
 */
describe("automation/simulation: a suspended export CronJob", () => {
    const CRON = "argocd/argocd-export";
    const PATCH = (suspend: boolean) => [
        "-n",
        "argocd",
        "patch",
        "cronjob",
        "argocd-export",
        "--type=merge",
        "-p",
        JSON.stringify({ spec: { suspend } }),
    ];

    it("starts no Job while suspended, and catches up once when unsuspended", async () => {
        const w = world();
        const kubectl = (args: string[]) => w.ports().commands.run("kubectl", args);
        const cluster = w.state.clusters["webank-primary"];
        assert.strictEqual((await kubectl(PATCH(true))).stdout, "cronjob.batch/argocd-export patched\n");
        assert.strictEqual(cluster.cronJobs[CRON].suspend, true);
        const jobsBefore = Object.keys(cluster.jobs).length;
        settleCronJobs(w, new Date(NOW.getTime() + 6 * 60 * 60_000));
        assert.strictEqual(Object.keys(cluster.jobs).length, jobsBefore, "no Job while suspended");
        assert.strictEqual((await kubectl(PATCH(false))).stdout, "cronjob.batch/argocd-export patched\n");
        assert.strictEqual(
            (await kubectl(PATCH(false))).stdout,
            "cronjob.batch/argocd-export patched (no change)\n",
        );
        settleCronJobs(w, new Date(NOW.getTime() + 6 * 60 * 60_000));
        assert.strictEqual(Object.keys(cluster.jobs).length, jobsBefore + 1, "one catch-up run");
    });

    it("builds the DR side's export suspended and the home side's running, as the stacks declare them", () => {
        const w = world();
        platformCluster(w, CONFIG, {
            name: "webank-dr-x",
            side: "dr",
            repoURL: "https://example.invalid/r.git",
            applications: [],
            at: NOW,
            rootApp: "none",
        });
        assert.strictEqual(w.state.clusters["webank-dr-x"].cronJobs[CRON].suspend, true);
        assert.strictEqual(w.state.clusters["webank-primary"].cronJobs[CRON].suspend, undefined);
    });

    it("models only the suspend patch of a CronJob that exists", async () => {
        const w = world();
        const kubectl = (args: string[]) => w.ports().commands.run("kubectl", args);
        assert.match(
            await rejection(kubectl(["-n", "argocd", "patch", "cronjob", "argocd-export", "-p", "{}"])),
            /patches only: cronjob <name> --type=merge/,
        );
        assert.match(
            await rejection(kubectl([...PATCH(false).slice(0, 4), "nope", ...PATCH(false).slice(5)])),
            /cronjobs\.batch "nope" not found/,
        );
    });
});
