import * as assert from "assert";
import { projectCopy, removeProjectCopies, withConfig } from "../../config/project-copy";
import { simulatedCli } from "../../support/simulated-cli";
import { useTempDir } from "../../support/temp-dir";

/**
 * `restore cluster` rehearsed with the CLI against one persistent simulated account of a warm
 * standby: a dry run that changes nothing, the restore of the primary cluster's newest EKS
 * backup from the DR vault into the DR cluster, and a second run that restores again without
 * overwriting anything (AWS Backup's restores are non-destructive).
 */
describe("automation/simulation: restore cluster with the CLI, a warm standby", function () {
    this.timeout(180_000);
    const workDir = useTempDir("sim-cluster-", { per: "suite" });
    let configRoot: string;
    before(() => {
        configRoot = projectCopy({ "Pulumi.dr.yaml": withConfig({ "webank:posture": "warm" }) });
    });
    after(removeProjectCopies);

    const dr = simulatedCli(workDir, () => configRoot);

    it("refuses a typo before anything runs", async () => {
        const { code, out } = await dr("restore", "cluster", "--namespace", "argocd");
        assert.strictEqual(code, 2, out);
        assert.match(out, /did you mean --namespaces\?/);
    });

    it("dry-runs: names the recovery point and the steps, changes nothing", async () => {
        const { code, out } = await dr("restore", "cluster", "--dry-run");
        assert.strictEqual(code, 0, out);
        assert.match(
            out,
            /recovery-point:composite:eks\/webank-primary-\d{14} \(taken .*, 50 min ago; objective 300 min\)/,
        );
        assert.match(out, /wait-restore/);
    });

    it("restores into the DR cluster and verifies it", async () => {
        const { code, out } = await dr("restore", "cluster", "--yes");
        assert.strictEqual(code, 0, out);
        assert.match(
            out,
            /restore job [0-9A-F-]{36} COMPLETED into arn:aws:eks:us-west-2:\d{12}:cluster\/webank-dr/,
        );
        assert.match(out, /webank-dr: \d+ Argo CD application\(s\), CronJob webank-dr\/heartbeat/);
    });

    it("runs again, manifests only: repeating a non-destructive restore is safe", async () => {
        const { code, out } = await dr("restore", "cluster", "--yes", "--manifests-only");
        assert.strictEqual(code, 0, out);
    });
});
