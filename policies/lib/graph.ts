import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { isUnknown, UNKNOWN, valueAt } from "./values";

/**
 * The stack as a graph: a store's settings live in sibling resources (a bucket's versioning,
 * encryption and replication; a vault's lock and policy; a table's replicas), which name the
 * store through an input. Which input names which resource comes from the engine's
 * `propertyDependencies`, known in a preview as in an update, so these helpers work when the
 * values themselves (ARNs, names) are still unknown. `dependsOn` alone never links two
 * resources here: it orders operations, it configures nothing.
 */

/** The resources of any of `types` in the stack. */
export function resourcesOfType(args: StackValidationArgs, ...types: string[]): PolicyResource[] {
    return args.resources.filter((r) => types.includes(r.type));
}

/** The resources the input `property` of `resource` was computed from. */
export function referencedBy(resource: PolicyResource, property: string): readonly PolicyResource[] {
    return resource.propertyDependencies[property] ?? [];
}

/** The resources of `type` whose input `property` was computed from `target`. */
export function referencing(
    args: StackValidationArgs,
    target: PolicyResource,
    type: string,
    property: string,
): PolicyResource[] {
    return resourcesOfType(args, type).filter((r) =>
        referencedBy(r, property).some((d) => d.urn === target.urn),
    );
}

/**
 * The region a resource lives in: its own `region` input (provider v7 takes one per
 * resource), else its provider's; {@link UNKNOWN} when that is unknown, undefined when
 * neither says.
 */
export function regionOf(resource: PolicyResource): string | typeof UNKNOWN | undefined {
    const own = valueAt(resource.props, "region");
    if (isUnknown(own)) {
        return UNKNOWN;
    }
    if (typeof own === "string" && own.length > 0) {
        return own;
    }
    const provider = valueAt(resource.provider?.props, "region");
    if (isUnknown(provider)) {
        return UNKNOWN;
    }
    return typeof provider === "string" && provider.length > 0 ? provider : undefined;
}

/** The parts of an ARN (`arn:partition:service:region:account:resource`), or undefined when it is not one. */
export function parseArn(
    value: unknown,
): { service: string; region: string; account: string; resource: string } | undefined {
    if (typeof value !== "string") {
        return undefined;
    }
    const parts = value.split(":");
    if (parts.length < 6 || parts[0] !== "arn") {
        return undefined;
    }
    return { service: parts[2], region: parts[3], account: parts[4], resource: parts.slice(5).join(":") };
}
