import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { BackupResourceKind } from "../lib/backup-rules";
import { parseArn, referencedBy, regionOf, resourcesOfType } from "./lib/graph";
import { isUnknown, listAt, UNKNOWN, valueAt } from "./lib/values";

/**
 * What an AWS Backup selection selects, judged by its meaning (AWS Backup developer guide,
 * "BackupSelection", https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupSelection.html,
 * and "Assigning resources to a backup plan", assigning-resources.html):
 * - `resources`: ARNs or ARN patterns with `*`; a resource computed from a store of this
 *   stack (the engine's propertyDependencies) selects it whatever its value; none at all
 *   selects every supported resource;
 * - `conditions`: tag conditions that every selected resource must satisfy (AND: "If both
 *   resource type and tags are specified in a resource assignment, the specified resource
 *   types are filtered first, then tags further filter those resources");
 * - `selectionTags` (ListOfTags): tags of which any one adds a resource (OR);
 * - `notResources`: ARNs or patterns excluded from the selection.
 * Selections are regional: a plan backs up resources of its own region.
 */

/** The AWS Backup selection type. */
export const BACKUP_SELECTION = "aws:backup/selection:Selection";
/** The AWS Backup plan type. */
export const BACKUP_PLAN = "aws:backup/plan:Plan";
/** How a question about a selection comes out: `maybe` when known values cannot decide it, `unknown` when a value is unknown (preview). */
export type Match = "yes" | "no" | "maybe" | "unknown";

/** Both hold (the weakest of the answers). */
export const and = (...ms: Match[]): Match =>
    ms.includes("no") ? "no" : ms.includes("unknown") ? "unknown" : ms.includes("maybe") ? "maybe" : "yes";
/** One holds (the strongest of the answers). */
export const or = (...ms: Match[]): Match =>
    ms.includes("yes") ? "yes" : ms.includes("unknown") ? "unknown" : ms.includes("maybe") ? "maybe" : "no";
const not = (m: Match): Match => (m === "yes" ? "no" : m === "no" ? "yes" : m);

/** The parts of a store's ARN that are known: `undefined` region for "any region", `undefined` id when not known. */
export interface ArnShape {
    /** The ARN's service (`rds`, `dynamodb`, `s3`, `ec2`). */
    readonly service: string;
    /** Its region; `undefined` for "any region" (S3 ARNs carry none). */
    readonly region: string | undefined;
    /** The resource part before the id (`db:`, `table/`, `volume/`). */
    readonly prefix: string;
    /** The id, when known. */
    readonly id: string | undefined;
}

/** Something AWS Backup must back up: a store, or the EBS volumes a StorageClass provisions. */
export interface Protectable {
    /** The resource (the store, or the StorageClass). */
    readonly resource: PolicyResource;
    /** Its kind. */
    readonly kind: BackupResourceKind;
    /** Its ARN as far as known. */
    readonly arn: ArnShape;
    /** Its tags (the provider's default tags included), or UNKNOWN. */
    readonly tags: Readonly<Record<string, unknown>> | typeof UNKNOWN;
}

/** A value that never occurs in a pattern: stands for an unknown part of an ARN. */
const PROBE = "\u0001";

/** Whether `text` matches `pattern`, whose `*` stands for any characters (as in ARN patterns). */
export function glob(pattern: string, text: string): boolean {
    const escaped = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
    return new RegExp(`^${escaped.join(".*")}$`).test(text);
}

/** Whether a known ARN pattern of `resources`/`notResources` matches a store; the account is not compared (a selection only reaches its own account). */
export function arnPatternMatch(pattern: string, shape: ArnShape): Match {
    if (pattern === "*") {
        return "yes";
    }
    const arn = parseArn(pattern);
    if (!arn || !glob(arn.service, shape.service)) {
        return "no";
    }
    const region: Match =
        shape.region === undefined
            ? glob(arn.region, PROBE)
                ? "yes"
                : "maybe"
            : glob(arn.region, shape.region)
              ? "yes"
              : "no";
    let resource: Match;
    if (shape.id !== undefined) {
        resource = glob(arn.resource, shape.prefix + shape.id) ? "yes" : "no";
    } else if (glob(arn.resource, shape.prefix + PROBE)) {
        resource = "yes";
    } else {
        resource = arn.resource.startsWith(shape.prefix) || arn.resource.startsWith("*") ? "maybe" : "no";
    }
    return and(region, resource);
}

/** The kind an ARN names, by its service and resource type; undefined for other resources. */
export function kindOfArn(value: string): BackupResourceKind | undefined {
    const arn = parseArn(value);
    if (!arn) {
        return undefined;
    }
    if (arn.service === "ec2") {
        return arn.resource.startsWith("volume/") ? "ebs" : undefined;
    }
    if (arn.service === "eks") {
        return arn.resource.startsWith("cluster/") ? "eks" : undefined;
    }
    return (["rds", "dynamodb", "s3"] as const).find((kind) => kind === arn.service);
}

/** Entries of a list input: `yes` for one computed from the target, else what its known value says. */
function listSelects(selection: PolicyResource, input: string, target: Protectable, empty: Match): Match {
    if (referencedBy(selection, input).some((d) => d.urn === target.resource.urn)) {
        return "yes";
    }
    const entries = listAt(selection.props, input);
    if (entries === UNKNOWN) {
        return "unknown";
    }
    if (entries.length === 0) {
        return empty;
    }
    // An unknown entry is computed from the resources its propertyDependencies list, and the target is not one.
    const fromOthers = referencedBy(selection, input).length > 0;
    return or(
        ...entries.map((entry): Match =>
            isUnknown(entry)
                ? fromOthers
                    ? "no"
                    : "unknown"
                : typeof entry === "string"
                  ? arnPatternMatch(entry, target.arn)
                  : "no",
        ),
    );
}

