import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ProblemCollector } from "../lib/errors";
import { isRegionName, partitionOf } from "../lib/regions";
import type { ConfigRecorderMode } from "../config/backup";
import { KEY_PREFIX_PATTERN } from "./backup-assurance-args";
import { PROTECTED_RESOURCE_TYPES } from "./backup-assurance-controls";
import { attachManagedPolicies, serviceTrustPolicy } from "./iam";

/** Default S3 key prefix of the configuration history; AWS Config appends `AWSLogs/<account>/Config/<region>/`. */
export const DEFAULT_CONFIG_KEY_PREFIX = "aws-config/";

/**
 * The AWS Config resource type of each kind of resource the audit controls are scoped to
 * (their scope is in AWS Backup's spelling, {@link PROTECTED_RESOURCE_TYPES}). The controls
 * that evaluate protected resources run as AWS Config rules on the resources themselves:
 * RDS_, EBS_, DYNAMODB_ and S3_RESOURCES_PROTECTED_BY_BACKUP_PLAN, *_LAST_BACKUP_RECOVERY_POINT_CREATED
 * and *_MEETS_RESTORE_TIME_TARGET evaluate AWS::RDS::DBInstance, AWS::EC2::Volume,
 * AWS::DynamoDB::Table and AWS::S3::Bucket (AWS Config Developer Guide, each rule's "Resource
 * Types"). Typed by the protected kinds, so a kind added to the scope without its type fails
 * to compile.
 */
const PROTECTED_CONFIG_TYPES: Readonly<Record<(typeof PROTECTED_RESOURCE_TYPES)[number], string>> = {
    RDS: "AWS::RDS::DBInstance",
    EBS: "AWS::EC2::Volume",
    DynamoDB: "AWS::DynamoDB::Table",
    S3: "AWS::S3::Bucket",
};

/**
 * Every resource type AWS Config must record for the backup audit framework to evaluate its
 * controls: the AWS Backup types its plan, vault and recovery-point controls read ("AWS Backup:
 * backup plans / backup selection / backup vaults / recovery points"), AWS Config's resource
 * compliance, which "every control requires ... because this type records your compliance
 * status" (AWS Backup Developer Guide, "Choosing your controls"), and the protected resources.
 * Each is a value of AWS Config's ResourceType (botocore config 2014-11-12 service model).
 */
export const AUDIT_RECORDED_RESOURCE_TYPES: readonly string[] = [
    "AWS::Backup::BackupPlan",
    "AWS::Backup::BackupSelection",
    "AWS::Backup::BackupVault",
    "AWS::Backup::RecoveryPoint",
    "AWS::Config::ResourceCompliance",
    ...PROTECTED_RESOURCE_TYPES.map((kind) => PROTECTED_CONFIG_TYPES[kind]),
];

/** Arguments of {@link ConfigRecording}. */
export interface ConfigRecordingArgs {
    /** The account whose resources are recorded: AWS Config may assume the role only on its behalf. */
    accountId: pulumi.Input<string>;
    /** The region recorded: the backup audit framework's (the provider's region, e.g. `us-east-1`). */
    region: string;
    /** Name of the (same-account, same-region) bucket AWS Config delivers configuration history to. */
    bucketName: pulumi.Input<string>;
    /** ARN of that bucket. */
    bucketArn: pulumi.Input<string>;
    /** ARN of the customer KMS key (in `region`) the delivered objects are encrypted with: the bucket's key. */
    kmsKeyArn: pulumi.Input<string>;
    /** Key prefix of the history in the bucket. Default {@link DEFAULT_CONFIG_KEY_PREFIX}. */
    keyPrefix?: string;
}

