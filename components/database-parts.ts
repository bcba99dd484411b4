import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DatabaseSettings } from "../config/database";
import { ProblemCollector } from "../lib/errors";
import { POSTGRES_PORT } from "../lib/postgres";

/**
 * What every database of this project is placed in, written once for the primary instance,
 * a restored DR database (components/database.ts) and the hot posture's read replica
 * (components/database-replica.ts): its subnet group, its security group and its TLS-only
 * parameter group.
 */

/** Where a database goes: its network and what it is called. */
export interface DatabasePlacement {
    /** RDS instance identifier (physical name), quoted in descriptions. */
    readonly identifier: string;
    /** Engine settings: the parameter group family comes from the major version. */
    readonly settings: DatabaseSettings;
    /** VPC to place the database in. */
    readonly vpcId: pulumi.Input<string>;
    /** VPC range: the only source allowed to reach the database. */
    readonly vpcCidr: string;
    /** Private subnets of the DB subnet group, one per zone. */
    readonly privateSubnetIds: pulumi.Input<string>[];
}

/** The children {@link databasePlacement} declares. */
export interface DatabasePlacementParts {
    /** The DB subnet group of the private subnets. */
    readonly subnetGroup: aws.rds.SubnetGroup;
    /** PostgreSQL from inside the VPC only. */
    readonly securityGroup: aws.ec2.SecurityGroup;
    /** TLS-only parameter group of the engine's family, with connection logging. */
    readonly parameters: aws.rds.ParameterGroup;
}

/**
 * Declares the subnet group (`<name>-subnets`), security group (`<name>-sg`) and parameter
 * group (`<name>-params`) of the database `name`, as children of `parent`.
 */
export function databasePlacement(
    name: string,
    placement: DatabasePlacement,
    parent: pulumi.Resource,
): DatabasePlacementParts {
    const { identifier, settings } = placement;
    const subnetGroup = new aws.rds.SubnetGroup(
        `${name}-subnets`,
        { description: `Private subnets of ${identifier}`, subnetIds: placement.privateSubnetIds },
        { parent },
    );
    const securityGroup = new aws.ec2.SecurityGroup(
        `${name}-sg`,
        {
            description: `PostgreSQL from inside the VPC only (${identifier})`,
            vpcId: placement.vpcId,
            ingress: [
                {
                    description: "PostgreSQL from the VPC",
                    protocol: "tcp",
                    fromPort: POSTGRES_PORT,
                    toPort: POSTGRES_PORT,
                    cidrBlocks: [placement.vpcCidr],
                },
            ],
        },
        { parent },
    );
    const parameters = new aws.rds.ParameterGroup(
        `${name}-params`,
        {
            family: `postgres${settings.majorVersion}`,
            description: `TLS-only PostgreSQL ${settings.majorVersion} (${identifier})`,
            parameters: [
                { name: "rds.force_ssl", value: "1" },
                { name: "log_connections", value: "1" },
                { name: "log_disconnections", value: "1" },
            ],
        },
        { parent },
    );
    return { subnetGroup, securityGroup, parameters };
}

/**
 * Refuses an RDS identifier RDS would refuse: 1-63 lowercase letters, digits and single
 * hyphens, starting with a letter, not ending with a hyphen. `field` names the argument.
 */
export function checkDatabaseIdentifier(problems: ProblemCollector, field: string, identifier: string): void {
    if (!/^[a-z][a-z0-9-]{0,62}$/.test(identifier) || /--|-$/.test(identifier)) {
        problems.add(
            field,
            "be 1–63 lowercase letters, digits and single hyphens, starting with a letter",
            identifier,
        );
    }
}

/** Log types every database exports to CloudWatch Logs (PostgreSQL: the server log and upgrades). */
export const DATABASE_LOG_EXPORTS = ["postgresql", "upgrade"];

/** The `host:port`, ARN, resource id and master secret of a database, as the stacks read them. */
export interface DatabaseEndpoints {
    /** The instance. */
    readonly instance: aws.rds.Instance;
    /** `host:port` endpoint. */
    readonly endpoint: pulumi.Output<string>;
    /** Instance ARN. */
    readonly instanceArn: pulumi.Output<string>;
    /** The DbiResourceId. */
    readonly resourceId: pulumi.Output<string>;
    /** ARN of the RDS-managed master secret, when RDS manages one (the ARN, never the value). */
    readonly masterSecretArn: pulumi.Output<string | undefined>;
}

/** The first RDS-managed master secret's ARN of `instance` (RDS keeps at most one). */
export function masterSecretArnOf(instance: aws.rds.Instance): pulumi.Output<string | undefined> {
    return instance.masterUserSecrets.apply((secrets) => secrets[0]?.secretArn);
}

/**
 * The instance settings every database of this project shares, whatever it is made from (new,
 * restored, or a read replica): encrypted gp3 storage under the region's key, Multi-AZ, inside
 * its placement and never public, its TLS-only parameter group, automated backups with the
 * configured PITR window and windows, tags copied to snapshots, automated backups kept after a
 * delete, IAM authentication, logs exported, Performance Insights under the same key, minor
 * version upgrades. The protection against deletion is the caller's: a drill's copy has none.
 */
export function sharedInstanceArgs(
    settings: DatabaseSettings,
    parts: DatabasePlacementParts,
    kmsKeyArn: pulumi.Input<string>,
) {
    return {
        instanceClass: settings.instanceClass,
        storageType: "gp3",
        storageEncrypted: true,
        kmsKeyId: kmsKeyArn,
        multiAz: true,
        dbSubnetGroupName: parts.subnetGroup.name,
        vpcSecurityGroupIds: [parts.securityGroup.id],
        publiclyAccessible: false,
        parameterGroupName: parts.parameters.name,
        backupRetentionPeriod: settings.backupRetentionDays,
        backupWindow: settings.backupWindow,
        maintenanceWindow: settings.maintenanceWindow,
        copyTagsToSnapshot: true,
        // Keep the automated backups (the PITR window) even if the instance is deleted.
        deleteAutomatedBackups: false,
        iamDatabaseAuthenticationEnabled: true,
        enabledCloudwatchLogsExports: DATABASE_LOG_EXPORTS,
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: kmsKeyArn,
        autoMinorVersionUpgrade: true,
    } satisfies Partial<aws.rds.InstanceArgs>;
}
