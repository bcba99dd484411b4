import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { VAULT_DENIED_ACTIONS } from "../components/backup";
import { MAX_DR_FREQUENT_COPY_DAYS, schedulePeriodHours } from "../lib/backup-rules";
import { BACKUP_TAG } from "../lib/tags";
import { dependentsOfType, policyDocument, regionOf, regionOfArn, report, resourcesOfType } from "./lib";

const PLAN = "aws:backup/plan:Plan";
const VAULT = "aws:backup/vault:Vault";
const SELECTION = "aws:backup/selection:Selection";

/** Thresholds of the backup rules: the weakest RPO and the shortest retention a rule may have. */
const RULE_DEFAULTS = { maximumRpoMinutes: 1440, minimumRetentionDays: 7 };

/** A plan rule as the engine sees it. */
interface PlanRule {
    ruleName?: string;
    schedule?: string;
    enableContinuousBackup?: boolean;
    lifecycle?: { deleteAfter?: number };
    copyActions?: Array<{ destinationVaultArn?: string; lifecycle?: { deleteAfter?: number } }>;
}

/** Every rule backs up often enough for the RPO threshold and keeps its points long enough. */
export const backupPlanRuleFrequencyAndRetention: ResourceValidationPolicy = {
    name: "backup-plan-rule-frequency-retention",
    description:
        "Checks whether every AWS Backup rule runs often enough for the RPO and keeps recovery points long enough.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            maximumRpoMinutes: { type: "integer", default: RULE_DEFAULTS.maximumRpoMinutes, minimum: 5 },
            minimumRetentionDays: {
                type: "integer",
                default: RULE_DEFAULTS.minimumRetentionDays,
                minimum: 1,
            },
        },
    },
    validateResource: (args, reportViolation) => {
        if (args.type !== PLAN) {
            return;
        }
        const config = { ...RULE_DEFAULTS, ...args.getConfig<Partial<typeof RULE_DEFAULTS>>() };
        for (const rule of (args.props.rules as PlanRule[] | undefined) ?? []) {
            const period = rule.enableContinuousBackup ? 0 : schedulePeriodHours(rule.schedule ?? "");
            if (period === undefined || period * 60 > config.maximumRpoMinutes) {
                reportViolation(
                    `Backup rule ${rule.ruleName} must run at least every ${config.maximumRpoMinutes} minutes (or continuously); its schedule is ${rule.schedule}.`,
                );
            }
            const days = rule.lifecycle?.deleteAfter;
            if (days === undefined || days < config.minimumRetentionDays) {
                reportViolation(
                    `Backup rule ${rule.ruleName} must keep recovery points at least ${config.minimumRetentionDays} days; deleteAfter is ${days ?? "unset (kept forever is not a retention policy)"}.`,
                );
            }
        }
    },
};

/** Thresholds of the copies' retention: the shortest any copy may have, the longest a frequent rule's may have. */
const COPY_DEFAULTS = {
    minimumRetentionDays: RULE_DEFAULTS.minimumRetentionDays,
    maximumFrequentCopyRetentionDays: MAX_DR_FREQUENT_COPY_DAYS,
};

/**
 * Every copy is kept long enough, and a frequent rule's (more often than daily, continuous
 * included) not too long: AWS Backup copies on every run, so an hourly rule kept 35 days
 * would hold 840 snapshots per resource in the other region, where the daily copies already
 * cover the long window. A copy without a lifecycle gets its source's ("If you don't specify
 * a lifecycle, AWS Backup applies the lifecycle policy of the source backup to the
 * destination backup", AwsBackupBackupPlanRuleCopyActionsDetails,
 * https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_AwsBackupBackupPlanRuleCopyActionsDetails.html).
 */
