import * as assert from "assert";
import {
    APP_COMMON_COMPONENT,
    APP_TEMPLATE_BODY_PATTERN,
    appTemplateBody,
    ASSESSED_RESOURCE_KINDS,
    AssessedResource,
    checkAssessedResources,
    checkMappingTypes,
    MAX_APP_TEMPLATE_BODY_LENGTH,
    RESOURCE_MAPPING_TYPES,
    resourceMappings,
} from "../../components/resilience-template";
import { formatProblem, InvalidInputError, ProblemCollector } from "../../lib/errors";

/** The stack's four stores, as stacks/primary.ts maps them (identifiers as plain strings here). */
const RESOURCES: AssessedResource[] = [
    { name: "database", type: "AWS::RDS::DBInstance", identifier: "webank-db" },
    { name: "lock-table", type: "AWS::DynamoDB::Table", identifier: "webank-pulumi-locks" },
    { name: "state-bucket", type: "AWS::S3::Bucket", identifier: "webank-state-123456789012-us-east-1" },
    {
        name: "artifact-bucket",
        type: "AWS::S3::Bucket",
        identifier: "webank-artifacts-123456789012-us-east-1",
    },
];

/** The problems `check` records, formatted as the error prints them (empty when there are none). */
function problemsOf(check: (problems: ProblemCollector) => void): string[] {
    const problems = new ProblemCollector();
    check(problems);
    try {
        problems.throwIfAny("test");
        return [];
    } catch (error) {
        assert.ok(error instanceof InvalidInputError);
        return error.problems.map(formatProblem);
    }
}

interface TemplateResource {
    logicalResourceId: Record<string, string>;
    type: string;
    name: string;
}
interface TemplateComponent {
    name: string;
    type: string;
    resourceNames: string[];
}
interface Template {
    resources: TemplateResource[];
    appComponents: TemplateComponent[];
    excludedResources: { logicalResourceIds: unknown[] };
    version: number;
}