const TAG_CONDITION_PREFIX = "aws:ResourceTag/";

/** Whether every tag condition of the selection holds for the target's tags. */
function conditionsHold(selection: PolicyResource, target: Protectable): Match {
    const blocks = listAt(selection.props, "conditions");
    if (blocks === UNKNOWN) {
        return "unknown";
    }
    const results: Match[] = [];
    for (let b = 0; b < blocks.length; b++) {
        for (const [operator, negated, like] of [
            ["stringEquals", false, false],
            ["stringLikes", false, true],
            ["stringNotEquals", true, false],
            ["stringNotLikes", true, true],
        ] as const) {
            const entries = listAt(selection.props, `conditions[${b}].${operator}`);
            if (entries === UNKNOWN) {
                results.push("unknown");
                continue;
            }
            for (const entry of entries) {
                const key = valueAt(entry, "key");
                const value = valueAt(entry, "value");
                if (target.tags === UNKNOWN || isUnknown(key) || isUnknown(value)) {
                    results.push("unknown");
                    continue;
                }
                const tagKey =
                    typeof key === "string" && key.startsWith(TAG_CONDITION_PREFIX)
                        ? key.slice(TAG_CONDITION_PREFIX.length)
                        : undefined;
                const tag = tagKey === undefined ? undefined : target.tags[tagKey];
                const matches = typeof tag === "string" && (like ? glob(String(value), tag) : tag === value);
                results.push(matches !== negated ? "yes" : "no");
            }
        }
    }
    return and(...results);
}

/** Whether one of the selection's `selectionTags` (ListOfTags, OR) matches the target's tags. */
function selectionTagsMatch(selection: PolicyResource, target: Protectable): Match {
    const entries = listAt(selection.props, "selectionTags");
    if (entries === UNKNOWN) {
        return "unknown";
    }
    return or(
        ...entries.map((entry): Match => {
            const key = valueAt(entry, "key");
            const value = valueAt(entry, "value");
            if (target.tags === UNKNOWN || isUnknown(key) || isUnknown(value)) {
                return "unknown";
            }
            const tagKey = String(key).startsWith(TAG_CONDITION_PREFIX)
                ? String(key).slice(TAG_CONDITION_PREFIX.length)
                : String(key);
            return target.tags[tagKey] === value ? "yes" : "no";
        }),
    );
}

/** Each test a selection makes of a target. */
export interface SelectionVerdict {
    /** The selection and the target are in the same region (selections are regional). */
    readonly region: Match;
    /** `resources` (or `selectionTags`) include it. */
    readonly included: Match;
    /** Every tag condition holds. */
    readonly conditions: Match;
    /** `notResources` exclude it. */
    readonly excluded: Match;
}

/** The tests `selection` makes of `target`. */
export function selectionVerdict(selection: PolicyResource, target: Protectable): SelectionVerdict {
    const where = regionOf(selection);
    const targetRegion = regionOf(target.resource);
    const apart =
        typeof where === "string" &&
        typeof targetRegion === "string" &&
        target.arn.region !== undefined &&
        where !== targetRegion;
    return {
        region: apart ? "no" : "yes",
        included: or(
            listSelects(selection, "resources", target, "yes"),
            selectionTagsMatch(selection, target),
        ),
        conditions: conditionsHold(selection, target),
        excluded: listSelects(selection, "notResources", target, "no"),
    };
}

/** Whether `selection` selects `target`: in its region, included, satisfying the conditions, not excluded. */
export function selects(selection: PolicyResource, target: Protectable): Match {
    const v = selectionVerdict(selection, target);
    return and(v.region, v.included, v.conditions, not(v.excluded));
}

/** Why a selection that names a target does not select it, for messages; undefined when it selects it or does not name it. */
export function whyNotSelected(selection: PolicyResource, target: Protectable): string | undefined {
    const v = selectionVerdict(selection, target);
    if (v.included === "no" || (selects(selection, target) === "yes" && planOf(selection) !== undefined)) {
        return undefined;
    }
    const reasons = [
        v.region === "no" ? `is in ${String(regionOf(selection))}, not the resource's region` : undefined,
        v.excluded === "yes"
            ? "excludes it in notResources"
            : v.excluded === "maybe"
              ? "may exclude it in notResources"
              : undefined,
        v.conditions === "no" ? "has tag conditions it does not satisfy" : undefined,
        v.included === "maybe" ? "names it only by an ARN that cannot be shown to be its own" : undefined,
        planOf(selection) === undefined ? "belongs to no backup plan of this stack (planId)" : undefined,
    ].filter((r): r is string => r !== undefined);
    return reasons.length > 0 ? `selection ${selection.name} ${reasons.join(" and ")}` : undefined;
}

/** The plan a selection belongs to: the Plan its `planId` was computed from. */
export function planOf(selection: PolicyResource): PolicyResource | undefined {
    return referencedBy(selection, "planId").find((d) => d.type === BACKUP_PLAN);
}

/** The selections of `plan`. */
export function selectionsOf(args: StackValidationArgs, plan: PolicyResource): PolicyResource[] {
    return resourcesOfType(args, BACKUP_SELECTION).filter((s) => planOf(s)?.urn === plan.urn);
}
