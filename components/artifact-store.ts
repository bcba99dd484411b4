import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ARTIFACT_PREFIXES } from "../lib/artifacts";
import { partitionOf } from "../lib/regions";
import { ReplicatedBucket, ReplicatedStoreArgs } from "./replicated-bucket";

/**
 * Arguments of {@link ArtifactStore}: those of every replicated store, and how long the
 * periodic exports stay current. The naming prefix is also the ECR repository namespace
 * that is replicated.
 */
export interface ArtifactStoreArgs extends ReplicatedStoreArgs {
    /**
     * Days an Argo CD export or Git bundle stays current before S3 expires it (it then stays
     * a recoverable noncurrent version for `noncurrentVersionRetentionDays`). The stacks pass
     * the database's point-in-time window, so every asset can be rolled back as far as the
     * data. Written every few minutes, they would otherwise pile up forever, replicated.
     */
    periodicExportDays: number;
}

/**
 * The prefixes written on a schedule (every few minutes): the only ones that expire. Charts,
 * stack exports and recovery reports are written by people, rarely, and kept.
 */
export const PERIODIC_ARTIFACT_PREFIXES: readonly string[] = [
    ARTIFACT_PREFIXES.argocdExports,
    ARTIFACT_PREFIXES.gitBundles,
];

/**
 * The store for every recovery artifact that is not a database or a volume: Helm chart
 * tarballs, Argo CD exports, Git bundles and stack exports.
 *
 * One replicated bucket with a prefix per kind (`ARTIFACT_PREFIXES`, lib/artifacts.ts) rather than a
 * bucket per kind: all four need exactly the same protections, replication and retention,
 * so one bucket means one replication rule and one lifecycle to audit, and least privilege is
 * still kept by granting each writer its prefix only. It is a separate bucket from the state
 * store because the people and jobs that may read state are far fewer.
 *
 * Container images and OCI Helm charts live in ECR: repositories under `<prefix>/` are
 * replicated to the DR region, and a repository creation template makes the replicas
 * immutable and encrypted with the DR replica key. Charts pushed under `<prefix>/charts/`
 * get their repository created on push by a second template, immutable and KMS-encrypted.
 */
export class ArtifactStore extends pulumi.ComponentResource {
    /** The replicated artifact bucket. */
    public readonly buckets: ReplicatedBucket;
    /** The template that creates a repository per chart on `helm push`. */
    public readonly chartTemplate: aws.ecr.RepositoryCreationTemplate;
    /** Artifact bucket name (home region). */
    public readonly bucketName: pulumi.Output<string>;
    /** Artifact bucket ARN (home region). */
    public readonly bucketArn: pulumi.Output<string>;
    /** Replica bucket name (DR region). */
    public readonly replicaBucketName: pulumi.Output<string>;
    /** Replica bucket ARN (DR region). */
    public readonly replicaBucketArn: pulumi.Output<string>;
    /** Where charts are pushed: `helm push <tgz> oci://<this>` (each chart becomes `<this>/<name>`). */
    public readonly chartRepositoryUrl: pulumi.Output<string>;

    constructor(name: string, args: ArtifactStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webank:artifacts:ArtifactStore", name, {}, opts);

        this.buckets = new ReplicatedBucket(
            `${name}-bucket`,
            {
                ...replicatedStoreArgsOf(args),
                purpose: "artifacts",
                expireCurrent: { prefixes: PERIODIC_ARTIFACT_PREFIXES, days: args.periodicExportDays },
            },
            { parent: this },
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

        // ECR needs its own role to create KMS-encrypted repositories from a template.
        const creationRole = new aws.iam.Role(
            `${name}-ecr-repository-creation`,
            {
                description: `Creates ECR repositories under ${args.prefix}/ (chart pushes and replicas)`,
                // No aws:SourceAccount condition: "Create an IAM role for repository creation
                // templates" (Amazon ECR User Guide) documents this trust policy without one, and
                // ECR's "Cross-service confused deputy prevention" covers only repository policies.
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
            `${name}-ecr-repository-creation`,
            {
                role: creationRole.id,
                policy: pulumi
                    .all([args.accountId, args.kmsKeyArn, args.replicaKmsKeyArn])
                    .apply(([account, keyArn, replicaKeyArn]) =>
                        JSON.stringify({
                            Version: "2012-10-17",
                            Statement: [
                                {
                                    Effect: "Allow",
                                    Action: ["ecr:CreateRepository", "ecr:ReplicateImage", "ecr:TagResource"],
                                    Resource: [args.homeRegion, args.drRegion].map(
                                        (region) =>
                                            `arn:${partitionOf(region)}:ecr:${region}:${account}:repository/${args.prefix}/*`,
                                    ),
                                },
                                {
                                    Effect: "Allow",
                                    Action: ["kms:CreateGrant", "kms:RetireGrant", "kms:DescribeKey"],
                                    Resource: [keyArn, replicaKeyArn],
                                },
                            ],
                        }),
                    ),
            },
            { parent: this },
        );
        // `helm push` creates one repository per chart under <prefix>/charts/: immutable tags
        // (a published chart version never changes under a release), KMS, scan on push.
        this.chartTemplate = new aws.ecr.RepositoryCreationTemplate(
            `${name}-ecr-chart-template`,
            {
                prefix: `${args.prefix}/charts`,
                appliedFors: ["CREATE_ON_PUSH"],
                description: "OCI Helm charts pushed by scripts/publish-chart.sh: immutable, KMS-encrypted",
                imageTagMutability: "IMMUTABLE",
                encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.kmsKeyArn }],
                customRoleArn: creationRole.arn,
            },
            { parent: this, dependsOn: [creationPolicy] },
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
        this.chartRepositoryUrl = pulumi
            .output(args.accountId)
            .apply((account) => `${account}.dkr.ecr.${args.homeRegion}.amazonaws.com/${args.prefix}/charts`);
        this.registerOutputs({
            bucketName: this.bucketName,
            replicaBucketName: this.replicaBucketName,
            chartRepositoryUrl: this.chartRepositoryUrl,
        });
    }
}

/** The replicated-store part of `args`, without the artifact store's own field. */
function replicatedStoreArgsOf(args: ArtifactStoreArgs): ReplicatedStoreArgs {
    const store: ReplicatedStoreArgs & { periodicExportDays?: number } = { ...args };
    delete store.periodicExportDays;
    return store;
}
