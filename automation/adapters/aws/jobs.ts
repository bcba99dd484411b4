import { BatchGetBuildsCommand, Build, CodeBuildClient, StartBuildCommand } from "@aws-sdk/client-codebuild";
import { createWaiter, WaiterResult, WaiterState } from "@smithy/core/client";
import { JobsPort } from "../../ports";
import { DEFAULT_POLL_DELAYS, isAwsError, messageOf, PollDelays, waiterSettings } from "./retry";

/** Build statuses after which waiting longer changes nothing. */
const FAILED_BUILD_STATUSES = ["FAILED", "FAULT", "STOPPED", "TIMED_OUT"];

/** Options of {@link CodeBuildJobs}. */
export interface CodeBuildJobsOptions {
    /** How often build waits poll. Default {@link DEFAULT_POLL_DELAYS}. */
    readonly pollDelays?: PollDelays;
}

/** {@link JobsPort} over CodeBuild in the home region: the Git mirror project run on demand. */
export class CodeBuildJobs implements JobsPort {
    private readonly pollDelays: PollDelays;

    constructor(
        private readonly codebuild: CodeBuildClient,
        /** The region of `codebuild`, for the commands in error messages. */
        public readonly region: string,
        options: CodeBuildJobsOptions = {},
    ) {
        this.pollDelays = options.pollDelays ?? DEFAULT_POLL_DELAYS;
    }

    /** Starts a build of the mirror project; returns the build id. */
    public async startMirror(projectName: string): Promise<string> {
        try {
            const { build } = await this.codebuild.send(new StartBuildCommand({ projectName }));
            if (!build?.id) {
                throw new Error("CodeBuild returned no build id");
            }
            return build.id;
        } catch (error) {
            const hint = isAwsError(error, "ResourceNotFoundException")
                ? `project ${projectName} was not found; check it with: aws codebuild batch-get-projects --region ${this.region} --names ${projectName}`
                : "run the same command again once the cause is fixed";
            throw new Error(
                `the mirror build of ${projectName} could not start: ${messageOf(error)}; ${hint}`,
                {
                    cause: error,
                },
            );
        }
    }

    /** Polls the build with `createWaiter` until it succeeds; a failed build or the timeout throws with its log link. */
    public async waitMirror(buildId: string, timeoutMinutes: number): Promise<void> {
        const settings = waiterSettings(this.codebuild, timeoutMinutes, this.pollDelays);
        const check = `aws codebuild batch-get-builds --region ${this.region} --ids ${buildId}`;
        let last: Build | undefined;
        let result: WaiterResult;
        try {
            result = await createWaiter(settings, buildId, async (client, id): Promise<WaiterResult> => {
                const { builds = [] } = await client.send(new BatchGetBuildsCommand({ ids: [id] }));
                last = builds.find((b) => b.id === id);
                if (!last) {
                    throw new Error(`build ${id} was not found`);
                }
                if (last.buildStatus === "SUCCEEDED") {
                    return { state: WaiterState.SUCCESS };
                }
                return {
                    state:
                        last.buildStatus && FAILED_BUILD_STATUSES.includes(last.buildStatus)
                            ? WaiterState.FAILURE
                            : WaiterState.RETRY,
                };
            });
        } catch (error) {
            throw new Error(
                `mirror build ${buildId} could not be read: ${messageOf(error)}; check it with: ${check}`,
                {
                    cause: error,
                },
            );
        }
        if (result.state === WaiterState.SUCCESS) {
            return;
        }
        const logs = last?.logs?.deepLink ? `; its log: ${last.logs.deepLink}` : "";
        if (result.state === WaiterState.FAILURE) {
            throw new Error(
                `mirror build ${buildId} ended ${String(last?.buildStatus)} in phase ${last?.currentPhase ?? "unknown"}${logs}; ` +
                    `check it with: ${check}; fix the cause, then run the same command again`,
            );
        }
        throw new Error(
            `mirror build ${buildId} was not finished after ${timeoutMinutes} minutes (status ${last?.buildStatus ?? "unknown"})${logs}; ` +
                `check it with: ${check}; run the same command again to resume waiting`,
        );
    }
}
