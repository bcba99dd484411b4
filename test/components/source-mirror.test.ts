// What SourceMirror declares: the schedule and its start role, the CodeBuild project and its
// buildspec, how the GitHub token reaches git, and the alarms. The build role's permissions are
// in source-mirror-roles.test.ts, argument validation in source-mirror-validation.test.ts.
import * as assert from "assert";
import { parse } from "yaml";
import { bundlePrefixOf } from "../../lib/artifacts";
import { OfflineRun } from "../../offline/engine";
import { inputsOf, named, ofType, policyOf } from "../support/offline";
import {
    ACCOUNT,
    ALARM,
    BUCKET,
    declareMirror,
    KEY_ARN,
    PROJECT,
    ROLE,
    ROLE_POLICY,
    SECRET_ARN,
    statementsOf,
    TOPIC_ARN,
} from "./source-mirror-fixtures";

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
});
