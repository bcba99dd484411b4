import * as aws from "@pulumi/aws";
import * as awsnative from "@pulumi/aws-native";
import * as pulumi from "@pulumi/pulumi";
import { ProblemCollector } from "../lib/errors";
import { ASSET_CLASS_NAMES, RecoveryObjectives } from "../lib/objectives";
import { isRegionName, partitionOf } from "../lib/regions";
import { MAX_TAG_VALUE_LENGTH, TAG_KEYS } from "../lib/tags";
import {
    appTemplateBody,
    AssessedResource,
    checkAssessedResources,
    checkMappingTypes,
    resourceMappings,
} from "./resilience-template";

/** Re-exported so importers take the resources an application maps from the component that maps them. */
export { type AssessedResource, type AssessedResourceType } from "./resilience-template";

/**
 * A Resilience Hub application name: a letter, then letters, digits, hyphens and underscores,
 * 2–56 characters in all (the application allows 60, but its invoker role,
 * {@link invokerRoleName}, adds 8 and IAM role names have at most 64). The resiliency policy
 * has the same name.
 */
const APP_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{1,55}$/;

/**
 * The AWS managed policy of Resilience Hub's invoker role: read access to what it assesses
 * (the invoker role guide attaches it; AWS managed policy reference,
 * arn:aws:iam::aws:policy/AWSResilienceHubAsssessmentExecutionPolicy, with three s's).
 */
export const ASSESSMENT_POLICY = "AWSResilienceHubAsssessmentExecutionPolicy";

/** Name of the IAM role Resilience Hub assumes to import and assess the application `appName`. */
export function invokerRoleName(appName: string): string {
    return `${appName}-invoker`;
}

/**
 * Trust of the invoker role: Resilience Hub's service principal, as the user guide ("Invoker
 * role", "Defining trust policy using JSON file") writes it. No aws:SourceAccount or
 * aws:SourceArn condition: Resilience Hub documents none for this role, and a condition on a
 * key the service does not send would deny every assessment. Only an application of this
 * account can name the role, since naming it needs iam:PassRole on it here (API reference,
 * PermissionModel.invokerRoleName).
 */
const INVOKER_TRUST_POLICY = {
    Version: "2012-10-17",
    Statement: [
        {
            Effect: "Allow",
            Principal: { Service: "resiliencehub.amazonaws.com" },
            Action: "sts:AssumeRole",
        },
    ],
};

/** RTO and RPO targets for one kind of disruption, in seconds (Resilience Hub's unit). */
export interface DisruptionTarget {
    /** Recovery time objective, in seconds. */
    readonly rtoInSecs: number;
    /** Recovery point objective, in seconds. */
    readonly rpoInSecs: number;
}

/** The targets of a resiliency policy, one per disruption type, keyed as `awsnative.resiliencehub.ResiliencyPolicy` takes them. */
export interface ResiliencyTargets {
    /** Software disruption (a bad deployment, a crashed process). */
    readonly software: DisruptionTarget;
    /** Hardware disruption (a failed host or volume). */
    readonly hardware: DisruptionTarget;
    /** Loss of an Availability Zone. */
    readonly az: DisruptionTarget;
    /** Loss of the whole region: the DR failover. */
    readonly region: DisruptionTarget;
}

/**
 * The resiliency policy targets of a stack's objectives: for every disruption type, including
 * the loss of a region (the DR failover must meet the objectives too), the strictest RTO and
 * the strictest RPO across all asset classes, in seconds. E.g. objectives whose smallest RTO
 * is 60 minutes and smallest RPO 5 minutes give `{ rtoInSecs: 3600, rpoInSecs: 300 }` for all
 * four. The RTO and the RPO may come from different asset classes.
 */
export function resiliencyPolicyTargets(objectives: RecoveryObjectives): ResiliencyTargets {
    const classes = ASSET_CLASS_NAMES.map((assetClass) => objectives[assetClass]);
    const target: DisruptionTarget = {
        rtoInSecs: Math.min(...classes.map((objective) => objective.rtoMinutes)) * 60,
        rpoInSecs: Math.min(...classes.map((objective) => objective.rpoMinutes)) * 60,
    };
    return { software: { ...target }, hardware: { ...target }, az: { ...target }, region: { ...target } };
}

/** Arguments of {@link ResilienceHubApp}. */
export interface ResilienceHubAppArgs {
    /** The stack's recovery objectives: the policy holds the strictest of them (see {@link resiliencyPolicyTargets}). */
    objectives: RecoveryObjectives;
    /** The Pulumi stack the application assesses: the policy and the application carry the tag `webank:stack` with this value. */
    stackName: string;
    /**
     * Name of the Resilience Hub application and of its resiliency policy: a letter, then
     * letters, digits, hyphens and underscores, 2–56 characters. Its invoker role is
     * `<appName>-invoker` ({@link invokerRoleName}).
     */
    appName: string;
    /** The region of `nativeProvider`, e.g. `us-east-1`: its partition names the managed policy's ARN. */
    region: string;
    /**
     * The stack's resources the application assesses, each mapped by name to its physical id
     * (at least one): in the primary stack the database, the lock table and the state and
     * artifact buckets.
     */
    resources: AssessedResource[];
    /** The AWS Cloud Control (aws-native) provider of the stack's region, for the Resilience Hub resources. */
    nativeProvider: awsnative.Provider;
}

