import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { version as sdkVersion } from "@pulumi/pulumi/version";
import { deploySourceKey } from "../lib/artifacts";
import { ProblemCollector } from "../lib/errors";
import { partitionOf } from "../lib/regions";
import { RUNNER_BUILD_TIMEOUT_MINUTES, RUNNER_QUEUED_TIMEOUT_MINUTES } from "../lib/kubernetes-access";
import { POSTGRES_PORT } from "../lib/postgres";
import { FLOW_LOG_RETENTION_DAYS } from "../lib/retention";
import { attachManagedPolicies, serviceTrustPolicy } from "./iam";
import { deployRunnerBuildspec, RUNNER_VARIABLES } from "./deploy-runner-buildspec";

/** The CodeBuild image: Amazon Linux 2023 with bash, curl, git, the AWS CLI v2 (which pulumi-eks's kubeconfig calls) and Node.js runtimes. */
const BUILD_IMAGE = "aws/codebuild/amazonlinux-x86_64-standard:5.0";

/** The Pulumi CLI version the runner installs: the one of the pinned @pulumi/pulumi SDK (its CLI ships with the same number). */
export const PULUMI_CLI_VERSION: string = sdkVersion;

/** Arguments of {@link DeployRunner}. */
export interface DeployRunnerArgs {
    /** CodeBuild project name (lib/naming.ts deployRunnerProjectName). */
    projectName: string;
    /** The stack the runner deploys (`primary`, `dr`). */
    stackName: string;
    /** Region of the stack (and of the runner). */
    region: string;
    /** Account of the stack, for the confused-deputy conditions of the trust policy. */
    accountId: pulumi.Input<string>;
    /** VPC the runner runs in: the stack's own, from which the private API endpoint is reachable. */
    vpcId: pulumi.Input<string>;
    /** Private subnets (behind NAT) for the build's network interfaces. */
    privateSubnetIds: pulumi.Input<string>[];
    /** KMS key of the region: encrypts the build logs and CodeBuild's own artifacts. */
    kmsKeyArn: pulumi.Input<string>;
    /** Artifact bucket in the region (the replica in the DR region): holds `deploy-sources/<stack>.zip`. */
    sourceBucketName: pulumi.Input<string>;
    /** `pulumi login` URL of the stacks' backend (the bootstrap state bucket). */
    backendUrl: pulumi.Input<string>;
    /**
     * Pinned SHA-256 of the Pulumi CLI archive (`webank:runnerPulumiSha256`); the build also
     * checks it against the release's published checksums.
     * @default unset: only the published checksums are checked, and the build says so
     */
    pulumiSha256?: string;
    /**
     * Where the runner may reach PostgreSQL (5432): the VPC's CIDR, whose databases admit it
     * (components/database-parts.ts). A failover run in the runner (`failover --on-runner`)
     * verifies the restored data over a direct connection.
     * @default none: HTTPS out only, and a failover in the runner fails at its verify step
     */
    databaseCidrs?: pulumi.Input<string>[];
}

/**
 * The place `pulumi up` runs from when the cluster's API endpoint is private: a CodeBuild
 * project in the stack's private subnets (EKS user guide, "Cluster API server endpoint": a
 * private endpoint is reachable only from within the VPC or a connected network).
 *
 * - A security group that sends only HTTPS (443) out: to the EKS endpoint, AWS APIs, the
 *   npm registry and get.pulumi.com through the NAT gateway; the cluster admits 443 from it
 *   (components/cluster.ts). With `databaseCidrs`, PostgreSQL (5432) to them too, for a
 *   failover's data verification.
 * - A service role that CodeBuild may assume only for this project of this account (CodeBuild
 *   user guide, "Cross-service confused deputy prevention"), with AdministratorAccess: the
 *   program creates IAM roles, KMS keys and policies, so a narrower deployer role could still
 *   grant itself anything. Who may start a build (codebuild:StartBuild on this project) is
 *   who may deploy; the cluster gives the role an admin access entry.
 * - Source: `s3://<artifact bucket>/deploy-sources/<stack>.zip` (`git archive` of a reviewed
 *   commit, Pulumi.<stack>.yaml included), so a deploy works with GitHub lost. The bucket is
 *   versioned and the build prints the object version it deployed.
 * - One build at a time, logs encrypted in CloudWatch, `preview` unless told `up`.
 */
export class DeployRunner extends pulumi.ComponentResource {
    /** The CodeBuild project. */
    public readonly project: aws.codebuild.Project;
    /** Its service role (given a cluster access entry). */
    public readonly role: aws.iam.Role;
    /** The security group of the build's network interfaces. */
    public readonly securityGroupId: pulumi.Output<string>;
    /** Project name. */
    public readonly projectName: string;
    /** Where the source archive is read from: `<bucket>/deploy-sources/<stack>.zip`. */
    public readonly sourceLocation: pulumi.Output<string>;

