import { PolicyResource } from "@pulumi/policy";
import { COMPLIANCE_COOLING_OFF_DAYS } from "../components/backup";
import { VAULT_DENIED_ACTIONS } from "../components/vault-access-policy";
import { resourcePolicy, stackPolicy } from "./lib/define";
import { Evaluation } from "./lib/evaluation";
import { referencedBy, regionOf } from "./lib/graph";
import { requireCustomerKey } from "./lib/keys";
import { describe, isUnknown, listAt, UNKNOWN, valueAt } from "./lib/values";
import {
    BACKUP_VAULT,
    BACKUP_VAULT_LOCK,
    BACKUP_VAULT_NOTIFICATIONS,
    BACKUP_VAULT_POLICY,
    retentionsInto,
    vaultNameOf,
    vaultSiblings,
    vaultsOf,
} from "./backup-graph";
import { pick, PolicyObjectives } from "./thresholds";

/**
 * The AWS Backup vaults: encrypted with a customer key, never force-destroyed, locked with
 * the stack's bounds and mode, an access policy that denies everyone the actions that delete
 * or unprotect recovery points, and failure notifications. Each setting is a sibling naming
 * the vault (see backup-graph.ts), judged by value.
 */

/** The SNS topic type. */
const SNS_TOPIC = "aws:sns/topic:Topic";

/** Shortest ChangeableForDays AWS Backup accepts: "AWS Backup enforces a 72-hour cooling-off period before Vault Lock takes effect and becomes immutable. Therefore, you must set ChangeableForDays to 3 or greater" (AWS::Backup::BackupVault LockConfigurationType). */
export const MIN_CHANGEABLE_FOR_DAYS = 3;

/**
 * Vaults encrypted with a customer managed key, given as its ARN: without `kmsKeyArn` AWS
 * Backup "creates a KMS key for you by default" (the AWS managed `aws/backup`), and "If you
 * specify a key, you must specify its ARN, not its alias" (CreateBackupVault EncryptionKeyArn).
 */
export const backupVaultCustomerKey = stackPolicy({
    name: "backup-vault-customer-key",
    description: "Checks whether AWS Backup vaults are encrypted with a customer managed KMS key.",
    validate: (args, evaluation) => {
        for (const vault of vaultsOf(args)) {
            requireCustomerKey(evaluation, vault, "kmsKeyArn", "backup vault encryption");
            const key = valueAt(vault.props, "kmsKeyArn");
            if (
                typeof key === "string" &&
                /^arn:[^:]+:kms:[^:]*:[^:]*:alias\//.test(key) &&
                !/alias\/aws\//.test(key)
            ) {
                evaluation.violation(
                    vault,
                    "kmsKeyArn",
                    `must be the key's ARN (AWS Backup takes a key ARN, not an alias); it is ${describe(key)}.`,
                );
            }
        }
    },
});

/** `forceDestroy` off: with it, destroying the vault deletes every recovery point in it (provider: "Whether to delete all recovery points stored in the vault so that the vault can be destroyed without error. Default value: `false`"). */
export const backupVaultForceDestroyDisabled = resourcePolicy({
    name: "backup-vault-force-destroy-disabled",
    description:
        "Checks whether AWS Backup vaults keep their recovery points when the vault is destroyed (forceDestroy off).",
    types: [BACKUP_VAULT],
    validate: (vault, evaluation) =>
        evaluation.check(vault, "forceDestroy", (value) =>
            value === true
                ? `must not be true (destroying the vault would delete every recovery point in it); it is ${describe(value)}.`
                : undefined,
        ),
});

