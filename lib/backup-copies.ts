import { BackupResourceKind, BackupRuleSpec, isFrequentRule } from "./backup-rules";

/**
 * Where each backup rule's copies go, as pure data: the one place that decides which rule
 * copies to which vault, read by the primary stack's plans, the dr stack's plans, the plan
 * output and the objectives table.
 *
 * Three kinds of copy:
 * - `other-region`: the stack's own vault in the other region, on every run of every rule
 *   (a region's loss must not take the backups with it).
 * - `air-gapped`: the logically air-gapped vault in the DR region, on every run of the rules
 *   that must outlive the account's administrators: the daily long-term rules, the record
 *   that a compromised account's administrator can neither delete nor shorten (the vault is
 *   always compliance-locked: "Logically air-gapped vault", AWS Backup Developer Guide,
 *   https://docs.aws.amazon.com/aws-backup/latest/devguide/logicallyairgappedvault.html).
 *   Frequent rules are not copied there: every hourly snapshot would be a full-price copy
 *   into a vault whose points nobody can remove early, while the daily copy already bounds
 *   what an attacker with the account can destroy to one day of changes.
 * - `backup-account`: a vault in `webank:backupAccountId`, on every run of every rule, when
 *   that key is set.
 */

/** Why a copy exists. */
export type CopyPurpose = "other-region" | "air-gapped" | "backup-account";

/**
 * Resource kinds for which AWS Backup automates a copy across accounts or across Regions,
 * but not both in one copy (for RDS and the Aurora-family engines the guide's "Copy a
 * backup" says so: AWS Backup Developer Guide, https://docs.aws.amazon.com/aws-backup/latest/devguide/recov-point-create-a-copy.html;
 * AWS re:Post, "Why does my AWS Backup cross-account copy job fail?",
 * https://repost.aws/knowledge-center/backup-troubleshoot-cross-account-copy). Their
 * cross-account copy stays in the plan's own Region; the other-Region copy in this account is
 * what survives a Region's loss.
 */
export const SINGLE_HOP_COPY_KINDS: readonly BackupResourceKind[] = ["rds"];

/** The vaults a rule may copy to, by purpose; `T` is whatever names a vault (an ARN, or a Pulumi Input of one). */
export interface CopyVaults<T> {
    /** The stack's own vault in the other region. */
    readonly otherRegion: T;
    /** The logically air-gapped vault (DR region). */
    readonly airGapped: T;
    /** The backup account's vaults, when `webank:backupAccountId` is set. @default none */
    readonly backupAccount?: {
        /** Its vault in the plan's own region (for {@link SINGLE_HOP_COPY_KINDS}). */
        readonly planRegion: T;
        /** Its vault in the DR region (for every other kind). */
        readonly drRegion: T;
    };
}

/** One copy action of a rule. */
export interface CopyDestination<T> {
    /** Why the copy exists. */
    readonly purpose: CopyPurpose;
    /** The vault it goes to. */
    readonly vault: T;
    /** Days the copy is kept. */
    readonly deleteAfterDays: number;
    /** Days after which it moves to cold storage. @default never */
    readonly coldStorageAfterDays?: number;
}

/** True when `rule`'s runs are also copied to the logically air-gapped vault: the daily long-term rules. */
export function copiesToAirGappedVault(rule: Pick<BackupRuleSpec, "periodHours">): boolean {
    return !isFrequentRule(rule);
}

/** True when a cross-account copy of `kind` must stay in the plan's own region. */
export function crossAccountCopyStaysInRegion(kind: BackupResourceKind): boolean {
    return SINGLE_HOP_COPY_KINDS.includes(kind);
}

/**
 * The copy actions of `rule`, a rule for resources of `kind`: to the other region always, to
 * the air-gapped vault for the daily rules, and to the backup account when one is configured.
 * Every copy keeps the rule's copy retention. Only the other-region copy moves to cold
 * storage: AWS Backup documents no cold storage for copies in a logically air-gapped vault,
 * and the backup account's vault is that account's to tier.
 */
export function copyDestinations<T>(
    rule: BackupRuleSpec,
    kind: BackupResourceKind,
    vaults: CopyVaults<T>,
): CopyDestination<T>[] {
    const copies: CopyDestination<T>[] = [
        {
            purpose: "other-region",
            vault: vaults.otherRegion,
            deleteAfterDays: rule.copyDeleteAfterDays,
            coldStorageAfterDays: rule.copyColdStorageAfterDays,
        },
    ];
    if (copiesToAirGappedVault(rule)) {
        copies.push({
            purpose: "air-gapped",
            vault: vaults.airGapped,
            deleteAfterDays: rule.copyDeleteAfterDays,
        });
    }
    if (vaults.backupAccount !== undefined) {
        copies.push({
            purpose: "backup-account",
            vault: crossAccountCopyStaysInRegion(kind)
                ? vaults.backupAccount.planRegion
                : vaults.backupAccount.drRegion,
            deleteAfterDays: rule.copyDeleteAfterDays,
        });
    }
    return copies;
}

/**
 * Regions of the `aws` partition where AWS Backup offers no logically air-gapped vault, as the
 * guide's availability note lists them (Asia Pacific (Malaysia) and Canada West (Calgary));
 * outside the `aws` partition (China, GovCloud) it names none
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/logicallyairgappedvault.html).
 */
export const AIR_GAPPED_VAULT_UNAVAILABLE_REGIONS: readonly string[] = ["ap-southeast-5", "ca-west-1"];

/** True when `region` (of partition `partition`) can hold a logically air-gapped vault. */
export function airGappedVaultAvailable(region: string, partition: string): boolean {
    return partition === "aws" && !AIR_GAPPED_VAULT_UNAVAILABLE_REGIONS.includes(region);
}

/**
 * What the backup account receives of one target's backups, for the plan output and the
 * objectives table: where its copies land and, for {@link SINGLE_HOP_COPY_KINDS}, why they
 * stay in the plan's region.
 */
export function crossAccountCopySummary(
    kind: BackupResourceKind,
    backupAccountId: string,
    planRegion: string,
    drRegion: string,
): string {
    if (crossAccountCopyStaysInRegion(kind)) {
        return (
            `every run copied to account ${backupAccountId} in ${planRegion}, the plan's own region: AWS Backup copies ` +
            `${kind.toUpperCase()} backups across accounts or across Regions, not both, so the copy in ${drRegion} stays in this account`
        );
    }
    return `every run copied to account ${backupAccountId} in ${drRegion}`;
}