describe("components/resilience-template: the Resilience Hub application template and mappings", () => {
    describe("appTemplateBody", () => {
        const body = appTemplateBody(RESOURCES);
        const template = JSON.parse(body) as Template;

        it("is JSON with exactly the four parts of PutDraftAppVersionTemplate's appTemplateBody, version 2.0", () => {
            assert.deepStrictEqual(Object.keys(template).sort(), [
                "appComponents",
                "excludedResources",
                "resources",
                "version",
            ]);
            assert.strictEqual(template.version, 2);
            assert.match(body, /"version":2\.0\}$/);
            // What DescribeAppVersionTemplate returns for an application that excludes nothing.
            assert.deepStrictEqual(template.excludedResources, { logicalResourceIds: [] });
        });

        it("lists every mapped resource by its logical id, type and name", () => {
            assert.deepStrictEqual(
                template.resources,
                RESOURCES.map((r) => ({
                    logicalResourceId: { identifier: r.name },
                    type: r.type,
                    name: r.name,
                })),
            );
        });

        it("puts every resource in exactly one AppComponent of the type its resource type belongs to, plus the common component", () => {
            for (const resource of RESOURCES) {
                const holders = template.appComponents.filter((c) => c.resourceNames.includes(resource.name));
                assert.strictEqual(holders.length, 1, resource.name);
                assert.strictEqual(
                    holders[0].type,
                    ASSESSED_RESOURCE_KINDS[resource.type].appComponentType,
                    resource.name,
                );
            }
            assert.deepStrictEqual(
                template.appComponents.filter((c) => c.type === APP_COMMON_COMPONENT.type),
                [{ name: "appcommon", type: "AWS::ResilienceHub::AppCommonAppComponent", resourceNames: [] }],
            );
            const named = template.appComponents.flatMap((c) => c.resourceNames).sort();
            assert.deepStrictEqual(named, RESOURCES.map((r) => r.name).sort());
        });

        it("places the RDS instance and the lock table in database components and the buckets in storage components", () => {
            const typeOf = (name: string) =>
                template.appComponents.find((c) => c.resourceNames.includes(name))?.type;
            assert.strictEqual(typeOf("database"), "AWS::ResilienceHub::DatabaseAppComponent");
            assert.strictEqual(typeOf("lock-table"), "AWS::ResilienceHub::DatabaseAppComponent");
            assert.strictEqual(typeOf("state-bucket"), "AWS::ResilienceHub::StorageAppComponent");
            assert.strictEqual(typeOf("artifact-bucket"), "AWS::ResilienceHub::StorageAppComponent");
        });

        it("names every mapped logical id, and nothing else", () => {
            const mapped = resourceMappings(RESOURCES).map((m) => m.resourceName);
            assert.deepStrictEqual(
                template.resources.map((r) => r.logicalResourceId.identifier),
                mapped,
            );
            assert.deepStrictEqual(
                template.resources.map((r) => r.name),
                mapped,
            );
        });

        it("uses only the characters and length the CloudFormation schema allows an AppTemplateBody", () => {
            assert.match(body, APP_TEMPLATE_BODY_PATTERN);
            assert.ok(body.length <= MAX_APP_TEMPLATE_BODY_LENGTH);
            // The pattern itself refuses what the schema refuses (e.g. `@`, `*`, `=`).
            for (const bad of ['{"a":"@"}', '{"a":"*"}', '{"a":"x=y"}']) {
                assert.doesNotMatch(bad, APP_TEMPLATE_BODY_PATTERN, bad);
            }
        });
    });

    describe("resourceMappings", () => {
        it("maps every resource by name to its physical id, with the identifier type its resource type takes", () => {
            assert.deepStrictEqual(resourceMappings(RESOURCES), [
                {
                    mappingType: "Resource",
                    resourceName: "database",
                    physicalResourceId: { identifier: "webank-db", type: "Native" },
                },
                {
                    mappingType: "Resource",
                    resourceName: "lock-table",
                    physicalResourceId: { identifier: "webank-pulumi-locks", type: "Native" },
                },
                {
                    mappingType: "Resource",
                    resourceName: "state-bucket",
                    physicalResourceId: { identifier: "webank-state-123456789012-us-east-1", type: "Native" },
                },
                {
                    mappingType: "Resource",
                    resourceName: "artifact-bucket",
                    physicalResourceId: {
                        identifier: "webank-artifacts-123456789012-us-east-1",
                        type: "Native",
                    },
                },
            ]);
        });

        it("uses only mapping types of the documented list", () => {
            for (const mapping of resourceMappings(RESOURCES)) {
                assert.ok(
                    (RESOURCE_MAPPING_TYPES as readonly string[]).includes(mapping.mappingType),
                    mapping.mappingType,
                );
            }
            assert.deepStrictEqual(
                problemsOf((p) => checkMappingTypes(p, "m", resourceMappings(RESOURCES))),
                [],
            );
        });
    });

    describe("the documented lists", () => {
        it("has exactly the mapping types of the CloudFormation schema's MappingType pattern", () => {
            assert.deepStrictEqual([...RESOURCE_MAPPING_TYPES], ["CfnStack", "Resource", "Terraform", "EKS"]);
        });

        it("knows each resource type's AppComponent type and identifier type as the Resilience Hub references list them", () => {
            assert.deepStrictEqual(ASSESSED_RESOURCE_KINDS, {
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
            });
        });
    });

    describe("checkMappingTypes", () => {
        // "ResourceGroup" is an API value the CloudFormation resource cannot carry (it has no
        // resourceGroupName); the others are typos. The schema's pattern is unanchored, so
        // "Resources" would even pass it: only the exact list catches it.
        for (const mappingType of [
            "ResourceGroup",
            "AppRegistryApp",
            "Resources",
            "resource",
            "CFNStack",
            "",
        ]) {
            it(`refuses the mapping type ${JSON.stringify(mappingType)}, naming the field and the value`, () => {
                const mappings = [
                    ...resourceMappings(RESOURCES.slice(0, 1)),
                    { ...resourceMappings(RESOURCES.slice(1, 2))[0], mappingType },
                ];
                assert.deepStrictEqual(
                    problemsOf((p) => checkMappingTypes(p, "App.resourceMappings", mappings)),
                    [
                        `App.resourceMappings[1].mappingType must be one of CfnStack, Resource, Terraform, EKS (the mapping types AWS::ResilienceHub::App documents); got ${JSON.stringify(mappingType)}`,
                    ],
                );
            });
        }
    });

    describe("checkAssessedResources", () => {
        const check = (resources: unknown) =>
            problemsOf((p) => checkAssessedResources(p, "R.resources", resources as AssessedResource[]));

        it("accepts the stack's four stores", () => {
            assert.deepStrictEqual(check(RESOURCES), []);
        });

        const NAME_RULE =
            "be a letter or digit, then 1–59 letters, digits, hyphens and underscores (a Resilience Hub resource name)";
        const cases: Array<[string, unknown, string]> = [
            [
                "no resources",
                [],
                "R.resources.length must be at least 1 (an application with no resources has nothing to assess); got 0",
            ],
            [
                "a missing list",
                undefined,
                "R.resources.length must be at least 1 (an application with no resources has nothing to assess); got 0",
            ],
            [
                "a one-letter name",
                [{ ...RESOURCES[0], name: "d" }],
                `R.resources[0].name must ${NAME_RULE}; got "d"`,
            ],
            [
                "a name with a dot",
                [{ ...RESOURCES[0], name: "state.bucket" }],
                `R.resources[0].name must ${NAME_RULE}; got "state.bucket"`,
            ],
            [
                "a name of 61 characters",
                [{ ...RESOURCES[0], name: `d${"x".repeat(60)}` }],
                `R.resources[0].name must ${NAME_RULE}; got "d${"x".repeat(60)}"`,
            ],
            [
                "a duplicate name",
                [RESOURCES[0], { ...RESOURCES[2], name: "database" }],
                'R.resources[1].name must be unique among the resources and not "appcommon" (the common AppComponent); got "database"',
            ],
            [
                "the common component's name",
                [{ ...RESOURCES[0], name: "appcommon" }],
                'R.resources[0].name must be unique among the resources and not "appcommon" (the common AppComponent); got "appcommon"',
            ],
            [
                "a misspelled type",
                [{ ...RESOURCES[0], type: "AWS::RDS::DbInstance" }],
                'R.resources[0].type must be one of AWS::RDS::DBInstance, AWS::DynamoDB::Table, AWS::S3::Bucket; got "AWS::RDS::DbInstance"',
            ],
            [
                "a type the component does not map",
                [{ ...RESOURCES[0], type: "AWS::EKS::Cluster" }],
                'R.resources[0].type must be one of AWS::RDS::DBInstance, AWS::DynamoDB::Table, AWS::S3::Bucket; got "AWS::EKS::Cluster"',
            ],
            [
                "an empty identifier",
                [{ ...RESOURCES[0], identifier: "" }],
                'R.resources[0].identifier must be the physical id of the resource (its name or identifier); got ""',
            ],
            [
                "no identifier",
                [{ name: "database", type: "AWS::RDS::DBInstance" }],
                "R.resources[0].identifier must be the physical id of the resource (its name or identifier); got nothing (the key is not set)",
            ],
        ];
        for (const [description, resources, problem] of cases) {
            it(`refuses ${description}, naming the field and the value`, () => {
                assert.deepStrictEqual(check(resources), [problem]);
            });
        }
    });
});
