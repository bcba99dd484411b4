import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { BACKUP_CAPABILITIES, BackupResourceKind, MIN_SNAPSHOT_PERIOD_MINUTES } from "../lib/backup-rules";
import { stackPolicy } from "./lib/define";
import { Evaluation } from "./lib/evaluation";
import { regionOf } from "./lib/graph";
import { describe, isUnknown, UNKNOWN } from "./lib/values";
import {
    AIR_GAPPED_VAULT,
    copiesOf,
    copyDestination,
    copyRetentionDays,
    describeSchedule,
    plansOf,
    retentionDays,
    ruleContinuous,
    ruleFrequent,
    ruleLabel,
    rulePeriodMinutes,
    ruleRpo,
    rulesOf,
    ruleTargets,
    ruleValue,
    vaultNameOf,
    vaultsOf,
} from "./backup-graph";
import { planKinds } from "./backup-targets";
import { pick, PolicyObjectives } from "./thresholds";

/**
 * The AWS Backup plans: each rule's schedule, retention and copies judged by value against
 * the stack's objectives, for the kinds of resource the plan's selections actually cover.
 */

const DAY_MINUTES = 24 * 60;

/** Runs `judge` on every rule of every plan whose rules are known; notes the plans whose rules are not. */
function eachRule(
    args: StackValidationArgs,
    evaluation: Evaluation,
    judge: (plan: PolicyResource, index: number) => void,
): void {
    for (const plan of plansOf(args)) {
        const rules = rulesOf(plan);
        if (rules === UNKNOWN) {
            evaluation.unknown(plan, "rules");
            continue;
        }
        rules.forEach((_, index) => judge(plan, index));
    }
}

/**
 * The RPO the plan delivers for `kind`: the best of its rules (continuous backup's floor
 * where the kind has it, else the longest time between two runs), or UNKNOWN when an unknown
 * rule could still deliver it.
 */
export function planRpoMinutes(
    plan: PolicyResource,
    kind: BackupResourceKind,
    required: number,
): number | typeof UNKNOWN {
    const rules = rulesOf(plan);
    if (rules === UNKNOWN) {
        return UNKNOWN;
    }
    const rpos = rules.map((_, i) => ruleRpo(plan, i, kind));
    const known = rpos.filter((r): r is number => typeof r === "number");
    const best = known.length > 0 ? Math.min(...known) : Infinity;
    return best > required && rpos.includes(UNKNOWN) ? UNKNOWN : best;
}

/** The message of an RPO a set of rules does not deliver. */
export function rpoMessage(
    kind: BackupResourceKind,
    required: number,
    delivered: number,
    rules: string,
): string {
    const continuous =
        required < MIN_SNAPSHOT_PERIOD_MINUTES
            ? `; under ${MIN_SNAPSHOT_PERIOD_MINUTES} minutes only continuous backup (enableContinuousBackup: true) does, since AWS Backup snapshots at most hourly`
            : "";
    const got = Number.isFinite(delivered)
        ? `${delivered} minutes`
        : "no bounded RPO (a schedule that cannot be evaluated, or none)";
    return `must deliver an RPO of at most ${required} minutes for ${BACKUP_CAPABILITIES[kind].label} (backupRpoMinutes.${kind}, from the objectives)${continuous}; the rules deliver ${got} (${rules}).`;
}

/**
 * Every plan delivers, for each kind of resource its selections cover (an RDS instance, a
 * DynamoDB table, an S3 bucket computed into `resources`, EBS volumes by tag condition), the
 * RPO of that kind (`backupRpoMinutes`): hourly snapshots at best, continuous backup below an
 * hour where AWS Backup has it for the kind; and every rule keeps its recovery points in the
 * home vault at least `backupRetentionDays`. A rule without a schedule runs daily (AWS Backup's
 * default); an expression that cannot be evaluated delivers nothing the pack can vouch for.
 */
export const backupPlanRuleFrequencyAndRetention = stackPolicy<
    Pick<PolicyObjectives, "backupRpoMinutes" | "backupRetentionDays">
