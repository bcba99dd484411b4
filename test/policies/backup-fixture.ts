import { auditControls } from "../../components/backup-assurance-controls";
import { VAULT_EVENTS } from "../../components/backup";
import { vaultAccessPolicy } from "../../components/vault-access-policy";
import { ASSET_CLASS_NAMES, RecoveryObjectives } from "../../lib/objectives";
import { StackResource } from "./stack-harness";

/**
 * A small primary stack with the AWS Backup resources as the program declares them (home and
 * DR vaults with lock, policy and notifications; a continuous database plan, an hourly volumes
 * plan, a bucket plan; selections computed from the stores; restore tests and the audit
 * framework), and helpers that change one thing of it.
 */

export const HOME = "us-east-1";
export const DR = "us-west-2";
export const VAULT_NAME = "webank-vault";
export const DR_VAULT_ARN = `arn:aws:backup:${DR}:123456789012:backup-vault:${VAULT_NAME}`;
export const HOME_VAULT_ARN = `arn:aws:backup:${HOME}:123456789012:backup-vault:${VAULT_NAME}`;

/** A resource's props in a test: any shape, changed freely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Props = Record<string, any>;

/** The thresholds `npm run policy:config` derives for the primary stack. */
export const CONFIG = {
    backupRpoMinutes: { rds: 5, ebs: 60, dynamodb: 60, s3: 15 },
    backupRetentionDays: 35,
    backupLongTermRetentionDays: 365,
    backupCopyRetentionDays: 7,
    backupMaxFrequentCopyDays: 14,
    vaultLockMinRetentionDays: 7,
    vaultLockMode: "governance",
    stackRole: "primary",
};

/** A frequent rule (continuous for `continuous`) and a daily long-term rule, both copied to `copyTo`. */
export function rules(prefix: string, continuous: boolean, copyTo = DR_VAULT_ARN) {
    return [
        {
            ruleName: `${prefix}-frequent`,
            targetVaultName: VAULT_NAME,
            schedule: "cron(0 * ? * * *)",
            enableContinuousBackup: continuous,
            lifecycle: { deleteAfter: 35 },
            copyActions: [{ destinationVaultArn: copyTo, lifecycle: { deleteAfter: 7 } }],
        },
        {
            ruleName: `${prefix}-long-term`,
            targetVaultName: VAULT_NAME,
            schedule: "cron(0 5 ? * * *)",
            enableContinuousBackup: false,
            lifecycle: { deleteAfter: 365, coldStorageAfter: 90 },
            copyActions: [
                { destinationVaultArn: copyTo, lifecycle: { deleteAfter: 365, coldStorageAfter: 90 } },
            ],
        },
    ];
}

const objectives = Object.fromEntries(
    ASSET_CLASS_NAMES.map((c) => [c, { rpoMinutes: 60, rtoMinutes: 60 }]),
) as unknown as RecoveryObjectives;

function vault(suffix: "home" | "dr"): StackResource[] {
    const region = suffix === "home" ? HOME : DR;
    const v = `vault-${suffix}`;
    const sibling = (type: string, name: string, props: Record<string, unknown>): StackResource => ({
        type,
        name: `${name}-${suffix}`,
        region,
        props: { backupVaultName: VAULT_NAME, ...props },
        inputsFrom: { backupVaultName: [v] },
    });
    return [
        {
            type: "aws:backup/vault:Vault",
            name: v,
            region,
            props: {
                name: VAULT_NAME,
                kmsKeyArn: `arn:aws:kms:${region}:123456789012:key/mrk-1`,
                forceDestroy: false,
            },
            inputsFrom: { kmsKeyArn: [suffix === "home" ? "key" : "replica-key"] },
        },
        sibling("aws:backup/vaultLockConfiguration:VaultLockConfiguration", "lock", {
            minRetentionDays: 7,
            maxRetentionDays: 3650,
        }),
        sibling("aws:backup/vaultPolicy:VaultPolicy", "policy", {
            policy: JSON.stringify(vaultAccessPolicy()),
        }),
        sibling("aws:backup/vaultNotifications:VaultNotifications", "notify", {
            snsTopicArn: `arn:aws:sns:${region}:123456789012:alerts`,
            backupVaultEvents: [...VAULT_EVENTS],
        }),
    ];
}

function planWithSelection(
    target: string,
    planRules: unknown,
    selection: Record<string, unknown>,
    from: string[],
): StackResource[] {
    return [
        {
            type: "aws:backup/plan:Plan",
            name: `plan-${target}`,
            props: { name: target, rules: planRules },
            inputsFrom: { rules: ["vault-home", "vault-dr"] },
        },
        {
            type: "aws:backup/selection:Selection",
            name: `sel-${target}`,
            props: {
                name: target,
                planId: `id-${target}`,
                iamRoleArn: "arn:aws:iam::123456789012:role/backup",
                ...selection,
            },
            inputsFrom: { planId: [`plan-${target}`], ...(from.length > 0 ? { resources: from } : {}) },
        },
    ];
}

