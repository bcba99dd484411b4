import {
    BACKUP_TARGETS,
    BackupRetention,
    BackupRuleSpec,
    BackupTarget,
    DEFAULT_DR_FREQUENT_COPY_DAYS,
    ImpossibleObjectiveError,
    isFrequentRule,
    MAX_DR_FREQUENT_COPY_DAYS,
    MIN_COLD_STORAGE_DAYS,
    rulesForTarget,
} from "../backup-rules";
import { oneOf, wholeNumber } from "../config-values";
import { ProblemCollector } from "../errors";
import type { RawStackConfig } from "../../config";
import { configKey } from "./key";
import type { ResolvedObjectives } from "./objectives";

/** Vault Lock modes: governance can be lifted by privileged users; compliance never, after its cooling-off. */
export const VAULT_LOCK_MODES = ["governance", "compliance"] as const;

/** A Vault Lock mode. */
export type VaultLockMode = (typeof VAULT_LOCK_MODES)[number];

/**
 * Values of `webank:configRecorder`: `create` declares the AWS Config recording the backup
 * audit framework needs; `existing` declares none, because the account already records those
 * types in the home region (a region holds one customer managed recorder per account, AWS
 * Config Developer Guide, "Working with the configuration recorder").
 */
export const CONFIG_RECORDER_MODES = ["create", "existing"] as const;

/** A value of `webank:configRecorder`. */
export type ConfigRecorderMode = (typeof CONFIG_RECORDER_MODES)[number];

/** AWS Backup settings: retention, Vault Lock, and the rules derived from the objectives. */
export interface BackupSettings {
    /** Retention of frequent and long-term backups. */
    readonly retention: BackupRetention;
    /** Vault Lock of both vaults. */
    readonly vaultLock: {
        /** `governance` (default) or `compliance` (the production setting, irreversible after 72 hours). */
        readonly mode: VaultLockMode;
        /** Shortest retention a recovery point may have. Default 7. */
        readonly minRetentionDays: number;
        /** Longest retention a recovery point may have. Default 3650. */
        readonly maxRetentionDays: number;
    };
    /** The rules of every backup target, derived from the objectives. */
    readonly rules: Readonly<Record<BackupTarget["id"], readonly BackupRuleSpec[]>>;
    /** `webank:configRecorder`: who provides the AWS Config recording the audit framework evaluates with. Default `create`. */
    readonly configRecorder: ConfigRecorderMode;
}

const DAYS = { min: 1, max: 36500 } as const;

/**
 * Backup settings. The rules are derived here, so an objective AWS cannot meet (an EBS RPO
 * under an hour, say) is refused with the key to change, and every rule's retention is
 * checked against the Vault Lock bounds before anything is declared.
 */
