import { CodeBuildClient } from "@aws-sdk/client-codebuild";
import { RUNNER_COMMAND_VARIABLE, RunnerCommand } from "../../../lib/kubernetes-access";
import { DeployRunnerPort } from "../../ports";
import { startBuild, waitForBuild } from "./codebuild";
import { DEFAULT_POLL_DELAYS, PollDelays } from "./retry";

/** Options of {@link CodeBuildDeployRunner}. */
export interface CodeBuildDeployRunnerOptions {
    /** How often build waits poll. @default {@link DEFAULT_POLL_DELAYS} */
    readonly pollDelays?: PollDelays;
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
 */
export class CodeBuildDeployRunner implements DeployRunnerPort {
    private readonly pollDelays: PollDelays;

    constructor(
        private readonly codebuild: CodeBuildClient,
        /** The region of `codebuild`. */
        public readonly region: string,
        options: CodeBuildDeployRunnerOptions = {},
    ) {
        this.pollDelays = options.pollDelays ?? DEFAULT_POLL_DELAYS;
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
}
