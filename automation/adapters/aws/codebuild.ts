import {
    BatchGetBuildsCommand,
    BatchGetProjectsCommand,
    Build,
    CodeBuildClient,
    StartBuildCommand,
    StartBuildInput,
} from "@aws-sdk/client-codebuild";
import { createWaiter, WaiterResult, WaiterState } from "@smithy/core/client";
import { isAwsError, messageOf, PollDelays, waiterSettings } from "./retry";

/*
 * Starting a CodeBuild build and waiting for it, shared by the Git mirror (jobs.ts) and the
 * deploy runners (deploy-runner.ts). `what` names the build in messages ("mirror build",
 * "deploy build").
 */

/** Build statuses after which waiting longer changes nothing (CodeBuild `StatusType`). */
const FAILED_BUILD_STATUSES = ["FAILED", "FAULT", "STOPPED", "TIMED_OUT"];

/** Starts a build (StartBuild); returns its id. A missing project names the command that checks it. */
export async function startBuild(
    codebuild: CodeBuildClient,
    region: string,
    input: StartBuildInput & { projectName: string },
    what: string,
): Promise<string> {
    try {
        const { build } = await codebuild.send(new StartBuildCommand(input));
        if (!build?.id) {
            throw new Error("CodeBuild returned no build id");
        }
        return build.id;
    } catch (error) {
        const project = input.projectName;
        const hint = isAwsError(error, "ResourceNotFoundException")
            ? `project ${project} was not found; check it with: aws codebuild batch-get-projects --region ${region} --names ${project}`
            : isAwsError(error, "AccountLimitExceededException")
              ? `project ${project} runs one build at a time and one is running or queued; list them with: ` +
                `aws codebuild list-builds-for-project --region ${region} --project-name ${project}, then run the same command again once it has ended`
              : "run the same command again once the cause is fixed";
        throw new Error(`the ${what} of ${project} could not start: ${messageOf(error)}; ${hint}`, {
            cause: error,
        });
    }
}

/** The build `buildId` as BatchGetBuilds answers it, or undefined when CodeBuild knows none (`buildsNotFound`). */
export async function describeBuild(
    codebuild: CodeBuildClient,
    region: string,
    buildId: string,
): Promise<Build | undefined> {
    try {
        const { builds = [] } = await codebuild.send(new BatchGetBuildsCommand({ ids: [buildId] }));
        return builds.find((b) => b.id === buildId);
    } catch (error) {
        throw new Error(
            `build ${buildId} could not be read: ${messageOf(error)}; check it with: aws codebuild batch-get-builds --region ${region} --ids ${buildId}`,
            { cause: error },
        );
    }
}

/** True when project `name` exists (BatchGetProjects lists it in `projects`, not `projectsNotFound`). */
export async function projectExists(
    codebuild: CodeBuildClient,
    region: string,
    name: string,
): Promise<boolean> {
    try {
        const { projects = [] } = await codebuild.send(new BatchGetProjectsCommand({ names: [name] }));
        return projects.some((p) => p.name === name);
    } catch (error) {
        throw new Error(
            `project ${name} could not be read: ${messageOf(error)}; check it with: aws codebuild batch-get-projects --region ${region} --names ${name}`,
            { cause: error },
        );
    }
}

/** Polls the build with `createWaiter` until it succeeds; a failed build or the timeout throws with its log link. */
export async function waitForBuild(
    codebuild: CodeBuildClient,
    region: string,
    buildId: string,
    timeoutMinutes: number,
    pollDelays: PollDelays,
    what: string,
): Promise<void> {
    const settings = waiterSettings(codebuild, timeoutMinutes, pollDelays);
    const check = `aws codebuild batch-get-builds --region ${region} --ids ${buildId}`;
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
            `${what} ${buildId} could not be read: ${messageOf(error)}; check it with: ${check}`,
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
            `${what} ${buildId} ended ${String(last?.buildStatus)} in phase ${last?.currentPhase ?? "unknown"}${logs}; ` +
                `check it with: ${check}; fix the cause, then run the same command again`,
        );
    }
    throw new Error(
        `${what} ${buildId} was not finished after ${timeoutMinutes} minutes (status ${last?.buildStatus ?? "unknown"})${logs}; ` +
            `check it with: ${check}; run the same command again to resume waiting`,
    );
}