export const backupPlanRuleCopyRetention: ResourceValidationPolicy = {
    name: "backup-plan-rule-copy-retention",
    description:
        "Checks whether every AWS Backup rule keeps its copies long enough, and a rule that runs more often than daily no longer than the limit for frequent copies.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            minimumRetentionDays: {
                type: "integer",
                default: COPY_DEFAULTS.minimumRetentionDays,
                minimum: 1,
            },
            maximumFrequentCopyRetentionDays: {
                type: "integer",
                default: COPY_DEFAULTS.maximumFrequentCopyRetentionDays,
                minimum: 1,
            },
        },
    },
    validateResource: (args, reportViolation) => {
        if (args.type !== PLAN) {
            return;
        }
        const config = { ...COPY_DEFAULTS, ...args.getConfig<Partial<typeof COPY_DEFAULTS>>() };
        for (const rule of (args.props.rules as PlanRule[] | undefined) ?? []) {
            const period = rule.enableContinuousBackup ? 1 : schedulePeriodHours(rule.schedule ?? "");
            const frequent = period === undefined || period < 24;
            for (const copy of rule.copyActions ?? []) {
                const own = copy.lifecycle?.deleteAfter;
                const days = own ?? rule.lifecycle?.deleteAfter;
                const kept =
                    days === undefined
                        ? "forever"
                        : `${days} day${days === 1 ? "" : "s"}${own === undefined ? " (the rule's own retention: the copy sets none)" : ""}`;
                const where = `a copy to ${copy.destinationVaultArn ?? "(no vault)"} is kept ${kept}`;
                if (frequent && (days === undefined || days > config.maximumFrequentCopyRetentionDays)) {
                    reportViolation(
                        `Backup rule ${rule.ruleName} runs more often than daily, so its copies must be kept at most ${config.maximumFrequentCopyRetentionDays} days; ${where}.`,
                    );
                } else if (days !== undefined && days < config.minimumRetentionDays) {
                    reportViolation(
                        `Backup rule ${rule.ruleName} must keep copies at least ${config.minimumRetentionDays} days; ${where}.`,
                    );
                }
            }
        }
    },
};

/** Every rule copies its recovery points to a vault in another region. */
export const backupPlanRuleCrossRegionCopy: StackValidationPolicy = {
    name: "backup-plan-rule-cross-region-copy",
    description:
        "Checks whether every AWS Backup rule copies its recovery points to a vault in another region.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        for (const plan of resourcesOfType(args, PLAN)) {
            const region = regionOf(plan);
            for (const rule of (plan.props.rules as PlanRule[] | undefined) ?? []) {
                const copies = (rule.copyActions ?? []).filter((c) => {
                    const destination = regionOfArn(c.destinationVaultArn);
                    return (
                        destination !== undefined &&
                        destination !== region &&
                        (c.lifecycle?.deleteAfter ?? 0) > 0
                    );
                });
                if (copies.length === 0) {
                    report(
                        reportViolation,
                        plan,
                        `Backup rule ${rule.ruleName} must copy to a vault in a region other than ${region ?? "its own"}, with its own retention.`,
                    );
                }
            }
        }
    },
};

/** Every vault is locked. */
export const backupVaultLock: StackValidationPolicy = {
    name: "backup-vault-lock",
    description: "Checks whether every AWS Backup vault has Vault Lock.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        for (const vault of resourcesOfType(args, VAULT)) {
            if (
                dependentsOfType(args, vault, "aws:backup/vaultLockConfiguration:VaultLockConfiguration")
                    .length === 0
            ) {
                report(reportViolation, vault, "Backup vaults must have a Vault Lock configuration.");
            }
        }
    },
};

/** A value of a policy element that may be one string or a list of them. */
function valuesOf(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [value];
}

/**
 * Whether a statement denies `action` to every principal on every resource, unconditionally:
 * the shape AWS Config's BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED accepts (wildcard
 * `Principal` and `Resource`). A vault ARN as the resource does not count: the recovery-point
 * actions are authorized on the recovery point's ARN, which it never matches.
 */
function deniesEverywhere(statement: Record<string, unknown>, action: string): boolean {
    const principal = statement.Principal;
    const everyone =
        principal === "*" ||
        (typeof principal === "object" &&
            principal !== null &&
            valuesOf((principal as Record<string, unknown>).AWS).includes("*"));
    return (
        statement.Effect === "Deny" &&
        everyone &&
        statement.Condition === undefined &&
        valuesOf(statement.Action).some(
            (a) => typeof a === "string" && a.toLowerCase() === action.toLowerCase(),
        ) &&
        valuesOf(statement.Resource).includes("*")
    );
}

