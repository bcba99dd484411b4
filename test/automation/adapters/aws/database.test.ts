// RdsDatabase's instance operations against a mocked RDS: finding the replicated backups,
// describing, restoring to a point in time, renaming and waiting. Snapshots are in
// database-snapshots.test.ts, the shared fixtures in database-fixtures.ts.
import * as assert from "assert";
import {
    DBInstanceAlreadyExistsFault,
    DBInstanceAutomatedBackupNotFoundFault,
    DescribeDBInstanceAutomatedBackupsCommand,
    DescribeDBInstancesCommand,
    ModifyDBInstanceCommand,
    RDSClient,
    RDSServiceException,
    RestoreDBInstanceToPointInTimeCommand,
} from "@aws-sdk/client-rds";
import { AwsClientStub } from "aws-sdk-client-mock";
import { assertNoDeletingCommand } from "../../../support/nothing-deleted";
import {
    RdsDatabase,
    RESTORE_POINT_TAG,
    RESTORED_FROM_TAG,
} from "../../../../automation/adapters/aws/database";
import {
    BACKUPS_ARN,
    DR,
    FAST,
    instanceNotFound,
    LIKE,
    meta,
    rawInstance,
    replicated,
    SHORT_WAIT_MINUTES,
    SOURCE,
    stubRds,
    TARGET,
} from "./database-fixtures";

describe("automation/aws/database: RdsDatabase", () => {
    let client: RDSClient;
    let rds: AwsClientStub<RDSClient>;
    const database = () => new RdsDatabase(client, DR, FAST);
    beforeEach(() => ({ client, rds } = stubRds()));
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
});
