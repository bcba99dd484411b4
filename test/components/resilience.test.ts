import * as assert from "assert";
import { runComponent } from "../support/component";
import { refusedBeforeDeclaring } from "../support/rejection";
import { objectivesOf } from "../support/objectives";
import * as awsnative from "@pulumi/aws-native";
import {
    APP_TEMPLATE_BODY,
    ResilienceHubApp,
    ResilienceHubAppArgs,
    resiliencyPolicyTargets,
} from "../../components/resilience";
import { ASSET_CLASS_NAMES, RecoveryObjectives } from "../../lib/objectives";
import { OfflineRun, OfflineRunError } from "../../offline/engine";
import { FAKE_ACCOUNT_ID, FakeCloud } from "../../offline/fake-cloud";
import { inputsOf, named, ofType } from "../support/offline";

const POLICY = "aws-native:resiliencehub:ResiliencyPolicy";
const APP = "aws-native:resiliencehub:App";
const GROUP = "aws:resourcegroups/group:Group";
const COMPONENT = "webank:resilience:ResilienceHubApp";

const OBJECTIVES = objectivesOf(
    { rpoMinutes: 60, rtoMinutes: 240 },
    { database: { rpoMinutes: 5, rtoMinutes: 60 }, state: { rpoMinutes: 15, rtoMinutes: 30 } },
);

/** Builds the arguments inside the program (the native provider must be created under the mocks). */
type ArgsWithoutProvider = Omit<ResilienceHubAppArgs, "nativeProvider">;

const ARGS: ArgsWithoutProvider = {
    objectives: OBJECTIVES,
    stackName: "primary",
    appName: "webank-primary",
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
            groupArn: resilience.group.arn,
        };
    });
}

/** The ARN Resilience Hub gives a policy or an application in us-east-1 (`kind` is `resiliency-policy` or `app`). */
function resilienceHubArn(kind: string, name: string): string {
    return `arn:aws:resiliencehub:us-east-1:${FAKE_ACCOUNT_ID}:${kind}/${name}`;
}

/**
 * Makes the mocks compute the ARNs of Resilience Hub policies and applications, as AWS does,
 * until the `after` hook restores them. offline/fake-cloud.ts does not compute them (yet), so
 * without this the application's `resiliencyPolicyArn` is empty offline and its wiring cannot
 * be seen.
 */
