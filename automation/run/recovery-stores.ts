import { ARTIFACT_PREFIXES } from "../../lib/artifacts";
import { StackConfig } from "../../config";
import { bucketName } from "../../lib/naming";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stack-files";
import { journaledChoice } from "../commands/failover/steps";
import { Journal, JournalMirror } from "./journal";
import { RecoveryPorts } from "../ports";
import { buildReport, RecoveryReport, ReportStore, saveReport } from "./report";
import { StepTiming } from "./steps";

/** Key prefix of journal copies in the state bucket. */
export const JOURNAL_PREFIX = "recovery-journals/";

/**
 * The journal's copy in the DR region's state replica: the region a failover runs for, so
 * the copy is reachable when the home region is not, and beside the state it describes.
 */
export function stateBucketJournalMirror(config: StackConfig, ports: RecoveryPorts): JournalMirror {
    return {
        put: async (document) => {
            const bucket = bucketName(
                config.prefix,
                "state",
                await ports.identity.accountId(),
                config.drRegion,
            );
            await ports.dr.objects.putObject(
                bucket,
                `${JOURNAL_PREFIX}${document.operation}/${document.runId}.json`,
                `${JSON.stringify(document, null, 2)}\n`,
                "application/json",
            );
        },
    };
}

/** Reports go to the DR region's artifact replica, under `recovery-reports/<operation>/`. */
export function artifactReportStore(
    config: StackConfig,
    ports: RecoveryPorts,
    operation: string,
): ReportStore {
    return {
        put: async (name, body, contentType) => {
            const bucket = bucketName(
                config.prefix,
                "artifacts",
                await ports.identity.accountId(),
                config.drRegion,
            );
            const key = `${ARTIFACT_PREFIXES.recoveryReports}${operation}/${name}`;
            await ports.dr.objects.putObject(bucket, key, body, contentType);
            return `s3://${bucket}/${key}`;
        },
    };
}

/** What {@link writeRunReport} needs of a run. */
export interface RunReportInputs {
    /** The run's journal (every completed step, across resumes). */
    readonly journal: Journal;
    /** This process's timeline (adds the failed step, if any). */
    readonly timeline: readonly StepTiming[];
    /** The step that journaled the restore choice (its `point` is the restored point). */
    readonly choiceStep: string;
    /** The step whose end means service restored. */
    readonly serviceRestoredStep: string;
    /** When the primary failed. */
    readonly failureTime: Date;
    /** Directory of the local copy. Default `reports/` in the project. */
    readonly reportDir?: string;
    /** The objectives the run is measured against. */
    readonly objectives: { readonly rpoMinutes: number; readonly rtoMinutes: number };
}

/**
 * Builds the report of a restoring run (failover or drill) from its journal and saves it
 * locally and to the DR artifact replica; prints where. Returns the report.
 */
export async function writeRunReport(
    config: StackConfig,
    ports: RecoveryPorts,
    inputs: RunReportInputs,
): Promise<RecoveryReport> {
    const chosen = inputs.journal.dataOf(inputs.choiceStep);
    const report = buildReport({
        journal: inputs.journal.document,
        timeline: inputs.timeline,
        serviceRestoredStep: inputs.serviceRestoredStep,
        failureTime: inputs.failureTime,
        restoredPoint: chosen ? new Date(journaledChoice(chosen).point) : undefined,
        objectives: inputs.objectives,
    });
    const where = await saveReport(
        report,
        inputs.reportDir ?? path.join(PROJECT_ROOT, "reports"),
        artifactReportStore(config, ports, inputs.journal.document.operation),
    );
    ports.output(`report: ${where.join(", ")}`);
    return report;
}