>({
    name: "backup-plan-rule-frequency-retention",
    description:
        "Checks whether every AWS Backup plan delivers the RPO of each kind of resource it covers and every rule keeps its recovery points long enough.",
    thresholds: pick("backupRpoMinutes", "backupRetentionDays"),
    validate: (args, evaluation, config) => {
        eachRule(args, evaluation, (plan, i) => {
            const days = retentionDays(plan.props, `rules[${i}].lifecycle.deleteAfter`);
            if (days === UNKNOWN) {
                evaluation.unknown(plan, `rules[${i}].lifecycle.deleteAfter`);
            } else if (days < config.backupRetentionDays) {
                evaluation.violation(
                    plan,
                    `rules[${i}].lifecycle.deleteAfter`,
                    `must be at least ${config.backupRetentionDays} days (backupRetentionDays: how far back the home vault reaches); ${ruleLabel(plan, i)} keeps its points ${days} day${days === 1 ? "" : "s"}.`,
                );
            }
        });
        for (const plan of plansOf(args)) {
            const rules = rulesOf(plan);
            if (rules !== UNKNOWN && rules.length === 0) {
                evaluation.violation(
                    plan,
                    "rules",
                    "must declare at least one rule (a plan without rules backs nothing up); it is [].",
                );
                continue;
            }
            for (const [kind, match] of planKinds(args, plan)) {
                const required = config.backupRpoMinutes[kind];
                const delivered = planRpoMinutes(plan, kind, required);
                if (delivered === UNKNOWN || (delivered > required && match === "unknown")) {
                    evaluation.unknown(plan, "rules");
                } else if (delivered > required && rules !== UNKNOWN) {
                    const described = rules.map((_, i) => describeSchedule(plan, i)).join("; ");
                    evaluation.violation(plan, "rules", rpoMessage(kind, required, delivered, described));
                }
            }
        }
    },
});

/**
 * Every plan keeps a long-term backup: a snapshot rule (continuous points last at most 35
 * days) running at least daily, kept `backupLongTermRetentionDays` in the home vault and as
 * long in another region (lib/backup-rules.ts adds it to every target's rules, whatever the
 * RPO: the frequent backups cover the PITR window, this one the long window).
 */
export const backupPlanLongTermRetention = stackPolicy<Pick<PolicyObjectives, "backupLongTermRetentionDays">>(
    {
        name: "backup-plan-long-term-retention",
        description:
            "Checks whether every AWS Backup plan has a daily snapshot rule kept for the long-term retention, in the home vault and in another region.",
        thresholds: pick("backupLongTermRetentionDays"),
        validate: (args, evaluation, config) => {
            const days = config.backupLongTermRetentionDays;
            for (const plan of plansOf(args)) {
                const rules = rulesOf(plan);
                if (rules === UNKNOWN) {
                    evaluation.unknown(plan, "rules");
                    continue;
                }
                const verdicts = rules.map((_, i): true | string | typeof UNKNOWN => {
                    const continuous = ruleContinuous(plan, i);
                    const period = rulePeriodMinutes(plan, i);
                    const kept = retentionDays(plan.props, `rules[${i}].lifecycle.deleteAfter`);
                    const copies = copiesOf(plan, i);
                    if (
                        continuous === UNKNOWN ||
                        period === UNKNOWN ||
                        kept === UNKNOWN ||
                        copies === UNKNOWN
                    ) {
                        return UNKNOWN;
                    }
                    if (continuous) {
                        return `${ruleLabel(plan, i)} is continuous (kept 35 days at most)`;
                    }
                    if (period === undefined || period > DAY_MINUTES) {
                        return `${ruleLabel(plan, i)} runs less often than daily`;
                    }
                    if (kept < days) {
                        return `${ruleLabel(plan, i)} keeps its points ${kept} days`;
                    }
                    const copied = copies.map((_, c) => {
                        const destination = copyDestination(args, plan, i, c);
                        const copyDays = copyRetentionDays(plan, i, c);
                        if (destination === UNKNOWN || copyDays === UNKNOWN) {
                            return UNKNOWN;
                        }
                        const region = "invalid" in destination ? undefined : destination.region;
                        // The long window is the DR vault's to hold; the air-gapped copy is the last resort.
                        const airGapped =
                            "vault" in destination && destination.vault.type === AIR_GAPPED_VAULT;
                        return (
                            region !== undefined &&
                            region !== regionOf(plan) &&
                            !airGapped &&
                            copyDays >= days
                        );
                    });
                    if (copied.includes(true)) {
                        return true;
                    }
                    return copied.includes(UNKNOWN)
                        ? UNKNOWN
                        : `${ruleLabel(plan, i)} keeps no copy in another region that long`;
                });
                if (verdicts.includes(true)) {
                    continue;
                }
                if (verdicts.includes(UNKNOWN)) {
                    evaluation.unknown(plan, "rules");
                    continue;
                }
                evaluation.violation(
                    plan,
                    "rules",
                    `must include a snapshot rule running at least daily whose points are kept at least ${days} days in the home vault and in a copy in another region (backupLongTermRetentionDays: the long-term backups and their DR copies); none does: ${verdicts.join("; ") || "no rules"}.`,
                );
            }
        },
    },
);

