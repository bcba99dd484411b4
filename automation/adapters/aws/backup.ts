import {
    BackupClient,
    DescribeBackupJobCommand,
    DescribeBackupJobCommandOutput,
    DescribeCopyJobCommand,
    CopyJob,
    paginateListProtectedResourcesByBackupVault,
    paginateListRecoveryPointsByBackupVault,
    RecoveryPointByBackupVault,
    StartBackupJobCommand,
    StartCopyJobCommand,
} from "@aws-sdk/client-backup";
import { createWaiter, WaiterResult, WaiterState } from "@smithy/core/client";
import { BackupPort, RecoveryPoint } from "../../ports";
import { DEFAULT_POLL_DELAYS, isAwsError, messageOf, PollDelays, waiterSettings } from "./retry";

/**
 * Recovery point statuses that can be restored: `COMPLETED` for snapshot backups,
 * `AVAILABLE` for continuous ones. `PARTIAL`, `CREATING`, `EXPIRED`, `STOPPED` and
 * `DELETING` points are never offered.
 */
export const RESTORABLE_STATUSES: readonly string[] = ["COMPLETED", "AVAILABLE"];

/** Job states after which waiting longer changes nothing. */
const FAILED_JOB_STATES = ["FAILED", "ABORTED", "ABORTING", "EXPIRED", "PARTIAL"];

/** Options of {@link AwsBackup}. */
export interface AwsBackupOptions {
    /** How often job waits poll. Default {@link DEFAULT_POLL_DELAYS}. */
    readonly pollDelays?: PollDelays;
}

/**
 * {@link BackupPort} over AWS Backup in one region. Starting a job is idempotent through the
 * caller's idempotency token (AWS Backup returns the first job for a repeated token); waits
 * poll with the SDK's waiter engine, so throttled polls are retried and backed off like
 * every other call.
 */
export class AwsBackup implements BackupPort {
    private readonly pollDelays: PollDelays;

    constructor(
        private readonly backup: BackupClient,
        /** The region of `backup`. */
        public readonly region: string,
        options: AwsBackupOptions = {},
    ) {
        this.pollDelays = options.pollDelays ?? DEFAULT_POLL_DELAYS;
    }

    /** The newest restorable recovery point in the vault, filtered on the server by type or resource. */
    public async newestRecoveryPoint(
        vaultName: string,
        filter: { resourceType?: string; resourceArn?: string } = {},
    ): Promise<RecoveryPoint | undefined> {
        const points: RecoveryPointByBackupVault[] = [];
        try {
            const pages = paginateListRecoveryPointsByBackupVault(
                { client: this.backup },
                {
                    BackupVaultName: vaultName,
                    ...(filter.resourceType ? { ByResourceType: filter.resourceType } : {}),
                    ...(filter.resourceArn ? { ByResourceArn: filter.resourceArn } : {}),
                },
            );
            for await (const page of pages) {
                points.push(...(page.RecoveryPoints ?? []));
            }
        } catch (error) {
            throw this.vaultError(vaultName, error);
        }
        const newest = points
            .filter((p) => p.Status && RESTORABLE_STATUSES.includes(p.Status))
            .filter((p) => !filter.resourceType || p.ResourceType === filter.resourceType)
            .filter((p) => !filter.resourceArn || p.ResourceArn === filter.resourceArn)
            .filter((p) => p.RecoveryPointArn && p.CreationDate)
            .sort((a, b) => (b.CreationDate?.getTime() ?? 0) - (a.CreationDate?.getTime() ?? 0))[0];
        return newest && toRecoveryPoint(newest);
    }

    /** ARNs of the resources the vault holds recovery points of. */
    public async protectedResources(vaultName: string): Promise<string[]> {
        const arns = new Set<string>();
        try {
            const pages = paginateListProtectedResourcesByBackupVault(
                { client: this.backup },
                { BackupVaultName: vaultName },
            );
            for await (const page of pages) {
                for (const resource of page.Results ?? []) {
                    if (resource.ResourceArn) {
                        arns.add(resource.ResourceArn);
                    }
                }
            }
        } catch (error) {
            throw this.vaultError(vaultName, error);
        }
        return [...arns];
    }

    /** Starts an on-demand backup job; a repeated token returns the first job's id. */
    public async startBackupJob(job: {
        vaultName: string;
        resourceArn: string;
        iamRoleArn: string;
        idempotencyToken: string;
    }): Promise<string> {
        requireText("idempotencyToken", job.idempotencyToken);
        requireText("iamRoleArn", job.iamRoleArn);
        const { BackupJobId } = await this.backup.send(
            new StartBackupJobCommand({
                BackupVaultName: job.vaultName,
                ResourceArn: job.resourceArn,
                IamRoleArn: job.iamRoleArn,
                IdempotencyToken: job.idempotencyToken,
            }),
        );
        if (!BackupJobId) {
            throw new Error(
                `AWS Backup returned no job id for the backup of ${job.resourceArn} in ${this.region}`,
            );
        }
        return BackupJobId;
    }

    /** Waits until the backup job completes; returns its recovery point. */
    public async waitBackupJob(jobId: string, timeoutMinutes: number): Promise<RecoveryPoint> {
        const check = `aws backup describe-backup-job --region ${this.region} --backup-job-id ${jobId}`;
        const result = await this.poll(
            timeoutMinutes,
            async () => {
                const job = await this.backup.send(new DescribeBackupJobCommand({ BackupJobId: jobId }));
                return { state: job.State, message: job.StatusMessage, value: job };
            },
            `backup job ${jobId}`,
            check,
        );
        if (!result.RecoveryPointArn) {
            throw new Error(
                `backup job ${jobId} completed without a recovery point ARN; check it with: ${check}`,
            );
        }
        return backupJobPoint(result);
    }

