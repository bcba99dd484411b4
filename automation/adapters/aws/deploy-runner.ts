import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { CodeBuildClient } from "@aws-sdk/client-codebuild";
import {
    RUNNER_ARGS_VARIABLE,
    RUNNER_COMMAND_VARIABLE,
    RUNNER_RESUME_VARIABLE,
    RunnerCommand,
} from "../../../lib/kubernetes-access";
import type { LogPage, RecoveryRun, RunnerBuildState } from "../../deploy-ports";
import { DeployRunnerPort } from "../../ports";
import { readLogPages } from "./build-logs";
import { describeBuild, projectExists, startBuild, waitForBuild } from "./codebuild";
import { awsClientConfig, DEFAULT_POLL_DELAYS, PollDelays } from "./retry";

/** Options of {@link CodeBuildDeployRunner}. */
export interface CodeBuildDeployRunnerOptions {
    /** How often build waits poll. @default {@link DEFAULT_POLL_DELAYS} */
    readonly pollDelays?: PollDelays;
    /** CloudWatch Logs of the same region, for the builds' logs. @default a client for `region` */
    readonly logs?: CloudWatchLogsClient;
}

/**
 * {@link DeployRunnerPort} over CodeBuild in one region. A deploy is StartBuild of the runner
 * project with, for this build only (CodeBuild API reference, StartBuild):
 * - `environmentVariablesOverride` WEBANK_COMMAND: what the buildspec runs (the project's own
 *   value is `preview`);
 * - `sourceVersion`: "For Amazon S3: the version ID of the object that represents the build
 *   input ZIP file to use", so the build deploys the archive this run uploaded, not whatever
 *   is current when CodeBuild fetches it;
 * - `idempotencyToken`: "valid for 5 minutes. If you repeat the StartBuild request with the
 *   same token, but change a parameter, CodeBuild returns a parameter mismatch error".
 *
 * A recovery run (`failover --on-runner`) overrides WEBANK_COMMAND with the command and
 * WEBANK_ARGS with its arguments as one JSON array; the buildspec hands both to node, which
 * parses the JSON, so an argument is never shell text. A build's log is read from CloudWatch
 * Logs of the same region (build-logs.ts).
 */
export class CodeBuildDeployRunner implements DeployRunnerPort {
    private readonly pollDelays: PollDelays;
    private readonly logs: CloudWatchLogsClient;

    constructor(
        private readonly codebuild: CodeBuildClient,
        /** The region of `codebuild`. */
        public readonly region: string,
        options: CodeBuildDeployRunnerOptions = {},
    ) {
        this.pollDelays = options.pollDelays ?? DEFAULT_POLL_DELAYS;
        this.logs = options.logs ?? new CloudWatchLogsClient(awsClientConfig(region));
    }

    /** Starts a build of the runner running `command` on the archive's version `sourceVersion`. */
    public startDeploy(
        projectName: string,
        command: RunnerCommand,
        sourceVersion: string,
        idempotencyToken: string,
    ): Promise<string> {
        return startBuild(
            this.codebuild,
            this.region,
            {
                projectName,
                sourceVersion,
                idempotencyToken,
                environmentVariablesOverride: [
                    { name: RUNNER_COMMAND_VARIABLE, value: command, type: "PLAINTEXT" },
                ],
            },
            "deploy build",
        );
    }

    /** Polls the build until it succeeds; a failed build or the timeout throws with its log link. */
    public waitDeploy(buildId: string, timeoutMinutes: number): Promise<void> {
        return waitForBuild(
            this.codebuild,
            this.region,
            buildId,
            timeoutMinutes,
            this.pollDelays,
            "deploy build",
        );
    }

    /** BatchGetProjects of `projectName`. */
    public projectExists(projectName: string): Promise<boolean> {
        return projectExists(this.codebuild, this.region, projectName);
    }

    /** Starts the runner on `run.sourceVersion` running `run.command` with `run.args` (JSON). */
    public startRecovery(projectName: string, run: RecoveryRun): Promise<string> {
        return startBuild(
            this.codebuild,
            this.region,
            {
                projectName,
                sourceVersion: run.sourceVersion,
                idempotencyToken: run.idempotencyToken,
                environmentVariablesOverride: [
                    { name: RUNNER_COMMAND_VARIABLE, value: run.command, type: "PLAINTEXT" },
                    { name: RUNNER_ARGS_VARIABLE, value: JSON.stringify(run.args), type: "PLAINTEXT" },
                    ...(run.resumeRunId === undefined
                        ? []
                        : [
                              {
                                  name: RUNNER_RESUME_VARIABLE,
                                  value: run.resumeRunId,
                                  type: "PLAINTEXT" as const,
                              },
                          ]),
                ],
            },
            `${run.command} build`,
        );
    }

    /** BatchGetBuilds of `buildId`: status, phase and where its log is (CodeBuild LogsLocation). */
    public async buildState(buildId: string): Promise<RunnerBuildState | undefined> {
        const build = await describeBuild(this.codebuild, this.region, buildId);
        if (!build) {
            return undefined;
        }
        return {
            id: buildId,
            status: build.buildStatus ?? "IN_PROGRESS",
            ...(build.currentPhase ? { phase: build.currentPhase } : {}),
            ...(build.logs?.deepLink ? { deepLink: build.logs.deepLink } : {}),
            ...(build.logs?.groupName ? { logGroup: build.logs.groupName } : {}),
            ...(build.logs?.streamName ? { logStream: build.logs.streamName } : {}),
        };
    }

    /** GetLogEvents of the build's stream after `nextToken`; nothing before CodeBuild names the stream. */
    public logLines(build: RunnerBuildState, nextToken?: string): Promise<LogPage> {
        if (!build.logGroup || !build.logStream) {
            return Promise.resolve({ lines: [], ...(nextToken === undefined ? {} : { nextToken }) });
        }
        return readLogPages(this.logs, this.region, build.logGroup, build.logStream, nextToken);
    }
}
