import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { ARGOCD_NAMESPACE, EXPORT_CRONJOB_NAME, exportDeadlineSeconds } from "../../lib/argocd";
import { ARTIFACT_PREFIXES } from "../../lib/artifacts";
import { bundlePrefixOf } from "../../lib/artifacts";
import { StackConfig } from "../../config";
import {
    backupRoleName,
    backupVaultName,
    bucketName,
    clusterName,
    dataKeyAlias,
    mirrorProjectName,
    primaryDatabaseIdentifier,
} from "../../lib/naming";
import { partitionOf } from "../../lib/regions";
import { jobPeriodMinutes } from "../../lib/schedule";
import { PROJECT_ROOT } from "../../config/stack-files";
import { Journal, JournalDocument } from "../run/journal";
import { ObjectStorePort, RecoveryPoint, RecoveryPorts, StoredObject } from "../ports";
import { planWaves, runSteps, Step } from "../run/steps";

/** The journal's operation name: a backup journal is never resumed by another command. */
const OPERATION = "backup";

/** The stacks whose state is exported: both, so either can be re-imported after a loss. */
const EXPORTED_STACKS = ["primary", "dr"] as const;

/** A `--label`: lowercase letters, digits and hyphens, 1 to 40 characters. */
export const LABEL_PATTERN = /^[a-z0-9-]{1,40}$/;

/**
 * How long each wait may take before the run stops, in minutes. Generous on purpose: an
 * on-demand backup before a risky change may take its time, but must not hang forever.
 */
export const BACKUP_WAIT_MINUTES = {
    /** A manual RDS snapshot of a few hundred GiB (the first after a while is a full one). */
    snapshot: 120,
    /** The cross-region copy of that snapshot (a full copy the first time). */
    snapshotCopy: 240,
    /** An on-demand AWS Backup job of an EBS volume or RDS instance. */
    backupJob: 240,
    /** A cross-region AWS Backup copy job. */
    copyJob: 240,
    /**
     * The mirror build: the CodeBuild project caps its queue time and its build time at 60
     * minutes each (components/source-mirror.ts), plus a few minutes for the status to settle.
     */
    mirror: 125,
} as const;

/** Options of `npm run dr -- backup`. */
export interface BackupOptions {
    /** Journal file. Default `.journal/backup.json` in the project. */
    readonly journalFile?: string;
    /** Print the steps and what they would make; change nothing. */
    readonly dryRun: boolean;
    /** A short reason, e.g. `before-release-42`: lowercase letters, digits and hyphens, at most 40. */
    readonly label?: string;
}

/** What one backup run is. */
export interface BackupRequest {
    /** The run id (the journal's); idempotency tokens derive from it, so a resumed run starts no second job. */
    readonly runId: string;
    /**
     * When the run started (the journal's `startedAt`): names are stamped with it, so a resumed
     * run names its snapshot exactly as the interrupted one did.
     */
    readonly now: Date;
    /** The operator's `--label`, recorded in the step details. */
    readonly label?: string;
}

/** Checks a `--label`; returns it, or throws naming the option and the value. Undefined is fine. */
export function validateLabel(label: string | undefined): string | undefined {
    if (label !== undefined && !LABEL_PATTERN.test(label)) {
        throw new Error(
            `--label must be 1 to 40 lowercase letters, digits and hyphens (e.g. before-release-42); got "${label}"`,
        );
    }
    return label;
}

/** A compact UTC stamp of `date` to the second, e.g. `20261125T030000Z` (the export jobs' key style). */
export function backupStamp(date: Date): string {
    return date
        .toISOString()
        .replace(/\.\d{3}Z$/, "Z")
        .replace(/[-:]/g, "");
}

/** Identifier of the on-demand snapshot of a run (and of its DR copy): `<prefix>-ondemand-<stamp>`, lowercase as RDS stores it. */
export function onDemandSnapshotIdentifier(prefix: string, runStart: Date): string {
    return `${prefix}-ondemand-${backupStamp(runStart).toLowerCase()}`;
}

/** An idempotency token for AWS Backup: the same run, purpose and subject always give the same token. */
export function idempotencyToken(runId: string, purpose: string, subject: string): string {
    return createHash("sha256").update(`${runId}\n${purpose}\n${subject}`).digest("hex").slice(0, 48);
}

/**
 * The newest object under `prefix`, provided it was written at or after `since`; throws
 * otherwise, saying what is there. `since` is truncated to the second because S3 reports
 * LastModified in whole seconds, so an object written in the same second still counts.
 */
