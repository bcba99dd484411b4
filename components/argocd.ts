import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ProblemCollector } from "../lib/errors";
import { cronSchedule, jobPeriodMinutes } from "../lib/schedule";
import {
    ARGOCD_HA_MIN_NODES,
    ARGOCD_NAMESPACE,
    EXPORT_CRONJOB_NAME,
    exportDeadlineSeconds,
    ROOT_APP_NAME,
    SECRET_TYPE_LABEL,
} from "../lib/argocd";
import { ARTIFACT_PREFIXES } from "../lib/artifacts";
import { argocdHelmValues } from "./argocd-values";
import { EXPORT_METRIC, exportStaleAlarm } from "./argocd-export-alarm";
import { irsaTrustPolicy } from "./irsa";

/** Helm repository of the argo-cd chart. */
export const ARGO_HELM_REPO = "https://argoproj.github.io/argo-helm";

/**
 * Helm release history kept for Argo CD itself, and revision history kept by the root app:
 * 20 releases back, enough to roll back across a month of weekly changes.
 */
export const RELEASE_HISTORY = 20;

/** Arguments of {@link ArgoCd}. */
export interface ArgoCdArgs {
    /** Kubernetes provider of the cluster. */
    provider: k8s.Provider;
    /** AWS provider of the cluster's region (export role, alarm). */
    awsProvider: aws.Provider;
    /** Cluster name, for the export metric's dimension and names. */
    clusterName: string;
    /** OIDC provider ARN of the cluster, for the export job's IRSA role. */
    oidcProviderArn: pulumi.Input<string>;
    /** OIDC issuer URL without `https://`. */
    oidcProviderUrl: pulumi.Input<string>;
    /**
     * Nodes the cluster keeps (the node group's minimum, or `warmNodeCount` on a warm standby):
     * Argo CD's HA Redis needs at least 3 on separate hosts (lib/argocd.ts ARGOCD_HA_MIN_NODES).
     */
    nodeCount: number;
    /**
     * Run the chart's HA values (redis-ha, two replicas of server, repo server and ApplicationSet
     * controller). Refused on fewer than 3 nodes: the atomic release would roll back.
     * @default nodeCount >= 3
     */
    highAvailability?: boolean;
    /** Pinned argo-cd chart version. */
    chartVersion: string;
    /** Argo CD image tag of the export job (the chart's appVersion). */
    imageTag: string;
    /** Git URL the root app follows: the GitHub repository, or the mirror after a GitHub loss. */
    repoUrl: string;
    /** Revision of the root app. */
    revision: string;
    /** Path of the app-of-apps in the repository. */
    path: string;
    /** Token to read the repository, a Pulumi secret. Default: none (public repository). */
    repoToken?: pulumi.Output<string>;
    /** SSO settings; the client secret is a Pulumi secret. Default: no SSO (admin login only). */
    oidc?: { issuer: string; clientId: string; clientSecret: pulumi.Output<string> };
    /** Create the root app (the platform's workloads). False on a warm standby not yet activated. Default true. */
    syncRootApp?: boolean;
    /**
     * Create the export CronJob suspended (`spec.suspend: true`): on the DR side, whose Argo CD
     * is empty or half restored until `restore argocd` verifies it, so that it cannot write an
     * export that becomes the newest (argocd-operator#205). `restore argocd` unsuspends it once
     * every Application of the import exists; the program then leaves `spec.suspend` alone
     * (ignoreChanges), so a later `pulumi up` does not suspend it again.
     * @default false
     */
    suspendExport?: boolean;
    /** RPO of Argo CD's configuration, in minutes: sets how often it is exported. */
    rpoMinutes: number;
    /** Artifact bucket the export is uploaded to, under `argocd-exports/`. */
    artifactBucketName: pulumi.Input<string>;
    /** Its ARN, for the export role. */
    artifactBucketArn: pulumi.Input<string>;
    /** KMS key of the artifact bucket: the export is uploaded with SSE-KMS under it. */
    kmsKeyArn: pulumi.Input<string>;
    /** SNS topic the stale-export alarm notifies. */
    alarmTopicArn: pulumi.Input<string>;
}

/**
 * Argo CD as the platform's deployer: the argo-cd chart at a pinned version, with HA values
 * where the cluster has the nodes for them (components/argocd-values.ts),
 * SSO from a secret, repository credentials from a secret, and a root app-of-apps that
 * follows the platform repository (or its mirror). A CronJob exports the whole Argo CD
 * configuration (`argocd admin export`) on a schedule derived from the RPO and uploads it
 * to the artifact store with SSE-KMS through a role that can write only there; when no
 * export has succeeded for two periods an alarm fires. Restore: reinstall the chart, then
 * `argocd admin import - < export.yaml` (see the README).
 */
export class ArgoCd extends pulumi.ComponentResource {
    /** Whether the release runs the chart's HA values. */
    public readonly highAvailability: boolean;
    /** The Helm release of Argo CD. */
    public readonly release: k8s.helm.v3.Release;
    /** The export CronJob. */
    public readonly exportJob: k8s.batch.v1.CronJob;
    /** Cron schedule of the export. */
    public readonly exportSchedule: string;
    /** Key prefix of the exports in the artifact bucket. */
    public readonly exportPrefix: string;

