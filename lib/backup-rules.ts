import { DR_COPY_DELIVERY_MINUTES } from "./backup-windows";
import { AssetClass, RecoveryObjective } from "./objectives";

/**
 * Objectives → AWS Backup rules: the one pure module that turns "lose at most N minutes of
 * this asset" into what AWS Backup does (continuous backup or snapshots, how often, how long
 * each copy is kept, when copies move to cold storage). The plan, the audit framework and
 * the policy pack all read these rules instead of typing numbers again.
 */

/** The kinds of resource AWS Backup protects here. */
export type BackupResourceKind = "rds" | "s3" | "ebs" | "dynamodb" | "eks";

/** What AWS Backup can do for one kind of resource. */
export interface BackupCapability {
    /** Name used in messages. */
    readonly label: string;
    /** Smallest RPO continuous backup (point-in-time restore) gives, in minutes; absent when unsupported. */
    readonly continuousRpoFloorMinutes?: number;
    /** True when the resource has its own point-in-time recovery outside AWS Backup (enabled by this program). */
    readonly nativePitr?: boolean;
}

/**
 * AWS Backup's capabilities per kind. RDS continuous backup ships transaction logs every 5
 * minutes. S3 continuous backup follows object changes from S3 events; 15 minutes is this
 * project's conservative floor for it, not an AWS guarantee. EBS has snapshots only.
 * DynamoDB has no continuous backup in AWS Backup, but the lock table's own PITR is on.
 * EKS (AWS Backup's support announced 10 Nov 2025) has snapshot backups only: each backup is a
 * composite recovery point holding a full backup of the cluster state (Kubernetes manifests:
 * Secrets, ConfigMaps, CRDs, RBAC, ...) and a child recovery point per persistent volume; the
 * guide documents no continuous backup or point-in-time restore for it ("Amazon EKS backups",
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/eks-backups.html: "The EKS cluster
 * state child recovery point will be a full backup"), and EKS has no PITR of its own. So a
 * cluster comes back only from a DR copy, and its RPO must leave room for the copy's delivery.
 */
export const BACKUP_CAPABILITIES: Readonly<Record<BackupResourceKind, BackupCapability>> = {
    rds: { label: "RDS", continuousRpoFloorMinutes: 5 },
    s3: { label: "S3", continuousRpoFloorMinutes: 15 },
    ebs: { label: "EBS" },
    dynamodb: { label: "DynamoDB", nativePitr: true },
    eks: { label: "EKS" },
};

/** Snapshot periods AWS Backup schedules can express evenly over a day, in hours (hourly is its fastest). */
export const SNAPSHOT_PERIODS_HOURS = [1, 2, 3, 4, 6, 8, 12, 24] as const;

/** AWS Backup keeps continuous recovery points for at most 35 days. */
export const MAX_CONTINUOUS_RETENTION_DAYS = 35;

/** AWS Backup requires a recovery point to stay in cold storage for at least 90 days. */
export const MIN_COLD_STORAGE_DAYS = 90;

/**
 * The longest a frequent backup's DR copy may be kept (days): two weeks of hourly snapshots
 * (336 per resource) is this project's ceiling, checked by the config parser and, as the
 * default of its threshold, by the policy pack. Beyond it the daily copies are the record.
 */
export const MAX_DR_FREQUENT_COPY_DAYS = 14;

/** Retention inputs of the rules, all in days. */
export interface BackupRetention {
    /** Retention of the frequent (continuous or snapshot) backups in the home vault. */
    readonly shortTermDays: number;
    /** Retention of the daily long-term backups and their DR copies. */
    readonly longTermDays: number;
    /** Age at which long-term backups move to cold storage (where the resource type supports it). */
    readonly coldStorageAfterDays: number;
    /** Retention of the frequent backups' DR copies, never more than the points they copy. */
    readonly drFrequentCopyDays: number;
}

/** One AWS Backup rule, with its DR copy. */
export interface BackupRuleSpec {
    /** Rule name, unique in its plan: `<asset class>-<kind>-<continuous|snapshot|long-term>`. */
    readonly name: string;
    /** True for continuous backup (point-in-time restore). */
    readonly continuous: boolean;
    /** How often the rule runs, in hours (for continuous rules: how often AWS Backup maintains it). */
    readonly periodHours: number;
    /** AWS Backup schedule expression (UTC). */
    readonly schedule: string;
    /** Days each recovery point is kept in the home vault. */
    readonly deleteAfterDays: number;
    /** Days after which it moves to cold storage; absent for frequent backups. */
    readonly coldStorageAfterDays?: number;
    /**
     * Days its copy is kept in the DR vault (its own retention: a copy action's lifecycle
     * overrides the source's, https://docs.aws.amazon.com/aws-backup/latest/APIReference/API_CopyAction.html).
     * Frequent rules keep copies `drFrequentCopyDays`, daily ones `longTermDays`.
     */
    readonly copyDeleteAfterDays: number;
    /** Days after which the copy moves to cold storage; absent for frequent backups. */
    readonly copyColdStorageAfterDays?: number;
    /** How the RPO is met, for the plan and the runbook. */
    readonly rpoMetBy: string;
}

