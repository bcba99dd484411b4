import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { drStackConfig } from "../../../../automation/commands/dr-config";
import { failoverDefinition } from "../../../../automation/commands/failover/definition";
import { lockReleaseDefinition, lockStatusDefinition } from "../../../../automation/commands/lock/definition";
import { JournalDocument } from "../../../../automation/run/journal";
import { standardWorld } from "../../../../automation/simulation/standard-world";
import { SimulatedWorld } from "../../../../automation/simulation/world";
import { filesUnder, runDefinition } from "../../../support/commands";
import { archiveDir, journalFile, reportDir } from "../../../support/journals";
import { useTempDir } from "../../../support/temp-dir";

const NOW = new Date("2026-11-25T03:00:00Z");
const config = drStackConfig();
const RUN = "failover-2026-11-25T03-00-00-000Z";

describe("automation/commands/lock: status and release", () => {
    const dir = useTempDir("lock-");
    let world: SimulatedWorld;
    beforeEach(() => {
        world = standardWorld(config, { now: NOW });
    });
    const text = () => world.lines.join("\n");
    const status = () => runDefinition(lockStatusDefinition, {}, { world, config, workDir: dir() });
    const release = (runId: string, yes = true) =>
        runDefinition(lockReleaseDefinition, { "run-id": runId, yes }, { world, config, workDir: dir() });

    it("says the lock is free on a normal day", async () => {
        assert.strictEqual(await status(), 0);
        assert.match(text(), /the failover lock is free \(lock table webank-state-lock, us-west-2\)/);
    });

    it("after a failover: names the holder and its finished journal, and releases it on request", async () => {
        assert.strictEqual(
            await runDefinition(failoverDefinition, { yes: true }, { world, config, workDir: dir() }),
            0,
        );
        // The failover's own run id: its start and its nonce (automation/run/runner.ts newRunId).
        const run = world.lockHolder ?? "";
        assert.match(run, new RegExp(`^${RUN}-[0-9a-f]{6}$`));
        world.lines.length = 0;
        assert.strictEqual(await status(), 0);
        assert.match(text(), new RegExp(`held by run ${run}`));
        assert.match(text(), /its journal \(.*archive.*\) says finished, 13 steps done/);
        assert.match(text(), new RegExp(`npm run dr -- lock release --run-id ${run}`));

        assert.strictEqual(await release(run), 0, text());
        assert.strictEqual(world.lockHolder, undefined);
        assert.ok(world.changes.includes(`unlock ${run}`));
        const archived = filesUnder(archiveDir(dir(), "lock-release"));
        assert.strictEqual(archived.length, 1, "journaled, and archived when done");
        assert.ok(filesUnder(reportDir(dir())).some((f) => /^lock-release-.*\.md$/.test(f)));
    });

    it("refuses another run's id, a bad id, and a free lock, changing nothing", async () => {
        world.lockHolder = RUN;
        assert.strictEqual(await release("failover-2026-11-25T02-00-00-000Z"), 2);
        assert.match(text(), new RegExp(`--run-id must name the run that holds the lock \\(${RUN}`));
        assert.strictEqual(await release("the-one-from-before"), 2);
        assert.match(text(), /--run-id must be a run id as lock status prints it/);
        world.lockHolder = undefined;
        assert.strictEqual(await release(RUN), 1);
        assert.match(text(), /the failover lock is free: there is nothing to release/);
        assert.ok(!world.changes.some((c) => c.startsWith("unlock")));
        assert.deepStrictEqual(filesUnder(dir()), []);
    });

    it("refuses while the holder's journal shows it running, and allows it once that process is gone", async () => {
        world.lockHolder = RUN;
        const journal: JournalDocument = {
            format: "webank-dr/journal/v2",
            runId: RUN,
            operation: "failover",
            simulated: true,
            request: { "--restore-time": "latest" },
            pins: {},
            command: "npm run dr -- failover --restore-time latest --simulate",
            startedAt: NOW.toISOString(),
            status: "running",
            heartbeatAt: new Date(NOW.getTime() - 20_000).toISOString(),
            steps: [],
            incidents: [],
            attempts: [{ startedAt: NOW.toISOString(), by: "bob@jump-2 (pid 77)" }],
        };
        const file = journalFile(dir(), "failover");
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, JSON.stringify(journal));
        assert.strictEqual(await release(RUN), 1);
        assert.match(text(), /is still running .*RUNNING \(last sign of life/);
        assert.strictEqual(world.lockHolder, RUN);
        fs.writeFileSync(file, JSON.stringify({ ...journal, heartbeatAt: "2026-11-25T02:00:00.000Z" }));
        assert.strictEqual(await release(RUN), 0, text());
        assert.strictEqual(world.lockHolder, undefined);
    });

    it("asks before releasing, and without a terminal refuses unless --yes", async () => {
        world.lockHolder = RUN;
        assert.strictEqual(await release(RUN, false), 2);
        assert.match(text(), /no terminal to ask on: pass --yes/);
        assert.strictEqual(world.lockHolder, RUN);
    });
});
