import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { BackupResourceKind } from "../lib/backup-rules";
import { stackPolicy } from "./lib/define";
import { Evaluation } from "./lib/evaluation";
import { parseArn, referencedBy, regionOf, resourcesOfType } from "./lib/graph";
import { describe, isUnknown, listAt, UNKNOWN, valueAt } from "./lib/values";
import { BACKUP_VAULT, differentRegions, vaultNameOf, vaultsOf } from "./backup-graph";
import { scheduleMaxGapMinutes } from "./backup-schedule";
import { arnPatternMatch, Protectable } from "./backup-selection";
import { protectables } from "./backup-targets";
import { isCrossRegionReplica } from "./rds";
import { pick, PolicyObjectives } from "./thresholds";

/**
 * Restore testing on the primary stack (the README's "assurance" row): weekly restore tests
 * of the newest database and volume recovery points, judged by value. The dr stack declares
 * none (the assurance is the primary's; the audit framework is in backup-audit.ts).
 */

/** A restore testing plan. */
export const RESTORE_TESTING_PLAN = "aws:backup/restoreTestingPlan:RestoreTestingPlan";
/** A restore testing selection. */
export const RESTORE_TESTING_SELECTION = "aws:backup/restoreTestingSelection:RestoreTestingSelection";

/** The longest time between two restore tests the README promises ("weekly restore tests"), minutes. */
export const RESTORE_TEST_MAX_INTERVAL_MINUTES = 7 * 24 * 60;

/** The kinds whose restores are tested, with their `protectedResourceType` (RestoreTestingSelection). */
const TESTED: Readonly<Partial<Record<BackupResourceKind, string>>> = { rds: "RDS", ebs: "EBS" };

/** Whether the restore testing selection `selection` tests `target`: type, ARNs (computed from it, or a matching pattern) and tag conditions. */
function tests(selection: PolicyResource, target: Protectable): boolean | typeof UNKNOWN {
    const type = valueAt(selection.props, "protectedResourceType");
    const arns = listAt(selection.props, "protectedResourceArns");
    if (isUnknown(type) || arns === UNKNOWN) {
        return UNKNOWN;
    }
    if (type !== TESTED[target.kind]) {
        return false;
    }
    const fromTarget = referencedBy(selection, "protectedResourceArns").some(
        (d) => d.urn === target.resource.urn,
    );
    const byPattern = arns.some(
        (arn) => typeof arn === "string" && !isUnknown(arn) && arnPatternMatch(arn, target.arn) === "yes",
    );
    if (!fromTarget && !byPattern) {
        return false;
    }
    let result: boolean | typeof UNKNOWN = true;
    for (const [operator, negated] of [
        ["stringEquals", false],
        ["stringNotEquals", true],
    ] as const) {
        const entries = listAt(selection.props, `protectedResourceConditions.${operator}`);
        for (const entry of entries === UNKNOWN ? [UNKNOWN] : entries) {
            const key = valueAt(entry, "key");
            const value = valueAt(entry, "value");
            if (target.tags === UNKNOWN || isUnknown(entry) || isUnknown(key) || isUnknown(value)) {
                result = UNKNOWN;
                continue;
            }
            const tag = String(key).startsWith("aws:ResourceTag/")
                ? target.tags[String(key).slice(16)]
                : undefined;
            if ((tag === value) === negated) {
                return false;
            }
        }
    }
    return result;
}

/** The restore testing plan a selection belongs to: its `restoreTestingPlanName`, by value or computed from the plan. */
function testingPlanOf(args: StackValidationArgs, selection: PolicyResource): PolicyResource | undefined {
    const name = valueAt(selection.props, "restoreTestingPlanName");
    return resourcesOfType(args, RESTORE_TESTING_PLAN).find((plan) => {
        if (differentRegions(plan, selection)) {
            return false;
        }
        const planName = valueAt(plan.props, "name");
        if (typeof name === "string" && typeof planName === "string") {
            return name === planName;
        }
        return referencedBy(selection, "restoreTestingPlanName").some((d) => d.urn === plan.urn);
    });
}

