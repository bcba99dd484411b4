import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { MIN_DATABASE_BACKUP_RETENTION_DAYS } from "../lib/retention";
import { dependentsOfType, regionOf, report, resourcesOfType } from "./lib";

const INSTANCE = "aws:rds/instance:Instance";
const BACKUP_REPLICATION = "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication";

/** Automated backups (the PITR window) kept at least the configured number of days. */
export const rdsInstanceBackupRetention: ResourceValidationPolicy = {
    name: "rds-instance-backup-retention",
    description:
        "Checks whether RDS instances keep automated backups long enough for point-in-time recovery.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            minimumRetentionDays: {
                type: "integer",
                default: MIN_DATABASE_BACKUP_RETENTION_DAYS,
                minimum: 1,
                maximum: 35,
            },
        },
    },
    validateResource: (args, reportViolation) => {
        if (args.type !== INSTANCE) {
            return;
        }
        const minimum =
            args.getConfig<{ minimumRetentionDays?: number }>().minimumRetentionDays ??
            MIN_DATABASE_BACKUP_RETENTION_DAYS;
        const days = Number(args.props.backupRetentionPeriod ?? 0);
        if (days < minimum) {
            reportViolation(
                `RDS instances must keep automated backups at least ${minimum} days; backupRetentionPeriod is ${days}.`,
            );
        }
    },
};

/** Deletion protection on. */
export const rdsInstanceDeletionProtection: ResourceValidationPolicy = {
    name: "rds-instance-deletion-protection",
    description: "Checks whether RDS instances have deletion protection enabled.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type === INSTANCE && args.props.deletionProtection !== true) {
            reportViolation("RDS instances must have deletionProtection enabled.");
        }
    },
};

/** Storage encrypted. */
export const rdsInstanceStorageEncrypted: ResourceValidationPolicy = {
    name: "rds-instance-storage-encrypted",
    description: "Checks whether RDS instances encrypt their storage.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type === INSTANCE && args.props.storageEncrypted !== true) {
            reportViolation("RDS instances must have storageEncrypted enabled.");
        }
    },
};

/** A final snapshot is taken on delete. */
export const rdsInstanceFinalSnapshot: ResourceValidationPolicy = {
    name: "rds-instance-final-snapshot",
    description: "Checks whether RDS instances take a final snapshot when deleted.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== INSTANCE) {
            return;
        }
        if (args.props.skipFinalSnapshot === true || !args.props.finalSnapshotIdentifier) {
            reportViolation(
                "RDS instances must keep a final snapshot: skipFinalSnapshot false and a finalSnapshotIdentifier.",
            );
        }
    },
};

/** Tags copied to snapshots, so backups stay attributable and selectable. */
export const rdsInstanceCopyTagsToSnapshot: ResourceValidationPolicy = {
    name: "rds-instance-copy-tags-to-snapshot",
    description: "Checks whether RDS instances copy their tags to snapshots.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type === INSTANCE && args.props.copyTagsToSnapshot !== true) {
            reportViolation("RDS instances must have copyTagsToSnapshot enabled.");
        }
    },
};

/** Multi-AZ. Enforced on every instance: the DR restore gets the same protections as primary. */
export const rdsInstanceMultiAz: ResourceValidationPolicy = {
    name: "rds-instance-multi-az",
    description: "Checks whether RDS instances are Multi-AZ.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type === INSTANCE && args.props.multiAz !== true) {
            reportViolation("RDS instances must be Multi-AZ (multiAz true).");
        }
    },
};

/** Every primary (not restored) instance replicates its automated backups to another region. */
export const rdsInstanceBackupsReplicated: StackValidationPolicy = {
    name: "rds-instance-backups-replicated",
    description: "Checks whether RDS instances replicate their automated backups to another region.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        for (const instance of resourcesOfType(args, INSTANCE)) {
            // A database restored in the DR region is itself the copy; it is backed up by AWS Backup.
            if (instance.props.restoreToPointInTime || instance.props.snapshotIdentifier) {
                continue;
            }
            const region = regionOf(instance);
            const replicated = dependentsOfType(args, instance, BACKUP_REPLICATION).some(
                (r) => regionOf(r) !== region,
            );
            if (!replicated) {
                report(
                    reportViolation,
                    instance,
                    `RDS instances must replicate automated backups to a region other than ${region ?? "their own"}.`,
                );
            }
        }
    },
};
