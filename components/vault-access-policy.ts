/**
 * The access policy of every backup vault this program declares or asks another account to
 * hold: what nobody may do to a recovery point.
 */

/**
 * Actions every vault's access policy denies to every principal, on every resource. The first
 * three are the ones AWS Config's BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED (the control
 * the audit framework reports) requires in one Deny statement with `"Principal"` and
 * `"Resource"` wildcards
 * (https://docs.aws.amazon.com/config/latest/developerguide/backup-recovery-point-manual-deletion-disabled.html):
 * deleting a point; shortening its retention to have it expire (UpdateRecoveryPointLifecycle);
 * rewriting this policy. Deleting the policy would lift the other denials as surely as
 * rewriting it, so DeleteBackupVaultAccessPolicy is denied too, and DeleteBackupVault, the
 * vault itself. Not denied: StartCopyJob, StartRestoreJob and the reads, which the recovery
 * commands use, and CopyIntoBackupVault, by which the plans' copies arrive. The policy governs
 * callers of the AWS Backup API only ("Vault access policies", AWS Backup developer guide:
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/create-a-vault-access-policy.html);
 * expiry at the end of a rule's lifecycle is AWS Backup's own doing, not a DeleteRecoveryPoint
 * call by the backup role, so retention still works (an inference: the guide states the
 * API scope, not this consequence in so many words).
 */
export const VAULT_DENIED_ACTIONS = [
    "backup:DeleteRecoveryPoint",
    "backup:UpdateRecoveryPointLifecycle",
    "backup:PutBackupVaultAccessPolicy",
    "backup:DeleteBackupVaultAccessPolicy",
    "backup:DeleteBackupVault",
] as const;

/**
 * The access policy of every vault: one Deny of {@link VAULT_DENIED_ACTIONS} to every
 * principal. `Resource` is `"*"`: DeleteRecoveryPoint and UpdateRecoveryPointLifecycle are
 * authorized on the recovery point's ARN (the Service Authorization Reference's
 * `recoveryPoint` resource type, `arn:${Partition}:${Vendor}:${Region}:*:${ResourceType}:${RecoveryPointId}`),
 * which a vault ARN never matches, so a Deny on the vault ARN denies nothing; the wildcard is
 * what the AWS Backup example policies (and the AWS Config control above) use. Because the
 * policy denies its own replacement, a later change to this document cannot be applied by
 * `pulumi up` either: it is meant to be as fixed as the Vault Lock.
 */
export function vaultAccessPolicy(): {
    Version: string;
    Statement: Array<{
        Sid: string;
        Effect: string;
        Principal: { AWS: string };
        Action: string[];
        Resource: string;
    }>;
} {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyRecoveryPointDeletionAndPolicyChanges",
                Effect: "Deny",
                Principal: { AWS: "*" },
                Action: [...VAULT_DENIED_ACTIONS],
                Resource: "*",
            },
        ],
    };
}
