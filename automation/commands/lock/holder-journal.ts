import * as fs from "fs";
import type { StackConfig } from "../../../config/stack-config";
import { bucketName } from "../../../lib/naming";
import type { RecoveryPorts } from "../../ports";
import { JOURNAL_FORMAT, JournalDocument } from "../../run/journal";
import { runLocations } from "../../run/locations";
import { STALE_AFTER_MS } from "../../run/resume";
import { journalCopyKey } from "../../run/stores";

/** What is known of the run that holds the lock, from its journal. */
export interface HolderJournal {
    /** The journal, when one was found. */
    readonly document?: JournalDocument;
    /** Where it was read (a local file or its copy in the DR state replica). */
    readonly where?: string;
    /** What could not be read, one line each (a missing copy is not an error). */
    readonly problems: readonly string[];
}

/** Parses a journal's text; undefined when it is not one of this version. */
function parse(text: string): JournalDocument | undefined {
    try {
        const document = JSON.parse(text) as JournalDocument;
        return document.format === JOURNAL_FORMAT ? document : undefined;
    } catch {
        return undefined;
    }
}

/**
 * The journal of failover run `runId`, wherever it is freshest: the local journal (this
 * machine ran it), its archive (it finished here), or its copy in the DR state replica
 * (another operator's machine ran it; failover journals are mirrored there).
 */
export async function holderJournal(
    runId: string,
    config: StackConfig,
    ports: RecoveryPorts,
    workDir: string,
    simulated: boolean,
): Promise<HolderJournal> {
    const locations = runLocations(workDir, "failover", simulated);
    const candidates: { document: JournalDocument; where: string }[] = [];
    const problems: string[] = [];
    for (const file of [locations.journalFile, `${locations.archiveDir}/${runId}.json`]) {
        if (fs.existsSync(file)) {
            const document = parse(fs.readFileSync(file, "utf8"));
            if (document?.runId === runId) {
                candidates.push({ document, where: file });
            }
        }
    }
    try {
        const bucket = bucketName(config.prefix, "state", await ports.identity.accountId(), config.drRegion);
        const key = journalCopyKey("failover", runId);
        const versions = await ports.dr.objects.listVersions(bucket, key);
        if (versions.length > 0) {
            const document = parse((await ports.dr.objects.getObject(bucket, key)).toString("utf8"));
            if (document) {
                candidates.push({ document, where: `s3://${bucket}/${key} (${config.drRegion})` });
            }
        }
    } catch (error) {
        problems.push(
            `the journal copy in the DR state replica could not be read: ${error instanceof Error ? error.message : String(error)}`,
        );
    }
    const freshest = candidates.sort((a, b) =>
        b.document.heartbeatAt.localeCompare(a.document.heartbeatAt),
    )[0];
    return { ...(freshest ? { document: freshest.document, where: freshest.where } : {}), problems };
}

/** True when the journal says its run is going on now: status running, and a recent sign of life. */
export function isRunning(document: JournalDocument, now: Date): boolean {
    return document.status === "running" && now.getTime() - Date.parse(document.heartbeatAt) < STALE_AFTER_MS;
}

/** One line on a holder's journal, for people. */
export function describeHolderJournal(journal: HolderJournal, now: Date): string {
    const document = journal.document;
    if (!document) {
        return `no journal of it was found here or in the DR state replica${journal.problems.length > 0 ? ` (${journal.problems.join("; ")})` : ""}`;
    }
    const state = isRunning(document, now)
        ? `RUNNING (last sign of life ${document.heartbeatAt})`
        : document.status === "running"
          ? `silent since ${document.heartbeatAt} (its process is gone)`
          : document.status;
    return `its journal (${journal.where}) says ${state}, ${document.steps.length} steps done; resume command: ${document.command}`;
}
