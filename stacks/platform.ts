import { verifiedTables } from "../lib/restored-data";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ArgoCd } from "../components/argocd";
import { Cluster } from "../components/cluster";
import { DeployRunner } from "../components/deploy-runner";
import { DatabaseHeartbeat, HeartbeatDatabase, HeartbeatVerifierSecret } from "../components/heartbeat";
import { pulumiLoginUrl } from "../components/state-backend";
import { Network } from "../components/network";
import { CONFIG_NAMESPACE } from "../config/keys";
import { StackConfig } from "../config/stack-config";
import { argocdHighAvailability, argocdNodeCount, standbyNodeCount } from "../lib/argocd";
import { HEARTBEAT_CRONJOB_NAME } from "../lib/heartbeat-writer";
import { kubernetesLayer, KubernetesLayer, RunnerBuild, startRunnerCommand } from "../lib/kubernetes-access";
import { bootstrapBucketName, clusterName, deployRunnerProjectName } from "../lib/naming";

/** What the program found before declaring anything: where it runs and which clusters exist. */
export interface DeployContext {
    /** The CodeBuild build this process runs in, if any (lib/kubernetes-access.ts parseBuildArn). */
    readonly build: RunnerBuild | undefined;
    /** Names of the EKS clusters that exist in the stack's region (eks.getClusters). */
    readonly existingClusters: readonly string[];
    /** True in `pulumi preview`. */
    readonly dryRun: boolean;
    /**
     * Runs as if inside the stack's own deploy runner: the offline plan shows what the runner
     * applies (every resource), not the first bootstrap run from outside the VPC.
     * @default false
     */
    readonly asRunner?: boolean;
}

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
    /**
     * A hot standby (`webank:posture` hot): before activation it keeps enough nodes for Argo CD's
     * HA (lib/argocd.ts standbyNodeCount). @default false
     */
    readonly hotStandby?: boolean;
    /** The stack's account. */
    readonly accountId: pulumi.Input<string>;
    /** Where this run happens (decides whether the Kubernetes resources are declared). */
    readonly deploy: DeployContext;
    /**
     * The database a serving platform writes its heartbeat into, and the verifier's secret
     * (components/heartbeat.ts). Default: no heartbeat (a stack without a database).
     */
    readonly heartbeat?: PlatformHeartbeat;
}

/** What the heartbeat of a platform needs from its stack: the database and the verifier's secret. */
export interface PlatformHeartbeat {
    /** The stack's database (the restored one on an activated dr stack). */
    readonly database: Omit<HeartbeatDatabase, "name">;
    /** The verifier's secret: the primary one, or its read-only replica in the DR region. */
    readonly verifierSecret: HeartbeatVerifierSecret;
}

/** The cluster and Argo CD a stack runs. */
export interface Platform {
    /** The EKS cluster. */
    readonly cluster: Cluster;
    /** Argo CD on it; absent when this run does not apply the Kubernetes resources. */
    readonly argocd: ArgoCd | undefined;
    /**
     * The database heartbeat writer; present where Argo CD is and the platform serves (primary,
     * an activated dr) with a database to write into.
     */
    readonly heartbeat: DatabaseHeartbeat | undefined;
    /** The deploy runner inside the stack's VPC. */
    readonly runner: DeployRunner;
    /** Whether this run declared the Kubernetes resources, and why. */
    readonly kubernetesLayer: KubernetesLayer;
}

/**
 * Declares the EKS cluster and Argo CD for a stack. A serving platform gets the configured
 * node group and the root app; a warm standby keeps `warmNodeCount` nodes and Argo CD without
 * the root app, so nothing runs against production data before activation. A hot standby keeps
 * at least Argo CD's HA minimum of nodes and the root app synced: its workloads run, at their
 * minimum replicas, against the read-only replica, and no heartbeat writes until it serves.
 */
