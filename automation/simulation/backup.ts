import { BackupPort, RecoveryPoint } from "../ports";
import { backupResourceType, recoveryPointArn, uuidOf } from "./formats";
import { BackupPlanState, Side } from "./state";
import type { WorldCore } from "./world-core";

/**
 * AWS Backup in one region. A backup or copy job runs from its start for the time the
 * duration model gives `background.backup.job` / `background.backup.copy`, and its recovery
 * point is listed (COMPLETED) once it is done. Job ids are UUIDs (AWS Backup API,
 * `BackupJobId`/`CopyJobId`); a repeated idempotency token returns the job it started
 * ("If used, this parameter must contain 1 to 50 alphanumeric or '-_.' characters" and a
 * retried call "returns the same job", StartBackupJob API reference).
 */
export function backupPort(world: WorldCore, side: Side): BackupPort {
    const region = world.region(side);
    const op = (name: string) => `${side}.backup.${name}`;
    return {
        region: region.name,
        newestRecoveryPoint: async (vaultName, filter = {}) => {
            await world.enter(op("newestRecoveryPoint"));
            return world.transact(
                () =>
                    pointsOf(world, side, vaultName)
                        .filter((p) => p.status === "COMPLETED")
                        .filter((p) => !filter.resourceType || p.resourceType === filter.resourceType)
                        .filter((p) => !filter.resourceArn || p.resourceArn === filter.resourceArn)
                        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0],
            );
        },
        protectedResources: async (vaultName) => {
            await world.enter(op("protectedResources"));
            return world.transact(() => [
                ...new Set(pointsOf(world, side, vaultName).map((p) => p.resourceArn)),
            ]);
        },
        startBackupJob: async (job) => {
            await world.enter(op("startBackupJob"), { resourceArn: job.resourceArn });
            return world.transact(() => {
                vaultOf(world, side, job.vaultName);
                const existing = Object.values(world.state.backupJobs).find(
                    (j) => j.side === side && j.idempotencyToken === job.idempotencyToken,
                );
                if (existing) {
                    return existing.jobId;
                }
                const seed = world.nextSeed("backup-job");
                const jobId = uuidOf(seed).toUpperCase();
                world.state.backupJobs[jobId] = {
                    jobId,
                    side,
                    idempotencyToken: job.idempotencyToken,
                    vaultName: job.vaultName,
                    resourceArn: job.resourceArn,
                    createdAt: world.now().toISOString(),
                    state: "RUNNING",
                    recoveryPointArn: recoveryPointArn(region.name, world.accountId, job.resourceArn, seed),
                };
                world.schedule(world.backgroundTime("backup.job", { resourceArn: job.resourceArn }), {
                    type: "backup-job-complete",
                    side,
                    jobId,
                });
                world.record(`${side} backup job ${job.resourceArn} -> ${job.vaultName}`);
                return jobId;
            });
        },
        waitBackupJob: async (jobId, timeoutMinutes) => {
            await world.enter(op("waitBackupJob"), { jobId });
            const deadline = new Date(world.now().getTime() + timeoutMinutes * 60_000);
            return world.poll((now) => {
                const job = world.state.backupJobs[jobId];
                if (!job || job.side !== side) {
                    throw new Error(`ResourceNotFoundException: Cannot find backup job ${jobId}`);
                }
                if (job.state === "COMPLETED") {
                    const point = vaultOf(world, side, job.vaultName).find(
                        (p) => p.arn === job.recoveryPointArn,
                    );
                    return { done: true, value: { ...(point as RecoveryPoint) } };
                }
                return waitOrTimeout(world, now, deadline, jobId, timeoutMinutes, region.name, "backup");
            });
        },
        startCopyJob: async (job) => {
            await world.enter(op("startCopyJob"));
            return world.transact(() => {
                const existing = Object.values(world.state.copyJobs).find(
                    (j) => j.side === side && j.idempotencyToken === job.idempotencyToken,
                );
                if (existing) {
                    return existing.jobId;
                }
                const source = vaultOf(world, side, job.sourceVaultName).find(
                    (p) => p.arn === job.recoveryPointArn,
                );
                if (!source) {
                    throw new Error(
                        `ResourceNotFoundException: Recovery point ${job.recoveryPointArn} not found in ${job.sourceVaultName}`,
                    );
                }
                const destination = destinationOf(world, job.destinationVaultArn);
                const seed = world.nextSeed("copy-job");
                const jobId = uuidOf(seed).toUpperCase();
                world.state.copyJobs[jobId] = {
                    jobId,
                    side,
                    idempotencyToken: job.idempotencyToken,
                    sourceRecoveryPointArn: source.arn,
                    destinationVaultArn: job.destinationVaultArn,
                    createdAt: world.now().toISOString(),
                    state: "RUNNING",
                    destinationRecoveryPointArn: recoveryPointArn(
                        world.region(destination.side).name,
                        world.accountId,
                        source.resourceArn,
                        seed,
                    ),
                };
                world.schedule(world.backgroundTime("backup.copy", { recoveryPointArn: source.arn }), {
                    type: "copy-job-complete",
                    side,
                    jobId,
                });
                world.record(`${side} backup copy ${job.recoveryPointArn} -> ${job.destinationVaultArn}`);
                return jobId;
            });
        },
        waitCopyJob: async (jobId, timeoutMinutes) => {
            await world.enter(op("waitCopyJob"), { jobId });
            const deadline = new Date(world.now().getTime() + timeoutMinutes * 60_000);
            return world.poll((now) => {
                const job = world.state.copyJobs[jobId];
                if (!job || job.side !== side) {
                    throw new Error(`ResourceNotFoundException: Cannot find copy job ${jobId}`);
                }
                if (job.state === "COMPLETED") {
                    return { done: true, value: job.destinationRecoveryPointArn };
                }
                return waitOrTimeout(world, now, deadline, jobId, timeoutMinutes, region.name, "copy");
            });
        },
    };
}

