import type { StackConfig } from "../../config/stack-config";
import { ARTIFACT_PREFIXES } from "../../lib/artifacts";
import { bucketName } from "../../lib/naming";
import type { RecoveryPorts } from "../ports";
import type { JournalMirror } from "./journal";
import type { ReportStore } from "./report";

/** Key prefix of journal copies in the DR state replica. */
export const JOURNAL_PREFIX = "recovery-journals/";

/** The key of a run's journal copy in the DR state replica. */
export function journalCopyKey(operation: string, runId: string): string {
    return `${JOURNAL_PREFIX}${operation}/${runId}.json`;
}

/**
 * The journal's copy in the DR region's state replica: the region a failover runs for, so
 * the copy is reachable when the home region is not, and another operator (or `lock
 * release`) can see whether the run is alive.
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
                journalCopyKey(document.operation, document.runId),
                `${JSON.stringify(document, null, 2)}\n`,
                "application/json",
            );
        },
    };
}

/** The key of a report file (`<runId>.json`, `.md`, ...) in the DR artifact replica. */
export function artifactReportKey(operation: string, name: string): string {
    return `${ARTIFACT_PREFIXES.recoveryReports}${operation}/${name}`;
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
            const key = artifactReportKey(operation, name);
            await ports.dr.objects.putObject(bucket, key, body, contentType);
            return `s3://${bucket}/${key}`;
        },
    };
}
