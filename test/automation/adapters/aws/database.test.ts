import * as assert from "assert";
import {
    CopyDBSnapshotCommand,
    CreateDBSnapshotCommand,
    DBInstance,
    DBInstanceAlreadyExistsFault,
    DBInstanceAutomatedBackupNotFoundFault,
    DBInstanceNotFoundFault,
    DBSnapshotNotFoundFault,
    DescribeDBInstanceAutomatedBackupsCommand,
    DescribeDBInstancesCommand,
    DescribeDBSnapshotsCommand,
    ModifyDBInstanceCommand,
    RDSClient,
    RDSServiceException,
    RestoreDBInstanceToPointInTimeCommand,
} from "@aws-sdk/client-rds";
import { AwsClientStub } from "aws-sdk-client-mock";
import { mockInstance } from "../../../support/mock-client";
import { assertNoDeletingCommand } from "../../../support/nothing-deleted";
import {
    RdsDatabase,
    RESTORE_POINT_TAG,
    RESTORED_FROM_TAG,
} from "../../../../automation/adapters/aws/database";
import { DatabaseInstance } from "../../../../automation/ports";

const DR = "us-west-2";
const HOME = "us-east-1";
const SOURCE = "webank-db";
const TARGET = "webank-db-dr-1";
const BACKUPS_ARN = `arn:aws:rds:${DR}:123456789012:auto-backup:ab-primary`;
const FAST = { pollDelays: { minDelaySeconds: 0.001, maxDelaySeconds: 0.002 } };
/** 30 ms: long enough for a few polls, short enough for a unit test. */
const SHORT_WAIT_MINUTES = 0.0005;

const meta = { $metadata: {} };
const instanceNotFound = (id: string) =>
    new DBInstanceNotFoundFault({ message: `DBInstance ${id} not found.`, ...meta });