/**
 * The points a read lists. Every vault the stacks create exists, so a vault missing from the
 * map is read as one without recovery points (tests clear the map to say so); a job that
 * writes into it fails as AWS Backup does ({@link vaultOf}).
 */
function pointsOf(world: WorldCore, side: Side, vaultName: string): RecoveryPoint[] {
    return world.region(side).vaults.get(vaultName) ?? [];
}

/** The vault's recovery points; AWS Backup answers a vault that does not exist with ResourceNotFoundException. */
function vaultOf(world: WorldCore, side: Side, vaultName: string): RecoveryPoint[] {
    const points = world.region(side).vaults.get(vaultName);
    if (!points) {
        throw new Error(
            `ResourceNotFoundException: Backup vault ${vaultName} does not exist in ${world.region(side).name}`,
        );
    }
    return points;
}

/** The side and name of a vault ARN (`arn:aws:backup:<region>:<account>:backup-vault:<name>`). */
function destinationOf(world: WorldCore, vaultArn: string): { side: Side; vaultName: string } {
    const match = /^arn:aws[a-z-]*:backup:([a-z0-9-]+):\d{12}:backup-vault:(.+)$/.exec(vaultArn);
    const side = match ? world.sideOfRegion(match[1]) : undefined;
    if (!match || !side) {
        throw new Error(
            `InvalidParameterValueException: ${vaultArn} is not a backup vault ARN of this account's regions`,
        );
    }
    vaultOf(world, side, match[2]);
    return { side, vaultName: match[2] };
}

function waitOrTimeout(
    world: WorldCore,
    now: Date,
    deadline: Date,
    jobId: string,
    timeoutMinutes: number,
    region: string,
    kind: "backup" | "copy",
): { done: false; until: Date } {
    if (now >= deadline) {
        throw new Error(
            // The real adapter's words (automation/adapters/aws/backup.ts), so a rehearsal shows what a real run would.
            `${kind} job ${jobId} in ${region} was not complete after ${timeoutMinutes} minutes (state RUNNING); check it with: ` +
                `aws backup describe-${kind}-job --region ${region} --${kind}-job-id ${jobId}; run the same command again to resume waiting`,
        );
    }
    const due = world.dueOf(
        (e) => (e.type === "backup-job-complete" || e.type === "copy-job-complete") && e.jobId === jobId,
    );
    return { done: false, until: due && due < deadline ? due : deadline };
}

/** A backup job finishes: its recovery point is listed in the vault, created when the job started. */
export function backupJobComplete(world: WorldCore, jobId: string): void {
    const job = world.state.backupJobs[jobId];
    if (!job || job.state === "COMPLETED") {
        return;
    }
    job.state = "COMPLETED";
    world.region(job.side).addRecoveryPoint(job.vaultName, {
        arn: job.recoveryPointArn,
        resourceArn: job.resourceArn,
        resourceType: backupResourceType(job.resourceArn),
        createdAt: new Date(job.createdAt),
        status: "COMPLETED",
    });
}

