import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { copyDestinations } from "../lib/backup-copies";
import { BACKUP_TARGETS, BackupTarget } from "../lib/backup-rules";
import { airGappedVaultName, backupRoleName, backupVaultName } from "../lib/naming";
import { partitionOf } from "../lib/regions";
import { statefulChild } from "../lib/resource-options";
import { BackupSettings } from "../config/backup";
import { copyVaultsFor } from "./backup-copy-vaults";
import { backupPlanRule } from "./backup-plan-rule";
import { attachManagedPolicies } from "./iam";
import { vaultAccessPolicy } from "./vault-access-policy";
import { taggedVolumeSelection } from "../lib/tags";

/**
 * Vault events sent to the alert topic. AWS Backup reports failed backups as
 * BACKUP_JOB_COMPLETED with a failed state (filter on it in the subscription); copy and S3
 * object failures have their own events.
 */
export const VAULT_EVENTS = [
    "BACKUP_JOB_COMPLETED",
    "COPY_JOB_FAILED",
    "RESTORE_JOB_COMPLETED",
    "S3_BACKUP_OBJECT_FAILED",
    "S3_RESTORE_OBJECT_FAILED",
];

/** AWS managed policies the backup role needs: backup and restore, S3 included. */
export const BACKUP_ROLE_POLICIES = [
    "service-role/AWSBackupServiceRolePolicyForBackup",
    "service-role/AWSBackupServiceRolePolicyForRestores",
    "AWSBackupServiceRolePolicyForS3Backup",
    "AWSBackupServiceRolePolicyForS3Restore",
];

/** Vault Lock's compliance-mode cooling-off, in days: 3 days = 72 hours during which the lock can still be removed. */
export const COMPLIANCE_COOLING_OFF_DAYS = 3;

/** ARNs of the resources each backup target selects. Volumes are selected by tag instead. */
export type BackupTargetArns = Readonly<
    Record<Exclude<BackupTarget["id"], "volumes">, pulumi.Input<string>[]>
>;

/** Arguments of {@link Backup}. */
export interface BackupArgs {
    /** Naming prefix. */
    prefix: string;
    /** Home region (the primary vault). */
    homeRegion: string;
    /** DR region (the copy vault). */
    drRegion: string;
    /** KMS key of the home vault. */
    kmsKeyArn: pulumi.Input<string>;
    /** KMS replica key of the DR vault. */
    replicaKmsKeyArn: pulumi.Input<string>;
    /** Provider for the DR region. */
    replicaProvider: aws.Provider;
    /** Retention, Vault Lock and the rules derived from the objectives. */
    settings: BackupSettings;
    /** Alert topic in the home region (vault events of the home vault). */
    alarmTopicArn: pulumi.Input<string>;
    /** Alert topic in the DR region (vault events of the DR vault). */
    drAlarmTopicArn: pulumi.Input<string>;
    /** The resources each target selects by ARN. */
    targets: BackupTargetArns;
}

/**
 * AWS Backup for everything stateful: a vault in the home region and one in the DR region,
 * each encrypted with its region's key, locked (Vault Lock), with an access policy that
 * denies deleting recovery points and notifications of failed jobs; one plan per backup
 * target whose rules come from the objectives and all copy to the DR vault with their own
 * retention; selections by explicit ARN (and by tag for volumes), so coverage can be shown;
 * and the role AWS Backup uses to back up and restore.
 */
export class Backup extends pulumi.ComponentResource {
    /** The home-region vault. */
    public readonly vault: aws.backup.Vault;
    /** The DR-region vault. */
    public readonly drVault: aws.backup.Vault;
    /** The logically air-gapped vault in the DR region, where the daily rules also copy. */
    public readonly airGappedVault: aws.backup.LogicallyAirGappedVault;
    /** The role AWS Backup assumes for backups and restores. */
    public readonly role: aws.iam.Role;
    /** Plans by backup target. */
    public readonly plans: Readonly<Record<BackupTarget["id"], aws.backup.Plan>>;
    /** Home vault ARN. */
    public readonly vaultArn: pulumi.Output<string>;
    /** DR vault ARN. */
    public readonly drVaultArn: pulumi.Output<string>;

