import * as assert from "assert";
import { OfflineRun } from "../../offline/engine";
import { inputsOf, ofType, runStack } from "../support/offline";

const ACTIVATE = { "webank:activated": "true", "webank:restore": '{"source": "pitr", "time": "latest"}' };

describe("components/network: Network", () => {
    let primary: OfflineRun;
    let pilot: OfflineRun;
    let activated: OfflineRun;
    before(async () => {
        primary = await runStack("primary");
        pilot = await runStack("dr", {}, { primary: primary.outputs });
        activated = await runStack("dr", ACTIVATE, { primary: primary.outputs });
    });

    it("gives each stack its own VPC from config, distinct between regions", () => {
        const [home] = ofType(primary, "aws:ec2/vpc:Vpc");
        const [dr] = ofType(pilot, "aws:ec2/vpc:Vpc");
        assert.deepStrictEqual([home.region, inputsOf(home).cidrBlock], ["us-east-1", "10.10.0.0/16"]);
        assert.deepStrictEqual([dr.region, inputsOf(dr).cidrBlock], ["us-west-2", "10.20.0.0/16"]);
    });

    it("spreads three private and three public subnets over three zones", () => {
        const subnets = ofType(primary, "aws:ec2/subnet:Subnet");
        const priv = subnets.filter((s) => s.name.includes("-private-"));
        const pub = subnets.filter((s) => s.name.includes("-public-"));
        assert.deepStrictEqual(priv.map((s) => inputsOf(s).availabilityZone).sort(), [
            "us-east-1a",
            "us-east-1b",
            "us-east-1c",
        ]);
        assert.deepStrictEqual(pub.map((s) => inputsOf(s).cidrBlock).sort(), [
            "10.10.100.0/22",
            "10.10.104.0/22",
            "10.10.96.0/22",
        ]);
        assert.ok(
            pub.every((s) => inputsOf(s).mapPublicIpOnLaunch === false),
            "no public IPs on launch",
        );
        assert.ok(pub.every((s) => inputsOf(s).tags["kubernetes.io/role/elb"] === "1"));
        assert.ok(priv.every((s) => inputsOf(s).tags["kubernetes.io/role/internal-elb"] === "1"));
    });

    it("routes each private subnet through a NAT gateway, never the internet gateway", () => {
        const tables = ofType(primary, "aws:ec2/routeTable:RouteTable").filter((t) =>
            t.name.includes("-private-"),
        );
        assert.strictEqual(tables.length, 3);
        for (const table of tables) {
            const routes = inputsOf(table).routes;
            assert.ok(
                routes.every(
                    (r: { gatewayId?: string; natGatewayId?: string }) => !r.gatewayId && r.natGatewayId,
                ),
            );
        }
    });

    it("runs a NAT gateway per zone in primary, one in a pilot-light DR, one per zone once activated", () => {
        assert.strictEqual(ofType(primary, "aws:ec2/natGateway:NatGateway").length, 3);
        assert.strictEqual(ofType(pilot, "aws:ec2/natGateway:NatGateway").length, 1);
        assert.strictEqual(ofType(activated, "aws:ec2/natGateway:NatGateway").length, 3);
    });

    it("logs all traffic to a KMS-encrypted log group", () => {
        for (const run of [primary, pilot]) {
            const [flowLog] = ofType(run, "aws:ec2/flowLog:FlowLog");
            assert.strictEqual(inputsOf(flowLog).trafficType, "ALL");
            const [group] = ofType(run, "aws:cloudwatch/logGroup:LogGroup").filter((g) =>
                g.name.endsWith("flow-logs"),
            );
            assert.match(inputsOf(group).kmsKeyId, new RegExp(`^arn:aws:kms:${String(group.region)}:`));
            assert.strictEqual(inputsOf(group).retentionInDays, 365);
        }
    });

    it("strips every rule from the default security group", () => {
        const [sg] = ofType(primary, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
        assert.strictEqual(inputsOf(sg).ingress, undefined);
        assert.strictEqual(inputsOf(sg).egress, undefined);
    });
    // "We recommend that you use the aws:SourceAccount and aws:SourceArn condition keys to
    // protect yourself against the confused deputy problem" (VPC User Guide, flow-logs-iam-role).
    it("lets only this account's flow logs in the role's region assume the flow-log role", () => {
        for (const [run, region] of [
            [primary, "us-east-1"],
            [pilot, "us-west-2"],
        ] as const) {
            const role = ofType(run, "aws:iam/role:Role").find((r) => r.name.endsWith("-flow-logs"));
            assert.ok(role, "a flow-log role");
            const [statement] = JSON.parse(inputsOf(role).assumeRolePolicy).Statement;
            assert.deepStrictEqual(statement.Principal, { Service: "vpc-flow-logs.amazonaws.com" });
            assert.deepStrictEqual(statement.Condition, {
                StringEquals: { "aws:SourceAccount": "123456789012" },
                ArnLike: { "aws:SourceArn": `arn:aws:ec2:${region}:123456789012:vpc-flow-log/*` },
            });
        }
    });

    // The Service Authorization Reference lists no resource type for logs:DescribeLogGroups:
    // scoped to a log-group ARN it is never allowed; the other actions keep their log group.
    it("grants DescribeLogGroups on every resource (it has no resource type) and the rest on its log group only", () => {
        const policy = ofType(primary, "aws:iam/rolePolicy:RolePolicy").find((p) =>
            p.name.endsWith("-flow-logs"),
        );
        assert.ok(policy, "a flow-log role policy");
        const statements: { Action: string[]; Resource: string | string[] }[] = JSON.parse(
            inputsOf(policy).policy,
        ).Statement;
        const resourcesOf = (action: string) =>
            statements
                .filter((st) => [st.Action].flat().includes(action))
                .flatMap((st) => [st.Resource].flat());
        assert.deepStrictEqual(resourcesOf("logs:DescribeLogGroups"), ["*"]);
        for (const action of ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]) {
            const resources = resourcesOf(action);
            assert.ok(
                resources.length > 0 &&
                    resources.every((r) => r.startsWith("arn:aws:logs:us-east-1:123456789012:log-group:")),
                `${action}: ${resources.join(", ")}`,
            );
        }
    });
});
