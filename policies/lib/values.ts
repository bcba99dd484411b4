import { PROXY_TARGET, UNKNOWN_SENTINELS } from "./sdk-internals";

/**
 * Reading resource properties as the engine hands them to the pack, unknowns included.
 *
 * In a preview, an input computed from another resource's output (an ARN, an id, a generated
 * name) is not known yet: the engine sends Pulumi's unknown sentinel in its place, and the
 * pack's props are a proxy that throws `UnknownValueError` on reading one
 * (`@pulumi/policy` proxy.js `unknownCheckingProxy`). One throw ends the whole policy, and the
 * framework turns it into an advisory "can't run policy during preview" (server.js), so a
 * protection written as a literal would not be judged either. The pack therefore reads the
 * proxy's target and treats the sentinels as values of their own: {@link UNKNOWN}.
 */

/** A value that cannot be known until the resources it is computed from exist. */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");

/** A value read from the props: plain JSON-like data, or {@link UNKNOWN}. */
export type Read = unknown;

/**
 * The sentinels of `@pulumi/policy` (proxy.js): the engine sends an unknown of any type as
 * the string one; the others are kept for completeness.
 */
const SENTINELS: ReadonlySet<unknown> = new Set(UNKNOWN_SENTINELS);

/** Whether `value` is unknown (a sentinel, or {@link UNKNOWN} itself). */
export function isUnknown(value: unknown): boolean {
    return value === UNKNOWN || SENTINELS.has(value);
}

/**
 * The plain data under the pack's unknown-checking proxy. Nested values are plain: the proxy
 * wraps them only as they are read through it.
 */
export function unwrap(props: unknown): unknown {
    if (props !== null && typeof props === "object") {
        const target = (props as Record<string, unknown>)[PROXY_TARGET];
        return target === undefined ? props : target;
    }
    return props;
}

/**
 * The value at `path` (`rules[0].destination.bucket`, `policy.Statement`) in `props`, or
 * {@link UNKNOWN} when it or a value on the way is unknown; `undefined` when absent. JSON
 * strings met on the way (IAM and bucket policies) are parsed, so a path reaches inside
 * a policy document.
 */
export function valueAt(props: unknown, path: string): Read {
    let current: unknown = unwrap(props);
    for (const step of path.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
        if (isUnknown(current)) {
            return UNKNOWN;
        }
        current = parsedJson(current);
        if (step.startsWith("[")) {
            current = Array.isArray(current) ? current[Number(step.slice(1, -1))] : undefined;
        } else if (current !== null && typeof current === "object" && !Array.isArray(current)) {
            current = (current as Record<string, unknown>)[step];
        } else {
            return undefined;
        }
    }
    if (isUnknown(current)) {
        return UNKNOWN;
    }
    return current;
}

/** The elements of an array value; a single value is a list of one, absence an empty list. */
export function listAt(props: unknown, path: string): readonly Read[] | typeof UNKNOWN {
    const value = parsedJson(valueAt(props, path));
    if (value === UNKNOWN) {
        return UNKNOWN;
    }
    if (value === undefined || value === null) {
        return [];
    }
    const items: readonly unknown[] = Array.isArray(value) ? (value as unknown[]) : [value];
    return items.map((item): Read => (isUnknown(item) ? UNKNOWN : item));
}

/** Whether `value`, or anything inside it, is unknown. */
export function containsUnknown(value: unknown): boolean {
    if (isUnknown(value)) {
        return true;
    }
    if (Array.isArray(value)) {
        return value.some(containsUnknown);
    }
    if (value !== null && typeof value === "object") {
        return Object.values(value as Record<string, unknown>).some(containsUnknown);
    }
    return false;
}

/** A JSON document given as a string (policies are), parsed; anything else as it is. */
export function parsedJson(value: unknown): unknown {
    if (typeof value === "string" && /^\s*[[{]/.test(value)) {
        try {
            return JSON.parse(value) as unknown;
        } catch {
            return value;
        }
    }
    return value;
}

/** How a value reads in a message: JSON, `unset` when absent, `unknown` in preview. */
export function describe(value: unknown): string {
    if (isUnknown(value)) {
        return "unknown until the resources it depends on exist";
    }
    return value === undefined ? "unset" : JSON.stringify(value);
}
