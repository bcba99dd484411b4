import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildReport, renderMarkdown, saveReport } from "../../../automation/run/report";
import { JournalDocument } from "../../../automation/run/journal";

const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 3, minute)).toISOString();
const JOURNAL: JournalDocument = {
    runId: "failover-1",
    operation: "failover",
    startedAt: at(0),
    steps: [
        { step: "preflight", startedAt: at(0), completedAt: at(1), detail: "ok" },
        { step: "up", startedAt: at(1), completedAt: at(31), detail: "stack | updated" },
        { step: "switch-traffic", startedAt: at(31), completedAt: at(33), detail: "answers dr" },
    ],
};
const OBJECTIVES = { rpoMinutes: 5, rtoMinutes: 60 };

describe("automation/report", () => {
    it("measures RTO from the run's start to service restored, and RPO from failure to restored point", () => {
        const report = buildReport({
            journal: JOURNAL,
            timeline: [],
            serviceRestoredStep: "switch-traffic",
            failureTime: new Date(at(-2)),
            restoredPoint: new Date(at(-6)),
            objectives: OBJECTIVES,
        });
        assert.strictEqual(report.outcome, "completed");
        assert.strictEqual(report.measuredRtoMinutes, 33);
        assert.strictEqual(report.achievedRpoMinutes, 4);
        assert.strictEqual(report.endedAt, at(33));
    });

    it("reports a failed run with the failed step and no RTO", () => {
        const report = buildReport({
            journal: { ...JOURNAL, steps: JOURNAL.steps.slice(0, 1) },
            timeline: [
                {
                    step: "up",
                    startedAt: Date.parse(at(1)),
                    endedAt: Date.parse(at(2)),
                    outcome: "failed",
                    detail: "throttled",
                },
            ],
            serviceRestoredStep: "switch-traffic",
            objectives: OBJECTIVES,
        });
        assert.strictEqual(report.outcome, "failed");
        assert.strictEqual(report.failedStep, "up");
        assert.strictEqual(report.measuredRtoMinutes, undefined);
        assert.deepStrictEqual(
            report.steps.map((s) => `${s.step}:${s.outcome}`),
            ["preflight:done", "up:failed"],
        );
    });

    it("renders Markdown with verdicts and a Mermaid Gantt chart of the steps", () => {
        const markdown = renderMarkdown(
            buildReport({
                journal: JOURNAL,
                timeline: [],
                serviceRestoredStep: "switch-traffic",
                restoredPoint: new Date(at(-10)),
                objectives: OBJECTIVES,
            }),
        );
        assert.match(markdown, /Measured RTO: 33 min \(objective 60 min: met\)/);
        assert.match(markdown, /Achieved RPO: 10 min \(objective 5 min: MISSED\)/);
        assert.match(markdown, /```mermaid\ngantt\n/);
        assert.match(markdown, /    up :done, s1, 2026-11-25 03:01:00, 2026-11-25 03:31:00/);
        assert.match(markdown, /stack \\\| updated/, "pipes escaped in the table");
    });

    it("saves JSON and Markdown locally even when the artifact store fails", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "report-"));
        try {
            const report = buildReport({
                journal: JOURNAL,
                timeline: [],
                serviceRestoredStep: "switch-traffic",
                objectives: OBJECTIVES,
            });
            const where = await saveReport(report, dir, {
                put: () => Promise.reject(new Error("AccessDenied")),
            });
            assert.deepStrictEqual(fs.readdirSync(dir).sort(), ["failover-1.json", "failover-1.md"]);
            assert.ok(where.some((w) => /not stored in the artifact store: Error: AccessDenied/.test(w)));
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
