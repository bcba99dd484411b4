import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { stackPolicy } from "./lib/define";
import { referencedBy, regionOf, resourcesOfType } from "./lib/graph";
import { describe, isUnknown, UNKNOWN, valueAt } from "./lib/values";
import {
    AIR_GAPPED_VAULT,
    copiesOf,
    copyDestination,
    plansOf,
    retentionsInto,
    ruleFrequent,
    ruleLabel,
    rulesOf,
    ruleValue,
} from "./backup-graph";
import { pick, PolicyObjectives } from "./thresholds";

/**
 * The logically air-gapped vault: the copies a compromised account's administrators can
 * neither delete nor shorten (lib/backup-copies.ts). Its lock is built in, so what the pack
 * judges is that its bounds admit the copies sent to it and refuse shorter ones, and that
 * every daily (long-term) rule sends one there.
 */

/**
 * Shortest minimum retention AWS Backup accepts on an air-gapped vault: "The minimum value
 * accepted is 7 days" (CreateLogicallyAirGappedBackupVault, MinRetentionDays).
 */
export const AIR_GAPPED_MIN_RETENTION_DAYS = 7;

/** The air-gapped vaults of the stack. */
export function airGappedVaultsOf(args: StackValidationArgs): PolicyResource[] {
    return resourcesOfType(args, AIR_GAPPED_VAULT);
}

/**
 * Each air-gapped vault's retention bounds: the minimum at least the Vault Lock minimum of the
 * stack (and AWS's 7 days), the maximum at least every retention copied into it (a copy
 * outside the bounds is refused, so the copy would silently not exist).
 */
export const backupAirGappedVaultBounds = stackPolicy<Pick<PolicyObjectives, "vaultLockMinRetentionDays">>({
    name: "backup-air-gapped-vault-bounds",
    description:
        "Checks whether every logically air-gapped vault's retention bounds refuse short retention and admit the copies sent to it.",
    thresholds: pick("vaultLockMinRetentionDays"),
    validate: (args, evaluation, config) => {
        const floor = Math.max(AIR_GAPPED_MIN_RETENTION_DAYS, config.vaultLockMinRetentionDays);
        for (const vault of airGappedVaultsOf(args)) {
            evaluation.check(vault, "minRetentionDays", (value) =>
                typeof value === "number" && value >= floor
                    ? undefined
                    : `must be at least ${floor} days (the Vault Lock minimum, and AWS's 7), so no copy in the air-gapped vault can be made to expire early; it is ${describe(value)}.`,
            );
            const max = valueAt(vault.props, "maxRetentionDays");
            if (isUnknown(max)) {
                evaluation.unknown(vault, "maxRetentionDays");
                continue;
            }
            for (const retention of retentionsInto(args, vault)) {
                if (retention.days === UNKNOWN) {
                    evaluation.unknown(vault, "maxRetentionDays");
                } else if (typeof max !== "number" || retention.days > max) {
                    evaluation.violation(
                        vault,
                        "maxRetentionDays",
                        `must admit the ${retention.days}-day retention of ${retention.what} (AWS Backup refuses a copy outside the vault's bounds); it is ${describe(max)}.`,
                    );
                }
            }
        }
    },
});

/**
 * Whether copy `c` of rule `i` lands in an air-gapped vault: one this stack declares, or, in
 * a stack that declares none (the dr stack, whose plans copy into the primary stack's), a
 * vault in the plan's own region and account other than the one the rule backs up into.
 */
function copiesAirGapped(args: StackValidationArgs, plan: PolicyResource, i: number, c: number) {
    if (isUnknown(ruleValue(plan, i, `copyActions[${c}].destinationVaultArn`))) {
        // A preview knows no ARN: the `rules` input's propertyDependencies tell whether the
        // plan copies into an air-gapped vault at all, though not which rule (pulumi up
        // judges again with the ARNs known).
        return referencedBy(plan, "rules").some((d) => d.type === AIR_GAPPED_VAULT) ? true : UNKNOWN;
    }
    const destination = copyDestination(args, plan, i, c);
    if (destination === UNKNOWN) {
        return UNKNOWN;
    }
    if ("vault" in destination) {
        return destination.vault.type === AIR_GAPPED_VAULT;
    }
    if ("invalid" in destination || airGappedVaultsOf(args).length > 0) {
        return false;
    }
    const target = ruleValue(plan, i, "targetVaultName");
    return isUnknown(target) || isUnknown(regionOf(plan))
        ? UNKNOWN
        : destination.region === regionOf(plan) && destination.name !== target;
}

/** Every daily (long-term) rule copies each run into an air-gapped vault. */
export const backupPlanRuleAirGappedCopy = stackPolicy({
    name: "backup-plan-rule-air-gapped-copy",
    description:
        "Checks whether every daily AWS Backup rule copies its recovery points into a logically air-gapped vault.",
    validate: (args, evaluation) => {
        for (const plan of plansOf(args)) {
            const rules = rulesOf(plan);
            if (rules === UNKNOWN) {
                evaluation.unknown(plan, "rules");
                continue;
            }
            rules.forEach((_, i) => {
                const frequent = ruleFrequent(plan, i);
                const copies = copiesOf(plan, i);
                if (frequent === true) {
                    return;
                }
                if (frequent === UNKNOWN || copies === UNKNOWN) {
                    evaluation.unknown(plan, `rules[${i}].copyActions`);
                    return;
                }
                const verdicts = copies.map((__, c) => copiesAirGapped(args, plan, i, c));
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
                    `must copy ${ruleLabel(plan, i)}'s recovery points into a logically air-gapped vault (the daily record must outlive the account's administrators); none of its ${copies.length} copies does.`,
                );
            });
        }
    },
});
