import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { BACKUP_CAPABILITIES, BackupResourceKind, ruleRpoMinutes } from "../lib/backup-rules";
import { parseArn, referencedBy, regionOf, resourcesOfType } from "./lib/graph";
import { isUnknown, listAt, UNKNOWN, valueAt } from "./lib/values";
import { DEFAULT_BACKUP_SCHEDULE, scheduleMaxGapMinutes } from "./backup-schedule";
import { BACKUP_PLAN } from "./backup-selection";

/**
 * How the backup policies read a plan's rules and find the vaults they write to. A vault's
 * settings live in siblings (Vault Lock, access policy, notifications) that name it in their
 * `backupVaultName` input; a rule names its vault by `targetVaultName` and its copies'
 * vaults by `destinationVaultArn`. AWS identifies a vault by name and region ("Backup vaults
 * are identified by names that are unique to the account used to create them and the AWS
 * Region where they are created", BackupRule TargetBackupVaultName), so a link is: the same
 * region, and the known name (or ARN) equal, or, when the value is unknown in a preview, the
 * input computed from the vault (propertyDependencies). `dependsOn` never links.
 */

/** The AWS Backup vault type. */
export const BACKUP_VAULT = "aws:backup/vault:Vault";

/** A logically air-gapped vault: a copy target whose Vault Lock (compliance mode) is built in. */
export const AIR_GAPPED_VAULT = "aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault";
/** Vault Lock of a vault. */
export const BACKUP_VAULT_LOCK = "aws:backup/vaultLockConfiguration:VaultLockConfiguration";
/** The access policy of a vault. */
export const BACKUP_VAULT_POLICY = "aws:backup/vaultPolicy:VaultPolicy";
/** The SNS notifications of a vault. */
export const BACKUP_VAULT_NOTIFICATIONS = "aws:backup/vaultNotifications:VaultNotifications";

/** A region both resources are known to be in differently; unknown or unset regions are not a difference. */
export function differentRegions(a: PolicyResource, b: PolicyResource): boolean {
    const ra = regionOf(a);
    const rb = regionOf(b);
    return typeof ra === "string" && typeof rb === "string" && ra !== rb;
}

/** The vault's name when known. */
export function vaultNameOf(vault: PolicyResource): string | undefined {
    const name = valueAt(vault.props, "name");
    return typeof name === "string" && name.length > 0 ? name : undefined;
}

/** Whether the input `input` (at `path`) of `sibling` names `vault`: same region, and its known value or its propertyDependencies. */
export function namesVault(
    sibling: PolicyResource,
    vault: PolicyResource,
    input = "backupVaultName",
    path = input,
): boolean {
    if (differentRegions(sibling, vault)) {
        return false;
    }
    const value = valueAt(sibling.props, path);
    const name = vaultNameOf(vault);
    if (typeof value === "string" && name !== undefined) {
        return value === name;
    }
    return referencedBy(sibling, input).some((d) => d.urn === vault.urn);
}

/** The siblings of `type` naming `vault` by their `backupVaultName`. */
export function vaultSiblings(
    args: StackValidationArgs,
    vault: PolicyResource,
    type: string,
): PolicyResource[] {
    return resourcesOfType(args, type).filter((sibling) => namesVault(sibling, vault));
}

/** The rules of a plan (possibly UNKNOWN in a preview). */
export function rulesOf(plan: PolicyResource): readonly unknown[] | typeof UNKNOWN {
    return listAt(plan.props, "rules");
}

/** The value at `path` of rule `index` of `plan`. */
export function ruleValue(plan: PolicyResource, index: number, path: string): unknown {
    return valueAt(plan.props, `rules[${index}].${path}`);
}

/** A rule's name, for messages. */
export function ruleLabel(plan: PolicyResource, index: number): string {
    const name = ruleValue(plan, index, "ruleName");
    return typeof name === "string" ? `rule ${name}` : `rule ${index}`;
}

/** Whether the rule makes continuous backups: true, false, or UNKNOWN. */
export function ruleContinuous(plan: PolicyResource, index: number): boolean | typeof UNKNOWN {
    const value = ruleValue(plan, index, "enableContinuousBackup");
    return isUnknown(value) ? UNKNOWN : value === true;
}

/**
 * The longest time between two runs of the rule, in minutes: its schedule (AWS Backup's
 * default when unset) in its timezone; UNKNOWN in a preview, undefined when the expression
 * cannot be evaluated.
 */