export async function requireFreshObject(
    objects: ObjectStorePort,
    bucket: string,
    prefix: string,
    since: Date,
    what: string,
): Promise<StoredObject> {
    const threshold = Math.floor(since.getTime() / 1000) * 1000;
    const newest = await objects.newestObject(bucket, prefix);
    if (!newest || newest.lastModified.getTime() < threshold) {
        const found = newest
            ? `the newest is ${newest.key} from ${newest.lastModified.toISOString()}`
            : "there is none";
        throw new Error(
            `${what} reported success, but no new object appeared under s3://${bucket}/${prefix} since ` +
                `${new Date(threshold).toISOString()} (${found})`,
        );
    }
    return newest;
}

/** Checks `pulumi stack export` output before it is stored: JSON with a `deployment` (or `checkpoint`) object. */
export function checkStackExport(stack: string, text: string): void {
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (error) {
        throw new Error(
            `the export of stack ${stack} is not JSON (${error instanceof Error ? error.message : String(error)}); ` +
                `check it with: pulumi stack export --stack ${stack}`,
        );
    }
    const document = parsed as { deployment?: unknown; checkpoint?: unknown } | null;
    const isObject = (value: unknown) => typeof value === "object" && value !== null && !Array.isArray(value);
    if (!isObject(document) || !(isObject(document?.deployment) || isObject(document?.checkpoint))) {
        throw new Error(
            `the export of stack ${stack} has no deployment (${text.trim().slice(0, 40) || "empty"}); ` +
                `it was not stored. Check the stack with: pulumi stack export --stack ${stack}`,
        );
    }
}

/**
 * What to do when an AWS Backup job of this run failed: AWS Backup answers a repeated
 * idempotency token with the job it already started, so a FAILED job is not retried by resuming.
 */
const RETRY_ADVICE =
    "If a job FAILED or was ABORTED, resuming returns the same job (same idempotency token): " +
    "after fixing the cause, move the journal aside to start a new run";