/**
 * AWS Config recording for the backup audit framework, in one region: a customer managed
 * configuration recorder of only {@link AUDIT_RECORDED_RESOURCE_TYPES} (not every supported
 * type: Config charges per configuration item recorded), a delivery channel to an existing
 * bucket, the recorder turned on, and the role Config assumes for both.
 *
 * A custom role with AWS_ConfigRole rather than the service-linked role AWSServiceRoleForConfig:
 * the service-linked role may already exist in the account (creating it again fails), and it
 * "does not have permission to put objects to Amazon S3 buckets" nor to use a KMS key, so Config
 * would deliver as its service principal, which the bucket and key policies would then have to
 * grant (AWS Config Developer Guide, "Permissions for the Amazon S3 Bucket", "Permissions for the
 * KMS Key"). With a role in the bucket's account, Config "assumes the IAM role that you assigned"
 * to deliver, so this role's own policy grants the write and the key use, and the bucket and key
 * policies stay as they are (the data key delegates to IAM).
 *
 * A region holds one customer managed recorder and one delivery channel per account (AWS Config
 * Developer Guide, "Working with the configuration recorder"; API reference, PutDeliveryChannel):
 * where the account already has them, use {@link configRecordingFor} with `existing` instead.
 */
export class ConfigRecording extends pulumi.ComponentResource {
    /** The configuration recorder. */
    public readonly recorder: aws.cfg.Recorder;
    /** The delivery channel. */
    public readonly deliveryChannel: aws.cfg.DeliveryChannel;
    /** The recorder's status, recording. */
    public readonly status: aws.cfg.RecorderStatus;
    /** The role AWS Config assumes to record and to deliver. */
    public readonly role: aws.iam.Role;
    /** Name of the recorder (and of the delivery channel): the component's name. */
    public readonly recorderName: pulumi.Output<string>;
    /** What is recorded where, for the stack outputs. */
    public readonly summary: string;

    constructor(name: string, args: ConfigRecordingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webank:audit:ConfigRecording", name, {}, opts);
        const keyPrefix = validateConfigRecordingArgs(name, args).replace(/\/+$/, "");
        const partition = partitionOf(args.region);
        const region = args.region;

        this.role = new aws.iam.Role(
            `${name}-role`,
            {
                description: `AWS Config records the backup audit framework's resource types in ${region}`,
                // Only this account's Config in this region may assume it, as the AWS Config
                // Developer Guide recommends ("Permissions for the IAM Role Assigned to AWS
                // Config": aws:SourceAccount, and aws:SourceArn arn:aws:config:region:account:*).
                assumeRolePolicy: pulumi
                    .output(args.accountId)
                    .apply((account) =>
                        serviceTrustPolicy(
                            "config.amazonaws.com",
                            account,
                            `arn:${partition}:config:${region}:${account}:*`,
                        ),
                    ),
            },
            { parent: this },
        );
        // Read access to describe the recorded resources, kept current by AWS with every new type.
        const readAccess = attachManagedPolicies(
            name,
            this.role,
            [`arn:${partition}:iam::aws:policy/service-role/AWS_ConfigRole`],
            { parent: this },
        );
        const deliveryAccess = new aws.iam.RolePolicy(
            `${name}-delivery-access`,
            {
                role: this.role.id,
                policy: pulumi
                    .all([args.accountId, args.bucketArn, args.kmsKeyArn])
                    .apply(([account, bucketArn, keyArn]) =>
                        configDeliveryPolicy({ account, region, bucketArn, keyArn, keyPrefix }),
                    ),
            },
            { parent: this },
        );

        const types = [...AUDIT_RECORDED_RESOURCE_TYPES];
        this.recorder = new aws.cfg.Recorder(
            `${name}-recorder`,
            {
                name,
                roleArn: this.role.arn,
                recordingGroup: {
                    allSupported: false,
                    recordingStrategies: [{ useOnly: "INCLUSION_BY_RESOURCE_TYPES" }],
                    resourceTypes: types,
                },
                // Continuous: a recovery point is evaluated when it is made, not a day later.
                recordingMode: { recordingFrequency: "CONTINUOUS" },
            },
            { parent: this, dependsOn: readAccess },
        );
        // "Delivery Channel requires a Configuration Recorder to be present" (pulumi-aws
        // cfg.DeliveryChannel), and PutDeliveryChannel fails with InsufficientDeliveryPolicy
        // unless the role can already write to the bucket.
        this.deliveryChannel = new aws.cfg.DeliveryChannel(
            `${name}-delivery`,
            {
                name,
                s3BucketName: args.bucketName,
                s3KeyPrefix: keyPrefix,
                s3KmsKeyArn: args.kmsKeyArn,
            },
            { parent: this, dependsOn: [this.recorder, deliveryAccess] },
        );
        // "Starting Configuration Recorder requires a Delivery Channel to be present" (pulumi-aws cfg.RecorderStatus).
        this.status = new aws.cfg.RecorderStatus(
            `${name}-status`,
            { name: this.recorder.name, isEnabled: true },
            { parent: this, dependsOn: [this.deliveryChannel] },
        );

        this.recorderName = this.recorder.name;
        this.summary = `created: recorder ${name} records ${types.length} resource types in ${region} for the backup audit framework`;
        this.registerOutputs({ recorderName: this.recorderName, summary: this.summary });
    }
}

