import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ProblemCollector } from "../lib/errors";
import { attachManagedPolicies, KEY_USE_ACTIONS } from "./iam";
import { irsaTrustPolicy } from "./irsa";
import { partitionOf } from "../lib/regions";
import { FLOW_LOG_RETENTION_DAYS } from "../lib/retention";
import { NODE_ROOT_VOLUME_GIB } from "../lib/node-volumes";
import { BACKUP_TAG } from "../lib/tags";

/** Every EKS control-plane log type: all five go to CloudWatch. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

/** Name of the default StorageClass: encrypted gp3 volumes that AWS Backup selects by tag. */
export const BACKED_UP_STORAGE_CLASS = "gp3-encrypted";

/** Arguments of {@link Cluster}. */
export interface ClusterArgs {
    /** EKS cluster name (physical). */
    clusterName: string;
    /** Kubernetes version, e.g. `1.33`. */
    version: string;
    /** Region of the cluster (for ARNs and the partition). */
    region: string;
    /** The stack's AWS account (the cluster's ARN names it). */
    accountId: pulumi.Input<string>;
    /** Provider for that region: passed explicitly to the EKS component, which runs in its own plugin. */
    provider: aws.Provider;
    /** VPC of the cluster. */
    vpcId: pulumi.Input<string>;
    /** Private subnets for the control-plane ENIs and the nodes. */
    privateSubnetIds: pulumi.Input<string>[];
    /** KMS key that encrypts Kubernetes secrets, node volumes, control-plane logs and persistent volumes. */
    kmsKeyArn: pulumi.Input<string>;
    /** CIDRs allowed to reach the public API endpoint; empty turns the public endpoint off. */
    apiPublicAccessCidrs: readonly string[];
    /** IAM roles given cluster-admin access entries. */
    adminRoleArns: readonly string[];
    /**
     * The stack's deploy runner (components/deploy-runner.ts): its role gets a cluster-admin
     * access entry and its security group may reach the private API endpoint on 443.
     */
    deployRunner: {
        /** The runner's service role. */
        roleArn: pulumi.Input<string>;
        /** The security group of the runner's network interfaces. */
        securityGroupId: pulumi.Input<string>;
    };
    /**
     * Whether this run declares the cluster's Kubernetes resources (the StorageClass) and its
     * Kubernetes provider: false where the private endpoint cannot be reached from here
     * (lib/kubernetes-access.ts).
     * @default true
     */
    applyKubernetesResources?: boolean;
    /** Managed node group size and instance type. */
    nodes: {
        /** EC2 instance type. */
        instanceType: string;
        /** Desired node count. */
        desired: number;
        /** Minimum node count. */
        min: number;
        /** Maximum node count. */
        max: number;
    };
}

/**
 * An EKS cluster built to be rebuilt: private API endpoint (public access off unless a CIDR
 * list allows it), API authentication mode with access entries, all five control-plane log
 * types to a KMS-encrypted log group, Kubernetes secrets encrypted with the stack's key, an
 * OIDC provider for IRSA, deletion protection, a managed node group on encrypted volumes with
 * IMDSv2 required, the EBS CSI driver add-on with its own IAM role, and a default gp3
 * StorageClass whose volumes are encrypted, retained when their claim is deleted, and tagged
 * so AWS Backup selects them. API authentication lets AWS Backup create its own access entry
 * (eks-backups.html: "authorization mode set to API or API_AND_CONFIG_MAP"): none is declared for it.
 */
export class Cluster extends pulumi.ComponentResource {
    /** The EKS component. */
    public readonly cluster: eks.Cluster;
    /** Kubernetes provider for the cluster, built from its kubeconfig; absent when this run applies no Kubernetes resources. */
    public readonly kubernetesProvider: k8s.Provider | undefined;
    /** Cluster name. */
    public readonly clusterName: string;
    /**
     * The cluster's ARN, `arn:<partition>:eks:<region>:<account>:cluster/<name>`, the form AWS
     * Backup selects it by (https://docs.aws.amazon.com/aws-backup/latest/devguide/eks-backups.html);
     * built from the name, computed from the component's URN so a selection by it depends on it.
     */
    public readonly clusterArn: pulumi.Output<string>;
    /** ARN of the cluster's OIDC provider, for IRSA roles. */
    public readonly oidcProviderArn: pulumi.Output<string>;
    /**
     * The cluster's OIDC issuer without `https://` (`oidc.eks.<region>.amazonaws.com/id/<ID>`), the
     * form STS names the web-identity condition keys in (`<issuer>:sub`, `<issuer>:aud`; EKS user
     * guide, "Assign IAM roles to Kubernetes service accounts"). It is pulumi-eks's own `oidcIssuer`
     * output (pulumi-eks 4.3.0 nodejs/eks/cluster/cluster.ts:2211, the issuer URL with "https://"
     * removed); its `oidcProviderUrl` (cluster.ts:2209) is the URL *with* the scheme, which no
     * condition key matches.
     */
    public readonly oidcIssuer: pulumi.Output<string>;
    /** Kubeconfig (JSON). Secret: it names the cluster's endpoint and authenticator. */
    public readonly kubeconfig: pulumi.Output<string>;
    /**
     * What Kubernetes workloads that claim no persistent volume need before they can run: the
     * node group (which waits for the control plane and its access entries) and the rule that
     * lets the deploy runner reach the private API endpoint. Depending on these instead of the
     * whole component leaves out the EBS CSI add-on, which a new cluster takes 15 minutes or
     * more to make active (automation/bench/durations.ts `eksAddon`) and which only volumes need.
     */
    public readonly workloadPrerequisites: readonly pulumi.Resource[];

    constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webank:cluster:Cluster", name, {}, opts);
        validate(name, args);
        const partition = partitionOf(args.region);
        this.clusterName = args.clusterName;

        // Created before the cluster so EKS writes into an encrypted group with a retention.
        const controlPlaneLogs = new aws.cloudwatch.LogGroup(
            `${name}-control-plane`,
            {
                name: `/aws/eks/${args.clusterName}/cluster`,
                retentionInDays: FLOW_LOG_RETENTION_DAYS,
                kmsKeyId: args.kmsKeyArn,
            },
            { parent: this },
        );

        this.cluster = new eks.Cluster(
            name,
            {
                name: args.clusterName,
                version: args.version,
                vpcId: args.vpcId,
                privateSubnetIds: args.privateSubnetIds,
                endpointPrivateAccess: true,
                endpointPublicAccess: args.apiPublicAccessCidrs.length > 0,
                publicAccessCidrs:
                    args.apiPublicAccessCidrs.length > 0 ? [...args.apiPublicAccessCidrs] : undefined,
                authenticationMode: eks.AuthenticationMode.Api,
                accessEntries: Object.fromEntries(
                    [
                        ...args.adminRoleArns.map((arn, index) => [`admin-${index}`, arn] as const),
                        ["deploy-runner", args.deployRunner.roleArn] as const,
                    ].map(([key, principalArn]) => [
                        key,
                        {
                            principalArn,
                            accessPolicies: {
                                admin: {
                                    policyArn: `arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
                                    accessScope: { type: "cluster" },
                                },
                            },
                        },
                    ]),
                ),
                enabledClusterLogTypes: CONTROL_PLANE_LOG_TYPES,
                encryptionConfigKeyArn: args.kmsKeyArn,
                createOidcProvider: true,
                skipDefaultNodeGroup: true,
                deletionProtection: true,
            },
            { parent: this, providers: { aws: args.provider }, dependsOn: [controlPlaneLogs] },
        );
        this.oidcProviderArn = this.cluster.oidcProviderArn;
        this.clusterArn = pulumi
            .all([this.cluster.urn, args.accountId])
            .apply(
                ([, account]) => `arn:${partition}:eks:${args.region}:${account}:cluster/${args.clusterName}`,
            );
        this.oidcIssuer = this.cluster.oidcIssuer;
        this.kubeconfig = pulumi.secret(this.cluster.kubeconfigJson);

        const nodeGroup = this.createNodeGroup(name, args, partition);
        this.createEbsCsiDriver(name, args, partition, nodeGroup);
        // The private endpoint admits the deploy runner: pulumi-eks attaches its cluster security
        // group to the control plane's network interfaces (pulumi-eks 4.3.0 nodejs/eks/cluster/
        // cluster.ts:702, vpcConfig.securityGroupIds) and returns its id (cluster.ts:2196).
        const apiFromRunner = new aws.vpc.SecurityGroupIngressRule(
            `${name}-api-from-deploy-runner`,
            {
                securityGroupId: this.cluster.clusterSecurityGroupId,
                referencedSecurityGroupId: args.deployRunner.securityGroupId,
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                description: "Kubernetes API from the stack's deploy runner",
            },
            { parent: this },
        );
        this.workloadPrerequisites = [nodeGroup, apiFromRunner];

        if (args.applyKubernetesResources === false) {
            this.kubernetesProvider = undefined;
            this.registerOutputs({ clusterName: this.clusterName, oidcProviderArn: this.oidcProviderArn });
            return;
        }
        this.kubernetesProvider = new k8s.Provider(
            `${name}-k8s`,
            { kubeconfig: this.cluster.kubeconfigJson, enableServerSideApply: true },
            { parent: this },
        );
        new k8s.storage.v1.StorageClass(
            `${name}-${BACKED_UP_STORAGE_CLASS}`,
            {
                metadata: {
                    name: BACKED_UP_STORAGE_CLASS,
                    annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
                },
                provisioner: "ebs.csi.aws.com",
                parameters: {
                    type: "gp3",
                    encrypted: "true",
                    kmsKeyId: args.kmsKeyArn,
                    // The EBS CSI driver tags every volume it creates; AWS Backup selects by this tag.
                    tagSpecification_1: `${BACKUP_TAG.key}=${BACKUP_TAG.value}`,
                },
                // A deleted claim must never delete the data: the volume stays until removed on purpose.
                reclaimPolicy: "Retain",
                volumeBindingMode: "WaitForFirstConsumer",
                allowVolumeExpansion: true,
            },
            { parent: this, provider: this.kubernetesProvider },
        );

        this.registerOutputs({ clusterName: this.clusterName, oidcProviderArn: this.oidcProviderArn });
    }

    /** The managed node group: private subnets, encrypted root volumes, IMDSv2 only. */
    private createNodeGroup(name: string, args: ClusterArgs, partition: string): aws.eks.NodeGroup {
        const role = new aws.iam.Role(
            `${name}-nodes`,
            {
                // No aws:SourceAccount condition: "Amazon EKS node IAM role" (EKS User Guide) gives
                // this trust policy without one; EKS documents the keys for the cluster role only
                // ("Cross-service confused deputy prevention in Amazon EKS"), EC2 none for instance profiles.
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: "ec2.amazonaws.com" },
                            Action: "sts:AssumeRole",
                        },
                    ],
                }),
            },
            { parent: this },
        );
        const nodePolicies = attachManagedPolicies(
            `${name}-nodes`,
            role,
            ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"].map(
                (policy) => `arn:${partition}:iam::aws:policy/${policy}`,
            ),
            { parent: this },
        );
        const launchTemplate = new aws.ec2.LaunchTemplate(
            `${name}-nodes`,
            {
                blockDeviceMappings: [
                    {
                        deviceName: "/dev/xvda",
                        ebs: {
                            volumeSize: NODE_ROOT_VOLUME_GIB,
                            volumeType: "gp3",
                            encrypted: "true",
                            kmsKeyId: args.kmsKeyArn,
                        },
                    },
                ],
                metadataOptions: {
                    httpTokens: "required",
                    httpPutResponseHopLimit: 2,
                    httpEndpoint: "enabled",
                },
            },
            { parent: this },
        );
        return new aws.eks.NodeGroup(
            `${name}-nodes`,
            {
                clusterName: args.clusterName,
                nodeRoleArn: role.arn,
                subnetIds: args.privateSubnetIds,
                instanceTypes: [args.nodes.instanceType],
                amiType: "AL2023_x86_64_STANDARD",
                launchTemplate: {
                    id: launchTemplate.id,
                    version: launchTemplate.latestVersion.apply(String),
                },
                scalingConfig: {
                    desiredSize: args.nodes.desired,
                    minSize: args.nodes.min,
                    maxSize: args.nodes.max,
                },
                updateConfig: { maxUnavailable: 1 },
            },
            // Nodes cannot join before their role has the worker policies.
            { parent: this, dependsOn: [this.cluster, ...nodePolicies] },
        );
    }

    /** The EBS CSI driver add-on, with an IRSA role that may use the volume key. */
    private createEbsCsiDriver(
        name: string,
        args: ClusterArgs,
        partition: string,
        nodeGroup: aws.eks.NodeGroup,
    ): void {
        const role = new aws.iam.Role(
            `${name}-ebs-csi`,
            {
                assumeRolePolicy: irsaTrustPolicy(
                    this.oidcProviderArn,
                    this.oidcIssuer,
                    "kube-system",
                    "ebs-csi-controller-sa",
                ),
            },
            { parent: this },
        );
        const driverPolicies = attachManagedPolicies(
            `${name}-ebs-csi`,
            role,
            [`arn:${partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy`],
            { parent: this },
        );
        new aws.iam.RolePolicy(
            `${name}-ebs-csi-kms`,
            {
                role: role.id,
                policy: pulumi.output(args.kmsKeyArn).apply((keyArn) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
                                Resource: keyArn,
                                Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
                            },
                            {
                                Effect: "Allow",
                                Action: [...KEY_USE_ACTIONS],
                                Resource: keyArn,
                            },
                        ],
                    }),
                ),
            },
            { parent: this },
        );
        new aws.eks.Addon(
            `${name}-ebs-csi`,
            {
                clusterName: args.clusterName,
                addonName: "aws-ebs-csi-driver",
                serviceAccountRoleArn: role.arn,
                resolveConflictsOnUpdate: "PRESERVE",
            },
            // The add-on only becomes active once nodes can run its pods.
            { parent: this, dependsOn: [nodeGroup, ...driverPolicies] },
        );
    }
}

function validate(name: string, args: ClusterArgs): void {
    const problems = new ProblemCollector();
    const field = (f: string) => `Cluster(${name}).${f}`;
    if (!/^[A-Za-z][A-Za-z0-9_-]{0,99}$/.test(args.clusterName)) {
        problems.add(
            field("clusterName"),
            "be 1–100 letters, digits, hyphens or underscores, starting with a letter",
            args.clusterName,
        );
    }
    const { desired, min, max } = args.nodes;
    if (!(Number.isInteger(min) && min >= 1 && min <= desired && desired <= max)) {
        problems.add(field("nodes"), "satisfy 1 <= min <= desired <= max", args.nodes);
    }
    if (args.apiPublicAccessCidrs.includes("0.0.0.0/0")) {
        problems.add(
            field("apiPublicAccessCidrs"),
            "not open the API to the whole internet",
            args.apiPublicAccessCidrs,
        );
    }
    problems.throwIfAny(`Invalid arguments for Cluster "${name}"`);
}
