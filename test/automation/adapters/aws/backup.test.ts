import * as assert from "assert";
import {
    BackupClient,
    DescribeBackupJobCommand,
    DescribeCopyJobCommand,
    ListProtectedResourcesByBackupVaultCommand,
    ListRecoveryPointsByBackupVaultCommand,
    ResourceNotFoundException,
    StartBackupJobCommand,
    StartCopyJobCommand,
} from "@aws-sdk/client-backup";
import { AwsClientStub } from "aws-sdk-client-mock";
import { mockInstance } from "../../../support/mock-client";
import { assertNoDeletingCommand } from "../../../support/nothing-deleted";
import { AwsBackup } from "../../../../automation/adapters/aws/backup";

const REGION = "us-east-1";
const VAULT = "webank-vault";
const DB_ARN = `arn:aws:rds:${REGION}:123456789012:db:webank-db`;
const VOLUME_ARN = `arn:aws:ec2:${REGION}:123456789012:volume/vol-1`;
const ROLE = "arn:aws:iam::123456789012:role/webank-backup";
const DR_VAULT_ARN = "arn:aws:backup:us-west-2:123456789012:backup-vault:webank-vault";
const FAST = { pollDelays: { minDelaySeconds: 0.001, maxDelaySeconds: 0.002 } };
const meta = { $metadata: {} };

const point = (id: string, resourceArn: string, type: string, created: string, status = "COMPLETED") => ({
    RecoveryPointArn: `arn:aws:backup:${REGION}:123456789012:recovery-point:${id}`,
    ResourceArn: resourceArn,
    ResourceType: type,
    CreationDate: new Date(created),
    Status: status as "COMPLETED",
});