function computeResilienceHubArns(): void {
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const original = FakeCloud.prototype.newResource;
    before(() => {
        FakeCloud.prototype.newResource = function (this: FakeCloud, args) {
            const result = original.call(this, args);
            if (args.type === POLICY) {
                result.state.policyArn = resilienceHubArn(
                    "resiliency-policy",
                    String(args.inputs.policyName),
                );
            } else if (args.type === APP) {
                result.state.appArn = resilienceHubArn("app", String(args.inputs.name));
            }
            return result;
        };
    });
    after(() => {
        FakeCloud.prototype.newResource = original;
    });
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

    it("uses a Resilience Hub template of version 2.0 with no resources of its own", () => {
        assert.deepStrictEqual(JSON.parse(APP_TEMPLATE_BODY), {
            resources: [],
            appComponents: [],
            excludedResources: {},
            version: 2,
        });
        assert.match(APP_TEMPLATE_BODY, /"version":2\.0\}$/);
    });

    describe("with the stack's objectives", () => {
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
            assert.match(String(policy.provider), /::native::/);
            assert.strictEqual(ofType(run, POLICY).length, 1);
        });

        it("groups every resource tagged with the stack's name, through the component's AWS provider", () => {
            const group = named(run, GROUP, "resilience-resources");
            const inputs = inputsOf(group);
            assert.strictEqual(inputs.name, "webank-primary-resources");
            assert.strictEqual(inputs.resourceQuery.type, "TAG_FILTERS_1_0");
            assert.deepStrictEqual(JSON.parse(inputs.resourceQuery.query), {
                ResourceTypeFilters: ["AWS::AllSupported"],
                TagFilters: [{ Key: "webank:stack", Values: ["primary"] }],
            });
            assert.match(String(group.provider), /::home::/);
            assert.strictEqual(group.region, "us-east-1");
        });

        it("declares the application on the resource group, through the native provider", () => {
            const app = named(run, APP, "resilience-app");
            const inputs = inputsOf(app);
            assert.strictEqual(inputs.name, "webank-primary");
            assert.strictEqual(inputs.appTemplateBody, APP_TEMPLATE_BODY);
            assert.strictEqual(typeof run.outputs.groupArn, "string");
            assert.deepStrictEqual(inputs.resourceMappings, [
                {
                    mappingType: "ResourceGroup",
                    physicalResourceId: { identifier: run.outputs.groupArn, type: "Arn" },
                },
            ]);
            assert.strictEqual(inputs.appAssessmentSchedule, "Daily");
            assert.match(String(app.provider), /::native::/);
            assert.ok(app.dependencies.includes(named(run, GROUP, "resilience-resources").urn));
            assert.strictEqual(ofType(run, APP).length, 1);
        });

        it("declares every child under the component and reports the ARNs it has", () => {
            const component = named(run, COMPONENT, "resilience");
            for (const [type, name] of [
                [POLICY, "resilience-policy"],
                [GROUP, "resilience-resources"],
                [APP, "resilience-app"],
            ]) {
                assert.strictEqual(named(run, type, name).parent, component.urn, name);
            }
            // Offline, the mocks compute no Resilience Hub ARNs (see the block below).
            for (const output of ["policyArn", "appArn"]) {
                const value = run.outputs[output];
                assert.ok(value === undefined || typeof value === "string", `${output}: ${String(value)}`);
            }
        });
    });

    describe("where the mocks compute Resilience Hub ARNs, as AWS does", () => {
        computeResilienceHubArns();
        let run: OfflineRun;
        before(async () => {
            run = await declareResilience();
        });

        it("puts the application under the policy", () => {
            const app = named(run, APP, "resilience-app");
            const policyArn = resilienceHubArn("resiliency-policy", "webank-primary");
            assert.strictEqual(inputsOf(app).resiliencyPolicyArn, policyArn);
            assert.ok(app.dependencies.includes(named(run, POLICY, "resilience-policy").urn));
        });

        it("reports the ARNs of the policy and the application", () => {
            assert.strictEqual(
                run.outputs.policyArn,
                resilienceHubArn("resiliency-policy", "webank-primary"),
            );
            assert.strictEqual(run.outputs.appArn, resilienceHubArn("app", "webank-primary"));
        });
    });

    it("follows the objectives and the stack name", async () => {
        const run = await declareResilience({
            stackName: "dr",
            appName: "webank_dr",
            objectives: objectivesOf({ rpoMinutes: 30, rtoMinutes: 90 }),
        });
        assert.deepStrictEqual(inputsOf(named(run, POLICY, "resilience-policy")).policy.region, {
            rtoInSecs: 5400,
            rpoInSecs: 1800,
        });
        const query = JSON.parse(inputsOf(named(run, GROUP, "resilience-resources")).resourceQuery.query);
        assert.deepStrictEqual(query.TagFilters, [{ Key: "webank:stack", Values: ["dr"] }]);
        assert.strictEqual(inputsOf(named(run, APP, "resilience-app")).name, "webank_dr");
    });

    describe("argument validation", () => {
        const APP_NAME_RULE = "be a letter, then letters, digits, hyphens and underscores, 2–60 characters";
        const cases: Array<[keyof ArgsWithoutProvider, unknown, string]> = [
            ["appName", "1webank", APP_NAME_RULE],
            ["appName", "w", APP_NAME_RULE],
            ["appName", `w${"x".repeat(60)}`, APP_NAME_RULE],
            ["appName", "webank primary", APP_NAME_RULE],
            ["appName", "webank.primary", APP_NAME_RULE],
            ["appName", "aws-webank", APP_NAME_RULE],
            ["appName", "AWSwebank", APP_NAME_RULE],
            ["stackName", "", "be the stack's name, 1–256 characters"],
            ["stackName", "s".repeat(257), "be the stack's name, 1–256 characters"],
        ];
        for (const [field, value, requirement] of cases) {
            const shown = JSON.stringify(value);
            it(`refuses ${field} ${shown.length > 40 ? `${shown.slice(0, 20)}…` : shown} before declaring any child, naming the argument and the value`, async () => {
                await assert.rejects(
                    () => declareResilience({ [field]: value }),
                    refusedBeforeDeclaring(
                        `ResilienceHubApp(resilience).${field}`,
                        requirement,
                        shown,
                        (r) => r.custom && !r.type.startsWith("pulumi:providers:"),
                    ),
                );
            });
        }

        it("reports every problem at once", async () => {
            await assert.rejects(
                () => declareResilience({ appName: "", stackName: "" }),
                (error: unknown) =>
                    error instanceof OfflineRunError &&
                    /2 problems/.test(error.message) &&
                    /\.appName must/.test(error.message) &&
                    /\.stackName must/.test(error.message),
            );
        });
    });
});
