import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { failoverDefinition } from "../../../../automation/commands/failover/definition";
import { seedJournal, unfinishedFailover } from "../../../../automation/commands/failover/remote-journal";
import type { OptionValues } from "../../../../automation/commands/definition";
import { journalCopyKey } from "../../../../automation/run/stores";
import { standardWorld } from "../../../../automation/simulation/standard-world";
import { SimulatedWorld } from "../../../../automation/simulation/world";
import { runDefinition } from "../../../support/commands";
import { DR_BASE } from "../../../support/dr-config";
import { journalFile } from "../../../support/journals";
import { useTempDir } from "../../../support/temp-dir";

/*
 * Resuming a failover the runner ran: its build's journal file is gone with the container, so
 * the runner seeds it from the run's copy in the DR state bucket. The run's own rules then
 * resume it (same run id, so the lock it holds is its own again). Against the simulated
 * account: a failover fails midway, its local journal is removed (the container is gone), the
 * copy is seeded, and the same command resumes the same run.
 */

const NOW = new Date("2026-11-25T03:00:00Z");
const STATE = "webank-state-123456789012-us-west-2";

describe("automation/commands/failover/remote-journal: resuming from the DR state bucket's copy", () => {
    const dir = useTempDir("remote-journal-");
    let world: SimulatedWorld;
    beforeEach(() => {
        world = standardWorld(DR_BASE, { now: NOW });
    });
    const run = (values: OptionValues = {}) =>
        runDefinition(
            failoverDefinition,
            { yes: true, ...values },
            { world, config: DR_BASE, workDir: dir() },
        );
    const text = () => world.lines.join("\n");
    const objects = () => world.ports().dr.objects;
    const put = (runId: string, body: object) =>
        objects().putObject(
            STATE,
            journalCopyKey("failover", runId),
            JSON.stringify({ runId, ...body }),
            "application/json",
        );

    it("a failed run, its local journal gone, resumes from the seeded copy with the same run id", async () => {
        world.failNext("stack.dr.up", new Error("throttled"));
        assert.strictEqual(await run(), 1, text());
        const file = journalFile(dir(), "failover");
        const runId = (JSON.parse(fs.readFileSync(file, "utf8")) as { runId: string }).runId;
        fs.rmSync(file);
        const copy = await seedJournal(objects(), STATE, runId, file);
        assert.strictEqual(copy.status, "failed");
        world.lines.length = 0;
        assert.strictEqual(await run(), 0, text());
        assert.match(text(), new RegExp(`failover run ${runId}, resuming after \\d+ completed steps`));
    });

    it("refuses to overwrite a journal file, a run id that is not a failover's, and a run without a copy", async () => {
        await put("failover-2026-11-25T02-00-00-000Z-a1b2c3", {
            status: "failed",
            simulated: false,
            steps: [],
        });
        const file = path.join(dir(), ".journal", "failover.json");
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, "{}");
        await assert.rejects(
            () => seedJournal(objects(), STATE, "failover-2026-11-25T02-00-00-000Z-a1b2c3", file),
            /exists already; it is never overwritten/,
        );
        assert.strictEqual(fs.readFileSync(file, "utf8"), "{}");
        for (const id of ["../../etc/passwd", "restore-db-2026-11-25T02-00-00-000Z-a1b2c3", ""]) {
            await assert.rejects(
                () => seedJournal(objects(), STATE, id, `${file}.x`),
                /must be a failover's run id/,
            );
        }
        await assert.rejects(
            () => seedJournal(objects(), STATE, "failover-2026-11-25T01-00-00-000Z-ffffff", `${file}.x`),
            /holds no journal of run failover-2026-11-25T01-00-00-000Z-ffffff, so it cannot be resumed/,
        );
        assert.ok(!fs.existsSync(`${file}.x`));
    });

    it("finds the newest copy only when its run is unfinished and real", async () => {
        assert.strictEqual(await unfinishedFailover(objects(), STATE), undefined, "none yet");
        await put("failover-2026-11-25T01-00-00-000Z-a1b2c3", {
            status: "failed",
            simulated: false,
            steps: [],
        });
        assert.strictEqual(
            (await unfinishedFailover(objects(), STATE))?.runId,
            "failover-2026-11-25T01-00-00-000Z-a1b2c3",
        );
        await world.sleep(60_000);
        await put("failover-2026-11-25T02-00-00-000Z-b1b2c3", {
            status: "finished",
            simulated: false,
            steps: [],
        });
        assert.strictEqual(await unfinishedFailover(objects(), STATE), undefined, "the newest finished");
        await world.sleep(60_000);
        await put("failover-2026-11-25T03-00-00-000Z-c1b2c3", {
            status: "interrupted",
            simulated: true,
            steps: [],
        });
        assert.strictEqual(
            await unfinishedFailover(objects(), STATE),
            undefined,
            "a rehearsal's is never resumed by a real run",
        );
    });
});