/** An objective AWS cannot meet for a resource kind; names the asset class and what would work. */
export class ImpossibleObjectiveError extends Error {
    constructor(
        /** The asset class whose objective is impossible. */
        public readonly assetClass: AssetClass,
        message: string,
    ) {
        super(message);
        this.name = "ImpossibleObjectiveError";
    }
}

/** The AWS Backup cron expression (UTC) that runs every `periodHours`. */
export function backupSchedule(periodHours: number): string {
    if (periodHours >= 24) {
        return "cron(0 5 ? * * *)";
    }
    return periodHours === 1 ? "cron(0 * ? * * *)" : `cron(0 0/${periodHours} ? * * *)`;
}

/** The longest snapshot period, in hours, that still meets `rpoMinutes`. */
export function snapshotPeriodHours(rpoMinutes: number): number {
    const fitting = SNAPSHOT_PERIODS_HOURS.filter((hours) => hours * 60 <= rpoMinutes);
    return fitting.length > 0 ? fitting[fitting.length - 1] : 0;
}

/**
 * The rules that meet `objective` for a resource of `kind` holding asset class
 * `assetClass`:
 * - RPO under an hour: continuous backup where the kind has it (and the RPO is not below
 *   its floor), or hourly snapshots backed by the resource's own PITR; otherwise the
 *   objective is impossible and an {@link ImpossibleObjectiveError} says what would work.
 * - RPO of an hour or more: snapshots at the longest period that meets it.
 * - Plus a daily long-term backup, moved to cold storage, whenever the frequent rule is not
 *   already daily.
 * Every rule copies to the DR vault on each run: a frequent rule's copies are kept
 * `drFrequentCopyDays` (at most as long as the points they copy), the daily rule's as long
 * as its own points.
 */
export function backupRulesFor(
    assetClass: AssetClass,
    kind: BackupResourceKind,
    objective: RecoveryObjective,
    retention: BackupRetention,
): BackupRuleSpec[] {
    const capability = BACKUP_CAPABILITIES[kind];
    const rpo = objective.rpoMinutes;
    const prefix = `${assetClass}-${kind}`;
    const rules: BackupRuleSpec[] = [];
    // A kind with neither continuous backup nor its own PITR comes back only from a DR copy,
    // which lands up to DR_COPY_DELIVERY_MINUTES after its scheduled time: the period must
    // leave room for that, or the newest copy would be older than the RPO for part of each
    // period (and `status` would flap) on a day when every job succeeds.
    const copyOnly = capability.continuousRpoFloorMinutes === undefined && !capability.nativePitr;
    if (copyOnly) {
        const least = MIN_SNAPSHOT_PERIOD_MINUTES + DR_COPY_DELIVERY_MINUTES;
        if (rpo < least) {
            throw new ImpossibleObjectiveError(
                assetClass,
                `the ${assetClass} RPO of ${rpo} minutes cannot be met for ${capability.label}: AWS Backup snapshots it at most hourly, ` +
                    `and a copy reaches the DR vault up to ${DR_COPY_DELIVERY_MINUTES} minutes after its scheduled time (the rules' start and completion windows), ` +
                    `so the RPO must be at least ${least} minutes; set webank:objectives.${assetClass}.rpoMinutes to ${least} or more`,
            );
        }
        const hours = snapshotPeriodHours(rpo - DR_COPY_DELIVERY_MINUTES);
        if (hours < 24) {
            rules.push(
                snapshotRule(
                    prefix,
                    hours,
                    retention,
                    `snapshots every ${hours} hour${hours === 1 ? "" : "s"}, copied within ${DR_COPY_DELIVERY_MINUTES} minutes`,
                ),
            );
        }
    } else if (rpo < 60) {
        const floor = capability.continuousRpoFloorMinutes;
        if (floor !== undefined && rpo >= floor) {
            const days = Math.min(retention.shortTermDays, MAX_CONTINUOUS_RETENTION_DAYS);
            rules.push({
                name: `${prefix}-continuous`,
                continuous: true,
                periodHours: 1,
                schedule: backupSchedule(1),
                deleteAfterDays: days,
                copyDeleteAfterDays: Math.min(retention.drFrequentCopyDays, days),
                rpoMetBy: `continuous backup (point-in-time restore, RPO ${floor} minutes)`,
            });
        } else if (capability.nativePitr) {
            rules.push(
                snapshotRule(
                    prefix,
                    1,
                    retention,
                    `${capability.label} point-in-time recovery; hourly snapshots`,
                ),
            );
        } else {
            const least = floor ?? 60;
            throw new ImpossibleObjectiveError(
                assetClass,
                `the ${assetClass} RPO of ${rpo} minutes cannot be met for ${capability.label}: ` +
                    (floor === undefined
                        ? `AWS Backup snapshots it at most hourly, so the RPO must be at least 60 minutes`
                        : `its continuous backup gives ${floor} minutes at best`) +
                    `; set webank:objectives.${assetClass}.rpoMinutes to ${least} or more`,
            );
        }
    } else if (snapshotPeriodHours(rpo) < 24) {
        const hours = snapshotPeriodHours(rpo);
        rules.push(
            snapshotRule(prefix, hours, retention, `snapshots every ${hours} hour${hours === 1 ? "" : "s"}`),
        );
    }

    // The daily backup is kept long and moved to cold storage; when the RPO allows daily
    // backups it is the only rule.
    rules.push({
        name: `${prefix}-long-term`,
        continuous: false,
        periodHours: 24,
        schedule: backupSchedule(24),
        deleteAfterDays: retention.longTermDays,
        coldStorageAfterDays: retention.coldStorageAfterDays,
        copyDeleteAfterDays: retention.longTermDays,
        copyColdStorageAfterDays: retention.coldStorageAfterDays,
        rpoMetBy: rules.length === 0 ? "daily snapshots" : "daily long-term backup",
    });
    return rules;
}

