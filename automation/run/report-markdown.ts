import type { Measurement, RecoveryReport } from "./report-types";

/** The banner of a rehearsal's report: nobody may mistake it for the record of a real recovery. */
export const SIMULATED_BANNER =
    "> **SIMULATED**: a rehearsal against the simulated account (`--simulate`). Nothing real was touched; " +
    "times are virtual, taken from documented AWS durations.";

/** Mermaid's gantt dates: UTC, to the second (task names may not contain a colon). */
function ganttTime(iso: string): string {
    return iso.slice(0, 19).replace("T", " ");
}

/** One measurement as a line: value, objective, verdict, and what was measured. */
function verdict(value: Measurement | undefined): string {
    return value === undefined
        ? "not measured"
        : `${value.minutes} min (objective ${value.objectiveMinutes} min: ${value.met ? "met" : "MISSED"}), ${value.span}`;
}

/** A table cell: pipes escaped, one line. */
function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** The report as Markdown: banner, verdicts and provenance first, then a Mermaid Gantt chart and a table. */
export function renderMarkdown(report: RecoveryReport): string {
    const ended =
        report.outcome === "failed"
            ? ` (failed at ${report.failedStep ?? "?"})`
            : report.outcome === "interrupted"
              ? ` (interrupted while ${report.interruptedSteps?.join(", ") || "between steps"})`
              : "";
    const lines = [
        `# ${report.title}: ${report.runId}`,
        "",
        ...(report.simulated ? [SIMULATED_BANNER, ""] : []),
        `- Outcome: **${report.outcome}**${ended}`,
        `- Started: ${report.startedAt}; this attempt ended: ${report.endedAt}`,
        `- Measured RTO: ${verdict(report.measurements.rto)}`,
        `- Achieved RPO: ${verdict(report.measurements.rpo)}`,
        ...report.measurements.notes.map((note) => `- Note: ${note}`),
        `- Operator: ${report.operator.osUser}@${report.operator.host}, AWS ${report.operator.awsArn ?? `unknown (${report.identityNote ?? "not read"})`}`,
        `- Account: ${report.account ?? "unknown"}; regions: home ${report.regions.home}, DR ${report.regions.dr}`,
        `- Tool: ${report.tool.name} ${report.tool.version}, commit ${report.tool.commit}${report.tool.modified ? " (with uncommitted changes)" : ""}`,
        `- Command: \`${report.command}\``,
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
            const tag = s.outcome === "done" ? "done" : "crit";
            return `    ${s.step} :${tag}, s${index}, ${ganttTime(s.startedAt ?? s.endedAt)}, ${ganttTime(s.endedAt)}`;
        }),
        "```",
        "",
        "| step | started | ended | outcome | detail |",
        "|---|---|---|---|---|",
        ...report.steps.map(
            (s) => `| ${s.step} | ${s.startedAt ?? ""} | ${s.endedAt} | ${s.outcome} | ${cell(s.detail)} |`,
        ),
        "",
        "## Attempts",
        "",
        ...report.attempts.map(
            (a, index) =>
                `${index + 1}. ${a.startedAt} to ${a.endedAt ?? "(no end recorded)"}: ${a.outcome ?? "unknown"}, by ${a.by}`,
        ),
        "",
    ];
    return lines.join("\n");
}
