import * as pulumi from "@pulumi/pulumi";
import { ProblemCollector } from "./lib/errors";
import {
    ASSET_CLASS_NAMES,
    AssetClass,
    isAssetClass,
    RecoveryObjective,
    RecoveryObjectives,
} from "./lib/objectives";
import { MAX_PREFIX_LENGTH, PREFIX_PATTERN } from "./lib/naming";
import { isRegionName, partitionOf } from "./lib/regions";
import {
    DEFAULT_NONCURRENT_VERSION_RETENTION_DAYS,
    DEFAULT_PITR_RETENTION_DAYS,
    NONCURRENT_VERSION_RETENTION_DAYS,
    PITR_RETENTION_DAYS,
} from "./lib/retention";
import { MAX_TAG_KEY_LENGTH, MAX_TAG_VALUE_LENGTH, RESERVED_TAG_PREFIX, TAG_KEYS } from "./lib/tags";

/** The config namespace of this project: every key is `webank:<key>`. */
export const CONFIG_NAMESPACE = "webank";

/** The roles a stack can play. */
export const STACK_ROLES = ["primary", "dr"] as const;

/** `primary` runs the platform in the home region; `dr` is the standby in the DR region. */
export type StackRole = (typeof STACK_ROLES)[number];

/**
 * Every project config key this program reads, with the Pulumi config schema type it is
 * declared with in Pulumi.yaml (a test keeps the two in step). Structured values (objects)
 * are JSON strings, because Pulumi's project config schema has no object type.
 */
export const CONFIG_KEYS = {
    role: "string",
    homeRegion: "string",
    drRegion: "string",
    prefix: "string",
    rpoMinutes: "integer",
    rtoMinutes: "integer",
    objectives: "string",
    pitrRetentionDays: "integer",
    noncurrentVersionRetentionDays: "integer",
    tags: "string",
} as const;

/** The name of one project config key, without the namespace. */
export type ConfigKey = keyof typeof CONFIG_KEYS;

/** The validated view of one stack's config. Everything the program needs, in one place. */
export interface StackConfig {
    /** Pulumi project name. */
    readonly project: string;
    /** Pulumi stack name. */
    readonly stack: string;
    /** The stack's role; `webank:role`, or the stack name when that is `primary` or `dr`. */
    readonly role: StackRole;
    /** The home region, where the platform runs day to day. */
    readonly homeRegion: string;
    /** The DR region, where copies are kept and where the platform is restored on failover. */
    readonly drRegion: string;
    /** The region of this stack's own resources: the home region for `primary`, the DR region for `dr`. */
    readonly stackRegion: string;
    /** Prefix of every physical name. Default `webank`. */
    readonly prefix: string;
    /** RPO/RTO for every asset class. */
    readonly objectives: RecoveryObjectives;
    /** Retention settings, in days. */
    readonly retention: {
        /** Point-in-time recovery window for databases and the lock table (1–35). Default 35. */
        readonly pitrDays: number;
        /** How long replaced or deleted state/artifact object versions stay recoverable. Default 90. */
        readonly noncurrentVersionDays: number;
    };
    /** Tags for every resource: the project's own keys plus `webank:tags`. */
    readonly tags: Readonly<Record<string, string>>;
}

/** Reads one raw config value (a string, as Pulumi passes config to programs), or `undefined`. */
export type RawConfigReader = (key: ConfigKey) => string | undefined;

/** What {@link parseStackConfig} reads: the raw values and the names of every key set in the namespace. */
export interface RawStackConfig {
    /** Pulumi project name. */
    readonly project: string;
    /** Pulumi stack name. */
    readonly stack: string;
    /** Reads one key of the `webank` namespace. */
    readonly get: RawConfigReader;
    /** Every key set in the `webank` namespace (without the namespace), so that typos are caught. */
    readonly keysSet: readonly string[];
}

const key = (name: string): string => `${CONFIG_NAMESPACE}:${name}`;

/**
 * Validates raw stack config and returns the typed view. Every problem is collected and
 * reported at once, each naming its key and the value received; nothing is declared
 * before this has passed.
 */
