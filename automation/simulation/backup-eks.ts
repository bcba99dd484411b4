import {
    ClusterRecoveryPoint,
    ClusterRestoreJob,
    ClusterRestorePort,
    EKS_RESOURCE_TYPE,
} from "../cluster-restore-ports";
import { ec2Id, eksClusterArn, uuidOf } from "./formats";
import type { StackConfig } from "../../config/stack-config";
import { ARGOCD_NAMESPACE } from "../../lib/argocd";
import { HEARTBEAT_CRONJOB_NAME, HEARTBEAT_NAMESPACE } from "../../lib/heartbeat-writer";
import { HEARTBEAT_PERIOD_MINUTES } from "../../lib/heartbeat";
import { backupVaultName, clusterName } from "../../lib/naming";
import { CronJobState, EksBackupState, KubeObject, Side } from "./state";
import type { WorldCore } from "./world-core";

/*
 * AWS Backup's EKS support in the simulated account (the port restore cluster uses). Shapes
 * follow the AWS Backup developer guide and API reference (automation/cluster-restore-ports.ts
 * cites them): a composite recovery point
 * `arn:aws:backup:<region>:<account>:recovery-point:composite:eks/<cluster>-<timestamp>` with
 * `IsParent` true and the cluster as its resource, a cluster-state child
 * `...:recovery-point:eks/<cluster>-<timestamp>` (resource type EKS) and an EBS child per
 * volume (an EC2 snapshot ARN, `arn:aws:ec2:<region>::snapshot/snap-...`, as EBS recovery points
 * are named); restore job ids are uppercase UUIDs ("for example,
 * 1323657E-2AA4-1D94-2C48-5D7A423E7394", restoring-a-backup.html). A restore is non-destructive
 * ("Restores are non-destructive and will not overwrite any existing Kubernetes objects in your
 * target EKS cluster", restoring-eks.html): on completion it adds the CronJobs the backup held
 * that the target lacks, and changes none it has.
 */

