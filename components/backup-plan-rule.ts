import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CopyDestination } from "../lib/backup-copies";
import { BackupRuleSpec } from "../lib/backup-rules";
import { BACKUP_COMPLETION_WINDOW_MINUTES, BACKUP_START_WINDOW_MINUTES } from "../lib/backup-windows";

/**
 * One plan rule: a spec from lib/backup-rules.ts, backing up into `vaultName`, with one copy
 * action per destination lib/backup-copies.ts chose for it, each with its own retention (a
 * copy action's lifecycle overrides the source's:
 * https://docs.aws.amazon.com/aws-backup/latest/APIReference/API_CopyAction.html).
 */
export function backupPlanRule(
    rule: BackupRuleSpec,
    vaultName: pulumi.Input<string>,
    copies: readonly CopyDestination<pulumi.Input<string>>[],
): aws.types.input.backup.PlanRule {
    return {
        ruleName: rule.name,
        targetVaultName: vaultName,
        schedule: rule.schedule,
        enableContinuousBackup: rule.continuous,
        startWindow: BACKUP_START_WINDOW_MINUTES,
        completionWindow: BACKUP_COMPLETION_WINDOW_MINUTES,
        lifecycle: {
            deleteAfter: rule.deleteAfterDays,
            coldStorageAfter: rule.coldStorageAfterDays,
            optInToArchiveForSupportedResources: rule.coldStorageAfterDays !== undefined ? true : undefined,
        },
        copyActions: copies.map((copy) => ({
            destinationVaultArn: copy.vault,
            lifecycle: {
                deleteAfter: copy.deleteAfterDays,
                coldStorageAfter: copy.coldStorageAfterDays,
                optInToArchiveForSupportedResources:
                    copy.coldStorageAfterDays !== undefined ? true : undefined,
            },
        })),
        recoveryPointTags: { "webank:backup-rule": rule.name },
    };
}
