import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DatabaseSettings } from "../config/database";
import { ProblemCollector } from "../lib/errors";
import { statefulChild } from "../lib/resource-options";
import { REPLICATED_BACKUP_RETENTION_DAYS } from "../lib/retention";
import { DATABASE_TYPE } from "../lib/stack-urns";
import {
    checkDatabaseIdentifier,
    sharedInstanceArgs,
    databasePlacement,
    masterSecretArnOf,
} from "./database-parts";
import type { DatabaseEndpoints, DatabasePlacementParts } from "./database-parts";

/** The master user of a new (not restored) database; its password lives only in Secrets Manager. */
const MASTER_USERNAME = "webank_admin";

/** Where a restored database comes from, resolved to what RDS needs. */
export type DatabaseRestoreSource =
    | {
          /** Point-in-time restore from automated backups (replicated into this region). */
          readonly kind: "pitr";
          /** ARN of the automated backups to restore from. */
          readonly automatedBackupsArn: pulumi.Input<string>;
          /** `latest`, or an ISO-8601 instant. */
          readonly time: string;
      }
    | {
          /** Restore from a DB snapshot (manual, copied, or an AWS Backup recovery point). */
          readonly kind: "snapshot";
          /** ARN of the snapshot in this region. */
          readonly snapshotArn: string;
      };

/** Arguments of {@link Database}. */
export interface DatabaseArgs {
    /** RDS instance identifier (physical name). */
    identifier: string;
    /** Engine, size, windows and retention (validated stack config). */
    settings: DatabaseSettings;
    /** VPC to place the database in. */
    vpcId: pulumi.Input<string>;
    /** VPC range: the only source allowed to reach the database. */
    vpcCidr: string;
    /** Private subnets of the DB subnet group, one per zone. */
    privateSubnetIds: pulumi.Input<string>[];
    /** KMS key in the database's region: storage, Performance Insights, the master secret. */
    kmsKeyArn: pulumi.Input<string>;
    /**
     * Restore from this source instead of creating an empty database. Default: a new
     * database. Ignored after creation, so a later change never replaces the instance.
     */
    restoreFrom?: DatabaseRestoreSource;
    /**
     * A drill's throwaway copy: not protected, no deletion protection, no final snapshot, so the
     * drill can destroy it. The data it holds is a copy of backups that stay untouched. Default
     * false; never set it on a database anyone relies on.
     */
    disposable?: boolean;
    /**
     * Replicate automated backups to another region (the DR region) with its own retention
     * and key. Default: no replication (the DR copy itself does not replicate back).
     */
    backupReplication?: {
        /** Provider for the region that receives the backups. */
        provider: aws.Provider;
        /** KMS key in that region. */
        kmsKeyArn: pulumi.Input<string>;
        /** Days of backups kept there (1–35). */
        retentionDays: number;
    };
}

/**
 * An RDS PostgreSQL instance that is hard to lose: Multi-AZ, storage encrypted with the
 * stack's key, automated backups with point-in-time recovery kept for the configured window,
 * tags copied to snapshots, deletion protection, a final snapshot on delete and automated
 * backups kept after it, the master password managed by AWS Secrets Manager (never in config
 * or state), IAM authentication, TLS forced by its parameter group, logs exported to
 * CloudWatch, and reachable only from inside the VPC. The instance is protected and
 * retained in Pulumi. With {@link DatabaseArgs.backupReplication} its automated backups are
 * replicated to the DR region.
 */
export class Database extends pulumi.ComponentResource implements DatabaseEndpoints {
    /** The instance. */
    public readonly instance: aws.rds.Instance;
    /** The automated-backups replication to the DR region, when requested. */
    public readonly backupReplication?: aws.rds.InstanceAutomatedBackupsReplication;
    /** `host:port` endpoint. */
    public readonly endpoint: pulumi.Output<string>;
    /** Instance ARN. */
    public readonly instanceArn: pulumi.Output<string>;
    /** The DbiResourceId: finds the instance's automated backups (`aws rds describe-db-instance-automated-backups --dbi-resource-id`). */
    public readonly resourceId: pulumi.Output<string>;
    /** ARN of the Secrets Manager secret that holds the master password (the ARN, never the value). */
    public readonly masterSecretArn: pulumi.Output<string | undefined>;
    /** ARN of the replicated automated backups in the DR region, when replication is on. */
    public readonly replicatedBackupsArn?: pulumi.Output<string>;
    /** Name of its DB subnet group (its private subnets): restore tests place their copies there. */
    public readonly subnetGroupName: pulumi.Output<string>;
    /** Its subnet group, security group and parameter group (a failback replica shares them). */
    public readonly placement: DatabasePlacementParts;

    constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super(DATABASE_TYPE, name, {}, opts);
        const settings = args.settings;
        const problems = new ProblemCollector();
        checkDatabaseIdentifier(problems, `Database(${name}).identifier`, args.identifier);
        if (args.backupReplication) {
            problems.requireWholeNumber(
                `Database(${name}).backupReplication.retentionDays`,
                args.backupReplication.retentionDays,
                REPLICATED_BACKUP_RETENTION_DAYS,
            );
        }
        problems.throwIfAny(`Invalid arguments for Database "${name}"`);

        const parts = databasePlacement(name, args, this);

        const restore = args.restoreFrom;
        this.instance = new aws.rds.Instance(
            `${name}-instance`,
            {
                identifier: args.identifier,
                engine: "postgres",
                engineVersion: settings.engineVersion,
                allocatedStorage: settings.allocatedStorageGiB,
                ...sharedInstanceArgs(settings, parts, args.kmsKeyArn),
                deletionProtection: !args.disposable,
                skipFinalSnapshot: args.disposable === true,
                // One name per generation of the instance (its creation time; ignoreChanges
                // below keeps it): a fixed name would fail the deletion of the next instance of
                // this identifier with DBSnapshotAlreadyExists.
                finalSnapshotIdentifier: args.disposable
                    ? undefined
                    : finalSnapshotIdentifier(args.identifier),
                // A restored database inherits its master user and databases from the source.
                username: restore ? undefined : MASTER_USERNAME,
                dbName: restore ? undefined : settings.name,
                manageMasterUserPassword: true,
                masterUserSecretKmsKeyId: args.kmsKeyArn,
                restoreToPointInTime:
                    restore?.kind === "pitr"
                        ? {
                              sourceDbInstanceAutomatedBackupsArn: restore.automatedBackupsArn,
                              useLatestRestorableTime: restore.time === "latest" ? true : undefined,
                              restoreTime: restore.time === "latest" ? undefined : restore.time,
                          }
                        : undefined,
                snapshotIdentifier: restore?.kind === "snapshot" ? restore.snapshotArn : undefined,
            },
            // A restore source only matters at creation: changing it later must not replace the
            // database. Re-restoring is a deliberate new generation (see the README).
            args.disposable
                ? { parent: this, ignoreChanges: ["restoreToPointInTime", "snapshotIdentifier"] }
                : statefulChild(this, {
                      ignoreChanges: [
                          "restoreToPointInTime",
                          "snapshotIdentifier",
                          "finalSnapshotIdentifier",
                          // Only read at creation; a later change would replace the instance.
                          "dbName",
                      ],
                  }),
        );

        if (args.backupReplication) {
            this.backupReplication = new aws.rds.InstanceAutomatedBackupsReplication(
                `${name}-backup-replication`,
                {
                    sourceDbInstanceArn: this.instance.arn,
                    kmsKeyId: args.backupReplication.kmsKeyArn,
                    retentionPeriod: args.backupReplication.retentionDays,
                },
                // Deleting it would delete the DR region's copy of the backups.
                statefulChild(this, { provider: args.backupReplication.provider }),
            );
            this.replicatedBackupsArn = this.backupReplication.id;
        }

        this.placement = parts;
        this.subnetGroupName = parts.subnetGroup.name;
        this.endpoint = this.instance.endpoint;
        this.instanceArn = this.instance.arn;
        this.resourceId = this.instance.resourceId;
        this.masterSecretArn = masterSecretArnOf(this.instance);
        this.registerOutputs({
            endpoint: this.endpoint,
            instanceArn: this.instanceArn,
            masterSecretArn: this.masterSecretArn,
            replicatedBackupsArn: this.replicatedBackupsArn,
        });
    }
}

/**
 * The final snapshot's name for an instance created now: `<identifier>-final-<UTC stamp>`,
 * e.g. `webank-db-final-20261202t154700z` (lowercase, as RDS stores identifiers; letters,
 * digits and single hyphens, within RDS's 255 characters).
 */
export function finalSnapshotIdentifier(identifier: string, now: Date = new Date()): string {
    const stamp = now
        .toISOString()
        .replace(/\.\d{3}Z$/, "z")
        .replace(/[-:]/g, "")
        .toLowerCase();
    return `${identifier}-final-${stamp}`;
}
