import * as assert from "assert";
import { OfflineRun } from "../../offline/engine";
import { inputsOf, named, ofType, policyOf, runStack } from "../support/offline";

/**
 * Checks every IRSA trust policy in `run` against the form STS evaluates: the condition keys are
 * `<issuer>:sub` and `<issuer>:aud` with the issuer without its scheme,
 * `oidc.eks.<region>.amazonaws.com/id/<ID>` (EKS user guide, "Assign IAM roles to Kubernetes
 * service accounts"), and that issuer is the one of the cluster's own OIDC provider (the
 * `Federated` principal, arn:aws:iam::<account>:oidc-provider/<issuer>), in the cluster's region.
 * The IAM simulator drops these keys, so their form is checked here. Returns the roles checked.
 */
function assertIrsaTrust(run: OfflineRun, region: string): string[] {
    const issuer = new RegExp(`^oidc\\.eks\\.${region}\\.amazonaws\\.com/id/[0-9A-F]{32}$`);
    const checked: string[] = [];
    for (const role of ofType(run, "aws:iam/role:Role")) {
        for (const statement of policyOf(role, "assumeRolePolicy").Statement) {
            if (statement.Action !== "sts:AssumeRoleWithWebIdentity") {
                continue;
            }
            const federated = String(statement.Principal.Federated);
            const own = /^arn:aws:iam::\d{12}:oidc-provider\/(.+)$/.exec(federated)?.[1] ?? "";
            assert.match(own, issuer, `${role.name}: Federated ${federated}`);
            const keys = Object.keys(statement.Condition.StringEquals).sort();
            assert.deepStrictEqual(keys, [`${own}:aud`, `${own}:sub`], role.name);
            assert.ok(
                keys.every((key) => !key.includes("://")),
                `${role.name}: ${keys.join(", ")}`,
            );
            assert.strictEqual(
                statement.Condition.StringEquals[`${own}:aud`],
                "sts.amazonaws.com",
                role.name,
            );
            checked.push(role.name);
        }
    }
    return checked;
}