function snapshotRule(
    prefix: string,
    hours: number,
    retention: BackupRetention,
    rpoMetBy: string,
): BackupRuleSpec {
    return {
        name: `${prefix}-snapshot`,
        continuous: false,
        periodHours: hours,
        schedule: backupSchedule(hours),
        deleteAfterDays: retention.shortTermDays,
        copyDeleteAfterDays: Math.min(retention.drFrequentCopyDays, retention.shortTermDays),
        rpoMetBy,
    };
}

/**
 * The shortest period, in minutes, at which AWS Backup takes snapshot backups: "You can also
 * create a cron expression that creates snapshot backups as frequently as hourly" (AWS Backup
 * developer guide, "Backup plan options and configuration",
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/plan-options-and-configuration.html).
 * An RPO under it needs continuous backup.
 */
export const MIN_SNAPSHOT_PERIOD_MINUTES = SNAPSHOT_PERIODS_HOURS[0] * 60;

/**
 * The RPO, in minutes, that one rule gives a resource of `kind`: continuous backup's floor
 * where AWS Backup has continuous backup for the kind (elsewhere a continuous rule makes
 * snapshots on its schedule); otherwise the time between two runs, never less than the
 * hourly snapshot AWS Backup allows.
 */
export function ruleRpoMinutes(kind: BackupResourceKind, continuous: boolean, periodMinutes: number): number {
    const floor = BACKUP_CAPABILITIES[kind].continuousRpoFloorMinutes;
    if (continuous && floor !== undefined) {
        return floor;
    }
    return Math.max(periodMinutes, MIN_SNAPSHOT_PERIOD_MINUTES);
}

/** The RPO, in minutes, that `rules` deliver together for a resource of `kind`: the best of them. */
export function deliveredRpoMinutes(
    rules: readonly Pick<BackupRuleSpec, "continuous" | "periodHours">[],
    kind: BackupResourceKind,
): number {
    return Math.min(...rules.map((rule) => ruleRpoMinutes(kind, rule.continuous, rule.periodHours * 60)));
}

/** The most frequent period among `rules`, in hours: what the audit framework checks plans against. */
export function mostFrequentPeriodHours(rules: readonly BackupRuleSpec[]): number {
    return Math.min(...rules.map((rule) => rule.periodHours));
}

/** True for a rule that runs more often than daily (continuous ones included): its DR copies are kept short. */
export function isFrequentRule(rule: Pick<BackupRuleSpec, "periodHours">): boolean {
    return rule.periodHours < 24;
}

/**
 * How often, in minutes, the DR vault receives a copy from a target's `rules`: the RPO a
 * restore from the DR vault can give, whatever the target's own RPO. Every rule copies on
 * each run, and a continuous rule's copy is a snapshot taken at the rule's frequency (hourly
 * here), without point-in-time restore: "When a cross-Region or cross-account copy of a
 * continuous backup is made, the copied recovery point (backup) becomes a snapshot (periodic)
 * backup. [...] PITR (Point-in-Time Restore) is not available for these copies"
 * (AWS Backup developer guide, "Copy a backup",
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/recov-point-create-a-copy.html; and
 * "Copying continuous backups", point-in-time-recovery-copying.html). The one definition the
 * plan's outputs, `status` and the failover's DR-vault fallback read.
 */
