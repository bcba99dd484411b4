import { argocdHaProblem, argocdNodeCount } from "../lib/argocd";
import { airGappedVaultAvailable } from "../lib/backup-copies";
import { ProblemCollector } from "../lib/errors";
import { MAX_PREFIX_LENGTH, PREFIX_PATTERN } from "../lib/naming";
import type { RecoveryObjectives } from "../lib/objectives";
import { partitionOf } from "../lib/regions";
import { NONCURRENT_VERSION_RETENTION_DAYS, PITR_RETENTION_DAYS } from "../lib/retention";
import { TAG_KEYS } from "../lib/tags";
import { BackupSettings, parseBackup } from "./backup";
import { DatabaseSettings, parseDatabase } from "./database";
import { CONFIG_DEFAULTS } from "./defaults";
import { DrSettings, parseDr } from "./dr";
import { FailbackSettings, parseFailback } from "./failback";
import { checkKnownKeys, checkSecretKeys, configKey, RawStackConfig } from "./keys";
import { parseNetwork } from "./network";
import {
    checkCounterpartObjectives,
    checkPromisableDatabaseRpo,
    checkScheduledJobObjectives,
    parseObjectives,
    ResolvedObjectives,
} from "./objectives";
import { parsePlatform, PlatformSettings } from "./platform";
import { parseRole, StackRole } from "./role";
import { parseTags } from "./tags";
import { activatedTrafficReady, DR_ENDPOINT_RULE } from "./traffic";
import { region, wholeNumber } from "./values";
import { parseVerification, VerificationSettings } from "./verification";

