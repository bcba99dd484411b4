import { createHash } from "crypto";

/**
 * The account id every offline run pretends to be in: a 12-digit number (IAM user guide, "AWS
 * account identifiers"; 123456789012 is the documentation's own example account).
 */
export const FAKE_ACCOUNT_ID = "123456789012";

/**
 * Hex digits derived from `seed`: identifiers of the real length and alphabet that are the
 * same on every run, so plans can be compared and tests can name them.
 */
export function hex(seed: string, length: number): string {
    let digits = createHash("sha256").update(seed).digest("hex");
    for (let round = 1; digits.length < length; round++) {
        digits += createHash("sha256").update(`${round}/${seed}`).digest("hex");
    }
    return digits.slice(0, length);
}

/** A UUID-shaped id (8-4-4-4-12 lower-case hex, RFC 9562's text form) derived from `seed`. */
export function uuid(seed: string): string {
    const h = hex(seed, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * An EC2 resource id: the resource type's prefix, a hyphen and 17 lower-case hex characters,
 * the long form every resource created since June 2018 receives (EC2 user guide, "Resource
 * IDs": e.g. `vpc-`, `subnet-`, `sg-`, `rtb-`, `rtbassoc-`, `igw-`, `nat-`, `eipalloc-`,
 * `fl-`, `lt-`, `sgr-`).
 */
export function ec2Id(prefix: string, seed: string): string {
    return `${prefix}-${hex(seed, 17)}`;
}

/**
 * The key id of a KMS key: `mrk-` and 32 hex digits for a multi-Region key, a UUID otherwise
 * (KMS developer guide, "Key identifiers (KeyId)").
 */
export function kmsKeyId(seed: string, multiRegion: boolean): string {
    return multiRegion ? `mrk-${hex(seed, 32)}` : uuid(seed);
}

/** Six characters of [A-Za-z0-9], as Secrets Manager appends to a secret's name in its ARN (user guide, "Secret ARN"). */
export function secretSuffix(seed: string): string {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    return [...hex(seed, 12).matchAll(/../g)].map(([pair]) => alphabet[parseInt(pair, 16) % 62]).join("");
}

/**
 * Terraform's unique id, which the AWS provider uses where AWS names nothing: `prefix`, then
 * a UTC timestamp to the ten-thousandth of a second (18 digits) and an 8-hex-digit counter, 26
 * characters in all (terraform-plugin-sdk helper/id: PrefixedUniqueId, UniqueIDSuffixLength =
 * 26). The fake's timestamp is fixed, so plans stay the same from run to run.
 */
export function terraformUniqueId(prefix: string, seed: string): string {
    return `${prefix}202601010000000000${hex(seed, 8)}`;
}
