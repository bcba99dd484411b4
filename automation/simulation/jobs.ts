import { JobsPort } from "../ports";
import { deployBuildComplete } from "./deploy-runner";
import { codeBuildId, jobStamp } from "./formats";
import { bundleOf } from "./git";
import { putReplicated } from "./objects";
import type { WorldCore } from "./world-core";

/**
 * The mirror CodeBuild project, run on demand and on its schedule. A build runs for the time
 * the duration model gives `background.codebuild.mirror`, then does what the project's
 * buildspec does (components/source-mirror.ts): `git clone --mirror` of the source
 * repository, `git bundle create --all`, upload to `<prefix><UTC stamp>.bundle`, the stamp
 * taken when the build starts. The bundle holds the source's refs at that time, and the
 * artifact bucket replicates it to the DR region.
 */
export function jobsPort(world: WorldCore): JobsPort {
    return {
        startMirror: async (projectName) => {
            await world.enter("jobs.startMirror");
            return world.transact(() => {
                if (!world.state.mirrorProjects[projectName]) {
                    // CodeBuild StartBuild's error for a project that does not exist.
                    throw new Error(
                        `ResourceNotFoundException: Project cannot be found: arn:aws:codebuild:${world.home.name}:${world.accountId}:project/${projectName}`,
                    );
                }
                const id = startBuild(world, projectName, world.now());
                world.record(`codebuild start ${projectName}`);
                return id;
            });
        },
        waitMirror: async (buildId, timeoutMinutes) => {
            await world.enter("jobs.waitMirror", { buildId });
            const deadline = new Date(world.now().getTime() + timeoutMinutes * 60_000);
            await world.poll((now) => {
                const build = world.state.builds[buildId];
                if (!build) {
                    throw new Error(
                        `mirror build ${buildId} could not be read: build ${buildId} was not found`,
                    );
                }
                if (build.status === "SUCCEEDED") {
                    return { done: true, value: undefined };
                }
                if (now >= deadline) {
                    throw new Error(
                        `mirror build ${buildId} did not finish within ${timeoutMinutes} minutes; check it with: ` +
                            `aws codebuild batch-get-builds --region ${world.home.name} --ids ${buildId}`,
                    );
                }
                const due = world.dueOf((e) => e.type === "build-complete" && e.buildId === buildId);
                return { done: false, until: due && due < deadline ? due : deadline };
            });
        },
    };
}

/** Starts a build of `projectName` at `at`; returns its id. */
function startBuild(world: WorldCore, projectName: string, at: Date): string {
    const id = codeBuildId(projectName, world.nextSeed("build"));
    world.state.builds[id] = { id, project: projectName, startedAt: at.toISOString(), status: "IN_PROGRESS" };
    const ends = new Date(at.getTime() + world.backgroundDuration("codebuild.mirror", { projectName }));
    world.schedule(ends, { type: "build-complete", buildId: id });
    return id;
}

/** A build finishes at `at`: a mirror build uploads the bundle of the source's refs under the start's stamp. */
export function buildComplete(world: WorldCore, buildId: string, at: Date): void {
    const build = world.state.builds[buildId];
    if (build?.deploy) {
        return deployBuildComplete(world, buildId);
    }
    if (!build || build.status !== "IN_PROGRESS") {
        return;
    }
    build.status = "SUCCEEDED";
    const project = world.state.mirrorProjects[build.project];
    const source = world.state.git.remotes[project.sourceUrl] ?? { refs: {} };
    const key = `${project.prefix}${jobStamp(new Date(build.startedAt))}.bundle`;
    putReplicated(world, project.side, project.bucket, key, bundleOf(source.refs), at, false);
}

/** Starts the scheduled builds that are due (one per project: a long-idle world catches up once). */
export function settleMirrorSchedules(world: WorldCore, now: Date): void {
    for (const [name, project] of Object.entries(world.state.mirrorProjects)) {
        const period = project.periodMinutes * 60_000;
        const last = Date.parse(project.lastRunAt);
        const runs = Math.floor((now.getTime() - last) / period);
        if (runs >= 1) {
            const due = new Date(last + runs * period);
            project.lastRunAt = due.toISOString();
            startBuild(world, name, due);
        }
    }
}
