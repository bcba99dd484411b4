import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { JournalDocument } from "./journal";
import { renderMarkdown } from "./report-markdown";

/** The report format; bumped on any incompatible change. */
export const REPORT_SCHEMA = "webank-dr/report/v2";

/** One step in a report's timeline. */
export interface ReportStep {
    /** Step name. */
    readonly step: string;
    /** Start (ISO-8601). */
    readonly startedAt?: string;
    /** End (ISO-8601). */
    readonly endedAt: string;
    /** `done`, `failed`, or `interrupted` (running when the run was stopped). */
    readonly outcome: "done" | "failed" | "interrupted";
    /** What it did, or why it did not. */
    readonly detail: string;
}

/** One measured span against its objective. */
export interface Measurement {
    /** Minutes, to a tenth. */
    readonly minutes: number;
    /** The objective it is judged against, in minutes. */
    readonly objectiveMinutes: number;
    /** True when {@link Measurement.minutes} is at most the objective. */
    readonly met: boolean;
    /** What was measured, from what to what, e.g. "run start to traffic switched (service restored)". */
    readonly span: string;
}

/** What a run measured: RTO and RPO where they apply, and why one that does not apply is absent. */
export interface Measurements {
    /** Recovery time. */
    readonly rto?: Measurement;
    /** Data loss. */
    readonly rpo?: Measurement;
    /** Why a measure is absent or what it means, one line each. */
    readonly notes: readonly string[];
}

/** Who ran what, where, with which tool: the provenance a regulator asks for first. */
export interface Provenance {
    /** The operator: OS user and host, and the AWS identity the run used. */
    readonly operator: {
        readonly osUser: string;
        readonly host: string;
        /** STS caller ARN, or null when it could not be read (said in {@link Provenance.identityNote}). */
        readonly awsArn: string | null;
    };
    /** The AWS account, or null when it could not be read. */
    readonly account: string | null;
    /** Why the AWS identity is unknown, when it is. */
    readonly identityNote?: string;
    /** The home and DR regions. */
    readonly regions: { readonly home: string; readonly dr: string };
    /** This tool: package version and the Git commit it ran from. */
    readonly tool: {
        readonly name: string;
        readonly version: string;
        /** The commit, or `unknown` outside a Git checkout. */
        readonly commit: string;
        /** True when the checkout had uncommitted changes; null when unknown. */
        readonly modified: boolean | null;
    };
}

/** The record of a changing command's run, for the operator, the incident review and the regulator. */
export interface RecoveryReport extends Provenance {
    /** {@link REPORT_SCHEMA}. */
    readonly schema: typeof REPORT_SCHEMA;
    /** `failover`, `restore-db`, ... */
    readonly operation: string;
    /** One line: what the run is, e.g. "failover of webank to us-west-2". */
    readonly title: string;
    /** The run id (the journal's). */
    readonly runId: string;
    /** True for a rehearsal against the simulated account: nothing real was touched. */
    readonly simulated: boolean;
    /** How the run ended. */
    readonly outcome: "completed" | "failed" | "interrupted";
    /** The step that failed, when one did. */
    readonly failedStep?: string;
    /** Steps running when the run was interrupted. */
    readonly interruptedSteps?: readonly string[];
    /** The exact command line (the one that resumes it). */
    readonly command: string;
    /** The arguments that define the run. */
    readonly request: Readonly<Record<string, string>>;
    /** Start of the run (the first attempt). */
    readonly startedAt: string;
    /** End of this report's attempt. */
    readonly endedAt: string;
    /** RTO and RPO where they apply. */
    readonly measurements: Measurements;
    /** Every step, done, failed or interrupted, in start order. */
    readonly steps: readonly ReportStep[];
    /** Every attempt (process) of the run. */
    readonly attempts: JournalDocument["attempts"];
}

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
