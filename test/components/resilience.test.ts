import * as assert from "assert";
import * as awsnative from "@pulumi/aws-native";
import { runComponent } from "../support/component";
import { refusedBeforeDeclaring } from "../support/rejection";
import { objectivesOf } from "../support/objectives";
import { ACCOUNT_ID, ADMIN_ROLE_ARN, ALLOW_EVERYTHING, evaluate } from "../support/iam";
import {
    ASSESSMENT_POLICY,
    invokerRoleName,
    ResilienceHubApp,
    ResilienceHubAppArgs,
    resiliencyPolicyTargets,
} from "../../components/resilience";
import {
    appTemplateBody,
    AssessedResource,
    RESOURCE_MAPPING_TYPES,
} from "../../components/resilience-template";
import { ASSET_CLASS_NAMES, RecoveryObjectives } from "../../lib/objectives";
import { OfflineRun, OfflineRunError, RecordedResource } from "../../offline/engine";
import { descendantsOf, inputsOf, named, ofType, policyOf, runStack } from "../support/offline";

const POLICY = "aws-native:resiliencehub:ResiliencyPolicy";
const APP = "aws-native:resiliencehub:App";
const ROLE = "aws:iam/role:Role";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const COMPONENT = "webank:resilience:ResilienceHubApp";

const OBJECTIVES = objectivesOf(
    { rpoMinutes: 60, rtoMinutes: 240 },
    { database: { rpoMinutes: 5, rtoMinutes: 60 }, state: { rpoMinutes: 15, rtoMinutes: 30 } },
);

const RESOURCES: AssessedResource[] = [
    { name: "database", type: "AWS::RDS::DBInstance", identifier: "webank-db" },
    { name: "state-bucket", type: "AWS::S3::Bucket", identifier: "webank-state-123456789012-us-east-1" },
];

/** Builds the arguments inside the program (the native provider must be created under the mocks). */
type ArgsWithoutProvider = Omit<ResilienceHubAppArgs, "nativeProvider">;

const ARGS: ArgsWithoutProvider = {
    objectives: OBJECTIVES,
    stackName: "primary",
    appName: "webank-primary",
    region: "us-east-1",
    resources: RESOURCES,
};

/** Declares one ResilienceHubApp named `resilience` (home and native providers) and returns the run. */
async function declareResilience(overrides: Partial<ArgsWithoutProvider> = {}): Promise<OfflineRun> {
    return runComponent((provider) => {
        const native = new awsnative.Provider("native", { region: "us-east-1" });
        const resilience = new ResilienceHubApp(
            "resilience",
            { ...ARGS, ...overrides, nativeProvider: native },
            { provider },
        );
        return {
            policyArn: resilience.policyArn,
            appArn: resilience.appArn,
            invokerRoleArn: resilience.invokerRole.arn,
        };
    });
}

/** The one role under `component` whose name the application's permission model gives; fails otherwise. */
function invokerOf(run: OfflineRun, component: RecordedResource): RecordedResource {
    const app = ofType(run, APP).find((r) => r.parent === component.urn);
    assert.ok(app, "no application under the component");
    const model = inputsOf(app).permissionModel;
    assert.strictEqual(model?.type, "RoleBased");
    const roles = descendantsOf(run, component).filter(
        (r) => r.type === ROLE && inputsOf(r).name === model.invokerRoleName,
    );
    assert.strictEqual(roles.length, 1, `roles named ${String(model.invokerRoleName)} under the component`);
    return roles[0];
}