export function parseBackup(
    raw: RawStackConfig,
    problems: ProblemCollector,
    resolved: ResolvedObjectives | undefined,
    shortTermDays: number | undefined,
): BackupSettings | undefined {
    const longTermDays = wholeNumber(
        problems,
        configKey("backupLongTermRetentionDays"),
        raw.get("backupLongTermRetentionDays"),
        DAYS,
        365,
    );
    const coldStorageAfterDays = wholeNumber(
        problems,
        configKey("backupColdStorageAfterDays"),
        raw.get("backupColdStorageAfterDays"),
        DAYS,
        90,
    );
    if (
        longTermDays !== undefined &&
        coldStorageAfterDays !== undefined &&
        longTermDays < coldStorageAfterDays + MIN_COLD_STORAGE_DAYS
    ) {
        problems.add(
            configKey("backupLongTermRetentionDays"),
            `be at least ${configKey("backupColdStorageAfterDays")} + ${MIN_COLD_STORAGE_DAYS} (${coldStorageAfterDays + MIN_COLD_STORAGE_DAYS}): AWS Backup keeps cold copies at least ${MIN_COLD_STORAGE_DAYS} days`,
            longTermDays,
        );
    }
    const drFrequentCopyDays = parseFrequentCopyDays(raw, problems, shortTermDays);
    const mode = oneOf(
        problems,
        configKey("vaultLockMode"),
        raw.get("vaultLockMode"),
        VAULT_LOCK_MODES,
        "governance",
    );
    const minRetentionDays = wholeNumber(
        problems,
        configKey("vaultLockMinRetentionDays"),
        raw.get("vaultLockMinRetentionDays"),
        DAYS,
        7,
    );
    const maxRetentionDays = wholeNumber(
        problems,
        configKey("vaultLockMaxRetentionDays"),
        raw.get("vaultLockMaxRetentionDays"),
        DAYS,
        3650,
    );
    const configRecorder = oneOf(
        problems,
        configKey("configRecorder"),
        raw.get("configRecorder"),
        CONFIG_RECORDER_MODES,
        "create",
    );
    if (
        minRetentionDays !== undefined &&
        maxRetentionDays !== undefined &&
        minRetentionDays > maxRetentionDays
    ) {
        problems.add(
            configKey("vaultLockMinRetentionDays"),
            `not exceed ${configKey("vaultLockMaxRetentionDays")} (${maxRetentionDays})`,
            minRetentionDays,
        );
    }
    if (
        resolved === undefined ||
        shortTermDays === undefined ||
        longTermDays === undefined ||
        coldStorageAfterDays === undefined ||
        drFrequentCopyDays === undefined ||
        mode === undefined ||
        configRecorder === undefined ||
        minRetentionDays === undefined ||
        maxRetentionDays === undefined
    ) {
        return undefined;
    }

    const { objectives } = resolved;
    const retention = { shortTermDays, longTermDays, coldStorageAfterDays, drFrequentCopyDays };
    const rules = {} as Record<BackupTarget["id"], BackupRuleSpec[]>;
    const before = problems.count;
    for (const target of BACKUP_TARGETS) {
        try {
            rules[target.id] = rulesForTarget(target, objectives, retention);
        } catch (error) {
            if (!(error instanceof ImpossibleObjectiveError)) {
                throw error;
            }
            const field = resolved.keyOf(error.assetClass, "rpoMinutes");
            if (!problems.has(field)) {
                problems.add(
                    field,
                    `be achievable: ${error.message}`,
                    objectives[error.assetClass].rpoMinutes,
                );
            }
            continue;
        }
        for (const rule of rules[target.id]) {
            // A frequent copy shorter than the lock allows is set by its own key: name that key.
            const copyTooShort = isFrequentRule(rule) && rule.copyDeleteAfterDays < minRetentionDays;
            const copyKey = configKey("backupDrFrequentCopyDays");
            if (copyTooShort && !problems.has(copyKey)) {
                problems.add(
                    copyKey,
                    `be at least ${configKey("vaultLockMinRetentionDays")} (${minRetentionDays}): the DR vault's lock would fail shorter copies`,
                    rule.copyDeleteAfterDays,
                );
            }
            const retentions = copyTooShort
                ? [rule.deleteAfterDays]
                : [rule.deleteAfterDays, rule.copyDeleteAfterDays];
            for (const days of retentions) {
                if (days < minRetentionDays || days > maxRetentionDays) {
                    problems.add(
                        configKey(
                            days > maxRetentionDays
                                ? "vaultLockMaxRetentionDays"
                                : "vaultLockMinRetentionDays",
                        ),
                        `allow the ${days}-day retention of backup rule ${rule.name} (the vault lock would fail its jobs)`,
                        days > maxRetentionDays ? maxRetentionDays : minRetentionDays,
                    );
                }
            }
        }
    }
    if (problems.count > before) {
        return undefined;
    }
    return { retention, vaultLock: { mode, minRetentionDays, maxRetentionDays }, rules, configRecorder };
}

/**
 * `webank:backupDrFrequentCopyDays`: how long the DR copies of frequent backups are kept,
 * from 1 to {@link MAX_DR_FREQUENT_COPY_DAYS} and not longer than the home vault keeps the
 * points they copy (`shortTermDays`, the PITR window). The Vault Lock bound is checked with
 * the rules. Undefined (a problem recorded) when invalid.
 */
function parseFrequentCopyDays(
    raw: RawStackConfig,
    problems: ProblemCollector,
    shortTermDays: number | undefined,
): number | undefined {
    const field = configKey("backupDrFrequentCopyDays");
    const days = wholeNumber(
        problems,
        field,
        raw.get("backupDrFrequentCopyDays"),
        { min: 1, max: MAX_DR_FREQUENT_COPY_DAYS },
        DEFAULT_DR_FREQUENT_COPY_DAYS,
    );
    if (days !== undefined && shortTermDays !== undefined && days > shortTermDays) {
        problems.add(
            field,
            `not exceed ${configKey("pitrRetentionDays")} (${shortTermDays}), the retention of the frequent backups it copies (the daily copies cover longer)`,
            days,
        );
        return undefined;
    }
    return days;
}
