/*
 * The port `restore cluster` reaches AWS Backup's EKS support through (automation/ports.ts
 * re-exports it): the composite recovery points of a cluster in a vault, their child recovery
 * points, and the restore job. The real adapter is adapters/aws/cluster-restore.ts; the
 * simulated account's is simulation/backup-eks.ts.
 *
 * Shapes follow the AWS Backup API reference and the EKS pages of the developer guide:
 * - a composite recovery point's ARN is
 *   `arn:<partition>:backup:<region>:<account>:recovery-point:composite:eks/<cluster>-<timestamp>`,
 *   a child's `...:recovery-point:eks/<cluster>-<timestamp>` (cluster state) or the child's own
 *   service ARN (an EBS snapshot: `arn:aws:ec2:<region>::snapshot/snap-...`) ("Amazon EKS backup
 *   ARN format", https://docs.aws.amazon.com/aws-backup/latest/devguide/eks-backups.html);
 * - ListRecoveryPointsByBackupVault gives `IsParent` and `ParentRecoveryPointArn`, and filters
 *   by `ByResourceType` / `ByResourceArn` / `ByParentRecoveryPointArn`
 *   (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_ListRecoveryPointsByBackupVault.html);
 * - a restore job is PENDING, RUNNING, COMPLETED, ABORTED or FAILED
 *   (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DescribeRestoreJob.html); an
 *   EKS restore that skipped or failed some Kubernetes objects is still COMPLETED, with the
 *   status message "One or more Kubernetes objects failed to restore. ..." ("Amazon EKS restore
 *   status messages", https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-eks.html).
 */

/** The AWS Backup resource type of an EKS cluster (StartRestoreJob `ResourceType`, GetSupportedResourceTypes). */
export const EKS_RESOURCE_TYPE = "EKS";

/** A recovery point of an EKS backup: the composite (parent) or one of its children. */
export interface ClusterRecoveryPoint {
    /** Recovery point ARN. */
    readonly arn: string;
    /** ARN of the resource it protects: the cluster for the composite, the volume for an EBS child. */
    readonly resourceArn: string;
    /** AWS Backup resource type: `EKS` for the composite and its cluster-state child, `EBS`, `EFS`, `S3` for volumes. */
    readonly resourceType: string;
    /** When the backup was taken. */
    readonly createdAt: Date;
    /** `COMPLETED`, `PARTIAL`, `CREATING`, `EXPIRED`, ... (only COMPLETED composites are restored). */
    readonly status: string;
    /** True for a composite (parent) recovery point. */
    readonly isParent: boolean;
    /** The composite a child belongs to. @default none */
    readonly parentArn?: string;
}

/** A restore job as `restore cluster` follows it. */
export interface ClusterRestoreJob {
    /** The job id. */
    readonly id: string;
    /** PENDING, RUNNING, COMPLETED, ABORTED or FAILED. */
    readonly status: string;
    /** The status message (on COMPLETED: objects skipped or failed, if any). @default none */
    readonly statusMessage?: string;
    /** Percent done as AWS Backup reports it (a string, e.g. `"42.00"`). @default none */
    readonly percentDone?: string;
    /** The restored resource: the target cluster's ARN. @default none */
    readonly createdResourceArn?: string;
}

/** What a restore job is started with. */
export interface ClusterRestoreRequest {
    /** The composite recovery point. */
    readonly recoveryPointArn: string;
    /** The role AWS Backup restores with (it needs AWSBackupServiceRolePolicyForRestores). */
    readonly iamRoleArn: string;
    /** The EKS restore metadata (every value a string, as StartRestoreJob's Metadata map holds). */
    readonly metadata: Readonly<Record<string, string>>;
    /** Makes a repeated start (a resumed run) return the first job instead of a second restore. */
    readonly idempotencyToken: string;
}

/** AWS Backup's EKS recovery points and restores in one region. */
export interface ClusterRestorePort {
    /** The region. */
    readonly region: string;
    /** True when the vault exists and can be read (DescribeBackupVault); throws on access errors. */
    vaultExists(vaultName: string): Promise<boolean>;
    /** The composite recovery points of `clusterArn` in `vaultName`, any status, newest first. */
    compositeRecoveryPoints(vaultName: string, clusterArn: string): Promise<ClusterRecoveryPoint[]>;
    /** The children of the composite `parentArn`. */
    childRecoveryPoints(vaultName: string, parentArn: string): Promise<ClusterRecoveryPoint[]>;
    /** Starts the restore (changes the target cluster, or creates one); returns the job id. */
    startRestoreJob(request: ClusterRestoreRequest): Promise<string>;
    /** The job now. */
    describeRestoreJob(jobId: string): Promise<ClusterRestoreJob>;
}