const LIKE: DatabaseInstance = {
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

function rawInstance(id: string, status = "available", extra: Partial<DBInstance> = {}): DBInstance {
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

const replicated = (latest: string, extra: Record<string, unknown> = {}) => ({
    DBInstanceIdentifier: SOURCE,
    DBInstanceArn: `arn:aws:rds:${HOME}:123456789012:db:${SOURCE}`,
    Region: HOME,
    Status: "replicating",
    DBInstanceAutomatedBackupsArn: BACKUPS_ARN,
    RestoreWindow: { EarliestTime: new Date("2026-11-11T03:00:00Z"), LatestTime: new Date(latest) },
    ...extra,
});

describe("automation/aws/database: RdsDatabase", () => {
    let client: RDSClient;
    let rds: AwsClientStub<RDSClient>;
    const database = () => new RdsDatabase(client, DR, FAST);
    beforeEach(() => {
        client = new RDSClient({ region: DR });
        rds = mockInstance(client);
        rds.on(DescribeDBInstancesCommand).rejects(instanceNotFound("any"));
        rds.on(DescribeDBSnapshotsCommand).rejects(
            new DBSnapshotNotFoundFault({ message: "not found", ...meta }),
        );
    });
    afterEach(() => assertNoDeletingCommand(rds));

    describe("replicatedBackups", () => {
        it("finds the source's backups replicated from the home region, the newest window first", async () => {
            rds.on(DescribeDBInstanceAutomatedBackupsCommand, { DBInstanceIdentifier: SOURCE }).resolves({
                DBInstanceAutomatedBackups: [
                    replicated("2026-11-20T00:00:00Z", {
                        DBInstanceAutomatedBackupsArn: "arn:old",
                        Status: "retained",
                    }),
                    replicated("2026-11-25T02:56:00Z"),
                    // A local automated backup of an instance of the same name is not a replicated one.
                    replicated("2026-11-25T02:59:00Z", {
                        Region: DR,
                        DBInstanceAutomatedBackupsArn: "arn:local",
                    }),
                ],
            });
            const backups = await database().replicatedBackups(SOURCE);
            assert.deepStrictEqual(backups, {
                arn: BACKUPS_ARN,
                earliest: new Date("2026-11-11T03:00:00Z"),
                latest: new Date("2026-11-25T02:56:00Z"),
            });
        });

        it("lists every automated backup and matches the source when the identifier filter finds nothing here", async () => {
            const pages = [
                {
                    DBInstanceAutomatedBackups: [
                        replicated("2026-11-25T01:00:00Z", { DBInstanceIdentifier: "other-db" }),
                    ],
                    Marker: "page-2",
                },
                { DBInstanceAutomatedBackups: [replicated("2026-11-25T02:56:00Z")] },
            ];
            rds.on(DescribeDBInstanceAutomatedBackupsCommand).callsFake(
                (input: { DBInstanceIdentifier?: string; Marker?: string }) => {
                    if (input.DBInstanceIdentifier) {
                        throw new DBInstanceAutomatedBackupNotFoundFault({ message: "not found", ...meta });
                    }
                    return pages[input.Marker === "page-2" ? 1 : 0];
                },
            );
            const backups = await database().replicatedBackups(SOURCE);
            assert.strictEqual(backups?.arn, BACKUPS_ARN);
            assert.strictEqual(rds.commandCalls(DescribeDBInstanceAutomatedBackupsCommand).length, 3);
        });

        it("answers undefined when nothing of the source is replicated here", async () => {
            rds.on(DescribeDBInstanceAutomatedBackupsCommand).resolves({ DBInstanceAutomatedBackups: [] });
            assert.strictEqual(await database().replicatedBackups(SOURCE), undefined);
        });

        it("passes other errors through (permissions are not 'no backups')", async () => {
            rds.on(DescribeDBInstanceAutomatedBackupsCommand).rejects(
                new RDSServiceException({
                    name: "AccessDenied",
                    $fault: "client",
                    message: "not authorized",
                    ...meta,
                }),
            );
            await assert.rejects(() => database().replicatedBackups(SOURCE), /not authorized/);
        });
    });

    describe("describeInstance", () => {
        it("maps the instance, and answers undefined for an unknown one", async () => {
            rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: TARGET }).resolves({
                DBInstances: [
                    rawInstance(TARGET, "available", {
                        LatestRestorableTime: new Date("2026-11-25T02:55:00Z"),
                    }),
                ],
            });
            assert.deepStrictEqual(await database().describeInstance(TARGET), {
                identifier: TARGET,
                arn: `arn:aws:rds:${DR}:123456789012:db:${TARGET}`,
                status: "available",
                endpoint: `${TARGET}.abc.${DR}.rds.amazonaws.com:5432`,
                latestRestorableTime: new Date("2026-11-25T02:55:00Z"),
                instanceClass: "db.r6g.large",
                subnetGroupName: "webank-db",
                securityGroupIds: ["sg-0db"],
                parameterGroupName: "webank-db",
                multiAz: true,
                deletionProtection: true,
            });
            assert.strictEqual(await database().describeInstance("nope"), undefined);
        });
    });

    describe("restoreToPointInTime", () => {
        beforeEach(() => {
            rds.on(DescribeDBInstanceAutomatedBackupsCommand).resolves({
                DBInstanceAutomatedBackups: [replicated("2026-11-25T02:56:00Z")],
            });
            rds.on(RestoreDBInstanceToPointInTimeCommand).resolves({});
        });

        it("restores the replicated backups to the latest time with the settings of `like`, protected and tagged", async () => {
            await database().restoreToPointInTime(SOURCE, TARGET, "latest", LIKE);
            const [call] = rds.commandCalls(RestoreDBInstanceToPointInTimeCommand);
            assert.deepStrictEqual(call.args[0].input, {
                TargetDBInstanceIdentifier: TARGET,
                SourceDBInstanceAutomatedBackupsArn: BACKUPS_ARN,
                UseLatestRestorableTime: true,
                DBInstanceClass: "db.r6g.large",
                DBSubnetGroupName: "webank-db",
                VpcSecurityGroupIds: ["sg-0db"],
                DBParameterGroupName: "webank-db",
                MultiAZ: true,
                DeletionProtection: true,
                CopyTagsToSnapshot: true,
                PubliclyAccessible: false,
                Tags: [
                    { Key: RESTORED_FROM_TAG, Value: SOURCE },
                    { Key: RESTORE_POINT_TAG, Value: "latest" },
                ],
            });
        });

        it("restores a local source by identifier to a given time (an in-place restore)", async () => {
            rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: SOURCE }).resolves({
                DBInstances: [rawInstance(SOURCE)],
            });
            const time = new Date("2026-11-25T02:00:00Z");
            await database().restoreToPointInTime(SOURCE, TARGET, time, LIKE);
            const input = rds.commandCalls(RestoreDBInstanceToPointInTimeCommand)[0].args[0].input;
            assert.strictEqual(input.SourceDBInstanceIdentifier, SOURCE);
            assert.strictEqual(input.SourceDBInstanceAutomatedBackupsArn, undefined);
            assert.deepStrictEqual(input.RestoreTime, time);
            assert.strictEqual(input.UseLatestRestorableTime, undefined);
            assert.deepStrictEqual(input.Tags?.[1], {
                Key: RESTORE_POINT_TAG,
                Value: "2026-11-25T02:00:00.000Z",
            });
        });

        it("reuses the instance a previous run started (same source, same point): a re-run changes nothing", async () => {
            rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: TARGET }).resolves({
                DBInstances: [
                    rawInstance(TARGET, "creating", {
                        TagList: [
                            { Key: RESTORED_FROM_TAG, Value: SOURCE },
                            { Key: RESTORE_POINT_TAG, Value: "latest" },
                        ],
                    }),
                ],
            });
            await database().restoreToPointInTime(SOURCE, TARGET, "latest", LIKE);
            assert.strictEqual(rds.commandCalls(RestoreDBInstanceToPointInTimeCommand).length, 0);
        });

        it("refuses a target name taken by another instance, changing nothing", async () => {
            rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: TARGET }).resolves({
                DBInstances: [rawInstance(TARGET)],
            });
            await assert.rejects(
                () => database().restoreToPointInTime(SOURCE, TARGET, "latest", LIKE),
                new RegExp(
                    `${TARGET} already exists in ${DR} but is not the restore of ${SOURCE} at latest .*nothing was changed.*` +
                        `aws rds describe-db-instances --region ${DR} --db-instance-identifier ${TARGET}`,
                ),
            );
            assert.strictEqual(rds.commandCalls(RestoreDBInstanceToPointInTimeCommand).length, 0);
        });

        it("treats losing a race to the same restore as success", async () => {
            rds.on(RestoreDBInstanceToPointInTimeCommand).rejects(
                new DBInstanceAlreadyExistsFault({ message: "exists", ...meta }),
            );
            rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: TARGET })
                .rejectsOnce(instanceNotFound(TARGET))
                .resolves({
                    DBInstances: [
                        rawInstance(TARGET, "creating", {
                            TagList: [
                                { Key: RESTORED_FROM_TAG, Value: SOURCE },
                                { Key: RESTORE_POINT_TAG, Value: "latest" },
                            ],
                        }),
                    ],
                });
            await database().restoreToPointInTime(SOURCE, TARGET, "latest", LIKE);
        });

        it("says there is nothing to restore from when neither the source nor its replicated backups exist", async () => {
            rds.on(DescribeDBInstanceAutomatedBackupsCommand).resolves({ DBInstanceAutomatedBackups: [] });
            await assert.rejects(
                () => database().restoreToPointInTime(SOURCE, TARGET, "latest", LIKE),
                /neither the DB instance webank-db nor automated backups of it replicated into us-west-2 exist.*nothing was changed/,
            );
            assert.strictEqual(rds.commandCalls(RestoreDBInstanceToPointInTimeCommand).length, 0);
        });

        it("refuses a bad target identifier or time before calling RDS", async () => {
            await assert.rejects(
                () => database().restoreToPointInTime(SOURCE, "1-bad--name", "latest", LIKE),
                /targetIdentifier must be an RDS identifier .*; got "1-bad--name"/,
            );
            await assert.rejects(
                () => database().restoreToPointInTime(SOURCE, TARGET, new Date("nope"), LIKE),
                /time must be "latest" or a valid Date; got Invalid Date/,
            );
            assert.strictEqual(rds.calls().length, 0);
        });
    });

    describe("renameInstance", () => {
        it("renames with ApplyImmediately", async () => {
            rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: TARGET }).resolves({
                DBInstances: [rawInstance(TARGET)],
            });
            rds.on(ModifyDBInstanceCommand).resolves({});
            await database().renameInstance(TARGET, SOURCE);
            assert.deepStrictEqual(rds.commandCalls(ModifyDBInstanceCommand)[0].args[0].input, {
                DBInstanceIdentifier: TARGET,
                NewDBInstanceIdentifier: SOURCE,
                ApplyImmediately: true,
            });
        });

        it("treats an instance already renamed as done", async () => {
            rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: SOURCE }).resolves({
                DBInstances: [rawInstance(SOURCE)],
            });
            await database().renameInstance(TARGET, SOURCE);
            assert.strictEqual(rds.commandCalls(ModifyDBInstanceCommand).length, 0);
        });

        it("treats a rename to the new name already under way as done", async () => {
            rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: TARGET }).resolves({
                DBInstances: [
                    rawInstance(TARGET, "renaming", {
                        PendingModifiedValues: { DBInstanceIdentifier: SOURCE },
                    }),
                ],
            });
            await database().renameInstance(TARGET, SOURCE);
            assert.strictEqual(rds.commandCalls(ModifyDBInstanceCommand).length, 0);
        });

        it("refuses when the new name is taken, and says when the instance is missing", async () => {
            rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: TARGET }).resolves({
                DBInstances: [rawInstance(TARGET)],
            });
            rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: SOURCE }).resolves({
                DBInstances: [rawInstance(SOURCE)],
            });
            await assert.rejects(
                () => database().renameInstance(TARGET, SOURCE),
                /an instance named webank-db already exists; nothing was changed/,
            );
            await assert.rejects(
                () => database().renameInstance("ghost", "ghost-2"),
                /DB instance ghost not found in us-west-2.*aws rds describe-db-instances --region us-west-2 --db-instance-identifier ghost/,
            );
            assert.strictEqual(rds.commandCalls(ModifyDBInstanceCommand).length, 0);
        });
    });

    describe("waitAvailable", () => {
        it("waits until the instance is available", async () => {
            rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: TARGET })
                .resolvesOnce({ DBInstances: [rawInstance(TARGET, "creating")] })
                .resolvesOnce({ DBInstances: [rawInstance(TARGET, "creating")] })
                .resolves({ DBInstances: [rawInstance(TARGET, "available")] });
            await database().waitAvailable(TARGET, 1);
            assert.ok(rds.commandCalls(DescribeDBInstancesCommand).length >= 3);
        });

        it("on timeout names the instance, the minutes, the command to check it and how to resume", async () => {
            rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: TARGET }).resolves({
                DBInstances: [rawInstance(TARGET, "creating")],
            });
            await assert.rejects(
                () => database().waitAvailable(TARGET, SHORT_WAIT_MINUTES),
                (error: Error) => {
                    assert.match(
                        error.message,
                        /^DB instance webank-db-dr-1 was not available after 0.0005 minutes \(status: creating\)/,
                    );
                    assert.match(
                        error.message,
                        /check it with: aws rds describe-db-instances --region us-west-2 --db-instance-identifier webank-db-dr-1;/,
                    );
                    assert.match(error.message, /run the same command again to resume$/);
                    return true;
                },
            );
        });

        it("stops at once when the instance fails, with its status", async () => {
            rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: TARGET }).resolves({
                DBInstances: [rawInstance(TARGET, "incompatible-restore")],
            });
            await assert.rejects(
                () => database().waitAvailable(TARGET, 5),
                /DB instance webank-db-dr-1 stopped short of available after [\d.]+ of 5 minutes: its status is incompatible-restore; check it with: aws rds describe-db-instances/,
            );
        });

        it("surfaces an error waiting cannot fix instead of polling until the timeout", async () => {
            rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: TARGET }).rejects(
                new RDSServiceException({
                    name: "AccessDenied",
                    $fault: "client",
                    message: "not authorized to describe",
                    ...meta,
                }),
            );
            await assert.rejects(() => database().waitAvailable(TARGET, 60), /not authorized to describe/);
            assert.strictEqual(
                rds.commandCalls(DescribeDBInstancesCommand).length,
                1,
                "one describe, then the error: no polling",
            );
        });

        it("refuses a non-positive timeout", async () => {
            await assert.rejects(
                () => database().waitAvailable(TARGET, 0),
                /timeoutMinutes must be a positive number; got 0/,
            );
        });
    });

    describe("createSnapshot", () => {
        const SNAPSHOT = "webank-db-before-restore";
        const snapshot = (status: string, instance = SOURCE) => ({
            DBSnapshots: [
                {
                    DBSnapshotIdentifier: SNAPSHOT,
                    DBInstanceIdentifier: instance,
                    DBSnapshotArn: `arn:aws:rds:${DR}:123456789012:snapshot:${SNAPSHOT}`,
                    Status: status,
                },
            ],
        });

        it("takes the snapshot, waits for it and returns its ARN", async () => {
            rds.on(CreateDBSnapshotCommand).resolves({});
            rds.on(DescribeDBSnapshotsCommand)
                .rejectsOnce(new DBSnapshotNotFoundFault({ message: "not found", ...meta }))
                .resolvesOnce(snapshot("creating"))
                .resolves(snapshot("available"));
            const arn = await database().createSnapshot(SOURCE, SNAPSHOT, 1);
            assert.strictEqual(arn, `arn:aws:rds:${DR}:123456789012:snapshot:${SNAPSHOT}`);
            assert.deepStrictEqual(rds.commandCalls(CreateDBSnapshotCommand)[0].args[0].input, {
                DBInstanceIdentifier: SOURCE,
                DBSnapshotIdentifier: SNAPSHOT,
            });
        });

        it("reuses a snapshot of that name of the same instance (a re-run takes no second one)", async () => {
            rds.on(DescribeDBSnapshotsCommand).resolves(snapshot("available"));
            await database().createSnapshot(SOURCE, SNAPSHOT, 1);
            assert.strictEqual(rds.commandCalls(CreateDBSnapshotCommand).length, 0);
        });

        it("refuses a snapshot name taken by a snapshot of another instance", async () => {
            rds.on(DescribeDBSnapshotsCommand).resolves(snapshot("available", "someone-else"));
            await assert.rejects(
                () => database().createSnapshot(SOURCE, SNAPSHOT, 1),
                /already exists in us-west-2 but is of someone-else, not webank-db; nothing was changed/,
            );
            assert.strictEqual(rds.commandCalls(CreateDBSnapshotCommand).length, 0);
        });

        it("says which instance is missing", async () => {
            rds.on(CreateDBSnapshotCommand).rejects(instanceNotFound("ghost"));
            await assert.rejects(
                () => database().createSnapshot("ghost", SNAPSHOT, 1),
                /snapshot webank-db-before-restore of ghost in us-west-2 could not start: .*DB instance ghost not found; check it with: aws rds describe-db-instances --region us-west-2 --db-instance-identifier ghost/,
            );
        });

        it("on a wait timeout names the snapshot and the command to check it", async () => {
            rds.on(CreateDBSnapshotCommand).resolves({});
            rds.on(DescribeDBSnapshotsCommand)
                .rejectsOnce(new DBSnapshotNotFoundFault({ message: "not found", ...meta }))
                .resolves(snapshot("creating"));
            await assert.rejects(
                () => database().createSnapshot(SOURCE, SNAPSHOT, SHORT_WAIT_MINUTES),
                /DB snapshot webank-db-before-restore was not available after 0.0005 minutes \(status: creating\); check it with: aws rds describe-db-snapshots --region us-west-2 --db-snapshot-identifier webank-db-before-restore; .*run the same command again to resume/,
            );
        });
    });

    describe("copySnapshot", () => {
        const SOURCE_ARN = `arn:aws:rds:${HOME}:123456789012:snapshot:webank-db-before-restore`;
        const COPY = "webank-db-before-restore-dr";
        const KEY = `arn:aws:kms:${DR}:123456789012:key/mrk-1`;
        const copy = (status: string, source: string = SOURCE_ARN) => ({
            DBSnapshots: [
                {
                    DBSnapshotIdentifier: COPY,
                    DBSnapshotArn: `arn:aws:rds:${DR}:123456789012:snapshot:${COPY}`,
                    SourceDBSnapshotIdentifier: source,
                    Status: status,
                },
            ],
        });

        it("copies across regions with SourceRegion and this region's key, and waits", async () => {
            rds.on(CopyDBSnapshotCommand).resolves({});
            rds.on(DescribeDBSnapshotsCommand)
                .rejectsOnce(new DBSnapshotNotFoundFault({ message: "not found", ...meta }))
                .resolves(copy("available"));
            const arn = await database().copySnapshot(SOURCE_ARN, COPY, KEY, 1);
            assert.strictEqual(arn, `arn:aws:rds:${DR}:123456789012:snapshot:${COPY}`);
            assert.deepStrictEqual(rds.commandCalls(CopyDBSnapshotCommand)[0].args[0].input, {
                SourceDBSnapshotIdentifier: SOURCE_ARN,
                TargetDBSnapshotIdentifier: COPY,
                KmsKeyId: KEY,
                CopyTags: true,
                SourceRegion: HOME,
            });
        });

        it("reuses an existing copy of the same snapshot, and refuses a name taken by something else", async () => {
            rds.on(DescribeDBSnapshotsCommand)
                .resolvesOnce(copy("available"))
                .resolves(copy("available", "arn:aws:rds:us-east-1:123456789012:snapshot:other"));
            await database().copySnapshot(SOURCE_ARN, COPY, KEY, 1);
            await assert.rejects(
                () => database().copySnapshot(SOURCE_ARN, COPY, KEY, 1),
                /already exists in us-west-2 but is not a copy of .*nothing was changed/,
            );
            assert.strictEqual(rds.commandCalls(CopyDBSnapshotCommand).length, 0);
        });

        it("refuses a source that is not a snapshot ARN, and says when the source is missing", async () => {
            await assert.rejects(
                () => database().copySnapshot("webank-db-before-restore", COPY, KEY, 1),
                /sourceSnapshotArn must be an RDS snapshot ARN .*; got "webank-db-before-restore"/,
            );
            rds.on(CopyDBSnapshotCommand).rejects(new DBSnapshotNotFoundFault({ message: "gone", ...meta }));
            await assert.rejects(
                () => database().copySnapshot(SOURCE_ARN, COPY, KEY, 1),
                /the source snapshot was not found; check it with: aws rds describe-db-snapshots --region us-east-1 --db-snapshot-identifier arn:aws:rds:us-east-1/,
            );
        });
    });
});
