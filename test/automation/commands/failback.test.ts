import * as assert from "assert";
import { StackConfig } from "../../../config/stack-config";
import { failbackDefinition } from "../../../automation/commands/failback/definition";
import { failoverDefinition } from "../../../automation/commands/failover/definition";
import { reprotectDefinition } from "../../../automation/commands/reprotect/definition";
import { OptionValues } from "../../../automation/commands/definition";
import { setReplicaLag } from "../../../automation/simulation/replica";
import { VirtualClock } from "../../../automation/simulation/clock";
import { heartbeatSourceOf } from "../../../lib/heartbeat";
import { standardWorld } from "../../../automation/simulation/standard-world";
import { SimulatedWorld } from "../../../automation/simulation/world";
import { filesUnder, runDefinition } from "../../support/commands";
import { DR_WITH_DNS } from "../../support/dr-config";
import { journaledSteps } from "../../support/journals";
import { assertNothingDeleted } from "../../support/nothing-deleted";
import { useTempDir } from "../../support/temp-dir";

const NOW = new Date("2026-11-25T03:00:00Z");
const RESTORED = "webank-db-dr-1";
const REPLICA = "webank-db-home-1";
const DR_CLUSTER = "webank-dr";

describe("automation/commands/failback, first phase: freeze, catch up, promote (simulated account)", () => {
    const dir = useTempDir("failback-");
    let world: SimulatedWorld;
    let clock: VirtualClock;
    const config: StackConfig = DR_WITH_DNS;
    beforeEach(() => {
        // A clock that moves while the run sleeps: the home replica catches up as time passes.
        clock = new VirtualClock(NOW);
        world = standardWorld(config, {
            now: NOW,
            clock: () => clock.now(),
            sleep: (ms) => clock.sleep(ms),
            every: (ms, tick) => clock.every(ms, tick),
        });
    });
    const text = () => world.lines.join("\n");
    /** What changed apart from the run's own journal and report. */
    const changes = () => world.changes.filter((c) => !/recovery-(journals|reports)\//.test(c));
    const run = (values: OptionValues = {}) =>
        clock.drive(
            runDefinition(failbackDefinition, { yes: true, ...values }, { world, config, workDir: dir() }),
        );
    const step = async (definition: typeof failoverDefinition | typeof reprotectDefinition) => {
        assert.strictEqual(
            await clock.drive(runDefinition(definition, { yes: true }, { world, config, workDir: dir() })),
            0,
            text(),
        );
        world.lines.length = 0;
    };
    /** Lets `minutes` pass on the virtual clock: the DR platform writes meanwhile. */
    const pass = (minutes: number) => clock.drive(clock.sleep(minutes * 60_000));
    const failedOverAndReprotected = async () => {
        await step(failoverDefinition);
        await step(reprotectDefinition);
        await pass(20);
        world.changes.length = 0;
    };
    /** The newest DR-platform heartbeat an instance holds, read through the verifier's port. */
    const newestDrBeat = async (side: "home" | "dr", identifier: string) => {
        const instance = world.region(side).instances.get(identifier)!;
        const observed = await world.ports()[side].data.read({
            identifier,
            endpoint: instance.endpoint!,
            database: config.database.name,
            heartbeatSource: heartbeatSourceOf(DR_CLUSTER),
        });
        return observed.newestBeat?.toISOString();
    };
    const cluster = () => world.state.clusters[DR_CLUSTER];
    const automated = () =>
        Object.entries(cluster().argocd?.Application ?? {})
            .filter(([, app]) => (app.spec as { syncPolicy?: { automated?: unknown } }).syncPolicy?.automated)
            .map(([name]) => name);

    it("freezes the DR platform's writes, waits until the home replica holds the last one, and promotes it: data lost 0", async () => {
        await failedOverAndReprotected();
        const holder = await world.ports().lock.holder();
        assert.strictEqual(await run(), 0, text());
        assert.deepStrictEqual(automated(), [], "automated sync off on every application, root app included");
        assert.deepStrictEqual(cluster().scaledToZero?.sort(), ["accounts", "payments"]);
        assert.ok(
            world.changes.includes(`kubectl patch cronjob webank-dr/heartbeat suspend=true on ${DR_CLUSTER}`),
        );
        assert.ok(
            (await world.ports().home.replica.describeReplica(REPLICA))?.source === undefined,
            "promoted",
        );
        // Frozen 20 minutes after the failover: the last DR beat is that minute's, and the
        // promoted home database holds it; the DR database takes none after it.
        const frozen = "2026-11-25T03:20:00.000Z";
        assert.match(
            text(),
            new RegExp(`holds the DR platform's newest heartbeat \\(${frozen.replace(/\./g, "\\.")}\\)`),
        );
        assert.strictEqual(await newestDrBeat("home", REPLICA), frozen);
        await pass(10);
        assert.strictEqual(await newestDrBeat("dr", RESTORED), frozen, "no DR write after the freeze");
        assert.match(
            text(),
            /achieved RPO: 0 min \(objective 0 min: met\), data lost: DR writes the promoted webank-db-home-1 lacks/,
        );
        assert.deepStrictEqual(await world.ports().lock.holder(), holder, "the lock stays with the failover");
        assert.ok(world.healthCheck?.heldOnDr, "traffic stays on DR");
        assertNothingDeleted(world);
        // The order that holds: sync off before any scale (selfHeal would undo it), the heartbeat last.
        const order = world.changes.filter((c) => c.startsWith("kubectl"));
        const firstScale = order.findIndex((c) => c.startsWith("kubectl scale"));
        assert.ok(
            order.slice(firstScale).every((c) => !c.includes("automated sync off")),
            order.join("\n"),
        );
        assert.ok(!order.some((c) => c.includes("reverted by Argo CD selfHeal")), order.join("\n"));
    });

    it("refuses while the home region is still unhealthy, changing nothing", async () => {
        await failedOverAndReprotected();
        world.healthCheck = { ...world.healthCheck!, healthy: false };
        assert.strictEqual(await run(), 1, text());
        assert.match(
            text(),
            /the home region is still unhealthy: Route 53's health check .* fails, so traffic stays on DR/,
        );
        assert.deepStrictEqual(changes(), []);
        assert.ok((await world.ports().home.replica.describeReplica(REPLICA))?.source, "not promoted");
    });

    it("refuses when the switch no longer holds traffic on DR", async () => {
        await failedOverAndReprotected();
        world.healthCheck = { ...world.healthCheck!, heldOnDr: false };
        assert.strictEqual(await run(), 1, text());
        assert.match(text(), /does not hold traffic on DR/);
        assert.deepStrictEqual(changes(), []);
    });

    it("refuses before re-protection, naming the command to run first", async () => {
        await step(failoverDefinition);
        world.changes.length = 0;
        assert.strictEqual(await run(), 1, text());
        assert.match(text(), /webank:failback is not set.*Re-protect first \(npm run dr -- reprotect\)/);
        assert.deepStrictEqual(changes(), []);
        assert.deepStrictEqual(
            filesUnder(dir()).filter((f) => f.includes("failback")),
            [],
        );
    });

    it("refuses when no failover holds the lock", async () => {
        assert.strictEqual(await run(), 1, text());
        assert.match(text(), /no failover holds the failover lock/);
        assert.deepStrictEqual(changes(), []);
    });

    it("refuses when the home replica is further behind than the RPO, before freezing anything", async () => {
        await failedOverAndReprotected();
        setReplicaLag(world, REPLICA, config.objectives.database.rpoMinutes * 60 + 1, "home");
        assert.strictEqual(await run(), 1, text());
        assert.match(text(), /more than the database RPO allows/);
        assert.deepStrictEqual(changes(), []);
        assert.notDeepStrictEqual(automated(), [], "nothing frozen");
    });

    it("treats an unknown lag as a refusal, never as zero", async () => {
        await failedOverAndReprotected();
        setReplicaLag(world, REPLICA, undefined, "home");
        assert.strictEqual(await run(), 1, text());
        assert.match(text(), /an unknown time behind/);
        assert.deepStrictEqual(changes(), []);
    });

    it("on --dry-run shows the plan and changes nothing", async () => {
        await failedOverAndReprotected();
        assert.strictEqual(await run({ "dry-run": true }), 0, text());
        assert.match(text(), /freeze-writes/);
        assert.deepStrictEqual(changes(), []);
    });

    it("resumes after an interruption at the promotion without freezing or promoting twice", async () => {
        await failedOverAndReprotected();
        world.failNext("home.replica.promote", new Error("Throttling: Rate exceeded"));
        assert.notStrictEqual(await run(), 0, text());
        assert.ok((await world.ports().home.replica.describeReplica(REPLICA))?.source, "not promoted yet");
        const patches = world.changes.filter((c) => c.startsWith("kubectl")).length;
        world.lines.length = 0;
        assert.strictEqual(await run(), 0, text());
        assert.strictEqual(
            world.changes.filter((c) => c.startsWith("kubectl")).length,
            patches,
            "frozen once",
        );
        assert.strictEqual(world.changes.filter((c) => c.includes("rds promote")).length, 1);
        assert.deepStrictEqual(journaledSteps(dir(), "failback").slice(-1), ["promote-home"]);
    });
});