/** Waits for every promise; throws one error listing every failure, after all have settled. */
async function settleAll<T>(
    subjects: readonly string[],
    work: (subject: string) => Promise<T>,
    what: string,
): Promise<T[]> {
    const results = await Promise.allSettled(subjects.map(work));
    const failures = results.flatMap((result, index) =>
        result.status === "rejected"
            ? [
                  `${subjects[index]}: ${result.reason instanceof Error ? result.reason.message : String(result.reason)}`,
              ]
            : [],
    );
    if (failures.length > 0) {
        throw new Error(`${failures.length} of ${subjects.length} ${what} failed: ${failures.join("; ")}`);
    }
    return results.map((result) => (result as PromiseFulfilledResult<T>).value);
}

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
    const argocdPrefix = `${ARTIFACT_PREFIXES.argocdExports}${primaryCluster}/`;
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
                            idempotencyToken: idempotencyToken(request.runId, "backup", resourceArn),
                        });
                        const point = await ports.home.backup.waitBackupJob(
                            jobId,
                            BACKUP_WAIT_MINUTES.backupJob,
                        );
                        return { point, how: `job ${jobId}` };
                    },
                    "backup jobs",
                ).catch((error: Error) => {
                    throw new Error(`${error.message}. ${RETRY_ADVICE}`);
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
                    throw new Error(`${error.message}. ${RETRY_ADVICE}`);
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

/** When the run of the journal at `file` started. */
function runStartOf(file: string): Date {
    const document = JSON.parse(fs.readFileSync(file, "utf8")) as JournalDocument;
    return new Date(document.startedAt);
}

/**
 * Moves a finished run's journal aside (`backup-<runId>.json` beside it) so the next backup
 * starts a new run; never overwrites an earlier archive.
 */
function archiveJournal(file: string, runId: string): string {
    const parsed = path.parse(file);
    let target = path.join(parsed.dir, `${parsed.name}-${runId}${parsed.ext}`);
    for (let n = 2; fs.existsSync(target); n += 1) {
        target = path.join(parsed.dir, `${parsed.name}-${runId}-${n}${parsed.ext}`);
    }
    fs.renameSync(file, target);
    return target;
}

/** The run's artifacts, one per line, from the journal (so steps of an earlier attempt are listed too). */
function artifactLines(journal: Journal, steps: readonly Step[]): string[] {
    return steps.flatMap((step) => {
        const entry = journal.steps.find((e) => e.step === step.name);
        return entry ? entry.detail.split("; ").map((artifact) => `  ${step.name}: ${artifact}`) : [];
    });
}

/** The command line that resumes a run. */
function resumeCommand(options: BackupOptions): string {
    const journal = options.journalFile ? ` --journal ${options.journalFile}` : "";
    const label = options.label ? ` --label ${options.label}` : "";
    return `npm run dr -- backup${label}${journal}`;
}

/**
 * `npm run dr -- backup`: the on-demand backup before a risky change. Checks the options,
 * then (unless a dry run) runs the journaled steps and prints where each artifact is.
 * Returns 0 when every artifact was made and verified, 1 on failure, 2 on bad usage.
 */
export async function backupCommand(
    options: BackupOptions,
    ports: RecoveryPorts,
    config: StackConfig,
): Promise<number> {
    const out = ports.output;
    let label: string | undefined;
    try {
        label = validateLabel(options.label);
    } catch (error) {
        out(`error: ${(error as Error).message}`);
        return 2;
    }
    const journalFile = options.journalFile ?? path.join(PROJECT_ROOT, ".journal", "backup.json");
    const about = `${config.prefix} (${config.homeRegion}, copies to ${config.drRegion})${label ? `, label ${label}` : ""}`;

    if (options.dryRun) {
        return dryRun(config, ports, journalFile, about, label);
    }

    let journal: Journal;
    let steps: Step[];
    try {
        journal = Journal.open(journalFile, OPERATION, { now: ports.now, warn: out });
        steps = backupSteps(config, { runId: journal.runId, now: runStartOf(journalFile), label }, ports);
        if (steps.every((step) => journal.isDone(step.name))) {
            // A finished run whose journal was not archived (the process stopped just before): keep it, start anew.
            out(
                `journal ${journalFile} holds the finished run ${journal.runId}; archived to ${archiveJournal(journalFile, journal.runId)}`,
            );
            journal = Journal.open(journalFile, OPERATION, { now: ports.now, warn: out });
            steps = backupSteps(config, { runId: journal.runId, now: runStartOf(journalFile), label }, ports);
        }
    } catch (error) {
        out(`error: ${error instanceof Error ? error.message : String(error)}`);
        return 1;
    }

    const resumed = journal.steps.length > 0;
    out(
        `backup run ${journal.runId} of ${about}${resumed ? `, resuming after ${journal.steps.map((s) => s.step).join(", ")}` : ""} (journal ${journalFile})`,
    );
    try {
        await runSteps(steps, journal, { progress: out });
    } catch (error) {
        out(`error: ${error instanceof Error ? error.message : String(error)}`);
        const made = artifactLines(journal, steps);
        if (made.length > 0) {
            out("made and verified so far:");
            made.forEach((line) => out(line));
        }
        out(
            `backup run ${journal.runId} incomplete; nothing was deleted. Fix the cause, then resume with: ${resumeCommand(options)} ` +
                `(completed steps are not repeated; journal ${journalFile})`,
        );
        return 1;
    }
    out(`backup run ${journal.runId} complete; every artifact was verified:`);
    artifactLines(journal, steps).forEach((line) => out(line));
    out(`journal archived to ${archiveJournal(journalFile, journal.runId)}`);
    return 0;
}

/** Prints the steps in waves and what the account holds now; reads only, writes no journal. */
async function dryRun(
    config: StackConfig,
    ports: RecoveryPorts,
    journalFile: string,
    about: string,
    label: string | undefined,
): Promise<number> {
    const out = ports.output;
    const steps = backupSteps(config, { runId: "dry-run", now: ports.now(), label }, ports);
    out(`DRY RUN: on-demand backup of ${about}; nothing will be changed.`);
    planWaves(steps).forEach((wave, index) => {
        const together = wave.length > 1 ? " (concurrently)" : "";
        out(
            `  ${index + 1}. ${wave.map((name) => `${name}: ${steps.find((s) => s.name === name)?.describe}`).join(" | ")}${together}`,
        );
    });
    out("  kubectl runs against the current context, which must be the primary cluster's");
    try {
        if (fs.existsSync(journalFile)) {
            const journal = Journal.open(journalFile, OPERATION, { now: ports.now, warn: out });
            out(
                `  a run resumes ${journal.runId} from ${journalFile} (done: ${journal.steps.map((s) => s.step).join(", ") || "nothing"})`,
            );
        }
        const account = await ports.identity.accountId();
        const vault = backupVaultName(config.prefix);
        const resources = await ports.home.backup.protectedResources(vault);
        out(
            `  account ${account}; ${resources.length} protected resource(s) in ${vault} (${config.homeRegion}): ${resources.join(", ") || "none"}`,
        );
        out(`  artifact bucket: ${bucketName(config.prefix, "artifacts", account, config.homeRegion)}`);
        return resources.length > 0 ? 0 : 1;
    } catch (error) {
        out(`error: ${error instanceof Error ? error.message : String(error)}`);
        return 1;
    }
}