/** Every vault's access policy denies deleting, expiring early and unprotecting its recovery points. */
export const backupVaultRecoveryPointsProtected: StackValidationPolicy = {
    name: "backup-vault-recovery-points-protected",
    description:
        "Checks whether every AWS Backup vault has an access policy denying recovery-point deletion, lifecycle changes and policy changes to every principal on every resource.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        for (const vault of resourcesOfType(args, VAULT)) {
            const statements = dependentsOfType(args, vault, "aws:backup/vaultPolicy:VaultPolicy").flatMap(
                (p) => policyDocument(p.props.policy)?.Statement ?? [],
            );
            const missing = VAULT_DENIED_ACTIONS.filter(
                (action) => !statements.some((s) => deniesEverywhere(s, action)),
            );
            if (missing.length > 0) {
                report(
                    reportViolation,
                    vault,
                    `Backup vaults must have an access policy that denies ${missing.join(", ")} to every principal ("Principal": "*") on every resource ("Resource": "*"), without conditions.`,
                );
            }
        }
    },
};

/** Every vault is encrypted with a customer managed key. */
export const backupVaultCustomerKey: ResourceValidationPolicy = {
    name: "backup-vault-customer-key",
    description: "Checks whether AWS Backup vaults are encrypted with a customer managed KMS key.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        const key = args.props.kmsKeyArn as unknown;
        if (
            args.type === VAULT &&
            (typeof key !== "string" || key.length === 0 || key.includes("alias/aws/"))
        ) {
            reportViolation("Backup vaults must be encrypted with a customer managed KMS key (kmsKeyArn).");
        }
    },
};

/** Types whose every resource must be in a backup selection (buckets only when they are not a replica). */
const COVERED_TYPES = ["aws:rds/instance:Instance", "aws:dynamodb/table:Table", "aws:s3/bucket:Bucket"];

/** Every stateful resource (and every backup-tagged volume) is covered by a backup selection. */
export const backupStatefulResourcesCovered: StackValidationPolicy = {
    name: "backup-stateful-resources-covered",
    description: "Checks whether every stateful resource is covered by an AWS Backup selection.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const selections = resourcesOfType(args, SELECTION);
        const selected = (resource: PolicyResource) =>
            selections.some(
                (s) =>
                    s.dependencies.some((d) => d.urn === resource.urn) ||
                    ((s.props.resources as unknown[] | undefined) ?? []).includes(resource.props.arn),
            );
        // Replica buckets are the copies themselves: a replication config depends on them
        // and they are not its source.
        const replicas = new Set(
            resourcesOfType(args, "aws:s3/bucketReplicationConfig:BucketReplicationConfig").flatMap((c) =>
                c.dependencies
                    .filter((d) => d.type === "aws:s3/bucket:Bucket" && d.props.bucket !== c.props.bucket)
                    .map((d) => d.urn),
            ),
        );
        for (const resource of args.resources.filter((r) => COVERED_TYPES.includes(r.type))) {
            if (!replicas.has(resource.urn) && !selected(resource)) {
                report(
                    reportViolation,
                    resource,
                    `${resource.type} must be covered by an AWS Backup selection.`,
                );
            }
        }
        const tagCondition = `aws:ResourceTag/${BACKUP_TAG.key}`;
        for (const storageClass of resourcesOfType(args, "kubernetes:storage.k8s.io/v1:StorageClass")) {
            const tag = (storageClass.props.parameters as Record<string, string> | undefined)
                ?.tagSpecification_1;
            const volumesSelected = selections.some((s) =>
                (
                    (s.props.conditions as
                        Array<{ stringEquals?: Array<{ key: string; value: string }> }> | undefined) ?? []
                ).some((c) =>
                    (c.stringEquals ?? []).some(
                        (e) => e.key === tagCondition && `${BACKUP_TAG.key}=${e.value}` === tag,
                    ),
                ),
            );
            if (tag && !volumesSelected) {
                report(
                    reportViolation,
                    storageClass,
                    `Volumes tagged ${tag} must be covered by an AWS Backup selection on that tag.`,
                );
            }
        }
    },
};
