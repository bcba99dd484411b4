import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { copyVaultsFor } from "../components/backup-copy-vaults";
import { backupPlanRule } from "../components/backup-plan-rule";
import { StackConfig } from "../config/stack-config";
import { copyDestinations } from "../lib/backup-copies";
import { BACKUP_TARGETS, BackupTarget } from "../lib/backup-rules";
import { airGappedVaultName, backupRoleName, backupVaultName } from "../lib/naming";
import { partitionOf } from "../lib/regions";
import { taggedVolumeSelection } from "../lib/tags";

/** What the dr stack holds that must be backed up in the DR region. */
export interface DrBackupTargets {
    /** ARN of the restored database, once the stack is activated. @default none */
    readonly databaseArn?: pulumi.Input<string>;
    /** True when the stack runs a cluster, whose StorageClass tags every volume it makes. */
    readonly volumes: boolean;
    /** ARN of the stack's EKS cluster (warm, hot, an activated pilot), backed up by ARN. @default none */
    readonly clusterArn?: pulumi.Input<string>;
}

/**
 * The dr stack's own AWS Backup plans: after a failover the DR region is the system of
 * record, so what it holds is backed up into the DR vault (created by the primary stack)
 * with the primary's rules, each copy going back to the home vault (copies wait while the
 * home region is down), the daily rules also to the air-gapped vault (in this region) and
 * every rule to the backup account when `webank:backupAccountId` is set, its vault in this
 * region (lib/backup-copies.ts). One plan per target, as in the primary stack: the restored database,
 * the volumes the cluster's StorageClass tags (a warm standby has them before activation), and
 * the cluster itself by ARN (its state as an EKS composite recovery point, from the moment the
 * stack runs one: after a failover the DR cluster's Secrets and ConfigMaps are the ones in use).
 *
 * The dr stack declares no AWS Config recorder (`webank:configRecorder` applies to the primary
 * stack only): Backup Audit Manager evaluates a framework's controls with AWS Config in the
 * framework's own region, and the one framework is in the home region (stacks/primary.ts), whose
 * cross-region control checks from there that copies reach this region. Recording here would be
 * paid for and read by nothing; a framework declared here one day needs a recorder of
 * AUDIT_RECORDED_RESOURCE_TYPES in this region first (components/config-recording.ts).
 */
export function declareDrBackups(
    config: StackConfig,
    provider: aws.Provider,
    accountId: pulumi.Input<string>,
    targets: DrBackupTargets,
): void {
    const partition = partitionOf(config.drRegion);
    const vault = backupVaultName(config.prefix);
    const homeVaultArn = pulumi.interpolate`arn:${partition}:backup:${config.homeRegion}:${accountId}:backup-vault:${vault}`;
    const roleArn = pulumi.interpolate`arn:${partition}:iam::${accountId}:role/${backupRoleName(config.prefix)}`;
    // The vaults the primary stack declares in this region or the other (the ARN's resource is
    // `backup-vault:<name>` for an air-gapped vault too: API_CreateLogicallyAirGappedBackupVault).
    const copyVaults = copyVaultsFor({
        prefix: config.prefix,
        partition,
        planRegion: config.drRegion,
        drRegion: config.drRegion,
        otherRegionVaultArn: homeVaultArn,
        airGappedVaultArn: pulumi.interpolate`arn:${partition}:backup:${config.drRegion}:${accountId}:backup-vault:${airGappedVaultName(config.prefix)}`,
        backupAccountId: config.backup.backupAccountId,
    });
    const kindOf = (target: BackupTarget["id"]) => {
        const found = BACKUP_TARGETS.find((t) => t.id === target);
        if (found === undefined) {
            throw new Error(`no backup target ${target} in BACKUP_TARGETS`);
        }
        return found.kind;
    };
    // `id` names the Pulumi resources, `physical` the plan and selection in AWS (kept as the
    // database's were first named, so existing stacks see no replacement).
    const declare = (
        id: string,
        target: BackupTarget["id"],
        physical: string,
        selection: Pick<aws.backup.SelectionArgs, "resources" | "conditions">,
    ) => {
        const plan = new aws.backup.Plan(
            `${config.prefix}-${id}-dr-backup`,
            {
                name: `${config.prefix}-${physical}-dr`,
                rules: config.backup.rules[target].map((rule) =>
                    backupPlanRule(rule, vault, copyDestinations(rule, kindOf(target), copyVaults)),
                ),
            },
            { provider },
        );
        new aws.backup.Selection(
            `${config.prefix}-${id}-dr-backup`,
            { name: `${config.prefix}-${physical}-dr`, planId: plan.id, iamRoleArn: roleArn, ...selection },
            { provider },
        );
    };
    if (targets.databaseArn !== undefined) {
        declare("db", "database", "database", { resources: [targets.databaseArn] });
    }
    if (targets.volumes) {
        declare("volumes", "volumes", "volumes", taggedVolumeSelection(partition));
    }
    if (targets.clusterArn !== undefined) {
        declare("cluster", "cluster", "cluster", { resources: [targets.clusterArn] });
    }
}
