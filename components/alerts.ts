import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Arguments of {@link Alerts}. */
export interface AlertsArgs {
    /** KMS key that encrypts the topic (in the topic's region). */
    kmsKeyArn: pulumi.Input<string>;
    /** E-mail addresses subscribed to the topic (each must confirm). Default: none. */
    emailSubscribers?: string[];
}

/**
 * The SNS topic every DR alarm publishes to: failed or missing backup jobs, stale exports,
 * failed mirrors. Encrypted with the stack's key; CloudWatch alarms and EventBridge may
 * publish to it.
 */
export class Alerts extends pulumi.ComponentResource {
    /** The topic. */
    public readonly topic: aws.sns.Topic;
    /** Topic ARN, the action of every alarm. */
    public readonly topicArn: pulumi.Output<string>;

    constructor(name: string, args: AlertsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webank:alerts:Alerts", name, {}, opts);
        // The physical name is the component's name (no random suffix): recovery commands
        // publish to it by name, without reading any stack's state (lib/naming.ts).
        this.topic = new aws.sns.Topic(name, { name, kmsMasterKeyId: args.kmsKeyArn }, { parent: this });
        new aws.sns.TopicPolicy(
            `${name}-publishers`,
            {
                arn: this.topic.arn,
                policy: this.topic.arn.apply((arn) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Sid: "AlarmsEventsAndBackupPublish",
                                Effect: "Allow",
                                Principal: {
                                    Service: [
                                        "cloudwatch.amazonaws.com",
                                        "events.amazonaws.com",
                                        "backup.amazonaws.com",
                                    ],
                                },
                                Action: "sns:Publish",
                                Resource: arn,
                            },
                        ],
                    }),
                ),
            },
            { parent: this },
        );
        (args.emailSubscribers ?? []).forEach((endpoint, index) => {
            new aws.sns.TopicSubscription(
                `${name}-email-${index}`,
                { topic: this.topic.arn, protocol: "email", endpoint },
                { parent: this },
            );
        });
        this.topicArn = this.topic.arn;
        this.registerOutputs({ topicArn: this.topicArn });
    }
}