describe("automation/aws/backup: AwsBackup", () => {
    let client: BackupClient;
    let backup: AwsClientStub<BackupClient>;
    const port = () => new AwsBackup(client, REGION, FAST);
    beforeEach(() => {
        client = new BackupClient({ region: REGION });
        backup = mockInstance(client);
    });
    afterEach(() => assertNoDeletingCommand(backup));

    describe("newestRecoveryPoint", () => {
        it("reads every page and returns the newest restorable point", async () => {
            backup
                .on(ListRecoveryPointsByBackupVaultCommand)
                .resolvesOnce({
                    RecoveryPoints: [
                        point("rp-old", DB_ARN, "RDS", "2026-11-24T03:00:00Z"),
                        point("rp-partial", DB_ARN, "RDS", "2026-11-25T03:00:00Z", "PARTIAL"),
                    ],
                    NextToken: "page-2",
                })
                .resolvesOnce({ RecoveryPoints: [point("rp-new", DB_ARN, "RDS", "2026-11-25T02:00:00Z")] });
            const newest = await port().newestRecoveryPoint(VAULT, { resourceType: "RDS" });
            assert.deepStrictEqual(newest, {
                arn: `arn:aws:backup:${REGION}:123456789012:recovery-point:rp-new`,
                resourceArn: DB_ARN,
                resourceType: "RDS",
                createdAt: new Date("2026-11-25T02:00:00Z"),
                status: "COMPLETED",
            });
            const calls = backup.commandCalls(ListRecoveryPointsByBackupVaultCommand);
            assert.strictEqual(calls.length, 2);
            assert.strictEqual(calls[0].args[0].input.BackupVaultName, VAULT);
            assert.strictEqual(calls[0].args[0].input.ByResourceType, "RDS");
            assert.strictEqual(calls[1].args[0].input.NextToken, "page-2");
        });

        it("filters by resource, and answers undefined when nothing is restorable", async () => {
            backup.on(ListRecoveryPointsByBackupVaultCommand).resolves({
                RecoveryPoints: [point("rp-vol", VOLUME_ARN, "EBS", "2026-11-25T01:00:00Z", "CREATING")],
            });
            assert.strictEqual(
                await port().newestRecoveryPoint(VAULT, { resourceArn: VOLUME_ARN }),
                undefined,
            );
            assert.strictEqual(
                backup.commandCalls(ListRecoveryPointsByBackupVaultCommand)[0].args[0].input.ByResourceArn,
                VOLUME_ARN,
            );
        });

        it("says when the vault does not exist, with the command to check it", async () => {
            backup
                .on(ListRecoveryPointsByBackupVaultCommand)
                .rejects(new ResourceNotFoundException({ message: "Backup vault not found", ...meta }));
            await assert.rejects(
                () => port().newestRecoveryPoint(VAULT),
                /backup vault webank-vault in us-east-1 could not be read: Backup vault not found; check it with: aws backup describe-backup-vault --region us-east-1 --backup-vault-name webank-vault/,
            );
        });
    });

    it("lists the protected resources of a vault over every page, once each", async () => {
        backup
            .on(ListProtectedResourcesByBackupVaultCommand)
            .resolvesOnce({ Results: [{ ResourceArn: DB_ARN }], NextToken: "n" })
            .resolvesOnce({ Results: [{ ResourceArn: VOLUME_ARN }, { ResourceArn: DB_ARN }] });
        assert.deepStrictEqual(await port().protectedResources(VAULT), [DB_ARN, VOLUME_ARN]);
    });

    describe("backup jobs", () => {
        it("starts a job with the idempotency token and waits for its recovery point", async () => {
            backup.on(StartBackupJobCommand).resolves({ BackupJobId: "job-1" });
            backup
                .on(DescribeBackupJobCommand)
                .resolvesOnce({ BackupJobId: "job-1", State: "RUNNING" })
                .resolves({
                    BackupJobId: "job-1",
                    State: "COMPLETED",
                    RecoveryPointArn: "arn:aws:backup:us-east-1:123456789012:recovery-point:rp-1",
                    ResourceArn: DB_ARN,
                    ResourceType: "RDS",
                    CreationDate: new Date("2026-11-25T03:00:00Z"),
                });
            const jobId = await port().startBackupJob({
                vaultName: VAULT,
                resourceArn: DB_ARN,
                iamRoleArn: ROLE,
                idempotencyToken: "backup-run-1-webank-db",
            });
            assert.deepStrictEqual(backup.commandCalls(StartBackupJobCommand)[0].args[0].input, {
                BackupVaultName: VAULT,
                ResourceArn: DB_ARN,
                IamRoleArn: ROLE,
                IdempotencyToken: "backup-run-1-webank-db",
            });
            const recoveryPoint = await port().waitBackupJob(jobId, 1);
            assert.deepStrictEqual(recoveryPoint, {
                arn: "arn:aws:backup:us-east-1:123456789012:recovery-point:rp-1",
                resourceArn: DB_ARN,
                resourceType: "RDS",
                createdAt: new Date("2026-11-25T03:00:00Z"),
                status: "COMPLETED",
            });
            assert.strictEqual(backup.commandCalls(DescribeBackupJobCommand).length, 2);
        });

        it("refuses a job without an idempotency token before calling AWS Backup", async () => {
            await assert.rejects(
                () =>
                    port().startBackupJob({
                        vaultName: VAULT,
                        resourceArn: DB_ARN,
                        iamRoleArn: ROLE,
                        idempotencyToken: "",
                    }),
                /idempotencyToken must be a non-empty string; got ""/,
            );
            assert.strictEqual(backup.calls().length, 0);
        });

        it("stops at a failed job with its state and message and the command to check it", async () => {
            backup.on(DescribeBackupJobCommand).resolves({
                BackupJobId: "job-1",
                State: "FAILED",
                StatusMessage: "Insufficient privileges",
            });
            await assert.rejects(
                () => port().waitBackupJob("job-1", 5),
                /backup job job-1 in us-east-1 ended FAILED: Insufficient privileges; check it with: aws backup describe-backup-job --region us-east-1 --backup-job-id job-1/,
            );
            assert.strictEqual(backup.commandCalls(DescribeBackupJobCommand).length, 1);
        });

        it("times out naming the job, the minutes and how to resume", async () => {
            backup.on(DescribeBackupJobCommand).resolves({ BackupJobId: "job-1", State: "RUNNING" });
            await assert.rejects(
                () => port().waitBackupJob("job-1", 0.0005),
                /backup job job-1 in us-east-1 was not complete after 0.0005 minutes \(state RUNNING\); check it with: aws backup describe-backup-job --region us-east-1 --backup-job-id job-1; run the same command again to resume waiting/,
            );
        });

        it("says when the job does not exist instead of waiting for it", async () => {
            backup
                .on(DescribeBackupJobCommand)
                .rejects(new ResourceNotFoundException({ message: "no job", ...meta }));
            await assert.rejects(
                () => port().waitBackupJob("job-x", 60),
                /backup job job-x in us-east-1 could not be read \(it was not found\); check it with: aws backup describe-backup-job/,
            );
        });
    });

    describe("copy jobs", () => {
        const job = {
            sourceVaultName: VAULT,
            recoveryPointArn: "arn:aws:backup:us-east-1:123456789012:recovery-point:rp-1",
            destinationVaultArn: DR_VAULT_ARN,
            iamRoleArn: ROLE,
            idempotencyToken: "copy-run-1-rp-1",
        };

        it("starts a copy into the DR vault and returns the destination recovery point", async () => {
            backup.on(StartCopyJobCommand).resolves({ CopyJobId: "copy-1" });
            backup
                .on(DescribeCopyJobCommand)
                .resolvesOnce({ CopyJob: { CopyJobId: "copy-1", State: "RUNNING" } })
                .resolves({
                    CopyJob: {
                        CopyJobId: "copy-1",
                        State: "COMPLETED",
                        DestinationRecoveryPointArn:
                            "arn:aws:backup:us-west-2:123456789012:recovery-point:rp-dr",
                    },
                });
            assert.strictEqual(await port().startCopyJob(job), "copy-1");
            assert.deepStrictEqual(backup.commandCalls(StartCopyJobCommand)[0].args[0].input, {
                SourceBackupVaultName: VAULT,
                RecoveryPointArn: job.recoveryPointArn,
                DestinationBackupVaultArn: DR_VAULT_ARN,
                IamRoleArn: ROLE,
                IdempotencyToken: "copy-run-1-rp-1",
            });
            assert.strictEqual(
                await port().waitCopyJob("copy-1", 1),
                "arn:aws:backup:us-west-2:123456789012:recovery-point:rp-dr",
            );
        });

        it("refuses a destination that is not a vault ARN", async () => {
            await assert.rejects(
                () => port().startCopyJob({ ...job, destinationVaultArn: "webank-vault" }),
                /destinationVaultArn must be a backup vault ARN .*; got "webank-vault"/,
            );
            assert.strictEqual(backup.calls().length, 0);
        });

        it("stops at a failed copy, and times out with the command to check it", async () => {
            backup
                .on(DescribeCopyJobCommand)
                .resolvesOnce({
                    CopyJob: { CopyJobId: "copy-1", State: "FAILED", StatusMessage: "KMS key not usable" },
                })
                .resolves({ CopyJob: { CopyJobId: "copy-1", State: "CREATED" } });
            await assert.rejects(
                () => port().waitCopyJob("copy-1", 5),
                /copy job copy-1 in us-east-1 ended FAILED: KMS key not usable/,
            );
            await assert.rejects(
                () => port().waitCopyJob("copy-1", 0.0005),
                /copy job copy-1 in us-east-1 was not complete after 0.0005 minutes \(state CREATED\); check it with: aws backup describe-copy-job --region us-east-1 --copy-job-id copy-1; run the same command again/,
            );
        });
    });
});
