import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DatabaseSettings } from "../config/database";
import { ProblemCollector } from "../lib/errors";
import { statefulChild } from "../lib/resource-options";
import { REPLICA_DATABASE_TYPE } from "../lib/stack-urns";
import {
    checkDatabaseIdentifier,
    sharedInstanceArgs,
    DatabaseEndpoints,
    databasePlacement,
    DatabasePlacementParts,
    masterSecretArnOf,
} from "./database-parts";
import { finalSnapshotIdentifier } from "./database";

/**
 * An RDS DB instance ARN, `arn:<partition>:rds:<region>:<account>:db:<identifier>` (Service
 * Authorization Reference, Amazon RDS, resource type `db`).
 */
export const RDS_INSTANCE_ARN =
    /^arn:(aws|aws-cn|aws-us-gov):rds:([a-z0-9-]+):(\d{12}):db:([a-z][a-z0-9-]*)$/;

/**
 * The oldest PostgreSQL major version whose read replicas keep automated backups: "Automated
 * backups for read replicas are supported for RDS for PostgreSQL 14.1 and higher versions only"
 * (RDS user guide, "Differences between read replicas for DB engines", PostgreSQL, Backups);
 * the PostgreSQL read replica limitations say the same: automated backups cannot be turned on
 * for read replicas of versions earlier than 14.1, "only RDS for PostgreSQL 14.1 and higher"
 * (https://docs.amazonaws.cn/AmazonRDS/latest/UserGuide/USER_PostgreSQL.Replication.ReadReplicas.html,
 * read in its Chinese edition, the corpus's copy).
 */
export const REPLICA_BACKUPS_MIN_MAJOR_VERSION = 14;

/** Arguments of {@link ReplicaDatabase}. */
export interface ReplicaDatabaseArgs {
    /**
     * RDS identifier of the replica (lib/naming.ts replicaDatabaseIdentifier for the hot posture's,
     * failbackDatabaseIdentifier for the primary stack's failback replica); kept after promotion.
     */
    readonly identifier: string;
    /** Engine settings of the primary: the replica gets its instance class, windows and retention. */
    readonly settings: DatabaseSettings;
    /**
     * VPC of the replica's own region (the DR region's for the hot posture); with
     * {@link ReplicaDatabaseArgs.sharedPlacement}, not used. Required without it.
     */
    readonly vpcId?: pulumi.Input<string>;
    /** VPC range: the only source allowed to reach the replica. Required without a shared placement. */
    readonly vpcCidr?: string;
    /** Private subnets of its DB subnet group, one per zone. Required without a shared placement. */
    readonly privateSubnetIds?: pulumi.Input<string>[];
    /**
     * The subnet group, security group and parameter group of the database it will stand in for,
     * used instead of its own: the failback replica takes the primary database's, because after
     * its promotion the primary stack's database becomes this instance, and RDS refuses to move
     * an instance to another subnet group of the same VPC ("InvalidVPCNetworkStateFault: ... The
     * specified DB subnet group and DB instance are in the same VPC", terraform-provider-aws#512).
     * @default its own, from the VPC fields above
     */
    readonly sharedPlacement?: DatabasePlacementParts;
    /**
     * The data key of the replica's own region (the DR replica key for the hot posture, the home key
     * for failback): storage, Performance Insights and, once promoted, the master secret. A
     * cross-Region replica of an encrypted source needs a key of its own region.
     */
    readonly kmsKeyArn: pulumi.Input<string>;
    /**
     * ARN of the source (the primary database in the home region for the hot posture; the DR
     * database in the DR region for failback, stacks/primary-failback.ts): "If replicating an Instance in
     * a different region, use the `arn` of the source DB" (pulumi-aws 7.48 rds/instance.d.ts,
     * `replicateSourceDb`); the provider reads the source region for the cross-Region request
     * from that ARN (terraform-provider-aws internal/service/rds/instance.go, create).
     */
    readonly sourceArn: pulumi.Input<string>;
    /**
     * True once a failover has promoted the replica (`webank:activated`): the same resource, now
     * declared as the standalone instance it became. @default false
     */
    readonly promoted?: boolean;
}

/**
 * The hot posture's DR database: an encrypted cross-Region read replica of the primary database,
 * with the primary's protections (deletion protection, a final snapshot, automated backups kept
 * for the PITR window and kept on delete, IAM authentication, TLS only, logs, Performance
 * Insights, Multi-AZ) and its instance class. Protected and retained in Pulumi.
 *
 * Promotion happens outside Pulumi (the failover promotes it through the AWS SDK), and the
 * program then declares the same resource, with the same URN, as a standalone instance: no
 * `replicateSourceDb`, the master password managed by RDS in the DR region. Nothing that differs
 * between the two declarations forces a replacement (docs/architecture.md, "Hot standby").
 */
