import { DR_BASE, DR_WITH_DNS } from "../../../support/dr-config";
import * as assert from "assert";
import { StackConfig } from "../../../../config/stack-config";
import { failoverDefinition } from "../../../../automation/commands/failover/definition";
import type { RecoveryReport } from "../../../../automation/run/report";
import { databaseData, setDatabaseData, stopHeartbeatWriter } from "../../../../automation/simulation/data";
import { seededResources, standardWorld } from "../../../../automation/simulation/standard-world";
import { SimulatedWorld } from "../../../../automation/simulation/world";
import { primaryDatabaseIdentifier } from "../../../../lib/naming";
import { runDefinition } from "../../../support/commands";
import { latestJournal, rehearsalReports } from "../../../support/journals";
import { assertNothingDeleted } from "../../../support/nothing-deleted";
import { useTempDir } from "../../../support/temp-dir";

/*
 * The failover's verify step opens the restored database and judges its data: an empty or
 * stale restore, or a critical table below its minimum, stops the failover before traffic is
 * switched; the report's achieved RPO is measured from the newest heartbeat. The data lives in
 * the simulated account (automation/simulation/data.ts); the same questions against a real
 * PostgreSQL: test/automation/adapters/postgres-verifier.test.ts.
 */
const NOW = new Date("2026-11-25T03:00:00Z");
const BASE = DR_BASE;
/** The dr config with a hosted zone: the failover switches DNS. */
const WITH_DNS: StackConfig = DR_WITH_DNS;
const PRIMARY = primaryDatabaseIdentifier(BASE.prefix);

describe("automation/commands/failover: the data of the restored database", () => {
    const dir = useTempDir("failover-data-");
    let world: SimulatedWorld;
    let config: StackConfig;
    const setUp = (with_: StackConfig) => {
        config = with_;
        world = standardWorld(config, { now: NOW });
    };
    beforeEach(() => setUp(WITH_DNS));
    const run = () => runDefinition(failoverDefinition, { yes: true }, { world, config, workDir: dir() });
    const text = () => world.lines.join("\n");
    const journal = () => latestJournal(dir(), "failover");
    const report = (): RecoveryReport => {
        const [first] = rehearsalReports(dir());
        assert.ok(first, "no report");
        return first;
    };
    /** Traffic stayed home: no health check inverted, no switch step, exports not resumed. */
    const assertTrafficStayedHome = () => {
        const steps = journal().steps.map((s) => s.step);
        assert.ok(!steps.includes("switch-traffic"), steps.join(", "));
        assert.ok(!steps.includes("resume-exports"), steps.join(", "));
        assert.ok(!world.changes.some((c) => c.startsWith("route53")), world.changes.join("\n"));
        assertNothingDeleted(world);
    };

    it("measures the achieved RPO from the newest heartbeat, with AWS's restore point beside it", async () => {
        assert.strictEqual(await run(), 0, text());
        const verify = journal().steps.find((s) => s.step === "verify");
        // The replicated backups trail by 4 min: the last whole-minute beat before 02:56 survived.
        assert.strictEqual(verify?.data?.newestHeartbeat, "2026-11-25T02:56:00.000Z");
        const rpo = report().measurements.rpo!;
        assert.match(
            rpo.span,
            /^newest heartbeat in the restored database 2026-11-25T02:56:00\.000Z to failure time/,
        );
        assert.match(rpo.span, /measured from the data/);
        assert.strictEqual(rpo.minutes, 4);
        assert.ok(
            report().measurements.notes.some((n) =>
                /^AWS's restore point 2026-11-25T02:56:00\.000Z: 4 min/.test(n),
            ),
        );
        assert.match(text(), /achieved RPO: 4 min \(objective 30 min: met\), newest heartbeat/);
        assert.match(
            text(),
            /done {2}verify: .*data of webank: heartbeat: newest heartbeat 2026-11-25T02:56:00\.000Z/,
        );
    });

    it("stops before traffic is switched when the restored database is empty (no heartbeat table)", async () => {
        setDatabaseData(world, "home", PRIMARY, undefined);
        assert.strictEqual(await run(), 1, text());
        assert.match(
            text(),
            /FAIL {2}verify: the data in webank-db-dr-1 \(database webank\) fails verification: heartbeat: no webank_dr\.heartbeat table/,
        );
        assert.match(text(), /Traffic was NOT switched/);
        assertTrafficStayedHome();
        // The restored instance is kept for investigation.
        assert.ok(world.dr.instances.has("webank-db-dr-1"));
    });

    it("stops before traffic is switched when the heartbeat stopped long before the restore point (stale data)", async () => {
        stopHeartbeatWriter(world, "home", PRIMARY, new Date(NOW.getTime() - 2 * 3600_000));
        assert.strictEqual(await run(), 1, text());
        assert.match(
            text(),
            /newest heartbeat 2026-11-25T01:00:00\.000Z is 116 min before the target .*: stale data/,
        );
        assertTrafficStayedHome();
    });

    it("does not count the DR platform's own heartbeats, which start with its up", async () => {
        stopHeartbeatWriter(world, "home", PRIMARY, new Date(NOW.getTime() - 2 * 3600_000));
        assert.strictEqual(await run(), 1, text());
        const copy = databaseData(world, "dr", "webank-db-dr-1");
        // The DR writer beat into the copy at 03:00; the verifier still judged the home beats only.
        assert.ok(
            copy?.beats.some((s) => s.source === "webank-dr"),
            JSON.stringify(copy),
        );
        assert.match(text(), /stale data/);
    });

    it("stops before traffic is switched when a critical table holds fewer rows than configured", async () => {
        setUp({
            ...WITH_DNS,
            verification: { tables: { "public.accounts": 1, "public.ledger": 1 }, migrations: "none" },
        });
        const data = databaseData(world, "home", PRIMARY)!;
        setDatabaseData(world, "home", PRIMARY, { ...data, tables: { "public.accounts": 0 } });
        assert.strictEqual(await run(), 1, text());
        assert.match(text(), /public\.accounts: 0 rows \(at least 1 expected\); public\.ledger: missing/);
        assertTrafficStayedHome();
    });

    it("compares the migration version with the source's read in preflight, and switches when they match", async () => {
        setUp({ ...WITH_DNS, verification: { tables: {}, migrations: "flyway" } });
        assert.strictEqual(await run(), 0, text());
        assert.match(text(), /done {2}preflight-source-data: webank-db is at flyway version 1\.42/);
        assert.match(text(), /schema migrations \(flyway\): version 1\.42, the source's 1\.42/);
        assert.ok(
            world.changes.includes(
                `route53 health check ${seededResources(config).switchCheckId} inverted=true`,
            ),
        );
    });

    it("goes on when the home region does not answer the source's version, saying it was not compared", async () => {
        setUp({ ...WITH_DNS, verification: { tables: {}, migrations: "flyway" } });
        world.failNext("home.data.read", new Error("connect ETIMEDOUT"));
        assert.strictEqual(await run(), 0, text());
        assert.match(
            text(),
            /webank-db did not answer \(connect ETIMEDOUT\): its migration version is not compared/,
        );
        assert.match(text(), /version 1\.42; the source did not answer, so it was not compared/);
    });
});
