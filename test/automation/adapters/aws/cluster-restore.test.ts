import * as assert from "assert";
import {
    BackupClient,
    DescribeBackupVaultCommand,
    DescribeRestoreJobCommand,
    ListRecoveryPointsByBackupVaultCommand,
    ResourceNotFoundException,
    StartRestoreJobCommand,
} from "@aws-sdk/client-backup";
import { AwsClientStub } from "aws-sdk-client-mock";
import { AwsClusterRestore } from "../../../../automation/adapters/aws/cluster-restore";
import { mockInstance } from "../../../support/mock-client";
import { assertNoDeletingCommand } from "../../../support/nothing-deleted";

/*
 * AwsClusterRestore with aws-sdk-client-mock, for the calls moto 5.2.1 does not implement
 * (cluster-restore.moto.test.ts lists them). The answers have the shapes the AWS Backup API
 * reference documents: ListRecoveryPointsByBackupVault's RecoveryPoints with IsParent and
 * ParentRecoveryPointArn, composite ARNs `...:recovery-point:composite:eks/<cluster>-<timestamp>`
 * (eks-backups.html, "Amazon EKS backup ARN format"), an EBS child named by its snapshot ARN,
 * restore job ids as uppercase UUIDs and DescribeRestoreJob's Status/StatusMessage/PercentDone
 * (API_DescribeRestoreJob.html).
 */

const REGION = "us-west-2";
const ACCOUNT = "123456789012";
const VAULT = "webank-vault";
const CLUSTER = `arn:aws:eks:us-east-1:${ACCOUNT}:cluster/webank-primary`;
const composite = (stamp: string) =>
    `arn:aws:backup:${REGION}:${ACCOUNT}:recovery-point:composite:eks/webank-primary-${stamp}`;
const JOB = "1323657E-2AA4-1D94-2C48-5D7A423E7394";

