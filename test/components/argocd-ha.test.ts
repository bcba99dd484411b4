import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import { ArgoCd } from "../../components/argocd";
import { OfflineRun } from "../../offline/engine";
import { runComponent } from "../support/component";
import { inputsOf, named, runStack } from "../support/offline";
import { refusedBeforeDeclaring } from "../support/rejection";

/*
 * Argo CD's HA follows the nodes the cluster keeps: the argo-cd chart's HA Redis needs 3 nodes
 * (argo-helm charts/argo-cd/README.md "High Availability", argo-cd-9.1.0), so a warm standby of
 * one node gets plain Redis and single replicas, and asking for HA there is refused.
 */
describe("components/argocd: HA follows the node count", () => {
    let primary: OfflineRun;
    before(async () => {
        primary = await runStack("primary");
    });
    const dr = (overrides: Record<string, string>) => runStack("dr", overrides, { primary: primary.outputs });
    const releaseOf = (run: OfflineRun, name: string) =>
        inputsOf(named(run, "kubernetes:helm.sh/v3:Release", name)).values;

    it("runs redis-ha and two replicas on the primary's 3 nodes", () => {
        const values = releaseOf(primary, "webank-primary-argocd");
        assert.deepStrictEqual(values["redis-ha"], { enabled: true, persistentVolume: { enabled: false } });
        assert.deepStrictEqual(values.redis, { enabled: false });
        assert.deepStrictEqual(
            [values.server.replicas, values.repoServer.replicas, values.applicationSet.replicas],
            [2, 2, 2],
        );
    });

    it("runs plain Redis and single replicas on a warm standby of 1 node, nothing needing 3 hosts", async () => {
        const values = releaseOf(await dr({ "webank:posture": "warm" }), "webank-dr-argocd");
        assert.deepStrictEqual(values["redis-ha"], { enabled: false, persistentVolume: { enabled: false } });
        assert.deepStrictEqual(values.redis, { enabled: true });
        assert.deepStrictEqual(
            [values.controller, values.server, values.repoServer, values.applicationSet].map(
                (v) => v.replicas,
            ),
            [1, 1, 1, 1],
        );
        // No hard anti-affinity anywhere in the values (the chart's default preset is `soft`).
        assert.ok(!JSON.stringify(values).includes("hard"));
    });

    it("turns HA on when the warm standby is activated onto the serving node group", async () => {
        const run = await dr({
            "webank:posture": "warm",
            "webank:activated": "true",
            "webank:restore": '{"source": "pitr", "time": "latest"}',
        });
        assert.strictEqual(releaseOf(run, "webank-dr-argocd")["redis-ha"].enabled, true);
    });

    it("keeps a warm standby of 3 nodes in HA, and `off` turns it off", async () => {
        const three = await dr({ "webank:posture": "warm", "webank:warmNodeCount": "3" });
        assert.strictEqual(releaseOf(three, "webank-dr-argocd")["redis-ha"].enabled, true);
        const off = await runStack("primary", { "webank:argocdHighAvailability": "off" });
        assert.strictEqual(releaseOf(off, "webank-primary-argocd")["redis-ha"].enabled, false);
    });

    it("refuses a warm config that asks for HA on 1 node", async () => {
        await assert.rejects(
            dr({ "webank:posture": "warm", "webank:argocdHighAvailability": "on" }),
            /webank:argocdHighAvailability must be auto or off where Argo CD gets 1 node\(s\).*; got "on"/,
        );
    });

    it("refuses a primary asking for HA on a node group that may shrink to 2", async () => {
        await assert.rejects(
            runStack("primary", { "webank:argocdHighAvailability": "on", "webank:nodeMinSize": "2" }),
            /webank:argocdHighAvailability must be auto or off where Argo CD gets 2 node\(s\)/,
        );
    });

    it("refuses HA on fewer than 3 nodes in the component, before declaring anything", async () => {
        await assert.rejects(
            runComponent((provider) => {
                const argocd = new ArgoCd("argo", {
                    provider: new k8s.Provider("k8s", { kubeconfig: "{}" }),
                    awsProvider: provider,
                    clusterName: "webank-dr",
                    oidcProviderArn:
                        "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/X",
                    oidcProviderUrl: "oidc.eks.us-west-2.amazonaws.com/id/X",
                    nodeCount: 1,
                    highAvailability: true,
                    chartVersion: "9.1.0",
                    imageTag: "v3.2.0",
                    repoUrl: "https://github.com/webank/platform.git",
                    revision: "main",
                    path: "apps",
                    rpoMinutes: 30,
                    artifactBucketName: "bucket",
                    artifactBucketArn: "arn:aws:s3:::bucket",
                    kmsKeyArn: "arn:aws:kms:us-west-2:123456789012:key/k",
                    alarmTopicArn: "arn:aws:sns:us-west-2:123456789012:t",
                });
                return { ha: argocd.highAvailability };
            }),
            refusedBeforeDeclaring("ArgoCd(argo).highAvailability", "be false on 1 node(s)", "true", (r) =>
                r.type.startsWith("kubernetes:helm.sh"),
            ),
        );
    });
});
