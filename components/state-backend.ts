import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { lockTableName } from "../lib/naming";
import { statefulChild } from "../lib/resource-options";
import { ProblemCollector } from "../lib/errors";
import { PITR_RETENTION_DAYS } from "../lib/retention";
import { ReplicatedBucket, ReplicatedStoreArgs } from "./replicated-bucket";

/** Arguments of {@link StateBackend}. */
export interface StateBackendArgs extends ReplicatedStoreArgs {
    /**
     * DynamoDB point-in-time recovery window of the lock table, in days (1–35). Its replica
     * keeps 35 days whatever this says: the provider's TableReplica takes no recovery period
     * (terraform-provider-aws#41504, open), and DynamoDB defaults an unset one to 35, its
     * maximum (API reference, PointInTimeRecoverySpecification), so the replica never keeps
     * less than the table.
     */
    pitrRetentionDays: number;
}

/**
 * The infrastructure-state store: a versioned, KMS-encrypted S3 bucket replicated to the DR
 * region (see {@link ReplicatedBucket}), and a DynamoDB lock table (`LockID` key, PITR,
 * deletion protection, SSE-KMS) with a global-table replica in the DR region that has the
 * same protections (its PITR window is 35 days, see {@link StateBackendArgs.pitrRetentionDays}). Pulumi stacks log in with {@link pulumiLoginUrl}; Terraform uses
 * {@link terraformBackend}, which locks through the table.
 *
 * This stack cannot keep its own state here (a bucket cannot hold the state of the stack
 * that creates it); the README gives the bootstrap order.
 */
export class StateBackend extends pulumi.ComponentResource {
    /** The replicated state bucket. */
    public readonly buckets: ReplicatedBucket;
    /** The lock table in the home region. */
    public readonly lockTable: aws.dynamodb.Table;
    /** The lock table's replica in the DR region. */
    public readonly lockTableReplica: aws.dynamodb.TableReplica;
    /** State bucket name (home region). */
    public readonly bucketName: pulumi.Output<string>;
    /** State bucket ARN (home region). */
    public readonly bucketArn: pulumi.Output<string>;
    /** Replica bucket name (DR region). */
    public readonly replicaBucketName: pulumi.Output<string>;
    /** Replica bucket ARN (DR region). */
    public readonly replicaBucketArn: pulumi.Output<string>;
    /** Lock table name (the same in both regions). */
    public readonly lockTableName: pulumi.Output<string>;
    /** Lock table ARN (home region). */
    public readonly lockTableArn: pulumi.Output<string>;
    /** Lock table replica ARN (DR region). */
    public readonly lockTableReplicaArn: pulumi.Output<string>;
    /** `pulumi login` URL of the state bucket. */
    public readonly pulumiLoginUrl: pulumi.Output<string>;
    /** `pulumi login` URL of the replica bucket, for use when the home region is lost. */
    public readonly pulumiLoginUrlDr: pulumi.Output<string>;
    /** A Terraform `backend "s3"` block that uses the bucket, the key and the lock table. */
    public readonly terraformBackend: pulumi.Output<string>;

    constructor(name: string, args: StateBackendArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webank:state:StateBackend", name, {}, opts);
        const problems = new ProblemCollector();
        problems.requireWholeNumber(
            `StateBackend(${name}).pitrRetentionDays`,
            args.pitrRetentionDays,
            PITR_RETENTION_DAYS,
        );
        problems.throwIfAny(`Invalid arguments for StateBackend "${name}"`);

        this.buckets = new ReplicatedBucket(
            `${name}-bucket`,
            { ...args, purpose: "state" },
            { parent: this },
        );

        this.lockTable = new aws.dynamodb.Table(
            `${name}-lock`,
            {
                name: lockTableName(args.prefix),
                billingMode: "PAY_PER_REQUEST",
                hashKey: "LockID",
                attributes: [{ name: "LockID", type: "S" }],
                pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: args.pitrRetentionDays },
                deletionProtectionEnabled: true,
                serverSideEncryption: { enabled: true, kmsKeyArn: args.kmsKeyArn },
                // Global-table replicas are fed from the stream.
                streamEnabled: true,
                streamViewType: "NEW_AND_OLD_IMAGES",
            },
            // The replica is its own resource below; the provider docs require ignoring it here.
            statefulChild(this, { ignoreChanges: ["replicas"] }),
        );
        this.lockTableReplica = new aws.dynamodb.TableReplica(
            `${name}-lock-replica`,
            {
                globalTableArn: this.lockTable.arn,
                kmsKeyArn: args.replicaKmsKeyArn,
                // 35 days: the provider cannot set the replica's period (pitrRetentionDays' comment).
                pointInTimeRecovery: true,
                deletionProtectionEnabled: true,
            },
            statefulChild(this, { provider: args.replicaProvider }),
        );

        this.bucketName = this.buckets.source.bucketName;
        this.bucketArn = this.buckets.source.bucketArn;
        this.replicaBucketName = this.buckets.replica.bucketName;
        this.replicaBucketArn = this.buckets.replica.bucketArn;
        this.lockTableName = this.lockTable.name;
        this.lockTableArn = this.lockTable.arn;
        this.lockTableReplicaArn = this.lockTableReplica.arn;
        this.pulumiLoginUrl = this.bucketName.apply((bucket) => pulumiLoginUrl(bucket, args.homeRegion));
        this.pulumiLoginUrlDr = this.replicaBucketName.apply((bucket) =>
            pulumiLoginUrl(bucket, args.drRegion),
        );
        this.terraformBackend = pulumi
            .all([this.bucketName, this.lockTableName, args.kmsKeyArn])
            .apply(([bucket, table, keyArn]) =>
                terraformBackendBlock({ bucket, table, keyArn, region: args.homeRegion }),
            );

        this.registerOutputs({
            bucketName: this.bucketName,
            replicaBucketName: this.replicaBucketName,
            lockTableName: this.lockTableName,
            pulumiLoginUrl: this.pulumiLoginUrl,
            terraformBackend: this.terraformBackend,
        });
    }
}

/** The `pulumi login` URL for a self-managed S3 backend in `region`. */
export function pulumiLoginUrl(bucket: string, region: string): string {
    return `s3://${bucket}?region=${region}&awssdk=v2`;
}

/** Inputs of {@link terraformBackendBlock}. */
export interface TerraformBackendInputs {
    /** State bucket name. */
    bucket: string;
    /** Lock table name. */
    table: string;
    /** KMS key that encrypts state objects. */
    keyArn: string;
    /** Region of the bucket and the table. */
    region: string;
}

/** A Terraform `backend "s3"` block; `key` is left for each Terraform root module to choose. */
export function terraformBackendBlock(p: TerraformBackendInputs): string {
    return [
        "terraform {",
        '  backend "s3" {',
        `    bucket         = "${p.bucket}"`,
        '    key            = "<root-module>/terraform.tfstate"',
        `    region         = "${p.region}"`,
        `    dynamodb_table = "${p.table}"`,
        "    encrypt        = true",
        `    kms_key_id     = "${p.keyArn}"`,
        "  }",
        "}",
    ].join("\n");
}
