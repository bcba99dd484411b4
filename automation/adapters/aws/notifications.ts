import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { NotificationPort } from "../../ports";
import { messageOf } from "./retry";

/**
 * The longest SNS subject: "Constraints: Subjects must be UTF-8 text with no line breaks or
 * control characters, and less than 100 characters long" (SNS API reference, Publish).
 */
export const MAX_SUBJECT_LENGTH = 99;

/** A subject SNS accepts: one line, control characters replaced, cut to {@link MAX_SUBJECT_LENGTH}. */
export function snsSubject(subject: string): string {
    const line = subject.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
    return line.length <= MAX_SUBJECT_LENGTH ? line : `${line.slice(0, MAX_SUBJECT_LENGTH - 3)}...`;
}

/**
 * {@link NotificationPort} on the DR alert topic (SNS Publish). The topic is KMS-encrypted, so
 * the caller needs `sns:Publish` on it and `kms:GenerateDataKey*` and `kms:Decrypt` on its key
 * (SNS developer guide, "Encryption at rest": publishers of an encrypted topic need both).
 */
export class SnsNotifications implements NotificationPort {
    constructor(
        private readonly sns: SNSClient,
        /** Resolves the topic ARN (it contains the account id, read on first use). */
        private readonly topicArn: () => Promise<string>,
    ) {}

    /** Publishes `message` with `subject` to the topic; throws naming the topic when SNS refuses. */
    public async publish(subject: string, message: string): Promise<void> {
        const topic = await this.topicArn();
        try {
            await this.sns.send(
                new PublishCommand({ TopicArn: topic, Subject: snsSubject(subject), Message: message }),
            );
        } catch (error) {
            throw new Error(`the notification to ${topic} was not sent (${messageOf(error)})`, {
                cause: error,
            });
        }
    }
}