/**
 * Every copy is kept at least `backupCopyRetentionDays`, and a frequent rule's (more often
 * than daily, continuous included) at most `backupMaxFrequentCopyDays`: AWS Backup copies on
 * every run, so an hourly rule kept 35 days would hold 840 copies per resource in the other
 * region, where the daily copies already cover the long window. A copy without a lifecycle
 * keeps its source's.
 */
export const backupPlanRuleCopyRetention = stackPolicy<
    Pick<PolicyObjectives, "backupCopyRetentionDays" | "backupMaxFrequentCopyDays">
>({
    name: "backup-plan-rule-copy-retention",
    description:
        "Checks whether every AWS Backup rule keeps its copies long enough, and a rule that runs more often than daily no longer than the limit for frequent copies.",
    thresholds: pick("backupCopyRetentionDays", "backupMaxFrequentCopyDays"),
    validate: (args, evaluation, config) => {
        eachRule(args, evaluation, (plan, i) => {
            const copies = copiesOf(plan, i);
            if (copies === UNKNOWN) {
                evaluation.unknown(plan, `rules[${i}].copyActions`);
                return;
            }
            const frequent = ruleFrequent(plan, i);
            copies.forEach((_, c) => {
                const property = `rules[${i}].copyActions[${c}].lifecycle.deleteAfter`;
                const days = copyRetentionDays(plan, i, c);
                if (days === UNKNOWN) {
                    evaluation.unknown(plan, property);
                    return;
                }
                const own = ruleValue(plan, i, `copyActions[${c}].lifecycle.deleteAfter`);
                const kept = Number.isFinite(days)
                    ? `${days} day${days === 1 ? "" : "s"}${own === undefined ? " (the rule's own retention: the copy sets none)" : ""}`
                    : "unset (kept until deleted)";
                if (days < config.backupCopyRetentionDays) {
                    evaluation.violation(
                        plan,
                        property,
                        `must be at least ${config.backupCopyRetentionDays} days (backupCopyRetentionDays: how far back the DR vault reaches); ${ruleLabel(plan, i)} keeps its copy ${kept}.`,
                    );
                } else if (frequent === UNKNOWN && days > config.backupMaxFrequentCopyDays) {
                    evaluation.unknown(plan, `rules[${i}].schedule`);
                } else if (frequent === true && days > config.backupMaxFrequentCopyDays) {
                    evaluation.violation(
                        plan,
                        property,
                        `must be at most ${config.backupMaxFrequentCopyDays} days (backupMaxFrequentCopyDays): ${ruleLabel(plan, i)} runs more often than daily and every run is copied; it keeps its copy ${kept}.`,
                    );
                }
            });
        });
    },
});

/** Whether copy `c` of rule `i` goes to another region: true, a reason it does not, or UNKNOWN. */
function copiesElsewhere(
    args: StackValidationArgs,
    plan: PolicyResource,
    i: number,
    c: number,
): true | string | typeof UNKNOWN {
    const destination = copyDestination(args, plan, i, c);
    const home = regionOf(plan);
    if (destination === UNKNOWN || isUnknown(home)) {
        return UNKNOWN;
    }
    if ("invalid" in destination) {
        return `copy ${c} names no backup vault (${describe(destination.invalid)})`;
    }
    if (destination.region === undefined || destination.region === home) {
        return `copy ${c} goes to ${destination.region ?? "an unknown region"}, the plan's own region`;
    }
    if ("vault" in destination && destination.vault.type === AIR_GAPPED_VAULT) {
        // The recovery commands restore from the DR vault; the air-gapped copy is the last resort.
        return `copy ${c} goes to the air-gapped vault, not to the stack's backup vault in ${destination.region}`;
    }
    if ("arn" in destination) {
        const there = vaultsOf(args).filter((v) => regionOf(v) === destination.region);
        if (there.length > 0) {
            return `copy ${c} goes to ${destination.arn}, not to the stack's vault in ${destination.region} (${there.map((v) => vaultNameOf(v) ?? v.name).join(", ")})`;
        }
    }
    return true;
}

