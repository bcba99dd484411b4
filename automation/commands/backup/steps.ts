import { ARGOCD_NAMESPACE, EXPORT_CRONJOB_NAME, exportDeadlineSeconds } from "../../../lib/argocd";
import { ARTIFACT_PREFIXES, argocdExportPrefix, bundlePrefixOf } from "../../../lib/artifacts";
import type { StackConfig } from "../../../config/stack-config";
import {
    backupRoleName,
    backupVaultName,
    bucketName,
    clusterName,
    dataKeyAlias,
    mirrorProjectName,
    primaryDatabaseIdentifier,
} from "../../../lib/naming";
import { partitionOf } from "../../../lib/regions";
import { jobPeriodMinutes } from "../../../lib/schedule";
import type { RecoveryPoint, RecoveryPorts } from "../../ports";
import type { Step } from "../../run/steps";
import {
    BACKUP_WAIT_MINUTES,
    BackupRequest,
    backupStamp,
    checkStackExport,
    EXPORTED_STACKS,
    idempotencyToken,
    onDemandSnapshotIdentifier,
    requireFreshObject,
    RETRY_ADVICE,
    settleAll,
} from "./artifacts";

/**
 * The on-demand backup, as steps. Independent ones run at once: the RDS snapshot (then its
 * copy into the DR region), the AWS Backup jobs (then their copies to the DR vault), the
 * stack exports, the mirror build and the Argo CD export. Every step waits for what it
 * started and checks the artifact exists; each returns a one-line detail (artifacts joined
 * by "; ") naming what it made.
 */