describe("components/resilience: ResilienceHubApp", () => {
    describe("resiliencyPolicyTargets", () => {
        const cases: Array<[string, RecoveryObjectives, number, number]> = [
            ["the same objectives everywhere", objectivesOf({ rpoMinutes: 15, rtoMinutes: 60 }), 3600, 900],
            ["a strict database among lenient classes", OBJECTIVES, 1800, 300],
            [
                "the strictest RTO and RPO in different classes",
                objectivesOf(
                    { rpoMinutes: 1440, rtoMinutes: 1440 },
                    {
                        source: { rpoMinutes: 30, rtoMinutes: 720 },
                        cluster: { rpoMinutes: 720, rtoMinutes: 45 },
                    },
                ),
                2700,
                1800,
            ],
            [
                "the strictest class last in the list",
                objectivesOf(
                    { rpoMinutes: 60, rtoMinutes: 120 },
                    { source: { rpoMinutes: 10, rtoMinutes: 20 } },
                ),
                1200,
                600,
            ],
        ];
        for (const [description, objectives, rtoInSecs, rpoInSecs] of cases) {
            it(`gives RTO ${rtoInSecs} s and RPO ${rpoInSecs} s for every disruption with ${description}`, () => {
                const target = { rtoInSecs, rpoInSecs };
                assert.deepStrictEqual(resiliencyPolicyTargets(objectives), {
                    software: target,
                    hardware: target,
                    az: target,
                    region: target,
                });
            });
        }

        it("never promises more than any asset class's objectives, in seconds", () => {
            const targets = resiliencyPolicyTargets(OBJECTIVES);
            for (const assetClass of ASSET_CLASS_NAMES) {
                for (const disruption of Object.values(targets)) {
                    assert.ok(disruption.rtoInSecs <= OBJECTIVES[assetClass].rtoMinutes * 60, assetClass);
                    assert.ok(disruption.rpoInSecs <= OBJECTIVES[assetClass].rpoMinutes * 60, assetClass);
                }
            }
        });
    });

    describe("with the stack's objectives and two resources", () => {
        let run: OfflineRun;
        before(async () => {
            run = await declareResilience();
        });

        it("declares a MissionCritical policy holding the strictest objectives for every disruption, through the native provider", () => {
            const policy = named(run, POLICY, "resilience-policy");
            const inputs = inputsOf(policy);
            assert.strictEqual(inputs.policyName, "webank-primary");
            assert.strictEqual(inputs.tier, "MissionCritical");
            const target = { rtoInSecs: 1800, rpoInSecs: 300 };
            assert.deepStrictEqual(inputs.policy, {
                software: target,
                hardware: target,
                az: target,
                region: target,
            });
            assert.deepStrictEqual(inputs.tags, { "webank:stack": "primary" });
            assert.match(String(policy.provider), /::native::/);
            assert.strictEqual(ofType(run, POLICY).length, 1);
        });

        it("maps each resource by name, with only documented mapping types, and describes the same names in its template", () => {
            const inputs = inputsOf(named(run, APP, "resilience-app"));
            assert.strictEqual(inputs.name, "webank-primary");
            assert.deepStrictEqual(inputs.resourceMappings, [
                {
                    mappingType: "Resource",
                    resourceName: "database",
                    physicalResourceId: { identifier: "webank-db", type: "Native" },
                },
                {
                    mappingType: "Resource",
                    resourceName: "state-bucket",
                    physicalResourceId: { identifier: "webank-state-123456789012-us-east-1", type: "Native" },
                },
            ]);
            for (const mapping of inputs.resourceMappings as Array<{ mappingType: string }>) {
                assert.ok((RESOURCE_MAPPING_TYPES as readonly string[]).includes(mapping.mappingType));
            }
            assert.strictEqual(inputs.appTemplateBody, appTemplateBody(RESOURCES));
            const template = JSON.parse(inputs.appTemplateBody);
            assert.deepStrictEqual(
                template.resources.map(
                    (r: { logicalResourceId: { identifier: string } }) => r.logicalResourceId.identifier,
                ),
                ["database", "state-bucket"],
            );
            assert.deepStrictEqual(inputs.tags, { "webank:stack": "primary" });
            assert.match(String(named(run, APP, "resilience-app").provider), /::native::/);
            assert.strictEqual(ofType(run, APP).length, 1);
        });

        it("assesses daily only with a RoleBased permission model naming the invoker role it creates", () => {
            const app = named(run, APP, "resilience-app");
            assert.strictEqual(inputsOf(app).appAssessmentSchedule, "Daily");
            const role = invokerOf(run, named(run, COMPONENT, "resilience"));
            assert.strictEqual(inputsOf(role).name, "webank-primary-invoker");
            assert.deepStrictEqual(inputsOf(app).permissionModel, {
                type: "RoleBased",
                invokerRoleName: "webank-primary-invoker",
            });
            assert.ok(app.dependencies.includes(role.urn));
        });

        it("gives the invoker role AWSResilienceHubAsssessmentExecutionPolicy before the application can assess", () => {
            const role = named(run, ROLE, "resilience-invoker");
            const attachments = ofType(run, ATTACHMENT).filter((a) => a.parent === role.parent);
            assert.deepStrictEqual(
                attachments.map((a) => inputsOf(a).policyArn),
                ["arn:aws:iam::aws:policy/AWSResilienceHubAsssessmentExecutionPolicy"],
            );
            assert.strictEqual(ASSESSMENT_POLICY, "AWSResilienceHubAsssessmentExecutionPolicy");
            assert.strictEqual(inputsOf(attachments[0]).role, "webank-primary-invoker");
            assert.ok(named(run, APP, "resilience-app").dependencies.includes(attachments[0].urn));
        });

        describe("the invoker role's trust, evaluated by iam-simulate", () => {
            const assume = (principal: string, identityPolicies?: unknown[]) =>
                evaluate({
                    principal,
                    action: "sts:AssumeRole",
                    resource: `arn:aws:iam::${ACCOUNT_ID}:role/webank-primary-invoker`,
                    resourcePolicy: policyOf(named(run, ROLE, "resilience-invoker"), "assumeRolePolicy"),
                    identityPolicies,
                });

            it("lets Resilience Hub assume it", async () => {
                assert.strictEqual((await assume("resiliencehub.amazonaws.com")).result, "Allowed");
            });

            it("lets no other service, no other account and no administrator of this account assume it", async () => {
                for (const principal of [
                    "backup.amazonaws.com",
                    "ec2.amazonaws.com",
                    "arn:aws:iam::210987654321:role/Admin",
                ]) {
                    assert.strictEqual((await assume(principal)).result, "ImplicitlyDenied", principal);
                }
                assert.strictEqual(
                    (await assume(ADMIN_ROLE_ARN, [ALLOW_EVERYTHING])).result,
                    "ImplicitlyDenied",
                );
            });

            it("has no condition Resilience Hub does not document (an aws:SourceAccount it never sends would deny every assessment)", () => {
                const trust = policyOf(named(run, ROLE, "resilience-invoker"), "assumeRolePolicy");
                assert.deepStrictEqual(trust.Statement, [
                    {
                        Effect: "Allow",
                        Principal: { Service: "resiliencehub.amazonaws.com" },
                        Action: "sts:AssumeRole",
                    },
                ]);
            });
        });

        it("declares every child under the component and reports the ARNs Resilience Hub gives", () => {
            const component = named(run, COMPONENT, "resilience");
            for (const [type, name] of [
                [POLICY, "resilience-policy"],
                [ROLE, "resilience-invoker"],
                [APP, "resilience-app"],
            ]) {
                assert.strictEqual(named(run, type, name).parent, component.urn, name);
            }
            assert.strictEqual(ofType(run, "aws:resourcegroups/group:Group").length, 0);
            // Service Authorization Reference, AWS Resilience Hub: resiliency-policy/<id> and app/<id>.
            assert.match(
                String(run.outputs.policyArn),
                /^arn:aws:resiliencehub:us-east-1:\d{12}:resiliency-policy\//,
            );
            assert.match(String(run.outputs.appArn), /^arn:aws:resiliencehub:us-east-1:\d{12}:app\//);
            assert.strictEqual(
                inputsOf(named(run, APP, "resilience-app")).resiliencyPolicyArn,
                run.outputs.policyArn,
            );
            assert.strictEqual(
                run.outputs.invokerRoleArn,
                "arn:aws:iam::123456789012:role/webank-primary-invoker",
            );
        });
    });

    it("follows the objectives, the stack name and the region's partition", async () => {
        const run = await declareResilience({
            stackName: "dr",
            appName: "webank_dr",
            region: "us-gov-west-1",
            objectives: objectivesOf({ rpoMinutes: 30, rtoMinutes: 90 }),
        });
        assert.deepStrictEqual(inputsOf(named(run, POLICY, "resilience-policy")).policy.region, {
            rtoInSecs: 5400,
            rpoInSecs: 1800,
        });
        const app = inputsOf(named(run, APP, "resilience-app"));
        assert.strictEqual(app.name, "webank_dr");
        assert.strictEqual(app.permissionModel.invokerRoleName, "webank_dr-invoker");
        assert.strictEqual(
            inputsOf(ofType(run, ATTACHMENT)[0]).policyArn,
            "arn:aws-us-gov:iam::aws:policy/AWSResilienceHubAsssessmentExecutionPolicy",
        );
    });

    it("names the invoker role after the application", () => {
        assert.strictEqual(invokerRoleName("webank-platform"), "webank-platform-invoker");
        // IAM role names are at most 64 characters: the longest application name fits.
        assert.strictEqual(invokerRoleName(`w${"x".repeat(55)}`).length, 64);
    });

    describe("in the primary stack", () => {
        let run: OfflineRun;
        before(async () => {
            run = await runStack("primary");
        });

        it("maps the database, the lock table and both buckets by the physical names the plan gives them", () => {
            const [app] = ofType(run, APP);
            const mappings = inputsOf(app).resourceMappings as Array<{
                resourceName: string;
                physicalResourceId: { identifier: string; type: string };
            }>;
            const identifier = (name: string) =>
                mappings.find((m) => m.resourceName === name)?.physicalResourceId.identifier;
            const [instance] = ofType(run, "aws:rds/instance:Instance");
            assert.strictEqual(identifier("database"), inputsOf(instance).identifier);
            const tables = ofType(run, "aws:dynamodb/table:Table").map((t) => inputsOf(t).name);
            assert.ok(tables.includes(identifier("lock-table")), String(identifier("lock-table")));
            const buckets = ofType(run, "aws:s3/bucket:Bucket")
                .filter((b) => b.region === "us-east-1")
                .map((b) => inputsOf(b).bucket);
            for (const name of ["state-bucket", "artifact-bucket"]) {
                assert.ok(buckets.includes(identifier(name)), `${name}: ${String(identifier(name))}`);
            }
            assert.match(String(identifier("state-bucket")), /state/);
            assert.match(String(identifier("artifact-bucket")), /artifacts/);
            assert.strictEqual(mappings.length, 4);
        });

        it("assesses daily with the invoker role the stack's component creates", () => {
            const [app] = ofType(run, APP);
            assert.strictEqual(inputsOf(app).appAssessmentSchedule, "Daily");
            const component = ofType(run, COMPONENT)[0];
            assert.strictEqual(inputsOf(invokerOf(run, component)).name, "webank-platform-invoker");
        });
    });

    describe("argument validation", () => {
        const APP_NAME_RULE =
            "be a letter, then letters, digits, hyphens and underscores, 2–56 characters (its invoker role is <appName>-invoker, and IAM role names have at most 64)";
        const cases: Array<[string, Partial<ArgsWithoutProvider>, string, string]> = [
            ["appName", { appName: "1webank" }, APP_NAME_RULE, '"1webank"'],
            ["appName", { appName: "w" }, APP_NAME_RULE, '"w"'],
            ["appName", { appName: `w${"x".repeat(56)}` }, APP_NAME_RULE, `"w${"x".repeat(56)}"`],
            ["appName", { appName: "webank primary" }, APP_NAME_RULE, '"webank primary"'],
            ["appName", { appName: "webank.primary" }, APP_NAME_RULE, '"webank.primary"'],
            ["stackName", { stackName: "" }, "be the stack's name, 1–256 characters", '""'],
            [
                "stackName",
                { stackName: "s".repeat(257) },
                "be the stack's name, 1–256 characters",
                `"${"s".repeat(257)}"`,
            ],
            ["region", { region: "mars-1" }, "be an AWS region name such as us-east-1", '"mars-1"'],
            ["resources.length", { resources: [] }, "be at least 1", "0"],
            [
                "resources[0].type",
                {
                    resources: [
                        { ...RESOURCES[0], type: "AWS::RDS::DbInstance" as AssessedResource["type"] },
                    ],
                },
                "be one of AWS::RDS::DBInstance",
                '"AWS::RDS::DbInstance"',
            ],
        ];
        for (const [field, overrides, requirement, shown] of cases) {
            it(`refuses ${field} ${shown.length > 40 ? `${shown.slice(0, 20)}…` : shown} before declaring any child, naming the argument and the value`, async () => {
                await assert.rejects(
                    () => declareResilience(overrides),
                    refusedBeforeDeclaring(
                        `ResilienceHubApp(resilience).${field}`,
                        requirement,
                        shown,
                        (r) => r.custom && !r.type.startsWith("pulumi:providers:"),
                    ),
                );
            });
        }

        it("accepts an application name of 56 characters, whose invoker role name is 64", async () => {
            const run = await declareResilience({ appName: `w${"x".repeat(55)}` });
            assert.strictEqual(inputsOf(named(run, ROLE, "resilience-invoker")).name.length, 64);
        });

        it("reports every problem at once", async () => {
            await assert.rejects(
                () => declareResilience({ appName: "", stackName: "", resources: [] }),
                (error: unknown) =>
                    error instanceof OfflineRunError &&
                    /3 problems/.test(error.message) &&
                    /\.appName must/.test(error.message) &&
                    /\.stackName must/.test(error.message) &&
                    /\.resources\.length must/.test(error.message),
            );
        });
    });
});
