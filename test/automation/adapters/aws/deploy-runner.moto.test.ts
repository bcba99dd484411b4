import * as assert from "assert";
import { CodeBuildClient, CreateProjectCommand } from "@aws-sdk/client-codebuild";
import { CodeBuildDeployRunner } from "../../../../automation/adapters/aws/deploy-runner";
import { MotoServer, motoClientConfig, motoVersion, startMoto } from "../../../support/moto";
import { requirePeer } from "../../../support/peers";

/*
 * Looking the dr runner up (BatchGetProjects) against moto's CodeBuild. What moto 5.2 lacks,
 * so aws-sdk-client-mock answers it in deploy-runner.test.ts: StartBuild and BatchGetBuilds
 * (their answers carry ISO-8601 strings where the JSON protocol has epoch seconds, which the
 * SDK refuses: "Expected real number"), and `projectsNotFound` (moto leaves it out).
 */

const REGION = "us-west-2";

describe("automation/aws/deploy-runner: the runner looked up in moto's CodeBuild (peer)", function () {
    this.timeout(60_000);
    let moto: MotoServer | undefined;
    let client: CodeBuildClient;

    before(async function () {
        requirePeer(this, "moto (python3 -m moto.server)", motoVersion());
        moto = await startMoto();
        client = new CodeBuildClient(motoClientConfig(moto.endpoint, REGION));
        // The project as components/deploy-runner.ts declares its essentials.
        await client.send(
            new CreateProjectCommand({
                name: "webank-dr-deploy",
                source: {
                    type: "S3",
                    location: "webank-artifacts-123456789012-us-west-2/deploy-sources/dr.zip",
                },
                artifacts: { type: "NO_ARTIFACTS" },
                environment: {
                    type: "LINUX_CONTAINER",
                    image: "aws/codebuild/amazonlinux-x86_64-standard:5.0",
                    computeType: "BUILD_GENERAL1_MEDIUM",
                },
                serviceRole: "arn:aws:iam::123456789012:role/webank-dr-deploy",
            }),
        );
    });
    after(async () => {
        client?.destroy();
        await moto?.stop();
    });

    it("finds the project that exists and not one that does not", async () => {
        const port = new CodeBuildDeployRunner(client, REGION);
        assert.strictEqual(await port.projectExists("webank-dr-deploy"), true);
        assert.strictEqual(await port.projectExists("webank-primary-deploy"), false);
    });
});
