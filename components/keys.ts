import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { KMS_DELETION_WINDOW_DAYS } from "../lib/retention";
import { statefulChild } from "../lib/resource-options";

/** Arguments of {@link DataKeys}. */
export interface DataKeysArgs {
    /** KMS alias (`alias/...`) given to the key in the home region and to its replica in the DR region. */
    alias: string;
    /** Provider for the DR region, where the replica key is created. */
    replicaProvider: aws.Provider;
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