/** The timestamp in a composite's name: `YYYYMMDDHHmmss` of its creation (the guide's example shows a date). */
function stamp(at: Date): string {
    return at.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

function eksState(world: WorldCore): EksBackupState {
    world.state.eks ??= { contents: {}, restoreJobs: {} };
    return world.state.eks;
}

/**
 * Takes an EKS backup of `clusterName` into `vaultName` on `side` as AWS Backup lists it once
 * complete (the composite, its cluster-state child and one EBS child per `volumeArns`), holding
 * the CronJobs the cluster runs now. Returns the composite's ARN. For tests and rehearsals: the
 * standard world's plans do not schedule EKS backups.
 */
export function seedClusterBackup(
    world: WorldCore,
    backup: {
        side: Side;
        vaultName: string;
        clusterName: string;
        sourceSide: Side;
        at: Date;
        volumeArns?: readonly string[];
    },
): string {
    const region = world.region(backup.side).name;
    const clusterArn = eksClusterArn(
        world.region(backup.sourceSide).name,
        world.accountId,
        backup.clusterName,
    );
    const name = `${backup.clusterName}-${stamp(backup.at)}`;
    const parent = `arn:aws:backup:${region}:${world.accountId}:recovery-point:composite:eks/${name}`;
    const points: ClusterRecoveryPoint[] = [
        {
            arn: parent,
            resourceArn: clusterArn,
            resourceType: EKS_RESOURCE_TYPE,
            createdAt: backup.at,
            status: "COMPLETED",
            isParent: true,
        },
        {
            arn: `arn:aws:backup:${region}:${world.accountId}:recovery-point:eks/${name}`,
            resourceArn: clusterArn,
            resourceType: EKS_RESOURCE_TYPE,
            createdAt: backup.at,
            status: "COMPLETED",
            isParent: false,
            parentArn: parent,
        },
        ...(backup.volumeArns ?? []).map((volumeArn) => ({
            arn: `arn:aws:ec2:${region}::snapshot/${ec2Id("snap", world.nextSeed("eks-volume"))}`,
            resourceArn: volumeArn,
            resourceType: "EBS",
            createdAt: backup.at,
            status: "COMPLETED",
            isParent: false,
            parentArn: parent,
        })),
    ];
    for (const point of points) {
        world.region(backup.side).addRecoveryPoint(backup.vaultName, point);
    }
    const cluster = world.state.clusters[backup.clusterName];
    const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
    eksState(world).contents[parent] = {
        cronJobs: copy<Record<string, CronJobState>>(cluster?.cronJobs ?? {}),
        applications: copy(cluster?.argocd?.Application ?? {}),
    };
    return parent;
}

/** The EKS points of a vault (every listed point carries `isParent` when AWS Backup would say so). */
function eksPointsOf(world: WorldCore, side: Side, vaultName: string): ClusterRecoveryPoint[] {
    return (world.region(side).vaults.get(vaultName) ?? []).map((p) => ({
        isParent: false,
        ...p,
    }));
}

/** A job that has reached its completion time completes: the backup's CronJobs the target lacks are added. */
function settle(world: WorldCore, jobId: string): void {
    const job = eksState(world).restoreJobs[jobId];
    if (!job || job.status !== "RUNNING" || world.now() < new Date(job.completesAt)) {
        return;
    }
    const target = world.state.clusters[job.clusterName];
    if (!target) {
        job.status = "FAILED";
        job.statusMessage = `Cluster ${job.clusterName} not found`;
        return;
    }
    const content = eksState(world).contents[job.recoveryPointArn];
    for (const [key, cron] of Object.entries(content?.cronJobs ?? {})) {
        const inScope = !job.namespaces || job.namespaces.includes(cron.namespace);
        if (inScope && !target.cronJobs[key]) {
            target.cronJobs[key] = { ...cron, lastScheduleTime: world.now().toISOString() };
            world.record(`eks restore: CronJob ${key} created on ${target.name}`);
        }
    }
    if (!job.namespaces || job.namespaces.includes(ARGOCD_NAMESPACE)) {
        target.argocd ??= {};
        const apps = (target.argocd.Application ??= {});
        for (const [name, app] of Object.entries(content?.applications ?? {})) {
            if (!apps[name]) {
                apps[name] = JSON.parse(JSON.stringify(app)) as KubeObject;
                world.record(
                    `eks restore: Application ${ARGOCD_NAMESPACE}/${name} created on ${target.name}`,
                );
            }
        }
    }
    job.status = "COMPLETED";
}

/** {@link ClusterRestorePort} of the simulated account on `side`. */
export function clusterRestorePort(world: WorldCore, side: Side): ClusterRestorePort {
    const region = world.region(side);
    const op = (name: string) => `${side}.clusterRestore.${name}`;
    return {
        region: region.name,
        vaultExists: async (vaultName) => {
            await world.enter(op("vaultExists"));
            return world.transact(() => region.vaults.has(vaultName));
        },
        compositeRecoveryPoints: async (vaultName, clusterArn) => {
            await world.enter(op("compositeRecoveryPoints"));
            return world.transact(() =>
                eksPointsOf(world, side, vaultName)
                    .filter((p) => p.isParent && p.resourceArn === clusterArn)
                    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()),
            );
        },
        childRecoveryPoints: async (vaultName, parentArn) => {
            await world.enter(op("childRecoveryPoints"));
            return world.transact(() =>
                eksPointsOf(world, side, vaultName).filter((p) => p.parentArn === parentArn),
            );
        },
        startRestoreJob: async (request) => {
            await world.enter(op("startRestoreJob"), { recoveryPointArn: request.recoveryPointArn });
            return world.transact(() => {
                const jobs = eksState(world).restoreJobs;
                const existing = Object.values(jobs).find(
                    (j) => j.side === side && j.idempotencyToken === request.idempotencyToken,
                );
                if (existing) {
                    return existing.id;
                }
                const listed = [...region.vaults.values()]
                    .flat()
                    .some((p) => p.arn === request.recoveryPointArn);
                if (!listed) {
                    throw new Error(
                        `ResourceNotFoundException: Recovery point ${request.recoveryPointArn} not found in ${region.name}`,
                    );
                }
                const id = uuidOf(world.nextSeed("restore-job")).toUpperCase();
                const namespaces =
                    request.metadata.namespaceLevelRestore === "true"
                        ? (JSON.parse(request.metadata.namespaces ?? "[]") as string[])
                        : undefined;
                jobs[id] = {
                    id,
                    side,
                    idempotencyToken: request.idempotencyToken,
                    recoveryPointArn: request.recoveryPointArn,
                    clusterName: request.metadata.clusterName,
                    ...(namespaces ? { namespaces } : {}),
                    createdAt: world.now().toISOString(),
                    completesAt: world
                        .backgroundTime("backup.restore", { resourceType: EKS_RESOURCE_TYPE })
                        .toISOString(),
                    status: "RUNNING",
                };
                world.record(
                    `${side} eks restore ${request.recoveryPointArn} -> cluster ${request.metadata.clusterName}`,
                );
                return id;
            });
        },
        describeRestoreJob: async (jobId): Promise<ClusterRestoreJob> => {
            await world.enter(op("describeRestoreJob"), { jobId });
            return world.transact(() => {
                settle(world, jobId);
                const job = eksState(world).restoreJobs[jobId];
                if (!job || job.side !== side) {
                    throw new Error(`ResourceNotFoundException: Cannot find restore job ${jobId}`);
                }
                const target = world.state.clusters[job.clusterName];
                return {
                    id: job.id,
                    status: job.status,
                    ...(job.statusMessage ? { statusMessage: job.statusMessage } : {}),
                    percentDone: job.status === "COMPLETED" ? "100.00" : "0.00",
                    ...(target ? { createdResourceArn: target.arn } : {}),
                };
            });
        },
    };
}

/** Age, in minutes, of the primary cluster's newest EKS backup in a fresh `--simulate` account (an hourly plan's, copied). */
export const SEEDED_CLUSTER_BACKUP_MINUTES = 50;

/**
 * The primary cluster's newest EKS backup in both vaults, as its hourly plan and copy action
 * leave them (the home vault's point and its DR copy, same creation date), for a fresh
 * `--simulate` account (simulation/persistent.ts). The backup holds the heartbeat CronJob the
 * primary platform runs (components/heartbeat.ts), which the simulated cluster state does not
 * model otherwise.
 */
export function seedStandardClusterBackups(world: WorldCore, config: StackConfig, now: Date): void {
    const primary = clusterName(config.prefix, "primary");
    const at = new Date(now.getTime() - SEEDED_CLUSTER_BACKUP_MINUTES * 60_000);
    for (const side of ["home", "dr"] as const) {
        const parent = seedClusterBackup(world, {
            side,
            vaultName: backupVaultName(config.prefix),
            clusterName: primary,
            sourceSide: "home",
            at,
        });
        const heartbeat = `${HEARTBEAT_NAMESPACE}/${HEARTBEAT_CRONJOB_NAME}`;
        eksState(world).contents[parent].cronJobs[heartbeat] ??= {
            name: HEARTBEAT_CRONJOB_NAME,
            namespace: HEARTBEAT_NAMESPACE,
            periodMinutes: HEARTBEAT_PERIOD_MINUTES,
            lastScheduleTime: at.toISOString(),
        };
    }
}