/**
 * Registers the stack with AWS Resilience Hub, which assesses it daily against the stack's
 * objectives: a resiliency policy (tier MissionCritical) whose RTO and RPO for software,
 * hardware, Availability Zone and region disruptions are the strictest objectives of any
 * asset class, and an application of the listed resources under that policy: each resource
 * mapped by name to its physical id (`Resource` mappings) and described by the application
 * template (see components/resilience-template.ts).
 *
 * The daily assessment runs as an invoker role the component creates (permission model
 * `RoleBased`, as the user guide's "Scheduled assessment setup" requires when Resilience Hub
 * runs assessments on its own): trusted by Resilience Hub only, with
 * AWSResilienceHubAsssessmentExecutionPolicy. Whoever runs `pulumi up` needs iam:PassRole on it.
 *
 * The role is created with the component's AWS provider; the policy and the application,
 * which only the Cloud Control provider has, with `nativeProvider`.
 */
export class ResilienceHubApp extends pulumi.ComponentResource {
    /** The resiliency policy. */
    public readonly policy: awsnative.resiliencehub.ResiliencyPolicy;
    /** The role Resilience Hub assumes to import and assess the resources. */
    public readonly invokerRole: aws.iam.Role;
    /** The Resilience Hub application. */
    public readonly app: awsnative.resiliencehub.App;
    /** ARN of the resiliency policy. */
    public readonly policyArn: pulumi.Output<string>;
    /** ARN of the Resilience Hub application. */
    public readonly appArn: pulumi.Output<string>;
    /** The policy's targets, as {@link resiliencyPolicyTargets} derived them. */
    public readonly targets: ResiliencyTargets;

    constructor(name: string, args: ResilienceHubAppArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webank:resilience:ResilienceHubApp", name, {}, opts);
        const problems = new ProblemCollector();
        const field = (argument: string) => `ResilienceHubApp(${name}).${argument}`;
        if (typeof args.appName !== "string" || !APP_NAME_PATTERN.test(args.appName)) {
            problems.add(
                field("appName"),
                "be a letter, then letters, digits, hyphens and underscores, 2–56 characters (its invoker role is <appName>-invoker, and IAM role names have at most 64)",
                args.appName,
            );
        }
        if (
            typeof args.stackName !== "string" ||
            args.stackName.length < 1 ||
            args.stackName.length > MAX_TAG_VALUE_LENGTH
        ) {
            problems.add(
                field("stackName"),
                `be the stack's name, 1–${MAX_TAG_VALUE_LENGTH} characters (it is a tag value)`,
                args.stackName,
            );
        }
        if (typeof args.region !== "string" || !isRegionName(args.region)) {
            problems.add(field("region"), "be an AWS region name such as us-east-1", args.region);
        }
        checkAssessedResources(problems, field("resources"), args.resources);
        // Mapped only from valid resources (an unknown type has no identifier type).
        const mappings = problems.count === 0 ? resourceMappings(args.resources) : [];
        checkMappingTypes(problems, field("resourceMappings"), mappings);
        problems.throwIfAny(`Invalid arguments for ResilienceHubApp "${name}"`);

        this.targets = resiliencyPolicyTargets(args.objectives);
        const minutes = (seconds: number) => seconds / 60;
        const tags = { [TAG_KEYS.stack]: args.stackName };

        this.policy = new awsnative.resiliencehub.ResiliencyPolicy(
            `${name}-policy`,
            {
                policyName: args.appName,
                policyDescription: `Strictest objectives of stack ${args.stackName}: RTO ${minutes(this.targets.region.rtoInSecs)} min, RPO ${minutes(this.targets.region.rpoInSecs)} min, for every disruption including the loss of the region`,
                tier: "MissionCritical",
                policy: {
                    software: { ...this.targets.software },
                    hardware: { ...this.targets.hardware },
                    az: { ...this.targets.az },
                    region: { ...this.targets.region },
                },
                tags,
            },
            { parent: this, provider: args.nativeProvider },
        );
        this.policyArn = this.policy.policyArn;

        this.invokerRole = new aws.iam.Role(
            `${name}-invoker`,
            {
                // A fixed name: the application's permission model names the role, not its ARN.
                name: invokerRoleName(args.appName),
                description: `AWS Resilience Hub imports and assesses the application ${args.appName} with this role`,
                assumeRolePolicy: JSON.stringify(INVOKER_TRUST_POLICY),
            },
            { parent: this },
        );
        const assessment = new aws.iam.RolePolicyAttachment(
            `${name}-invoker-assessment`,
            {
                role: this.invokerRole.name,
                policyArn: `arn:${partitionOf(args.region)}:iam::aws:policy/${ASSESSMENT_POLICY}`,
            },
            { parent: this },
        );

        this.app = new awsnative.resiliencehub.App(
            `${name}-app`,
            {
                name: args.appName,
                description: `Stack ${args.stackName}, assessed against the resiliency policy ${args.appName}`,
                appTemplateBody: appTemplateBody(args.resources),
                resiliencyPolicyArn: this.policy.policyArn,
                resourceMappings: mappings,
                appAssessmentSchedule: "Daily",
                permissionModel: { type: "RoleBased", invokerRoleName: this.invokerRole.name },
                tags,
            },
            // The first scheduled assessment must find the role able to read the resources.
            { parent: this, provider: args.nativeProvider, dependsOn: [assessment] },
        );
        this.appArn = this.app.appArn;

        this.registerOutputs({ policyArn: this.policyArn, appArn: this.appArn });
    }
}
