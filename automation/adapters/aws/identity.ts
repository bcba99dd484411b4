import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { IdentityPort } from "../../ports";
import { isAwsError, messageOf } from "./retry";

/**
 * {@link IdentityPort} without STS. The project ships no STS client, and adding one only to
 * read the account id would be a dependency for one call. A table looked up by name is
 * always the caller's own account's table, so the account id in the ARN that DynamoDB
 * returns for the lock table (which every recovery command needs anyway, in the DR region
 * where the failover runs) is the caller's account. The answer is read once and kept.
 */
export class LockTableIdentity implements IdentityPort {
    private account: Promise<string> | undefined;

    constructor(
        private readonly dynamodb: DynamoDBClient,
        private readonly tableName: string,
        private readonly region: string,
    ) {}

    /** The caller's account id, from the lock table's ARN. */
    public accountId(): Promise<string> {
        this.account ??= this.read().catch((error: unknown) => {
            // A failed read is not kept: the next call tries again.
            this.account = undefined;
            throw error;
        });
        return this.account;
    }

    private async read(): Promise<string> {
        const check = `aws dynamodb describe-table --region ${this.region} --table-name ${this.tableName}`;
        let arn: string | undefined;
        try {
            arn = (await this.dynamodb.send(new DescribeTableCommand({ TableName: this.tableName }))).Table
                ?.TableArn;
        } catch (error) {
            const what = isAwsError(error, "ResourceNotFoundException")
                ? `the lock table ${this.tableName} does not exist in ${this.region}`
                : `the lock table ${this.tableName} in ${this.region} could not be read (${messageOf(error)})`;
            throw new Error(
                `${what}, so the AWS account id (read from its ARN) is unknown; check it with: ${check}`,
                { cause: error },
            );
        }
        const account = accountOfArn(arn);
        if (!account) {
            throw new Error(
                `the lock table's ARN has no account id (got ${String(arn)}); check it with: ${check}`,
            );
        }
        return account;
    }
}

/** The 12-digit account id field of an ARN, or undefined. */
export function accountOfArn(arn: string | undefined): string | undefined {
    const account = arn?.split(":")[4];
    return account && /^\d{12}$/.test(account) ? account : undefined;
}
