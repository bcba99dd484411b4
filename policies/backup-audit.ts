import { BACKUP_CAPABILITIES, BackupResourceKind, MIN_SNAPSHOT_PERIOD_MINUTES } from "../lib/backup-rules";
import { stackPolicy } from "./lib/define";
import { regionOf, resourcesOfType } from "./lib/graph";
import { describe, isUnknown, listAt, UNKNOWN, valueAt } from "./lib/values";
import { differentRegions, plansOf, vaultsOf } from "./backup-graph";
import { protectables } from "./backup-targets";
import { pick, PolicyObjectives } from "./thresholds";

/**
 * The Backup Audit Manager framework of the primary stack (the README's "assurance" row: "the
 * nine controls (frequency, retention, encryption, manual deletion disabled, cross-region,
 * Vault Lock, last recovery point, restore time)"), each control present with parameters no
 * weaker than the stack's objectives. Parameter names and defaults are AWS Config's, whose
 * managed rules the controls run as (e.g. backup-plan-min-frequency-and-min-retention-check:
 * requiredFrequencyValue default 1, requiredFrequencyUnit default days, requiredRetentionDays
 * default 35; backup-recovery-point-minimum-retention-check: requiredRetentionDays default 35;
 * the *-last-backup-recovery-point-created rules: recoveryPointAgeValue default 1, unit days).
 */

/** A Backup Audit Manager framework. */
export const BACKUP_FRAMEWORK = "aws:backup/framework:Framework";

/**
 * AWS Backup resource types as a control scope names them (`ComplianceResourceTypes`). EKS is
 * left out: "EKS" is an AWS Backup resource type (GetSupportedResourceTypes,
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/API_GetSupportedResourceTypes.html), but
 * no source found says the AWS Config rules the controls run as evaluate EKS clusters, so the
 * framework's scopes (components/backup-assurance-controls.ts) do not name it and this policy
 * does not require it; the cluster's coverage and DR copy are judged by backup-coverage.ts and
 * backup-plans.ts instead.
 */
const SCOPE_TYPES: Readonly<Partial<Record<BackupResourceKind, string>>> = {
    rds: "RDS",
    ebs: "EBS",
    dynamodb: "DynamoDB",
    s3: "S3",
};

/** A control's parameter as a number; `fallback` (AWS Config's default) when absent. */
function parameter(control: unknown, name: string, fallback: number | string): unknown {
    const entries = listAt(control, "inputParameters");
    if (entries === UNKNOWN) {
        return UNKNOWN;
    }
    const entry = entries.find((e) => valueAt(e, "name") === name);
    return entry === undefined ? fallback : valueAt(entry, "value");
}

/** A frequency or age given as a value and a unit (`hours` or `days`), in minutes. */
function minutesOf(value: unknown, unit: unknown): number | typeof UNKNOWN | undefined {
    if (isUnknown(value) || isUnknown(unit)) {
        return UNKNOWN;
    }
    const per = unit === "hours" ? 60 : unit === "days" ? 24 * 60 : undefined;
    return per === undefined || !Number.isFinite(Number(value)) ? undefined : Number(value) * per;
}

type ControlJudge = (control: unknown, t: FrameworkThresholds) => string | undefined | typeof UNKNOWN;
type FrameworkThresholds = Pick<
    PolicyObjectives,
    "backupRpoMinutes" | "backupRetentionDays" | "vaultLockMinRetentionDays"
> & {
    readonly crossRegions: readonly string[];
    readonly kinds: readonly BackupResourceKind[];
};

/** `at most` / `at least` judges of a numeric parameter. */
function bound(
    got: number | typeof UNKNOWN | undefined,
    limit: number,
    atMost: boolean,
    what: string,
    shown: unknown,
): string | undefined | typeof UNKNOWN {
    if (got === UNKNOWN) {
        return UNKNOWN;
    }
    if (got !== undefined && (atMost ? got <= limit : got >= limit)) {
        return undefined;
    }
    return `${what} must be ${atMost ? "at most" : "at least"} ${limit}; it is ${describe(shown)}`;
}