/** Judges one lock of `vault`: its minimum, its fit with the rules' retentions, its mode. */
function judgeLock(
    evaluation: Evaluation,
    lock: PolicyResource,
    retentions: ReturnType<typeof retentionsInto>,
    config: Pick<PolicyObjectives, "vaultLockMinRetentionDays" | "vaultLockMode">,
): void {
    const min = evaluation.check(lock, "minRetentionDays", (value) =>
        typeof value === "number" && value >= config.vaultLockMinRetentionDays
            ? undefined
            : `must be at least ${config.vaultLockMinRetentionDays} days (vaultLockMinRetentionDays: no recovery point may be deleted sooner); it is ${describe(value)}.`,
    );
    const max = valueAt(lock.props, "maxRetentionDays");
    if (isUnknown(max)) {
        evaluation.unknown(lock, "maxRetentionDays");
    }
    if (retentions.some((r) => r.days === UNKNOWN)) {
        evaluation.unknown(lock, "maxRetentionDays");
    }
    const known = retentions.filter((r): r is { days: number; what: string } => r.days !== UNKNOWN);
    const shortest = known.reduce<(typeof known)[number] | undefined>(
        (a, r) => (a === undefined || r.days < a.days ? r : a),
        undefined,
    );
    const longest = known.reduce<(typeof known)[number] | undefined>(
        (a, r) => (a === undefined || r.days > a.days ? r : a),
        undefined,
    );
    if (typeof min === "number" && shortest !== undefined && shortest.days < min) {
        evaluation.violation(
            lock,
            "minRetentionDays",
            `must not exceed the ${shortest.days}-day retention of ${shortest.what}, the shortest of the recovery points put in this vault (Vault Lock fails a backup or copy job whose retention is shorter than its minimum); it is ${min}.`,
        );
    }
    if (typeof max === "number" && longest !== undefined && longest.days > max) {
        const days = Number.isFinite(longest.days)
            ? `${longest.days}-day retention`
            : "unlimited retention (no deleteAfter)";
        evaluation.violation(
            lock,
            "maxRetentionDays",
            `must be at least the ${days} of ${longest.what}, the longest of the recovery points put in this vault (Vault Lock fails a backup or copy job whose retention is longer than its maximum); it is ${max}.`,
        );
    }
    if (config.vaultLockMode === "compliance") {
        evaluation.check(lock, "changeableForDays", (value) =>
            typeof value === "number" &&
            value >= MIN_CHANGEABLE_FOR_DAYS &&
            value <= COMPLIANCE_COOLING_OFF_DAYS
                ? undefined
                : `must be from ${MIN_CHANGEABLE_FOR_DAYS} to ${COMPLIANCE_COOLING_OFF_DAYS} days (vaultLockMode compliance: after this cooling-off nobody can remove the lock or shorten retention; unset, the lock stays in governance mode and can be removed at any time); it is ${describe(value)}.`,
        );
    }
}

/**
 * Every vault is locked (a VaultLockConfiguration naming it by `backupVaultName`): minimum
 * retention at least `vaultLockMinRetentionDays`, bounds that admit every retention the rules
 * and copies put in the vault (Vault Lock fails a job outside them: "If the job's retention
 * period is shorter than that minimum retention period, then the vault fails that backup or
 * copy job", and likewise longer than the maximum, PutBackupVaultLockConfiguration), and, in
 * `compliance` mode, a `changeableForDays` cooling-off (without it the lock is governance:
 * "If this parameter is not specified, you can delete Vault Lock from the vault ... at any
 * time", LockConfigurationType ChangeableForDays).
 */
export const backupVaultLock = stackPolicy<
    Pick<PolicyObjectives, "vaultLockMinRetentionDays" | "vaultLockMode">
>({
    name: "backup-vault-lock",
    description:
        "Checks whether every AWS Backup vault has Vault Lock with the configured minimum, mode and bounds that admit its rules.",
    thresholds: pick("vaultLockMinRetentionDays", "vaultLockMode"),
    validate: (args, evaluation, config) => {
        for (const vault of vaultsOf(args)) {
            const locks = vaultSiblings(args, vault, BACKUP_VAULT_LOCK);
            if (locks.length === 0) {
                evaluation.violation(
                    vault,
                    BACKUP_VAULT_LOCK,
                    `must be declared for this vault: a VaultLockConfiguration whose backupVaultName is this vault's name (${vaultNameOf(vault) ?? "computed from it"}) in its region ${String(regionOf(vault) ?? "")}; there is none.`,
                );
            }
            const retentions = retentionsInto(args, vault);
            locks.forEach((lock) => judgeLock(evaluation, lock, retentions, config));
        }
    },
});

