import {
    ConditionalCheckFailedException,
    DeleteItemCommand,
    DynamoDBClient,
    GetItemCommand,
    PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import { FailoverLockedError, LockHolder } from "../../ports";

/** The lock item's key in the state lock table: apart from Terraform's `<bucket>/<key>` items. */
export const FAILOVER_LOCK_ID = "webank-dr/failover";

/**
 * The lock that makes sure only one failover runs: a conditional write to the DynamoDB lock
 * table (in the DR region, where the failover runs). Taking it succeeds only when no lock
 * item exists; the holder's own run can take it again (a resumed run); releasing deletes
 * the item only if this run holds it.
 */
export class FailoverLock {
    constructor(
        private readonly dynamodb: DynamoDBClient,
        private readonly tableName: string,
    ) {}

    /** Takes the lock for `holder`, or throws {@link FailoverLockedError} naming the current holder. */
    public async acquire(holder: LockHolder): Promise<void> {
        try {
            await this.dynamodb.send(
                new PutItemCommand({
                    TableName: this.tableName,
                    Item: {
                        LockID: { S: FAILOVER_LOCK_ID },
                        Owner: { S: holder.owner },
                        Since: { S: holder.since },
                        By: { S: holder.by },
                    },
                    // Free, or already ours (a resumed run).
                    ConditionExpression: "attribute_not_exists(LockID) OR #owner = :owner",
                    ExpressionAttributeNames: { "#owner": "Owner" },
                    ExpressionAttributeValues: { ":owner": { S: holder.owner } },
                }),
            );
        } catch (error) {
            if (error instanceof ConditionalCheckFailedException) {
                const holder = await this.holder();
                throw new FailoverLockedError(
                    holder ?? { owner: "unknown", since: "unknown", by: "unknown" },
                );
            }
            throw error;
        }
    }

    /** Releases the lock if `owner` holds it; a lock held by another run is left alone. */
    public async release(owner: string): Promise<boolean> {
        try {
            await this.dynamodb.send(
                new DeleteItemCommand({
                    TableName: this.tableName,
                    Key: { LockID: { S: FAILOVER_LOCK_ID } },
                    ConditionExpression: "#owner = :owner",
                    ExpressionAttributeNames: { "#owner": "Owner" },
                    ExpressionAttributeValues: { ":owner": { S: owner } },
                }),
            );
            return true;
        } catch (error) {
            if (error instanceof ConditionalCheckFailedException) {
                return false;
            }
            throw error;
        }
    }

    /** The current holder, as stored in the lock item (read consistently), or undefined when the lock is free. */
    public async holder(): Promise<LockHolder | undefined> {
        const { Item } = await this.dynamodb.send(
            new GetItemCommand({
                TableName: this.tableName,
                Key: { LockID: { S: FAILOVER_LOCK_ID } },
                ConsistentRead: true,
            }),
        );
        if (!Item) {
            return undefined;
        }
        return {
            owner: Item.Owner?.S ?? "unknown",
            since: Item.Since?.S ?? "unknown",
            by: Item.By?.S ?? "unknown",
        };
    }
}
