import * as pulumi from "@pulumi/pulumi";
import type { DrillSettings } from "./lib/stack-config/dr";
import { region, wholeNumber } from "./lib/config-values";
import { ProblemCollector } from "./lib/errors";
import { MAX_PREFIX_LENGTH, PREFIX_PATTERN } from "./lib/naming";
import { RecoveryObjectives } from "./lib/objectives";
import { partitionOf } from "./lib/regions";
import { RestoreSpec } from "./lib/restore-spec";
import {
    DEFAULT_NONCURRENT_VERSION_RETENTION_DAYS,
    DEFAULT_PITR_RETENTION_DAYS,
    NONCURRENT_VERSION_RETENTION_DAYS,
    PITR_RETENTION_DAYS,
} from "./lib/retention";
import { BackupSettings, parseBackup } from "./lib/stack-config/backup";
import { parseDatabase } from "./lib/stack-config/database";
import { DrPosture, parseDr } from "./lib/stack-config/dr";
import { CONFIG_NAMESPACE, configKey } from "./lib/stack-config/key";
import { parseNetwork } from "./lib/stack-config/network";
import { checkScheduledJobObjectives, parseObjectives } from "./lib/stack-config/objectives";
import { parsePlatform, PlatformSettings } from "./lib/stack-config/platform";
import { parseTags } from "./lib/stack-config/tags";
import { TAG_KEYS } from "./lib/tags";

export { CONFIG_NAMESPACE, configKey } from "./lib/stack-config/key";
export { DR_POSTURES, DrPosture } from "./lib/stack-config/dr";

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
    drill: "string",
    clusterVersion: "string",
    nodeInstanceType: "string",
    nodeDesiredSize: "integer",
    nodeMinSize: "integer",
    nodeMaxSize: "integer",
    warmNodeCount: "integer",
    apiPublicAccessCidrs: "string",
    clusterAdminRoleArns: "string",
    argocdChartVersion: "string",
    argocdImageTag: "string",
    platformRepoUrl: "string",
    mirrorRepoUrl: "string",
    gitSource: "string",
    platformRepoRevision: "string",
    platformRepoPath: "string",
    platformRepoToken: "string",
    argocdOidc: "string",
    argocdOidcClientSecret: "string",
    githubRepository: "string",
    githubTokenSecretArn: "string",
    githubToken: "string",
    dnsZoneId: "string",
    dnsRecordName: "string",
    primaryEndpoint: "string",
    drEndpoint: "string",
    healthCheckPath: "string",
    alertEmails: "string",
    vaultLockMode: "string",
    vaultLockMinRetentionDays: "integer",
    vaultLockMaxRetentionDays: "integer",
    backupLongTermRetentionDays: "integer",
    backupColdStorageAfterDays: "integer",
} as const;

/** The name of one project config key, without the namespace. */
export type ConfigKey = keyof typeof CONFIG_KEYS;

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
    /** Set on a DR drill's own stack only (the drill command sets it): makes the stack disposable. */
    readonly drill?: DrillSettings;
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
    /** EKS, Argo CD, the GitHub mirror, DNS failover and alert recipients. */
    readonly platform: PlatformSettings;
    /** AWS Backup: retention, Vault Lock and the rules derived from the objectives. */
    readonly backup: BackupSettings;
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
    /** Keys (without the namespace) whose values are Pulumi secrets. Default: none. */
    readonly secretKeys?: readonly string[];
}

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
                configKey(name),
                `be one of the known keys (${Object.keys(CONFIG_KEYS).join(", ")})`,
                name,
            );
        }
    }

    const role = parseRole(raw, problems);
    const homeRegion = region(problems, configKey("homeRegion"), raw.get("homeRegion"));
    const drRegion = region(problems, configKey("drRegion"), raw.get("drRegion"));
    if (homeRegion && drRegion) {
        if (homeRegion === drRegion) {
            problems.add(
                configKey("drRegion"),
                `differ from ${configKey("homeRegion")} (a DR copy in the home region does not survive that region's loss)`,
                drRegion,
            );
        } else if (partitionOf(homeRegion) !== partitionOf(drRegion)) {
            problems.add(
                configKey("drRegion"),
                `be in the same AWS partition as ${configKey("homeRegion")} ("${homeRegion}") so that replication can reach it`,
                drRegion,
            );
        }
    }

    const prefix = raw.get("prefix") ?? "webank";
    if (!PREFIX_PATTERN.test(prefix) || prefix.length > MAX_PREFIX_LENGTH) {
        problems.add(
            configKey("prefix"),
            `be 2–${MAX_PREFIX_LENGTH} lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen`,
            prefix,
        );
    }

    const objectives = parseObjectives(raw, problems);
    const pitrDays = wholeNumber(
        problems,
        configKey("pitrRetentionDays"),
        raw.get("pitrRetentionDays"),
        PITR_RETENTION_DAYS,
        DEFAULT_PITR_RETENTION_DAYS,
    );
    const noncurrentVersionDays = wholeNumber(
        problems,
        configKey("noncurrentVersionRetentionDays"),
        raw.get("noncurrentVersionRetentionDays"),
        NONCURRENT_VERSION_RETENTION_DAYS,
        DEFAULT_NONCURRENT_VERSION_RETENTION_DAYS,
    );
    const network = parseNetwork(raw, problems);
    const database = parseDatabase(raw, problems, pitrDays);
    const dr = parseDr(raw, problems, role, drRegion, database?.replicatedBackupRetentionDays);
    const platform = parsePlatform(raw, problems);
    const backup = parseBackup(raw, problems, objectives, pitrDays);
    checkScheduledJobObjectives(raw, problems, objectives);
    if (role === "dr" && dr?.activated && platform?.traffic && !platform.traffic.drEndpoint) {
        problems.add(
            configKey("drEndpoint"),
            "be set when the dr stack is activated with DNS failover (the SECONDARY record points at it)",
            undefined,
        );
    }
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
        platform: platform as PlatformSettings,
        backup: backup as BackupSettings,
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
        secretKeys: keysSet.filter((name) => isConfigSecret(configKey(name))),
    });
}

function parseRole(raw: RawStackConfig, problems: ProblemCollector): StackRole | undefined {
    const configured = raw.get("role");
    const role = configured ?? raw.stack;
    if ((STACK_ROLES as readonly string[]).includes(role)) {
        return role as StackRole;
    }
    const field =
        configured === undefined ? `${configKey("role")} (taken from the stack name)` : configKey("role");
    problems.add(field, `be one of ${STACK_ROLES.join(", ")}`, role);
    return undefined;
}

/**
 * Whether a config value is a Pulumi secret. The SDK answers this (runtime/config.ts) but
 * does not publish it in its typings.
 */
function isConfigSecret(fullKey: string): boolean {
    const runtime = pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean };
    return runtime.isConfigSecret?.(fullKey) ?? false;
}
