import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { S3_REPLICATION_TIME_MINUTES } from "../lib/retention";
import { stackPolicy } from "./lib/define";
import { Evaluation } from "./lib/evaluation";
import { parseArn, referencedBy, regionOf, resourcesOfType } from "./lib/graph";
import { requireCustomerKey } from "./lib/keys";
import { containsUnknown, describe, isUnknown, listAt, UNKNOWN, valueAt } from "./lib/values";
import { bucketsOf, names, requireNoInline, S3_REPLICATION } from "./s3-links";

/**
 * Cross-region replication of every bucket: a BucketReplicationConfig on the source bucket
 * whose rules copy every object, KMS-encrypted ones and delete markers included, to a bucket
 * of this stack in another region, under S3 Replication Time Control. A bucket that is the
 * destination of another bucket's rule is itself the copy; it needs no rule of its own, and
 * gets every other bucket protection (s3-bucket.ts) like its source.
 */

/** The replication configurations whose `bucket` input names `bucket`: it is their source. */
function configsOf(args: StackValidationArgs, bucket: PolicyResource): PolicyResource[] {
    return resourcesOfType(args, S3_REPLICATION).filter((config) => names(config, bucket));
}

/**
 * The rules of `config` that replicate (status Enabled), and whether some rule's status (or
 * the rules themselves) could not be read in this preview, which is noted.
 */
function enabledRules(
    evaluation: Evaluation,
    config: PolicyResource,
): { rules: string[]; undetermined: boolean } {
    const rules = listAt(config.props, "rules");
    if (rules === UNKNOWN) {
        evaluation.unknown(config, "rules");
        return { rules: [], undetermined: true };
    }
    let undetermined = false;
    const enabled = rules
        .map((_, i) => `rules[${i}]`)
        .filter((rule) => {
            const status = valueAt(config.props, `${rule}.status`);
            if (isUnknown(status)) {
                evaluation.unknown(config, `${rule}.status`);
                undetermined = true;
            }
            return status === "Enabled";
        });
    return { rules: enabled, undetermined };
}

/** Whether a rule of another bucket's replication configuration copies into `bucket`: it is a replica. */
function isReplica(args: StackValidationArgs, bucket: PolicyResource): boolean {
    return resourcesOfType(args, S3_REPLICATION).some((config) => {
        if (names(config, bucket)) {
            return false;
        }
        const rules = listAt(config.props, "rules");
        if (rules === UNKNOWN) {
            return referencedBy(config, "rules").some((d) => d.urn === bucket.urn);
        }
        return rules.some((_, i) => names(config, bucket, `rules[${i}].destination.bucket`, "rules"));
    });
}

/** The buckets of the stack the rule's `destination.bucket` names. */
function destinationsOf(args: StackValidationArgs, config: PolicyResource, rule: string): PolicyResource[] {
    return bucketsOf(args).filter((bucket) => names(config, bucket, `${rule}.destination.bucket`, "rules"));
}

/**
 * Why the rule does not replicate the whole bucket to another region: a prefix, tag or
 * `and` filter (or a V1 rule prefix) narrows it; its destination is no bucket of this stack,
 * or one in the source's region. Empty when it does; UNKNOWN when preview cannot tell.
 */
function replicationGaps(
    args: StackValidationArgs,
    config: PolicyResource,
    source: PolicyResource,
    rule: string,
): string[] | typeof UNKNOWN {
    const filter = valueAt(config.props, `${rule}.filter`);
    const prefix = valueAt(config.props, `${rule}.prefix`);
    if (containsUnknown(filter) || isUnknown(prefix)) {
        return UNKNOWN;
    }
    const gaps: string[] = [];
    const narrowing = Object.entries((filter ?? {}) as Record<string, unknown>).filter(
        ([, v]) =>
            v !== undefined &&
            v !== null &&
            v !== "" &&
            !(typeof v === "object" && Object.keys(v).length === 0),
    );
    if (narrowing.length > 0 || (typeof prefix === "string" && prefix.length > 0)) {
        gaps.push(
            `an empty filter (every object: it is narrowed by ${describe(narrowing.length > 0 ? filter : { prefix })})`,
        );
    }
    const home = regionOf(source);
    const regions = destinationsOf(args, config, rule).map(regionOf);
    if (home === UNKNOWN || regions.includes(UNKNOWN)) {
        return gaps.length > 0 ? gaps : UNKNOWN;
    }
    if (!regions.some((region) => region !== undefined && region !== home)) {
        gaps.push(
            `destination.bucket a bucket of this stack in a region other than ${String(home ?? "the source's")} (it is ${describe(valueAt(config.props, `${rule}.destination.bucket`))}, in ${describe(regions)})`,
        );
    }
    return gaps;
}

function judgeReplicated(args: StackValidationArgs, evaluation: Evaluation, bucket: PolicyResource): void {
    const configs = configsOf(args, bucket);
    if (configs.length === 0 && !isReplica(args, bucket)) {
        evaluation.violation(
            bucket,
            S3_REPLICATION,
            "must be declared for this bucket: a BucketReplicationConfig whose `bucket` input is this bucket's name, with an Enabled rule copying every object to a bucket of this stack in another region (or this bucket must be such a rule's destination).",
        );
    }
    for (const config of configs) {
        const { rules, undetermined } = enabledRules(evaluation, config);
        const judged: Array<{ rule: string; gaps: string[] | typeof UNKNOWN }> = rules.map((rule) => ({
            rule,
            gaps: replicationGaps(args, config, bucket, rule),
        }));
        if (judged.some(({ gaps }) => gaps !== UNKNOWN && gaps.length === 0)) {
            continue;
        }
        if (undetermined || judged.some(({ gaps }) => gaps === UNKNOWN)) {
            evaluation.unknown(config, "rules");
            continue;
        }
        if (rules.length === 0) {
            evaluation.violation(
                config,
                "rules",
                `must hold a rule with status "Enabled" (no rule replicates); it is ${describe(valueAt(config.props, "rules"))}.`,
            );
        }
        for (const { rule, gaps } of judged) {
            evaluation.violation(
                config,
                rule,
                `must replicate the whole bucket to another region: needs ${(gaps as string[]).join("; ")}.`,
            );
        }
    }
}