/** The bound on the plans' frequency the controls check: the strictest RPO, but never under the hourly snapshot AWS Backup allows. */
const frequencyBound = (t: FrameworkThresholds) =>
    Math.max(MIN_SNAPSHOT_PERIOD_MINUTES, Math.min(...t.kinds.map((k) => t.backupRpoMinutes[k])));

/** The nine controls the README lists, each with the judge of its parameters (AWS Config defaults when absent). */
export const FRAMEWORK_CONTROLS: Readonly<
    Record<string, { readonly scoped: boolean; readonly judge?: ControlJudge }>
> = {
    BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK: {
        scoped: false,
        judge: (c, t) => {
            const frequency = minutesOf(
                parameter(c, "requiredFrequencyValue", 1),
                parameter(c, "requiredFrequencyUnit", "days"),
            );
            const retention = parameter(c, "requiredRetentionDays", 35);
            const f = bound(
                frequency,
                frequencyBound(t),
                true,
                "the required frequency (minutes)",
                frequency,
            );
            const r = bound(
                isUnknown(retention) ? UNKNOWN : Number(retention),
                t.backupRetentionDays,
                false,
                "requiredRetentionDays",
                retention,
            );
            return f === UNKNOWN || r === UNKNOWN ? UNKNOWN : [f, r].filter(Boolean).join("; ") || undefined;
        },
    },
    BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED: { scoped: false },
    BACKUP_RECOVERY_POINT_ENCRYPTED: { scoped: false },
    BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK: {
        scoped: false,
        judge: (c, t) => {
            const retention = parameter(c, "requiredRetentionDays", 35);
            return bound(
                isUnknown(retention) ? UNKNOWN : Number(retention),
                t.backupRetentionDays,
                false,
                "requiredRetentionDays",
                retention,
            );
        },
    },
    BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN: { scoped: true },
    BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION: {
        scoped: true,
        judge: (c, t) => {
            const list = parameter(c, "crossRegionList", "");
            if (isUnknown(list)) {
                return UNKNOWN;
            }
            const regions = String(list)
                .split(",")
                .map((r) => r.trim());
            return t.crossRegions.some((r) => regions.includes(r))
                ? undefined
                : `crossRegionList must include the region of the stack's copy vault (${t.crossRegions.join(", ") || "none"}); it is ${describe(list)}`;
        },
    },
    BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK: {
        scoped: true,
        judge: (c, t) => {
            const min = parameter(c, "minRetentionDays", 0);
            return bound(
                isUnknown(min) ? UNKNOWN : Number(min),
                t.vaultLockMinRetentionDays,
                false,
                "minRetentionDays",
                min,
            );
        },
    },
    BACKUP_LAST_RECOVERY_POINT_CREATED: {
        scoped: true,
        judge: (c, t) => {
            const age = minutesOf(
                parameter(c, "recoveryPointAgeValue", 1),
                parameter(c, "recoveryPointAgeUnit", "days"),
            );
            return bound(
                age,
                2 * frequencyBound(t),
                true,
                "the recovery point age (minutes: two backup periods)",
                age,
            );
        },
    },
    RESTORE_TIME_FOR_RESOURCES_MEET_TARGET: { scoped: true },
};

/** Why a resource-scoped control's scope leaves out a kind the stack backs up, or narrows it to some resources. */
function scopeProblem(
    control: unknown,
    kinds: readonly BackupResourceKind[],
): string | undefined | typeof UNKNOWN {
    const scope = valueAt(control, "scope");
    if (isUnknown(scope)) {
        return UNKNOWN;
    }
    if (scope === undefined || scope === null) {
        return undefined;
    }
    const types = listAt(scope, "complianceResourceTypes");
    const ids = listAt(scope, "complianceResourceIds");
    const tags = valueAt(scope, "tags");
    if (types === UNKNOWN || ids === UNKNOWN || isUnknown(tags)) {
        return UNKNOWN;
    }
    const missing =
        types.length === 0
            ? []
            : kinds
                  .map((k) => SCOPE_TYPES[k])
                  .filter((t): t is string => t !== undefined && !types.includes(t));
    const narrowed = ids.length > 0 || (tags !== undefined && tags !== null && Object.keys(tags).length > 0);
    if (missing.length === 0 && !narrowed) {
        return undefined;
    }
    return `scope must cover every ${kinds.map((k) => BACKUP_CAPABILITIES[k].label).join(", ")} resource (${missing.length > 0 ? `it leaves out ${missing.join(", ")}` : "not only some ids or tags"})`;
}

