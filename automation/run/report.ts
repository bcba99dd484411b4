import * as fs from "fs";
import * as path from "path";
import { JournalDocument } from "./journal";
import { StepTiming } from "./steps";

/** One step in a report's timeline. */
export interface ReportStep {
    /** Step name. */
    readonly step: string;
    /** Start (ISO-8601); absent for steps an older journal recorded without one. */
    readonly startedAt?: string;
    /** End (ISO-8601). */
    readonly endedAt: string;
    /** `done` (this or an earlier run of the same journal) or `failed`. */
    readonly outcome: "done" | "failed";
    /** What it did, or why it failed. */
    readonly detail: string;
}

/** The record of a recovery run, for the operator, the incident review and the regulator. */
export interface RecoveryReport {
    /** `failover`, `drill`, ... */
    readonly operation: string;
    /** The run id (the journal's). */
    readonly runId: string;
    /** `completed`, or `failed` at {@link RecoveryReport.failedStep}. */
    readonly outcome: "completed" | "failed";
    /** The step that failed, when one did. */
    readonly failedStep?: string;
    /** Start of the run (the journal's first start, across resumes). */
    readonly startedAt: string;
    /** End of the last step. */
    readonly endedAt: string;
    /** When the primary failed (operator's `--failure-time`, default the run's start). */
    readonly failureTime?: string;
    /** The point in time the data was restored to. */
    readonly restoredPoint?: string;
    /** Start of the run to service restored (traffic switched, or the drill verified), in minutes. */
    readonly measuredRtoMinutes?: number;
    /** Failure time minus the restored point, in minutes: the data written in between is lost. */
    readonly achievedRpoMinutes?: number;
    /** The objectives the run is measured against. */
    readonly objectives: { readonly rpoMinutes: number; readonly rtoMinutes: number };
    /** Every step, in start order. */
    readonly steps: readonly ReportStep[];
}

/** What {@link buildReport} needs besides the journal. */
export interface ReportInputs {
    /** The journal after the run (every completed step, across resumes). */
    readonly journal: JournalDocument;
    /** This process's timeline: adds the failed step, if any. */
    readonly timeline: readonly StepTiming[];
    /** The step whose end is "service restored", e.g. `switch-traffic`. */
    readonly serviceRestoredStep: string;
    /** When the primary failed; default the run's start. */
    readonly failureTime?: Date;
    /** The restored point in time, when the run restored data. */
    readonly restoredPoint?: Date;
    /** The objectives. */
    readonly objectives: { readonly rpoMinutes: number; readonly rtoMinutes: number };
}

/** Builds the report of a run from its journal: a resumed run's report covers every run of it. */
export function buildReport(inputs: ReportInputs): RecoveryReport {
    const { journal } = inputs;
    const steps: ReportStep[] = journal.steps.map((entry) => ({
        step: entry.step,
        ...(entry.startedAt ? { startedAt: entry.startedAt } : {}),
        endedAt: entry.completedAt,
        outcome: "done",
        detail: entry.detail,
    }));
    const failed = inputs.timeline.find((t) => t.outcome === "failed");
    if (failed) {
        steps.push({
            step: failed.step,
            startedAt: new Date(failed.startedAt).toISOString(),
            endedAt: new Date(failed.endedAt).toISOString(),
            outcome: "failed",
            detail: failed.detail,
        });
    }
    steps.sort((a, b) => (a.startedAt ?? a.endedAt).localeCompare(b.startedAt ?? b.endedAt));
    const startedAt = journal.startedAt;
    const endedAt = steps.reduce((latest, s) => (s.endedAt > latest ? s.endedAt : latest), startedAt);
    const restored = journal.steps.find((s) => s.step === inputs.serviceRestoredStep);
    const failureTime = inputs.failureTime ?? new Date(startedAt);
    const minutes = (from: string | Date, to: string | Date) =>
        Math.round(((new Date(to).getTime() - new Date(from).getTime()) / 60_000) * 10) / 10;
    return {
        operation: journal.operation,
        runId: journal.runId,
        outcome: failed ? "failed" : "completed",
        ...(failed ? { failedStep: failed.step } : {}),
        startedAt,
        endedAt,
        failureTime: failureTime.toISOString(),
        ...(inputs.restoredPoint ? { restoredPoint: inputs.restoredPoint.toISOString() } : {}),
        ...(restored ? { measuredRtoMinutes: minutes(startedAt, restored.completedAt) } : {}),
        ...(inputs.restoredPoint
            ? { achievedRpoMinutes: Math.max(0, minutes(inputs.restoredPoint, failureTime)) }
            : {}),
        objectives: inputs.objectives,
        steps,
    };
}

