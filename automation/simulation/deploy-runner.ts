import { createHash } from "crypto";
import { DeployRunnerPort, DeploySource } from "../ports";
import { codeBuildId } from "./formats";
import { Side } from "./state";
import type { SimulatedStack, WorldCore } from "./world-core";

/*
 * The deploy runners (components/deploy-runner.ts) of the simulated account: CodeBuild
 * projects that run a stack's program from inside its VPC, on the source archive uploaded to
 * `deploy-sources/<stack>.zip`. A build reads the version of the archive it was started
 * with and runs the stack's program with the config in it (not the workspace's), as the
 * real runner runs `pulumi up` on the archive's Pulumi.<stack>.yaml; inside the build the
 * program sees itself in its runner (lib/kubernetes-access.ts).
 */

/** How long CodeBuild honours a StartBuild idempotency token. */
const IDEMPOTENCY_TOKEN_MINUTES = 5;

/** What the simulated workspace's source archive holds in place of a zip of the project. */
const SOURCE_FORMAT = "webank-dr/simulated-deploy-source/v1";

/** The simulated source archive of a stack: its name and config as the workspace holds them now. */
export function simulatedDeploySource(stackName: string, stack: SimulatedStack): DeploySource {
    const body = JSON.stringify({ format: SOURCE_FORMAT, stack: stackName, config: stack.config });
    // A commit-shaped id (40 hex digits, as `git rev-parse` prints one) of what the archive holds.
    const commit = createHash("sha1").update(body).digest("hex");
    return {
        archive: Buffer.from(body),
        commit,
        description: `simulated commit ${commit.slice(0, 12)} with Pulumi.${stackName}.yaml as set in the workspace`,
    };
}

/** The stack and config a simulated archive holds, or a reason it holds none. */
function sourceOf(body: Buffer): { stack: string; config: Record<string, string> } | string {
    try {
        const parsed = JSON.parse(body.toString("utf8")) as {
            format?: string;
            stack?: string;
            config?: Record<string, string>;
        };
        if (parsed.format === SOURCE_FORMAT && typeof parsed.stack === "string" && parsed.config) {
            return { stack: parsed.stack, config: parsed.config };
        }
    } catch {
        // Not JSON: not an archive this simulation made.
    }
    return "the source archive is not a project archive (no Pulumi.yaml at its root)";
}

/** Registers the deploy runner project of `stack` in `side` (its program's `up` creates it with the cluster). */
export function addDeployProject(
    world: WorldCore,
    projectName: string,
    project: { stack: string; side: Side; bucket: string; key: string },
): void {
    world.state.deployProjects[projectName] = project;
}

/**
 * {@link DeployRunnerPort} in one region. Messages are CodeBuild's: StartBuild of a project
 * that does not exist fails with ResourceNotFoundException; a second build while the project's
 * `concurrentBuildLimit` (1) is reached with AccountLimitExceededException, the error StartBuild
 * lists for a limit reached; a token repeated within five minutes returns the build it started.
 */