/** The primary stack. */
export function primaryStack(): StackResource[] {
    return [
        { type: "aws:kms/key:Key", name: "key" },
        { type: "aws:kms/replicaKey:ReplicaKey", name: "replica-key", region: DR },
        ...vault("home"),
        ...vault("dr"),
        { type: "aws:rds/instance:Instance", name: "db", props: { identifier: "webank-db" } },
        ...planWithSelection(
            "database",
            rules("db", true),
            { resources: [`arn:aws:rds:${HOME}:123456789012:db:webank-db`] },
            ["db"],
        ),
        {
            type: "kubernetes:storage.k8s.io/v1:StorageClass",
            name: "gp3",
            props: {
                provisioner: "ebs.csi.aws.com",
                parameters: { encrypted: "true", tagSpecification_1: "webank:backup=true" },
            },
        },
        ...planWithSelection(
            "volumes",
            rules("ebs", false),
            {
                resources: ["arn:aws:ec2:*:*:volume/*"],
                conditions: [{ stringEquals: [{ key: "aws:ResourceTag/webank:backup", value: "true" }] }],
            },
            [],
        ),
        { type: "aws:s3/bucket:Bucket", name: "bucket", props: { bucket: "state-src" } },
        { type: "aws:s3/bucket:Bucket", name: "replica", region: DR, props: { bucket: "state-dst" } },
        {
            type: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
            name: "replication",
            props: {
                bucket: "state-src",
                rules: [{ status: "Enabled", destination: { bucket: "arn:aws:s3:::state-dst" } }],
            },
            inputsFrom: { bucket: ["bucket"], rules: ["replica"] },
        },
        ...planWithSelection("bucket", rules("s3", true), { resources: ["arn:aws:s3:::state-src"] }, [
            "bucket",
        ]),
        {
            type: "aws:backup/restoreTestingPlan:RestoreTestingPlan",
            name: "restore-testing",
            props: {
                name: "webank_restore",
                scheduleExpression: "cron(0 5 ? * SUN *)",
                recoveryPointSelection: {
                    algorithm: "LATEST_WITHIN_WINDOW",
                    includeVaults: [HOME_VAULT_ARN],
                    recoveryPointTypes: ["CONTINUOUS", "SNAPSHOT"],
                    selectionWindowDays: 7,
                },
            },
            inputsFrom: { recoveryPointSelection: ["vault-home"] },
        },
        {
            type: "aws:backup/restoreTestingSelection:RestoreTestingSelection",
            name: "restore-rds",
            props: {
                restoreTestingPlanName: "webank_restore",
                protectedResourceType: "RDS",
                protectedResourceArns: [`arn:aws:rds:${HOME}:123456789012:db:webank-db`],
            },
            inputsFrom: { restoreTestingPlanName: ["restore-testing"], protectedResourceArns: ["db"] },
        },
        {
            type: "aws:backup/restoreTestingSelection:RestoreTestingSelection",
            name: "restore-ebs",
            props: {
                restoreTestingPlanName: "webank_restore",
                protectedResourceType: "EBS",
                protectedResourceArns: ["*"],
                protectedResourceConditions: {
                    stringEquals: [{ key: "aws:ResourceTag/webank:backup", value: "true" }],
                },
            },
            inputsFrom: { restoreTestingPlanName: ["restore-testing"] },
        },
        {
            type: "aws:backup/framework:Framework",
            name: "framework",
            props: {
                name: "webank",
                controls: auditControls({
                    objectives,
                    planFrequencyHours: 1,
                    retentionDays: 35,
                    drRegion: DR,
                    vaultLock: { minRetentionDays: 7, maxRetentionDays: 3650 },
                }),
            },
        },
    ];
}

/** A deep copy of `stack` with `change` applied to the props of the resource `name`. */
export function changed(
    stack: readonly StackResource[],
    name: string,
    change: (props: Props) => void,
): StackResource[] {
    const copy = JSON.parse(JSON.stringify(stack)) as StackResource[];
    const resource = copy.find((r) => r.name === name);
    if (!resource) {
        throw new Error(`no ${name} in the test stack`);
    }
    const props = (resource.props ?? {}) as Props;
    change(props);
    return copy.map((r) => (r.name === name ? { ...r, props } : r));
}

/** A copy of `stack` with the resource `name` replaced by `with`(it). */
export function replaced(
    stack: readonly StackResource[],
    name: string,
    by: (r: StackResource) => StackResource,
): StackResource[] {
    const copy = JSON.parse(JSON.stringify(stack)) as StackResource[];
    return copy.map((r) => (r.name === name ? by(r) : r));
}

/** A copy of `stack` without the resources `names`. */
export function without(stack: readonly StackResource[], ...names: string[]): StackResource[] {
    return stack.filter((r) => !names.includes(r.name));
}

/** Changes the statement of the home vault's access policy. */
export function withStatement(change: (statement: Record<string, unknown>) => void): StackResource[] {
    return changed(primaryStack(), "policy-home", (p) => {
        const document = JSON.parse(p.policy as string) as { Statement: Record<string, unknown>[] };
        change(document.Statement[0]);
        p.policy = JSON.stringify(document);
    });
}