/** Mermaid's gantt dates: UTC, to the second (task names may not contain a colon). */
function ganttTime(iso: string): string {
    return iso.slice(0, 19).replace("T", " ");
}

/** The report as Markdown: verdicts first, then a Mermaid Gantt chart of the steps and a table. */
export function renderMarkdown(report: RecoveryReport): string {
    const verdict = (value: number | undefined, objective: number) =>
        value === undefined
            ? "not measured"
            : `${value} min (objective ${objective} min: ${value <= objective ? "met" : "MISSED"})`;
    const lines = [
        `# ${report.operation} ${report.runId}`,
        "",
        `- Outcome: **${report.outcome}**${report.failedStep ? ` (failed at ${report.failedStep})` : ""}`,
        `- Started: ${report.startedAt}; ended: ${report.endedAt}`,
        `- Failure time: ${report.failureTime ?? "not given"}`,
        `- Restored point: ${report.restoredPoint ?? "none (nothing restored)"}`,
        `- Measured RTO: ${verdict(report.measuredRtoMinutes, report.objectives.rtoMinutes)}`,
        `- Achieved RPO: ${verdict(report.achievedRpoMinutes, report.objectives.rpoMinutes)}`,
        "",
        "## Timeline",
        "",
        "```mermaid",
        "gantt",
        `    title ${report.operation} ${report.runId}`,
        "    dateFormat YYYY-MM-DD HH:mm:ss",
        "    axisFormat %H:%M",
        "    section steps",
        ...report.steps.map((s, index) => {
            const tag = s.outcome === "failed" ? "crit" : "done";
            return `    ${s.step} :${tag}, s${index}, ${ganttTime(s.startedAt ?? s.endedAt)}, ${ganttTime(s.endedAt)}`;
        }),
        "```",
        "",
        "| step | started | ended | outcome | detail |",
        "|---|---|---|---|---|",
        ...report.steps.map(
            (s) =>
                `| ${s.step} | ${s.startedAt ?? ""} | ${s.endedAt} | ${s.outcome} | ${s.detail.replace(/\|/g, "\\|")} |`,
        ),
        "",
    ];
    return lines.join("\n");
}

/** Where a report is stored besides the local directory (the artifact store). */
export interface ReportStore {
    /** Stores one file; a failure is reported, never fatal: the local copy exists. */
    put(name: string, body: string, contentType: string): Promise<string>;
}

/**
 * Writes `<runId>.json` and `<runId>.md` to `directory`, then to the store. Returns where each
 * copy is; a store failure is returned as a line saying so rather than thrown, because the
 * report of a failover that otherwise worked must not turn it into a failure.
 */
export async function saveReport(
    report: RecoveryReport,
    directory: string,
    store?: ReportStore,
): Promise<string[]> {
    fs.mkdirSync(directory, { recursive: true });
    const files = [
        {
            name: `${report.runId}.json`,
            body: `${JSON.stringify(report, null, 2)}\n`,
            type: "application/json",
        },
        { name: `${report.runId}.md`, body: renderMarkdown(report), type: "text/markdown" },
    ];
    const locations: string[] = [];
    for (const file of files) {
        const local = path.join(directory, file.name);
        fs.writeFileSync(local, file.body);
        locations.push(local);
        if (store) {
            try {
                locations.push(await store.put(file.name, file.body, file.type));
            } catch (error) {
                locations.push(`(not stored in the artifact store: ${String(error)})`);
            }
        }
    }
    return locations;
}
