import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ProblemCollector } from "../lib/errors";
import { FLOW_LOG_RETENTION_DAYS } from "../lib/retention";
import { planSubnets } from "../lib/subnets";
import { NatLayout, natGatewayCount, ZONE_COUNT } from "../lib/network-layout";
import { serviceTrustPolicy } from "./iam";

/** Arguments of {@link Network}. */
export interface NetworkArgs {
    /** VPC range, /16 to /20 (validated `webank:homeVpcCidr` or `webank:drVpcCidr`). */
    cidr: string;
    /**
     * `per-zone` (one NAT gateway per AZ: losing an AZ does not cut the others off) or
     * `single` (one shared gateway: the cheap pilot-light layout). Default `per-zone`.
     */
    natLayout?: NatLayout;
    /** KMS key (in the VPC's region) that encrypts the flow-log group. */
    logKmsKeyArn: pulumi.Input<string>;
}

/**
 * A VPC across three availability zones: a private subnet per zone for everything that
 * runs (nodes, databases), a public subnet per zone only for load balancers and NAT
 * gateways, the default security group stripped of every rule, and flow logs of all traffic
 * to a KMS-encrypted log group. Subnets carry the tags the AWS Load Balancer Controller
 * uses to place internal and internet-facing load balancers.
 */
export class Network extends pulumi.ComponentResource {
    /** The VPC. */
    public readonly vpc: aws.ec2.Vpc;
    /** VPC id. */
    public readonly vpcId: pulumi.Output<string>;
    /** VPC range. */
    public readonly cidr: string;
    /** Private subnet ids, one per zone. */
    public readonly privateSubnetIds: pulumi.Output<string>[];
    /** Public subnet ids, one per zone. */
    public readonly publicSubnetIds: pulumi.Output<string>[];

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webank:network:Network", name, {}, opts);
        const natLayout = args.natLayout ?? "per-zone";
        const problems = new ProblemCollector();
        if (natLayout !== "per-zone" && natLayout !== "single") {
            problems.add(`Network(${name}).natLayout`, "be per-zone or single", natLayout);
        }
        problems.throwIfAny(`Invalid arguments for Network "${name}"`);
        const plan = planSubnets(args.cidr, ZONE_COUNT);
        const zones = aws.getAvailabilityZonesOutput(
            { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
            { parent: this },
        ).names;

        this.cidr = args.cidr;
        this.vpc = new aws.ec2.Vpc(
            name,
            { cidrBlock: args.cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: name } },
            { parent: this },
        );
        this.vpcId = this.vpc.id;
        // No rule at all: anything that needs traffic gets its own, named security group.
        new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: this.vpc.id }, { parent: this });

        const gateway = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: this.vpc.id }, { parent: this });
        const publicRoutes = new aws.ec2.RouteTable(
            `${name}-public`,
            { vpcId: this.vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: gateway.id }] },
            { parent: this },
        );

        const publicSubnets = plan.public.map((cidrBlock, zone) => {
            const subnet = new aws.ec2.Subnet(
                `${name}-public-${zone}`,
                {
                    vpcId: this.vpc.id,
                    cidrBlock,
                    availabilityZone: zones.apply((names) => names[zone]),
                    mapPublicIpOnLaunch: false,
                    tags: { Name: `${name}-public-${zone}`, "kubernetes.io/role/elb": "1" },
                },
                { parent: this },
            );
            new aws.ec2.RouteTableAssociation(
                `${name}-public-${zone}`,
                { subnetId: subnet.id, routeTableId: publicRoutes.id },
                { parent: this },
            );
            return subnet;
        });

        const natGateways = publicSubnets.slice(0, natGatewayCount(natLayout)).map((subnet, zone) => {
            const address = new aws.ec2.Eip(`${name}-nat-${zone}`, { domain: "vpc" }, { parent: this });
            return new aws.ec2.NatGateway(
                `${name}-nat-${zone}`,
                { subnetId: subnet.id, allocationId: address.id },
                { parent: this, dependsOn: [gateway] },
            );
        });

        const privateSubnets = plan.private.map((cidrBlock, zone) => {
            const subnet = new aws.ec2.Subnet(
                `${name}-private-${zone}`,
                {
                    vpcId: this.vpc.id,
                    cidrBlock,
                    availabilityZone: zones.apply((names) => names[zone]),
                    tags: { Name: `${name}-private-${zone}`, "kubernetes.io/role/internal-elb": "1" },
                },
                { parent: this },
            );
            const nat = natGateways[Math.min(zone, natGateways.length - 1)];
            const routes = new aws.ec2.RouteTable(
                `${name}-private-${zone}`,
                { vpcId: this.vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }] },
                { parent: this },
            );
            new aws.ec2.RouteTableAssociation(
                `${name}-private-${zone}`,
                { subnetId: subnet.id, routeTableId: routes.id },
                { parent: this },
            );
            return subnet;
        });

        this.createFlowLogs(name, args.logKmsKeyArn);
        this.privateSubnetIds = privateSubnets.map((s) => s.id);
        this.publicSubnetIds = publicSubnets.map((s) => s.id);
        this.registerOutputs({ vpcId: this.vpcId, privateSubnetIds: this.privateSubnetIds });
    }

    /** Flow logs of all traffic to an encrypted log group, through a role that can write only there. */
    private createFlowLogs(name: string, kmsKeyArn: pulumi.Input<string>): void {
        const group = new aws.cloudwatch.LogGroup(
            `${name}-flow-logs`,
            { retentionInDays: FLOW_LOG_RETENTION_DAYS, kmsKeyId: kmsKeyArn },
            { parent: this },
        );
        const role = new aws.iam.Role(
            `${name}-flow-logs`,
            {
                // Only this account's flow logs in this region may assume it: "We recommend that
                // you use the aws:SourceAccount and aws:SourceArn condition keys to protect
                // yourself against the confused deputy problem" (VPC User Guide, flow-logs-iam-role).
                // The log group's ARN (arn:<partition>:logs:<region>:<account>:log-group:<name>)
                // names all three, so no lookup is needed.
                assumeRolePolicy: group.arn.apply((arn) => {
                    const [, partition, , region, account] = arn.split(":");
                    return serviceTrustPolicy(
                        "vpc-flow-logs.amazonaws.com",
                        account,
                        `arn:${partition}:ec2:${region}:${account}:vpc-flow-log/*`,
                    );
                }),
            },
            { parent: this },
        );
        new aws.iam.RolePolicy(
            `${name}-flow-logs`,
            {
                role: role.id,
                policy: group.arn.apply((arn) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Action: [
                                    "logs:CreateLogStream",
                                    "logs:PutLogEvents",
                                    "logs:DescribeLogStreams",
                                ],
                                Resource: [arn, `${arn}:*`],
                            },
                            // DescribeLogGroups has no resource type (Service Authorization
                            // Reference, CloudWatch Logs): only "*" can allow it.
                            {
                                Effect: "Allow",
                                Action: "logs:DescribeLogGroups",
                                Resource: "*",
                            },
                        ],
                    }),
                ),
            },
            { parent: this },
        );
        new aws.ec2.FlowLog(
            `${name}-flow-logs`,
            {
                vpcId: this.vpc.id,
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: group.arn,
                iamRoleArn: role.arn,
                maxAggregationInterval: 60,
            },
            { parent: this },
        );
    }
}
