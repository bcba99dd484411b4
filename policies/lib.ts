import { PolicyResource, ReportViolation, StackValidationArgs } from "@pulumi/policy";

/**
 * Helpers shared by the stack policies. They read the resource graph the engine gives the
 * pack: a store's settings live in separate resources (versioning, encryption, replication)
 * that depend on it, so "is this bucket versioned" means "does a versioning resource that
 * depends on this bucket say Enabled".
 */

/** The resources of `type` in the stack. */
export function resourcesOfType(args: StackValidationArgs, type: string): PolicyResource[] {
    return args.resources.filter((r) => r.type === type);
}

/** Resources of `type` that depend on `target` (directly, through an input). */
export function dependentsOfType(
    args: StackValidationArgs,
    target: PolicyResource,
    type: string,
): PolicyResource[] {
    return resourcesOfType(args, type).filter((r) => r.dependencies.some((d) => d.urn === target.urn));
}

/** The region of a resource: its own `region` input, else its provider's region. */
export function regionOf(resource: PolicyResource): string | undefined {
    const own = resource.props.region as unknown;
    if (typeof own === "string") {
        return own;
    }
    const provider = resource.provider?.props?.region as unknown;
    return typeof provider === "string" ? provider : undefined;
}

/** The region field of an ARN, or undefined when the value is not a known ARN. */
export function regionOfArn(arn: unknown): string | undefined {
    if (typeof arn !== "string") {
        return undefined;
    }
    const parts = arn.split(":");
    return parts.length >= 6 && parts[0] === "arn" ? parts[3] : undefined;
}

/** Reports a violation on `resource` with its URN. */
export function report(reportViolation: ReportViolation, resource: PolicyResource, message: string): void {
    reportViolation(message, resource.urn);
}

/** Reads a policy document that may arrive as a JSON string or an object. */
export function policyDocument(value: unknown): { Statement?: Array<Record<string, unknown>> } | undefined {
    if (typeof value === "string") {
        try {
            return JSON.parse(value) as { Statement?: Array<Record<string, unknown>> };
        } catch {
            return undefined;
        }
    }
    return typeof value === "object" && value !== null ? value : undefined;
}
