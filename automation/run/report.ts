import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { JournalDocument } from "./journal";
import { renderMarkdown } from "./report-markdown";
import {
    Measurement,
    Measurements,
    Provenance,
    RecoveryReport,
    REPORT_SCHEMA,
    ReportStep,
} from "./report-types";

// Re-exported: the commands import the report's types from here, beside the helpers that make them.
export { REPORT_SCHEMA };
export type { Measurement, Measurements, Provenance, RecoveryReport, ReportStep };

/** What {@link buildReport} needs besides the journal. */
export interface ReportInputs {
    /** The journal after the attempt (every completed step and incident, across resumes). */
    readonly journal: JournalDocument;
    /** One line: what the run is. */
    readonly title: string;
    /** Who, where, which tool. */
    readonly provenance: Provenance;
    /** What the run measured. */
    readonly measurements: Measurements;
    /** When this attempt ended. */
    readonly endedAt: Date;
}

/** Minutes from `from` to `to`, to a tenth. */
export function minutesBetween(from: string | Date, to: string | Date): number {
    return Math.round(((new Date(to).getTime() - new Date(from).getTime()) / 60_000) * 10) / 10;
}

/** A measurement of `minutes` against `objectiveMinutes`. */
export function measurement(span: string, minutes: number, objectiveMinutes: number): Measurement {
    return { minutes, objectiveMinutes, met: minutes <= objectiveMinutes, span };
}

/** Builds the report of a run from its journal: a resumed run's report covers every attempt. */
export function buildReport(inputs: ReportInputs): RecoveryReport {
    const { journal } = inputs;
    const steps: ReportStep[] = [
        ...journal.steps.map((entry): ReportStep => ({
            step: entry.step,
            ...(entry.startedAt ? { startedAt: entry.startedAt } : {}),
            endedAt: entry.completedAt,
            outcome: "done",
            detail: entry.detail,
        })),
        ...journal.incidents.map((incident): ReportStep => ({
            step: incident.step,
            ...(incident.startedAt ? { startedAt: incident.startedAt } : {}),
            endedAt: incident.at,
            outcome: incident.outcome,
            detail: incident.detail,
        })),
    ].sort((a, b) => (a.startedAt ?? a.endedAt).localeCompare(b.startedAt ?? b.endedAt));
    const outcome =
        journal.status === "finished"
            ? "completed"
            : journal.status === "running"
              ? "failed"
              : journal.status;
    const lastAttempt = journal.attempts[journal.attempts.length - 1]?.startedAt ?? journal.startedAt;
    const thisAttempt = journal.incidents.filter((i) => i.at >= lastAttempt);
    const failed = thisAttempt.find((i) => i.outcome === "failed");
    const interrupted = thisAttempt.filter((i) => i.outcome === "interrupted").map((i) => i.step);
    return {
        schema: REPORT_SCHEMA,
        operation: journal.operation,
        title: inputs.title,
        runId: journal.runId,
        simulated: journal.simulated,
        outcome,
        ...(outcome === "failed" && failed ? { failedStep: failed.step } : {}),
        ...(outcome === "interrupted" ? { interruptedSteps: interrupted } : {}),
        ...inputs.provenance,
        command: journal.command,
        request: journal.request,
        startedAt: journal.startedAt,
        endedAt: inputs.endedAt.toISOString(),
        measurements: inputs.measurements,
        steps,
        attempts: journal.attempts,
    };
}

/** Where a report is stored besides the local directory (the DR artifact replica). */
export interface ReportStore {
    /** Stores one file; returns where. */
    put(name: string, body: string, contentType: string): Promise<string>;
}

/** The report's JSON text, exactly as written (its SHA-256 is of these bytes). */
export function reportJson(report: RecoveryReport): string {
    return `${JSON.stringify(report, null, 2)}\n`;
}

/** The `sha256sum` line of the JSON file, so `sha256sum -c <runId>.json.sha256` checks it. */
export function checksumLine(json: string, fileName: string): string {
    return `${createHash("sha256").update(json).digest("hex")}  ${fileName}\n`;
}

/**
 * Writes `<runId>.json`, `<runId>.json.sha256` and `<runId>.md` to `directory`, then to the
 * store. Returns where each copy is; a store failure becomes a line saying so rather than an
 * error, because the report of a recovery that otherwise worked must not turn it into a failure.
 */
export async function saveReport(
    report: RecoveryReport,
    directory: string,
    store?: ReportStore,
): Promise<string[]> {
    fs.mkdirSync(directory, { recursive: true });
    const json = reportJson(report);
    const jsonName = `${report.runId}.json`;
    const files = [
        { name: jsonName, body: json, type: "application/json" },
        { name: `${jsonName}.sha256`, body: checksumLine(json, jsonName), type: "text/plain" },
        { name: `${report.runId}.md`, body: renderMarkdown(report), type: "text/markdown" },
    ];
    const locations: string[] = [];
    for (const file of files) {
        const local = path.join(directory, file.name);
        fs.writeFileSync(local, file.body);
        locations.push(local);
    }
    if (store) {
        for (const file of files) {
            try {
                locations.push(await store.put(file.name, file.body, file.type));
            } catch (error) {
                locations.push(
                    `(${file.name} not stored in the artifact store: ${error instanceof Error ? error.message : String(error)})`,
                );
            }
        }
    }
    return locations;
}