    constructor(name: string, args: ArgoCdArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webank:gitops:ArgoCd", name, {}, opts);
        const problems = new ProblemCollector();
        let periodMinutes = 0;
        try {
            periodMinutes = jobPeriodMinutes(args.rpoMinutes);
        } catch (error) {
            problems.add(
                `ArgoCd(${name}).rpoMinutes`,
                (error as Error).message.replace(/^an RPO of \d+ minutes is /, "not be "),
                args.rpoMinutes,
            );
        }
        if (!Number.isInteger(args.nodeCount) || args.nodeCount < 1) {
            problems.add(`ArgoCd(${name}).nodeCount`, "be a whole number of at least 1", args.nodeCount);
        }
        const highAvailability = args.highAvailability ?? args.nodeCount >= ARGOCD_HA_MIN_NODES;
        if (highAvailability && args.nodeCount < ARGOCD_HA_MIN_NODES) {
            problems.add(
                `ArgoCd(${name}).highAvailability`,
                `be false on ${args.nodeCount} node(s): Argo CD's HA Redis needs at least ${ARGOCD_HA_MIN_NODES} ` +
                    "nodes (hard pod anti-affinity), so the atomic release would roll back",
                highAvailability,
            );
        }
        problems.throwIfAny(`Invalid arguments for ArgoCd "${name}"`);
        this.highAvailability = highAvailability;
        const k8sOpts = { parent: this, provider: args.provider };
        const awsOpts = { parent: this, provider: args.awsProvider };
        this.exportSchedule = cronSchedule(periodMinutes);
        this.exportPrefix = `${ARTIFACT_PREFIXES.argocdExports}${args.clusterName}/`;

        const namespace = new k8s.core.v1.Namespace(
            `${name}-ns`,
            { metadata: { name: ARGOCD_NAMESPACE } },
            k8sOpts,
        );

        this.release = new k8s.helm.v3.Release(
            name,
            {
                name: "argocd",
                chart: "argo-cd",
                version: args.chartVersion,
                repositoryOpts: { repo: ARGO_HELM_REPO },
                namespace: namespace.metadata.name,
                maxHistory: RELEASE_HISTORY,
                atomic: true,
                values: argocdHelmValues({ highAvailability, oidc: args.oidc }),
            },
            k8sOpts,
        );

        if (args.repoToken) {
            new k8s.core.v1.Secret(
                `${name}-repo`,
                {
                    metadata: {
                        name: "platform-repository",
                        namespace: namespace.metadata.name,
                        // Argo CD reads declarative repositories by this label, and `argocd admin
                        // export` takes a Secret outside argocd-secret only with it (lib/argocd.ts
                        // exportedByArgocdAdmin, from argo-cd backup.go), so the restore brings it back.
                        labels: { [SECRET_TYPE_LABEL]: "repository" },
                    },
                    stringData: { type: "git", url: args.repoUrl, username: "git", password: args.repoToken },
                },
                k8sOpts,
            );
        }

        if (args.syncRootApp ?? true) {
            new k8s.apiextensions.CustomResource(
                `${name}-root-app`,
                {
                    apiVersion: "argoproj.io/v1alpha1",
                    kind: "Application",
                    metadata: { name: ROOT_APP_NAME, namespace: namespace.metadata.name },
                    spec: {
                        project: "default",
                        source: { repoURL: args.repoUrl, targetRevision: args.revision, path: args.path },
                        destination: {
                            server: "https://kubernetes.default.svc",
                            namespace: ARGOCD_NAMESPACE,
                        },
                        syncPolicy: { automated: { prune: false, selfHeal: true } },
                        revisionHistoryLimit: RELEASE_HISTORY,
                    },
                },
                { ...k8sOpts, dependsOn: [this.release] },
            );
        }

        this.exportJob = this.createExportJob(name, args, namespace, k8sOpts, awsOpts, periodMinutes);
        this.registerOutputs({ exportSchedule: this.exportSchedule, highAvailability });
    }

