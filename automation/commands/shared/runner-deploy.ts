import type { StackConfig } from "../../../config/stack-config";
import { deploySourceKey } from "../../../lib/artifacts";
import { ProblemCollector } from "../../../lib/errors";
import { configKey } from "../../../config/keys";
import {
    KubernetesAccess,
    RUNNER_BUILD_TIMEOUT_MINUTES,
    RUNNER_QUEUED_TIMEOUT_MINUTES,
} from "../../../lib/kubernetes-access";
import { parseKubernetesAccess } from "../../../config/platform";
import { bucketName, deployRunnerProjectName } from "../../../lib/naming";
import type { RecoveryPorts, RegionPorts, StackPort } from "../../ports";
import type { Step } from "../../run/steps";

/*
 * A recovery command's `pulumi up` of a stack whose Kubernetes resources only its deploy
 * runner may apply (webank:kubernetesAccess runner, the default, and a cluster that exists):
 * from the operator's machine the program refuses that update (lib/kubernetes-access.ts), so
 * the command uploads the program with the stack's settings file as it has just set them and
 * has the runner run `up` on exactly that version of the archive.
 */

/** Where a stack's `up` runs: here, or in its deploy runner (and why). */
export interface UpPlace {
    /** True when the runner runs it. */
    readonly runner: boolean;
    /** One line for the plan. */
    readonly reason: string;
}

/**
 * The program's rule, as the command can read it before changing anything: with `runner`
 * and a cluster the stack's outputs name, the runner; else here (with `direct`, or a stack
 * without a cluster, whose `up` from outside applies nothing through its API).
 */
export function upPlace(
    stackName: string,
    access: KubernetesAccess | undefined,
    clusterOutput: unknown,
): UpPlace {
    const cluster =
        typeof clusterOutput === "string" && !clusterOutput.startsWith("none") ? clusterOutput : "";
    if (access === ("direct" satisfies KubernetesAccess)) {
        return {
            runner: false,
            reason: `pulumi up of ${stackName} runs here (webank:kubernetesAccess is direct)`,
        };
    }
    if (!cluster) {
        return { runner: false, reason: `pulumi up of ${stackName} runs here (the stack has no cluster)` };
    }
    return {
        runner: true,
        reason:
            `pulumi up of ${stackName} runs in its deploy runner (webank:kubernetesAccess is ${access} and cluster ${cluster} ` +
            "exists: from here the program refuses it)",
    };
}

/**
 * Reads where `stack`'s `up` runs (its config and outputs; reads only). A value of
 * `webank:kubernetesAccess` the program would refuse is refused here, before anything changes.
 */
export async function stackUpPlace(stack: StackPort): Promise<UpPlace> {
    const problems = new ProblemCollector();
    const access = parseKubernetesAccess(problems, await stack.getConfig(configKey("kubernetesAccess")));
    problems.throwIfAny(
        `stack ${stack.name}'s config would be refused by its pulumi up; fix it (pulumi config set -s ${stack.name} webank:kubernetesAccess runner|direct). Nothing was changed`,
    );
    const outputs = await stack.outputs();
    return upPlace(stack.name, access, outputs.clusterName);
}

/** A stack's deploy runner: its project, its region's ports, and where it reads the archive. */
export interface RunnerTarget {
    /** The stack. */
    readonly stackName: "primary" | "dr";
    /** CodeBuild project name. */
    readonly projectName: string;
    /** The runner's region. */
    readonly region: RegionPorts;
    /** The artifact bucket of that region (the replica in the DR region). */
    readonly bucket: string;
    /** `deploy-sources/<stack>.zip`. */
    readonly key: string;
}

/** The deploy runner of `stackName` (components/deploy-runner.ts via stacks/platform.ts). */
export async function runnerTarget(
    config: StackConfig,
    ports: RecoveryPorts,
    stackName: "primary" | "dr",
): Promise<RunnerTarget> {
    const region = stackName === "dr" ? ports.dr : ports.home;
    return {
        stackName,
        projectName: deployRunnerProjectName(config.prefix, stackName),
        region,
        bucket: bucketName(config.prefix, "artifacts", await ports.identity.accountId(), region.region),
        key: deploySourceKey(stackName),
    };
}

