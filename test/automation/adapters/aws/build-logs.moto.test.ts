import * as assert from "assert";
import {
    CloudWatchLogsClient,
    CreateLogGroupCommand,
    CreateLogStreamCommand,
    PutLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { CodeBuildClient } from "@aws-sdk/client-codebuild";
import { readLogPages } from "../../../../automation/adapters/aws/build-logs";
import { CodeBuildDeployRunner } from "../../../../automation/adapters/aws/deploy-runner";
import { MotoServer, motoClientConfig, motoVersion, startMoto } from "../../../support/moto";
import { requirePeer } from "../../../support/peers";

/*
 * A build's log read from moto's CloudWatch Logs: real GetLogEvents answers (events, forward
 * tokens, the same token at the end of a stream, ResourceNotFoundException for a stream not
 * yet written), not ours. The build's state comes from CodeBuild, mocked in
 * deploy-runner-recovery.test.ts: moto 5.2's StartBuild answer does not deserialize.
 */

const REGION = "us-west-2";
const GROUP = "/aws/codebuild/webank-dr-deploy";
const STREAM = "4b8c2f1e-9d3a-4e57-8a61-0c2b7d9e5f13";

describe("automation/aws/build-logs: a runner build's log against moto's CloudWatch Logs (peer)", function () {
    this.timeout(60_000);
    let moto: MotoServer | undefined;
    let logs: CloudWatchLogsClient;

    before(async function () {
        requirePeer(this, "moto (python3 -m moto.server)", motoVersion());
        moto = await startMoto();
        logs = new CloudWatchLogsClient(motoClientConfig(moto.endpoint, REGION));
        await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
        await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: STREAM }));
    });
    after(async () => {
        logs?.destroy();
        await moto?.stop();
    });

    const put = (messages: string[], at: number) =>
        logs.send(
            new PutLogEventsCommand({
                logGroupName: GROUP,
                logStreamName: STREAM,
                logEvents: messages.map((message, i) => ({ message, timestamp: at + i })),
            }),
        );

    it("reads from the start, then only what was written after, with nothing at the end", async () => {
        await put(
            [
                "[Container] Entering phase BUILD\n",
                "failover run failover-2026-12-04T03-00-00-000Z-a1b2c3 (journal x)\n",
            ],
            Date.now(),
        );
        const first = await readLogPages(logs, REGION, GROUP, STREAM);
        assert.deepStrictEqual(first.lines, [
            "[Container] Entering phase BUILD",
            "failover run failover-2026-12-04T03-00-00-000Z-a1b2c3 (journal x)",
        ]);
        assert.ok(first.nextToken, "a forward token to read on from");
        const none = await readLogPages(logs, REGION, GROUP, STREAM, first.nextToken);
        assert.deepStrictEqual(none.lines, [], "nothing new: the end of the stream");
        await put(["webank-dr runner exit code: 0\n"], Date.now() + 1000);
        const next = await readLogPages(logs, REGION, GROUP, STREAM, none.nextToken);
        assert.deepStrictEqual(next.lines, ["webank-dr runner exit code: 0"]);
    });

    it("reads a stream not written yet as empty (the build is queued), not as an error", async () => {
        const page = await readLogPages(logs, REGION, GROUP, "not-yet-written");
        assert.deepStrictEqual(page, { lines: [] });
    });

    it("names the group and the command that reads it when the log cannot be read", async () => {
        await assert.rejects(
            () => readLogPages(logs, REGION, GROUP, STREAM, "not-a-token"),
            (error: Error) =>
                /the build log \/aws\/codebuild\/webank-dr-deploy\/4b8c2f1e-.* could not be read: .*aws logs get-log-events --region us-west-2/.test(
                    error.message,
                ) || assert.fail(error.message),
        );
    });

    it("the runner port reads nothing before CodeBuild names the build's stream", async () => {
        const port = new CodeBuildDeployRunner(new CodeBuildClient({ region: REGION }), REGION, { logs });
        assert.deepStrictEqual(
            await port.logLines({ id: `webank-dr-deploy:${STREAM}`, status: "IN_PROGRESS" }),
            {
                lines: [],
            },
        );
        const all = await port.logLines({
            id: `webank-dr-deploy:${STREAM}`,
            status: "IN_PROGRESS",
            logGroup: GROUP,
            logStream: STREAM,
        });
        assert.strictEqual(all.lines.length, 3);
    });
});
