import { Client } from "@smithy/core/client";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";

/**
 * Gives this one client instance the SDK's own `send` back, so its requests go through the
 * real middleware stack even when a class-level mock (`mockClient(DynamoDBClient)`, another
 * test file's) has stubbed the prototype's `send` for the whole mocha run. For a test of the
 * real client (retries, serialization), and the first step of {@link mockInstance}.
 */
export function unmockedInstance<C extends object>(client: C): C {
    Object.defineProperty(client, "send", {
        value: Client.prototype.send.bind(client),
        configurable: true,
        writable: true,
    });
    return client;
}

/**
 * Mocks this one client instance, never the class: a class-level mock (another test file's)
 * would replace ours, or be replaced by it, for the whole mocha run. The instance gets its own
 * `send` first, so aws-sdk-client-mock stubs that and leaves any prototype stub alone.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any SDK v3 client, as mockClient takes it
export function mockInstance<TClient extends Client<any, any, any, any>>(
    client: TClient,
): AwsClientStub<TClient> {
    return mockClient(unmockedInstance(client)) as unknown as AwsClientStub<TClient>;
}