/** What {@link uploadDeploySource} stored. */
export interface UploadedSource {
    /** `s3://<bucket>/<key> (<region>)`. */
    readonly where: string;
    /** The new S3 object version: the one the runner is started on. */
    readonly version: string;
    /** The commit the archive was made from. */
    readonly commit: string;
    /** What the archive holds (DeploySource description). */
    readonly description: string;
}

/**
 * Uploads the program with the stack's settings file as it is now to the runner's source key:
 * a new version of the archive (the bucket is versioned, nothing is overwritten). Throws when
 * S3 returns no version id, since the runner could then be given another upload.
 */
export async function uploadDeploySource(
    target: RunnerTarget,
    ports: Pick<RecoveryPorts, "workspace">,
): Promise<UploadedSource> {
    const where = `s3://${target.bucket}/${target.key} (${target.region.region})`;
    const source = await ports.workspace.deploySource(target.stackName);
    const version = await target.region.objects.putObject(
        target.bucket,
        target.key,
        source.archive,
        "application/zip",
    );
    if (!version) {
        throw new Error(
            `S3 returned no version id for ${where}: the artifact bucket is not versioned, so the runner ` +
                `could be given another upload; check it with: aws s3api get-bucket-versioning --region ${target.region.region} --bucket ${target.bucket}`,
        );
    }
    return { where, version, commit: source.commit, description: source.description };
}

/** How long a deploy build may take: its queue and build timeouts (the project's own bounds). */
export const RUNNER_WAIT_MINUTES = RUNNER_QUEUED_TIMEOUT_MINUTES + RUNNER_BUILD_TIMEOUT_MINUTES;

/** The name of the step that runs the runner's `up`. */
export const RUNNER_UP_STEP = "runner-up";

/**
 * Two steps after `after`: upload the deploy source (a new version of the archive: the
 * bucket is versioned, nothing is overwritten), then start the runner's `up` on that version
 * and wait for it. The build's idempotency token is the run id and the step's earlier
 * failures: a resume within CodeBuild's five minutes finds the same build, a retry after a
 * failed build starts a new one.
 */
export function runnerUpSteps(options: {
    readonly target: RunnerTarget;
    readonly ports: Pick<RecoveryPorts, "workspace">;
    readonly after: readonly string[];
    readonly runId: string;
    readonly failures: Readonly<Record<string, number>>;
}): Step[] {
    const { target } = options;
    const where = `s3://${target.bucket}/${target.key} (${target.region.region})`;
    return [
        {
            name: "upload-source",
            after: options.after,
            describe: `upload the program with Pulumi.${target.stackName}.yaml as set to ${where}`,
            run: async () => {
                const upload = await uploadDeploySource(target, options.ports);
                return {
                    detail: `uploaded ${upload.where} version ${upload.version}: ${upload.description}`,
                    data: { sourceVersion: upload.version, commit: upload.commit },
                };
            },
        },
        {
            name: RUNNER_UP_STEP,
            after: ["upload-source"],
            describe: `pulumi up of ${target.stackName} in its deploy runner ${target.projectName} (CodeBuild, ${target.region.region}), on the uploaded version`,
            timeoutMinutes: RUNNER_WAIT_MINUTES,
            run: async (context) => {
                const version = String(context.dataOf("upload-source")?.sourceVersion ?? "");
                const attempt = options.failures[RUNNER_UP_STEP] ?? 0;
                const buildId = await target.region.runner.startDeploy(
                    target.projectName,
                    "up",
                    version,
                    `${options.runId}-${RUNNER_UP_STEP}-${attempt}`,
                );
                await target.region.runner.waitDeploy(buildId, RUNNER_WAIT_MINUTES);
                return {
                    detail: `stack ${target.stackName} updated by build ${buildId} (logs: /aws/codebuild/${target.projectName})`,
                    data: { buildId },
                };
            },
        },
    ];
}

/**
 * {@link runnerUpSteps} for a run, as the function a command's step list calls with the step
 * the up comes after.
 */
export function runnerUpStepsAfter(
    target: RunnerTarget,
    ports: Pick<RecoveryPorts, "workspace">,
    run: { readonly runId: string; readonly failures: Readonly<Record<string, number>> },
): (after: string) => Step[] {
    return (after) =>
        runnerUpSteps({ target, ports, after: [after], runId: run.runId, failures: run.failures });
}
