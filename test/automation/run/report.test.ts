import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { JOURNAL_FORMAT, JournalDocument } from "../../../automation/run/journal";
import { buildReport, measurement, Provenance, saveReport } from "../../../automation/run/report";
import { renderMarkdown } from "../../../automation/run/report-markdown";
import { withTempDir } from "../../support/temp-dir";

const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 3, minute)).toISOString();
const JOURNAL: JournalDocument = {
    format: JOURNAL_FORMAT,
    runId: "failover-1",
    operation: "failover",
    simulated: false,
    request: { "--restore-time": "latest" },
    pins: {},
    command: "npm run dr -- failover --restore-time latest",
    startedAt: at(0),
    status: "finished",
    heartbeatAt: at(33),
    steps: [
        { step: "preflight", startedAt: at(0), completedAt: at(1), detail: "ok" },
        { step: "up", startedAt: at(1), completedAt: at(31), detail: "stack | updated" },
        { step: "switch-traffic", startedAt: at(31), completedAt: at(33), detail: "answers dr" },
    ],
    incidents: [],
    attempts: [{ startedAt: at(0), endedAt: at(33), outcome: "finished", by: "alice@jump-1 (pid 1)" }],
};
const PROVENANCE: Provenance = {
    operator: { osUser: "alice", host: "jump-1", awsArn: "arn:aws:sts::210987654321:assumed-role/ops/alice" },
    account: "210987654321",
    regions: { home: "us-east-1", dr: "us-west-2" },
    tool: {
        name: "webank-dr",
        version: "0.1.0",
        commit: "5f1c0de5f1c0de5f1c0de5f1c0de5f1c0de5f1c0",
        modified: false,
    },
};
const MEASURED = {
    rto: measurement("run start to traffic switched (service restored)", 33, 60),
    rpo: measurement("restored point to failure time", 10, 5),
    notes: [],
};

describe("automation/run/report", () => {
    it("builds the report from the journal: outcome, provenance, measurements, every step", () => {
        const report = buildReport({
            journal: JOURNAL,
            title: "failover of webank to us-west-2",
            provenance: PROVENANCE,
            measurements: MEASURED,
            endedAt: new Date(at(33)),
        });
        assert.strictEqual(report.outcome, "completed");
        assert.strictEqual(report.operator.awsArn, "arn:aws:sts::210987654321:assumed-role/ops/alice");
        assert.strictEqual(report.measurements.rto!.met, true);
        assert.strictEqual(report.measurements.rpo!.met, false);
        assert.strictEqual(report.steps.length, 3);
    });

    it("reports a failed attempt with its failed step among the steps", () => {
        const report = buildReport({
            journal: {
                ...JOURNAL,
                status: "failed",
                steps: JOURNAL.steps.slice(0, 1),
                incidents: [
                    { step: "up", startedAt: at(1), at: at(2), outcome: "failed", detail: "throttled" },
                ],
            },
            title: "failover",
            provenance: PROVENANCE,
            measurements: { notes: ["no RTO"] },
            endedAt: new Date(at(2)),
        });
        assert.strictEqual(report.outcome, "failed");
        assert.strictEqual(report.failedStep, "up");
        assert.deepStrictEqual(
            report.steps.map((s) => `${s.step}:${s.outcome}`),
            ["preflight:done", "up:failed"],
        );
    });

    it("renders Markdown: verdicts, provenance, a Mermaid Gantt chart, escaped table cells, and no SIMULATED banner for a real run", () => {
        const report = buildReport({
            journal: JOURNAL,
            title: "failover",
            provenance: PROVENANCE,
            measurements: MEASURED,
            endedAt: new Date(at(33)),
        });
        const markdown = renderMarkdown(report);
        assert.match(markdown, /Measured RTO: 33 min \(objective 60 min: met\)/);
        assert.match(markdown, /Achieved RPO: 10 min \(objective 5 min: MISSED\)/);
        assert.match(
            markdown,
            /Operator: alice@jump-1, AWS arn:aws:sts::210987654321:assumed-role\/ops\/alice/,
        );
        assert.match(markdown, /commit 5f1c0de5f1c0de5f1c0de5f1c0de5f1c0de5f1c0/);
        assert.match(markdown, /```mermaid\ngantt\n/);
        assert.match(markdown, / {4}up :done, s1, 2026-11-25 03:01:00, 2026-11-25 03:31:00/);
        assert.match(markdown, /stack \\\| updated/, "pipes escaped in the table");
        assert.doesNotMatch(markdown, /SIMULATED/);
        assert.match(renderMarkdown({ ...report, simulated: true }), /^> \*\*SIMULATED\*\*/m);
    });

    it("saves JSON, its SHA-256 and Markdown locally even when the artifact store fails", () =>
        withTempDir("report-", async (dir) => {
            const report = buildReport({
                journal: JOURNAL,
                title: "failover",
                provenance: PROVENANCE,
                measurements: MEASURED,
                endedAt: new Date(at(33)),
            });
            const where = await saveReport(report, dir, {
                put: () => Promise.reject(new Error("AccessDenied")),
            });
            assert.deepStrictEqual(fs.readdirSync(dir).sort(), [
                "failover-1.json",
                "failover-1.json.sha256",
                "failover-1.md",
            ]);
            assert.match(
                fs.readFileSync(path.join(dir, "failover-1.json.sha256"), "utf8"),
                /^[0-9a-f]{64} {2}failover-1\.json\n$/,
            );
            assert.ok(where.some((w) => /not stored in the artifact store: AccessDenied/.test(w)));
        }));
});