/** Judges a restore testing plan: at least weekly, the newest recovery point, from a vault of this stack. */
function judgeTestingPlan(args: StackValidationArgs, evaluation: Evaluation, plan: PolicyResource): void {
    const timezone = valueAt(plan.props, "scheduleExpressionTimezone");
    evaluation.check(plan, "scheduleExpression", (schedule) => {
        if (isUnknown(timezone)) {
            evaluation.unknown(plan, "scheduleExpressionTimezone");
            return undefined;
        }
        const gap =
            typeof schedule === "string"
                ? scheduleMaxGapMinutes(schedule, typeof timezone === "string" ? timezone : undefined)
                : undefined;
        return gap !== undefined && gap <= RESTORE_TEST_MAX_INTERVAL_MINUTES
            ? undefined
            : `must run at least weekly (the README's weekly restore tests: at most ${RESTORE_TEST_MAX_INTERVAL_MINUTES / 60} hours between two); it is ${describe(schedule)}${gap !== undefined ? `, up to ${gap / 60} hours apart` : ", which cannot be evaluated"}.`;
    });
    evaluation.check(plan, "recoveryPointSelection.algorithm", (algorithm) =>
        algorithm === "LATEST_WITHIN_WINDOW"
            ? undefined
            : `must be "LATEST_WITHIN_WINDOW" (the newest recovery point is the one a recovery would use; RANDOM_WITHIN_WINDOW tests an older one); it is ${describe(algorithm)}.`,
    );
    const vaults = listAt(plan.props, "recoveryPointSelection.includeVaults");
    if (vaults === UNKNOWN || vaults.some(isUnknown)) {
        if (!referencedBy(plan, "recoveryPointSelection").some((d) => d.type === BACKUP_VAULT)) {
            evaluation.unknown(plan, "recoveryPointSelection.includeVaults");
        }
        return;
    }
    const ours = vaults.some((v) => {
        const arn = parseArn(v);
        return (
            v === "*" ||
            (arn !== undefined &&
                vaultsOf(args).some(
                    (vault) =>
                        regionOf(vault) === arn.region &&
                        `backup-vault:${vaultNameOf(vault)}` === arn.resource,
                ))
        );
    });
    if (!ours) {
        evaluation.violation(
            plan,
            "recoveryPointSelection.includeVaults",
            `must include the vault the backups are in (a backup vault of this stack, or "*"), so the tests restore the recovery points a recovery would use; it is ${describe(vaults)}.`,
        );
    }
}

/**
 * On the primary stack, every RDS instance (but a cross-Region replica, which is a copy) and
 * every StorageClass's EBS volumes are restored by a restore test at least weekly: a RestoreTestingSelection of their type naming them (ARNs
 * computed from the database, or a pattern with tag conditions the volumes satisfy), in a
 * RestoreTestingPlan that runs at least weekly, picks the newest recovery point, and reads a
 * vault of this stack.
 */
export const backupRestoreTestingWeekly = stackPolicy<Pick<PolicyObjectives, "stackRole">>({
    name: "backup-restore-testing-weekly",
    description:
        "Checks whether the restores of every database and volume recovery point are tested at least weekly.",
    thresholds: pick("stackRole"),
    validate: (args, evaluation, config) => {
        if (config.stackRole !== "primary") {
            return;
        }
        const selections = resourcesOfType(args, RESTORE_TESTING_SELECTION);
        const judged = new Set<string>();
        // A cross-Region replica (the failback replica of the DR database) is a copy, not backed
        // up here (backup-coverage.ts): its source's recovery points are what a restore test restores.
        const targets = protectables(args).filter(
            (t) => TESTED[t.kind] !== undefined && !(t.kind === "rds" && isCrossRegionReplica(t.resource)),
        );
        for (const target of targets) {
            const candidates = selections
                .map((selection) => ({
                    selection,
                    plan: testingPlanOf(args, selection),
                    match: tests(selection, target),
                }))
                .filter((c) => c.plan !== undefined && c.match !== false);
            if (candidates.length === 0) {
                evaluation.violation(
                    target.resource,
                    RESTORE_TESTING_SELECTION,
                    `must be declared for this ${target.kind === "ebs" ? "StorageClass's volumes" : "database"}: a RestoreTestingSelection of type ${TESTED[target.kind]} whose protectedResourceArns ${target.kind === "ebs" ? 'are "*" with protectedResourceConditions its tags satisfy' : "are computed from it"}, in a RestoreTestingPlan of this stack; there is none.`,
                );
                continue;
            }
            if (candidates.every((c) => c.match === UNKNOWN)) {
                evaluation.unknown(target.resource, RESTORE_TESTING_SELECTION);
            }
            for (const { plan } of candidates) {
                if (!judged.has(plan!.urn)) {
                    judged.add(plan!.urn);
                    judgeTestingPlan(args, evaluation, plan!);
                }
            }
        }
    },
});
