import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config/stack-config";
import { CopyVaults, crossAccountCopyStaysInRegion, crossAccountCopySummary } from "../lib/backup-copies";
import { BACKUP_TARGETS } from "../lib/backup-rules";
import { backupVaultName } from "../lib/naming";
import { partitionOf } from "../lib/regions";
import { VAULT_DENIED_ACTIONS } from "./vault-access-policy";

/**
 * The vaults a stack's backup rules copy to, and what the backup account
 * (`webank:backupAccountId`) must hold for its copies to arrive.
 */

/**
 * ARN of the vault in the backup account that receives this program's copies in `region`:
 * named as this account's vaults (the name is unique per account and Region, so the two never
 * clash). The backup account creates it; this program only names it.
 */
export function backupAccountVaultArn(
    partition: string,
    region: string,
    backupAccountId: string,
    prefix: string,
): string {
    return `arn:${partition}:backup:${region}:${backupAccountId}:backup-vault:${backupVaultName(prefix)}`;
}

/**
 * The access policy each of the backup account's vaults must hold: copies from this account
 * may arrive (`backup:CopyIntoBackupVault` allowed to the source account's root, as the
 * cross-account guide's destination-vault policy does:
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html),
 * and, as on this account's own vaults, nobody may delete a recovery point, shorten its
 * retention or change the policy ({@link VAULT_DENIED_ACTIONS}). The backup account's
 * administrators apply it (README, "Cross-account copies").
 */
export function backupAccountVaultPolicy(partition: string, sourceAccountId: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "SourceAccountCopiesIn",
                Effect: "Allow",
                Principal: { AWS: `arn:${partition}:iam::${sourceAccountId}:root` },
                Action: "backup:CopyIntoBackupVault",
                Resource: "*",
            },
            {
                Sid: "DenyRecoveryPointDeletionAndPolicyChanges",
                Effect: "Deny",
                Principal: { AWS: "*" },
                Action: [...VAULT_DENIED_ACTIONS],
                Resource: "*",
            },
        ],
    });
}

/** What {@link copyVaultsFor} builds the copy vaults of one stack's plans from. */
export interface CopyVaultsArgs {
    /** Naming prefix. */
    readonly prefix: string;
    /** Partition of both regions. */
    readonly partition: string;
    /** Region of the plans. */
    readonly planRegion: string;
    /** The DR region (where the air-gapped vault is). */
    readonly drRegion: string;
    /** ARN of this account's vault in the other region. */
    readonly otherRegionVaultArn: pulumi.Input<string>;
    /** ARN of the logically air-gapped vault. */
    readonly airGappedVaultArn: pulumi.Input<string>;
    /** `webank:backupAccountId`. @default none: no cross-account copies */
    readonly backupAccountId?: string;
}

/**
 * The copy vaults of one stack's plans. Not checked here: that `backupAccountId` differs from
 * the stack's own account, which only the deployment knows (not checked yet: an error thrown
 * inside an apply left the offline engine waiting instead of failing).
 */
export function copyVaultsFor(args: CopyVaultsArgs): CopyVaults<pulumi.Input<string>> {
    const backupAccountId = args.backupAccountId;
    const base = { otherRegion: args.otherRegionVaultArn, airGapped: args.airGappedVaultArn };
    if (backupAccountId === undefined) {
        return base;
    }
    const arn = (region: string) =>
        backupAccountVaultArn(args.partition, region, backupAccountId, args.prefix);
    return { ...base, backupAccount: { planRegion: arn(args.planRegion), drRegion: arn(args.drRegion) } };
}

/**
 * The primary stack's outputs about the backup account: the vaults it must hold (one per
 * region its copies land in), the access policy each must carry, and where each target's
 * copies land. Empty without `webank:backupAccountId`.
 */
export function backupAccountOutputs(
    config: StackConfig,
    accountId: pulumi.Input<string>,
): Record<string, unknown> {
    const backupAccountId = config.backup.backupAccountId;
    if (backupAccountId === undefined) {
        return {};
    }
    const partition = partitionOf(config.homeRegion);
    const regions = [
        ...new Set(
            BACKUP_TARGETS.map((t) =>
                crossAccountCopyStaysInRegion(t.kind) ? config.homeRegion : config.drRegion,
            ),
        ),
    ];
    return {
        backupAccountId,
        backupAccountVaults: regions.map((region) =>
            backupAccountVaultArn(partition, region, backupAccountId, config.prefix),
        ),
        backupAccountVaultPolicy: pulumi
            .output(accountId)
            .apply((source) => backupAccountVaultPolicy(partition, source)),
        backupAccountCopies: Object.fromEntries(
            BACKUP_TARGETS.map((t) => [
                t.id,
                crossAccountCopySummary(t.kind, backupAccountId, config.homeRegion, config.drRegion),
            ]),
        ),
    };
}
