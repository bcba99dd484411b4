import { UsageError } from "../../../run/refusal";

/*
 * The two shapes of a Pulumi state: the checkpoint the DIY (S3) backend stores, and the
 * deployment `pulumi stack export` writes and `pulumi stack import` reads.
 */

/** A deployment in the format `pulumi stack export` writes and `pulumi stack import` reads. */
export interface UntypedDeployment {
    /** Schema version of the deployment (3 today). */
    readonly version: number;
    /** The deployment: manifest, secrets providers, resources. */
    readonly deployment: { readonly resources?: readonly unknown[] } & Record<string, unknown>;
}

/**
 * Turns the bytes of a state object version into what `pulumi stack import` takes. The DIY
 * backend stores a checkpoint, `{version, checkpoint: {stack, config, latest: <deployment>}}`,
 * while export and import use `{version, deployment: <deployment>}` (the Automation API's
 * `Deployment` type); the deployment inside is the same, so it is lifted out unchanged. A file
 * already in export format is taken as it is. Throws (naming the version) when the bytes are
 * not a Pulumi state of `stack`.
 */
export function deploymentOf(body: Buffer, stack: string, versionId: string): UntypedDeployment {
    const refuse = (why: string) =>
        new UsageError(
            `--version-id must name a version holding a Pulumi state file; got "${versionId}", which ${why}`,
        );
    let parsed: unknown;
    try {
        parsed = JSON.parse(body.toString("utf8"));
    } catch (error) {
        throw refuse(`is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    if (typeof parsed !== "object" || parsed === null) {
        throw refuse("is JSON but not an object");
    }
    const document = parsed as { version?: unknown; checkpoint?: unknown; deployment?: unknown };
    if (typeof document.version !== "number") {
        throw refuse('has no numeric "version"');
    }
    if (isObject(document.deployment)) {
        return { version: document.version, deployment: document.deployment };
    }
    if (!isObject(document.checkpoint)) {
        throw refuse('has neither "checkpoint" nor "deployment"');
    }
    const checkpoint = document.checkpoint as { stack?: unknown; latest?: unknown };
    if (
        typeof checkpoint.stack === "string" &&
        checkpoint.stack !== stack &&
        !checkpoint.stack.endsWith(`/${stack}`)
    ) {
        throw refuse(`is the state of stack "${checkpoint.stack}", not "${stack}"`);
    }
    if (!isObject(checkpoint.latest)) {
        throw refuse("holds no deployment (checkpoint.latest is empty: the stack had not been updated yet)");
    }
    return { version: document.version, deployment: checkpoint.latest };
}

/** True for a plain JSON object. */
function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** How many resources a deployment holds. */
export function resourceCount(deployment: UntypedDeployment): number {
    return Array.isArray(deployment.deployment.resources) ? deployment.deployment.resources.length : 0;
}

/** Resources in a `pulumi stack export` text, or a description of why it cannot be read. */
export function exportedCount(text: string): number | string {
    try {
        const parsed = JSON.parse(text) as { deployment?: { resources?: unknown } };
        return Array.isArray(parsed.deployment?.resources) ? parsed.deployment.resources.length : 0;
    } catch (error) {
        return `unreadable (${error instanceof Error ? error.message : String(error)})`;
    }
}
