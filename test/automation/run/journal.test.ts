import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Journal, JOURNAL_FORMAT, JournalDocument, readJournal } from "../../../automation/run/journal";
import { useTempDir } from "../../support/temp-dir";

const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 3, minute));
const START = {
    runId: "failover-1",
    operation: "failover",
    simulated: false,
    request: { "--restore-time": "latest" },
    pins: {},
    command: "npm run dr -- failover --restore-time latest",
    startedAt: at(0).toISOString(),
};

describe("automation/run/journal", () => {
    const dir = useTempDir("journal-");
    const file = () => path.join(dir(), "failover.json");

    it("writes every completed step at once, with the run's request, format and status", async () => {
        const journal = await Journal.create(file(), START);
        await journal.complete("preflight", "replicated backups present", at(1), { readOnly: true });
        const stored = JSON.parse(fs.readFileSync(file(), "utf8")) as JournalDocument;
        assert.strictEqual(stored.format, JOURNAL_FORMAT);
        assert.strictEqual(stored.status, "running");
        assert.deepStrictEqual(stored.request, { "--restore-time": "latest" });
        assert.deepStrictEqual(stored.steps, [
            {
                step: "preflight",
                completedAt: at(1).toISOString(),
                detail: "replicated backups present",
                readOnly: true,
            },
        ]);
        assert.deepStrictEqual(fs.readdirSync(dir()), ["failover.json"], "no temporary file left behind");
    });

    it("resumes as a new attempt that keeps the run id and what was done, and records a step once", async () => {
        const first = await Journal.create(file(), START);
        await first.complete("lock", "taken", at(2));
        await first.end("failed", at(3));
        const prior = readJournal(file(), "failover", false)!;
        const resumed = await Journal.resume(file(), prior, at(30));
        assert.strictEqual(resumed.runId, "failover-1");
        assert.ok(resumed.isDone("lock"));
        await resumed.complete("lock", "taken again", at(31));
        assert.strictEqual(resumed.steps.length, 1);
        assert.deepStrictEqual(
            resumed.document.attempts.map((a) => a.outcome ?? "running"),
            ["failed", "running"],
        );
    });

    it("refuses to read another operation's journal, an old one, and a rehearsal's for a real run", async () => {
        await Journal.create(file(), START);
        assert.throws(
            () => readJournal(file(), "drill", false),
            /--journal must name a journal of drill; got .* a failover run/,
        );
        assert.throws(
            () => readJournal(file(), "failover", true),
            /is a real run's, and this run is a rehearsal/,
        );
        fs.writeFileSync(file(), "{ half a fi");
        assert.throws(() => readJournal(file(), "failover", false), /cannot be read .* move it aside/);
    });

    it("copies each step to the mirror, and survives a mirror that is unreachable", async () => {
        const copies: string[][] = [];
        const warnings: string[] = [];
        let reachable = true;
        const journal = await Journal.create(file(), START, {
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
        await journal.complete("preflight", "ok", at(1));
        reachable = false;
        await journal.complete("lock", "taken", at(2));
        assert.deepStrictEqual(copies, [[], ["preflight"]]);
        assert.match(
            warnings[0],
            /journal copy not stored .*home region unreachable.*local journal .* is complete/,
        );
        assert.ok(journal.isDone("lock"), "the local journal still records the step");
    });

    it("archives under the run id, never over an earlier archive", async () => {
        const archive = path.join(dir(), "archive");
        const one = await Journal.create(file(), START);
        const first = one.archive(archive);
        const two = await Journal.create(file(), START);
        const second = two.archive(archive);
        assert.deepStrictEqual(
            [path.basename(first), path.basename(second)],
            ["failover-1.json", "failover-1-2.json"],
        );
        assert.ok(!fs.existsSync(file()));
    });
});
