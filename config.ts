import * as pulumi from "@pulumi/pulumi";
import {
    booleanValue,
    cidrsOverlap,
    ipv4Cidr,
    jsonObject,
    oneOf,
    region,
    timeWindow,
    wholeNumber,
} from "./lib/config-values";
import { ProblemCollector } from "./lib/errors";
import { MAX_PREFIX_LENGTH, PREFIX_PATTERN } from "./lib/naming";
import {
    ASSET_CLASS_NAMES,
    AssetClass,
    isAssetClass,
    RecoveryObjective,
    RecoveryObjectives,
    RPO_FLOORS,
} from "./lib/objectives";
import { partitionOf } from "./lib/regions";
import { parseRestoreSpec, RestoreSpec } from "./lib/restore-spec";
import {
    DEFAULT_NONCURRENT_VERSION_RETENTION_DAYS,
    DEFAULT_PITR_RETENTION_DAYS,
    DEFAULT_REPLICATED_BACKUP_RETENTION_DAYS,
    MIN_DATABASE_BACKUP_RETENTION_DAYS,
    NONCURRENT_VERSION_RETENTION_DAYS,
    PITR_RETENTION_DAYS,
    REPLICATED_BACKUP_RETENTION_DAYS,
} from "./lib/retention";
import { MAX_TAG_KEY_LENGTH, MAX_TAG_VALUE_LENGTH, RESERVED_TAG_PREFIX, TAG_KEYS } from "./lib/tags";

/** The config namespace of this project: every key is `webank:<key>`. */
export const CONFIG_NAMESPACE = "webank";

/** The roles a stack can play. */
export const STACK_ROLES = ["primary", "dr"] as const;

/** `primary` runs the platform in the home region; `dr` is the standby in the DR region. */
export type StackRole = (typeof STACK_ROLES)[number];

/** How much of the platform the DR region keeps running before a failover. */
export const DR_POSTURES = ["pilot", "warm"] as const;

/** `pilot`: network and replicas only; `warm`: also a minimal cluster, scaled up on activation. */
export type DrPosture = (typeof DR_POSTURES)[number];

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
    homeVpcCidr: "string",
    drVpcCidr: "string",
    dbEngineVersion: "string",
    dbInstanceClass: "string",
    dbAllocatedStorageGiB: "integer",
    dbBackupWindow: "string",
    dbMaintenanceWindow: "string",
    replicatedBackupRetentionDays: "integer",
    posture: "string",
    activated: "boolean",
    restore: "string",
    primaryStack: "string",
} as const;

/** The name of one project config key, without the namespace. */
export type ConfigKey = keyof typeof CONFIG_KEYS;

/** Keys that only mean something on the `dr` stack: set on `primary` they are refused. */
const DR_ONLY_KEYS: readonly ConfigKey[] = ["posture", "activated", "restore", "primaryStack"];

/** Database settings, shared by the primary instance and the DR restore. */
export interface DatabaseSettings {
    /** PostgreSQL engine version; a major version (`16`) lets RDS pick the current minor. Default `16`. */
    readonly engineVersion: string;
    /** Major version, for the parameter group family (`postgres16`). */
    readonly majorVersion: number;
    /** Instance class. Default `db.r6g.large`. */
    readonly instanceClass: string;
    /** Allocated gp3 storage in GiB (20–65536). Default 100. */
    readonly allocatedStorageGiB: number;
    /** Automated backup retention (the PITR window) in days: `webank:pitrRetentionDays`, never below 7. */
    readonly backupRetentionDays: number;
    /** Daily UTC backup window. Default `03:00-03:30`. */
    readonly backupWindow: string;
    /** Weekly UTC maintenance window. Default `sun:04:00-sun:05:00`. */
    readonly maintenanceWindow: string;
    /** Retention of the automated backups replicated to the DR region (1–35). Default 14. */
    readonly replicatedBackupRetentionDays: number;
}

/** What the `dr` stack should be right now; set by the failover script. */
export interface DrSettings {
    /** `pilot` (default) or `warm`. */
    readonly posture: DrPosture;
    /** True once a failover has activated the DR region. Default false. */
    readonly activated: boolean;
    /** Where the DR database comes from; required when activated. */
    readonly restore?: RestoreSpec;
    /** Name of the primary stack for the StackReference (`primary`, or `org/webank/primary`). */
    readonly primaryStack: string;
}

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
    /** VPC address ranges; distinct between regions so they can be peered. */
    readonly network: {
        /** CIDR of the home region's VPC. */
        readonly homeCidr: string;
        /** CIDR of the DR region's VPC. */
        readonly drCidr: string;
        /** CIDR of this stack's VPC. */
        readonly stackCidr: string;
    };
    /** Database settings. */
    readonly database: DatabaseSettings;
    /** DR posture and activation; defaults on the primary stack. */
    readonly dr: DrSettings;
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
    /** The current time, for restore-time checks. Default: the clock. */
    readonly now?: Date;
}

