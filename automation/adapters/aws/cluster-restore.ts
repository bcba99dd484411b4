import {
    BackupClient,
    DescribeBackupVaultCommand,
    DescribeRestoreJobCommand,
    paginateListRecoveryPointsByBackupVault,
    RecoveryPointByBackupVault,
    StartRestoreJobCommand,
} from "@aws-sdk/client-backup";
import {
    ClusterRecoveryPoint,
    ClusterRestoreJob,
    ClusterRestorePort,
    ClusterRestoreRequest,
    EKS_RESOURCE_TYPE,
} from "../../cluster-restore-ports";
import { isAwsError, messageOf } from "./retry";

/**
 * {@link ClusterRestorePort} over AWS Backup (SDK v3) in one region. Listing filters on the
 * server (`ByResourceType: "EKS"`, `ByResourceArn`, `ByParentRecoveryPointArn`) and again here,
 * so a page holding another resource's points changes nothing. The restore is started with
 * `ResourceType: "EKS"` and the caller's idempotency token: AWS Backup returns the first job for
 * a repeated token (StartRestoreJob `IdempotencyToken`,
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/API_StartRestoreJob.html), so a resumed
 * run does not restore twice. Nothing here deletes anything.
 */
export class AwsClusterRestore implements ClusterRestorePort {
    constructor(
        private readonly backup: BackupClient,
        /** The region of `backup`. */
        public readonly region: string,
    ) {}

    /** True when DescribeBackupVault finds the vault; false on ResourceNotFoundException; throws on anything else. */
    public async vaultExists(vaultName: string): Promise<boolean> {
        try {
            await this.backup.send(new DescribeBackupVaultCommand({ BackupVaultName: vaultName }));
            return true;
        } catch (error) {
            if (isAwsError(error, "ResourceNotFoundException")) {
                return false;
            }
            throw this.vaultError(vaultName, error);
        }
    }

    /** The cluster's composite recovery points in the vault, newest first, any status. */
    public async compositeRecoveryPoints(
        vaultName: string,
        clusterArn: string,
    ): Promise<ClusterRecoveryPoint[]> {
        const points = await this.list(vaultName, {
            ByResourceType: EKS_RESOURCE_TYPE,
            ByResourceArn: clusterArn,
        });
        return points
            .filter((p) => p.isParent && p.resourceArn === clusterArn && p.resourceType === EKS_RESOURCE_TYPE)
            .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    }

    /** The children of a composite recovery point. */
    public async childRecoveryPoints(vaultName: string, parentArn: string): Promise<ClusterRecoveryPoint[]> {
        const points = await this.list(vaultName, { ByParentRecoveryPointArn: parentArn });
        return points.filter((p) => p.parentArn === parentArn);
    }

    /** Starts the EKS restore job; a repeated token returns the first job's id. */
    public async startRestoreJob(request: ClusterRestoreRequest): Promise<string> {
        for (const [field, value] of [
            ["recoveryPointArn", request.recoveryPointArn],
            ["iamRoleArn", request.iamRoleArn],
            ["idempotencyToken", request.idempotencyToken],
            ["metadata.clusterName", request.metadata.clusterName],
        ] as const) {
            if (typeof value !== "string" || value.trim() === "") {
                throw new Error(`${field} must be a non-empty string; got ${JSON.stringify(value)}`);
            }
        }
        const { RestoreJobId } = await this.backup.send(
            new StartRestoreJobCommand({
                RecoveryPointArn: request.recoveryPointArn,
                IamRoleArn: request.iamRoleArn,
                Metadata: { ...request.metadata },
                IdempotencyToken: request.idempotencyToken,
                ResourceType: EKS_RESOURCE_TYPE,
            }),
        );
        if (!RestoreJobId) {
            throw new Error(
                `AWS Backup returned no restore job id for ${request.recoveryPointArn} in ${this.region}`,
            );
        }
        return RestoreJobId;
    }

    /** The restore job as DescribeRestoreJob reports it. */
    public async describeRestoreJob(jobId: string): Promise<ClusterRestoreJob> {
        try {
            const job = await this.backup.send(new DescribeRestoreJobCommand({ RestoreJobId: jobId }));
            return {
                id: job.RestoreJobId ?? jobId,
                status: job.Status ?? "unknown",
                ...(job.StatusMessage ? { statusMessage: job.StatusMessage } : {}),
                ...(job.PercentDone ? { percentDone: job.PercentDone } : {}),
                ...(job.CreatedResourceArn ? { createdResourceArn: job.CreatedResourceArn } : {}),
            };
        } catch (error) {
            throw new Error(
                `restore job ${jobId} in ${this.region} could not be read: ${messageOf(error)}; check it with: aws backup describe-restore-job --region ${this.region} --restore-job-id ${jobId}`,
                { cause: error },
            );
        }
    }

    private async list(
        vaultName: string,
        filter: { ByResourceType?: string; ByResourceArn?: string; ByParentRecoveryPointArn?: string },
    ): Promise<ClusterRecoveryPoint[]> {
        const found: ClusterRecoveryPoint[] = [];
        try {
            const pages = paginateListRecoveryPointsByBackupVault(
                { client: this.backup },
                { BackupVaultName: vaultName, ...filter },
            );
            for await (const page of pages) {
                for (const point of page.RecoveryPoints ?? []) {
                    const converted = toPoint(point);
                    if (converted) {
                        found.push(converted);
                    }
                }
            }
        } catch (error) {
            throw this.vaultError(vaultName, error);
        }
        return found;
    }

    private vaultError(vaultName: string, error: unknown): Error {
        return new Error(
            `backup vault ${vaultName} in ${this.region} could not be read: ${messageOf(error)}; check it with: aws backup describe-backup-vault --region ${this.region} --backup-vault-name ${vaultName}`,
            { cause: error },
        );
    }
}

/** A listed point, or undefined when AWS Backup left out its ARN or creation date. */
function toPoint(point: RecoveryPointByBackupVault): ClusterRecoveryPoint | undefined {
    if (!point.RecoveryPointArn || !point.CreationDate) {
        return undefined;
    }
    return {
        arn: point.RecoveryPointArn,
        resourceArn: point.ResourceArn ?? "",
        resourceType: point.ResourceType ?? "unknown",
        createdAt: point.CreationDate,
        status: point.Status ?? "unknown",
        isParent: point.IsParent === true,
        ...(point.ParentRecoveryPointArn ? { parentArn: point.ParentRecoveryPointArn } : {}),
    };
}