export function backupSteps(config: StackConfig, request: BackupRequest, ports: RecoveryPorts): Step[] {
    const prefix = config.prefix;
    const partition = partitionOf(config.homeRegion);
    const vault = backupVaultName(prefix);
    const snapshotId = onDemandSnapshotIdentifier(prefix, request.now);
    const stamp = backupStamp(request.now);
    const keyAlias = dataKeyAlias(prefix);
    const mirrorProject = mirrorProjectName(prefix);
    const bundlePrefix = bundlePrefixOf(config.platform.mirror.repository);
    const primaryCluster = clusterName(prefix, "primary");
    const argocdPrefix = argocdExportPrefix(primaryCluster);
    const runStart = new Date(Math.floor(request.now.getTime() / 1000) * 1000);
    // The export job's own deadline, and two minutes on top for the pod to start.
    const argocdWaitSeconds =
        exportDeadlineSeconds(jobPeriodMinutes(config.objectives.gitops.rpoMinutes)) + 120;
    const labelled = request.label ? ` (label ${request.label})` : "";

    let account: Promise<string> | undefined;
    const accountId = (): Promise<string> => {
        account ??= ports.identity.accountId().catch((error: unknown) => {
            account = undefined;
            throw error;
        });
        return account;
    };
    const artifactBucket = async () => bucketName(prefix, "artifacts", await accountId(), config.homeRegion);
    const roleArn = async () => `arn:${partition}:iam::${await accountId()}:role/${backupRoleName(prefix)}`;

    // Filled by the steps of this process; a resumed run derives them instead (see the steps).
    let snapshotArn: string | undefined;
    let newPoints: RecoveryPoint[] | undefined;

    return [
        {
            name: "rds-snapshot",
            after: [],
            describe: `manual snapshot ${snapshotId} of ${primaryDatabaseIdentifier(prefix)} in ${config.homeRegion}`,
            run: async () => {
                snapshotArn = await ports.home.database.createSnapshot(
                    primaryDatabaseIdentifier(prefix),
                    snapshotId,
                    BACKUP_WAIT_MINUTES.snapshot,
                );
                return `RDS snapshot ${snapshotArn}${labelled}`;
            },
        },
        {
            name: "rds-snapshot-copy",
            after: ["rds-snapshot"],
            describe: `copy ${snapshotId} to ${config.drRegion}, encrypted with ${keyAlias} (the replica key)`,
            run: async () => {
                // A resumed run did not take the snapshot in this process: its ARN follows from its name.
                const source =
                    snapshotArn ??
                    `arn:${partition}:rds:${config.homeRegion}:${await accountId()}:snapshot:${snapshotId}`;
                const copy = await ports.dr.database.copySnapshot(
                    source,
                    snapshotId,
                    keyAlias,
                    BACKUP_WAIT_MINUTES.snapshotCopy,
                );
                return `RDS snapshot copy ${copy} (key ${keyAlias})`;
            },
        },
        {
            name: "backup-jobs",
            after: [],
            describe: `on-demand AWS Backup job into ${vault} (${config.homeRegion}) for every protected resource`,
            run: async () => {
                const resources = await ports.home.backup.protectedResources(vault);
                if (resources.length === 0) {
                    throw new Error(
                        `the vault ${vault} in ${config.homeRegion} holds no recovery points, so no protected resource is known; ` +
                            `check the backup plan's selection with: aws backup list-protected-resources --region ${config.homeRegion}`,
                    );
                }
                const iamRoleArn = await roleArn();
                const jobs = await settleAll(
                    resources,
                    async (resourceArn) => {
                        // An interrupted attempt's job may have finished since: use its point, start nothing.
                        const earlier = await freshPoint(resourceArn);
                        if (earlier) {
                            return { point: earlier, how: "made since the run started" };
                        }
                        const jobId = await ports.home.backup.startBackupJob({
                            vaultName: vault,
                            resourceArn,
                            iamRoleArn,
                            idempotencyToken: idempotencyToken(
                                request.runId,
                                `backup#${request.backupJobFailures ?? 0}`,
                                resourceArn,
                            ),
                        });
                        const point = await ports.home.backup.waitBackupJob(
                            jobId,
                            BACKUP_WAIT_MINUTES.backupJob,
                        );
                        return { point, how: `job ${jobId}` };
                    },
                    "backup jobs",
                ).catch((error: Error) => {
                    throw new Error(`${error.message}; ${RETRY_ADVICE}`);
                });
                newPoints = jobs.map((job) => job.point);
                return jobs
                    .map((job) => `recovery point ${job.point.arn} of ${job.point.resourceArn} (${job.how})`)
                    .join("; ");
            },
        },
        {
            name: "backup-copies",
            after: ["backup-jobs"],
            describe: `copy each new recovery point to the DR vault ${vault} in ${config.drRegion}`,
            run: async () => {
                const points = newPoints ?? (await pointsSinceRunStart());
                const account = await accountId();
                const destinationVaultArn = `arn:${partition}:backup:${config.drRegion}:${account}:backup-vault:${vault}`;
                const iamRoleArn = await roleArn();
                const copies = await settleAll(
                    points.map((point) => point.arn),
                    async (recoveryPointArn) => {
                        const jobId = await ports.home.backup.startCopyJob({
                            sourceVaultName: vault,
                            recoveryPointArn,
                            destinationVaultArn,
                            iamRoleArn,
                            idempotencyToken: idempotencyToken(request.runId, "copy", recoveryPointArn),
                        });
                        return ports.home.backup.waitCopyJob(jobId, BACKUP_WAIT_MINUTES.copyJob);
                    },
                    "copy jobs",
                ).catch((error: Error) => {
                    throw new Error(`${error.message}; ${RETRY_ADVICE}`);
                });
                return copies
                    .map((copy, index) => `DR recovery point ${copy} (copy of ${points[index].arn})`)
                    .join("; ");
            },
        },
        {
            name: "stack-exports",
            after: [],
            describe: `pulumi stack export of ${EXPORTED_STACKS.join(" and ")} to the artifact bucket (${config.homeRegion}) under ${ARTIFACT_PREFIXES.stackExports}<stack>/${stamp}.json`,
            run: async () => {
                const bucket = await artifactBucket();
                const keys = await settleAll(
                    EXPORTED_STACKS,
                    async (name) => {
                        const stack = await ports.workspace.selectStack(name);
                        const text = await stack.exportState();
                        checkStackExport(name, text);
                        const key = `${ARTIFACT_PREFIXES.stackExports}${name}/${stamp}.json`;
                        await ports.home.objects.putObject(bucket, key, text, "application/json");
                        return `stack export s3://${bucket}/${key}`;
                    },
                    "stack exports",
                );
                return `${keys.join("; ")}${labelled}`;
            },
        },
        {
            name: "mirror",
            after: [],
            describe: `run the CodeBuild mirror ${mirrorProject} now and check a new bundle under ${bundlePrefix}`,
            run: async () => {
                const startedAt = ports.now();
                const buildId = await ports.jobs.startMirror(mirrorProject);
                await ports.jobs.waitMirror(buildId, BACKUP_WAIT_MINUTES.mirror);
                const bucket = await artifactBucket();
                const bundle = await requireFreshObject(
                    ports.home.objects,
                    bucket,
                    bundlePrefix,
                    startedAt,
                    `the mirror build ${buildId}`,
                ).catch((error: Error) => {
                    throw new Error(
                        `${error.message}; read the build log in /aws/codebuild/${mirrorProject} (${config.homeRegion})`,
                    );
                });
                return `git bundle s3://${bucket}/${bundle.key} (build ${buildId})`;
            },
        },
        {
            name: "argocd-export",
            after: [],
            describe: `run the ${EXPORT_CRONJOB_NAME} CronJob now (kubectl, current context: the primary cluster) and check a new export under ${argocdPrefix}`,
            run: async () => {
                const startedAt = ports.now();
                const job = `${EXPORT_CRONJOB_NAME}-${backupStamp(startedAt).toLowerCase()}`;
                const selectPrimary = `aws eks update-kubeconfig --region ${config.homeRegion} --name ${primaryCluster}`;
                const context = await ports.commands
                    .run("kubectl", ["config", "current-context"])
                    .then((result) => result.stdout.trim() || "(unknown)")
                    .catch((error: Error) => {
                        throw new Error(
                            `kubectl has no usable context (${error.message}); select the primary cluster with: ${selectPrimary}`,
                        );
                    });
                if (!context.includes(primaryCluster)) {
                    ports.output(
                        `warning: kubectl context ${context} does not name ${primaryCluster}; the export is checked under ${argocdPrefix}`,
                    );
                }
                await ports.commands.run("kubectl", [
                    "-n",
                    ARGOCD_NAMESPACE,
                    "create",
                    "job",
                    `--from=cronjob/${EXPORT_CRONJOB_NAME}`,
                    job,
                ]);
                const inspect = `kubectl -n ${ARGOCD_NAMESPACE} describe job/${job}; kubectl -n ${ARGOCD_NAMESPACE} logs job/${job} --all-containers`;
                try {
                    await ports.commands.run("kubectl", [
                        "-n",
                        ARGOCD_NAMESPACE,
                        "wait",
                        "--for=condition=complete",
                        `job/${job}`,
                        `--timeout=${argocdWaitSeconds}s`,
                    ]);
                } catch (error) {
                    throw new Error(
                        `the Argo CD export job ${job} did not complete within ${argocdWaitSeconds} s ` +
                            `(${error instanceof Error ? error.message : String(error)}); inspect it with: ${inspect}`,
                    );
                }
                const bucket = await artifactBucket();
                const exported = await requireFreshObject(
                    ports.home.objects,
                    bucket,
                    argocdPrefix,
                    startedAt,
                    `the Argo CD export job ${job}`,
                ).catch((error: Error) => {
                    throw new Error(
                        `${error.message}; is kubectl's context (${context}) the primary cluster ${primaryCluster} (${selectPrimary})? inspect the job with: ${inspect}`,
                    );
                });
                return `Argo CD export s3://${bucket}/${exported.key} (job ${ARGOCD_NAMESPACE}/${job}, kubectl context ${context})`;
            },
        },
    ];

    /**
     * The recovery points the backup-jobs step of an interrupted run made: for each protected
     * resource, the newest completed one created since the run started.
     */
    async function pointsSinceRunStart(): Promise<RecoveryPoint[]> {
        const resources = await ports.home.backup.protectedResources(vault);
        return settleAll(
            resources,
            async (resourceArn) => {
                const point = await freshPoint(resourceArn);
                if (!point) {
                    throw new Error(
                        `no completed recovery point since ${runStart.toISOString()} in ${vault} (${config.homeRegion}); ` +
                            `check the backup jobs with: aws backup list-backup-jobs --region ${config.homeRegion} --by-created-after ${runStart.toISOString()}`,
                    );
                }
                return point;
            },
            "recovery point look-ups",
        );
    }

    /** The newest completed recovery point of `resourceArn` in the home vault, when it is from this run (or later). */
    async function freshPoint(resourceArn: string): Promise<RecoveryPoint | undefined> {
        const point = await ports.home.backup.newestRecoveryPoint(vault, { resourceArn });
        return point && point.createdAt >= runStart ? point : undefined;
    }
}
