import { PolicyResource } from "@pulumi/policy";
import { resourcePolicy, stackPolicy } from "./lib/define";
import { parseArn, referencedBy, regionOf, resourcesOfType } from "./lib/graph";
import { describe, isUnknown, UNKNOWN, valueAt } from "./lib/values";
import { pick, PolicyObjectives } from "./thresholds";

/**
 * The KMS keys every store is encrypted with: without the key the data cannot be read, so a
 * key is kept as carefully as the data. Each policy judges every kind of customer managed key
 * the provider declares (generated or imported material, primary or replica).
 */

/** A customer managed key with key material KMS generates. */
export const KMS_KEY = "aws:kms/key:Key";
/** A replica, in another region, of a multi-Region {@link KMS_KEY}. */
export const KMS_REPLICA_KEY = "aws:kms/replicaKey:ReplicaKey";
/** A customer managed key with imported key material. */
export const KMS_EXTERNAL_KEY = "aws:kms/externalKey:ExternalKey";
/** A replica of a multi-Region {@link KMS_EXTERNAL_KEY}. */
export const KMS_REPLICA_EXTERNAL_KEY = "aws:kms/replicaExternalKey:ReplicaExternalKey";
/** Every customer managed key type. */
export const KMS_KEY_TYPES = [KMS_KEY, KMS_REPLICA_KEY, KMS_EXTERNAL_KEY, KMS_REPLICA_EXTERNAL_KEY] as const;

/** The provider's deletion window when `deletionWindowInDays` is unset ("If you do not specify a value, it defaults to 30", @pulumi/aws kms Key). */
const DEFAULT_DELETION_WINDOW_DAYS = 30;

/**
 * Automatic rotation on for keys with generated material: KMS then rotates the key material
 * yearly (or every `rotationPeriodInDays`) and keeps every older version to decrypt existing
 * data. A replica follows its primary's rotation ("They also have the same ... automatic key
 * rotation status", KMS API ReplicateKey), so it is judged on the primary; imported key
 * material cannot be rotated automatically, so an ExternalKey is not judged here.
 */
export const kmsKeyRotationEnabled = resourcePolicy({
    name: "kms-key-rotation-enabled",
    description: "Checks whether KMS keys have automatic key rotation enabled.",
    types: [KMS_KEY],
    validate: (key, evaluation) =>
        evaluation.requireEqual(
            key,
            "enableKeyRotation",
            true,
            "KMS rotates the key material and keeps the old versions for existing data; the provider's default is false",
        ),
});

/**
 * The deletion window at least `kmsDeletionWindowDays`: a key scheduled for deletion can be
 * recovered (CancelKeyDeletion) only during that window, after which every copy of the data
 * it encrypts, in every region, is unreadable. Unset is the provider's 30 days.
 */
export const kmsKeyDeletionWindow = resourcePolicy<Pick<PolicyObjectives, "kmsDeletionWindowDays">>({
    name: "kms-key-deletion-window",
    description: "Checks whether KMS keys wait the configured number of days before a scheduled deletion.",
    thresholds: pick("kmsDeletionWindowDays"),
    types: KMS_KEY_TYPES,
    validate: (key, evaluation, config) =>
        evaluation.check(key, "deletionWindowInDays", (value) => {
            const days = value === undefined ? DEFAULT_DELETION_WINDOW_DAYS : value;
            return typeof days === "number" && days >= config.kmsDeletionWindowDays
                ? undefined
                : `must be at least ${config.kmsDeletionWindowDays} (a key scheduled for deletion stays recoverable that long, kmsDeletionWindowDays); it is ${describe(value)}.`;
        }),
});

/**
 * Keys stay enabled: a disabled KMS key cannot be used in any cryptographic operation until
 * it is enabled again (KMS Developer Guide, "Enable and disable keys"), so a disabled key
 * makes every store it encrypts unreadable. Unset is enabled. The input is `isEnabled` on a Key and `enabled` on the others.
 */
export const kmsKeyEnabled = resourcePolicy({
    name: "kms-key-enabled",
    description: "Checks whether KMS keys are enabled, so the data they encrypt stays readable.",
    types: KMS_KEY_TYPES,
    validate: (key, evaluation) =>
        evaluation.check(key, key.type === KMS_KEY ? "isEnabled" : "enabled", (value) =>
            value === undefined || value === true
                ? undefined
                : `must be true or unset (a disabled key decrypts nothing, so its data is unreadable); it is ${describe(value)}.`,
        ),
});

/** The primary keys of this stack a replica's `primaryKeyArn` was computed from. */
function primariesOf(replica: PolicyResource): readonly PolicyResource[] {
    return referencedBy(replica, "primaryKeyArn").filter(
        (d) => d.type === KMS_KEY || d.type === KMS_EXTERNAL_KEY,
    );
}

/**
 * A key that has a replica is multi-Region (`multiRegion` true: KMS replicates only those,
 * "based on a multi-Region primary key in a different Region", KMS API ReplicateKey, and the
 * property cannot change after creation), and the replica is in another region than its
 * primary: that is what keeps the DR copies decryptable when the home region is gone. A
 * known `primaryKeyArn` must name a multi-Region key (key ids `mrk-...`).
 */
export const kmsKeyMultiRegion = stackPolicy({
    name: "kms-key-multi-region",
    description:
        "Checks whether KMS keys with replicas are multi-Region keys and their replicas are in other regions.",
    validate: (args, evaluation) => {
        for (const replica of resourcesOfType(args, KMS_REPLICA_KEY, KMS_REPLICA_EXTERNAL_KEY)) {
            const primaries = primariesOf(replica);
            for (const primary of primaries) {
                evaluation.requireEqual(
                    primary,
                    "multiRegion",
                    true,
                    `it has the replica ${replica.name}: KMS replicates only multi-Region keys`,
                );
                const [home, away] = [regionOf(primary), regionOf(replica)];
                if (home === UNKNOWN || away === UNKNOWN) {
                    evaluation.unknown(replica, "region");
                } else if (home !== undefined && home === away) {
                    evaluation.violation(
                        replica,
                        "region",
                        `must differ from its primary key's region ${describe(home)} (the replica is what decrypts the DR copies when the home region is gone); it is ${describe(away)}.`,
                    );
                }
            }
            const arn = valueAt(replica.props, "primaryKeyArn");
            if (isUnknown(arn)) {
                if (primaries.length === 0) {
                    evaluation.unknown(replica, "primaryKeyArn");
                }
                continue;
            }
            const key = parseArn(arn);
            if (!key || !/^key\/mrk-/.test(key.resource)) {
                evaluation.violation(
                    replica,
                    "primaryKeyArn",
                    `must be the ARN of a multi-Region key (key/mrk-...), the primary of this replica; it is ${describe(arn)}.`,
                );
            }
        }
    },
});
