import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { partitionOf } from "../lib/regions";
import { statefulChild } from "../lib/resource-options";
import { ReplicatedBucket, ReplicatedStoreArgs } from "./replicated-bucket";

/**
 * Key prefixes inside the artifact bucket, one per kind of recovery artifact. Jobs that
 * write artifacts get IAM permissions scoped to their prefix.
 */
export const ARTIFACT_PREFIXES = {
    /** Helm chart tarballs (`helm package` output), for reinstalling a release. */
    helmCharts: "helm-charts/",
    /** `argocd admin export` files, for `argocd admin import`. */
    argocdExports: "argocd-exports/",
    /** `git bundle` files of the platform repository mirror. */
    gitBundles: "git-bundles/",
    /** `pulumi stack export` files of both stacks. */
    stackExports: "stack-exports/",
} as const;

/**
 * Arguments of {@link ArtifactStore}: those of every replicated store. The naming prefix is
 * also the ECR repository namespace that is replicated.
 */
export type ArtifactStoreArgs = ReplicatedStoreArgs;

/**
 * The store for every recovery artifact that is not a database or a volume: Helm chart
 * tarballs, Argo CD exports, Git bundles and stack exports.
 *
 * One replicated bucket with a prefix per kind (see {@link ARTIFACT_PREFIXES}) rather than a
 * bucket per kind: all four need exactly the same protections, replication and retention,
 * so one bucket means one replication rule and one lifecycle to audit, and least privilege is
 * still kept by granting each writer its prefix only. It is a separate bucket from the state
 * store because the people and jobs that may read state are far fewer.
 *
 * Container images and OCI Helm charts live in ECR: repositories under `<prefix>/` are
 * replicated to the DR region, and a repository creation template makes the replicas
 * immutable and encrypted with the DR replica key. The `<prefix>/charts` repository for OCI
 * charts is created here.
 */
export class ArtifactStore extends pulumi.ComponentResource {
    /** The replicated artifact bucket. */
    public readonly buckets: ReplicatedBucket;
    /** ECR repository for OCI Helm charts. */
    public readonly chartRepository: aws.ecr.Repository;
    /** Artifact bucket name (home region). */
    public readonly bucketName: pulumi.Output<string>;
    /** Artifact bucket ARN (home region). */
    public readonly bucketArn: pulumi.Output<string>;
    /** Replica bucket name (DR region). */
    public readonly replicaBucketName: pulumi.Output<string>;
    /** Replica bucket ARN (DR region). */
    public readonly replicaBucketArn: pulumi.Output<string>;
    /** URL of the OCI chart repository (`oci://` prefix not included, as Helm and ECR print it). */
    public readonly chartRepositoryUrl: pulumi.Output<string>;

    constructor(name: string, args: ArtifactStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webank:artifacts:ArtifactStore", name, {}, opts);

        this.buckets = new ReplicatedBucket(
            `${name}-bucket`,
            { ...args, purpose: "artifacts" },
            { parent: this },
        );

        this.chartRepository = new aws.ecr.Repository(
            `${name}-charts`,
            {
                name: `${args.prefix}/charts`,
                // A published chart version must never change under a release that uses it.
                imageTagMutability: "IMMUTABLE",
                encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.kmsKeyArn }],
                imageScanningConfiguration: { scanOnPush: true },
                forceDelete: false,
            },
            statefulChild(this),
        );

        new aws.ecr.ReplicationConfiguration(
            `${name}-ecr-replication`,
            {
                replicationConfiguration: {
                    rules: [
                        {
                            destinations: [{ region: args.drRegion, registryId: args.accountId }],
                            repositoryFilters: [{ filter: `${args.prefix}/`, filterType: "PREFIX_MATCH" }],
                        },
                    ],
                },
            },
            { parent: this },
        );

        // ECR needs its own role to create KMS-encrypted replica repositories from the template.
        const creationRole = new aws.iam.Role(
            `${name}-ecr-replica-creation`,
            {
                description: `Creates replicated ECR repositories under ${args.prefix}/ in ${args.drRegion}`,
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: "ecr.amazonaws.com" },
                            Action: "sts:AssumeRole",
                        },
                    ],
                }),
            },
            { parent: this },
        );
        const creationPolicy = new aws.iam.RolePolicy(
            `${name}-ecr-replica-creation`,
            {
                role: creationRole.id,
                policy: pulumi.all([args.accountId, args.replicaKmsKeyArn]).apply(([account, keyArn]) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Action: ["ecr:CreateRepository", "ecr:ReplicateImage", "ecr:TagResource"],
                                Resource: `arn:${partitionOf(args.drRegion)}:ecr:${args.drRegion}:${account}:repository/${args.prefix}/*`,
                            },
                            {
                                Effect: "Allow",
                                Action: ["kms:CreateGrant", "kms:RetireGrant", "kms:DescribeKey"],
                                Resource: keyArn,
                            },
                        ],
                    }),
                ),
            },
            { parent: this },
        );
        new aws.ecr.RepositoryCreationTemplate(
            `${name}-ecr-replica-template`,
            {
                prefix: args.prefix,
                appliedFors: ["REPLICATION"],
                description:
                    "Replicas of the webank repositories: immutable, encrypted with the DR replica key",
                imageTagMutability: "IMMUTABLE",
                encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.replicaKmsKeyArn }],
                customRoleArn: creationRole.arn,
            },
            { parent: this, provider: args.replicaProvider, dependsOn: [creationPolicy] },
        );

        this.bucketName = this.buckets.source.bucketName;
        this.bucketArn = this.buckets.source.bucketArn;
        this.replicaBucketName = this.buckets.replica.bucketName;
        this.replicaBucketArn = this.buckets.replica.bucketArn;
        this.chartRepositoryUrl = this.chartRepository.repositoryUrl;
        this.registerOutputs({
            bucketName: this.bucketName,
            replicaBucketName: this.replicaBucketName,
            chartRepositoryUrl: this.chartRepositoryUrl,
        });
    }
}
