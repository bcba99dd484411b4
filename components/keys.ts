import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { KEY_USE_ACTIONS } from "./iam";
import { partitionOf } from "../lib/regions";
import { KMS_DELETION_WINDOW_DAYS } from "../lib/retention";
import { statefulChild } from "../lib/resource-options";

/** Arguments of {@link DataKeys}. */
export interface DataKeysArgs {
    /** KMS alias (`alias/...`) given to the key in the home region and to its replica in the DR region. */
    alias: string;
    /** Provider for the DR region, where the replica key is created. */
    replicaProvider: aws.Provider;
    /** AWS account id: the key policy's administrator and the CloudWatch Logs condition. */
    accountId: pulumi.Input<string>;
    /** Region of the primary key (the home region). */
    region: string;
    /** Region of the replica key (the DR region). */
    replicaRegion: string;
    /** `webank:backupAccountId`, which may use both keys for the copies it receives. @default none */
    backupAccountId?: string;
    /** Description of both keys. Default: "webank data key (multi-Region)". */
    description?: string;
}

/**
 * A multi-Region customer managed KMS key in the home region and its replica in the DR
 * region. Every encrypted resource uses the key of its own region; because the two share key
 * material, data copied across regions stays decryptable when the home region is gone.
 * Rotation is on (the replica follows the primary's rotation), the deletion window is the
 * longest AWS allows, and both keys are protected and retained.
 */
export class DataKeys extends pulumi.ComponentResource {
    /** The multi-Region primary key in the home region. */
    public readonly key: aws.kms.Key;
    /** The replica of {@link key} in the DR region. */
    public readonly replicaKey: aws.kms.ReplicaKey;
    /** ARN of the home-region key. */
    public readonly keyArn: pulumi.Output<string>;
    /** ARN of the DR-region replica key. */
    public readonly replicaKeyArn: pulumi.Output<string>;

    constructor(name: string, args: DataKeysArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webank:keys:DataKeys", name, {}, opts);
        const description = args.description ?? "webank data key (multi-Region)";

        this.key = new aws.kms.Key(
            `${name}-key`,
            {
                description,
                multiRegion: true,
                enableKeyRotation: true,
                deletionWindowInDays: KMS_DELETION_WINDOW_DAYS,
                policy: pulumi
                    .output(args.accountId)
                    .apply((account) => dataKeyPolicy(account, args.region, args.backupAccountId)),
            },
            statefulChild(this),
        );
        new aws.kms.Alias(
            `${name}-alias`,
            { name: args.alias, targetKeyId: this.key.keyId },
            { parent: this },
        );

        this.replicaKey = new aws.kms.ReplicaKey(
            `${name}-replica`,
            {
                description,
                primaryKeyArn: this.key.arn,
                deletionWindowInDays: KMS_DELETION_WINDOW_DAYS,
                // Key policies are per Region: the replica's lets that Region's CloudWatch Logs in.
                policy: pulumi
                    .output(args.accountId)
                    .apply((account) => dataKeyPolicy(account, args.replicaRegion, args.backupAccountId)),
            },
            statefulChild(this, { provider: args.replicaProvider }),
        );
        new aws.kms.Alias(
            `${name}-replica-alias`,
            { name: args.alias, targetKeyId: this.replicaKey.keyId },
            { parent: this, provider: args.replicaProvider },
        );

        this.keyArn = this.key.arn;
        this.replicaKeyArn = this.replicaKey.arn;
        this.registerOutputs({ keyArn: this.keyArn, replicaKeyArn: this.replicaKeyArn });
    }
}

/**
 * ARN of the EC2 Auto Scaling service-linked role of `accountId`: the principal that launches
 * the EKS managed node group's instances, hence creates their encrypted root volumes. Path and
 * name as the EC2 Auto Scaling user guide, "Service-linked roles for Amazon EC2 Auto Scaling",
 * gives them (https://docs.aws.amazon.com/autoscaling/ec2/userguide/autoscaling-service-linked-role.html).
 */
