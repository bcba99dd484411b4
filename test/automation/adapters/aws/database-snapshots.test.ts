// RdsDatabase's snapshot operations against a mocked RDS: taking a snapshot of an instance and
// copying one across regions. The shared fixtures are in database-fixtures.ts.
import * as assert from "assert";
import {
    CopyDBSnapshotCommand,
    CreateDBSnapshotCommand,
    DBSnapshotNotFoundFault,
    DescribeDBSnapshotsCommand,
    RDSClient,
} from "@aws-sdk/client-rds";
import { AwsClientStub } from "aws-sdk-client-mock";
import { assertNoDeletingCommand } from "../../../support/nothing-deleted";
import { RdsDatabase } from "../../../../automation/adapters/aws/database";
import {
    DR,
    FAST,
    HOME,
    instanceNotFound,
    meta,
    SHORT_WAIT_MINUTES,
    SOURCE,
    stubRds,
} from "./database-fixtures";

describe("automation/aws/database: RdsDatabase", () => {
    let client: RDSClient;
    let rds: AwsClientStub<RDSClient>;
    const database = () => new RdsDatabase(client, DR, FAST);
    beforeEach(() => ({ client, rds } = stubRds()));
    afterEach(() => assertNoDeletingCommand(rds));

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