    constructor(name: string, args: BackupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webank:backup:Backup", name, {}, opts);
        const dr = { provider: args.replicaProvider };
        this.vault = this.lockedVault(
            `${name}-home`,
            backupVaultName(args.prefix),
            args.kmsKeyArn,
            args.alarmTopicArn,
            args,
            {},
        );
        this.drVault = this.lockedVault(
            `${name}-dr`,
            backupVaultName(args.prefix),
            args.replicaKmsKeyArn,
            args.drAlarmTopicArn,
            args,
            dr,
        );
        this.airGappedVault = this.airGapped(name, args, dr);
        this.vaultArn = this.vault.arn;
        this.drVaultArn = this.drVault.arn;

        this.role = new aws.iam.Role(
            `${name}-role`,
            {
                // A fixed name: the dr stack uses this role for its own plan after a failover.
                name: backupRoleName(args.prefix),
                description: "AWS Backup backs up and restores the webank stores with this role",
                // No aws:SourceAccount condition: AWS Backup's "Cross-service confused deputy
                // prevention" documents the keys for its SNS notifications and backup-storage's KMS
                // use only, not for assuming the role a plan's selection names.
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: "backup.amazonaws.com" },
                            Action: "sts:AssumeRole",
                        },
                    ],
                }),
            },
            { parent: this },
        );
        const partition = partitionOf(args.homeRegion);
        const attachments = attachManagedPolicies(
            `${name}-role`,
            this.role,
            BACKUP_ROLE_POLICIES.map((policy) => `arn:${partition}:iam::aws:policy/${policy}`),
            { parent: this },
        );

        const copyVaults = copyVaultsFor({
            prefix: args.prefix,
            partition,
            planRegion: args.homeRegion,
            drRegion: args.drRegion,
            otherRegionVaultArn: this.drVault.arn,
            airGappedVaultArn: this.airGappedVault.arn,
            backupAccountId: args.settings.backupAccountId,
        });
        const plans = {} as Record<BackupTarget["id"], aws.backup.Plan>;
        for (const target of BACKUP_TARGETS) {
            const plan = new aws.backup.Plan(
                `${name}-${target.id}`,
                {
                    name: `${args.prefix}-${target.id}`,
                    rules: args.settings.rules[target.id].map((rule) =>
                        backupPlanRule(
                            rule,
                            this.vault.name,
                            copyDestinations(rule, target.kind, copyVaults),
                        ),
                    ),
                },
                { parent: this },
            );
            plans[target.id] = plan;
            const selection: aws.backup.SelectionArgs = {
                name: `${args.prefix}-${target.id}`,
                planId: plan.id,
                iamRoleArn: this.role.arn,
                resources: args.targets[target.id as keyof BackupTargetArns],
            };
            if (target.id === "volumes") {
                // Every volume the cluster's StorageClass creates carries the backup tag.
                Object.assign(selection, taggedVolumeSelection(partition));
            }
            new aws.backup.Selection(`${name}-${target.id}`, selection, {
                parent: this,
                dependsOn: attachments,
            });
        }
        this.plans = plans;
        this.registerOutputs({
            vaultArn: this.vaultArn,
            drVaultArn: this.drVaultArn,
            airGappedVaultArn: this.airGappedVault.arn,
        });
    }

    /**
     * The logically air-gapped vault: compliance-mode Vault Lock built in, with the lock's
     * retention bounds, so copies outside them are refused like the locked vaults'. No
     * customer managed key: the vault's default AWS owned key is what an administrator of this
     * account cannot schedule for deletion, and a deleted key would make every copy unreadable
     * (the guide recommends the default; RDS and EBS copies still need their source encrypted
     * with a customer managed key, which the data key is:
     * https://docs.aws.amazon.com/aws-backup/latest/devguide/logicallyairgappedvault.html).
     * No notifications or access policy of its own: failed copies are reported by the source
     * vault (COPY_JOB_FAILED in {@link VAULT_EVENTS}), and nobody can delete a point before
     * its retention ends whatever a policy says. Production adds multi-party approval (README,
     * "Air-gapped copies"), so the vault can be restored from when this account is lost.
     */
    private airGapped(
        name: string,
        args: BackupArgs,
        placement: pulumi.CustomResourceOptions,
    ): aws.backup.LogicallyAirGappedVault {
        return new aws.backup.LogicallyAirGappedVault(
            `${name}-air-gapped`,
            {
                name: airGappedVaultName(args.prefix),
                minRetentionDays: args.settings.vaultLock.minRetentionDays,
                maxRetentionDays: args.settings.vaultLock.maxRetentionDays,
            },
            statefulChild(this, placement),
        );
    }

    /** A vault with Vault Lock, a policy denying recovery-point deletion, and failure notifications. */
    private lockedVault(
        name: string,
        vaultName: string,
        kmsKeyArn: pulumi.Input<string>,
        topicArn: pulumi.Input<string>,
        args: BackupArgs,
        placement: pulumi.CustomResourceOptions,
    ): aws.backup.Vault {
        const lock = args.settings.vaultLock;
        const vault = new aws.backup.Vault(
            name,
            { name: vaultName, kmsKeyArn, forceDestroy: false },
            statefulChild(this, placement),
        );
        new aws.backup.VaultLockConfiguration(
            name,
            {
                backupVaultName: vault.name,
                minRetentionDays: lock.minRetentionDays,
                maxRetentionDays: lock.maxRetentionDays,
                // Compliance mode: after this cooling-off nobody can remove the lock or shorten retention.
                changeableForDays: lock.mode === "compliance" ? COMPLIANCE_COOLING_OFF_DAYS : undefined,
            },
            statefulChild(this, placement),
        );
        new aws.backup.VaultPolicy(
            name,
            { backupVaultName: vault.name, policy: JSON.stringify(vaultAccessPolicy()) },
            statefulChild(this, placement),
        );
        new aws.backup.VaultNotifications(
            name,
            { backupVaultName: vault.name, snsTopicArn: topicArn, backupVaultEvents: VAULT_EVENTS },
            { parent: this, ...placement },
        );
        return vault;
    }
}
