import type { RunnerCommand } from "../lib/kubernetes-access";

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
}