export function autoScalingServiceLinkedRoleArn(partition: string, accountId: string): string {
    return `arn:${partition}:iam::${accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
}

/**
 * The data key's policy in `region`: the account administers and uses the key through IAM
 * (as with the default key policy), CloudWatch Logs in that Region may encrypt log groups
 * of this account with it (flow logs, database and cluster logs), CloudWatch alarms and
 * EventBridge may publish to the encrypted alert topic, and the EC2 Auto Scaling
 * service-linked role may use the key for the node group's encrypted volumes.
 */
export function dataKeyPolicy(accountId: string, region: string, backupAccountId?: string): string {
    const partition = partitionOf(region);
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AccountAdministersThroughIam",
                Effect: "Allow",
                Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
                Action: "kms:*",
                Resource: "*",
            },
            {
                Sid: "CloudWatchLogsEncryptsLogGroups",
                Effect: "Allow",
                Principal: { Service: `logs.${region}.amazonaws.com` },
                Action: [
                    "kms:Encrypt*",
                    "kms:Decrypt*",
                    "kms:ReEncrypt*",
                    "kms:GenerateDataKey*",
                    "kms:Describe*",
                ],
                Resource: "*",
                Condition: {
                    ArnLike: {
                        "kms:EncryptionContext:aws:logs:arn": `arn:${partition}:logs:${region}:${accountId}:log-group:*`,
                    },
                },
            },
            {
                // Alarms, EventBridge rules and backup vault events publish to the encrypted alert topic.
                Sid: "AlarmsPublishToEncryptedTopics",
                Effect: "Allow",
                Principal: {
                    Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com", "backup.amazonaws.com"],
                },
                Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                Resource: "*",
            },
            // The node group's root volumes are encrypted with this key and its instances are
            // launched by the Auto Scaling service-linked role, whose own permissions reach AWS
            // managed keys only: without these two statements every launch fails. Both are the
            // ones "Required AWS KMS key policy for use with encrypted volumes" (EC2 Auto Scaling
            // user guide, Example 1) documents:
            // https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html
            {
                Sid: "AutoScalingUsesKeyForEncryptedVolumes",
                Effect: "Allow",
                Principal: { AWS: autoScalingServiceLinkedRoleArn(partition, accountId) },
                Action: [...KEY_USE_ACTIONS],
                Resource: "*",
            },
            {
                // Grants only for AWS resources (the EBS volumes EC2 attaches), as the guide's
                // "Allow attachment of persistent resources" statement conditions them.
                Sid: "AutoScalingGrantsForPersistentResources",
                Effect: "Allow",
                Principal: { AWS: autoScalingServiceLinkedRoleArn(partition, accountId) },
                Action: "kms:CreateGrant",
                Resource: "*",
                Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
            },
            ...backupAccountKeyStatements(partition, backupAccountId),
        ],
    });
}

/**
 * With `webank:backupAccountId`, the backup account may use the key for the copies it
 * receives: RDS snapshots and EBS volumes keep their source key, and "if your resources are
 * encrypted with a customer managed key, you must share this customer managed key with the
 * destination account" (AWS Backup Developer Guide, "Creating backup copies across AWS
 * accounts": https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html).
 * The two statements are the KMS guide's for another account's use of a key
 * (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html):
 * cryptographic use, and grants only for AWS resources. Administering the key stays with this
 * account; the copies the backup account makes are re-encrypted with its own vault's key.
 */
function backupAccountKeyStatements(partition: string, backupAccountId: string | undefined): object[] {
    if (backupAccountId === undefined) {
        return [];
    }
    const principal = { AWS: `arn:${partition}:iam::${backupAccountId}:root` };
    return [
        {
            Sid: "BackupAccountUsesKeyForCopies",
            Effect: "Allow",
            Principal: principal,
            Action: [...KEY_USE_ACTIONS],
            Resource: "*",
        },
        {
            Sid: "BackupAccountGrantsForCopies",
            Effect: "Allow",
            Principal: principal,
            Action: "kms:CreateGrant",
            Resource: "*",
            Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
        },
    ];
}