/**
 * A copy job finishes: the copy is listed in the destination vault with its source's creation
 * date ("Copies retain their source configuration, including creation dates [...] The creation
 * date refers to when the source was created, not when the copy was created", AWS Backup
 * developer guide, https://docs.aws.amazon.com/aws-backup/latest/devguide/recov-point-create-a-copy.html).
 */
export function copyJobComplete(world: WorldCore, jobId: string): void {
    const job = world.state.copyJobs[jobId];
    if (!job || job.state === "COMPLETED") {
        return;
    }
    job.state = "COMPLETED";
    const source = world.region(job.side).vaults;
    const point = [...source.values()].flat().find((p) => p.arn === job.sourceRecoveryPointArn);
    const destination = destinationOf(world, job.destinationVaultArn);
    world.region(destination.side).addRecoveryPoint(destination.vaultName, {
        arn: job.destinationRecoveryPointArn,
        resourceArn: point?.resourceArn ?? "unknown",
        resourceType: point?.resourceType ?? "unknown",
        createdAt: point?.createdAt ?? new Date(job.createdAt),
        status: "COMPLETED",
    });
}

/**
 * Runs the backup plans that are due: one recovery point of each selected resource at the
 * latest due time, listed once its job is done (`background.backup.job` after the scheduled
 * time), and its copy in the other region's vault (the plan's copy action), listed once the
 * copy is done too (`background.backup.copy` later). Both carry the scheduled time as their
 * creation date: a copy keeps its source's (see {@link copyJobComplete}), and a job AWS Backup
 * starts late in its start window is modelled as a longer job, which only makes the point look
 * older, never fresher. A plan left for days catches up with one run, not one per period.
 */
export function settleBackupPlans(world: WorldCore, now: Date): void {
    for (const plan of world.state.backupPlans) {
        const due = latestDue(plan, now);
        if (!due) {
            continue;
        }
        plan.lastRunAt = due.toISOString();
        for (const resourceArn of plan.resources) {
            addPlannedPoint(world, plan, resourceArn, due);
        }
    }
}

function latestDue(plan: BackupPlanState, now: Date): Date | undefined {
    const period = plan.periodMinutes * 60_000;
    const last = Date.parse(plan.lastRunAt);
    const runs = Math.floor((now.getTime() - last) / period);
    return runs >= 1 ? new Date(last + runs * period) : undefined;
}

function addPlannedPoint(world: WorldCore, plan: BackupPlanState, resourceArn: string, at: Date): void {
    const seed = world.nextSeed("plan-run");
    const createdAt = at.toISOString();
    const arn = recoveryPointArn(world.region(plan.side).name, world.accountId, resourceArn, seed);
    const done = at.getTime() + world.backgroundDuration("backup.job", { resourceArn });
    world.schedule(new Date(done), {
        type: "plan-point-listed",
        side: plan.side,
        vaultName: plan.vaultName,
        point: { arn, resourceArn, createdAt },
    });
    if (plan.copyTo) {
        const copySeed = world.nextSeed("plan-copy");
        const copied = done + world.backgroundDuration("backup.copy", { recoveryPointArn: arn });
        world.schedule(new Date(copied), {
            type: "plan-point-listed",
            side: plan.copyTo.side,
            vaultName: plan.copyTo.vaultName,
            point: {
                arn: recoveryPointArn(
                    world.region(plan.copyTo.side).name,
                    world.accountId,
                    resourceArn,
                    copySeed,
                ),
                resourceArn,
                createdAt,
            },
        });
    }
}

/** A plan's backup or copy is done: its recovery point is listed (COMPLETED) in the vault. */
export function planPointListed(
    world: WorldCore,
    side: Side,
    vaultName: string,
    point: { readonly arn: string; readonly resourceArn: string; readonly createdAt: string },
): void {
    const listed: RecoveryPoint = {
        arn: point.arn,
        resourceArn: point.resourceArn,
        resourceType: backupResourceType(point.resourceArn),
        createdAt: new Date(point.createdAt),
        status: "COMPLETED",
    };
    world.region(side).addRecoveryPoint(vaultName, listed);
}
