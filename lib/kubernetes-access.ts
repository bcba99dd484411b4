/*
 * Where a stack's Kubernetes resources (the StorageClass, Argo CD's Helm release, its RBAC
 * and export CronJob) may be applied from. The clusters' API endpoints are private: only a
 * machine inside the VPC reaches them, so by default they are applied by the stack's deploy
 * runner, a CodeBuild project in the stack's private subnets (components/deploy-runner.ts).
 * Pure rules: the program looks up whether the cluster exists and passes what it found.
 */

/** The README section that walks through deploying from the runner (the refusal points there). */
export const RUNNER_README_SECTION = "Apply the Kubernetes resources from the deploy runner";

/**
 * The values of `webank:kubernetesAccess`; config/platform.ts reads the key, refusing
 * anything but these exact values (a typo must never pass for `direct`, nor silently for
 * `runner`).
 */
export const KUBERNETES_ACCESS_MODES = ["runner", "direct"] as const;

/**
 * `runner`: Kubernetes resources are applied only inside the stack's deploy runner.
 * `direct`: wherever `pulumi` runs, for a machine that reaches the private endpoint (VPN,
 * Direct Connect, a peered network) or through `webank:apiPublicAccessCidrs`.
 */
export type KubernetesAccess = (typeof KUBERNETES_ACCESS_MODES)[number];

/**
 * The environment variable CodeBuild sets in every build: the build's ARN,
 * `arn:<partition>:codebuild:<region>:<account>:build/<project>:<build id>` (CodeBuild user
 * guide, "Environment variables in build environments", CODEBUILD_BUILD_ARN).
 */
export const CODEBUILD_BUILD_ARN_VARIABLE = "CODEBUILD_BUILD_ARN";

/**
 * The environment variable that tells a deploy runner build what to run; the project sets
 * `preview`, and a start-build overrides it (components/deploy-runner-buildspec.ts).
 */
export const RUNNER_COMMAND_VARIABLE = "WEBANK_COMMAND";

/** The commands a deploy runner build may be told to run (`pulumi preview`, `up`, `refresh` then preview). */
export const RUNNER_COMMANDS = ["preview", "up", "refresh"] as const;

/** One of {@link RUNNER_COMMANDS}. */
export type RunnerCommand = (typeof RUNNER_COMMANDS)[number];

/**
 * The recovery commands a deploy runner build may run instead of a pulumi command: the CLI's
 * `failover` (`npm run dr -- failover --on-runner`), only in the dr stack's runner.
 */
export const RUNNER_RECOVERY_COMMANDS = ["failover"] as const;

/** One of {@link RUNNER_RECOVERY_COMMANDS}. */
export type RunnerRecoveryCommand = (typeof RUNNER_RECOVERY_COMMANDS)[number];

/**
 * The environment variable that carries a recovery command's arguments into the build: a
 * JSON array of strings, read by node (automation/cli/runner-main.ts), never by the shell, so
 * no argument is ever interpolated into a command line.
 */
export const RUNNER_ARGS_VARIABLE = "WEBANK_ARGS";

/**
 * The environment variable that names the unfinished run a recovery command's build resumes:
 * the runner seeds its journal from that run's copy in the DR state bucket
 * (automation/cli/runner-journal.ts), so the run goes on where it stopped, holding its lock.
 */
export const RUNNER_RESUME_VARIABLE = "WEBANK_RESUME_RUN";

/**
 * The last line a recovery command's build prints, `<marker> <exit code>`
 * (automation/cli/runner-main.ts): the follower on the operator's machine returns that code.
 */
export const RUNNER_EXIT_MARKER = "webank-dr runner exit code:";

/**
 * The longest a deploy may run, in minutes. A failover's `pulumi up` restores the database
 * (cross-Region PITR takes "up to a few hours", RDS user guide) and creates a cluster; CodeBuild
 * allows 5 to 2160 minutes (CodeBuild API reference, CreateProject timeoutInMinutes).
 */
export const RUNNER_BUILD_TIMEOUT_MINUTES = 480;

/** How long a deploy build may wait in CodeBuild's queue before it times out (CreateProject queuedTimeoutInMinutes: 5 to 480). */
export const RUNNER_QUEUED_TIMEOUT_MINUTES = 60;

/**
 * The command that starts an update from the runner (`WEBANK_COMMAND=up`); without the
 * override the build only previews.
 */
export function startRunnerCommand(projectName: string, region: string): string {
    return (
        `aws codebuild start-build --region ${region} --project-name ${projectName} ` +
        `--environment-variables-override name=${RUNNER_COMMAND_VARIABLE},value=up,type=PLAINTEXT`
    );
}

