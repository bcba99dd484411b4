import { PolicyResource } from "@pulumi/policy";
import { Evaluation } from "./lib/evaluation";
import { resourcePolicy, stackPolicy } from "./lib/define";
import { isReplicaDatabaseIdentifier } from "../lib/naming";
import { parseArn, referencing, regionOf, resourcesOfType } from "./lib/graph";
import { requireCustomerKey } from "./lib/keys";
import { describe, isUnknown, UNKNOWN, valueAt } from "./lib/values";
import { pick, PolicyObjectives } from "./thresholds";

/** The RDS instance type; every store type the pack checks is named in `stores.ts` too. */
export const RDS_INSTANCE = "aws:rds/instance:Instance";
/** Cross-region replication of an instance's automated backups. */
export const RDS_BACKUP_REPLICATION =
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication";

/**
 * Automated backups (the PITR window) kept at least `webank:pitrRetentionDays`, and kept
 * when the instance is deleted: `deleteAutomatedBackups` defaults to true in the provider
 * (Terraform AWS provider, db_instance `delete_automated_backups`, "Defaults to true"), which
 * would remove every restorable point with the instance.
 */
export const rdsInstanceBackupRetention = resourcePolicy<Pick<PolicyObjectives, "pitrDays">>({
    name: "rds-instance-backup-retention",
    description:
        "Checks whether RDS instances keep automated backups for the PITR window and keep them when the instance is deleted.",
    thresholds: pick("pitrDays"),
    types: [RDS_INSTANCE],
    validate: (instance, evaluation, config) => {
        evaluation.requireAtLeast(
            instance,
            "backupRetentionPeriod",
            config.pitrDays,
            "the point-in-time recovery window, webank:pitrRetentionDays",
        );
        evaluation.requireEqual(
            instance,
            "deleteAutomatedBackups",
            false,
            "the provider's default, true, deletes every automated backup with the instance",
        );
    },
});

/** Deletion protection on (not on a drill's disposable copy, which the drill deletes once verified). */
export const rdsInstanceDeletionProtection = resourcePolicy<Pick<PolicyObjectives, "disposableStack">>({
    name: "rds-instance-deletion-protection",
    description: "Checks whether RDS instances have deletion protection enabled.",
    thresholds: pick("disposableStack"),
    types: [RDS_INSTANCE],
    validate: (instance, evaluation, config) => {
        if (!config.disposableStack) {
            evaluation.requireEqual(
                instance,
                "deletionProtection",
                true,
                "RDS refuses to delete a protected instance",
            );
        }
    },
});

/** Storage encrypted, with a customer managed key (judged with the key resource: see `rdsInstanceCustomerKey`). */
export const rdsInstanceStorageEncrypted = resourcePolicy({
    name: "rds-instance-storage-encrypted",
    description: "Checks whether RDS instances encrypt their storage.",
    types: [RDS_INSTANCE],
    validate: (instance, evaluation) =>
        evaluation.requireEqual(instance, "storageEncrypted", true, "data at rest is encrypted"),
});

/**
 * The customer managed key: without `kmsKeyId` RDS encrypts with the AWS managed `aws/rds`
 * key, which cannot be shared with another account or region's copies under this project's
 * key policy, and whose deletion nobody here controls.
 */
export const rdsInstanceCustomerKey = stackPolicy({
    name: "rds-instance-customer-key",
    description:
        "Checks whether RDS instances and their replicated backups are encrypted with a customer managed KMS key.",
    validate: (args, evaluation) => {
        for (const resource of resourcesOfType(args, RDS_INSTANCE, RDS_BACKUP_REPLICATION)) {
            requireCustomerKey(
                evaluation,
                resource,
                "kmsKeyId",
                `${resource.type.split(":").pop()} encryption`,
            );
            requireKeyInOwnRegion(evaluation, resource);
        }
    },
});

/**
 * A key given by ARN must be in the resource's own region: RDS encrypts with a key of the
 * region it stores in ("KMS keys are specific to the AWS Region that they are created in",
 * RDS API Reference, CreateDBInstanceReadReplica, KmsKeyId: for a cross-Region replica "you must
 * specify a KMS key identifier for the destination AWS Region"; the same for a backups
 * replication's KmsKeyId). A home-region key on a DR copy would fail, or tie the copy to the
 * region it must survive.
 */
function requireKeyInOwnRegion(evaluation: Evaluation, resource: PolicyResource): void {
    // An unknown key (preview) is judged by requireCustomerKey through the key it comes from.
    const value = valueAt(resource.props, "kmsKeyId");
    const arn = isUnknown(value) ? undefined : parseArn(value);
    const region = regionOf(resource);
    if (arn && region !== UNKNOWN && region !== undefined && arn.region !== region) {
        evaluation.violation(
            resource,
            "kmsKeyId",
            `must be a key in the resource's own region ${region} (RDS encrypts with a key of the region it stores in); it is ${describe(value)}, in ${arn.region}.`,
        );
    }
}