    /** The export CronJob, its service account and RBAC, its IRSA role, and the stale-export alarm. */
    private createExportJob(
        name: string,
        args: ArgoCdArgs,
        namespace: k8s.core.v1.Namespace,
        k8sOpts: pulumi.CustomResourceOptions,
        awsOpts: pulumi.CustomResourceOptions,
        periodMinutes: number,
    ): k8s.batch.v1.CronJob {
        const serviceAccountName = "argocd-export";
        const role = new aws.iam.Role(
            `${name}-export`,
            {
                description: `Uploads Argo CD exports of ${args.clusterName} to the artifact store`,
                assumeRolePolicy: irsaTrustPolicy(
                    args.oidcProviderArn,
                    args.oidcProviderUrl,
                    ARGOCD_NAMESPACE,
                    serviceAccountName,
                ),
            },
            awsOpts,
        );
        new aws.iam.RolePolicy(
            `${name}-export`,
            {
                role: role.id,
                policy: pulumi.all([args.artifactBucketArn, args.kmsKeyArn]).apply(([bucketArn, keyArn]) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Action: "s3:PutObject",
                                Resource: `${bucketArn}/${this.exportPrefix}*`,
                            },
                            {
                                Effect: "Allow",
                                Action: ["kms:GenerateDataKey", "kms:Encrypt"],
                                Resource: keyArn,
                            },
                            {
                                Effect: "Allow",
                                Action: "cloudwatch:PutMetricData",
                                Resource: "*",
                                Condition: {
                                    StringEquals: { "cloudwatch:namespace": EXPORT_METRIC.namespace },
                                },
                            },
                        ],
                    }),
                ),
            },
            awsOpts,
        );

        const serviceAccount = new k8s.core.v1.ServiceAccount(
            `${name}-export`,
            {
                metadata: {
                    name: serviceAccountName,
                    namespace: namespace.metadata.name,
                    annotations: { "eks.amazonaws.com/role-arn": role.arn },
                },
            },
            k8sOpts,
        );
        // `argocd admin export` reads Argo CD's own objects: read-only, in its namespace only.
        const readRole = new k8s.rbac.v1.Role(
            `${name}-export`,
            {
                metadata: { name: "argocd-export", namespace: namespace.metadata.name },
                rules: [
                    { apiGroups: [""], resources: ["configmaps", "secrets"], verbs: ["get", "list"] },
                    {
                        apiGroups: ["argoproj.io"],
                        resources: ["applications", "appprojects", "applicationsets"],
                        verbs: ["get", "list"],
                    },
                ],
            },
            k8sOpts,
        );
        new k8s.rbac.v1.RoleBinding(
            `${name}-export`,
            {
                metadata: { name: "argocd-export", namespace: namespace.metadata.name },
                roleRef: {
                    apiGroup: "rbac.authorization.k8s.io",
                    kind: "Role",
                    name: readRole.metadata.name,
                },
                subjects: [{ kind: "ServiceAccount", name: serviceAccountName, namespace: ARGOCD_NAMESPACE }],
            },
            k8sOpts,
        );

        const upload = pulumi
            .all([args.artifactBucketName, args.kmsKeyArn])
            .apply(([bucket, keyArn]) =>
                [
                    "set -euo pipefail",
                    'key="' + this.exportPrefix + '$(date -u +%Y%m%dT%H%M%SZ).yaml"',
                    'test -s /export/argocd.yaml || { echo "export is empty" >&2; exit 1; }',
                    `aws s3 cp /export/argocd.yaml "s3://${bucket}/$key" --sse aws:kms --sse-kms-key-id ${keyArn}`,
                    `aws cloudwatch put-metric-data --namespace ${EXPORT_METRIC.namespace} --metric-name ${EXPORT_METRIC.name} --dimensions Cluster=${args.clusterName} --value 1`,
                    'echo "uploaded s3://' + bucket + '/$key"',
                ].join("\n"),
            );
        const exportJob = new k8s.batch.v1.CronJob(
            `${name}-export`,
            {
                metadata: { name: EXPORT_CRONJOB_NAME, namespace: namespace.metadata.name },
                spec: {
                    schedule: this.exportSchedule,
                    timeZone: "Etc/UTC",
                    concurrencyPolicy: "Forbid",
                    // Kubernetes CronJob "Schedule suspension": no Job is started while true;
                    // a manual `kubectl create job --from=cronjob/...` still runs.
                    suspend: args.suspendExport ?? false,
                    successfulJobsHistoryLimit: 3,
                    failedJobsHistoryLimit: 5,
                    jobTemplate: {
                        spec: {
                            backoffLimit: 2,
                            activeDeadlineSeconds: exportDeadlineSeconds(periodMinutes),
                            template: {
                                spec: {
                                    serviceAccountName: serviceAccount.metadata.name,
                                    restartPolicy: "Never",
                                    volumes: [{ name: "export", emptyDir: {} }],
                                    initContainers: [
                                        {
                                            name: "export",
                                            image: `quay.io/argoproj/argocd:${args.imageTag}`,
                                            command: [
                                                "sh",
                                                "-c",
                                                `argocd admin export -n ${ARGOCD_NAMESPACE} > /export/argocd.yaml`,
                                            ],
                                            volumeMounts: [{ name: "export", mountPath: "/export" }],
                                        },
                                    ],
                                    containers: [
                                        {
                                            name: "upload",
                                            image: "public.ecr.aws/aws-cli/aws-cli:2.22.35",
                                            command: ["bash", "-c", upload],
                                            volumeMounts: [
                                                { name: "export", mountPath: "/export", readOnly: true },
                                            ],
                                        },
                                    ],
                                },
                            },
                        },
                    },
                },
            },
            // Only the value at creation is declared: the restore's verification unsuspends it.
            { ...k8sOpts, dependsOn: [this.release], ignoreChanges: ["spec.suspend"] },
        );

        exportStaleAlarm(
            `${name}-export-stale`,
            {
                clusterName: args.clusterName,
                periodMinutes,
                alarmTopicArn: args.alarmTopicArn,
                suspended: args.suspendExport ?? false,
            },
            awsOpts,
        );
        return exportJob;
    }
}