export function drCopyPeriodMinutes(rules: readonly BackupRuleSpec[]): number {
    return mostFrequentPeriodHours(rules) * 60;
}

/**
 * The RPO, in minutes, of a restore from the DR vault: the copy period plus how late a copy may
 * land ({@link DR_COPY_DELIVERY_MINUTES}). What `status` judges the DR vault's newest copy
 * against, and what the objectives table and the failover's fallback note show.
 */
export function drCopyRpoMinutes(rules: readonly BackupRuleSpec[]): number {
    return drCopyPeriodMinutes(rules) + DR_COPY_DELIVERY_MINUTES;
}

/** The DR copies of a target's `rules` in one line, for the stack outputs: how often, the RPO that gives, how long kept. */
export function drCopySummary(rules: readonly BackupRuleSpec[]): string {
    const period = drCopyPeriodMinutes(rules);
    const fastest = rules.find((rule) => rule.periodHours * 60 === period)!;
    const daily = rules.find((rule) => !isFrequentRule(rule) && rule !== fastest);
    const continuous = fastest.continuous
        ? "; a copy of a continuous backup has no point-in-time restore"
        : "";
    return (
        `a snapshot copy every ${period} min (the DR vault's RPO: up to ${drCopyRpoMinutes(rules)} min, landing up to ${DR_COPY_DELIVERY_MINUTES} min after its schedule${continuous}), ` +
        `kept ${fastest.copyDeleteAfterDays} days` +
        (daily ? `; daily copies kept ${daily.copyDeleteAfterDays} days` : "")
    );
}

/** One kind of stateful resource AWS Backup protects, and the asset classes its data belongs to. */
export interface BackupTarget {
    /** Identifier, used in plan and selection names. */
    readonly id: "database" | "volumes" | "lock-table" | "state-bucket" | "artifact-bucket" | "cluster";
    /** Resource kind. */
    readonly kind: BackupResourceKind;
    /** Asset classes whose data it holds; the strictest objective among them applies. */
    readonly assetClasses: readonly AssetClass[];
}

/** Everything stateful that AWS Backup protects in the primary stack. */
export const BACKUP_TARGETS: readonly BackupTarget[] = [
    { id: "database", kind: "rds", assetClasses: ["database"] },
    { id: "volumes", kind: "ebs", assetClasses: ["volumes"] },
    { id: "lock-table", kind: "dynamodb", assetClasses: ["state"] },
    { id: "state-bucket", kind: "s3", assetClasses: ["state"] },
    { id: "artifact-bucket", kind: "s3", assetClasses: ["charts", "gitops", "source"] },
    // The EKS cluster by ARN: its state (the Kubernetes objects no Git repository holds) and its
    // volumes again, as one composite recovery point (`restore cluster` restores it).
    { id: "cluster", kind: "eks", assetClasses: ["cluster"] },
];

/** The asset class with the strictest RPO among a target's classes, and the objective that applies. */
export function governingObjective(
    target: BackupTarget,
    objectives: Readonly<Record<AssetClass, RecoveryObjective>>,
): { assetClass: AssetClass; objective: RecoveryObjective } {
    const strictest = [...target.assetClasses].sort(
        (a, b) => objectives[a].rpoMinutes - objectives[b].rpoMinutes,
    )[0];
    return {
        assetClass: strictest,
        objective: {
            rpoMinutes: objectives[strictest].rpoMinutes,
            rtoMinutes: Math.min(...target.assetClasses.map((c) => objectives[c].rtoMinutes)),
        },
    };
}

/** The rules of one backup target under the stack's objectives (throws {@link ImpossibleObjectiveError}). */
export function rulesForTarget(
    target: BackupTarget,
    objectives: Readonly<Record<AssetClass, RecoveryObjective>>,
    retention: BackupRetention,
): BackupRuleSpec[] {
    const { assetClass, objective } = governingObjective(target, objectives);
    return backupRulesFor(assetClass, target.kind, objective, retention);
}

/**
 * The period, in hours, of a schedule {@link backupSchedule} writes (hourly, every N hours,
 * daily); undefined for any other expression, which a policy then cannot vouch for.
 */
export function schedulePeriodHours(schedule: string): number | undefined {
    if (schedule === backupSchedule(1)) {
        return 1;
    }
    if (schedule === backupSchedule(24)) {
        return 24;
    }
    const every = /^cron\(0 0\/(\d+) \? \* \* \*\)$/.exec(schedule);
    return every ? Number(every[1]) : undefined;
}