export function rulePeriodMinutes(plan: PolicyResource, index: number): number | undefined | typeof UNKNOWN {
    const schedule = ruleValue(plan, index, "schedule");
    const timezone = ruleValue(plan, index, "scheduleExpressionTimezone");
    if (isUnknown(schedule) || isUnknown(timezone)) {
        return UNKNOWN;
    }
    const expression =
        typeof schedule === "string" && schedule.trim().length > 0 ? schedule : DEFAULT_BACKUP_SCHEDULE;
    return scheduleMaxGapMinutes(expression, typeof timezone === "string" ? timezone : undefined);
}

/** Whether the rule runs more often than daily (continuous ones included): each run is copied. */
export function ruleFrequent(plan: PolicyResource, index: number): boolean | typeof UNKNOWN {
    const continuous = ruleContinuous(plan, index);
    const period = rulePeriodMinutes(plan, index);
    if (continuous === true) {
        return true;
    }
    if (continuous === UNKNOWN || period === UNKNOWN) {
        return UNKNOWN;
    }
    return period === undefined || period < 24 * 60;
}

/** The RPO the rule gives a resource of `kind`, in minutes: Infinity when its schedule cannot be evaluated. */
export function ruleRpo(
    plan: PolicyResource,
    index: number,
    kind: BackupResourceKind,
): number | typeof UNKNOWN {
    const continuous = ruleContinuous(plan, index);
    if (continuous === UNKNOWN) {
        return UNKNOWN;
    }
    const floor = BACKUP_CAPABILITIES[kind].continuousRpoFloorMinutes;
    if (continuous && floor !== undefined) {
        return floor;
    }
    const period = rulePeriodMinutes(plan, index);
    if (period === UNKNOWN) {
        return UNKNOWN;
    }
    return period === undefined ? Infinity : ruleRpoMinutes(kind, false, period);
}

/** How a rule's schedule reads in a message. */
export function describeSchedule(plan: PolicyResource, index: number): string {
    const schedule = ruleValue(plan, index, "schedule");
    const continuous = ruleContinuous(plan, index) === true ? "continuous on" : "continuous off";
    const shown = typeof schedule === "string" ? schedule : `unset, so ${DEFAULT_BACKUP_SCHEDULE}`;
    return `${ruleLabel(plan, index)}: ${shown}, ${continuous}`;
}

/** Days a retention at `path` keeps points: a number, Infinity when unset (kept until deleted), or UNKNOWN. */
export function retentionDays(props: unknown, path: string): number | typeof UNKNOWN {
    const value = valueAt(props, path);
    if (isUnknown(value)) {
        return UNKNOWN;
    }
    return typeof value === "number" ? value : Infinity;
}

/**
 * Days the copy `copy` of rule `index` keeps its points: its own lifecycle, or the rule's
 * when it sets none ("If you don't specify a lifecycle, AWS Backup applies the lifecycle
 * policy of the source backup to the destination backup", AwsBackupBackupPlanRuleCopyActionsDetails,
 * https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_AwsBackupBackupPlanRuleCopyActionsDetails.html).
 */
export function copyRetentionDays(
    plan: PolicyResource,
    index: number,
    copy: number,
): number | typeof UNKNOWN {
    const own = valueAt(plan.props, `rules[${index}].copyActions[${copy}].lifecycle.deleteAfter`);
    if (isUnknown(own)) {
        return UNKNOWN;
    }
    return typeof own === "number" ? own : retentionDays(plan.props, `rules[${index}].lifecycle.deleteAfter`);
}

/** The copy actions of rule `index` (UNKNOWN in a preview). */
export function copiesOf(plan: PolicyResource, index: number): readonly unknown[] | typeof UNKNOWN {
    return listAt(plan.props, `rules[${index}].copyActions`);
}

/** The vaults of the stack. */
export function vaultsOf(args: StackValidationArgs): PolicyResource[] {
    return resourcesOfType(args, BACKUP_VAULT);
}

/** Where a copy goes: `vault` when it is a vault of this stack, `arn` otherwise; UNKNOWN when it cannot be told. */
export type CopyDestination =
    | { readonly vault: PolicyResource; readonly region: string | undefined }
    | { readonly arn: string; readonly region: string; readonly name: string }
    | { readonly invalid: unknown }
    | typeof UNKNOWN;

/**
 * The destination of copy `copy` of rule `index`. A known ARN names a vault by region and
 * name: the stack's vault of that name in that region when there is one. An unknown ARN
 * (preview) was computed from the resources the `rules` input's propertyDependencies list:
 * when the only vaults among them are in the plan's own region, the copy stays in it.
 */