/**
 * A read replica (`replicateSourceDb`) replicates a database of this project in the other
 * stack's region: an RDS instance ARN ("If replicating an Instance in a different region, use the
 * `arn` of the source DB", pulumi-aws rds/instance.d.ts) in the same account as the replica (the
 * account of its own key), so the copy survives its source region's loss and follows the database
 * the program protects, not some other one. On dr (the hot posture's replica) the source is the
 * primary database, in the home region `webank:homeRegion`; on primary (the failback replica,
 * stacks/primary-failback.ts) it is the DR database, in the DR region `webank:drRegion`.
 */
export const rdsInstanceReplicaSource = stackPolicy<
    Pick<PolicyObjectives, "homeRegion" | "drRegion" | "stackRole">
>({
    name: "rds-instance-replica-source",
    description:
        "Checks whether RDS read replicas replicate a database of the same account in the other stack's region (home for dr, DR for primary), from another region.",
    thresholds: pick("homeRegion", "drRegion", "stackRole"),
    validate: (args, evaluation, config) => {
        const expected =
            config.stackRole === "dr"
                ? { region: config.homeRegion, name: "the home region", key: "webank:homeRegion" }
                : { region: config.drRegion, name: "the DR region", key: "webank:drRegion" };
        for (const instance of resourcesOfType(args, RDS_INSTANCE)) {
            const source = valueAt(instance.props, "replicateSourceDb");
            if (source !== undefined && source !== "") {
                judgeReplicaSource(evaluation, instance, expected);
            }
        }
    },
});

function judgeReplicaSource(
    evaluation: Evaluation,
    instance: PolicyResource,
    expected: { readonly region: string; readonly name: string; readonly key: string },
): void {
    const own = regionOf(instance);
    const keyAccount = parseArn(valueAt(instance.props, "kmsKeyId"))?.account;
    evaluation.check(instance, "replicateSourceDb", (value) => {
        const arn = parseArn(value);
        if (!arn || arn.service !== "rds" || !arn.resource.startsWith("db:")) {
            return `must be the source DB instance's ARN (arn:<partition>:rds:<region>:<account>:db:<identifier>: a cross-Region replica names its source by ARN); it is ${describe(value)}.`;
        }
        if (arn.region !== expected.region) {
            return `must name a database in ${expected.name} ${expected.region} (${expected.key}); it is in ${arn.region}.`;
        }
        if (own !== UNKNOWN && own === arn.region) {
            return `must name a database in another region than the replica's own (${own}): a DR replica in its source's region does not survive that region's loss.`;
        }
        if (keyAccount !== undefined && arn.account !== keyAccount) {
            return `must name a database of the replica's own account ${keyAccount} (the account of its key); it is in ${arn.account}.`;
        }
        return undefined;
    });
}

/** A final snapshot is taken on delete (not of a drill's disposable copy: primary's backups are the record). */
export const rdsInstanceFinalSnapshot = resourcePolicy<Pick<PolicyObjectives, "disposableStack">>({
    name: "rds-instance-final-snapshot",
    description: "Checks whether RDS instances take a final snapshot when deleted.",
    thresholds: pick("disposableStack"),
    types: [RDS_INSTANCE],
    validate: (instance, evaluation, config) => {
        if (config.disposableStack) {
            return;
        }
        evaluation.requireEqual(
            instance,
            "skipFinalSnapshot",
            false,
            "a deleted instance leaves a final snapshot",
        );
        evaluation.check(instance, "finalSnapshotIdentifier", (value) =>
            typeof value === "string" && value.length > 0
                ? undefined
                : `must name the final snapshot (RDS refuses a delete without one unless skipFinalSnapshot); it is ${describe(value)}.`,
        );
    },
});

/** Tags copied to snapshots, so backups stay attributable and selectable. */
export const rdsInstanceCopyTagsToSnapshot = resourcePolicy({
    name: "rds-instance-copy-tags-to-snapshot",
    description: "Checks whether RDS instances copy their tags to snapshots.",
    types: [RDS_INSTANCE],
    validate: (instance, evaluation) =>
        evaluation.requireEqual(
            instance,
            "copyTagsToSnapshot",
            true,
            "snapshots keep the tags that select and attribute them",
        ),
});

/** Multi-AZ. Enforced on every instance: the DR restore gets the same protections as primary. */
export const rdsInstanceMultiAz = resourcePolicy({
    name: "rds-instance-multi-az",
    description: "Checks whether RDS instances are Multi-AZ.",
    types: [RDS_INSTANCE],
    validate: (instance, evaluation) =>
        evaluation.requireEqual(
            instance,
            "multiAz",
            true,
            "a standby in another Availability Zone takes over on failure",
        ),
});

