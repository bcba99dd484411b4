import { PolicyPackConfig } from "@pulumi/policy";
import { parseStackConfig, StackConfig } from "../config/stack-config";
import { counterpartObjectives, readProjectFile, rawConfigOf, readStackConfig } from "../config/stack-files";
import { BACKUP_TARGETS, BackupResourceKind, deliveredRpoMinutes } from "../lib/backup-rules";
import { KMS_DELETION_WINDOW_DAYS } from "../lib/retention";
import { POLICIES } from "../policies/policies";
import { PolicyObjectives } from "../policies/thresholds";
import { StackConfiguration } from "./stack-variants";

/**
 * Stack config → the pack's thresholds: what `npm run policy:check` configures the pack with
 * before each stack, and what `npm run policy:config` writes for
 * `pulumi preview --policy-pack-config`. Every value comes from the stack's own objectives
 * and settings, through the same modules the program uses.
 */

/** The objectives of `config`, as the pack's thresholds name them. */
export function policyObjectivesOf(config: StackConfig): PolicyObjectives {
    const rules = Object.values(config.backup.rules).flat();
    const rpoOfKind = (kind: BackupResourceKind) =>
        Math.min(
            ...BACKUP_TARGETS.filter((t) => t.kind === kind).map((t) =>
                deliveredRpoMinutes(config.backup.rules[t.id], kind),
            ),
        );
    return {
        pitrDays: config.retention.pitrDays,
        replicatedBackupRetentionDays: config.database.replicatedBackupRetentionDays,
        noncurrentVersionDays: config.retention.noncurrentVersionDays,
        kmsDeletionWindowDays: KMS_DELETION_WINDOW_DAYS,
        backupRpoMinutes: {
            rds: rpoOfKind("rds"),
            ebs: rpoOfKind("ebs"),
            dynamodb: rpoOfKind("dynamodb"),
            s3: rpoOfKind("s3"),
            eks: rpoOfKind("eks"),
        },
        backupRetentionDays: Math.min(...rules.map((r) => r.deleteAfterDays)),
        backupLongTermRetentionDays: config.backup.retention.longTermDays,
        backupCopyRetentionDays: Math.min(...rules.map((r) => r.copyDeleteAfterDays)),
        backupMaxFrequentCopyDays: config.backup.retention.drFrequentCopyDays,
        vaultLockMinRetentionDays: config.backup.vaultLock.minRetentionDays,
        vaultLockMode: config.backup.vaultLock.mode,
        stackRole: config.role,
        homeRegion: config.homeRegion,
        drRegion: config.drRegion,
        disposableStack: config.dr.drill !== undefined,
        gitopsRpoMinutes: config.objectives.gitops.rpoMinutes,
    };
}

/**
 * The `--policy-pack-config` document for `objectives`: for each policy of the pack that has a
 * `configSchema`, the value of each of its properties.
 */
export function policyPackConfigFor(objectives: PolicyObjectives): PolicyPackConfig {
    const config: PolicyPackConfig = {};
    for (const policy of POLICIES) {
        const properties = Object.keys(policy.configSchema?.properties ?? {});
        if (properties.length > 0) {
            config[policy.name] = Object.fromEntries(
                properties.map((name) => {
                    if (!(name in objectives)) {
                        throw new Error(
                            `policy ${policy.name} reads threshold ${name}, which no stack config derives`,
                        );
                    }
                    return [name, objectives[name as keyof PolicyObjectives]];
                }),
            );
        }
    }
    return config;
}

/** The validated stack config of a configuration: its stack file with the overrides set over it. */
export function stackConfigOf(configuration: StackConfiguration, root?: string): StackConfig {
    const files = readStackConfig(configuration.stack, root);
    const raw = rawConfigOf(
        {
            ...files,
            stack: configuration.stackName ?? configuration.stack,
            config: { ...files.config, ...configuration.overrides },
        },
        readProjectFile(root),
    );
    return parseStackConfig({
        ...raw,
        counterpart: counterpartObjectives(configuration.stackName ?? configuration.stack, root),
    });
}