const asList = (value: unknown): unknown[] =>
    Array.isArray(value) ? value : value === undefined ? [] : [value];

function glob(pattern: string, text: string): boolean {
    const escaped = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
    return new RegExp(`^${escaped.join(".*")}$`, "i").test(text);
}

/**
 * Resources a vault's recovery points are authorized on: the vault, AWS Backup recovery
 * points, and the service snapshots that are recovery points of EBS and RDS (Service
 * Authorization Reference, AWS Backup, resource types backupVault and recoveryPoint). A
 * statement covers "every resource" only when it matches all of them.
 */
function vaultResources(vault: PolicyResource): string[] {
    const region = typeof regionOf(vault) === "string" ? String(regionOf(vault)) : "us-east-1";
    return [
        `arn:aws:backup:${region}:111122223333:backup-vault:${vaultNameOf(vault) ?? "vault"}`,
        `arn:aws:backup:${region}:111122223333:recovery-point:0a1b2c3d`,
        `arn:aws:ec2:${region}::snapshot/snap-0a1b2c3d`,
        `arn:aws:rds:${region}:111122223333:snapshot:awsbackup:job-0a1b2c3d`,
    ];
}

/**
 * Whether a statement denies `action` to every principal on every resource, unconditionally,
 * by its meaning: `Effect` Deny; `Principal` `"*"` or `{"AWS": "*"}` (a `NotPrincipal`
 * exempts principals); `Action` patterns matching it (or a `NotAction` that does not);
 * `Resource` patterns matching every recovery point and the vault (or a `NotResource` that
 * matches none); no `Condition`. An Allow never counts: it cannot protect anything.
 */
export function deniesEverywhere(statement: unknown, action: string, resources: readonly string[]): boolean {
    const s = (statement ?? {}) as Record<string, unknown>;
    if (s.Effect !== "Deny" || s.NotPrincipal !== undefined) {
        return false;
    }
    const principal = s.Principal;
    const everyone =
        principal === "*" ||
        (typeof principal === "object" &&
            principal !== null &&
            asList((principal as Record<string, unknown>).AWS).includes("*"));
    const matchesAction = (list: unknown) =>
        asList(list).some((a) => typeof a === "string" && glob(a, action));
    const actionCovered =
        s.Action !== undefined
            ? matchesAction(s.Action)
            : s.NotAction !== undefined && !matchesAction(s.NotAction);
    const matchesAll = (list: unknown) =>
        resources.every((r) => asList(list).some((p) => typeof p === "string" && glob(p, r)));
    const matchesAny = (list: unknown) =>
        resources.some((r) => asList(list).some((p) => typeof p === "string" && glob(p, r)));
    const resourceCovered =
        s.Resource !== undefined
            ? matchesAll(s.Resource)
            : s.NotResource !== undefined && !matchesAny(s.NotResource);
    const unconditional =
        s.Condition === undefined ||
        (typeof s.Condition === "object" && s.Condition !== null && Object.keys(s.Condition).length === 0);
    return everyone && actionCovered && resourceCovered && unconditional;
}

/**
 * Every vault's access policy (a VaultPolicy naming it) denies each of
 * {@link VAULT_DENIED_ACTIONS} (delete a recovery point, shorten its lifecycle, replace or
 * delete the policy, delete the vault) to every principal on every resource: the shape AWS
 * Config's BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED accepts, judged by meaning
 * (wildcards, `NotAction`) rather than by spelling.
 */
