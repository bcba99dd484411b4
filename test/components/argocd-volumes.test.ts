import * as assert from "assert";
import * as k8s from "@pulumi/kubernetes";
import { Cluster } from "../../components/cluster";
import { OfflineRun, RecordedResource } from "../../offline/engine";
import { runComponent } from "../support/component";
import { waitsFor } from "../support/dependencies";
import { inputsOf, named, runStack } from "../support/offline";

/*
 * Argo CD claims no persistent volume (argo-cd chart 9.1.0: no PersistentVolumeClaim template;
 * redis-ha's persistence off, components/argocd-values.ts REDIS_HA_PERSISTENCE), so it can be
 * installed as soon as the nodes run, beside the EBS CSI add-on rather than after it. The
 * Cluster exposes what such workloads need (`workloadPrerequisites`); these tests pin both.
 */

/** Every resource declared under the component whose URN ends with `componentUrnTail`. */
function under(run: OfflineRun, componentUrnTail: string): RecordedResource[] {
    return run.resources.filter((r) => isBelow(run, r, componentUrnTail));
}

function isBelow(run: OfflineRun, resource: RecordedResource, componentUrnTail: string): boolean {
    let parent = resource.parent;
    while (parent) {
        if (parent.endsWith(componentUrnTail)) {
            return true;
        }
        parent = run.resources.find((r) => r.urn === parent)?.parent;
    }
    return false;
}

describe("components/argocd: installs without a persistent volume", () => {
    let primary: OfflineRun;
    let warm: OfflineRun;
    before(async () => {
        primary = await runStack("primary");
        warm = await runStack("dr", { "webank:posture": "warm" }, { primary: primary.outputs });
    });

    for (const [label, run, release] of [
        ["the primary (HA, redis-ha)", () => primary, "webank-primary-argocd"],
        ["a warm standby (plain Redis)", () => warm, "webank-dr-argocd"],
    ] as const) {
        it(`${label}: redis-ha persistence is off and nothing under Argo CD claims a volume`, () => {
            const values = inputsOf(named(run(), "kubernetes:helm.sh/v3:Release", release)).values;
            assert.deepStrictEqual(values["redis-ha"].persistentVolume, { enabled: false });
            const children = under(run(), `webank:gitops:ArgoCd::${release}`);
            assert.ok(children.length >= 5, `Argo CD's resources were found: ${children.length}`);
            const claims = children.filter((r) =>
                /PersistentVolumeClaim|volumeClaimTemplates/.test(`${r.type} ${JSON.stringify(r.inputs)}`),
            );
            assert.deepStrictEqual(
                claims.map((r) => r.urn),
                [],
            );
        });
    }
});

describe("components/cluster: workloadPrerequisites", () => {
    it("names the node group and the runner's API rule, and leaves out the EBS CSI add-on", async () => {
        const run = await runComponent((provider) => {
            const cluster = new Cluster("c", {
                clusterName: "webank-dr",
                version: "1.33",
                region: "us-east-1",
                accountId: "123456789012",
                provider,
                vpcId: "vpc-0123456789abcdef0",
                privateSubnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
                kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                apiPublicAccessCidrs: [],
                adminRoleArns: [],
                deployRunner: {
                    roleArn: "arn:aws:iam::123456789012:role/runner",
                    securityGroupId: "sg-0123456789abcdef0",
                },
                applyKubernetesResources: false,
                nodes: { instanceType: "m6i.large", desired: 1, min: 1, max: 6 },
            });
            // A workload declared as the stack would declare Argo CD: after the prerequisites only.
            new k8s.core.v1.Namespace(
                "workload",
                { metadata: { name: "workload" } },
                {
                    provider: new k8s.Provider("k8s", { kubeconfig: "{}" }),
                    dependsOn: [...cluster.workloadPrerequisites],
                },
            );
            // As stacks/platform.ts declares Argo CD today: after the whole component.
            new k8s.core.v1.Namespace(
                "after-cluster",
                { metadata: { name: "after-cluster" } },
                { provider: new k8s.Provider("k8s-2", { kubeconfig: "{}" }), dependsOn: [cluster] },
            );
            return {};
        });
        const workload = named(run, "kubernetes:core/v1:Namespace", "workload");
        const typeOf = (urn: string) => run.resources.find((r) => r.urn === urn)?.type;
        const types = workload.dependencies.map(typeOf);
        assert.ok(types.includes("aws:eks/nodeGroup:NodeGroup"), types.join(", "));
        assert.ok(
            types.includes("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"),
            types.join(", "),
        );
        assert.ok(!types.includes("aws:eks/addon:Addon"), types.join(", "));
        // Not through anything else either: nothing the workload waits for waits for the add-on.
        const [addon] = run.resources.filter((r) => r.type === "aws:eks/addon:Addon");
        assert.ok(addon, "the cluster declares the add-on");
        assert.ok(!waitsFor(run, workload).has(addon.urn), "the workload must not wait for the add-on");
        const afterCluster = named(run, "kubernetes:core/v1:Namespace", "after-cluster");
        assert.ok(
            waitsFor(run, afterCluster).has(addon.urn),
            "dependsOn the whole Cluster waits for the add-on",
        );
        // The node group itself waits for the control plane (so the workload does, through it).
        const nodeGroup = named(run, "aws:eks/nodeGroup:NodeGroup", "c-nodes");
        assert.ok(
            nodeGroup.dependencies.some(
                (urn) => typeOf(urn) === "eks:index:Cluster" || /eks:index:Cluster/.test(urn),
            ),
            nodeGroup.dependencies.join(", "),
        );
    });
});