export function parseStackConfig(raw: RawStackConfig): StackConfig {
    const problems = new ProblemCollector();

    for (const name of raw.keysSet) {
        if (!Object.prototype.hasOwnProperty.call(CONFIG_KEYS, name)) {
            problems.add(
                key(name),
                `be one of the known keys (${Object.keys(CONFIG_KEYS).join(", ")})`,
                name,
            );
        }
    }

    const role = parseRole(raw, problems);
    const homeRegion = parseRegion(raw.get("homeRegion"), "homeRegion", problems);
    const drRegion = parseRegion(raw.get("drRegion"), "drRegion", problems);
    if (homeRegion && drRegion) {
        if (homeRegion === drRegion) {
            problems.add(
                key("drRegion"),
                `differ from ${key("homeRegion")} (a DR copy in the home region does not survive that region's loss)`,
                drRegion,
            );
        } else if (partitionOf(homeRegion) !== partitionOf(drRegion)) {
            problems.add(
                key("drRegion"),
                `be in the same AWS partition as ${key("homeRegion")} ("${homeRegion}") so that replication can reach it`,
                drRegion,
            );
        }
    }

    const prefix = raw.get("prefix") ?? "webank";
    if (!PREFIX_PATTERN.test(prefix) || prefix.length > MAX_PREFIX_LENGTH) {
        problems.add(
            key("prefix"),
            `be 2–${MAX_PREFIX_LENGTH} lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen`,
            prefix,
        );
    }

    const objectives = parseObjectives(raw, problems);
    const pitrDays = parseWholeNumber(
        raw.get("pitrRetentionDays"),
        "pitrRetentionDays",
        PITR_RETENTION_DAYS,
        DEFAULT_PITR_RETENTION_DAYS,
        problems,
    );
    const noncurrentVersionDays = parseWholeNumber(
        raw.get("noncurrentVersionRetentionDays"),
        "noncurrentVersionRetentionDays",
        NONCURRENT_VERSION_RETENTION_DAYS,
        DEFAULT_NONCURRENT_VERSION_RETENTION_DAYS,
        problems,
    );
    const userTags = parseTags(raw.get("tags"), problems);

    problems.throwIfAny(`Invalid config for stack "${raw.stack}"`);

    // Every value below is defined: throwIfAny has thrown otherwise.
    const validRole = role as StackRole;
    return {
        project: raw.project,
        stack: raw.stack,
        role: validRole,
        homeRegion: homeRegion as string,
        drRegion: drRegion as string,
        stackRegion: (validRole === "primary" ? homeRegion : drRegion) as string,
        prefix,
        objectives: objectives as RecoveryObjectives,
        retention: {
            pitrDays: pitrDays as number,
            noncurrentVersionDays: noncurrentVersionDays as number,
        },
        tags: {
            ...userTags,
            [TAG_KEYS.project]: raw.project,
            [TAG_KEYS.stack]: raw.stack,
            [TAG_KEYS.role]: validRole,
            [TAG_KEYS.managedBy]: "pulumi",
        },
    };
}

/**
 * Loads and validates the current stack's config from the Pulumi runtime. Call it before
 * declaring any resource.
 */
export function loadStackConfig(): StackConfig {
    const config = new pulumi.Config(CONFIG_NAMESPACE);
    const keysSet = Object.keys(pulumi.runtime.allConfig())
        .filter((k) => k.startsWith(`${CONFIG_NAMESPACE}:`))
        .map((k) => k.slice(CONFIG_NAMESPACE.length + 1));
    return parseStackConfig({
        project: pulumi.getProject(),
        stack: pulumi.getStack(),
        get: (name) => config.get(name),
        keysSet,
    });
}

function parseRole(raw: RawStackConfig, problems: ProblemCollector): StackRole | undefined {
    const configured = raw.get("role");
    const role = configured ?? raw.stack;
    if ((STACK_ROLES as readonly string[]).includes(role)) {
        return role as StackRole;
    }
    const field = configured === undefined ? `${key("role")} (taken from the stack name)` : key("role");
    problems.add(field, `be one of ${STACK_ROLES.join(", ")}`, role);
    return undefined;
}

function parseRegion(
    value: string | undefined,
    name: ConfigKey,
    problems: ProblemCollector,
): string | undefined {
    if (value === undefined || value === "") {
        problems.add(key(name), "be set to an AWS region name such as us-east-1 (it is required)", value);
        return undefined;
    }
    if (!isRegionName(value)) {
        problems.add(key(name), "be an AWS region name such as us-east-1", value);
        return undefined;
    }
    return value;
}

function parseWholeNumber(
    value: string | undefined,
    name: string,
    range: { readonly min: number; readonly max: number },
    defaultValue: number | undefined,
    problems: ProblemCollector,
    field: string = key(name),
): number | undefined {
    if (value === undefined) {
        if (defaultValue === undefined) {
            problems.add(
                field,
                `be set to a whole number from ${range.min} to ${range.max} (it is required)`,
                value,
            );
        }
        return defaultValue;
    }
    const text = String(value).trim();
    const parsed = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(parsed) || parsed < range.min || parsed > range.max) {
        problems.add(field, `be a whole number from ${range.min} to ${range.max}`, value);
        return undefined;
    }
    return parsed;
}