/** The validated view of one stack's config. Everything the program needs, in one place. */
export interface StackConfig {
    /** Pulumi project name. */
    readonly project: string;
    /** Pulumi stack name. */
    readonly stack: string;
    /** The stack's role: fixed by the name for `primary`, `dr` and drill stacks (`dr-drill-<id>`: dr), else `webank:role`. */
    readonly role: StackRole;
    /** `webank:homeRegion`: the home region, where the platform runs day to day. */
    readonly homeRegion: string;
    /** `webank:drRegion`: the DR region, where copies are kept and where the platform is restored on failover. */
    readonly drRegion: string;
    /** The region of this stack's own resources: the home region for `primary`, the DR region for `dr`. */
    readonly stackRegion: string;
    /**
     * `webank:prefix`: prefix of every physical name.
     * @default "webank"
     */
    readonly prefix: string;
    /** RPO/RTO for every asset class. */
    readonly objectives: RecoveryObjectives;
    /** Retention settings, in days. */
    readonly retention: {
        /**
         * `webank:pitrRetentionDays`: point-in-time recovery window for databases and the lock table (1–35).
         * @default 35
         */
        readonly pitrDays: number;
        /**
         * `webank:noncurrentVersionRetentionDays`: how long replaced or deleted state/artifact
         * object versions stay recoverable.
         * @default 90
         */
        readonly noncurrentVersionDays: number;
    };
    /** VPC address ranges; distinct between regions so they can be peered. */
    readonly network: {
        /** `webank:homeVpcCidr`: CIDR of the home region's VPC. */
        readonly homeCidr: string;
        /** `webank:drVpcCidr`: CIDR of the DR region's VPC. */
        readonly drCidr: string;
        /** CIDR of this stack's VPC. */
        readonly stackCidr: string;
    };
    /** Database settings. */
    readonly database: DatabaseSettings;
    /** DR posture and activation; on the primary stack, their defaults. */
    readonly dr: DrSettings;
    /**
     * `webank:failback` (primary stack only; refused on dr): re-protection after a failover, a
     * cross-Region read replica in the home region of the DR database (config/failback.ts).
     * @default undefined: no failback replica
     */
    readonly failback?: FailbackSettings;
    /** EKS, Argo CD, the GitHub mirror, DNS failover and alert recipients. */
    readonly platform: PlatformSettings;
    /** AWS Backup: retention, Vault Lock and the rules derived from the objectives. */
    readonly backup: BackupSettings;
    /** What a restore's verify step checks inside the restored database, beside the heartbeat. */
    readonly verification: VerificationSettings;
    /**
     * Tags for every resource: the project's own keys plus `webank:tags`.
     * @default {}: the project's own keys only
     */
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * Validates raw stack config and returns the typed view. Every problem is collected and
 * reported at once, each naming its key and the value received; nothing is declared
 * before this has passed. Pure: whatever comes from files (Pulumi.yaml's objectives default,
 * the counterpart stack's objectives) arrives in `raw`; ./load and ./stack-files read it.
 */
export function parseStackConfig(raw: RawStackConfig): StackConfig {
    const problems = new ProblemCollector();

    checkKnownKeys(raw.keysSet, problems);
    checkSecretKeys(raw, problems);
    const role = parseRole(raw, problems);
    const regions = parseRegions(raw, problems);

    const prefix = raw.get("prefix") ?? CONFIG_DEFAULTS.prefix;
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
        CONFIG_DEFAULTS.pitrRetentionDays,
    );
    const noncurrentVersionDays = wholeNumber(
        problems,
        configKey("noncurrentVersionRetentionDays"),
        raw.get("noncurrentVersionRetentionDays"),
        NONCURRENT_VERSION_RETENTION_DAYS,
        CONFIG_DEFAULTS.noncurrentVersionRetentionDays,
    );
    const network = parseNetwork(raw, problems);
    const database = parseDatabase(raw, problems, pitrDays);
    const dr = parseDr(raw, problems, role, regions.drRegion, database?.replicatedBackupRetentionDays);
    const failback = parseFailback(raw, problems, role, prefix);
    const platform = parsePlatform(raw, problems);
    const backup = parseBackup(raw, problems, objectives, pitrDays);
    const verification = parseVerification(raw, problems);
    checkScheduledJobObjectives(problems, objectives);
    checkCounterpartObjectives(problems, objectives, raw.counterpart);
    if (role === "dr") {
        checkPromisableDatabaseRpo(problems, objectives, dr?.posture, "webank:posture of this stack");
    } else if (role === "primary") {
        const file = raw.counterpart?.file ?? "the dr stack file";
        checkPromisableDatabaseRpo(
            problems,
            objectives,
            raw.counterpart?.drStackPosture,
            `webank:posture in ${file}`,
        );
    }
    if (role === "dr" && dr?.activated && platform && !activatedTrafficReady(platform.traffic)) {
        problems.add(configKey("drEndpoint"), DR_ENDPOINT_RULE, undefined);
    }
    // A stack whose cluster cannot hold Argo CD's HA must not ask for it: the atomic release
    // would roll back on the first `pulumi up` (lib/argocd.ts). Serving clusters keep the node
    // group's minimum; a warm standby keeps warmNodeCount, a hot one at least the HA minimum;
    // a pilot light has no cluster.
    const serving = role === "primary" || dr?.activated === true;
    const standby = role === "dr" && (dr?.posture === "warm" || dr?.posture === "hot");
    if (platform && (serving || standby)) {
        const hot = dr?.posture === "hot";
        const nodeCount = argocdNodeCount(platform.cluster, serving, hot);
        if (!serving && nodeCount > platform.cluster.nodes.max) {
            problems.add(
                configKey("nodeMaxSize"),
                `be at least ${nodeCount}, the nodes a ${hot ? "hot" : "warm"} standby keeps before activation` +
                    (hot ? " (enough for Argo CD's HA)" : ` (${configKey("warmNodeCount")})`),
                platform.cluster.nodes.max,
            );
        }
        const haProblem = argocdHaProblem(platform.gitops.highAvailability, nodeCount);
        if (haProblem) {
            problems.add(configKey("argocdHighAvailability"), haProblem, platform.gitops.highAvailability);
        }
    }
    const userTags = parseTags(raw.get("tags"), problems);

    problems.throwIfAny(`Invalid config for stack "${raw.stack}"`);

    // Every value below is defined: throwIfAny has thrown otherwise.
    const validRole = role as StackRole;
    const homeRegion = regions.homeRegion as string;
    const drRegion = regions.drRegion as string;
    const validNetwork = network as { homeCidr: string; drCidr: string };
    return {
        project: raw.project,
        stack: raw.stack,
        role: validRole,
        homeRegion,
        drRegion,
        stackRegion: validRole === "primary" ? homeRegion : drRegion,
        prefix,
        objectives: (objectives as ResolvedObjectives).objectives,
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
        ...(failback ? { failback } : {}),
        platform: platform as PlatformSettings,
        backup: backup as BackupSettings,
        verification: verification as VerificationSettings,
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
 * The home and DR regions: each a region the AWS SDK lists, distinct, and in one partition,
 * since cross-region replication and IAM stop at a partition's edge (lib/regions.ts).
 */
function parseRegions(
    raw: RawStackConfig,
    problems: ProblemCollector,
): { homeRegion?: string; drRegion?: string } {
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
                `be in the same AWS partition as ${configKey("homeRegion")} ("${homeRegion}", partition ${partitionOf(homeRegion)}) so that replication can reach it, not in partition ${partitionOf(drRegion)}`,
                drRegion,
            );
        } else if (!airGappedVaultAvailable(drRegion, partitionOf(drRegion))) {
            problems.add(
                configKey("drRegion"),
                "be a region where AWS Backup offers logically air-gapped vaults, which hold the copies a compromised account cannot delete (not in ap-southeast-5, ca-west-1 or outside the aws partition)",
                drRegion,
            );
        }
    }
    return { homeRegion, drRegion };
}
