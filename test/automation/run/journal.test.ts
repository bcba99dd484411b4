import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Journal, JournalDocument } from "../../../automation/run/journal";

describe("automation/journal: Journal", () => {
    let dir: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "journal-"));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 3, minute));

    it("records completed steps on disk at once", async () => {
        const file = path.join(dir, "failover.json");
        const journal = Journal.open(file, "failover", { now: () => at(0) });
        await journal.complete("preflight", "replicated backups present", at(1));
        const stored = JSON.parse(fs.readFileSync(file, "utf8")) as JournalDocument;
        assert.strictEqual(stored.runId, "failover-2026-11-25T03-00-00-000Z");
        assert.deepStrictEqual(stored.steps, [
            {
                step: "preflight",
                completedAt: "2026-11-25T03:01:00.000Z",
                detail: "replicated backups present",
            },
        ]);
    });

    it("resumes after a crash: a reopened journal knows what is done and keeps the run id", async () => {
        const file = path.join(dir, "failover.json");
        const first = Journal.open(file, "failover", { now: () => at(0) });
        await first.complete("preflight", "ok", at(1));
        await first.complete("lock", "taken", at(2));
        const resumed = Journal.open(file, "failover", { now: () => at(30) });
        assert.strictEqual(resumed.runId, first.runId);
        assert.deepStrictEqual(
            [resumed.isDone("preflight"), resumed.isDone("lock"), resumed.isDone("up")],
            [true, true, false],
        );
        await resumed.complete("lock", "taken again", at(31));
        assert.strictEqual(resumed.steps.length, 2, "a step is recorded once");
    });

    it("refuses to resume another operation's journal", () => {
        const file = path.join(dir, "run.json");
        Journal.open(file, "drill");
        assert.throws(() => Journal.open(file, "failover"), /belongs to a drill run/);
    });

    it("copies each step to the mirror, and survives a mirror that is unreachable", async () => {
        const copies: string[][] = [];
        const warnings: string[] = [];
        let reachable = true;
        const journal = Journal.open(path.join(dir, "f.json"), "failover", {
            mirror: {
                put: (document) => {
                    if (!reachable) {
                        return Promise.reject(new Error("home region unreachable"));
                    }
                    copies.push(document.steps.map((s) => s.step));
                    return Promise.resolve();
                },
            },
            warn: (message) => warnings.push(message),
        });
        await journal.complete("preflight", "ok");
        reachable = false;
        await journal.complete("lock", "taken");
        assert.deepStrictEqual(copies, [["preflight"]]);
        assert.match(
            warnings[0],
            /journal copy not stored .*home region unreachable.*local journal .* is complete/,
        );
        assert.ok(journal.isDone("lock"), "the local journal still records the step");
    });
});