/** The largest objective accepted, in minutes (one year): anything larger is a typo. */
const MAX_OBJECTIVE_MINUTES = 525_600;

function parseObjectives(raw: RawStackConfig, problems: ProblemCollector): RecoveryObjectives | undefined {
    const minutes = { min: 1, max: MAX_OBJECTIVE_MINUTES };
    const rpo = parseWholeNumber(raw.get("rpoMinutes"), "rpoMinutes", minutes, undefined, problems);
    const rto = parseWholeNumber(raw.get("rtoMinutes"), "rtoMinutes", minutes, undefined, problems);

    const overrides = parseJsonObject(raw.get("objectives"), "objectives", problems) ?? {};
    const perClass: Partial<Record<AssetClass, Partial<RecoveryObjective>>> = {};
    for (const [assetClass, override] of Object.entries(overrides)) {
        const field = `${key("objectives")}.${assetClass}`;
        if (!isAssetClass(assetClass)) {
            problems.add(field, `name an asset class (${ASSET_CLASS_NAMES.join(", ")})`, assetClass);
            continue;
        }
        if (typeof override !== "object" || override === null || Array.isArray(override)) {
            problems.add(field, 'be an object such as {"rpoMinutes": 5, "rtoMinutes": 60}', override);
            continue;
        }
        const parsed: { rpoMinutes?: number; rtoMinutes?: number } = {};
        for (const [objective, value] of Object.entries(override as Record<string, unknown>)) {
            if (objective !== "rpoMinutes" && objective !== "rtoMinutes") {
                problems.add(`${field}.${objective}`, "be rpoMinutes or rtoMinutes", objective);
                continue;
            }
            // JSON numbers arrive as numbers; anything else (objects, booleans) is reported as received.
            const text =
                typeof value === "number" || typeof value === "string"
                    ? String(value)
                    : JSON.stringify(value);
            parsed[objective] = parseWholeNumber(
                text,
                objective,
                minutes,
                undefined,
                problems,
                `${field}.${objective}`,
            );
        }
        perClass[assetClass] = parsed;
    }

    if (rpo === undefined || rto === undefined) {
        return undefined;
    }
    const objectives = {} as Record<AssetClass, RecoveryObjective>;
    for (const assetClass of ASSET_CLASS_NAMES) {
        objectives[assetClass] = {
            rpoMinutes: perClass[assetClass]?.rpoMinutes ?? rpo,
            rtoMinutes: perClass[assetClass]?.rtoMinutes ?? rto,
        };
    }
    return objectives;
}

function parseJsonObject(
    value: string | undefined,
    name: ConfigKey,
    problems: ProblemCollector,
): Record<string, unknown> | undefined {
    if (value === undefined || value.trim() === "") {
        return undefined;
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(value);
    } catch {
        problems.add(
            key(name),
            "be a JSON object (set it with: pulumi config set " + key(name) + " '{...}')",
            value,
        );
        return undefined;
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        problems.add(key(name), "be a JSON object", value);
        return undefined;
    }
    return parsed as Record<string, unknown>;
}

function parseTags(value: string | undefined, problems: ProblemCollector): Record<string, string> {
    const parsed = parseJsonObject(value, "tags", problems) ?? {};
    const tags: Record<string, string> = {};
    const ownKeys = new Set<string>(Object.values(TAG_KEYS));
    for (const [tagKey, tagValue] of Object.entries(parsed)) {
        const field = `${key("tags")}.${tagKey}`;
        if (
            tagKey.startsWith(RESERVED_TAG_PREFIX) ||
            ownKeys.has(tagKey) ||
            tagKey.length === 0 ||
            tagKey.length > MAX_TAG_KEY_LENGTH
        ) {
            problems.add(
                field,
                `be a tag key of 1–${MAX_TAG_KEY_LENGTH} characters that does not start with "${RESERVED_TAG_PREFIX}" and is not one the project sets (${[...ownKeys].join(", ")})`,
                tagKey,
            );
            continue;
        }
        if (typeof tagValue !== "string" || tagValue.length > MAX_TAG_VALUE_LENGTH) {
            problems.add(field, `be a string of at most ${MAX_TAG_VALUE_LENGTH} characters`, tagValue);
            continue;
        }
        tags[tagKey] = tagValue;
    }
    return tags;
}
