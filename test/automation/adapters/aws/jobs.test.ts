import * as assert from "assert";
import {
    BatchGetBuildsCommand,
    CodeBuildClient,
    ResourceNotFoundException,
    StartBuildCommand,
} from "@aws-sdk/client-codebuild";
import { AwsClientStub } from "aws-sdk-client-mock";
import { mockInstance } from "../../../support/mock-client";
import { CodeBuildJobs } from "../../../../automation/adapters/aws/jobs";

const REGION = "us-east-1";
const PROJECT = "webank-source-mirror";
const BUILD = `${PROJECT}:0f1e2d3c`;
const FAST = { pollDelays: { minDelaySeconds: 0.001, maxDelaySeconds: 0.002 } };
const meta = { $metadata: {} };
const build = (status: "IN_PROGRESS" | "SUCCEEDED" | "FAILED", phase = "BUILD") => ({
    builds: [
        {
            id: BUILD,
            buildStatus: status,
            currentPhase: phase,
            logs: { deepLink: "https://console.aws.amazon.com/logs/mirror" },
        },
    ],
});

describe("automation/aws/jobs: CodeBuildJobs", () => {
    let client: CodeBuildClient;
    let codebuild: AwsClientStub<CodeBuildClient>;
    const port = () => new CodeBuildJobs(client, REGION, FAST);
    beforeEach(() => {
        client = new CodeBuildClient({ region: REGION });
        codebuild = mockInstance(client);
    });

    it("starts the mirror build and waits until it succeeds", async () => {
        codebuild.on(StartBuildCommand).resolves({ build: { id: BUILD } });
        codebuild
            .on(BatchGetBuildsCommand)
            .resolvesOnce(build("IN_PROGRESS"))
            .resolves(build("SUCCEEDED", "COMPLETED"));
        const id = await port().startMirror(PROJECT);
        assert.strictEqual(id, BUILD);
        assert.deepStrictEqual(codebuild.commandCalls(StartBuildCommand)[0].args[0].input, {
            projectName: PROJECT,
        });
        await port().waitMirror(id, 1);
        assert.strictEqual(codebuild.commandCalls(BatchGetBuildsCommand).length, 2);
        assert.deepStrictEqual(codebuild.commandCalls(BatchGetBuildsCommand)[0].args[0].input, {
            ids: [BUILD],
        });
    });

    it("says when the project does not exist", async () => {
        codebuild
            .on(StartBuildCommand)
            .rejects(new ResourceNotFoundException({ message: "Project cannot be found", ...meta }));
        await assert.rejects(
            () => port().startMirror(PROJECT),
            /the mirror build of webank-source-mirror could not start: Project cannot be found; project webank-source-mirror was not found; check it with: aws codebuild batch-get-projects --region us-east-1 --names webank-source-mirror/,
        );
    });

    it("stops at a failed build with its phase, its log and the command to check it", async () => {
        codebuild.on(BatchGetBuildsCommand).resolves(build("FAILED", "DOWNLOAD_SOURCE"));
        await assert.rejects(
            () => port().waitMirror(BUILD, 5),
            /mirror build webank-source-mirror:0f1e2d3c ended FAILED in phase DOWNLOAD_SOURCE; its log: https:\/\/console.aws.amazon.com\/logs\/mirror; check it with: aws codebuild batch-get-builds --region us-east-1 --ids webank-source-mirror:0f1e2d3c/,
        );
    });

    it("times out naming the build, the minutes and how to resume", async () => {
        codebuild.on(BatchGetBuildsCommand).resolves(build("IN_PROGRESS"));
        await assert.rejects(
            () => port().waitMirror(BUILD, 0.0005),
            /mirror build webank-source-mirror:0f1e2d3c was not finished after 0.0005 minutes \(status IN_PROGRESS\).*run the same command again to resume waiting/,
        );
    });

    it("says when the build is unknown instead of waiting for it", async () => {
        codebuild.on(BatchGetBuildsCommand).resolves({ builds: [], buildsNotFound: [BUILD] });
        await assert.rejects(
            () => port().waitMirror(BUILD, 60),
            /mirror build webank-source-mirror:0f1e2d3c could not be read: build .* was not found/,
        );
    });
});
