// Shared fixtures of the RdsDatabase unit tests (database.test.ts, database-snapshots.test.ts):
// the regions and identifiers, RDS's answers as the SDK returns them, and a mocked RDSClient.
import {
    DBInstance,
    DBInstanceNotFoundFault,
    DBSnapshotNotFoundFault,
    DescribeDBInstancesCommand,
    DescribeDBSnapshotsCommand,
    RDSClient,
} from "@aws-sdk/client-rds";
import { AwsClientStub } from "aws-sdk-client-mock";
import { mockInstance } from "../../../support/mock-client";
import { DatabaseInstance } from "../../../../automation/ports";

/** The region the database adapter works in (the DR region). */
export const DR = "us-west-2";
/** The home region, where the source instance lives and its backups are replicated from. */
export const HOME = "us-east-1";
/** The source instance's identifier. */
export const SOURCE = "webank-db";
/** The identifier of the instance a restore creates. */
export const TARGET = "webank-db-dr-1";
/** The ARN of the source's automated backups replicated into the DR region. */
export const BACKUPS_ARN = `arn:aws:rds:${DR}:123456789012:auto-backup:ab-primary`;
/** Adapter options that poll every few milliseconds. */
export const FAST = { pollDelays: { minDelaySeconds: 0.001, maxDelaySeconds: 0.002 } };
/** 30 ms: long enough for a few polls, short enough for a unit test. */
export const SHORT_WAIT_MINUTES = 0.0005;

/** The `$metadata` every SDK exception carries. */
export const meta = { $metadata: {} };
/** RDS's fault for an unknown DB instance. */
export const instanceNotFound = (id: string) =>
    new DBInstanceNotFoundFault({ message: `DBInstance ${id} not found.`, ...meta });

/** The instance whose settings a restore copies (`like`). */
export const LIKE: DatabaseInstance = {
    identifier: "webank-db-dr-0",
    arn: `arn:aws:rds:${DR}:123456789012:db:webank-db-dr-0`,
    status: "available",
    instanceClass: "db.r6g.large",
    subnetGroupName: "webank-db",
    securityGroupIds: ["sg-0db"],
    parameterGroupName: "webank-db",
    multiAz: true,
    deletionProtection: false,
};

/** A DB instance in DR as DescribeDBInstances returns it (Multi-AZ, protected); `extra` overrides any field. */
export function rawInstance(id: string, status = "available", extra: Partial<DBInstance> = {}): DBInstance {
    return {
        DBInstanceIdentifier: id,
        DBInstanceArn: `arn:aws:rds:${DR}:123456789012:db:${id}`,
        DBInstanceStatus: status,
        DBInstanceClass: "db.r6g.large",
        Endpoint: { Address: `${id}.abc.${DR}.rds.amazonaws.com`, Port: 5432 },
        DBSubnetGroup: { DBSubnetGroupName: "webank-db" },
        VpcSecurityGroups: [{ VpcSecurityGroupId: "sg-0db", Status: "active" }],
        DBParameterGroups: [{ DBParameterGroupName: "webank-db" }],
        MultiAZ: true,
        DeletionProtection: true,
        ...extra,
    };
}

/** An automated backup of SOURCE replicated from HOME, restorable up to `latest`. */
export const replicated = (latest: string, extra: Record<string, unknown> = {}) => ({
    DBInstanceIdentifier: SOURCE,
    DBInstanceArn: `arn:aws:rds:${HOME}:123456789012:db:${SOURCE}`,
    Region: HOME,
    Status: "replicating",
    DBInstanceAutomatedBackupsArn: BACKUPS_ARN,
    RestoreWindow: { EarliestTime: new Date("2026-11-11T03:00:00Z"), LatestTime: new Date(latest) },
    ...extra,
});

/**
 * A fresh RDSClient for the DR region and its mock, on which every instance and snapshot is
 * unknown until a test says otherwise.
 */
export function stubRds(): { client: RDSClient; rds: AwsClientStub<RDSClient> } {
    const client = new RDSClient({ region: DR });
    const rds = mockInstance(client);
    rds.on(DescribeDBInstancesCommand).rejects(instanceNotFound("any"));
    rds.on(DescribeDBSnapshotsCommand).rejects(
        new DBSnapshotNotFoundFault({ message: "not found", ...meta }),
    );
    return { client, rds };
}