export const backupVaultRecoveryPointsProtected = stackPolicy({
    name: "backup-vault-recovery-points-protected",
    description:
        "Checks whether every AWS Backup vault has an access policy denying recovery-point deletion, lifecycle changes and policy changes to every principal on every resource.",
    validate: (args, evaluation) => {
        for (const vault of vaultsOf(args)) {
            const policies = vaultSiblings(args, vault, BACKUP_VAULT_POLICY);
            if (policies.length === 0) {
                evaluation.violation(
                    vault,
                    BACKUP_VAULT_POLICY,
                    `must be declared for this vault: a VaultPolicy whose backupVaultName is this vault's name, denying ${VAULT_DENIED_ACTIONS.join(", ")} to everyone; there is none.`,
                );
                continue;
            }
            const statements = policies.map((p) => listAt(p.props, "policy.Statement"));
            if (statements.includes(UNKNOWN)) {
                policies.forEach((p) => evaluation.unknown(p, "policy"));
                continue;
            }
            const all = statements.flat<unknown[]>();
            const missing = VAULT_DENIED_ACTIONS.filter(
                (a) => !all.some((s) => deniesEverywhere(s, a, vaultResources(vault))),
            );
            if (missing.length > 0) {
                evaluation.violation(
                    policies[0],
                    "policy",
                    `must deny ${missing.join(", ")} to every principal ("Principal": "*") on every resource ("Resource": "*"), without a Condition (so no one can delete or expire recovery points early, or lift this policy); no statement does.`,
                );
            }
        }
    },
});

/**
 * The vault events that report each kind of job failure ("Notification options with AWS
 * Backup"; PutBackupVaultNotifications lists BACKUP_JOB_FAILED and the like as deprecated
 * events that "do not return statuses or notifications"): a failed backup is a
 * BACKUP_JOB_COMPLETED with a FAILED state, a failed restore a RESTORE_JOB_COMPLETED.
 */
export const FAILURE_EVENTS: Readonly<Record<string, string>> = {
    "backup jobs": "BACKUP_JOB_COMPLETED",
    "copy jobs": "COPY_JOB_FAILED",
    "restore jobs": "RESTORE_JOB_COMPLETED",
    "S3 object backups": "S3_BACKUP_OBJECT_FAILED",
    "S3 object restores": "S3_RESTORE_OBJECT_FAILED",
};

/** Every vault notifies an SNS topic of each kind of failed job (the README's failed-job notifications). */
export const backupVaultFailureNotifications = stackPolicy({
    name: "backup-vault-failure-notifications",
    description:
        "Checks whether every AWS Backup vault sends notifications of failed backup, copy and restore jobs to an SNS topic.",
    validate: (args, evaluation) => {
        for (const vault of vaultsOf(args)) {
            const notifications = vaultSiblings(args, vault, BACKUP_VAULT_NOTIFICATIONS);
            if (notifications.length === 0) {
                evaluation.violation(
                    vault,
                    BACKUP_VAULT_NOTIFICATIONS,
                    `must be declared for this vault: a VaultNotifications whose backupVaultName is this vault's name, with ${Object.values(FAILURE_EVENTS).join(", ")}; there is none.`,
                );
                continue;
            }
            const events = notifications.map((n) => listAt(n.props, "backupVaultEvents"));
            if (events.includes(UNKNOWN)) {
                notifications.forEach((n) => evaluation.unknown(n, "backupVaultEvents"));
                continue;
            }
            const sent = new Set(events.flat<unknown[]>().map(String));
            const missing = Object.entries(FAILURE_EVENTS).filter(([, event]) => !sent.has(event));
            if (missing.length > 0) {
                evaluation.violation(
                    notifications[0],
                    "backupVaultEvents",
                    `must include ${missing.map(([what, event]) => `${event} (failed ${what})`).join(", ")}; it is ${describe([...sent])}.`,
                );
            }
            for (const n of notifications) {
                // Unknown in a preview: computed from the stack's topic, it names that topic.
                if (!referencedBy(n, "snsTopicArn").some((d) => d.type === SNS_TOPIC)) {
                    evaluation.check(n, "snsTopicArn", (value) =>
                        typeof value === "string" && value.length > 0
                            ? undefined
                            : `must name the SNS topic that alerts; it is ${describe(value)}.`,
                    );
                }
            }
        }
    },
});
