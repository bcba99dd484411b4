import { createHash } from "crypto";
import type { ObjectStorePort, StoredObject } from "../../ports";

/*
 * What the on-demand backup's steps share: names stamped with the run's start, idempotency
 * tokens, the waits' bounds, and the checks that an artifact really appeared.
 */

/** The stacks whose state is exported: both, so either can be re-imported after a loss. */
export const EXPORTED_STACKS = ["primary", "dr"] as const;

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
    /**
     * How many earlier attempts of this run saw the AWS Backup jobs fail. AWS Backup answers a
     * repeated idempotency token with the job it already started, so a FAILED job would come back
     * on every resume; the count is part of the token, so a resume after a failure starts new
     * jobs, while a resume after an interruption (no failure) finds the job still running.
     * @default 0
     */
    readonly backupJobFailures?: number;
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
 * It follows a message after "; ": those end with the command that checks the job, and a
 * sentence glued to it with ". " would turn the command into one the AWS CLI refuses.
 */
export const RETRY_ADVICE =
    "if a job FAILED or was ABORTED, fix the cause and resume: the resumed run starts new jobs";

/** Waits for every promise; throws one error listing every failure, after all have settled. */
export async function settleAll<T>(
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
