import * as assert from "assert";
import { runComponent } from "../support/component";
import { parse } from "yaml";
import { SourceMirror, SourceMirrorArgs } from "../../components/source-mirror";
import { bundlePrefixOf } from "../../lib/artifacts";
import { InvalidInputError } from "../../lib/errors";
import { OfflineRun, OfflineRunError, RecordedResource } from "../../offline/engine";
import { evaluate } from "../support/iam";
import { inputsOf, named, ofType, policyOf } from "../support/offline";
import { literal } from "../support/regex";

const ACCOUNT = "123456789012";
const OTHER_ACCOUNT = "210987654321";
const BUCKET = "webank-artifacts-123456789012-us-east-1";
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/mrk-data";
const SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:webank/github-mirror-token-AbCdEf";
const TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:webank-alerts";

const ARGS: SourceMirrorArgs = {
    repository: "webank/platform",
    tokenSecretArn: SECRET_ARN,
    artifactBucketName: BUCKET,
    artifactBucketArn: BUCKET_ARN,
    kmsKeyArn: KEY_ARN,
    rpoMinutes: 60,
    alarmTopicArn: TOPIC_ARN,
    accountId: ACCOUNT,
};

const PROJECT = "aws:codebuild/project:Project";
const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

/** Declares one SourceMirror named `mirror` (home provider, us-east-1) and returns the run. */
async function declareMirror(overrides: Partial<SourceMirrorArgs> = {}): Promise<OfflineRun> {
    return runComponent((provider) => {
        const mirror = new SourceMirror("mirror", { ...ARGS, ...overrides }, { provider });
        return {
            projectName: mirror.projectName,
            projectArn: mirror.projectArn,
            scheduleExpression: mirror.scheduleExpression,
            bundlePrefix: mirror.bundlePrefix,
        };
    });
}

/** The buildspec's single bash script. */
function buildScript(run: OfflineRun): string {
    const spec = parse(String(inputsOf(named(run, PROJECT, "mirror-project")).source.buildspec));
    assert.strictEqual(
        spec.phases.build.commands.length,
        1,
        "one script, so set -euo pipefail covers every step",
    );
    return String(spec.phases.build.commands[0]);
}

/** Every statement of an inline role policy. */
function statementsOf(policy: RecordedResource): Array<Record<string, unknown>> {
    return policyOf(policy).Statement;
}

/** Rejects with an OfflineRunError carrying an InvalidInputError whose message matches every pattern. */
async function assertRefused(overrides: Partial<SourceMirrorArgs>, ...patterns: RegExp[]): Promise<void> {
    await assert.rejects(
        () => declareMirror(overrides),
        (error: unknown) => {
            assert.ok(error instanceof OfflineRunError, `expected an OfflineRunError, got ${String(error)}`);
            assert.ok(error.cause instanceof InvalidInputError);
            for (const pattern of patterns) {
                assert.match(error.message, pattern);
            }
            // Validation runs before any child is declared.
            assert.deepStrictEqual(
                error.resources.filter((r) => r.type.startsWith("aws:")).map((r) => r.type),
                [],
            );
            return true;
        },
    );
}

