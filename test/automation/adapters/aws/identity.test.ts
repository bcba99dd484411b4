import * as assert from "assert";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { AwsClientStub } from "aws-sdk-client-mock";
import { mockInstance } from "../../../support/mock-client";
import { StsIdentity } from "../../../../automation/adapters/aws/identity";

/** GetCallerIdentity's answer for an assumed role, as in the STS API reference's example. */
const ASSUMED_ROLE = {
    Account: "210987654321",
    Arn: "arn:aws:sts::210987654321:assumed-role/webank-dr-operator/alice",
    UserId: "AROA3XFRBF535PLBIFPI4:alice",
    $metadata: {},
};

describe("automation/adapters/aws/identity: StsIdentity", () => {
    let client: STSClient;
    let sts: AwsClientStub<STSClient>;
    beforeEach(() => {
        client = new STSClient({ region: "us-west-2" });
        sts = mockInstance(client);
    });

    it("reads the account and the caller's ARN from GetCallerIdentity, once", async () => {
        sts.on(GetCallerIdentityCommand).resolves(ASSUMED_ROLE);
        const identity = new StsIdentity(client, "us-west-2");
        assert.strictEqual(await identity.accountId(), "210987654321");
        assert.deepStrictEqual(await identity.callerIdentity(), {
            account: "210987654321",
            arn: "arn:aws:sts::210987654321:assumed-role/webank-dr-operator/alice",
            userId: "AROA3XFRBF535PLBIFPI4:alice",
        });
        assert.strictEqual(sts.commandCalls(GetCallerIdentityCommand).length, 1);
    });

    it("says how to check the credentials when STS fails, and tries again next time", async () => {
        sts.on(GetCallerIdentityCommand)
            .rejectsOnce(new Error("The security token included in the request is expired"))
            .resolves(ASSUMED_ROLE);
        const identity = new StsIdentity(client, "us-west-2");
        await assert.rejects(
            () => identity.accountId(),
            /caller identity could not be read \(The security token .* expired\).*aws sts get-caller-identity --region us-west-2/,
        );
        assert.strictEqual(await identity.accountId(), "210987654321");
    });

    it("refuses an answer without a 12-digit account", async () => {
        sts.on(GetCallerIdentityCommand).resolves({ ...ASSUMED_ROLE, Account: "1234" });
        await assert.rejects(() => new StsIdentity(client, "us-west-2").accountId(), /12-digit account/);
    });
});