export function copyDestination(
    args: StackValidationArgs,
    plan: PolicyResource,
    index: number,
    copy: number,
): CopyDestination {
    const value = valueAt(plan.props, `rules[${index}].copyActions[${copy}].destinationVaultArn`);
    if (isUnknown(value)) {
        const from = referencedBy(plan, "rules");
        const elsewhere = from.filter((d) => d.type === BACKUP_VAULT && differentRegions(d, plan));
        if (elsewhere.length > 0) {
            const region = regionOf(elsewhere[0]);
            return { vault: elsewhere[0], region: typeof region === "string" ? region : undefined };
        }
        const onlyHomeVaults = from.length > 0 && from.every((d) => d.type === BACKUP_VAULT);
        if (onlyHomeVaults) {
            const region = regionOf(from[0]);
            return { vault: from[0], region: typeof region === "string" ? region : undefined };
        }
        return UNKNOWN;
    }
    const arn = parseArn(value);
    const name = arn?.resource.startsWith("backup-vault:")
        ? arn.resource.slice("backup-vault:".length)
        : undefined;
    if (!arn || arn.service !== "backup" || name === undefined) {
        return { invalid: value };
    }
    // A vault of the same name and region in another account (the backup account's) is not ours.
    const account = stackAccount(args);
    const ours = (v: PolicyResource) => {
        const own = typeof v.props.arn === "string" ? parseArn(v.props.arn)?.account : account;
        return own === undefined || own === arn.account;
    };
    const vault = resourcesOfType(args, BACKUP_VAULT, AIR_GAPPED_VAULT).find(
        (v) => regionOf(v) === arn.region && vaultNameOf(v) === name && ours(v),
    );
    return vault ? { vault, region: arn.region } : { arn: String(value), region: arn.region, name };
}

/** The plans of the stack. */
export function plansOf(args: StackValidationArgs): PolicyResource[] {
    return resourcesOfType(args, BACKUP_PLAN);
}

/** Whether rule `index` of `plan` backs up into `vault` (its `targetVaultName`). */
export function ruleTargets(plan: PolicyResource, index: number, vault: PolicyResource): boolean {
    if (differentRegions(plan, vault)) {
        return false;
    }
    const value = ruleValue(plan, index, "targetVaultName");
    const name = vaultNameOf(vault);
    if (typeof value === "string" && name !== undefined) {
        return value === name;
    }
    return referencedBy(plan, "rules").some((d) => d.urn === vault.urn);
}

/** Every retention, in days, of the recovery points rules of the stack put in `vault`: their own, and their copies'. */
export function retentionsInto(
    args: StackValidationArgs,
    vault: PolicyResource,
): { readonly days: number | typeof UNKNOWN; readonly what: string }[] {
    const found: { days: number | typeof UNKNOWN; what: string }[] = [];
    for (const plan of plansOf(args)) {
        const rules = rulesOf(plan);
        for (let i = 0; rules !== UNKNOWN && i < rules.length; i++) {
            if (ruleTargets(plan, i, vault)) {
                found.push({
                    days: retentionDays(plan.props, `rules[${i}].lifecycle.deleteAfter`),
                    what: `${plan.name} ${ruleLabel(plan, i)}`,
                });
            }
            const copies = copiesOf(plan, i);
            for (let c = 0; copies !== UNKNOWN && c < copies.length; c++) {
                const destination = copyDestination(args, plan, i, c);
                if (
                    destination !== UNKNOWN &&
                    "vault" in destination &&
                    destination.vault.urn === vault.urn
                ) {
                    found.push({
                        days: copyRetentionDays(plan, i, c),
                        what: `the copies of ${plan.name} ${ruleLabel(plan, i)}`,
                    });
                }
            }
        }
    }
    return found;
}

/**
 * The stack's own AWS account, as the known ARNs among its resources' inputs name it most
 * often (a resource's inputs carry no ARN of its own, but its keys', roles' and vaults' ARNs
 * do); undefined when none is known.
 */
export function stackAccount(args: StackValidationArgs): string | undefined {
    if (!STACK_ACCOUNTS.has(args)) {
        STACK_ACCOUNTS.set(args, mostNamedAccount(args));
    }
    return STACK_ACCOUNTS.get(args);
}

/** {@link stackAccount} once per stack: the scan reads every input of every resource. */
const STACK_ACCOUNTS = new WeakMap<StackValidationArgs, string | undefined>();

function mostNamedAccount(args: StackValidationArgs): string | undefined {
    const counts = new Map<string, number>();
    const visit = (value: unknown, depth: number): void => {
        if (isUnknown(value)) {
            return;
        }
        if (typeof value === "string") {
            const account = /^arn:[^:]+:[^:]+:[^:]*:([0-9]{12}):/.exec(value)?.[1];
            if (account !== undefined) {
                counts.set(account, (counts.get(account) ?? 0) + 1);
            }
        } else if (depth < 6 && value !== null && typeof value === "object") {
            Object.keys(value).forEach((key) => visit(valueAt(value, key), depth + 1));
        }
    };
    args.resources.forEach((r) => visit(r.props, 0));
    return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}
