import * as aws from "@pulumi/aws";
import * as awsnative from "@pulumi/aws-native";
import * as pulumi from "@pulumi/pulumi";
import { ProblemCollector } from "../lib/errors";
import { ASSET_CLASS_NAMES, RecoveryObjectives } from "../lib/objectives";
import { MAX_TAG_VALUE_LENGTH, TAG_KEYS } from "../lib/tags";

/**
 * A Resilience Hub application name: a letter, then letters, digits, hyphens and underscores,
 * 2–60 characters in all. The resiliency policy has the same name.
 */
const APP_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{1,59}$/;

/** Resource group names may not start with these letters, in any case (the group is `<appName>-resources`). */
const RESERVED_GROUP_PREFIX = "aws";

/**
 * The smallest valid application template: no logical resources of its own, because
 * Resilience Hub imports them from the resource group mapping (the structure is the one of
 * `appTemplateBody` in the Resilience Hub API reference, PutDraftAppVersionTemplate).
 */
export const APP_TEMPLATE_BODY = '{"resources":[],"appComponents":[],"excludedResources":{},"version":2.0}';

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
    /** The Pulumi stack whose resources make up the application: they carry the tag `webank:stack` with this value. */
    stackName: string;
    /** Name of the Resilience Hub application and of its resiliency policy: a letter, then letters, digits, hyphens and underscores, 2–60 characters, not starting with "aws". */
    appName: string;
    /** The AWS Cloud Control (aws-native) provider of the stack's region, for the Resilience Hub resources. */
    nativeProvider: awsnative.Provider;
}

/**
 * Registers the stack with AWS Resilience Hub, which assesses it daily against the stack's
 * objectives: a resiliency policy (tier MissionCritical) whose RTO and RPO for software,
 * hardware, Availability Zone and region disruptions are the strictest objectives of any
 * asset class, a tag-query resource group of every resource tagged `webank:stack=<stackName>`,
 * and a Resilience Hub application that imports that group under the policy.
 *
 * The resource group is created with the component's AWS provider; the policy and the
 * application, which only the Cloud Control provider has, with `nativeProvider`.
 */
export class ResilienceHubApp extends pulumi.ComponentResource {
    /** The resiliency policy. */
    public readonly policy: awsnative.resiliencehub.ResiliencyPolicy;
    /** The resource group Resilience Hub imports the stack's resources from. */
    public readonly group: aws.resourcegroups.Group;
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
        if (
            typeof args.appName !== "string" ||
            !APP_NAME_PATTERN.test(args.appName) ||
            args.appName.toLowerCase().startsWith(RESERVED_GROUP_PREFIX)
        ) {
            problems.add(
                field("appName"),
                'be a letter, then letters, digits, hyphens and underscores, 2–60 characters, not starting with "aws"',
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
        problems.throwIfAny(`Invalid arguments for ResilienceHubApp "${name}"`);

        this.targets = resiliencyPolicyTargets(args.objectives);
        const minutes = (seconds: number) => seconds / 60;

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
            },
            { parent: this, provider: args.nativeProvider },
        );
        this.policyArn = this.policy.policyArn;

        this.group = new aws.resourcegroups.Group(
            `${name}-resources`,
            {
                name: `${args.appName}-resources`,
                description: `Every resource of stack ${args.stackName}, for Resilience Hub`,
                resourceQuery: {
                    type: "TAG_FILTERS_1_0",
                    query: JSON.stringify({
                        ResourceTypeFilters: ["AWS::AllSupported"],
                        TagFilters: [{ Key: TAG_KEYS.stack, Values: [args.stackName] }],
                    }),
                },
            },
            { parent: this },
        );

        this.app = new awsnative.resiliencehub.App(
            `${name}-app`,
            {
                name: args.appName,
                description: `Stack ${args.stackName}, assessed against the resiliency policy ${args.appName}`,
                appTemplateBody: APP_TEMPLATE_BODY,
                resiliencyPolicyArn: this.policy.policyArn,
                resourceMappings: [
                    {
                        mappingType: "ResourceGroup",
                        physicalResourceId: { identifier: this.group.arn, type: "Arn" },
                    },
                ],
                appAssessmentSchedule: "Daily",
            },
            { parent: this, provider: args.nativeProvider },
        );
        this.appArn = this.app.appArn;

        this.registerOutputs({ policyArn: this.policyArn, appArn: this.appArn });
    }
}