/**
 * Every bucket that is not itself a replica has a replication configuration with an Enabled
 * rule that copies every object (no prefix or tag filter) to a bucket of this stack in
 * another region, linked through the rule's `destination.bucket` (the engine's
 * propertyDependencies when the ARN is unknown).
 */
export const s3BucketReplicated = stackPolicy({
    name: "s3-bucket-replicated",
    description: "Checks whether S3 buckets replicate every object to a bucket in another region.",
    validate: (args, evaluation) => {
        for (const bucket of bucketsOf(args)) {
            requireNoInline(evaluation, bucket, "replicationConfiguration", S3_REPLICATION);
            judgeReplicated(args, evaluation, bucket);
        }
    },
});

/** Runs `judge` on every Enabled rule of every replication configuration whose source is a bucket of the stack. */
function eachReplicatingRule(
    args: StackValidationArgs,
    evaluation: Evaluation,
    judge: (config: PolicyResource, rule: string, source: PolicyResource) => void,
): void {
    for (const bucket of bucketsOf(args)) {
        for (const config of configsOf(args, bucket)) {
            enabledRules(evaluation, config).rules.forEach((rule) => judge(config, rule, bucket));
        }
    }
}

/**
 * Delete markers replicated: a delete in the home region hides the object in the DR copy too,
 * so the copy is what the source was. S3 never replicates the deletion of a version, so the
 * deleted data itself survives in the DR region (S3 User Guide, delete-marker-replication).
 */
export const s3BucketReplicationDeleteMarkers = stackPolicy({
    name: "s3-bucket-replication-delete-markers",
    description: "Checks whether S3 replication rules replicate delete markers.",
    validate: (args, evaluation) =>
        eachReplicatingRule(args, evaluation, (config, rule) =>
            evaluation.requireEqual(
                config,
                `${rule}.deleteMarkerReplication.status`,
                "Enabled",
                "the DR copy matches the source, deletes included",
            ),
        ),
});

/**
 * KMS-encrypted objects replicated and re-encrypted with a customer key of the destination's
 * region. Every object here is SSE-KMS, and "By default, Amazon S3 doesn't replicate objects
 * that are stored at rest using server-side encryption with AWS KMS keys" (S3 User Guide,
 * replication-config-for-kms-objects): without `sseKmsEncryptedObjects` Enabled nothing
 * replicates. The replica key "must have been created in the same AWS Region as the
 * destination bucket" (same page).
 */
export const s3BucketReplicationKmsObjects = stackPolicy({
    name: "s3-bucket-replication-kms-objects",
    description:
        "Checks whether S3 replication rules replicate SSE-KMS objects and re-encrypt them with a customer managed key in the destination region.",
    validate: (args, evaluation) =>
        eachReplicatingRule(args, evaluation, (config, rule) => {
            evaluation.requireEqual(
                config,
                `${rule}.sourceSelectionCriteria.sseKmsEncryptedObjects.status`,
                "Enabled",
                "every object is SSE-KMS, and S3 replicates none of them without it",
            );
            const keyPath = `${rule}.destination.encryptionConfiguration.replicaKmsKeyId`;
            requireCustomerKey(evaluation, config, keyPath, "The replicas' encryption");
            const key = parseArn(valueAt(config.props, keyPath));
            const regions = destinationsOf(args, config, rule).map(regionOf);
            if (
                key &&
                regions.length > 0 &&
                regions.every((r) => typeof r === "string" && r !== key.region)
            ) {
                evaluation.violation(
                    config,
                    keyPath,
                    `must be a key in the destination bucket's region ${describe(regions[0])} (S3 encrypts the replica there); it is in ${describe(key.region)}.`,
                );
            }
        }),
});

/**
 * S3 Replication Time Control on, with its metrics: replication within
 * S3_REPLICATION_TIME_MINUTES (15, the only value S3 accepts: "Valid value: 15", S3 API
 * ReplicationTimeValue) and the lag measurable, which the state RPO rests on.
 */
export const s3BucketReplicationTimeControl = stackPolicy({
    name: "s3-bucket-replication-time-control",
    description:
        "Checks whether S3 replication rules use Replication Time Control (15 minutes) with replication metrics.",
    validate: (args, evaluation) =>
        eachReplicatingRule(args, evaluation, (config, rule) => {
            const why = `replication within ${S3_REPLICATION_TIME_MINUTES} minutes, measured`;
            evaluation.requireEqual(config, `${rule}.destination.replicationTime.status`, "Enabled", why);
            evaluation.requireEqual(
                config,
                `${rule}.destination.replicationTime.time.minutes`,
                S3_REPLICATION_TIME_MINUTES,
                why,
            );
            evaluation.requireEqual(config, `${rule}.destination.metrics.status`, "Enabled", why);
            evaluation.requireEqual(
                config,
                `${rule}.destination.metrics.eventThreshold.minutes`,
                S3_REPLICATION_TIME_MINUTES,
                why,
            );
        }),
});
