import * as assert from "assert";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { RDSClient, DescribeDBInstancesCommand } from "@aws-sdk/client-rds";
import { HttpResponse } from "@smithy/core/transport";
import { Readable } from "stream";
import {
    awsClientConfig,
    exponentialBackoff,
    MAX_ATTEMPTS,
    MAX_DELAY_MS,
    retryStrategy,
    waiterSettings,
} from "../../../../automation/adapters/aws/retry";
import { unmockedInstance } from "../../../support/mock-client";

const CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "not-a-secret" };
const TABLE_ARN = "arn:aws:dynamodb:us-west-2:123456789012:table/webank-state-lock";

/** One canned HTTP answer. */
interface Answer {
    readonly status: number;
    readonly body: string;
    readonly headers?: Record<string, string>;
}

/** A fake HTTP layer under a REAL SDK client: answers in order and counts requests. */
function fakeHttp(answers: Answer[]) {
    const requests: string[] = [];
    return {
        requests,
        handler: {
            handle: (request: { headers: Record<string, string> }) => {
                requests.push(request.headers["x-amz-target"] ?? "");
                const answer = answers.shift();
                if (!answer) {
                    return Promise.reject(new Error("no more canned answers"));
                }
                return Promise.resolve({
                    response: new HttpResponse({
                        statusCode: answer.status,
                        headers: { "content-type": "application/x-amz-json-1.0", ...answer.headers },
                        body: Readable.from([Buffer.from(answer.body)]),
                    }),
                });
            },
            updateHttpClientConfig: () => undefined,
            httpHandlerConfigs: () => ({}),
        },
    };
}

const dynamoError = (type: string, message: string) =>
    JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message });
const throttled: Answer = {
    status: 400,
    body: dynamoError("ThrottlingException", "Rate of requests exceeds the allowed throughput."),
};
const describeOk: Answer = {
    status: 200,
    body: JSON.stringify({ Table: { TableName: "webank-state-lock", TableArn: TABLE_ARN } }),
};

/** A real DynamoDB client with the project's retry config, a recording backoff and the fake HTTP layer. */
function dynamoDb(answers: Answer[]) {
    const http = fakeHttp(answers);
    const delays: number[] = [];
    const client = unmockedInstance(
        new DynamoDBClient({
            ...awsClientConfig("us-west-2", {
                backoff: (attempt) => {
                    delays.push(attempt);
                    return 1;
                },
            }),
            credentials: CREDENTIALS,
            requestHandler: http.handler,
        }),
    );
    return { client, http, delays };
}