describe("components/cluster: Cluster", () => {
    let primary: OfflineRun;
    before(async () => {
        primary = await runStack("primary");
    });

    it("is private, API-authenticated, fully logged, secrets-encrypted and deletion-protected", () => {
        const cluster = named(primary, "eks:index:Cluster", "webank-primary-eks");
        const eks = inputsOf(cluster);
        assert.strictEqual(eks.name, "webank-primary");
        assert.strictEqual(eks.endpointPrivateAccess, true);
        assert.strictEqual(eks.endpointPublicAccess, false);
        assert.strictEqual(eks.authenticationMode, "API");
        assert.deepStrictEqual(eks.enabledClusterLogTypes, [
            "api",
            "audit",
            "authenticator",
            "controllerManager",
            "scheduler",
        ]);
        assert.match(eks.encryptionConfigKeyArn, /^arn:aws:kms:us-east-1:/);
        assert.strictEqual(eks.createOidcProvider, true);
        assert.strictEqual(eks.skipDefaultNodeGroup, true);
        assert.strictEqual(eks.deletionProtection, true);
        assert.strictEqual(eks.privateSubnetIds.length, 3);
    });

    it("opens the public endpoint only to configured CIDRs, and gives admins access entries", async () => {
        const run = await runStack("primary", {
            "webank:apiPublicAccessCidrs": '["203.0.113.0/24"]',
            "webank:clusterAdminRoleArns": '["arn:aws:iam::123456789012:role/platform-admin"]',
        });
        const eks = inputsOf(named(run, "eks:index:Cluster", "webank-primary-eks"));
        assert.strictEqual(eks.endpointPublicAccess, true);
        assert.deepStrictEqual(eks.publicAccessCidrs, ["203.0.113.0/24"]);
        assert.strictEqual(
            eks.accessEntries["admin-0"].principalArn,
            "arn:aws:iam::123456789012:role/platform-admin",
        );
    });

    it("writes control-plane logs to an encrypted group it creates first", () => {
        const group = named(primary, "aws:cloudwatch/logGroup:LogGroup", "webank-primary-eks-control-plane");
        assert.strictEqual(inputsOf(group).name, "/aws/eks/webank-primary/cluster");
        assert.match(inputsOf(group).kmsKeyId, /^arn:aws:kms:us-east-1:/);
        assert.ok(named(primary, "eks:index:Cluster", "webank-primary-eks").dependencies.includes(group.urn));
    });

    it("sizes the managed node group from config, on encrypted volumes with IMDSv2", async () => {
        const nodes = inputsOf(named(primary, "aws:eks/nodeGroup:NodeGroup", "webank-primary-eks-nodes"));
        assert.deepStrictEqual(nodes.scalingConfig, { desiredSize: 3, minSize: 3, maxSize: 6 });
        assert.deepStrictEqual(nodes.instanceTypes, ["m6i.large"]);
        const template = inputsOf(
            named(primary, "aws:ec2/launchTemplate:LaunchTemplate", "webank-primary-eks-nodes"),
        );
        assert.strictEqual(template.blockDeviceMappings[0].ebs.encrypted, "true");
        assert.strictEqual(template.metadataOptions.httpTokens, "required");
        const resized = await runStack("primary", {
            "webank:nodeDesiredSize": "4",
            "webank:nodeMaxSize": "8",
        });
        assert.deepStrictEqual(
            inputsOf(named(resized, "aws:eks/nodeGroup:NodeGroup", "webank-primary-eks-nodes")).scalingConfig,
            {
                desiredSize: 4,
                minSize: 3,
                maxSize: 8,
            },
        );
    });

    it("attaches the worker policies to the node role before the node group is created", () => {
        const attachments = ofType(primary, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) =>
            a.name.startsWith("webank-primary-eks-nodes-"),
        );
        assert.deepStrictEqual(
            attachments.map((a) => String(inputsOf(a).policyArn).split("/").pop()).sort(),
            ["AmazonEC2ContainerRegistryReadOnly", "AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy"],
        );
        const nodes = named(primary, "aws:eks/nodeGroup:NodeGroup", "webank-primary-eks-nodes");
        assert.ok(attachments.every((a) => nodes.dependencies.includes(a.urn)));
    });

    it("runs the EBS CSI driver add-on under its own IRSA role that may use the key", () => {
        const addon = named(primary, "aws:eks/addon:Addon", "webank-primary-eks-ebs-csi");
        assert.strictEqual(inputsOf(addon).addonName, "aws-ebs-csi-driver");
        const role = named(primary, "aws:iam/role:Role", "webank-primary-eks-ebs-csi");
        const trust = policyOf(role, "assumeRolePolicy").Statement[0];
        assert.strictEqual(trust.Action, "sts:AssumeRoleWithWebIdentity");
        assert.ok(
            Object.values(trust.Condition.StringEquals).includes(
                "system:serviceaccount:kube-system:ebs-csi-controller-sa",
            ),
        );
        const kms = policyOf(
            named(primary, "aws:iam/rolePolicy:RolePolicy", "webank-primary-eks-ebs-csi-kms"),
        );
        assert.ok(
            kms.Statement.every((s: { Resource: string }) => /^arn:aws:kms:us-east-1:/.test(s.Resource)),
        );
    });

    it("names its own issuer, without the scheme, in every IRSA trust condition", () => {
        assert.deepStrictEqual(assertIrsaTrust(primary, "us-east-1").sort(), [
            "webank-primary-argocd-export",
            "webank-primary-eks-ebs-csi",
            "webank-primary-heartbeat-setup",
            "webank-primary-heartbeat-writer",
        ]);
    });

    it("makes an encrypted, retained, backup-tagged gp3 StorageClass the default", () => {
        const [storageClass] = ofType(primary, "kubernetes:storage.k8s.io/v1:StorageClass");
        const sc = inputsOf(storageClass);
        assert.strictEqual(sc.metadata.annotations["storageclass.kubernetes.io/is-default-class"], "true");
        assert.strictEqual(sc.provisioner, "ebs.csi.aws.com");
        assert.deepStrictEqual([sc.parameters.type, sc.parameters.encrypted], ["gp3", "true"]);
        assert.match(sc.parameters.kmsKeyId, /^arn:aws:kms:us-east-1:/);
        assert.strictEqual(sc.parameters.tagSpecification_1, "webank:backup=true");
        assert.strictEqual(sc.reclaimPolicy, "Retain");
        assert.ok(storageClass.provider?.includes("pulumi:providers:kubernetes::webank-primary-eks-k8s"));
    });

    describe("in the dr stack", () => {
        const dr = (overrides: Record<string, string>) =>
            runStack("dr", overrides, { primary: primary.outputs });
        let warm: OfflineRun;
        before(async () => {
            warm = await dr({ "webank:posture": "warm" });
        });

        it("does not exist in the pilot-light posture", async () => {
            const run = await dr({});
            assert.strictEqual(ofType(run, "eks:index:Cluster").length, 0);
            assert.strictEqual(ofType(run, "kubernetes:helm.sh/v3:Release").length, 0);
        });

        it("keeps a minimal node group and Argo CD without workloads when warm", () => {
            const run = warm;
            const nodes = inputsOf(named(run, "aws:eks/nodeGroup:NodeGroup", "webank-dr-eks-nodes"));
            assert.deepStrictEqual(nodes.scalingConfig, { desiredSize: 1, minSize: 1, maxSize: 6 });
            assert.strictEqual(ofType(run, "kubernetes:helm.sh/v3:Release").length, 1);
            assert.strictEqual(ofType(run, "kubernetes:argoproj.io/v1alpha1:Application").length, 0);
        });

        it("trusts the DR cluster's own issuer, in the DR region, in every IRSA trust condition", () => {
            assert.deepStrictEqual(assertIrsaTrust(warm, "us-west-2").sort(), [
                "webank-dr-argocd-export",
                "webank-dr-eks-ebs-csi",
            ]);
        });

        it("scales up and syncs the platform once activated", async () => {
            for (const posture of ["pilot", "warm"]) {
                const run = await dr({
                    "webank:posture": posture,
                    "webank:activated": "true",
                    "webank:restore": '{"source": "pitr", "time": "latest"}',
                });
                const cluster = named(run, "eks:index:Cluster", "webank-dr-eks");
                assert.match(inputsOf(cluster).encryptionConfigKeyArn, /^arn:aws:kms:us-west-2:/);
                const nodes = inputsOf(named(run, "aws:eks/nodeGroup:NodeGroup", "webank-dr-eks-nodes"));
                assert.deepStrictEqual(nodes.scalingConfig, { desiredSize: 3, minSize: 3, maxSize: 6 });
                assert.strictEqual(
                    ofType(run, "kubernetes:argoproj.io/v1alpha1:Application").length,
                    1,
                    posture,
                );
            }
        });
    });
});