export function definePlatform(config: StackConfig, placement: PlatformPlacement): Platform {
    const settings = config.platform;
    const name = clusterName(config.prefix, config.role);
    const standby = standbyNodeCount(settings.cluster.warmNodeCount, placement.hotStandby === true);
    const nodes = placement.serving
        ? settings.cluster.nodes
        : { desired: standby, min: standby, max: settings.cluster.nodes.max };
    const parent = { providers: [placement.provider] };

    const runnerProjectName = deployRunnerProjectName(config.prefix, config.role);
    // Decided before anything is declared: an update that cannot reach the API is refused here.
    const layer = kubernetesLayer({
        access: settings.cluster.kubernetesAccess,
        clusterName: name,
        region: config.stackRegion,
        runnerProjectName,
        build: placement.deploy.asRunner
            ? { projectName: runnerProjectName, region: config.stackRegion }
            : placement.deploy.build,
        clusterExists: placement.deploy.existingClusters.includes(name),
        dryRun: placement.deploy.dryRun,
        startRunner: startRunnerCommand(runnerProjectName, config.stackRegion),
    });
    const runner = new DeployRunner(
        `${name}-deploy`,
        {
            projectName: runnerProjectName,
            stackName: config.stack,
            region: config.stackRegion,
            accountId: placement.accountId,
            vpcId: placement.network.vpcId,
            privateSubnetIds: placement.network.privateSubnetIds,
            kmsKeyArn: placement.kmsKeyArn,
            sourceBucketName: placement.artifactBucketName,
            // The stacks' own state lives in the bootstrap bucket in the DR region (README, bootstrap).
            backendUrl: pulumi
                .output(placement.accountId)
                .apply((account) =>
                    pulumiLoginUrl(bootstrapBucketName(config.prefix, account), config.drRegion),
                ),
            pulumiSha256: settings.cluster.runnerPulumiSha256,
            // A failover run in the dr runner (failover --on-runner) verifies the DR database's
            // data over PostgreSQL, inside this VPC; the primary's runner only deploys.
            databaseCidrs: config.role === "dr" ? [placement.network.cidr] : undefined,
        },
        parent,
    );

    const cluster = new Cluster(
        `${name}-eks`,
        {
            clusterName: name,
            version: settings.cluster.version,
            region: config.stackRegion,
            accountId: placement.accountId,
            provider: placement.provider,
            vpcId: placement.network.vpcId,
            privateSubnetIds: placement.network.privateSubnetIds,
            kmsKeyArn: placement.kmsKeyArn,
            apiPublicAccessCidrs: settings.cluster.apiPublicAccessCidrs,
            adminRoleArns: settings.cluster.adminRoleArns,
            deployRunner: { roleArn: runner.role.arn, securityGroupId: runner.securityGroupId },
            applyKubernetesResources: layer.apply,
            nodes: { instanceType: settings.cluster.nodeInstanceType, ...nodes },
        },
        parent,
    );

    if (!layer.apply || !cluster.kubernetesProvider) {
        return { cluster, argocd: undefined, heartbeat: undefined, runner, kubernetesLayer: layer };
    }
    const secrets = new pulumi.Config(CONFIG_NAMESPACE);
    const gitops = settings.gitops;
    const clientSecret = secrets.getSecret("argocdOidcClientSecret");
    const argocdNodes = argocdNodeCount(settings.cluster, placement.serving, placement.hotStandby === true);
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
            // A hot standby runs the platform before the failover (its database the read-only
            // replica), so the failover waits for no sync; a warm one only once it serves.
            syncRootApp: placement.serving || placement.hotStandby === true,
            // The DR cluster's Argo CD is not verified until `restore argocd` has run there.
            suspendExport: config.role === "dr",
            rpoMinutes: config.objectives.gitops.rpoMinutes,
            artifactBucketName: placement.artifactBucketName,
            artifactBucketArn: placement.artifactBucketArn,
            kmsKeyArn: placement.kmsKeyArn,
            alarmTopicArn: placement.alarmTopicArn,
        },
        // Not the whole cluster: Argo CD mounts no volume (components/argocd-values.ts), so it
        // installs beside the EBS CSI add-on instead of after it (automation/bench/up-phases.ts).
        { ...parent, dependsOn: [...cluster.workloadPrerequisites] },
    );
    // Only a serving platform writes: a warm standby's database is not restored yet.
    const target = placement.serving ? placement.heartbeat : undefined;
    const heartbeat = target
        ? new DatabaseHeartbeat(
              `${name}-heartbeat`,
              {
                  provider: cluster.kubernetesProvider,
                  awsProvider: placement.provider,
                  clusterName: name,
                  region: config.stackRegion,
                  accountId: placement.accountId,
                  oidcProviderArn: cluster.oidcProviderArn,
                  oidcIssuer: cluster.oidcIssuer,
                  database: { ...target.database, name: config.database.name },
                  verifierSecret: target.verifierSecret,
                  kmsKeyArn: placement.kmsKeyArn,
                  verifiedTables: verifiedTables(config.verification.tables, config.verification.migrations),
              },
              { ...parent, dependsOn: [cluster] },
          )
        : undefined;
    return { cluster, argocd, heartbeat, runner, kubernetesLayer: layer };
}

/**
 * The stack outputs of a platform: the cluster, its deploy runner, whether this run applied
 * the Kubernetes resources, and Argo CD's export schedule and the heartbeat where it did.
 */
export function platformOutputs(platform: Platform): Record<string, unknown> {
    return {
        clusterName: platform.cluster.clusterName,
        kubeconfig: platform.cluster.kubeconfig,
        deployRunner: platform.runner.projectName,
        deploySource: pulumi.interpolate`s3://${platform.runner.sourceLocation}`,
        kubernetesResources: platform.kubernetesLayer.reason,
        ...(platform.argocd
            ? {
                  argocdExportSchedule: platform.argocd.exportSchedule,
                  argocdExportPrefix: platform.argocd.exportPrefix,
              }
            : {}),
        ...(platform.heartbeat
            ? {
                  heartbeatCronJob: `${platform.heartbeat.namespace}/${HEARTBEAT_CRONJOB_NAME} (${platform.heartbeat.schedule} UTC)`,
              }
            : {}),
    };
}
