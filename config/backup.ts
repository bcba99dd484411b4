import {
    BACKUP_TARGETS,
    BackupRetention,
    BackupRuleSpec,
    BackupTarget,
    ImpossibleObjectiveError,
    isFrequentRule,
    MAX_DR_FREQUENT_COPY_DAYS,
    MIN_COLD_STORAGE_DAYS,
    rulesForTarget,
} from "../lib/backup-rules";
import { ProblemCollector } from "../lib/errors";
import { CONFIG_DEFAULTS } from "./defaults";
import { configKey, RawStackConfig } from "./keys";
import type { ResolvedObjectives } from "./objectives";
import { oneOf, wholeNumber } from "./values";

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

/** The rules' retention inputs (lib/backup-rules.ts), each with the key that sets it. */
export interface BackupRetentionSettings extends BackupRetention {
    /** Retention of the frequent backups in the home vault: `webank:pitrRetentionDays`, the PITR window. */
    readonly shortTermDays: number;
    /**
     * `webank:backupLongTermRetentionDays`: retention of the daily long-term backups and their DR copies.
     * @default 365
     */
    readonly longTermDays: number;
    /**
     * `webank:backupColdStorageAfterDays`: age at which long-term backups move to cold storage.
     * @default 90
     */
    readonly coldStorageAfterDays: number;
    /**
     * `webank:backupDrFrequentCopyDays`: retention of the frequent backups' DR copies.
     * @default 7
     */
    readonly drFrequentCopyDays: number;
}

/** AWS Backup settings: retention, Vault Lock, and the rules derived from the objectives. */
export interface BackupSettings {
    /** Retention of frequent and long-term backups. */
    readonly retention: BackupRetentionSettings;
    /** Vault Lock of both vaults. */
    readonly vaultLock: {
        /**
         * `webank:vaultLockMode`: `governance` or `compliance` (the production setting,
         * irreversible after 72 hours).
         * @default "governance"
         */
        readonly mode: VaultLockMode;
        /**
         * `webank:vaultLockMinRetentionDays`: shortest retention a recovery point may have.
         * @default 7
         */
        readonly minRetentionDays: number;
        /**
         * `webank:vaultLockMaxRetentionDays`: longest retention a recovery point may have.
         * @default 3650
         */
        readonly maxRetentionDays: number;
    };
    /** The rules of every backup target, derived from the objectives. */
    readonly rules: Readonly<Record<BackupTarget["id"], readonly BackupRuleSpec[]>>;
    /**
     * `webank:configRecorder`: who provides the AWS Config recording the audit framework evaluates with.
     * @default "create"
     */
    readonly configRecorder: ConfigRecorderMode;
    /**
     * `webank:backupAccountId`: a second AWS account (same AWS Organizations organization) every
     * rule also copies into, so the backups outlive this account's administrators.
     * @default none: no cross-account copies
     */
    readonly backupAccountId?: string;
}

/** An AWS account id: exactly 12 decimal digits (IAM User Guide, "AWS account identifiers"). */
const ACCOUNT_ID_PATTERN = /^[0-9]{12}$/;

/**
 * `webank:backupAccountId`: undefined when unset; a problem naming the value when it is not
 * 12 digits. A YAML stack file reads an unquoted id as a number, dropping any leading zero,
 * so a short all-digit value gets that hint.
 */
function parseBackupAccountId(raw: RawStackConfig, problems: ProblemCollector): string | undefined {
    const value = raw.get("backupAccountId");
    if (value === undefined) {
        return undefined;
    }
    if (!ACCOUNT_ID_PATTERN.test(value)) {
        const hint = /^[0-9]{1,11}$/.test(value)
            ? "quote it in the stack file: YAML reads an unquoted id as a number and drops its leading zeros"
            : undefined;
        problems.add(configKey("backupAccountId"), "be a 12-digit AWS account id", value, hint);
        return undefined;
    }
    return value;
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
        CONFIG_DEFAULTS.backupLongTermRetentionDays,
    );
    const coldStorageAfterDays = wholeNumber(
        problems,
        configKey("backupColdStorageAfterDays"),
        raw.get("backupColdStorageAfterDays"),
        DAYS,
        CONFIG_DEFAULTS.backupColdStorageAfterDays,
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
    const backupAccountId = parseBackupAccountId(raw, problems);
    const mode = oneOf(
        problems,
        configKey("vaultLockMode"),
        raw.get("vaultLockMode"),
        VAULT_LOCK_MODES,
        CONFIG_DEFAULTS.vaultLockMode,
    );
    const minRetentionDays = wholeNumber(
        problems,
        configKey("vaultLockMinRetentionDays"),
        raw.get("vaultLockMinRetentionDays"),
        DAYS,
        CONFIG_DEFAULTS.vaultLockMinRetentionDays,
    );
    const maxRetentionDays = wholeNumber(
        problems,
        configKey("vaultLockMaxRetentionDays"),
        raw.get("vaultLockMaxRetentionDays"),
        DAYS,
        CONFIG_DEFAULTS.vaultLockMaxRetentionDays,
    );
    const configRecorder = oneOf(
        problems,
        configKey("configRecorder"),
        raw.get("configRecorder"),
        CONFIG_RECORDER_MODES,
        CONFIG_DEFAULTS.configRecorder,
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
    return {
        retention,
        vaultLock: { mode, minRetentionDays, maxRetentionDays },
        rules,
        configRecorder,
        backupAccountId,
    };
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
        CONFIG_DEFAULTS.backupDrFrequentCopyDays,
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