/** Whether an instance is restored from a backup (the DR database after a failover) rather than created. */
function restored(instance: PolicyResource): boolean | typeof UNKNOWN {
    const pitr = valueAt(instance.props, "restoreToPointInTime");
    const snapshot = valueAt(instance.props, "snapshotIdentifier");
    if (isUnknown(pitr) || isUnknown(snapshot)) {
        return UNKNOWN;
    }
    return pitr !== undefined || snapshot !== undefined;
}

/**
 * Whether an instance of the dr stack is the hot posture's replica: declared with its source
 * (`replicateSourceDb`), or promoted, then known by its identifier (lib/naming.ts
 * replicaDatabaseIdentifier), which promotion keeps. Either way a copy of the primary database,
 * like a restored one.
 */
function isDrReplica(instance: PolicyResource): boolean {
    const source = valueAt(instance.props, "replicateSourceDb");
    if (typeof source === "string" && source.length > 0) {
        return true;
    }
    const identifier = valueAt(instance.props, "identifier");
    return typeof identifier === "string" && isReplicaDatabaseIdentifier(identifier);
}

function judgeReplication(
    evaluation: Evaluation,
    instance: PolicyResource,
    replications: readonly PolicyResource[],
    minimumDays: number,
): void {
    const region = regionOf(instance);
    const elsewhere = replications.filter((r) => {
        const where = regionOf(r);
        return where === UNKNOWN || region === UNKNOWN || (where !== undefined && where !== region);
    });
    if (elsewhere.length === 0) {
        evaluation.violation(
            instance,
            RDS_BACKUP_REPLICATION,
            `the instance's automated backups must be replicated to a region other than ${String(region ?? "its own")} (an InstanceAutomatedBackupsReplication whose sourceDbInstanceArn is this instance's ARN, with the DR provider).`,
        );
    }
    for (const replication of elsewhere) {
        evaluation.requireAtLeast(
            replication,
            "retentionPeriod",
            minimumDays,
            "the restorable window in the DR region, webank:replicatedBackupRetentionDays",
        );
    }
}

/**
 * Whether an RDS instance is a cross-Region read replica: declared with a source
 * (`replicateSourceDb`) whose ARN is in another region than the instance's own. Such a replica is
 * itself the copy of its source in another region, and the source's own backups are the record:
 * the hot posture's replica on dr (of the primary database, backed up at home) and the failback
 * replica on primary (of the DR database, backed up in the DR vault by the activated dr stack).
 * A replica in its source's region, or one whose source or region is unknown, is not.
 */
export function isCrossRegionReplica(instance: PolicyResource): boolean {
    const arn = parseArn(valueAt(instance.props, "replicateSourceDb"));
    const own = regionOf(instance);
    return (
        arn !== undefined &&
        arn.service === "rds" &&
        own !== UNKNOWN &&
        own !== undefined &&
        arn.region !== own
    );
}

/**
 * Every instance the stack creates (a primary database, not one restored in the DR region or a
 * cross-Region replica, promoted or not on dr: those are themselves the copy) replicates its automated backups to another region, kept
 * `webank:replicatedBackupRetentionDays`. Whether an instance counts as restored is read
 * from its own inputs only where the stack is a dr stack (`stackRole`): on primary, a
 * `snapshotIdentifier` does not excuse the database from being copied.
 */
export const rdsInstanceBackupsReplicated = stackPolicy<
    Pick<PolicyObjectives, "replicatedBackupRetentionDays" | "stackRole">
>({
    name: "rds-instance-backups-replicated",
    description:
        "Checks whether RDS instances replicate their automated backups to another region for the configured retention.",
    thresholds: pick("replicatedBackupRetentionDays", "stackRole"),
    validate: (args, evaluation, config) => {
        for (const instance of resourcesOfType(args, RDS_INSTANCE)) {
            const isRestored = restored(instance);
            if (config.stackRole === "dr" && (isRestored === true || isDrReplica(instance))) {
                continue;
            }
            // On primary too, a cross-Region replica (the failback replica of the DR database) is
            // the copy: its source's backups are the record, and replicating its own back to the
            // DR region would put them beside the source they copy.
            if (isCrossRegionReplica(instance)) {
                continue;
            }
            if (config.stackRole === "dr" && isRestored === UNKNOWN) {
                evaluation.unknown(instance, "restoreToPointInTime");
                continue;
            }
            const replications = referencing(args, instance, RDS_BACKUP_REPLICATION, "sourceDbInstanceArn");
            judgeReplication(evaluation, instance, replications, config.replicatedBackupRetentionDays);
        }
    },
});
