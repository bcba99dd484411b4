import { Netmask } from "netmask";
import { ProblemCollector } from "../lib/errors";
import { isPseudoRegion, isRegionName } from "../lib/regions";

/**
 * Parsers for single config values. Each takes the raw string Pulumi passes to programs
 * (or `undefined` when the key is not set), records a problem naming `field` and the value
 * when it is invalid, and returns the parsed value or `undefined`. They never throw, so one
 * run reports every bad key.
 */

/** An inclusive range of whole numbers. */
export interface WholeNumberRange {
    /** Smallest value accepted. */
    readonly min: number;
    /** Largest value accepted. */
    readonly max: number;
}

/** A whole number in `range`; `fallback` when unset (a problem when unset and there is no fallback). */
export function wholeNumber(
    problems: ProblemCollector,
    field: string,
    value: string | undefined,
    range: WholeNumberRange,
    fallback?: number,
): number | undefined {
    if (value === undefined) {
        if (fallback === undefined) {
            problems.add(
                field,
                `be set to a whole number from ${range.min} to ${range.max} (it is required)`,
                value,
            );
        }
        return fallback;
    }
    const text = value.trim();
    const parsed = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(parsed) || parsed < range.min || parsed > range.max) {
        problems.add(field, `be a whole number from ${range.min} to ${range.max}`, value);
        return undefined;
    }
    return parsed;
}

/** `true` or `false`; `fallback` when unset. */
export function booleanValue(
    problems: ProblemCollector,
    field: string,
    value: string | undefined,
    fallback: boolean,
): boolean | undefined {
    if (value === undefined) {
        return fallback;
    }
    if (value === "true" || value === "false") {
        return value === "true";
    }
    problems.add(field, "be true or false", value);
    return undefined;
}

/** One of `choices`; `fallback` when unset. */
export function oneOf<T extends string>(
    problems: ProblemCollector,
    field: string,
    value: string | undefined,
    choices: readonly T[],
    fallback: T,
): T | undefined {
    if (value === undefined) {
        return fallback;
    }
    if ((choices as readonly string[]).includes(value)) {
        return value as T;
    }
    problems.add(field, `be one of ${choices.join(", ")}`, value);
    return undefined;
}

/**
 * A required AWS region: one the AWS SDK's partition data lists (lib/regions.ts), so that a
 * name that only looks like a region (`us-east-9`) is refused here rather than planned.
 */
export function region(
    problems: ProblemCollector,
    field: string,
    value: string | undefined,
): string | undefined {
    if (value === undefined || value === "") {
        problems.add(field, "be set to an AWS region name such as us-east-1 (it is required)", value);
        return undefined;
    }
    if (isPseudoRegion(value)) {
        problems.add(
            field,
            "be an AWS region such as us-east-1, not a pseudo-region (the SDK's <partition>-global names sign global endpoints; nothing is stored there)",
            value,
        );
        return undefined;
    }
    if (!isRegionName(value)) {
        problems.add(
            field,
            "be an AWS region that the AWS SDK's partition data lists (@aws-sdk/util-endpoints), such as us-east-1",
            value,
        );
        return undefined;
    }
    return value;
}

/** A JSON object (Pulumi's project config schema has no object type, so objects are JSON strings). */
export function jsonObject(
    problems: ProblemCollector,
    field: string,
    value: string | undefined,
): Record<string, unknown> | undefined {
    if (value === undefined || value.trim() === "") {
        return undefined;
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(value);
    } catch {
        problems.add(field, `be a JSON object (set it with: pulumi config set ${field} '{...}')`, value);
        return undefined;
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        problems.add(field, "be a JSON object", value);
        return undefined;
    }
    return parsed as Record<string, unknown>;
}

/** An IPv4 CIDR block whose prefix length is within `prefixRange`, written as its network address. */
export function ipv4Cidr(
    problems: ProblemCollector,
    field: string,
    value: string | undefined,
    prefixRange: WholeNumberRange,
): string | undefined {
    const requirement = `be an IPv4 CIDR block written as its network address, /${prefixRange.min} to /${prefixRange.max} (e.g. 10.10.0.0/16)`;
    const match = value === undefined ? null : /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(value);
    if (value === undefined || !match) {
        problems.add(field, requirement, value);
        return undefined;
    }
    try {
        const block = new Netmask(value);
        const bits = Number(match[2]);
        if (block.base !== match[1] || bits < prefixRange.min || bits > prefixRange.max) {
            problems.add(field, requirement, value);
            return undefined;
        }
    } catch {
        problems.add(field, requirement, value);
        return undefined;
    }
    return value;
}

/** True when two CIDR blocks share any address. */
export function cidrsOverlap(a: string, b: string): boolean {
    const first = new Netmask(a);
    const second = new Netmask(b);
    return first.contains(second.base) || second.contains(first.base);
}

/** A daily UTC window `hh:mm-hh:mm` (RDS backup window), or a weekly `ddd:hh:mm-ddd:hh:mm` one. */
export function timeWindow(
    problems: ProblemCollector,
    field: string,
    value: string,
    weekly: boolean,
): string | undefined {
    const time = "([01]\\d|2[0-3]):[0-5]\\d";
    const day = "(mon|tue|wed|thu|fri|sat|sun):";
    const pattern = weekly ? new RegExp(`^${day}${time}-${day}${time}$`) : new RegExp(`^${time}-${time}$`);
    if (!pattern.test(value)) {
        problems.add(field, `be a UTC window like ${weekly ? "sun:04:00-sun:05:00" : "03:00-03:30"}`, value);
        return undefined;
    }
    return value;
}

/**
 * A JSON array of strings, each accepted by `item` (which returns a requirement when it refuses
 * one); `fallback` when unset or blank.
 */
export function jsonStringArray(
    problems: ProblemCollector,
    field: string,
    value: string | undefined,
    item: (entry: string) => string | undefined,
    fallback: readonly string[],
): readonly string[] | undefined {
    if (value === undefined || value.trim() === "") {
        return fallback;
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(value);
    } catch {
        parsed = undefined;
    }
    if (!Array.isArray(parsed) || !parsed.every((entry) => typeof entry === "string")) {
        problems.add(
            field,
            `be a JSON array of strings (set it with: pulumi config set ${field} '["..."]')`,
            value,
        );
        return undefined;
    }
    const before = problems.count;
    parsed.forEach((entry: string, index) => {
        const requirement = item(entry);
        if (requirement) {
            problems.add(`${field}[${index}]`, requirement, entry);
        }
    });
    return problems.count === before ? parsed : undefined;
}
