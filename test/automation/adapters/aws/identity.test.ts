import * as assert from "assert";
import { DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from "@aws-sdk/client-dynamodb";
import { Client } from "@smithy/core/client";
import { mockClient } from "aws-sdk-client-mock";
import { accountOfArn, LockTableIdentity } from "../../../../automation/adapters/aws/identity";

const meta = { $metadata: {} };

/**
 * Mocks this one client instance, never the class: a class-level mock (another test file's)
 * would replace ours, or be replaced by it, for the whole mocha run. The instance gets its own
 * `send` first, so aws-sdk-client-mock stubs that and leaves any prototype stub alone.
 */
function mockInstance(client: DynamoDBClient) {
    Object.defineProperty(client, "send", {
        value: Client.prototype.send.bind(client),
        configurable: true,
        writable: true,
    });
    return mockClient(client);
}

describe("automation/aws/identity: LockTableIdentity", () => {
    let client: DynamoDBClient;
    let dynamodb: ReturnType<typeof mockInstance>;
    const port = () => new LockTableIdentity(client, "webank-state-lock", "us-west-2");
    beforeEach(() => {
        client = new DynamoDBClient({ region: "us-west-2" });
        dynamodb = mockInstance(client);
    });

    it("reads the account id from the lock table's ARN, once", async () => {
        dynamodb.on(DescribeTableCommand).resolves({
            Table: { TableArn: "arn:aws:dynamodb:us-west-2:210987654321:table/webank-state-lock" },
        });
        const identity = port();
        assert.strictEqual(await identity.accountId(), "210987654321");
        assert.strictEqual(await identity.accountId(), "210987654321");
        assert.strictEqual(dynamodb.commandCalls(DescribeTableCommand).length, 1);
        assert.deepStrictEqual(dynamodb.commandCalls(DescribeTableCommand)[0].args[0].input, {
            TableName: "webank-state-lock",
        });
    });

    it("says the lock table is missing, with the command to check it, and tries again next time", async () => {
        dynamodb
            .on(DescribeTableCommand)
            .rejectsOnce(new ResourceNotFoundException({ message: "Requested resource not found", ...meta }))
            .resolves({
                Table: { TableArn: "arn:aws:dynamodb:us-west-2:210987654321:table/webank-state-lock" },
            });
        const identity = port();
        await assert.rejects(
            () => identity.accountId(),
            /the lock table webank-state-lock does not exist in us-west-2, so the AWS account id \(read from its ARN\) is unknown; check it with: aws dynamodb describe-table --region us-west-2 --table-name webank-state-lock/,
        );
        assert.strictEqual(await identity.accountId(), "210987654321");
    });

    it("parses only a 12-digit account field", () => {
        assert.strictEqual(accountOfArn("arn:aws:dynamodb:us-west-2:123456789012:table/t"), "123456789012");
        assert.strictEqual(accountOfArn("arn:aws:s3:::bucket"), undefined);
        assert.strictEqual(accountOfArn(undefined), undefined);
    });
});
