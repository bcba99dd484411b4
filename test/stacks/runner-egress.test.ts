import * as assert from "assert";
import { variantOverrides } from "../../offline/stack-variants";
import { inputsOf, named, runStack } from "../support/offline";

/*
 * The deploy runners' security groups as the stacks declare them: the dr runner runs a
 * failover (failover --on-runner), whose verify step opens the DR database over PostgreSQL, so
 * it may reach port 5432 inside its VPC and nowhere else; the primary's only deploys.
 */
describe("stacks: what the deploy runners may reach", () => {
    const egress = (run: Awaited<ReturnType<typeof runStack>>, name: string) =>
        (
            inputsOf(named(run, "aws:ec2/securityGroup:SecurityGroup", name)).egress as {
                fromPort: number;
                cidrBlocks: string[];
            }[]
        ).map((rule) => [rule.fromPort, rule.cidrBlocks]);

    it("lets the dr runner reach PostgreSQL in its own VPC only, and the primary's HTTPS alone", async () => {
        const primary = await runStack("primary");
        const warm = await runStack("dr", variantOverrides("dr:warm"), { primary: primary.outputs });
        const vpc = inputsOf(named(warm, "aws:ec2/vpc:Vpc", "webank-network")).cidrBlock as string;
        assert.deepStrictEqual(egress(warm, "webank-dr-deploy-sg"), [
            [443, ["0.0.0.0/0"]],
            [5432, [vpc]],
        ]);
        assert.deepStrictEqual(egress(primary, "webank-primary-deploy-sg"), [[443, ["0.0.0.0/0"]]]);
    });
});