/** `webank:<name>`. */
const key = (name: string): string => `${CONFIG_NAMESPACE}:${name}`;

/** VPCs are /16 to /20: room for three private and three public subnets. */
const VPC_PREFIX_LENGTHS = { min: 16, max: 20 } as const;

/** RDS gp3 storage limits, in GiB. */
const DB_STORAGE_GIB = { min: 20, max: 65536 } as const;

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
    const homeRegion = region(problems, key("homeRegion"), raw.get("homeRegion"));
    const drRegion = region(problems, key("drRegion"), raw.get("drRegion"));
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
    const pitrDays = wholeNumber(
        problems,
        key("pitrRetentionDays"),
        raw.get("pitrRetentionDays"),
        PITR_RETENTION_DAYS,
        DEFAULT_PITR_RETENTION_DAYS,
    );
    const noncurrentVersionDays = wholeNumber(
        problems,
        key("noncurrentVersionRetentionDays"),
        raw.get("noncurrentVersionRetentionDays"),
        NONCURRENT_VERSION_RETENTION_DAYS,
        DEFAULT_NONCURRENT_VERSION_RETENTION_DAYS,
    );
    const network = parseNetwork(raw, problems);
    const database = parseDatabase(raw, problems, pitrDays);
    const dr = parseDr(raw, problems, role, drRegion, database?.replicatedBackupRetentionDays);
    const userTags = parseTags(raw.get("tags"), problems);

    problems.throwIfAny(`Invalid config for stack "${raw.stack}"`);

    // Every value below is defined: throwIfAny has thrown otherwise.
    const validRole = role as StackRole;
    const validNetwork = network as { homeCidr: string; drCidr: string };
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
        network: {
            ...validNetwork,
            stackCidr: validRole === "primary" ? validNetwork.homeCidr : validNetwork.drCidr,
        },
        database: database as DatabaseSettings,
        dr: dr as DrSettings,
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

/** The largest objective accepted, in minutes (one year): anything larger is a typo. */
const MAX_OBJECTIVE_MINUTES = 525_600;