export class ReplicaDatabase extends pulumi.ComponentResource implements DatabaseEndpoints {
    /** The replica (the promoted instance after a failover). */
    public readonly instance: aws.rds.Instance;
    /** `host:port` endpoint. */
    public readonly endpoint: pulumi.Output<string>;
    /** Instance ARN. */
    public readonly instanceArn: pulumi.Output<string>;
    /** The DbiResourceId. */
    public readonly resourceId: pulumi.Output<string>;
    /**
     * The RDS-managed master secret in the DR region once promoted. A replica has none of its own:
     * RDS cannot manage a replica's master password ("Limitations for Secrets Manager integration
     * with Amazon RDS": creating a read replica when the source manages its credentials), the
     * source's secret stays in the home region, and after promotion the program turns management
     * on, which makes RDS set a new password and keep it in a secret here.
     */
    public readonly masterSecretArn: pulumi.Output<string | undefined>;

    constructor(name: string, args: ReplicaDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super(REPLICA_DATABASE_TYPE, name, {}, opts);
        const settings = args.settings;
        const problems = new ProblemCollector();
        checkDatabaseIdentifier(problems, `ReplicaDatabase(${name}).identifier`, args.identifier);
        if (typeof args.sourceArn === "string" && !RDS_INSTANCE_ARN.test(args.sourceArn)) {
            problems.add(
                `ReplicaDatabase(${name}).sourceArn`,
                "be the source DB instance's ARN (arn:aws:rds:<region>:<account>:db:<identifier>): a cross-Region replica names its source by ARN",
                args.sourceArn,
            );
        }
        if (settings.majorVersion < REPLICA_BACKUPS_MIN_MAJOR_VERSION) {
            problems.add(
                `ReplicaDatabase(${name}).settings.majorVersion`,
                `be at least ${REPLICA_BACKUPS_MIN_MAJOR_VERSION}: RDS for PostgreSQL keeps automated backups on read replicas from 14.1 only, and the promoted replica must have point-in-time recovery`,
                settings.majorVersion,
            );
        }
        const network = args.sharedPlacement
            ? undefined
            : { vpcId: args.vpcId, vpcCidr: args.vpcCidr, privateSubnetIds: args.privateSubnetIds };
        for (const [field, value] of Object.entries(network ?? {})) {
            if (value === undefined) {
                problems.add(
                    `ReplicaDatabase(${name}).${field}`,
                    "be set when no sharedPlacement is given",
                    value,
                );
            }
        }
        problems.throwIfAny(`Invalid arguments for ReplicaDatabase "${name}"`);

        const parts =
            args.sharedPlacement ??
            databasePlacement(
                name,
                {
                    identifier: args.identifier,
                    settings,
                    vpcId: args.vpcId!,
                    vpcCidr: args.vpcCidr!,
                    privateSubnetIds: args.privateSubnetIds!,
                },
                this,
            );
        const promoted = args.promoted === true;
        this.instance = new aws.rds.Instance(
            `${name}-instance`,
            {
                identifier: args.identifier,
                // Read back as ReadReplicaSourceDBInstanceIdentifier, which is "" after promotion
                // (terraform-provider-aws rds/instance.go resourceInstanceRead); dropping it promotes
                // in the provider's update (PromoteReadReplica with backup_retention_period and
                // backup_window) when the failover has not promoted it already.
                replicateSourceDb: promoted ? undefined : args.sourceArn,
                // Engine, version, storage size, master user and database name are the source's and
                // left out of both declarations: `engine`, `username` and `dbName` are ForceNew, and
                // `username`/`dbName` conflict with replicate_source_db (provider schema).
                // storageEncrypted among them: ForceNew and not Computed, so declared in both
                // states, or a refresh that reads true would plan a replacement.
                ...sharedInstanceArgs(settings, parts, args.kmsKeyArn),
                deletionProtection: true,
                skipFinalSnapshot: false,
                finalSnapshotIdentifier: finalSnapshotIdentifier(args.identifier),
                // Only the promoted instance: the provider would send ManageMasterUserPassword in a
                // ModifyDBInstance after creating the replica, which RDS refuses for a replica.
                manageMasterUserPassword: promoted ? true : undefined,
                masterUserSecretKmsKeyId: promoted ? args.kmsKeyArn : undefined,
            },
            statefulChild(this, { ignoreChanges: ["finalSnapshotIdentifier"] }),
        );

        this.endpoint = this.instance.endpoint;
        this.instanceArn = this.instance.arn;
        this.resourceId = this.instance.resourceId;
        this.masterSecretArn = masterSecretArnOf(this.instance);
        this.registerOutputs({
            endpoint: this.endpoint,
            instanceArn: this.instanceArn,
            masterSecretArn: this.masterSecretArn,
        });
    }
}