describe("automation/aws/cluster-restore: AwsClusterRestore", () => {
    let client: BackupClient;
    let backup: AwsClientStub<BackupClient>;
    const port = () => new AwsClusterRestore(client, REGION);
    beforeEach(() => {
        client = new BackupClient({ region: REGION });
        backup = mockInstance(client);
    });
    afterEach(() => assertNoDeletingCommand(backup));

    it("lists the cluster's composite points newest first, on every page, filtered on the server and here", async () => {
        backup
            .on(ListRecoveryPointsByBackupVaultCommand)
            .resolvesOnce({
                RecoveryPoints: [
                    {
                        RecoveryPointArn: composite("20261124020000"),
                        ResourceArn: CLUSTER,
                        ResourceType: "EKS",
                        CreationDate: new Date("2026-11-24T02:00:00Z"),
                        Status: "COMPLETED",
                        IsParent: true,
                    },
                    {
                        RecoveryPointArn: `arn:aws:backup:${REGION}:${ACCOUNT}:recovery-point:eks/webank-primary-20261124020000`,
                        ResourceArn: CLUSTER,
                        ResourceType: "EKS",
                        CreationDate: new Date("2026-11-24T02:00:00Z"),
                        Status: "COMPLETED",
                        IsParent: false,
                        ParentRecoveryPointArn: composite("20261124020000"),
                    },
                ],
                NextToken: "page-2",
            })
            .resolvesOnce({
                RecoveryPoints: [
                    {
                        RecoveryPointArn: composite("20261125020000"),
                        ResourceArn: CLUSTER,
                        ResourceType: "EKS",
                        CreationDate: new Date("2026-11-25T02:00:00Z"),
                        Status: "PARTIAL",
                        IsParent: true,
                    },
                ],
            });
        const points = await port().compositeRecoveryPoints(VAULT, CLUSTER);
        assert.deepStrictEqual(
            points.map((p) => [p.arn, p.status]),
            [
                [composite("20261125020000"), "PARTIAL"],
                [composite("20261124020000"), "COMPLETED"],
            ],
        );
        const calls = backup.commandCalls(ListRecoveryPointsByBackupVaultCommand);
        assert.strictEqual(calls.length, 2);
        assert.deepStrictEqual(
            [calls[0].args[0].input.ByResourceType, calls[0].args[0].input.ByResourceArn],
            ["EKS", CLUSTER],
        );
        assert.strictEqual(calls[1].args[0].input.NextToken, "page-2");
    });

    it("lists a composite's children by ByParentRecoveryPointArn", async () => {
        backup.on(ListRecoveryPointsByBackupVaultCommand).resolves({
            RecoveryPoints: [
                {
                    RecoveryPointArn: `arn:aws:ec2:${REGION}::snapshot/snap-0123456789abcdef0`,
                    ResourceArn: `arn:aws:ec2:us-east-1:${ACCOUNT}:volume/vol-0123456789abcdef0`,
                    ResourceType: "EBS",
                    CreationDate: new Date("2026-11-25T02:00:00Z"),
                    Status: "COMPLETED",
                    ParentRecoveryPointArn: composite("20261125020000"),
                },
            ],
        });
        const children = await port().childRecoveryPoints(VAULT, composite("20261125020000"));
        assert.deepStrictEqual(
            children.map((c) => c.resourceType),
            ["EBS"],
        );
        assert.strictEqual(
            backup.commandCalls(ListRecoveryPointsByBackupVaultCommand)[0].args[0].input
                .ByParentRecoveryPointArn,
            composite("20261125020000"),
        );
    });

    it("starts the restore as an EKS restore with the metadata and the idempotency token", async () => {
        backup.on(StartRestoreJobCommand).resolves({ RestoreJobId: JOB });
        const id = await port().startRestoreJob({
            recoveryPointArn: composite("20261125020000"),
            iamRoleArn: `arn:aws:iam::${ACCOUNT}:role/webank-backup`,
            metadata: { clusterName: "webank-dr", newCluster: "false" },
            idempotencyToken: "restore-cluster-20261125030000",
        });
        assert.strictEqual(id, JOB);
        const input = backup.commandCalls(StartRestoreJobCommand)[0].args[0].input;
        assert.deepStrictEqual(
            [input.ResourceType, input.Metadata, input.IdempotencyToken],
            ["EKS", { clusterName: "webank-dr", newCluster: "false" }, "restore-cluster-20261125030000"],
        );
    });

    it("refuses to start without a target cluster name or a token, before calling AWS", async () => {
        for (const [metadata, token, field] of [
            [{}, "t", "metadata.clusterName"],
            [{ clusterName: "webank-dr" }, " ", "idempotencyToken"],
        ] as const) {
            await assert.rejects(
                port().startRestoreJob({
                    recoveryPointArn: composite("20261125020000"),
                    iamRoleArn: `arn:aws:iam::${ACCOUNT}:role/webank-backup`,
                    metadata: metadata,
                    idempotencyToken: token,
                }),
                new RegExp(`^Error: ${field.replace(".", "\\.")} must be a non-empty string`),
            );
        }
        assert.strictEqual(backup.commandCalls(StartRestoreJobCommand).length, 0);
    });

    it("describes the job: status, message, percent, restored cluster; names the job when it cannot", async () => {
        backup.on(DescribeRestoreJobCommand).resolvesOnce({
            RestoreJobId: JOB,
            Status: "COMPLETED",
            StatusMessage:
                "One or more Kubernetes objects failed to restore. To get notified of these failures, enable SNS event notifications.",
            PercentDone: "100.00",
            CreatedResourceArn: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/webank-dr`,
        });
        const job = await port().describeRestoreJob(JOB);
        assert.strictEqual(job.status, "COMPLETED");
        assert.match(job.statusMessage ?? "", /failed to restore/);
        assert.strictEqual(job.createdResourceArn, `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/webank-dr`);
        backup
            .on(DescribeRestoreJobCommand)
            .rejects(new ResourceNotFoundException({ message: "not found", $metadata: {} }));
        await assert.rejects(
            port().describeRestoreJob(JOB),
            /restore job 1323657E-2AA4-1D94-2C48-5D7A423E7394 in us-west-2 could not be read: .*aws backup describe-restore-job --region us-west-2/,
        );
    });

    it("answers false for a vault that does not exist, and throws on a denied read", async () => {
        backup
            .on(DescribeBackupVaultCommand)
            .rejectsOnce(new ResourceNotFoundException({ message: "no vault", $metadata: {} }))
            .rejectsOnce(Object.assign(new Error("denied"), { name: "AccessDeniedException" }));
        assert.strictEqual(await port().vaultExists(VAULT), false);
        await assert.rejects(
            port().vaultExists(VAULT),
            /backup vault webank-vault in us-west-2 could not be read: denied/,
        );
    });
});
