import { CodeBuildClient } from "@aws-sdk/client-codebuild";
import { JobsPort } from "../../ports";
import { startBuild, waitForBuild } from "./codebuild";
import { DEFAULT_POLL_DELAYS, PollDelays } from "./retry";

/** Options of {@link CodeBuildJobs}. */
export interface CodeBuildJobsOptions {
    /** How often build waits poll. @default {@link DEFAULT_POLL_DELAYS} */
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
    public startMirror(projectName: string): Promise<string> {
        return startBuild(this.codebuild, this.region, { projectName }, "mirror build");
    }

    /** Polls the build until it succeeds; a failed build or the timeout throws with its log link. */
    public waitMirror(buildId: string, timeoutMinutes: number): Promise<void> {
        return waitForBuild(
            this.codebuild,
            this.region,
            buildId,
            timeoutMinutes,
            this.pollDelays,
            "mirror build",
        );
    }
}