function parseObjectives(raw: RawStackConfig, problems: ProblemCollector): RecoveryObjectives | undefined {
    const minutes = { min: 1, max: MAX_OBJECTIVE_MINUTES };
    const rpo = wholeNumber(problems, key("rpoMinutes"), raw.get("rpoMinutes"), minutes);
    const rto = wholeNumber(problems, key("rtoMinutes"), raw.get("rtoMinutes"), minutes);

    const overrides = jsonObject(problems, key("objectives"), raw.get("objectives")) ?? {};
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
            parsed[objective] = wholeNumber(problems, `${field}.${objective}`, text, minutes);
        }
        perClass[assetClass] = parsed;
    }

    for (const [assetClass, floor] of Object.entries(RPO_FLOORS) as Array<
        [AssetClass, { minutes: number; reason: string }]
    >) {
        const overridden = perClass[assetClass]?.rpoMinutes;
        const value = overridden ?? rpo;
        if (value !== undefined && value < floor.minutes) {
            const field =
                overridden === undefined
                    ? key("rpoMinutes")
                    : `${key("objectives")}.${assetClass}.rpoMinutes`;
            problems.add(
                field,
                `be at least ${floor.minutes} for the ${assetClass} asset class: ${floor.reason}`,
                value,
            );
        }
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

function parseNetwork(
    raw: RawStackConfig,
    problems: ProblemCollector,
): { homeCidr: string; drCidr: string } | undefined {
    const homeCidr = ipv4Cidr(problems, key("homeVpcCidr"), raw.get("homeVpcCidr"), VPC_PREFIX_LENGTHS);
    const drCidr = ipv4Cidr(problems, key("drVpcCidr"), raw.get("drVpcCidr"), VPC_PREFIX_LENGTHS);
    if (homeCidr && drCidr && cidrsOverlap(homeCidr, drCidr)) {
        problems.add(
            key("drVpcCidr"),
            `not overlap ${key("homeVpcCidr")} ("${homeCidr}"), so the two VPCs can be peered`,
            drCidr,
        );
        return undefined;
    }
    return homeCidr && drCidr ? { homeCidr, drCidr } : undefined;
}

function parseDatabase(
    raw: RawStackConfig,
    problems: ProblemCollector,
    pitrDays: number | undefined,
): DatabaseSettings | undefined {
    const engineVersion = raw.get("dbEngineVersion") ?? "16";
    const version = /^(\d{2})(\.\d+)?$/.exec(engineVersion);
    if (!version) {
        problems.add(key("dbEngineVersion"), "be a PostgreSQL version such as 16 or 16.4", engineVersion);
    }
    const instanceClass = raw.get("dbInstanceClass") ?? "db.r6g.large";
    if (!/^db\.[a-z0-9-]+\.[a-z0-9]+$/.test(instanceClass)) {
        problems.add(key("dbInstanceClass"), "be an RDS instance class such as db.r6g.large", instanceClass);
    }
    const allocatedStorageGiB = wholeNumber(
        problems,
        key("dbAllocatedStorageGiB"),
        raw.get("dbAllocatedStorageGiB"),
        DB_STORAGE_GIB,
        100,
    );
    if (pitrDays !== undefined && pitrDays < MIN_DATABASE_BACKUP_RETENTION_DAYS) {
        problems.add(
            key("pitrRetentionDays"),
            `be at least ${MIN_DATABASE_BACKUP_RETENTION_DAYS}: it is the database's backup retention, which is never below a week`,
            pitrDays,
        );
    }
    const backupWindow = timeWindow(
        problems,
        key("dbBackupWindow"),
        raw.get("dbBackupWindow") ?? "03:00-03:30",
        false,
    );
    const maintenanceWindow = timeWindow(
        problems,
        key("dbMaintenanceWindow"),
        raw.get("dbMaintenanceWindow") ?? "sun:04:00-sun:05:00",
        true,
    );
    const replicatedBackupRetentionDays = wholeNumber(
        problems,
        key("replicatedBackupRetentionDays"),
        raw.get("replicatedBackupRetentionDays"),
        REPLICATED_BACKUP_RETENTION_DAYS,
        DEFAULT_REPLICATED_BACKUP_RETENTION_DAYS,
    );
    if (
        !version ||
        allocatedStorageGiB === undefined ||
        pitrDays === undefined ||
        !backupWindow ||
        !maintenanceWindow ||
        replicatedBackupRetentionDays === undefined
    ) {
        return undefined;
    }
    return {
        engineVersion,
        majorVersion: Number(version[1]),
        instanceClass,
        allocatedStorageGiB,
        backupRetentionDays: pitrDays,
        backupWindow,
        maintenanceWindow,
        replicatedBackupRetentionDays,
    };
}

function parseDr(
    raw: RawStackConfig,
    problems: ProblemCollector,
    role: StackRole | undefined,
    drRegion: string | undefined,
    replicatedBackupRetentionDays: number | undefined,
): DrSettings | undefined {
    if (role === "primary") {
        for (const name of DR_ONLY_KEYS) {
            if (raw.get(name) !== undefined) {
                problems.add(
                    key(name),
                    "be set only on the dr stack (it means nothing on primary)",
                    raw.get(name),
                );
            }
        }
    }
    const posture = oneOf(problems, key("posture"), raw.get("posture"), DR_POSTURES, "pilot");
    const activated = booleanValue(problems, key("activated"), raw.get("activated"), false);
    const primaryStack = raw.get("primaryStack") ?? "primary";
    if (!/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+){0,2}$/.test(primaryStack)) {
        problems.add(
            key("primaryStack"),
            "be a stack name such as primary or org/webank/primary",
            primaryStack,
        );
    }

    const restoreObject = jsonObject(problems, key("restore"), raw.get("restore"));
    let restore: RestoreSpec | undefined;
    if (restoreObject && drRegion && replicatedBackupRetentionDays !== undefined) {
        restore = parseRestoreSpec(problems, key("restore"), restoreObject, {
            drRegion,
            now: raw.now ?? new Date(),
            replicatedBackupRetentionDays,
        });
    }
    if (activated === true && raw.get("restore") === undefined) {
        problems.add(
            key("restore"),
            `be set when ${key("activated")} is true: say where the database comes from, e.g. {"source": "pitr", "time": "latest"}`,
            undefined,
        );
    }
    if (posture === undefined || activated === undefined) {
        return undefined;
    }
    return { posture, activated, restore, primaryStack };
}

function parseTags(value: string | undefined, problems: ProblemCollector): Record<string, string> {
    const parsed = jsonObject(problems, key("tags"), value) ?? {};
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
