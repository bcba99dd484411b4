import { KMS_KEY, KMS_REPLICA_KEY } from "../../../policies/kms";
import { MutationRow } from "../row";

const SERVICE = "KMS";

/** The KMS protections the README claims for the data key and its DR replica. */
export const KMS_ROWS: readonly MutationRow[] = [
    {
        service: SERVICE,
        protection: "rotation on",
        mutation: "enableKeyRotation false",
        apply: (s) => s.set(s.one(KMS_KEY), "enableKeyRotation", false),
        policy: "kms-key-rotation-enabled",
    },
    {
        service: SERVICE,
        protection: "rotation on",
        mutation: "enableKeyRotation left to the provider's default (false)",
        apply: (s) => s.unset(s.one(KMS_KEY), "enableKeyRotation"),
        policy: "kms-key-rotation-enabled",
    },
    {
        service: SERVICE,
        protection: "30-day deletion window",
        mutation: "deletionWindowInDays 7 on the data key",
        apply: (s) => s.set(s.one(KMS_KEY), "deletionWindowInDays", 7),
        policy: "kms-key-deletion-window",
    },
    {
        service: SERVICE,
        protection: "30-day deletion window",
        mutation: "deletionWindowInDays one day short on the replica key",
        apply: (s) => s.update(s.one(KMS_REPLICA_KEY), "deletionWindowInDays", (days) => Number(days) - 1),
        policy: "kms-key-deletion-window",
    },
    {
        service: SERVICE,
        protection: "multi-Region key",
        mutation: "multiRegion false on the key the replica is made from",
        apply: (s) => s.set(s.one(KMS_KEY), "multiRegion", false),
        policy: "kms-key-multi-region",
    },
    {
        service: SERVICE,
        protection: "multi-Region key",
        mutation: "multiRegion left unset (single-Region)",
        apply: (s) => s.unset(s.one(KMS_KEY), "multiRegion"),
        policy: "kms-key-multi-region",
    },
    {
        service: SERVICE,
        protection: "replica key in the DR region",
        mutation: "the replica key declared with the home-region provider",
        apply: (s) => {
            const [key, replica] = [s.one(KMS_KEY), s.one(KMS_REPLICA_KEY)];
            replica.provider = key.provider;
            replica.region = key.region;
        },
        policy: "kms-key-multi-region",
    },
    {
        service: SERVICE,
        protection: "the data key usable (enabled)",
        mutation: "isEnabled false on the data key",
        apply: (s) => s.set(s.one(KMS_KEY), "isEnabled", false),
        policy: "kms-key-enabled",
    },
    {
        service: SERVICE,
        protection: "the data key usable (enabled)",
        mutation: "enabled false on the replica key",
        apply: (s) => s.set(s.one(KMS_REPLICA_KEY), "enabled", false),
        policy: "kms-key-enabled",
    },
];