    /** Starts copying a recovery point to another vault (the DR vault); a repeated token returns the first job. */
    public async startCopyJob(job: {
        sourceVaultName: string;
        recoveryPointArn: string;
        destinationVaultArn: string;
        iamRoleArn: string;
        idempotencyToken: string;
    }): Promise<string> {
        requireText("idempotencyToken", job.idempotencyToken);
        requireText("iamRoleArn", job.iamRoleArn);
        if (!/^arn:aws[a-z-]*:backup:[a-z0-9-]+:\d{12}:backup-vault:.+$/.test(job.destinationVaultArn)) {
            throw new Error(
                `destinationVaultArn must be a backup vault ARN (arn:aws:backup:<region>:<account>:backup-vault:<name>); got ${JSON.stringify(job.destinationVaultArn)}`,
            );
        }
        const { CopyJobId } = await this.backup.send(
            new StartCopyJobCommand({
                SourceBackupVaultName: job.sourceVaultName,
                RecoveryPointArn: job.recoveryPointArn,
                DestinationBackupVaultArn: job.destinationVaultArn,
                IamRoleArn: job.iamRoleArn,
                IdempotencyToken: job.idempotencyToken,
            }),
        );
        if (!CopyJobId) {
            throw new Error(
                `AWS Backup returned no copy job id for ${job.recoveryPointArn} in ${this.region}`,
            );
        }
        return CopyJobId;
    }

    /** Waits until the copy job completes; returns the destination recovery point's ARN. */
    public async waitCopyJob(jobId: string, timeoutMinutes: number): Promise<string> {
        const check = `aws backup describe-copy-job --region ${this.region} --copy-job-id ${jobId}`;
        const copy: CopyJob = await this.poll(
            timeoutMinutes,
            async () => {
                const { CopyJob: job } = await this.backup.send(
                    new DescribeCopyJobCommand({ CopyJobId: jobId }),
                );
                return { state: job?.State, message: job?.StatusMessage, value: job ?? {} };
            },
            `copy job ${jobId}`,
            check,
        );
        if (!copy.DestinationRecoveryPointArn) {
            throw new Error(
                `copy job ${jobId} completed without a destination recovery point; check it with: ${check}`,
            );
        }
        return copy.DestinationRecoveryPointArn;
    }

    /**
     * Polls a job with `createWaiter` until COMPLETED; a failed state or the timeout throws
     * with the job, its state and message, the command to check it and how to resume. An
     * error from the describe call itself (a wrong job id, missing permissions) is thrown
     * at once: waiting would not fix it.
     */
    private async poll<T>(
        timeoutMinutes: number,
        describe: () => Promise<{ state: string | undefined; message: string | undefined; value: T }>,
        what: string,
        check: string,
    ): Promise<T> {
        const settings = waiterSettings(this.backup, timeoutMinutes, this.pollDelays);
        let last: { state: string | undefined; message: string | undefined; value: T } | undefined;
        let result: WaiterResult;
        try {
            result = await createWaiter(settings, undefined, async (): Promise<WaiterResult> => {
                last = await describe();
                if (last.state === "COMPLETED") {
                    return { state: WaiterState.SUCCESS };
                }
                return {
                    state:
                        last.state && FAILED_JOB_STATES.includes(last.state)
                            ? WaiterState.FAILURE
                            : WaiterState.RETRY,
                };
            });
        } catch (error) {
            const hint = isAwsError(error, "ResourceNotFoundException")
                ? "it was not found"
                : messageOf(error);
            throw new Error(
                `${what} in ${this.region} could not be read (${hint}); check it with: ${check}`,
                {
                    cause: error,
                },
            );
        }
        const detail = `${last?.state ?? "unknown"}${last?.message ? `: ${last.message}` : ""}`;
        if (result.state === WaiterState.SUCCESS && last) {
            return last.value;
        }
        if (result.state === WaiterState.FAILURE) {
            throw new Error(
                `${what} in ${this.region} ended ${detail}; check it with: ${check}; fix the cause, then run the same command again`,
            );
        }
        throw new Error(
            `${what} in ${this.region} was not complete after ${timeoutMinutes} minutes (state ${detail}); ` +
                `check it with: ${check}; run the same command again to resume waiting`,
        );
    }

    private vaultError(vaultName: string, error: unknown): Error {
        const hint = isAwsError(error, "ResourceNotFoundException", "AccessDeniedException")
            ? `check it with: aws backup describe-backup-vault --region ${this.region} --backup-vault-name ${vaultName}`
            : "run the same command again once the cause is fixed";
        return new Error(
            `backup vault ${vaultName} in ${this.region} could not be read: ${messageOf(error)}; ${hint}`,
            {
                cause: error,
            },
        );
    }
}

function toRecoveryPoint(point: RecoveryPointByBackupVault): RecoveryPoint {
    return {
        arn: point.RecoveryPointArn as string,
        resourceArn: point.ResourceArn ?? "",
        resourceType: point.ResourceType ?? "unknown",
        createdAt: point.CreationDate as Date,
        status: point.Status ?? "unknown",
    };
}

/** The recovery point a completed backup job made; its creation is the job's (when the backup was taken). */
function backupJobPoint(job: DescribeBackupJobCommandOutput): RecoveryPoint {
    return {
        arn: job.RecoveryPointArn as string,
        resourceArn: job.ResourceArn ?? "",
        resourceType: job.ResourceType ?? "unknown",
        createdAt: job.CreationDate ?? job.CompletionDate ?? new Date(0),
        status: "COMPLETED",
    };
}

function requireText(field: string, value: string): void {
    if (typeof value !== "string" || value.trim() === "") {
        throw new Error(`${field} must be a non-empty string; got ${JSON.stringify(value)}`);
    }
}
