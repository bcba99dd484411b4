import {
    BACKUP_VAULT_LOCK,
    BACKUP_VAULT_NOTIFICATIONS,
    BACKUP_VAULT_POLICY,
} from "../../../policies/backup-graph";
import { MutationRow } from "../row";
import { SERVICE, homeVault, drVault, sibling, statement, moveTo } from "./backup-common";

/** The vault protections: key, forceDestroy, Vault Lock, access policy, notifications. */
export const BACKUP_VAULT_ROWS: readonly MutationRow[] = [
    {
        service: SERVICE,
        protection: "vaults encrypted with the data key / replica key",
        mutation: "the home vault's kmsKeyArn removed (AWS Backup's own key)",
        apply: (s) => s.unset(homeVault(s), "kmsKeyArn"),
        policy: "backup-vault-customer-key",
    },
    {
        service: SERVICE,
        protection: "vaults encrypted with the data key / replica key",
        mutation: "the DR vault encrypted with the AWS managed alias/aws/backup",
        apply: (s) => s.set(drVault(s), "kmsKeyArn", "arn:aws:kms:us-west-2:123456789012:alias/aws/backup"),
        policy: "backup-vault-customer-key",
    },
    {
        service: SERVICE,
        protection: "vaults keep their recovery points when destroyed",
        mutation: "forceDestroy true on the home vault",
        apply: (s) => s.set(homeVault(s), "forceDestroy", true),
        policy: "backup-vault-force-destroy-disabled",
    },
    {
        service: SERVICE,
        protection: "Vault Lock on both vaults",
        mutation: "the DR vault's lock not declared",
        apply: (s) => s.drop(sibling(s, BACKUP_VAULT_LOCK, "webank-backup-dr")),
        policy: "backup-vault-lock",
    },
    {
        service: SERVICE,
        protection: "Vault Lock on both vaults",
        mutation: "the home vault's lock naming another vault (unlinked)",
        apply: (s) => {
            const lock = sibling(s, BACKUP_VAULT_LOCK);
            s.set(lock, "backupVaultName", "webank-other-vault");
            lock.propertyDependencies.backupVaultName = [];
        },
        policy: "backup-vault-lock",
    },
    {
        service: SERVICE,
        protection: "Vault Lock on both vaults",
        mutation:
            "the DR vault's lock declared with the home provider (it locks the home region's vault of that name)",
        apply: (s) => moveTo(sibling(s, BACKUP_VAULT_LOCK, "webank-backup-dr"), homeVault(s)),
        policy: "backup-vault-lock",
    },
    {
        service: SERVICE,
        protection: "Vault Lock minimum retention vaultLockMinRetentionDays",
        mutation: "governance lock with a 1-day minimum",
        apply: (s) => s.set(sibling(s, BACKUP_VAULT_LOCK), "minRetentionDays", 1),
        policy: "backup-vault-lock",
    },
    {
        service: SERVICE,
        protection: "Vault Lock minimum retention vaultLockMinRetentionDays",
        mutation: "minRetentionDays removed from the DR vault's lock",
        apply: (s) => s.unset(sibling(s, BACKUP_VAULT_LOCK, "webank-backup-dr"), "minRetentionDays"),
        policy: "backup-vault-lock",
    },
    {
        service: SERVICE,
        protection: "Vault Lock bounds admit every rule (a job outside them fails)",
        mutation: "maxRetentionDays 30, below the 365-day long-term backups",
        apply: (s) => s.set(sibling(s, BACKUP_VAULT_LOCK), "maxRetentionDays", 30),
        policy: "backup-vault-lock",
    },
    {
        service: SERVICE,
        protection: "Vault Lock bounds admit every rule (a job outside them fails)",
        mutation: "the DR vault's minRetentionDays 30, above the 7-day frequent copies",
        apply: (s) => s.set(sibling(s, BACKUP_VAULT_LOCK, "webank-backup-dr"), "minRetentionDays", 30),
        policy: "backup-vault-lock",
    },
    {
        service: SERVICE,
        protection:
            "a vault policy denying everyone DeleteRecoveryPoint, UpdateRecoveryPointLifecycle, Put/DeleteBackupVaultAccessPolicy, DeleteBackupVault",
        mutation: "the home vault's access policy not declared",
        apply: (s) => s.drop(sibling(s, BACKUP_VAULT_POLICY)),
        policy: "backup-vault-recovery-points-protected",
    },
    {
        service: SERVICE,
        protection:
            "a vault policy denying everyone DeleteRecoveryPoint, UpdateRecoveryPointLifecycle, Put/DeleteBackupVaultAccessPolicy, DeleteBackupVault",
        mutation: "the policy denies another action instead of DeleteRecoveryPoint",
        apply: statement((st) => {
            st.Action = (st.Action as string[]).map((a) =>
                a === "backup:DeleteRecoveryPoint" ? "backup:DescribeBackupVault" : a,
            );
        }),
        policy: "backup-vault-recovery-points-protected",
    },
    {
        service: SERVICE,
        protection:
            "a vault policy denying everyone DeleteRecoveryPoint, UpdateRecoveryPointLifecycle, Put/DeleteBackupVaultAccessPolicy, DeleteBackupVault",
        mutation: "the statement's Effect Allow",
        apply: statement((st) => (st.Effect = "Allow")),
        policy: "backup-vault-recovery-points-protected",
    },
    {
        service: SERVICE,
        protection:
            "a vault policy denying everyone DeleteRecoveryPoint, UpdateRecoveryPointLifecycle, Put/DeleteBackupVaultAccessPolicy, DeleteBackupVault",
        mutation: "the Deny narrowed to the vault's ARN (recovery points are not the vault)",
        apply: statement(
            (st) => (st.Resource = "arn:aws:backup:us-east-1:123456789012:backup-vault:webank-vault"),
        ),
        policy: "backup-vault-recovery-points-protected",
    },
    {
        service: SERVICE,
        protection:
            "a vault policy denying everyone DeleteRecoveryPoint, UpdateRecoveryPointLifecycle, Put/DeleteBackupVaultAccessPolicy, DeleteBackupVault",
        mutation: "the Deny narrowed to one role",
        apply: statement((st) => (st.Principal = { AWS: "arn:aws:iam::123456789012:role/someone" })),
        policy: "backup-vault-recovery-points-protected",
    },
    {
        service: SERVICE,
        protection:
            "a vault policy denying everyone DeleteRecoveryPoint, UpdateRecoveryPointLifecycle, Put/DeleteBackupVaultAccessPolicy, DeleteBackupVault",
        mutation: "the Deny exempting the admin role (NotPrincipal)",
        apply: statement((st) => {
            delete st.Principal;
            st.NotPrincipal = { AWS: "arn:aws:iam::123456789012:role/admin" };
        }),
        policy: "backup-vault-recovery-points-protected",
    },
    {
        service: SERVICE,
        protection:
            "a vault policy denying everyone DeleteRecoveryPoint, UpdateRecoveryPointLifecycle, Put/DeleteBackupVaultAccessPolicy, DeleteBackupVault",
        mutation: "the Deny made conditional",
        apply: statement((st) => (st.Condition = { Bool: { "aws:MultiFactorAuthPresent": "false" } })),
        policy: "backup-vault-recovery-points-protected",
    },
    {
        service: SERVICE,
        protection:
            "a vault policy denying everyone DeleteRecoveryPoint, UpdateRecoveryPointLifecycle, Put/DeleteBackupVaultAccessPolicy, DeleteBackupVault",
        mutation: "the DR vault's policy no longer denies DeleteBackupVault",
        apply: statement((st) => {
            st.Action = (st.Action as string[]).filter((a) => a !== "backup:DeleteBackupVault");
        }, "webank-backup-dr"),
        policy: "backup-vault-recovery-points-protected",
    },
    {
        service: SERVICE,
        protection:
            "a vault policy denying everyone DeleteRecoveryPoint, UpdateRecoveryPointLifecycle, Put/DeleteBackupVaultAccessPolicy, DeleteBackupVault",
        mutation: "the home vault's policy attached to another vault name (unlinked)",
        apply: (s) => {
            const policy = sibling(s, BACKUP_VAULT_POLICY);
            s.set(policy, "backupVaultName", "webank-other-vault");
            policy.propertyDependencies.backupVaultName = [];
        },
        policy: "backup-vault-recovery-points-protected",
    },
    {
        service: SERVICE,
        protection: "failed-job notifications",
        mutation: "the DR vault's notifications not declared",
        apply: (s) => s.drop(sibling(s, BACKUP_VAULT_NOTIFICATIONS, "webank-backup-dr")),
        policy: "backup-vault-failure-notifications",
    },
    {
        service: SERVICE,
        protection: "failed-job notifications",
        mutation: "COPY_JOB_FAILED removed from the events",
        apply: (s) =>
            s.update(sibling(s, BACKUP_VAULT_NOTIFICATIONS), "backupVaultEvents", (events) =>
                (events as string[]).filter((e) => e !== "COPY_JOB_FAILED"),
            ),
        policy: "backup-vault-failure-notifications",
    },
    {
        service: SERVICE,
        protection: "failed-job notifications",
        mutation: "BACKUP_JOB_COMPLETED replaced by the deprecated BACKUP_JOB_FAILED (no longer sent)",
        apply: (s) =>
            s.update(sibling(s, BACKUP_VAULT_NOTIFICATIONS), "backupVaultEvents", (events) =>
                (events as string[]).map((e) => (e === "BACKUP_JOB_COMPLETED" ? "BACKUP_JOB_FAILED" : e)),
            ),
        policy: "backup-vault-failure-notifications",
    },
];