/**
 * On the primary stack, the Backup Audit Manager framework in the plans' region includes
 * each control the README lists, with parameters no weaker than the stack's objectives
 * (frequency of the strictest RPO at hourly granularity, retention `backupRetentionDays`, Vault
 * Lock minimum `vaultLockMinRetentionDays`, the copy vault's region, a recovery point at most
 * two periods old) and scopes covering every kind the stack backs up.
 */
export const backupAuditFrameworkControls = stackPolicy<
    Pick<
        PolicyObjectives,
        "backupRpoMinutes" | "backupRetentionDays" | "vaultLockMinRetentionDays" | "stackRole"
    >
>({
    name: "backup-audit-framework-controls",
    description:
        "Checks whether the Backup Audit Manager framework includes each control the README lists, with the stack's thresholds.",
    thresholds: pick("backupRpoMinutes", "backupRetentionDays", "vaultLockMinRetentionDays", "stackRole"),
    validate: (args, evaluation, config) => {
        const plans = plansOf(args);
        if (config.stackRole !== "primary" || plans.length === 0) {
            return;
        }
        // The home region: where most plans are (the primary stack's, its DR vault aside).
        const regions = plans.map((p) => String(regionOf(p)));
        const homeRegion = [...regions].sort(
            (a, b) => regions.filter((r) => r === b).length - regions.filter((r) => r === a).length,
        )[0];
        const home = plans.find((p) => String(regionOf(p)) === homeRegion) ?? plans[0];
        const frameworks = resourcesOfType(args, BACKUP_FRAMEWORK).filter((f) => !differentRegions(f, home));
        if (frameworks.length === 0) {
            evaluation.violation(
                home,
                BACKUP_FRAMEWORK,
                `must be audited by a Backup Audit Manager framework in ${String(regionOf(home) ?? "the plans' region")} with the controls ${Object.keys(FRAMEWORK_CONTROLS).join(", ")}; there is none.`,
            );
            return;
        }
        const kinds = [...new Set(protectables(args).map((t) => t.kind))];
        const crossRegions = vaultsOf(args)
            .map((v) => regionOf(v))
            .filter((r): r is string => typeof r === "string" && r !== regionOf(home));
        const t: FrameworkThresholds = { ...config, kinds, crossRegions };
        const controls = frameworks.flatMap((framework) => {
            const list = listAt(framework.props, "controls");
            if (list === UNKNOWN) {
                evaluation.unknown(framework, "controls");
                return [];
            }
            return list.map((control, i) => ({ framework, control, path: `controls[${i}]` }));
        });
        for (const [name, spec] of Object.entries(FRAMEWORK_CONTROLS)) {
            const found = controls.filter((c) => valueAt(c.control, "name") === name);
            if (found.length === 0) {
                if (!controls.some((c) => isUnknown(valueAt(c.control, "name")))) {
                    evaluation.violation(
                        frameworks[0],
                        "controls",
                        `must include ${name} (the README's audit controls); it does not.`,
                    );
                }
                continue;
            }
            const verdicts = found.map((c) => {
                const problems = [
                    spec.judge?.(c.control, t),
                    spec.scoped ? scopeProblem(c.control, kinds) : undefined,
                ];
                return {
                    ...c,
                    problems: problems.includes(UNKNOWN) ? UNKNOWN : problems.filter(Boolean).join("; "),
                };
            });
            if (verdicts.some((v) => v.problems === "")) {
                continue;
            }
            const judged = verdicts.find((v) => v.problems !== UNKNOWN);
            if (judged === undefined) {
                evaluation.unknown(found[0].framework, found[0].path);
            } else {
                evaluation.violation(judged.framework, judged.path, `${name}: ${String(judged.problems)}.`);
            }
        }
    },
});
