import * as fs from "fs";
import * as path from "path";
import type { ObjectStorePort } from "../../ports";
import type { JournalDocument } from "../../run/journal";
import { journalCopyKey, JOURNAL_PREFIX } from "../../run/stores";

/*
 * A failover's journal copy in the DR state bucket (run/stores.ts), as `failover --on-runner`
 * uses it to resume: a build's own journal file is gone with its container, so a runner's run
 * that failed or was interrupted would otherwise be resumable by nobody, its lock held by a run
 * no journal names. The operator's machine finds the newest unfinished copy, the runner's
 * build seeds its journal file from it, and the run's own rules (run/resume.ts) decide: the
 * same arguments resume it, other ones are refused naming the difference, a live one is refused.
 */

/** The run ids the runner accepts to resume: a failover's (run/runner.ts newRunId). */
export const FAILOVER_RUN_ID = /^failover-[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9-]+Z-[0-9a-f]+(-[0-9]+)?$/;

/** The JSON object at `bucket`/`key`, or undefined while there is none (listed first, never parsed from an error). */
export async function readJsonObject<T>(
    objects: ObjectStorePort,
    bucket: string,
    key: string,
): Promise<T | undefined> {
    const current = await objects.currentObjects(bucket, key);
    if (!current.some((o) => o.key === key)) {
        return undefined;
    }
    return JSON.parse((await objects.getObject(bucket, key)).toString("utf8")) as T;
}

/**
 * The newest failover journal copy in `bucket` when its run is unfinished and real (not a
 * rehearsal's), else undefined: a finished newest run leaves nothing to resume.
 */
export async function unfinishedFailover(
    objects: ObjectStorePort,
    bucket: string,
): Promise<JournalDocument | undefined> {
    const [newest] = (await objects.currentObjects(bucket, `${JOURNAL_PREFIX}failover/`)).filter((o) =>
        o.key.endsWith(".json"),
    );
    if (!newest) {
        return undefined;
    }
    const copy = await readJsonObject<JournalDocument>(objects, bucket, newest.key);
    return copy && copy.status !== "finished" && copy.simulated === false ? copy : undefined;
}

/**
 * Writes run `runId`'s journal copy to `file` (the build's default journal) so that the
 * failover resumes it. Refuses an id that is not a failover's, a run without a copy, and a
 * `file` that exists already (it is never overwritten).
 */
export async function seedJournal(
    objects: ObjectStorePort,
    bucket: string,
    runId: string,
    file: string,
): Promise<JournalDocument> {
    if (!FAILOVER_RUN_ID.test(runId)) {
        throw new Error(
            `the run to resume must be a failover's run id (failover-<start>-<nonce>); got ${JSON.stringify(runId)}. Nothing was changed`,
        );
    }
    const key = journalCopyKey("failover", runId);
    const copy = await readJsonObject<JournalDocument>(objects, bucket, key);
    if (!copy || copy.runId !== runId) {
        throw new Error(
            `s3://${bucket}/${key} holds no journal of run ${runId}, so it cannot be resumed. Nothing was changed`,
        );
    }
    if (fs.existsSync(file)) {
        throw new Error(
            `${file} exists already; it is never overwritten with run ${runId}'s copy. Nothing was changed`,
        );
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(copy, null, 2)}\n`, { flag: "wx" });
    return copy;
}
