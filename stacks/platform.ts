import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ArgoCd } from "../components/argocd";
import { Cluster } from "../components/cluster";
import { Network } from "../components/network";
import { CONFIG_NAMESPACE, StackConfig } from "../config";
import { argocdHighAvailability, argocdNodeCount } from "../lib/argocd";
import { clusterName } from "../lib/naming";

/** What the plan and the stack outputs say when no hosted zone is configured. */
export const TRAFFIC_SKIPPED =
    "skipped: webank:dnsZoneId is not set, so no Route 53 health check or failover record is declared";

/** Where a stack's platform runs and stores its exports. */
export interface PlatformPlacement {
    /** AWS provider of the stack's region. */
    readonly provider: aws.Provider;
    /** The stack's network. */
    readonly network: Network;
    /** KMS key of the stack's region. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Artifact bucket in the stack's region (the replica in the DR region). */
    readonly artifactBucketName: pulumi.Input<string>;
    /** Its ARN. */
    readonly artifactBucketArn: pulumi.Input<string>;
    /** Alert topic. */
    readonly alarmTopicArn: pulumi.Input<string>;
    /** Whether the platform serves traffic: full node group and the root app. */
    readonly serving: boolean;
}

/** The cluster and Argo CD a stack runs. */
export interface Platform {
    /** The EKS cluster. */
    readonly cluster: Cluster;
    /** Argo CD on it. */
    readonly argocd: ArgoCd;
}

/**
 * Declares the EKS cluster and Argo CD for a stack. A serving platform gets the configured
 * node group and the root app; a warm standby keeps `warmNodeCount` nodes and Argo CD
 * without the root app, so nothing runs against production data before activation.
 */
export function definePlatform(config: StackConfig, placement: PlatformPlacement): Platform {
    const settings = config.platform;
    const name = clusterName(config.prefix, config.role);
    const nodes = placement.serving
        ? settings.cluster.nodes
        : {
              desired: settings.cluster.warmNodeCount,
              min: settings.cluster.warmNodeCount,
              max: settings.cluster.nodes.max,
          };
    const parent = { providers: [placement.provider] };

    const cluster = new Cluster(
        `${name}-eks`,
        {
            clusterName: name,
            version: settings.cluster.version,
            region: config.stackRegion,
            provider: placement.provider,
            vpcId: placement.network.vpcId,
            privateSubnetIds: placement.network.privateSubnetIds,
            kmsKeyArn: placement.kmsKeyArn,
            apiPublicAccessCidrs: settings.cluster.apiPublicAccessCidrs,
            adminRoleArns: settings.cluster.adminRoleArns,
            nodes: { instanceType: settings.cluster.nodeInstanceType, ...nodes },
        },
        parent,
    );

    const secrets = new pulumi.Config(CONFIG_NAMESPACE);
    const gitops = settings.gitops;
    const clientSecret = secrets.getSecret("argocdOidcClientSecret");
    const argocdNodes = argocdNodeCount(settings.cluster, placement.serving);
    const argocd = new ArgoCd(
        `${name}-argocd`,
        {
            provider: cluster.kubernetesProvider,
            awsProvider: placement.provider,
            clusterName: name,
            oidcProviderArn: cluster.oidcProviderArn,
            // ArgoCdArgs.oidcProviderUrl is documented as the issuer without https://: the cluster's oidcIssuer.
            oidcProviderUrl: cluster.oidcIssuer,
            // HA only where the node group keeps enough nodes for it (config refuses `on` elsewhere).
            nodeCount: argocdNodes,
            highAvailability: argocdHighAvailability(gitops.highAvailability, argocdNodes),
            chartVersion: gitops.chartVersion,
            imageTag: gitops.imageTag,
            repoUrl:
                gitops.source === "mirror" && gitops.mirrorRepoUrl ? gitops.mirrorRepoUrl : gitops.repoUrl,
            revision: gitops.revision,
            path: gitops.path,
            repoToken: secrets.getSecret("platformRepoToken"),
            oidc: gitops.oidc && clientSecret ? { ...gitops.oidc, clientSecret } : undefined,
            syncRootApp: placement.serving,
            // The DR cluster's Argo CD is not verified until `restore argocd` has run there.
            suspendExport: config.role === "dr",
            rpoMinutes: config.objectives.gitops.rpoMinutes,
            artifactBucketName: placement.artifactBucketName,
            artifactBucketArn: placement.artifactBucketArn,
            kmsKeyArn: placement.kmsKeyArn,
            alarmTopicArn: placement.alarmTopicArn,
        },
        { ...parent, dependsOn: [cluster] },
    );
    return { cluster, argocd };
}
