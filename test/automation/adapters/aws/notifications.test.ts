import * as assert from "assert";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockInstance } from "../../../support/mock-client";
import {
    MAX_SUBJECT_LENGTH,
    SnsNotifications,
    snsSubject,
} from "../../../../automation/adapters/aws/notifications";

const TOPIC = "arn:aws:sns:us-west-2:210987654321:webank-alerts-dr";

describe("automation/adapters/aws/notifications: SnsNotifications", () => {
    it("publishes subject and message to the topic", async () => {
        const client = new SNSClient({ region: "us-west-2" });
        const sns = mockInstance(client);
        sns.on(PublishCommand).resolves({ MessageId: "5f1c0de5-0000-4000-8000-000000000000", $metadata: {} });
        await new SnsNotifications(client, () => Promise.resolve(TOPIC)).publish(
            "webank-dr failover started",
            "run failover-1 by alice",
        );
        assert.deepStrictEqual(sns.commandCalls(PublishCommand)[0].args[0].input, {
            TopicArn: TOPIC,
            Subject: "webank-dr failover started",
            Message: "run failover-1 by alice",
        });
    });

    it("names the topic when SNS refuses", async () => {
        const client = new SNSClient({ region: "us-west-2" });
        mockInstance(client).on(PublishCommand).rejects(new Error("AuthorizationError"));
        await assert.rejects(
            () => new SnsNotifications(client, () => Promise.resolve(TOPIC)).publish("s", "m"),
            /notification to arn:aws:sns:us-west-2:210987654321:webank-alerts-dr was not sent \(AuthorizationError\)/,
        );
    });

    it("keeps a subject inside SNS's limit: one line, under 100 characters", () => {
        assert.strictEqual(snsSubject("a\nb\tc"), "a b c");
        const long = snsSubject("x".repeat(300));
        assert.strictEqual(long.length, MAX_SUBJECT_LENGTH);
        assert.ok(long.endsWith("..."));
        assert.ok(MAX_SUBJECT_LENGTH < 100);
    });
});
