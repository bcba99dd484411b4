import type { RunnerCommand, RunnerRecoveryCommand } from "../lib/kubernetes-access";

/*
 * The ports of deploying through a stack's deploy runner (automation/commands/shared/
 * runner-deploy.ts): the source archive the workspace makes and the CodeBuild project that
 * runs it. Re-exported by ports.ts with the others.
 */

/** A source archive for a deploy runner, and what it holds. */
export interface DeploySource {
    /** The zip archive. */
    readonly archive: Buffer;
    /** The commit it was made from (40 hex digits). */
    readonly commit: string;
    /** One line: the commit, the settings file, and what of the working tree it leaves out. */
    readonly description: string;
}

/** A recovery command for a deploy runner build (`failover --on-runner`). */
export interface RecoveryRun {
    /** The CLI command the build runs. */
    readonly command: RunnerRecoveryCommand;
    /** Its arguments, passed to node as one JSON array, never through the shell. */
    readonly args: readonly string[];
    /** The S3 object version of the source archive the build runs. */
    readonly sourceVersion: string;
    /** StartBuild's idempotency token: a retry within five minutes returns the same build. */
    readonly idempotencyToken: string;
    /** The unfinished run the build resumes (its journal copy in the DR state bucket). @default a new run */
    readonly resumeRunId?: string;
}

/** Where a build stands (CodeBuild BatchGetBuilds). */
export interface RunnerBuildState {
    /** The build id, `<project>:<uuid>`. */
    readonly id: string;
    /** `IN_PROGRESS`, `SUCCEEDED`, `FAILED`, `FAULT`, `STOPPED` or `TIMED_OUT` (CodeBuild StatusType). */
    readonly status: string;
    /** The current phase, e.g. `BUILD`. @default unknown */
    readonly phase?: string;
    /** The console link of its log. @default none yet */
    readonly deepLink?: string;
    /** Its CloudWatch Logs group. @default none yet (the build has not started logging) */
    readonly logGroup?: string;
    /** Its CloudWatch Logs stream. @default none yet */
    readonly logStream?: string;
}

/** A page of a build's log lines and where the next one starts. */
export interface LogPage {
    /** The lines, oldest first. */
    readonly lines: readonly string[];
    /** Pass it to read on from where this page ended. */
    readonly nextToken?: string;
}

/**
 * A stack's deploy runner (components/deploy-runner.ts): the CodeBuild project in the stack's
 * region and VPC that reaches its cluster's private API endpoint.
 */
export interface DeployRunnerPort {
    /**
     * Starts a build running `command` on version `sourceVersion` of the project's source
     * archive; `up` changes the stack. `idempotencyToken` makes a retry within CodeBuild's
     * five minutes return the same build. Returns the build id.
     */
    startDeploy(
        projectName: string,
        command: RunnerCommand,
        sourceVersion: string,
        idempotencyToken: string,
    ): Promise<string>;
    /** Waits for a deploy build; throws, with the build's log, when it fails or times out. */
    waitDeploy(buildId: string, timeoutMinutes: number): Promise<void>;
    /** True when the project exists in the port's region (BatchGetProjects); reads only. */
    projectExists(projectName: string): Promise<boolean>;
    /** Starts a build running a recovery command of the CLI; returns the build id. */
    startRecovery(projectName: string, run: RecoveryRun): Promise<string>;
    /** Where a build stands, or undefined when CodeBuild knows no such build; reads only. */
    buildState(buildId: string): Promise<RunnerBuildState | undefined>;
    /** The build's log lines after `nextToken` (from the start without it); none before the log exists. */
    logLines(build: RunnerBuildState, nextToken?: string): Promise<LogPage>;
}
