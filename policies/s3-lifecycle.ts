import { PolicyResource } from "@pulumi/policy";
import { ARTIFACT_PREFIXES } from "../lib/artifacts";
import { stackPolicy } from "./lib/define";
import { Evaluation } from "./lib/evaluation";
import { describe, isUnknown, listAt, UNKNOWN, valueAt } from "./lib/values";
import { bucketsOf, requireNoInline, S3_LIFECYCLE, S3_LIFECYCLE_V2, siblingsOf } from "./s3-links";
import { pick, PolicyObjectives } from "./thresholds";

/**
 * What a bucket's lifecycle may delete. `NoncurrentVersionExpiration` permanently removes a
 * replaced or deleted version ("Amazon S3 permanently removes these object versions. You
 * cannot recover permanently removed objects", S3 User Guide, DeletingObjectVersions), so
 * it must wait at least `webank:noncurrentVersionRetentionDays`. `Expiration` of current
 * versions adds a delete marker in a versioned bucket, after which the version is noncurrent
 * and expires in turn ("This makes the current version noncurrent", S3 User Guide,
 * lifecycle-expire-general-considerations): it turns current data into data that will be
 * deleted, so it is allowed only where the program writes a fresh copy on a schedule (the
 * periodic exports, kept current `webank:pitrRetentionDays`, as the README says), never on
 * the whole bucket or on data written once (state, charts, stack exports, reports).
 */

/** The key prefixes written again every few minutes: the only objects whose current versions may expire. */
export const PERIODIC_PREFIXES: readonly string[] = [
    ARTIFACT_PREFIXES.argocdExports,
    ARTIFACT_PREFIXES.gitBundles,
];

/** A scope not known in preview. */
const UNKNOWN_SCOPE: unique symbol = Symbol("unknown scope");

/** The key prefix a lifecycle rule is scoped to ("" for the whole bucket), or {@link UNKNOWN_SCOPE}. */
function scopeOf(lifecycle: PolicyResource, rule: string): string | typeof UNKNOWN_SCOPE {
    const candidates = [`${rule}.filter.prefix`, `${rule}.filter.and.prefix`, `${rule}.prefix`].map((path) =>
        valueAt(lifecycle.props, path),
    );
    if (candidates.some(isUnknown)) {
        return UNKNOWN_SCOPE;
    }
    return (
        candidates.filter((p): p is string => typeof p === "string").sort((a, b) => b.length - a.length)[0] ??
        ""
    );
}

function judgeCurrentExpiration(
    evaluation: Evaluation,
    lifecycle: PolicyResource,
    rule: string,
    config: Pick<PolicyObjectives, "pitrDays">,
): void {
    const days = valueAt(lifecycle.props, `${rule}.expiration.days`);
    const date = valueAt(lifecycle.props, `${rule}.expiration.date`);
    if (isUnknown(days) || isUnknown(date)) {
        evaluation.unknown(lifecycle, `${rule}.expiration`);
        return;
    }
    if (days === undefined && date === undefined) {
        return; // at most expiredObjectDeleteMarker: removes markers that hide nothing
    }
    const scope = scopeOf(lifecycle, rule);
    if (scope === UNKNOWN_SCOPE) {
        evaluation.unknown(lifecycle, `${rule}.filter`);
        return;
    }
    if (!PERIODIC_PREFIXES.some((prefix) => scope.startsWith(prefix))) {
        evaluation.violation(
            lifecycle,
            `${rule}.expiration`,
            `must not expire current versions outside the periodic exports (${PERIODIC_PREFIXES.join(", ")}): expiring data written once turns the only copy into a version that is then deleted; it expires ${describe(scope === "" ? "the whole bucket" : scope)} after ${describe(days ?? date)}.`,
        );
        return;
    }
    if (date !== undefined || typeof days !== "number" || days < config.pitrDays) {
        evaluation.violation(
            lifecycle,
            `${rule}.expiration.days`,
            `must be at least ${config.pitrDays} (periodic exports stay current for the point-in-time window, webank:pitrRetentionDays, so every asset rolls back as far as the data); it is ${describe(days ?? { date })}.`,
        );
    }
}

function judgeLifecycle(
    evaluation: Evaluation,
    lifecycle: PolicyResource,
    config: Pick<PolicyObjectives, "noncurrentVersionDays" | "pitrDays">,
): void {
    const rules = listAt(lifecycle.props, "rules");
    if (rules === UNKNOWN) {
        evaluation.unknown(lifecycle, "rules");
        return;
    }
    rules.forEach((_, i) => {
        const rule = `rules[${i}]`;
        const status = valueAt(lifecycle.props, `${rule}.status`);
        if (isUnknown(status)) {
            evaluation.unknown(lifecycle, `${rule}.status`);
            return;
        }
        if (status === "Disabled") {
            return; // S3 applies no action of a disabled rule
        }
        evaluation.check(lifecycle, `${rule}.noncurrentVersionExpiration.noncurrentDays`, (days) =>
            days === undefined || (typeof days === "number" && days >= config.noncurrentVersionDays)
                ? undefined
                : `must be at least ${config.noncurrentVersionDays} (a replaced or deleted version stays recoverable that long, webank:noncurrentVersionRetentionDays; S3 then deletes it for good); it is ${describe(days)}.`,
        );
        judgeCurrentExpiration(evaluation, lifecycle, rule, config);
    });
}

/**
 * Lifecycle rules keep every replaced or deleted version at least
 * `webank:noncurrentVersionRetentionDays`, and expire current versions only of the periodic
 * exports, after at least `webank:pitrRetentionDays`. Judged on every lifecycle configuration
 * that names a bucket (both buckets of a pair: S3 does not replicate lifecycle actions).
 * Without a lifecycle, nothing expires: that keeps data longer, never shorter.
 */
export const s3BucketNoncurrentVersionRetention = stackPolicy<
    Pick<PolicyObjectives, "noncurrentVersionDays" | "pitrDays">
>({
    name: "s3-bucket-noncurrent-version-retention",
    description:
        "Checks whether S3 lifecycle rules keep noncurrent versions for the configured days and expire current versions only of periodic exports.",
    thresholds: pick("noncurrentVersionDays", "pitrDays"),
    validate: (args, evaluation, config) => {
        for (const bucket of bucketsOf(args)) {
            requireNoInline(evaluation, bucket, "lifecycleRules", S3_LIFECYCLE);
            for (const lifecycle of siblingsOf(args, bucket, S3_LIFECYCLE, S3_LIFECYCLE_V2)) {
                judgeLifecycle(evaluation, lifecycle, config);
            }
        }
    },
});
