import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { BACKUP_TAG } from "../lib/tags";
import { stackPolicy } from "./lib/define";
import { resourcesOfType } from "./lib/graph";
import { UNKNOWN, valueAt } from "./lib/values";
import { describeSchedule, rulesOf } from "./backup-graph";
import { planRpoMinutes, rpoMessage } from "./backup-plans";
import {
    BACKUP_PLAN,
    BACKUP_SELECTION,
    Match,
    planOf,
    Protectable,
    selects,
    whyNotSelected,
} from "./backup-selection";
import { protectables } from "./backup-targets";
import { isCrossRegionReplica } from "./rds";
import { pick, PolicyObjectives } from "./thresholds";

/**
 * Coverage: everything stateful in the stack is in an AWS Backup plan, and the database's
 * RPO is what the plans covering it deliver. The plans' own settings are judged by
 * backup-plans.ts for every kind their selections cover, so a store moved into a weaker plan
 * makes that plan fail.
 */

/**
 * Whether `target` is itself a copy, exempt from backup: a read replica of another database
 * (`replicateSourceDb`) in a dr stack, whose source is backed up at home; on either stack, a
 * cross-Region replica (policies/rds.ts isCrossRegionReplica: on primary, the failback replica of
 * the DR database, which the activated dr stack backs up in the DR vault); or any store of a
 * drill's own stack (`disposableStack`), a restored copy of primary's backups that the drill
 * destroys once verified. Replica buckets are left out by {@link protectables}. On primary every
 * other database, a replica in its own source's region among them, is a backup target.
 */
function isCopy(
    target: Protectable,
    { stackRole, disposableStack }: Pick<PolicyObjectives, "stackRole" | "disposableStack">,
): boolean {
    if (disposableStack) {
        return true;
    }
    if (target.kind !== "rds") {
        return false;
    }
    if (isCrossRegionReplica(target.resource)) {
        return true;
    }
    const source = valueAt(target.resource.props, "replicateSourceDb");
    return stackRole === "dr" && typeof source === "string" && source.length > 0;
}

/** The selections of the stack that select `target` and belong to a plan of the stack, with how sure that is. */
export function coveringSelections(
    args: StackValidationArgs,
    target: Protectable,
): { selection: PolicyResource; match: Match }[] {
    return resourcesOfType(args, BACKUP_SELECTION)
        .filter((selection) => planOf(selection) !== undefined)
        .map((selection) => ({ selection, match: selects(selection, target) }))
        .filter(({ match }) => match === "yes" || match === "unknown");
}

function what(target: Protectable): string {
    if (target.kind === "ebs") {
        const tags = target.tags === UNKNOWN ? "its tags" : JSON.stringify(target.tags);
        return `the EBS volumes this StorageClass provisions (tagged ${tags}) must be selected by an AWS Backup selection of a plan of this stack: \`resources\` matching EBS volumes (arn:aws:ec2:*:*:volume/*) and tag conditions those tags satisfy (StringEquals aws:ResourceTag/${BACKUP_TAG.key} = ${BACKUP_TAG.value})`;
    }
    return `this ${target.resource.type.split(":").pop()} must be selected by an AWS Backup selection of a plan of this stack: its \`resources\` computed from this resource (not only ordered after it with dependsOn), in its region, with tag conditions it satisfies and no notResources excluding it`;
}

/**
 * Every store of the stack (RDS instances, DynamoDB tables, S3 buckets other than replicas,
 * which are the copies) and the EBS volumes of every StorageClass that provisions them are
 * selected by a selection of a plan of this stack, by the selection's meaning: `resources`
 * computed from the store or an ARN pattern matching it, the tag conditions, `notResources`,
 * the region (see backup-selection.ts).
 */
export const backupStatefulResourcesCovered = stackPolicy<
    Pick<PolicyObjectives, "stackRole" | "disposableStack">
>({
    name: "backup-stateful-resources-covered",
    description: "Checks whether every stateful resource is covered by an AWS Backup selection.",
    thresholds: pick("stackRole", "disposableStack"),
    validate: (args, evaluation, config) => {
        const selections = resourcesOfType(args, BACKUP_SELECTION);
        for (const target of protectables(args)) {
            if (isCopy(target, config)) {
                continue;
            }
            const covering = coveringSelections(args, target);
            if (covering.some(({ match }) => match === "yes")) {
                continue;
            }
            if (covering.length > 0) {
                evaluation.unknown(target.resource, BACKUP_SELECTION);
                continue;
            }
            const reasons = selections.map((s) => whyNotSelected(s, target)).filter((r) => r !== undefined);
            evaluation.violation(
                target.resource,
                BACKUP_SELECTION,
                `${what(target)}; ${reasons.length > 0 ? reasons.join("; ") : "no selection selects it"}.`,
            );
        }
    },
});

/**
 * The database RPO (`backupRpoMinutes.rds`, from the database objective) is delivered by the
 * AWS Backup rules covering each RDS instance: the best plan among those whose selections
 * select it, continuous backup where the RPO is under an hour. This is the tie between the
 * objective and the backups the issue asks for, on the database itself: a database moved
 * into a weaker plan, or a plan whose continuous backup is turned off, fails here on the
 * instance (and on the plan, by backup-plan-rule-frequency-retention). A read replica of a dr
 * stack, or a cross-Region replica on either, is the copy and is exempt, as from coverage.
 */
export const backupDatabaseRpoDelivered = stackPolicy<
    Pick<PolicyObjectives, "backupRpoMinutes" | "stackRole" | "disposableStack">
>({
    name: "backup-database-rpo-delivered",
    description: "Checks whether the AWS Backup rules covering each RDS database deliver the database RPO.",
    thresholds: pick("backupRpoMinutes", "stackRole", "disposableStack"),
    validate: (args, evaluation, config) => {
        const required = config.backupRpoMinutes.rds;
        for (const target of protectables(args).filter((t) => t.kind === "rds")) {
            if (isCopy(target, config)) {
                continue;
            }
            const covering = coveringSelections(args, target);
            const plans = [
                ...new Map(
                    covering.map(({ selection }) => [planOf(selection)!.urn, planOf(selection)!]),
                ).values(),
            ];
            const delivered = plans.map((plan) => planRpoMinutes(plan, "rds", required));
            const known = delivered.filter((d): d is number => d !== UNKNOWN);
            const best = known.length > 0 ? Math.min(...known) : Infinity;
            if (
                best <= required &&
                covering.some(
                    (c) => c.match === "yes" && plans.some((p) => p.urn === planOf(c.selection)?.urn),
                )
            ) {
                continue;
            }
            if (delivered.includes(UNKNOWN) || covering.some((c) => c.match === "unknown")) {
                evaluation.unknown(target.resource, BACKUP_PLAN);
                continue;
            }
            const rules = plans
                .flatMap((plan) => {
                    const list = rulesOf(plan);
                    return list === UNKNOWN
                        ? []
                        : list.map((_, i) => `${plan.name} ${describeSchedule(plan, i)}`);
                })
                .join("; ");
            evaluation.violation(
                target.resource,
                BACKUP_PLAN,
                plans.length === 0
                    ? `must be covered by an AWS Backup plan delivering an RPO of at most ${required} minutes (backupRpoMinutes.rds); no plan of this stack covers it.`
                    : rpoMessage("rds", required, best, rules),
            );
        }
    },
});