export function deployRunnerPort(world: WorldCore, side: Side): DeployRunnerPort {
    const region = world.region(side).name;
    return {
        startDeploy: async (projectName, command, sourceVersion, token) => {
            await world.enter(`${side}.runner.startDeploy`, { projectName, command });
            return world.transact(() => {
                const project = world.state.deployProjects[projectName];
                if (!project || project.side !== side) {
                    throw new Error(
                        `ResourceNotFoundException: Project cannot be found: arn:aws:codebuild:${region}:${world.accountId}:project/${projectName}`,
                    );
                }
                const builds = Object.values(world.state.builds).filter((b) => b.project === projectName);
                // A token is "valid for 5 minutes" (StartBuild idempotencyToken); after that it starts anew.
                const same = builds.find(
                    (b) =>
                        b.deploy?.token === token &&
                        world.now().getTime() - Date.parse(b.startedAt) <= IDEMPOTENCY_TOKEN_MINUTES * 60_000,
                );
                if (same) {
                    return same.id;
                }
                if (builds.some((b) => b.status === "IN_PROGRESS")) {
                    throw new Error(
                        `AccountLimitExceededException: Build limit exceeded for project ${projectName} (concurrentBuildLimit 1)`,
                    );
                }
                const id = codeBuildId(projectName, world.nextSeed("build"));
                world.state.builds[id] = {
                    id,
                    project: projectName,
                    startedAt: world.now().toISOString(),
                    status: "IN_PROGRESS",
                    deploy: { command, sourceVersion, token },
                };
                world.schedule(world.backgroundTime("codebuild.deploy", { projectName, command }), {
                    type: "build-complete",
                    buildId: id,
                });
                world.record(`${side} codebuild start ${projectName} ${command}`);
                return id;
            });
        },
        waitDeploy: async (buildId, timeoutMinutes) => {
            await world.enter(`${side}.runner.waitDeploy`, { buildId });
            const deadline = new Date(world.now().getTime() + timeoutMinutes * 60_000);
            const check = `aws codebuild batch-get-builds --region ${region} --ids ${buildId}`;
            await world.poll((now) => {
                const build = world.state.builds[buildId];
                if (!build) {
                    throw new Error(
                        `deploy build ${buildId} could not be read: build ${buildId} was not found`,
                    );
                }
                if (build.status === "SUCCEEDED") {
                    return { done: true, value: undefined };
                }
                if (build.status === "FAILED") {
                    throw new Error(
                        `deploy build ${buildId} ended FAILED in phase BUILD; its log ends: ${build.failure ?? "(empty)"}; ` +
                            `check it with: ${check}; fix the cause, then run the same command again`,
                    );
                }
                if (now >= deadline) {
                    throw new Error(
                        `deploy build ${buildId} was not finished after ${timeoutMinutes} minutes (status IN_PROGRESS); ` +
                            `check it with: ${check}; run the same command again to resume waiting`,
                    );
                }
                const due = world.dueOf((e) => e.type === "build-complete" && e.buildId === buildId);
                return { done: false, until: due && due < deadline ? due : deadline };
            });
        },
        projectExists: async (projectName) => {
            await world.enter(`${side}.runner.projectExists`, { projectName });
            return world.state.deployProjects[projectName]?.side === side;
        },
        startRecovery: async (projectName, run) => {
            await world.enter(`${side}.runner.startRecovery`, { projectName, command: run.command });
            // The CLI refuses `failover --on-runner --simulate` before it gets here.
            throw new Error(
                `the simulated deploy runner ${projectName} runs pulumi commands only, not the CLI's ${run.command}: ` +
                    "rehearse the failover itself with npm run dr -- failover --simulate",
            );
        },
        buildState: async (buildId) => {
            await world.enter(`${side}.runner.buildState`, { buildId });
            const build = world.state.builds[buildId];
            if (!build) {
                return undefined;
            }
            // A build's log is `/aws/codebuild/<project>` (the DeployRunner's log group), stream
            // the UUID of its id (CodeBuild LogsLocation groupName, streamName).
            return {
                id: buildId,
                status: build.status,
                phase: build.status === "IN_PROGRESS" ? "BUILD" : "COMPLETED",
                logGroup: `/aws/codebuild/${build.project}`,
                logStream: buildId.slice(build.project.length + 1),
            };
        },
        logLines: async (build, nextToken) => {
            await world.enter(`${side}.runner.logLines`, { buildId: build.id });
            // The simulated builds write no log events: GetLogEvents of an empty stream.
            return { lines: [], ...(nextToken === undefined ? {} : { nextToken }) };
        },
    };
}

/**
 * A deploy build ends: it reads its archive version and, for `up`, runs the stack's program
 * inside the runner with the archive's config. A program that throws fails the build with
 * its message, as `pulumi up` fails the buildspec's phase; a `preview` or `refresh` changes
 * no outputs here.
 */
export function deployBuildComplete(world: WorldCore, buildId: string): void {
    const build = world.state.builds[buildId];
    const project = build ? world.state.deployProjects[build.project] : undefined;
    if (!build?.deploy || !project || build.status !== "IN_PROGRESS") {
        return;
    }
    const fail = (reason: string) => {
        build.status = "FAILED";
        build.failure = reason;
    };
    const version = world
        .region(project.side)
        .buckets.get(project.bucket)
        ?.get(project.key)
        ?.find((v) => v.versionId === build.deploy?.sourceVersion);
    if (!version) {
        return fail(
            `CLIENT_ERROR: NoSuchVersion: s3://${project.bucket}/${project.key} version ${build.deploy.sourceVersion} (DOWNLOAD_SOURCE)`,
        );
    }
    const source = sourceOf(Buffer.from(version.body));
    if (typeof source === "string") {
        return fail(source);
    }
    const stack = world.stacks.get(project.stack);
    if (!stack || source.stack !== project.stack) {
        return fail(`no stack named '${project.stack}' found in the archive of ${source.stack}`);
    }
    if (build.deploy.command !== "up") {
        build.status = "SUCCEEDED";
        return;
    }
    const program = stack.onUp ?? (stack.program ? world.programs.get(stack.program)?.up : undefined);
    try {
        // The archive's config, the stack's state: what the up writes to the state is kept.
        const deployed = { ...stack, config: { ...source.config } };
        const outputs = program
            ? program(deployed, world, {
                  stackName: project.stack,
                  build: { region: world.region(project.side).name, projectName: build.project },
              })
            : stack.outputs;
        stack.outputs = outputs;
        stack.deployment = deployed.deployment;
        build.status = "SUCCEEDED";
        world.record(`stack ${project.stack} up in ${build.project}`);
    } catch (error) {
        fail(error instanceof Error ? error.message : String(error));
    }
}
