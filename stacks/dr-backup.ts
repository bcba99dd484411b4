import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { backupPlanRule } from "../components/backup";
import { StackConfig } from "../config/stack-config";
import { BackupRuleSpec } from "../lib/backup-rules";
import { backupRoleName, backupVaultName } from "../lib/naming";
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
 * home region is down). One plan per target, as in the primary stack: the restored database,
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
    // `id` names the Pulumi resources, `physical` the plan and selection in AWS (kept as the
    // database's were first named, so existing stacks see no replacement).
    const declare = (
        id: string,
        physical: string,
        rules: readonly BackupRuleSpec[],
        selection: Pick<aws.backup.SelectionArgs, "resources" | "conditions">,
    ) => {
        const plan = new aws.backup.Plan(
            `${config.prefix}-${id}-dr-backup`,
            {
                name: `${config.prefix}-${physical}-dr`,
                rules: rules.map((rule) => backupPlanRule(rule, vault, homeVaultArn)),
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
        declare("db", "database", config.backup.rules.database, { resources: [targets.databaseArn] });
    }
    if (targets.volumes) {
        declare("volumes", "volumes", config.backup.rules.volumes, taggedVolumeSelection(partition));
    }
    if (targets.clusterArn !== undefined) {
        declare("cluster", "cluster", config.backup.rules.cluster, { resources: [targets.clusterArn] });
    }
}
