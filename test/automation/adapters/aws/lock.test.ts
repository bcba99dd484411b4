import * as assert from "assert";
import {
    ConditionalCheckFailedException,
    DeleteItemCommand,
    DynamoDBClient,
    GetItemCommand,
    PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import { AwsClientStub } from "aws-sdk-client-mock";
import { FAILOVER_LOCK_ID, FailoverLock } from "../../../../automation/adapters/aws/lock";
import { FailoverLockedError } from "../../../../automation/ports";
import { mockInstance } from "../../../support/mock-client";

const conditionFailed = () =>
    new ConditionalCheckFailedException({ message: "The conditional request failed", $metadata: {} });
const HOLDER = { owner: "failover-A", since: "2026-11-25T03:00:00.000Z", by: "sre@host-a" };

describe("automation/failover-lock: FailoverLock", () => {
    // One mocked instance, never the class: a class-level stub outlives this file and would
    // answer the moto peer test's real DynamoDB calls (lock.moto.test.ts) for the whole run.
    let client: DynamoDBClient;
    let dynamodb: AwsClientStub<DynamoDBClient>;
    beforeEach(() => {
        client = new DynamoDBClient({ region: "us-west-2" });
        dynamodb = mockInstance(client);
    });
    const lock = () => new FailoverLock(client, "webank-state-lock");

    it("takes the lock with a conditional write to the lock table", async () => {
        dynamodb.on(PutItemCommand).resolves({});
        await lock().acquire(HOLDER);
        const [put] = dynamodb.commandCalls(PutItemCommand);
        const input = put.args[0].input;
        assert.strictEqual(input.TableName, "webank-state-lock");
        assert.strictEqual(input.Item?.LockID.S, FAILOVER_LOCK_ID);
        assert.strictEqual(input.ConditionExpression, "attribute_not_exists(LockID) OR #owner = :owner");
    });

    it("refuses a second concurrent failover, naming the holder, and changes nothing", async () => {
        dynamodb.on(PutItemCommand).rejects(conditionFailed());
        dynamodb.on(GetItemCommand).resolves({
            Item: {
                LockID: { S: FAILOVER_LOCK_ID },
                Owner: { S: "failover-A" },
                Since: { S: HOLDER.since },
                By: { S: HOLDER.by },
            },
        });
        await assert.rejects(
            () => lock().acquire({ ...HOLDER, owner: "failover-B" }),
            (error: unknown) =>
                error instanceof FailoverLockedError &&
                error.holder.owner === "failover-A" &&
                /since 2026-11-25T03:00:00.000Z .*Nothing was changed/.test(error.message),
        );
        assert.strictEqual(dynamodb.commandCalls(DeleteItemCommand).length, 0);
    });

    it("lets its own run release it, and never another run's lock", async () => {
        dynamodb
            .on(DeleteItemCommand, { ExpressionAttributeValues: { ":owner": { S: "failover-A" } } })
            .resolves({});
        dynamodb
            .on(DeleteItemCommand, { ExpressionAttributeValues: { ":owner": { S: "failover-B" } } })
            .rejects(conditionFailed());
        assert.strictEqual(await lock().release("failover-A"), true);
        assert.strictEqual(await lock().release("failover-B"), false);
    });

    it("reads the holder consistently, and says when the lock is free", async () => {
        dynamodb
            .on(GetItemCommand)
            .resolvesOnce({})
            .resolves({
                Item: {
                    LockID: { S: FAILOVER_LOCK_ID },
                    Owner: { S: HOLDER.owner },
                    Since: { S: HOLDER.since },
                    By: { S: HOLDER.by },
                },
            });
        assert.strictEqual(await lock().holder(), undefined);
        assert.deepStrictEqual(await lock().holder(), HOLDER);
        for (const call of dynamodb.commandCalls(GetItemCommand)) {
            assert.strictEqual(call.args[0].input.ConsistentRead, true);
        }
    });

    it("passes other errors through (throttling is for the caller's retry policy)", async () => {
        dynamodb.on(PutItemCommand).rejects(new Error("ProvisionedThroughputExceededException"));
        await assert.rejects(() => lock().acquire(HOLDER), /ProvisionedThroughputExceededException/);
    });
});
