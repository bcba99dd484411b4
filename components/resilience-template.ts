/**
 * What a Resilience Hub application is made of, apart from the resources that declare it: the
 * documented mapping types, resource kinds and template structure, the application template
 * and the resource mappings of a list of resources, and their validation.
 *
 * A Pulumi program has no CloudFormation stack (`CfnStack` mappings), no Terraform state file
 * (`Terraform`), and the CloudFormation resource cannot carry a resource group (see
 * {@link RESOURCE_MAPPING_TYPES}), so each resource is mapped on its own (`Resource`), by name,
 * to its physical id, and the template lists the same names.
 */
import * as pulumi from "@pulumi/pulumi";
import { ProblemCollector } from "../lib/errors";

/**
 * The mapping types `AWS::ResilienceHub::App` takes: its CloudFormation resource schema's
 * `ResourceMapping.MappingType` pattern `CfnStack|Resource|Terraform|EKS`
 * (aws-cloudformation/aws-cloudformation-resource-providers-resiliencehub,
 * aws-resiliencehub-app/aws-resiliencehub-app.json). The API knows `AppRegistryApp` and
 * `ResourceGroup` too (AddDraftAppVersionResourceMappings), but the CloudFormation resource, and
 * so aws-native through Cloud Control, has no `appRegistryAppName` or `resourceGroupName` to go
 * with them, and its handler throws "Unsupported resource mapping type" for them on update
 * (Translator.translateToRemoveDraftAppVersionResourceMappingsRequest). The schema's pattern
 * is unanchored (`Resources` would pass it): only this exact list catches a typo.
 */
export const RESOURCE_MAPPING_TYPES = ["CfnStack", "Resource", "Terraform", "EKS"] as const;

/** One of {@link RESOURCE_MAPPING_TYPES}. */
export type ResourceMappingType = (typeof RESOURCE_MAPPING_TYPES)[number];

/**
 * The resource types this module maps, with the AppComponent type each belongs to (Resilience
 * Hub user guide, "Managing Application Components": DBInstance and DynamoDB tables are
 * DatabaseAppComponent resources, S3 buckets StorageAppComponent ones) and the kind of physical
 * identifier that names it (API reference, PhysicalResourceId.type: `Native` identifies
 * AWS::RDS::DBInstance, AWS::DynamoDB::Table and AWS::S3::Bucket; `Arn` only ECS services, EFS
 * file systems, ALB/NLB, Lambda functions and SNS topics). The native identifier is the
 * resource's CloudFormation physical id, which is how Resilience Hub reads these types from a
 * stack (ListStackResources): the DB instance identifier, the table name, the bucket name.
 */
export const ASSESSED_RESOURCE_KINDS = {
    "AWS::RDS::DBInstance": {
        appComponentType: "AWS::ResilienceHub::DatabaseAppComponent",
        identifierType: "Native",
    },
    "AWS::DynamoDB::Table": {
        appComponentType: "AWS::ResilienceHub::DatabaseAppComponent",
        identifierType: "Native",
    },
    "AWS::S3::Bucket": {
        appComponentType: "AWS::ResilienceHub::StorageAppComponent",
        identifierType: "Native",
    },
} as const;

/** A resource type Resilience Hub assesses here: a key of {@link ASSESSED_RESOURCE_KINDS}. */
export type AssessedResourceType = keyof typeof ASSESSED_RESOURCE_KINDS;

/** One resource of the stack that Resilience Hub assesses. */
export interface AssessedResource {
    /**
     * Its logical name in the application: the template's `logicalResourceId.identifier` and
     * `name`, the mapping's `resourceName`, and its AppComponent's name. A letter or digit,
     * then 1–59 letters, digits, hyphens and underscores ({@link RESOURCE_NAME_PATTERN}), unique.
     */
    name: string;
    /** Its CloudFormation resource type, one of {@link ASSESSED_RESOURCE_KINDS}. */
    type: AssessedResourceType;
    /** Its physical id: the DB instance identifier, the table name or the bucket name. */
    identifier: pulumi.Input<string>;
}

/** A resource name as the CloudFormation schema's `ResourceMapping.ResourceName` pattern allows it. */
export const RESOURCE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{1,59}$/;

/** The AppComponent every application has (Resilience Hub adds it; its templates list it, empty). */
export const APP_COMMON_COMPONENT = {
    name: "appcommon",
    type: "AWS::ResilienceHub::AppCommonAppComponent",
} as const;