    constructor(name: string, args: DeployRunnerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webank:deploy:DeployRunner", name, {}, opts);
        validate(name, args);
        const partition = partitionOf(args.region);
        this.projectName = args.projectName;
        const projectArn = pulumi.interpolate`arn:${partition}:codebuild:${args.region}:${args.accountId}:project/${args.projectName}`;

        const securityGroup = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description: `Deploy runner ${args.projectName}: ${args.databaseCidrs?.length ? "HTTPS, and PostgreSQL to the VPC," : "HTTPS"} out only`,
                egress: [
                    {
                        description: "HTTPS to the EKS API, AWS APIs, the npm registry and get.pulumi.com",
                        protocol: "tcp",
                        fromPort: 443,
                        toPort: 443,
                        cidrBlocks: ["0.0.0.0/0"],
                    },
                    ...(args.databaseCidrs && args.databaseCidrs.length > 0
                        ? [
                              {
                                  description:
                                      "PostgreSQL to the VPC's databases, for a failover's data verification",
                                  protocol: "tcp",
                                  fromPort: POSTGRES_PORT,
                                  toPort: POSTGRES_PORT,
                                  cidrBlocks: args.databaseCidrs,
                              },
                          ]
                        : []),
                ],
            },
            { parent: this },
        );
        this.securityGroupId = securityGroup.id;

        this.role = new aws.iam.Role(
            `${name}-role`,
            {
                description: `Runs pulumi for stack ${args.stackName} inside its VPC (CodeBuild ${args.projectName})`,
                assumeRolePolicy: pulumi
                    .all([args.accountId, projectArn])
                    .apply(([account, arn]) => serviceTrustPolicy("codebuild.amazonaws.com", account, arn)),
            },
            { parent: this },
        );
        const policies = attachManagedPolicies(
            `${name}-role`,
            this.role,
            [`arn:${partition}:iam::aws:policy/AdministratorAccess`],
            { parent: this },
        );

        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            {
                name: `/aws/codebuild/${args.projectName}`,
                retentionInDays: FLOW_LOG_RETENTION_DAYS,
                kmsKeyId: args.kmsKeyArn,
            },
            { parent: this },
        );

        this.sourceLocation = pulumi.interpolate`${args.sourceBucketName}/${deploySourceKey(args.stackName)}`;
        this.project = new aws.codebuild.Project(
            `${name}-project`,
            {
                name: args.projectName,
                description: `pulumi preview/up of stack ${args.stackName} from inside its VPC, with the policy pack`,
                serviceRole: this.role.arn,
                source: { type: "S3", location: this.sourceLocation, buildspec: deployRunnerBuildspec() },
                artifacts: { type: "NO_ARTIFACTS" },
                environment: {
                    type: "LINUX_CONTAINER",
                    // 7 GB: the AWS provider plugin of a plan this size needs more than SMALL's 3 GB.
                    computeType: "BUILD_GENERAL1_MEDIUM",
                    image: BUILD_IMAGE,
                    imagePullCredentialsType: "CODEBUILD",
                    environmentVariables: [
                        { name: RUNNER_VARIABLES.stack, value: args.stackName },
                        { name: RUNNER_VARIABLES.command, value: "preview" },
                        { name: RUNNER_VARIABLES.backendUrl, value: args.backendUrl },
                        { name: RUNNER_VARIABLES.pulumiVersion, value: PULUMI_CLI_VERSION },
                        { name: RUNNER_VARIABLES.pulumiSha256, value: args.pulumiSha256 ?? "" },
                    ].map((variable) => ({ ...variable, type: "PLAINTEXT" })),
                },
                vpcConfig: {
                    vpcId: args.vpcId,
                    subnets: args.privateSubnetIds,
                    securityGroupIds: [securityGroup.id],
                },
                encryptionKey: args.kmsKeyArn,
                logsConfig: {
                    cloudwatchLogs: { status: "ENABLED", groupName: logGroup.name },
                    s3Logs: { status: "DISABLED" },
                },
                buildTimeout: RUNNER_BUILD_TIMEOUT_MINUTES,
                queuedTimeout: RUNNER_QUEUED_TIMEOUT_MINUTES,
                // Pulumi locks the stack too; one build at a time keeps a second from queuing behind it.
                concurrentBuildLimit: 1,
            },
            { parent: this, dependsOn: policies },
        );
        this.registerOutputs({ projectName: this.projectName, sourceLocation: this.sourceLocation });
    }
}

function validate(name: string, args: DeployRunnerArgs): void {
    const problems = new ProblemCollector();
    const field = (f: string) => `DeployRunner(${name}).${f}`;
    // CodeBuild project names: 2-255 letters, digits, hyphens and underscores, starting with a letter or digit (CreateProject name).
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]{1,254}$/.test(args.projectName)) {
        problems.add(
            field("projectName"),
            "be a CodeBuild project name (2–255 letters, digits, - and _)",
            args.projectName,
        );
    }
    if (args.privateSubnetIds.length === 0) {
        problems.add(field("privateSubnetIds"), "name at least one private subnet", args.privateSubnetIds);
    }
    if (args.pulumiSha256 !== undefined && !/^[0-9a-f]{64}$/.test(args.pulumiSha256)) {
        problems.add(field("pulumiSha256"), "be 64 lower-case hex digits (a SHA-256)", args.pulumiSha256);
    }
    problems.throwIfAny(`Invalid arguments for DeployRunner "${name}"`);
}
