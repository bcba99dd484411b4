import * as assert from "assert";
import { readStackConfig } from "../../config/stack-files";
import { OfflineRun, runOffline } from "../../offline/engine";
import { defineProgram } from "../../program";
import { inputsOf, named, ofType, runStack } from "../support/offline";

/*
 * Issue 13, defect 4: the clusters' API endpoints are private, so the Kubernetes resources
 * must be applied from inside the VPC. Each stack with a cluster has a deploy runner there:
 * the cluster admits it on 443 and gives its role an admin access entry; the first `up` from
 * outside creates the cluster and the runner but no Kubernetes resource.
 */
const RUNNER_TYPE = "webank:deploy:DeployRunner";
const PROJECT = "aws:codebuild/project:Project";
const EKS = "eks:index:Cluster";

/** Whether a recorded resource is applied through the Kubernetes provider. */
const isKubernetes = (type: string) => type.startsWith("kubernetes:");

/** Checks that `cluster`'s API admits its runner on 443 and gives the runner's role an admin access entry. */
function assertClusterAdmitsRunner(run: OfflineRun, cluster: string): void {
    const eks = inputsOf(named(run, EKS, `${cluster}-eks`));
    const project = inputsOf(named(run, PROJECT, `${cluster}-deploy-project`));
    const rule = inputsOf(
        named(
            run,
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
            `${cluster}-eks-api-from-deploy-runner`,
        ),
    );
    // pulumi-eks's clusterSecurityGroupId, an EC2 id (sg- and 17 hex digits, EC2 user guide "Resource IDs").
    assert.match(String(rule.securityGroupId), /^sg-[0-9a-f]{17}$/);
    assert.deepStrictEqual([rule.referencedSecurityGroupId], project.vpcConfig.securityGroupIds);
    assert.deepStrictEqual([rule.ipProtocol, rule.fromPort, rule.toPort], ["tcp", 443, 443]);
    const entries = Object.values(
        eks.accessEntries as Record<
            string,
            { principalArn: string; accessPolicies: { admin: { policyArn: string } } }
        >,
    );
    const runnerEntry = entries.find((entry) => entry.principalArn === project.serviceRole);
    assert.ok(runnerEntry, `an access entry for the runner's role ${project.serviceRole}`);
    assert.match(runnerEntry.accessPolicies.admin.policyArn, /AmazonEKSClusterAdminPolicy$/);
}

describe("stacks: a deploy runner applies the Kubernetes resources from inside each VPC", function () {
    this.timeout(180_000);
    let primary: OfflineRun;
    before(async () => {
        primary = await runStack("primary");
    });

    it("primary: the private API admits the runner on 443 and the runner's role is a cluster admin", () => {
        assertClusterAdmitsRunner(primary, "webank-primary");
    });

    it("primary: the runner is in the home region, reads the home artifact bucket and logs in to the bootstrap bucket", () => {
        const project = inputsOf(named(primary, PROJECT, "webank-primary-deploy-project"));
        const variables = Object.fromEntries(
            (project.environment.environmentVariables as { name: string; value: string }[]).map((v) => [
                v.name,
                v.value,
            ]),
        );
        assert.strictEqual(
            project.source.location,
            "webank-artifacts-123456789012-us-east-1/deploy-sources/primary.zip",
        );
        assert.strictEqual(
            variables.PULUMI_BACKEND_URL,
            "s3://webank-bootstrap-state-123456789012?region=us-west-2&awssdk=v2",
        );
        assert.strictEqual(named(primary, PROJECT, "webank-primary-deploy-project").region, "us-east-1");
        assert.strictEqual(primary.outputs.deployRunner, "webank-primary-deploy");
        assert.match(
            String(primary.outputs.kubernetesResources),
            /applied from the deploy runner webank-primary-deploy/,
        );
    });

    it("dr warm: the runner is in the DR region and reads the artifact replica there", async () => {
        const dr = await runStack("dr", { "webank:posture": "warm" }, { primary: primary.outputs });
        const project = named(dr, PROJECT, "webank-dr-deploy-project");
        assert.strictEqual(project.region, "us-west-2");
        assert.strictEqual(
            inputsOf(project).source.location,
            "webank-artifacts-123456789012-us-west-2/deploy-sources/dr.zip",
        );
        assertClusterAdmitsRunner(dr, "webank-dr");
    });

    it("dr pilot light: no cluster, so no runner", async () => {
        const dr = await runStack("dr", {}, { primary: primary.outputs });
        assert.deepStrictEqual(ofType(dr, RUNNER_TYPE), []);
    });

    it("the first up from outside the VPC creates the cluster and the runner, and no Kubernetes resource", async () => {
        // The fake account has no cluster yet (eks.getClusters answers no names).
        const outside = await runOffline({
            ...readStackConfig("primary"),
            program: () => defineProgram({}),
        });
        assert.strictEqual(ofType(outside, EKS).length, 1);
        assert.strictEqual(ofType(outside, RUNNER_TYPE).length, 1);
        assert.deepStrictEqual(
            outside.resources.filter((r) => isKubernetes(r.type)).map((r) => `${r.type} ${r.name}`),
            [],
        );
        assert.ok(
            primary.resources.some((r) => isKubernetes(r.type)),
            "the runner's own run declares them",
        );
        assert.match(
            String(outside.outputs.kubernetesResources),
            /not applied yet: .*aws codebuild start-build --region us-east-1 --project-name webank-primary-deploy/,
        );
        assert.strictEqual(outside.outputs.argocdExportSchedule, undefined);
    });
});