describe("components/source-mirror: SourceMirror", () => {
    let run: OfflineRun;
    before(async () => {
        run = await declareMirror();
    });

    describe("schedule", () => {
        for (const [rpo, expression, windowSeconds] of [
            [60, "rate(30 minutes)", 3600],
            [15, "rate(5 minutes)", 600],
            [25, "rate(10 minutes)", 1200],
            [480, "rate(4 hours)", 28800],
        ] as const) {
            it(`runs at ${expression} for an RPO of ${rpo} minutes, alarming after ${windowSeconds} s without a success`, async () => {
                const r = await declareMirror({ rpoMinutes: rpo });
                const rule = ofType(r, "aws:cloudwatch/eventRule:EventRule");
                assert.strictEqual(rule.length, 1);
                assert.strictEqual(inputsOf(rule[0]).scheduleExpression, expression);
                assert.strictEqual(inputsOf(rule[0]).state, "ENABLED");
                assert.strictEqual(r.outputs.scheduleExpression, expression);
                const silent = inputsOf(named(r, ALARM, "mirror-silent"));
                assert.strictEqual(silent.period, windowSeconds);
                // A build never outlives the period, so runs cannot pile up.
                const project = inputsOf(named(r, PROJECT, "mirror-project"));
                assert.ok(project.buildTimeout <= Math.min(windowSeconds / 120, 60));
                assert.strictEqual(project.concurrentBuildLimit, 1);
            });
        }

        it("starts the project through a role that may only start that project", () => {
            const target = inputsOf(named(run, "aws:cloudwatch/eventTarget:EventTarget", "mirror-schedule"));
            assert.strictEqual(target.arn, run.outputs.projectArn);
            const startRole = named(run, ROLE, "mirror-start");
            assert.deepStrictEqual(policyOf(startRole, "assumeRolePolicy").Statement[0].Principal, {
                Service: "events.amazonaws.com",
            });
            const rule = inputsOf(named(run, "aws:cloudwatch/eventRule:EventRule", "mirror-schedule"));
            assert.strictEqual(rule.name, "mirror-schedule");
            assert.strictEqual(target.rule, rule.name, "the target belongs to the schedule rule");
            assert.strictEqual(target.roleArn, "arn:aws:iam::123456789012:role/mirror-start");
            assert.deepStrictEqual(statementsOf(named(run, ROLE_POLICY, "mirror-start")), [
                {
                    Sid: "StartMirrorBuild",
                    Effect: "Allow",
                    Action: "codebuild:StartBuild",
                    Resource: run.outputs.projectArn,
                },
            ]);
        });

        // "For EventBridge event bus rule targets, the value of aws:SourceArn must be the rule
        // ARN" ("Cross-service confused deputy prevention in Amazon EventBridge").
        it("lets EventBridge assume the start role only for this schedule rule of the stack's account", () => {
            const trust = policyOf(named(run, ROLE, "mirror-start"), "assumeRolePolicy");
            assert.deepStrictEqual(trust.Statement, [
                {
                    Effect: "Allow",
                    Principal: { Service: "events.amazonaws.com" },
                    Action: "sts:AssumeRole",
                    Condition: {
                        StringEquals: { "aws:SourceAccount": ACCOUNT },
                        ArnLike: {
                            "aws:SourceArn": `arn:aws:events:us-east-1:${ACCOUNT}:rule/mirror-schedule`,
                        },
                    },
                },
            ]);
        });
    });

    describe("the build", () => {
        it("runs outside the cluster: a CodeBuild project with no source and an inline buildspec, in the provider's region", () => {
            const project = named(run, PROJECT, "mirror-project");
            assert.strictEqual(project.region, "us-east-1");
            assert.strictEqual(inputsOf(project).source.type, "NO_SOURCE");
            assert.strictEqual(inputsOf(project).artifacts.type, "NO_ARTIFACTS");
            assert.strictEqual(
                inputsOf(project).vpcConfig,
                undefined,
                "no dependency on the VPC or the cluster",
            );
            assert.strictEqual(run.outputs.projectName, "mirror");
        });

        it("fails on any failed step: one bash script under set -euo pipefail, phase aborts on failure", () => {
            const spec = parse(String(inputsOf(named(run, PROJECT, "mirror-project")).source.buildspec));
            assert.strictEqual(spec.env.shell, "bash");
            assert.strictEqual(spec.phases.build["on-failure"], "ABORT");
            assert.deepStrictEqual(
                Object.keys(spec.phases),
                ["build"],
                "no post_build that runs after a failure",
            );
            assert.strictEqual(buildScript(run).split("\n")[0], "set -euo pipefail");
        });

        it("mirror-clones, bundles every ref, verifies, hashes and uploads, in that order", () => {
            const script = buildScript(run);
            const steps = [
                'clone --mirror --quiet "https://github.com/webank/platform.git" "$work/repo.git"',
                'bundle create "$work/repo.bundle" --all',
                'bundle verify "$work/repo.bundle"',
                'sha256sum "$work/repo.bundle"',
                'echo "bundle sha256: $sha256"',
                `aws s3 cp "$work/repo.bundle" "s3://${BUCKET}/$key" --sse aws:kms --sse-kms-key-id "${KEY_ARN}"`,
            ];
            const positions = steps.map((step) => script.indexOf(step));
            positions.forEach((position, i) => assert.ok(position >= 0, `missing step: ${steps[i]}`));
            assert.deepStrictEqual(
                [...positions].sort((a, b) => a - b),
                positions,
                "steps out of order",
            );
        });

        it("stores each bundle as git-bundles/<repository>/<UTC timestamp>.bundle", () => {
            const script = buildScript(run);
            assert.ok(script.includes('stamp="$(date -u +%Y%m%dT%H%M%SZ)"'), "UTC timestamp");
            assert.ok(script.includes('key="git-bundles/webank/platform/$stamp.bundle"'));
            assert.strictEqual(run.outputs.bundlePrefix, "git-bundles/webank/platform/");
            assert.strictEqual(bundlePrefixOf("acme/infra"), "git-bundles/acme/infra/");
        });

        it("logs to its own KMS-encrypted log group, and the project uses the key", () => {
            const group = inputsOf(named(run, "aws:cloudwatch/logGroup:LogGroup", "mirror-logs"));
            assert.strictEqual(group.name, "/aws/codebuild/mirror");
            assert.strictEqual(group.kmsKeyId, KEY_ARN);
            assert.strictEqual(group.retentionInDays, 365);
            const project = inputsOf(named(run, PROJECT, "mirror-project"));
            assert.strictEqual(project.encryptionKey, KEY_ARN);
            assert.strictEqual(project.logsConfig.cloudwatchLogs.status, "ENABLED");
            assert.strictEqual(project.logsConfig.cloudwatchLogs.groupName, "/aws/codebuild/mirror");
        });
    });

    describe("the GitHub token", () => {
        it("is a SECRETS_MANAGER environment variable that holds only the secret's ARN", () => {
            const variables = inputsOf(named(run, PROJECT, "mirror-project")).environment
                .environmentVariables;
            assert.deepStrictEqual(variables, [
                { name: "GITHUB_TOKEN", type: "SECRETS_MANAGER", value: SECRET_ARN },
            ]);
        });

        it("reaches git only through a credential helper: never in the URL, an argument or an echo to the log", () => {
            const script = buildScript(run);
            assert.doesNotMatch(script, /@github\.com/, "no credentials in the clone URL");
            assert.doesNotMatch(script, /set -x|printenv|\benv\b\s*$/m, "nothing that dumps the environment");
            const uses = script.split("\n").filter((line) => line.includes("GITHUB_TOKEN"));
            assert.strictEqual(uses.length, 1);
            assert.match(
                uses[0],
                /^git -c credential\.helper= -c 'credential\.helper=!f\(\) \{ .*"password=\$GITHUB_TOKEN"; \}; f' clone --mirror /,
            );
        });

        it("appears nowhere in recorded inputs: the secret ARN only where the token is read", () => {
            const everything = JSON.stringify(run.resources.map((r) => r.inputs));
            assert.doesNotMatch(everything, /\b(gh[pousr]_|github_pat_)[A-Za-z0-9_]{20,}/, "a GitHub token");
            const holders = run.resources
                .filter((r) => JSON.stringify(r.inputs).includes(SECRET_ARN))
                .map((r) => `${r.type} ${r.name}`)
                .sort();
            assert.deepStrictEqual(holders, [`${PROJECT} mirror-project`, `${ROLE_POLICY} mirror-build`]);
        });
    });

    describe("the build role (least privilege)", () => {
        // "Allow CodeBuild to interact with other AWS services" (CodeBuild User Guide): the
        // trust policy's aws:SourceAccount is the project's owner, aws:SourceArn its ARN.
        it("is assumed by CodeBuild only, on behalf of this project of the stack's account", () => {
            const trust = policyOf(named(run, ROLE, "mirror-build"), "assumeRolePolicy");
            assert.deepStrictEqual(trust.Statement, [
                {
                    Effect: "Allow",
                    Principal: { Service: "codebuild.amazonaws.com" },
                    Action: "sts:AssumeRole",
                    Condition: {
                        StringEquals: { "aws:SourceAccount": ACCOUNT },
                        ArnLike: { "aws:SourceArn": `arn:aws:codebuild:us-east-1:${ACCOUNT}:project/mirror` },
                    },
                },
            ]);
            // The ARN in the condition is the project's own (formed before the project exists).
            assert.strictEqual(trust.Statement[0].Condition.ArnLike["aws:SourceArn"], run.outputs.projectArn);
            assert.strictEqual(
                inputsOf(named(run, PROJECT, "mirror-project")).serviceRole,
                "arn:aws:iam::123456789012:role/mirror-build",
            );
        });

        it("may write only its own log group", () => {
            const logs = statementsOf(named(run, ROLE_POLICY, "mirror-build")).find(
                (s) => s.Sid === "WriteOwnLogs",
            );
            assert.ok(logs);
            assert.deepStrictEqual(logs.Action, ["logs:CreateLogStream", "logs:PutLogEvents"]);
            const groupArn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/codebuild/mirror";
            assert.deepStrictEqual(logs.Resource, [groupArn, `${groupArn}:*`]);
        });

        it("may only put objects under the repository's git-bundles/ prefix", () => {
            const statements = statementsOf(named(run, ROLE_POLICY, "mirror-build"));
            const s3 = statements.filter((s) => JSON.stringify(s.Action).includes("s3:"));
            assert.deepStrictEqual(s3, [
                {
                    Sid: "WriteBundlesOnly",
                    Effect: "Allow",
                    Action: "s3:PutObject",
                    Resource: `${BUCKET_ARN}/git-bundles/webank/platform/*`,
                },
            ]);
            assert.ok(String(s3[0].Resource).startsWith(`${BUCKET_ARN}/git-bundles/`));
        });

        it("may encrypt with the key, and decrypt only through S3 (multipart uploads) and Secrets Manager", () => {
            const statements = statementsOf(named(run, ROLE_POLICY, "mirror-build"));
            const kms = statements.filter((s) => JSON.stringify(s.Action).includes("kms:"));
            assert.deepStrictEqual(
                kms.map((s) => [s.Action, s.Resource, s.Condition]),
                [
                    [["kms:GenerateDataKey", "kms:Encrypt"], KEY_ARN, undefined],
                    [
                        "kms:Decrypt",
                        KEY_ARN,
                        {
                            StringLike: {
                                "kms:ViaService": ["s3.*.amazonaws.com", "secretsmanager.*.amazonaws.com"],
                            },
                        },
                    ],
                ],
            );
        });

        it("may read only the token secret", () => {
            const statements = statementsOf(named(run, ROLE_POLICY, "mirror-build"));
            const secrets = statements.filter((s) => JSON.stringify(s.Action).includes("secretsmanager:"));
            assert.deepStrictEqual(
                secrets.map((s) => [s.Action, s.Resource]),
                [["secretsmanager:GetSecretValue", SECRET_ARN]],
            );
        });

        it("grants nothing else: no wildcard actions or resources, five statements in all", () => {
            const statements = statementsOf(named(run, ROLE_POLICY, "mirror-build"));
            assert.strictEqual(statements.length, 5);
            for (const statement of statements) {
                assert.strictEqual(statement.Effect, "Allow");
                for (const action of ([] as unknown[]).concat(statement.Action)) {
                    assert.doesNotMatch(String(action), /\*/, `wildcard action ${String(action)}`);
                }
                for (const resource of ([] as unknown[]).concat(statement.Resource)) {
                    assert.notStrictEqual(resource, "*");
                }
            }
        });
    });

    describe("its service roles, evaluated by iam-simulate", () => {
        const projectArn = (account: string, project = "mirror") =>
            `arn:aws:codebuild:us-east-1:${account}:project/${project}`;
        const ruleArn = (account: string, rule = "mirror-schedule") =>
            `arn:aws:events:us-east-1:${account}:rule/${rule}`;
        const assume = (role: string, service: string, sourceAccount: string, sourceArn: string) =>
            evaluate({
                principal: service,
                action: "sts:AssumeRole",
                resource: `arn:aws:iam::${ACCOUNT}:role/${role}`,
                resourcePolicy: policyOf(named(run, ROLE, role), "assumeRolePolicy"),
                context: { "aws:SourceAccount": sourceAccount, "aws:SourceArn": sourceArn },
            });

        it("lets CodeBuild assume the build role for this project of this account only", async () => {
            const allowed = await assume(
                "mirror-build",
                "codebuild.amazonaws.com",
                ACCOUNT,
                projectArn(ACCOUNT),
            );
            assert.strictEqual(allowed.result, "Allowed");
            // Both conditions were evaluated, not dropped as inapplicable to sts:AssumeRole.
            assert.deepStrictEqual(allowed.ignoredContextKeys, []);
            for (const [account, arn] of [
                [OTHER_ACCOUNT, projectArn(OTHER_ACCOUNT)],
                [ACCOUNT, projectArn(ACCOUNT, "someone-else")],
            ]) {
                const denied = await assume("mirror-build", "codebuild.amazonaws.com", account, arn);
                assert.strictEqual(denied.result, "ImplicitlyDenied", `${account} ${arn}`);
            }
        });

        it("lets EventBridge assume the start role for this rule of this account only", async () => {
            const allowed = await assume("mirror-start", "events.amazonaws.com", ACCOUNT, ruleArn(ACCOUNT));
            assert.strictEqual(allowed.result, "Allowed");
            assert.deepStrictEqual(allowed.ignoredContextKeys, []);
            for (const [account, arn] of [
                [OTHER_ACCOUNT, ruleArn(OTHER_ACCOUNT)],
                [ACCOUNT, ruleArn(ACCOUNT, "someone-else")],
            ]) {
                const denied = await assume("mirror-start", "events.amazonaws.com", account, arn);
                assert.strictEqual(denied.result, "ImplicitlyDenied", `${account} ${arn}`);
            }
        });

        it("takes the source account from its accountId argument (the rule's ARN from the rule)", async () => {
            const other = await declareMirror({ accountId: OTHER_ACCOUNT });
            const condition = (role: string) =>
                policyOf(named(other, ROLE, role), "assumeRolePolicy").Statement[0].Condition;
            for (const role of ["mirror-build", "mirror-start"]) {
                assert.deepStrictEqual(condition(role).StringEquals, { "aws:SourceAccount": OTHER_ACCOUNT });
            }
            assert.strictEqual(condition("mirror-build").ArnLike["aws:SourceArn"], projectArn(OTHER_ACCOUNT));
            // The fake cloud's account owns the rule: its ARN is read, not formed.
            assert.strictEqual(condition("mirror-start").ArnLike["aws:SourceArn"], ruleArn(ACCOUNT));
        });
    });

    describe("alarms", () => {
        it("alarms on any failed build of the project", () => {
            const failed = inputsOf(named(run, ALARM, "mirror-failed"));
            assert.strictEqual(failed.namespace, "AWS/CodeBuild");
            assert.strictEqual(failed.metricName, "FailedBuilds");
            assert.deepStrictEqual(failed.dimensions, { ProjectName: "mirror" });
            assert.strictEqual(failed.statistic, "Sum");
            assert.strictEqual(failed.comparisonOperator, "GreaterThanOrEqualToThreshold");
            assert.strictEqual(failed.threshold, 1);
            assert.deepStrictEqual(failed.alarmActions, [TOPIC_ARN]);
        });

        it("alarms when no build succeeds for twice the job period, missing data breaching (dead man's switch)", () => {
            const silent = inputsOf(named(run, ALARM, "mirror-silent"));
            assert.strictEqual(silent.namespace, "AWS/CodeBuild");
            assert.strictEqual(silent.metricName, "SucceededBuilds");
            assert.deepStrictEqual(silent.dimensions, { ProjectName: "mirror" });
            assert.strictEqual(silent.statistic, "Sum");
            assert.strictEqual(silent.comparisonOperator, "LessThanThreshold");
            assert.strictEqual(silent.threshold, 1);
            assert.strictEqual(silent.treatMissingData, "breaching");
            assert.strictEqual(silent.period * silent.evaluationPeriods, 2 * 30 * 60);
            assert.deepStrictEqual(silent.alarmActions, [TOPIC_ARN]);
            assert.strictEqual(ofType(run, ALARM).length, 2);
        });

        it("splits a silence window over a day into day-long periods that must all be silent", async () => {
            // A 2,880-minute RPO runs the mirror daily: a two-day window, which one alarm period cannot hold.
            const daily = await declareMirror({ rpoMinutes: 2880 });
            const silent = inputsOf(named(daily, ALARM, "mirror-silent"));
            assert.ok(silent.period <= 86_400, `period ${silent.period} s is at most a day`);
            assert.strictEqual(silent.period * silent.evaluationPeriods, 2 * 1440 * 60);
            assert.strictEqual(silent.datapointsToAlarm, silent.evaluationPeriods);
        });
    });

    describe("argument validation", () => {
        for (const repository of [
            "platform",
            "webank/platform.git",
            "webank/platform/extra",
            "-webank/platform",
            "webank/..",
            'webank/platform"; curl evil #',
            "",
        ]) {
            it(`refuses repository ${JSON.stringify(repository)}, naming the argument and the value`, async () => {
                await assertRefused(
                    { repository },
                    /SourceMirror\(mirror\)\.repository must be a GitHub repository as "owner\/name"/,
                    new RegExp(`got ${literal(JSON.stringify(repository))}`),
                );
            });
        }

        for (const rpo of [5, 9]) {
            it(`refuses an RPO of ${rpo} minutes, too short for a scheduled job`, async () => {
                await assertRefused(
                    { rpoMinutes: rpo },
                    new RegExp(
                        `SourceMirror\\(mirror\\)\\.rpoMinutes must leave room for a scheduled job \\(an RPO of ${rpo} minutes is too short for a scheduled job: it must be at least 10 minutes\\); got ${rpo}$`,
                        "m",
                    ),
                );
            });
        }

        for (const rpo of [0, -30, 12.5]) {
            it(`refuses an RPO of ${rpo}`, async () => {
                await assertRefused(
                    { rpoMinutes: rpo },
                    new RegExp(
                        `SourceMirror\\(mirror\\)\\.rpoMinutes must be a positive whole number of minutes; got ${rpo}$`,
                        "m",
                    ),
                );
            });
        }

        it("refuses a secret ARN without its suffix (IAM would not match the real ARN)", async () => {
            const partial = "arn:aws:secretsmanager:us-east-1:123456789012:secret:webank/github-mirror-token";
            await assertRefused(
                { tokenSecretArn: partial },
                new RegExp(
                    `SourceMirror\\(mirror\\)\\.tokenSecretArn must be the complete ARN .*; got "${partial}"`,
                ),
            );
        });

        for (const accountId of ["12345678901", "1234567890123", "webank", ""]) {
            it(`refuses the account id ${JSON.stringify(accountId)} (the trust policies would deny every build)`, async () => {
                await assertRefused(
                    { accountId },
                    new RegExp(
                        `SourceMirror\\(mirror\\)\\.accountId must be a 12-digit AWS account id; got "${accountId}"`,
                    ),
                );
            });
        }

        for (const projectName of ["mirror of platform", "m", "x".repeat(56)]) {
            it(`refuses the project name ${JSON.stringify(projectName)} (CodeBuild or the rule name would reject it)`, async () => {
                await assertRefused(
                    { projectName },
                    new RegExp(
                        `SourceMirror\\(mirror\\)\\.projectName must be 2–55 letters.*; got "${projectName}"`,
                    ),
                );
            });
        }

        it("accepts a 55-character project name and names the log group and rule after it", async () => {
            const projectName = "p".repeat(55);
            const r = await declareMirror({ projectName });
            assert.strictEqual(inputsOf(named(r, PROJECT, "mirror-project")).name, projectName);
            assert.strictEqual(
                inputsOf(named(r, "aws:cloudwatch/logGroup:LogGroup", "mirror-logs")).name,
                `/aws/codebuild/${projectName}`,
            );
            assert.strictEqual(
                inputsOf(named(r, "aws:cloudwatch/eventRule:EventRule", "mirror-schedule")).name.length,
                64,
            );
        });

        it("reports every problem at once", async () => {
            await assertRefused(
                { repository: "nope", rpoMinutes: 5 },
                /2 problems/,
                /\.repository must/,
                /\.rpoMinutes must/,
            );
        });
    });
});