/**
 * Every rule copies its recovery points to a vault in another region: the stack's vault
 * there (linked by `destinationVaultArn`, or through the `rules` input's propertyDependencies
 * in a preview, its region from its provider), or, in a stack that declares no vault in that
 * region (the dr stack copying home), the vault the ARN names.
 */
export const backupPlanRuleCrossRegionCopy = stackPolicy({
    name: "backup-plan-rule-cross-region-copy",
    description:
        "Checks whether every AWS Backup rule copies its recovery points to a vault in another region.",
    validate: (args, evaluation) => {
        eachRule(args, evaluation, (plan, i) => {
            const copies = copiesOf(plan, i);
            if (copies === UNKNOWN) {
                evaluation.unknown(plan, `rules[${i}].copyActions`);
                return;
            }
            const verdicts = copies.map((_, c) => copiesElsewhere(args, plan, i, c));
            if (verdicts.includes(true)) {
                return;
            }
            if (verdicts.includes(UNKNOWN)) {
                evaluation.unknown(plan, `rules[${i}].copyActions`);
                return;
            }
            evaluation.violation(
                plan,
                `rules[${i}].copyActions`,
                `must copy ${ruleLabel(plan, i)}'s recovery points to a backup vault in a region other than ${String(regionOf(plan) ?? "the plan's")} (a region's loss must not take the backups with it); ${verdicts.join("; ") || "it has no copy action"}.`,
            );
        });
    },
});

/**
 * Every rule backs up into a vault of this stack in the plan's region, the vault whose key,
 * lock, access policy and notifications the vault policies judge. A dr stack declares no
 * vault: its plans write to the DR vault the primary stack declared (and judges), which
 * carries the name of the home vault its copies go to (components/backup.ts names both
 * vaults alike). A rule must not divert its backups to a logically air-gapped vault instead,
 * which no policy of the pack judges.
 */
export const backupPlanRuleTargetVault = stackPolicy<Pick<PolicyObjectives, "stackRole">>({
    name: "backup-plan-rule-target-vault",
    description:
        "Checks whether every AWS Backup rule backs up into a vault of this stack that the pack judges.",
    thresholds: pick("stackRole"),
    validate: (args, evaluation, config) => {
        eachRule(args, evaluation, (plan, i) => {
            evaluation.check(plan, `rules[${i}].targetLogicallyAirGappedBackupVaultArn`, (value) =>
                value === undefined || value === null || value === ""
                    ? undefined
                    : `must be unset (the backups would go to a logically air-gapped vault no policy of the pack judges); it is ${describe(value)}.`,
            );
            const here = vaultsOf(args).filter(
                (v) => !isUnknown(regionOf(v)) && regionOf(v) === regionOf(plan),
            );
            const target = ruleValue(plan, i, "targetVaultName");
            if (here.some((vault) => ruleTargets(plan, i, vault))) {
                return;
            }
            if (isUnknown(target)) {
                evaluation.unknown(plan, `rules[${i}].targetVaultName`);
                return;
            }
            if (here.length === 0 && config.stackRole === "dr") {
                const copies = copiesOf(plan, i);
                const names = (copies === UNKNOWN ? [] : copies).map((_, c) =>
                    copyDestination(args, plan, i, c),
                );
                if (names.some((d) => d === UNKNOWN)) {
                    evaluation.unknown(plan, `rules[${i}].copyActions`);
                    return;
                }
                const homeNames = names.flatMap((d) => (d !== UNKNOWN && "name" in d ? [d.name] : []));
                if (homeNames.includes(String(target))) {
                    return;
                }
                evaluation.violation(
                    plan,
                    `rules[${i}].targetVaultName`,
                    `must name the DR vault the primary stack declares, named as the home vault the rule copies to (${homeNames.join(", ") || "none"}); it is ${describe(target)}.`,
                );
                return;
            }
            evaluation.violation(
                plan,
                `rules[${i}].targetVaultName`,
                `must name a backup vault of this stack in ${String(regionOf(plan) ?? "the plan's region")} (${here.map((v) => vaultNameOf(v) ?? v.name).join(", ") || "it declares none"}), whose key, lock and access policy the pack judges; it is ${describe(target)}.`,
            );
        });
    },
});