/**
 * Declares the recording `mode` asks for and returns what the stack outputs say of it: with
 * `create`, a {@link ConfigRecording} named `name`; with `existing`, nothing (the account's own
 * recorder must record {@link AUDIT_RECORDED_RESOURCE_TYPES} in the region, and the summary says so).
 */
export function configRecordingFor(
    mode: ConfigRecorderMode,
    name: string,
    args: ConfigRecordingArgs,
    opts?: pulumi.ComponentResourceOptions,
): string {
    if (mode === "existing") {
        return `existing: the account's recorder must record ${AUDIT_RECORDED_RESOURCE_TYPES.join(", ")} in ${args.region}`;
    }
    return new ConfigRecording(name, args, opts).summary;
}

/** What {@link configDeliveryPolicy} scopes the delivery to. */
interface DeliveryScope {
    /** The recorded account: Config writes under `AWSLogs/<account>/Config/`. */
    readonly account: string;
    /** The region, whose S3 endpoint is the only way the key may be used. */
    readonly region: string;
    /** ARN of the bucket. */
    readonly bucketArn: string;
    /** ARN of the bucket's KMS key. */
    readonly keyArn: string;
    /** Key prefix of the history, without a trailing slash. */
    readonly keyPrefix: string;
}

/**
 * The delivery permissions of the Config role, as the AWS Config Developer Guide gives them
 * ("Permissions for the IAM Role Assigned to AWS Config": S3 bucket and KMS key policies):
 * PutObject (and PutObjectAcl, for the bucket-owner-full-control ACL Config sends) only under
 * `<prefix>/AWSLogs/<account>/Config/`, GetBucketAcl on the bucket, and the key only through S3
 * in the region.
 */
export function configDeliveryPolicy(scope: DeliveryScope): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DeliverConfigurationHistory",
                Effect: "Allow",
                Action: ["s3:PutObject", "s3:PutObjectAcl"],
                Resource: `${scope.bucketArn}/${scope.keyPrefix}/AWSLogs/${scope.account}/Config/*`,
                Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" } },
            },
            {
                Sid: "CheckBucketAcl",
                Effect: "Allow",
                Action: "s3:GetBucketAcl",
                Resource: scope.bucketArn,
            },
            {
                Sid: "EncryptWithBucketKey",
                Effect: "Allow",
                Action: ["kms:GenerateDataKey", "kms:Decrypt"],
                Resource: scope.keyArn,
                Condition: { StringEquals: { "kms:ViaService": `s3.${scope.region}.amazonaws.com` } },
            },
        ],
    });
}

/**
 * Checks the plain arguments of the {@link ConfigRecording} named `name` before it declares
 * anything, and returns the key prefix (its default applied). Throws one error listing every
 * invalid argument.
 */
function validateConfigRecordingArgs(name: string, args: ConfigRecordingArgs): string {
    const keyPrefix = args.keyPrefix ?? DEFAULT_CONFIG_KEY_PREFIX;
    const problems = new ProblemCollector();
    const field = (argument: string) => `ConfigRecording(${name}).${argument}`;
    if (typeof args.region !== "string" || !isRegionName(args.region)) {
        problems.add(field("region"), "be an AWS region name such as us-east-1", args.region);
    }
    if (typeof keyPrefix !== "string" || !KEY_PREFIX_PATTERN.test(keyPrefix)) {
        problems.add(
            field("keyPrefix"),
            'be an S3 key prefix without spaces that does not start with "/", at most 512 characters',
            keyPrefix,
        );
    }
    problems.throwIfAny(`Invalid arguments for ConfigRecording "${name}"`);
    return keyPrefix;
}
