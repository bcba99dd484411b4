import { StatusReport } from "./document";

/** The last line of the text report: READY, NOT MANAGED, or NOT READY with every failing row. */
function verdictLine(report: StatusReport): string {
    const total = report.assets.length;
    const failing = report.assets.filter((row) => row.verdict !== "ok");
    const named = failing.map((row) => `${row.title} ${row.verdict}`).join(", ");
    switch (report.verdict) {
        case "ready":
            return `verdict: READY: all ${total} checks ok`;
        case "not-managed":
            return `verdict: NOT MANAGED: ${total - failing.length} of ${total} checks ok; ${named}: a failover cannot switch traffic`;
        case "not-ready":
            return `verdict: NOT READY: ${failing.length} of ${total} checks failing: ${named}`;
    }
}

/** The report as an aligned table, the notes (with what to check for each failing row), and a final verdict line. */
export function renderStatusText(report: StatusReport): string[] {
    // Whole seconds are enough for people; the JSON keeps the full instant.
    const instant = (iso: string | null) => (iso === null ? "-" : iso.replace(/\.\d{3}Z$/, "Z"));
    const dash = (value: number | string | null) => (value === null ? "-" : String(value));
    const header = ["ASSET", "CLASS", "WHERE", "NEWEST IN DR", "BEHIND (MIN)", "LIMIT (MIN)", "VERDICT"];
    const cells = report.assets.map((row) => [
        row.title,
        dash(row.assetClass),
        row.where,
        instant(row.newest),
        row.behindMinutes === null ? "-" : row.behindMinutes.toFixed(1),
        dash(row.limitMinutes),
        row.verdict,
    ]);
    const numeric = new Set([4, 5]);
    const widths = header.map((title, column) =>
        Math.max(title.length, ...cells.map((r) => r[column].length)),
    );
    const line = (row: string[]) =>
        row
            .map((cell, column) =>
                numeric.has(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column]),
            )
            .join("  ")
            .trimEnd();
    const stack = report.drStack;
    return [
        `DR status of ${report.prefix} at ${instant(report.generatedAt)} (read-only): home ${report.homeRegion}, ` +
            `DR ${report.drRegion}, account ${report.account ?? "unknown"}`,
        stack.reachable
            ? `DR stack ${stack.name}: posture ${stack.posture}, ${stack.activated ? "activated" : "not activated"}`
            : `DR stack ${stack.name}: UNREACHABLE`,
        "",
        line(header),
        ...cells.map(line),
        "",
        ...report.assets.flatMap((row) => [
            `${row.title}: ${row.note}`,
            ...(row.verdict === "ok" ? [] : [`    check: ${row.check}`]),
        ]),
        "",
        verdictLine(report),
    ];
}