describe("automation/aws/retry", () => {
    it("retries ThrottlingException with backoff and succeeds on the third attempt", async () => {
        const { client, http, delays } = dynamoDb([throttled, throttled, describeOk]);
        const result = await client.send(new DescribeTableCommand({ TableName: "webank-state-lock" }));
        assert.strictEqual(result.Table?.TableArn, TABLE_ARN);
        assert.strictEqual(http.requests.length, 3);
        assert.ok(http.requests.every((target) => target === "DynamoDB_20120810.DescribeTable"));
        assert.deepStrictEqual(
            delays,
            [1, 2],
            "the backoff is consulted before each retry, with the retry number",
        );
        assert.strictEqual(result.$metadata.attempts, 3);
    });

    it("retries TooManyRequestsException, HTTP 429 and HTTP 503 the same way", async () => {
        const { client, http, delays } = dynamoDb([
            { status: 400, body: dynamoError("TooManyRequestsException", "slow down") },
            { status: 429, body: dynamoError("SomethingElse", "too many") },
            { status: 503, body: dynamoError("ServiceUnavailable", "try later") },
            describeOk,
        ]);
        await client.send(new DescribeTableCommand({ TableName: "webank-state-lock" }));
        assert.strictEqual(http.requests.length, 4);
        assert.deepStrictEqual(delays, [1, 2, 3]);
    });

    it("does not retry an error that is not retryable", async () => {
        const { client, http, delays } = dynamoDb([
            { status: 400, body: dynamoError("ResourceNotFoundException", "Requested resource not found") },
            describeOk,
        ]);
        await assert.rejects(
            () => client.send(new DescribeTableCommand({ TableName: "webank-state-lock" })),
            (error: Error) => error.name === "ResourceNotFoundException",
        );
        assert.strictEqual(http.requests.length, 1);
        assert.deepStrictEqual(delays, []);
    });

    it(`gives up after ${MAX_ATTEMPTS} attempts of throttling, and the error says so`, async () => {
        const { client, http } = dynamoDb(Array.from({ length: MAX_ATTEMPTS + 2 }, () => throttled));
        await assert.rejects(
            () => client.send(new DescribeTableCommand({ TableName: "webank-state-lock" })),
            (error: Error & { $metadata?: { attempts?: number } }) =>
                error.name === "ThrottlingException" && error.$metadata?.attempts === MAX_ATTEMPTS,
        );
        assert.strictEqual(http.requests.length, MAX_ATTEMPTS);
    });

    it("retries an RDS (query protocol) Throttling error too", async () => {
        let calls = 0;
        const rds = unmockedInstance(
            new RDSClient({
                ...awsClientConfig("us-west-2", { backoff: () => 1 }),
                credentials: CREDENTIALS,
                requestHandler: {
                    handle: () => {
                        calls += 1;
                        const body =
                            calls < 3
                                ? "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>"
                                : "<DescribeDBInstancesResponse><DescribeDBInstancesResult><DBInstances><DBInstance><DBInstanceIdentifier>webank-db</DBInstanceIdentifier></DBInstance></DBInstances></DescribeDBInstancesResult></DescribeDBInstancesResponse>";
                        return Promise.resolve({
                            response: new HttpResponse({
                                statusCode: calls < 3 ? 400 : 200,
                                headers: { "content-type": "text/xml" },
                                body: Readable.from([Buffer.from(body)]),
                            }),
                        });
                    },
                    updateHttpClientConfig: () => undefined,
                    httpHandlerConfigs: () => ({}),
                },
            }),
        );
        const result = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: "webank-db" }));
        assert.strictEqual(result.DBInstances?.[0]?.DBInstanceIdentifier, "webank-db");
        assert.strictEqual(calls, 3);
    });

    it("backs off exponentially with jitter, capped", () => {
        const low = () => 0;
        const high = () => 1;
        assert.deepStrictEqual(
            [1, 2, 3, 4, 5, 6, 7].map((attempt) => exponentialBackoff(attempt, high)),
            [1000, 2000, 4000, 8000, 16000, 20000, 20000],
        );
        assert.deepStrictEqual(
            [1, 2, 3].map((attempt) => exponentialBackoff(attempt, low)),
            [500, 1000, 2000],
        );
        assert.ok(exponentialBackoff(30, high) <= MAX_DELAY_MS);
    });

    it("refuses bad settings before any client exists", () => {
        assert.throws(
            () => retryStrategy({ maxAttempts: 0 }),
            /maxAttempts must be a whole number of at least 1; got 0/,
        );
        assert.throws(
            () => awsClientConfig("oregon"),
            /region must be an AWS region name such as us-west-2; got "oregon"/,
        );
        assert.throws(() => waiterSettings({}, 0), /timeoutMinutes must be a positive number; got 0/);
        assert.throws(
            () => waiterSettings({}, Number.NaN),
            /timeoutMinutes must be a positive number; got NaN/,
        );
    });

    it("shortens the first poll of a short wait so the SDK waiter accepts it", () => {
        const settings = waiterSettings({}, 0.1, { minDelaySeconds: 15, maxDelaySeconds: 60 });
        assert.strictEqual(settings.maxWaitTime, 6);
        assert.ok(settings.minDelay < settings.maxWaitTime);
        assert.ok(settings.maxDelay >= settings.minDelay);
    });
});