/** The CodeBuild build a process runs in, read from its {@link CODEBUILD_BUILD_ARN_VARIABLE}. */
export interface RunnerBuild {
    /** Region of the build. */
    readonly region: string;
    /** The build project's name. */
    readonly projectName: string;
}

/** The build `buildArn` names, or undefined when it is not a CodeBuild build ARN. */
export function parseBuildArn(buildArn: string | undefined): RunnerBuild | undefined {
    const match =
        /^arn:aws[a-z-]*:codebuild:([a-z0-9-]+):\d{12}:build\/([A-Za-z0-9][A-Za-z0-9_-]{1,254}):.+$/.exec(
            buildArn ?? "",
        );
    return match ? { region: match[1], projectName: match[2] } : undefined;
}

/**
 * True when `build` is the deploy runner `projectName` in `region`: the one place from which
 * a stack with `runner` access may reach its cluster's private API endpoint.
 */
export function isRunnerBuild(build: RunnerBuild | undefined, projectName: string, region: string): boolean {
    return build !== undefined && build.projectName === projectName && build.region === region;
}

/** The build this process runs in, from its environment (undefined outside CodeBuild). */
export function currentRunnerBuild(
    env: Readonly<Record<string, string | undefined>> = process.env,
): RunnerBuild | undefined {
    return parseBuildArn(env[CODEBUILD_BUILD_ARN_VARIABLE]);
}

/** What {@link kubernetesLayer} is given. */
export interface KubernetesLayerInputs {
    /** `webank:kubernetesAccess`. */
    readonly access: KubernetesAccess;
    /** The stack's cluster name. */
    readonly clusterName: string;
    /** The stack's region. */
    readonly region: string;
    /** The stack's deploy runner project. */
    readonly runnerProjectName: string;
    /** The build this process runs in, if any ({@link parseBuildArn}). */
    readonly build: RunnerBuild | undefined;
    /** Whether the stack's cluster already exists in its region. */
    readonly clusterExists: boolean;
    /** True in `pulumi preview`: nothing is changed. */
    readonly dryRun: boolean;
    /** The command that starts the runner, for the message. */
    readonly startRunner: string;
}

/** Whether the stack's Kubernetes resources are declared in this run, and why. */
export interface KubernetesLayer {
    /** True when the Kubernetes resources are declared. */
    readonly apply: boolean;
    /** One line for the plan and the stack outputs. */
    readonly reason: string;
}

/** An update refused because it would reach a private API from outside the VPC. */
export class KubernetesAccessError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "KubernetesAccessError";
    }
}

/**
 * Decides whether this run declares the Kubernetes resources:
 * - `direct`, or inside the stack's own runner (its project, in its region): yes.
 * - outside, before the cluster exists (the first `pulumi up`, which also creates the runner):
 *   no, and the reason says to start the runner next. Nothing is dropped: there is nothing yet.
 * - outside, in a preview of an existing cluster: yes, so the plan and the policy pack see
 *   every resource (the Kubernetes provider previews an unreachable cluster with warnings).
 * - outside, in an update of an existing cluster: refused, before anything is changed. Leaving
 *   the resources out would make Pulumi delete Argo CD; declaring them would hang on the
 *   private endpoint until the provider times out.
 */
export function kubernetesLayer(inputs: KubernetesLayerInputs): KubernetesLayer {
    if (inputs.access === "direct") {
        return { apply: true, reason: "applied from where pulumi runs (webank:kubernetesAccess is direct)" };
    }
    const build = inputs.build;
    if (isRunnerBuild(build, inputs.runnerProjectName, inputs.region)) {
        return { apply: true, reason: `applied from the deploy runner ${inputs.runnerProjectName}` };
    }
    if (!inputs.clusterExists) {
        return {
            apply: false,
            reason:
                `not applied yet: cluster ${inputs.clusterName} does not exist, so this run creates it and the ` +
                `deploy runner ${inputs.runnerProjectName}; apply the Kubernetes resources from the runner next: ${inputs.startRunner}`,
        };
    }
    if (inputs.dryRun) {
        return {
            apply: true,
            reason:
                `previewed from outside the VPC: an update must run in the deploy runner ${inputs.runnerProjectName} ` +
                `(${inputs.startRunner})`,
        };
    }
    const where = build
        ? `CodeBuild project ${build.projectName} in ${build.region}`
        : "outside the stack's deploy runner";
    throw new KubernetesAccessError(
        `webank:kubernetesAccess is runner: cluster ${inputs.clusterName} exists and its API endpoint is private, ` +
            `so this update must run in the deploy runner ${inputs.runnerProjectName} in ${inputs.region}, not ${where}. ` +
            `Start it with: ${inputs.startRunner} (README, "${RUNNER_README_SECTION}"). ` +
            `Or, from a machine that reaches the endpoint, set webank:kubernetesAccess to direct. Nothing was changed.`,
    );
}