/** The characters the CloudFormation schema allows in `AppTemplateBody` (its `pattern`). */
export const APP_TEMPLATE_BODY_PATTERN = /^[\w\s:,\-.'/{}[\]"]+$/;

/** The longest `AppTemplateBody` the CloudFormation schema allows (its `maxLength`). */
export const MAX_APP_TEMPLATE_BODY_LENGTH = 409600;

/**
 * The application template of `resources`, in the structure of `appTemplateBody` in the API
 * reference (PutDraftAppVersionTemplate): `resources` (logical id, type and name of each),
 * `appComponents` (one per resource, of the type its resource type belongs to, plus the common
 * component), `excludedResources` (none, in the form DescribeAppVersionTemplate returns) and
 * `version` 2.0, written as Resilience Hub writes it.
 */
export function appTemplateBody(resources: readonly AssessedResource[]): string {
    const template = {
        resources: resources.map((resource) => ({
            logicalResourceId: { identifier: resource.name },
            type: resource.type,
            name: resource.name,
        })),
        appComponents: [
            ...resources.map((resource) => ({
                name: resource.name,
                type: ASSESSED_RESOURCE_KINDS[resource.type].appComponentType,
                resourceNames: [resource.name],
            })),
            { ...APP_COMMON_COMPONENT, resourceNames: [] },
        ],
        excludedResources: { logicalResourceIds: [] },
    };
    return `${JSON.stringify(template).slice(0, -1)},"version":2.0}`;
}

/** One resource mapping, as `awsnative.resiliencehub.App` takes it. */
export interface ResourceMapping {
    /** How the resource is mapped: always `Resource` here. */
    readonly mappingType: string;
    /** The template resource's name. */
    readonly resourceName: string;
    /** The physical resource it maps to. */
    readonly physicalResourceId: {
        /** The physical id. */
        readonly identifier: pulumi.Input<string>;
        /** `Native` or `Arn`, as {@link ASSESSED_RESOURCE_KINDS} gives it. */
        readonly type: string;
    };
}

/** The `Resource` mapping of each of `resources` (by name) to its physical id. */
export function resourceMappings(resources: readonly AssessedResource[]): ResourceMapping[] {
    return resources.map((resource) => ({
        mappingType: "Resource" satisfies ResourceMappingType,
        resourceName: resource.name,
        physicalResourceId: {
            identifier: resource.identifier,
            type: ASSESSED_RESOURCE_KINDS[resource.type].identifierType,
        },
    }));
}

/** Records a problem for each of `mappings` whose type is not one of {@link RESOURCE_MAPPING_TYPES}. */
export function checkMappingTypes(
    problems: ProblemCollector,
    field: string,
    mappings: readonly ResourceMapping[],
): void {
    mappings.forEach((mapping, i) => {
        if (!(RESOURCE_MAPPING_TYPES as readonly string[]).includes(mapping.mappingType)) {
            problems.add(
                `${field}[${i}].mappingType`,
                `be one of ${RESOURCE_MAPPING_TYPES.join(", ")} (the mapping types AWS::ResilienceHub::App documents)`,
                mapping.mappingType,
            );
        }
    });
}

/**
 * Records a problem for an empty list, and for each resource whose name is not a valid,
 * unique resource name, whose type is not one of {@link ASSESSED_RESOURCE_KINDS}, or whose
 * identifier is missing or empty. `field` names the list, e.g. `ResilienceHubApp(x).resources`.
 */
export function checkAssessedResources(
    problems: ProblemCollector,
    field: string,
    resources: readonly AssessedResource[] | undefined,
): void {
    const list: readonly AssessedResource[] = resources ?? [];
    if (list.length === 0) {
        problems.add(
            `${field}.length`,
            "be at least 1 (an application with no resources has nothing to assess)",
            0,
        );
    }
    const taken = new Set<string>([APP_COMMON_COMPONENT.name]);
    list.forEach((resource, i) => {
        const at = `${field}[${i}]`;
        if (typeof resource.name !== "string" || !RESOURCE_NAME_PATTERN.test(resource.name)) {
            problems.add(
                `${at}.name`,
                "be a letter or digit, then 1–59 letters, digits, hyphens and underscores (a Resilience Hub resource name)",
                resource.name,
            );
        } else if (taken.has(resource.name)) {
            problems.add(
                `${at}.name`,
                `be unique among the resources and not "${APP_COMMON_COMPONENT.name}" (the common AppComponent)`,
                resource.name,
            );
        } else {
            taken.add(resource.name);
        }
        if (!Object.prototype.hasOwnProperty.call(ASSESSED_RESOURCE_KINDS, resource.type)) {
            problems.add(
                `${at}.type`,
                `be one of ${Object.keys(ASSESSED_RESOURCE_KINDS).join(", ")}`,
                resource.type,
            );
        }
        // Only a plain value can be checked; an Output is the physical name of a declared resource.
        if (resource.identifier === undefined || resource.identifier === "") {
            problems.add(
                `${at}.identifier`,
                "be the physical id of the resource (its name or identifier)",
                resource.identifier,
            );
        }
    });
}
