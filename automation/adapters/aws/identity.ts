import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { CallerIdentity, IdentityPort } from "../../ports";
import { messageOf } from "./retry";

/**
 * {@link IdentityPort} with STS GetCallerIdentity: the account id and the ARN of whoever runs
 * the command, for bucket names and for the report (who ran the recovery). GetCallerIdentity
 * needs no IAM permission ("No permissions are required to perform this operation", STS API
 * reference), so it works with any credentials that work at all. The answer is read once and
 * kept; a failed read is not kept, so the next call tries again.
 */
export class StsIdentity implements IdentityPort {
    private identity: Promise<CallerIdentity> | undefined;

    constructor(
        private readonly sts: STSClient,
        /** The region whose STS endpoint is called (the DR region: it answers when the home region does not). */
        private readonly region: string,
    ) {}

    /** The caller's account id. */
    public async accountId(): Promise<string> {
        return (await this.callerIdentity()).account;
    }

    /** The caller's account, ARN and user id. */
    public callerIdentity(): Promise<CallerIdentity> {
        this.identity ??= this.read().catch((error: unknown) => {
            this.identity = undefined;
            throw error;
        });
        return this.identity;
    }

    private async read(): Promise<CallerIdentity> {
        const check = `aws sts get-caller-identity --region ${this.region}`;
        let answer;
        try {
            answer = await this.sts.send(new GetCallerIdentityCommand({}));
        } catch (error) {
            throw new Error(
                `the AWS caller identity could not be read (${messageOf(error)}): are credentials set? check with: ${check}`,
                { cause: error },
            );
        }
        const { Account: account, Arn: arn, UserId: userId } = answer;
        if (!account || !/^\d{12}$/.test(account) || !arn || !userId) {
            throw new Error(
                `STS answered without a 12-digit account, an ARN or a user id (account ${String(account)}, arn ${String(arn)}); check with: ${check}`,
            );
        }
        return { account, arn, userId };
    }
}
