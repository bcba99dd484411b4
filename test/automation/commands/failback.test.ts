import * as assert from "assert";
import { StackConfig } from "../../../config/stack-config";
import { failbackDefinition } from "../../../automation/commands/failback/definition";
import { statusDefinition } from "../../../automation/commands/status/definition";
import { failoverDefinition } from "../../../automation/commands/failover/definition";
import { reprotectDefinition } from "../../../automation/commands/reprotect/definition";
import { OptionValues } from "../../../automation/commands/definition";
import { setReplicaLag } from "../../../automation/simulation/replica";
import { VirtualClock } from "../../../automation/simulation/clock";
import { heartbeatSourceOf } from "../../../lib/heartbeat";
import { standardWorld } from "../../../automation/simulation/standard-world";
import { SimulatedWorld } from "../../../automation/simulation/world";
import { filesUnder, runDefinition } from "../../support/commands";
import { DR_BASE, DR_WITH_DNS } from "../../support/dr-config";
import { assertNothingDeleted } from "../../support/nothing-deleted";
import { useTempDir } from "../../support/temp-dir";

const NOW = new Date("2026-11-25T03:00:00Z");
const RESTORED = "webank-db-dr-1";
const REPLICA = "webank-db-home-1";
const DR_CLUSTER = "webank-dr";
const HOME = "webank-db";
/** The names the failback retires to: the identifier and the minute it started (lib/naming.ts). */
const RETIRED_HOME = "webank-db-retired-202611250320";
const RETIRED_DR = "webank-db-dr-1-retired-202611250320";
/** The freeze's minute: 20 minutes after the failover. */
const FROZEN = "2026-11-25T03:20:00.000Z";

describe("automation/commands/failback (simulated account)", () => {
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
    /** Makes the `nth` call of `operation` from now on fail, as an interruption there would. */
    const failAt = (operation: string, nth: number) => {
        const enter = world.enter.bind(world);
        let calls = 0;
        world.enter = async (name, detail) => {
            if (name === operation && ++calls === nth) {
                throw new Error(`interrupted: ${operation} #${nth}`);
            }
            return enter(name, detail);
        };
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

    /** Everything a completed failback leaves, checked against the world, not the journal. */
    const assertFailedBack = async (frozen: string) => {
        // The home database is the promoted replica: the DR region's last write is in it, and the home platform writes again.
        assert.ok(!world.home.instances.has(REPLICA), "the replica took the home name");
        assert.strictEqual(await newestDrBeat("home", HOME), frozen);
        assert.ok(world.home.instances.has(RETIRED_HOME), "the stale home database is kept");
        assert.ok(world.dr.instances.has(RETIRED_DR), "the DR database is kept");
        assert.strictEqual(world.stacks.get("primary")!.config["webank:failback"], undefined);
        assert.strictEqual(world.stacks.get("dr")!.config["webank:activated"], "false");
        assert.strictEqual(world.stacks.get("dr")!.config["webank:restore"], undefined);
        assert.strictEqual(world.healthCheck?.heldOnDr, false, "traffic is home");
        assert.strictEqual(
            await world.ports().traffic.answer("", ""),
            config.platform.traffic!.primaryEndpoint,
        );
        assert.strictEqual(await world.ports().lock.holder(), undefined, "the lock is free");
        assertNothingDeleted(world);
    };

    it("comes home: freeze, catch up, promote, the home name, the primary stack on it, traffic home, dr idle, lock free; data lost 0", async () => {
        await failedOverAndReprotected();
        assert.strictEqual(await run(), 0, text());
        assert.deepStrictEqual(automated(), [], "automated sync off on every application, root app included");
        assert.deepStrictEqual(cluster().scaledToZero?.sort(), ["accounts", "payments"]);
        assert.ok(
            world.changes.includes(`kubectl patch cronjob webank-dr/heartbeat suspend=true on ${DR_CLUSTER}`),
        );
        // Frozen 20 minutes after the failover: the last DR beat is that minute's.
        await assertFailedBack(FROZEN);
        await pass(10);
        assert.strictEqual(await newestDrBeat("dr", RETIRED_DR), FROZEN, "no DR write after the freeze");
        assert.match(
            text(),
            /achieved RPO: 0 min \(objective 0 min: met\), data lost: DR writes the promoted webank-db-home-1 lacks/,
        );
        assert.match(text(), /measured RTO: \d+(\.\d)? min .*write freeze/);
        // The order that holds: sync off before any scale (selfHeal would undo it).
        const order = world.changes.filter((c) => c.startsWith("kubectl"));
        const firstScale = order.findIndex((c) => c.startsWith("kubectl scale"));
        assert.ok(
            order.slice(firstScale).every((c) => !c.includes("automated sync off")),
            order.join("\n"),
        );
        assert.ok(!order.some((c) => c.includes("reverted by Argo CD selfHeal")), order.join("\n"));
        // The primary stack's state: its database entry is the promoted instance's.
        const state = JSON.parse(world.stacks.get("primary")!.deployment) as {
            deployment: { resources: { urn: string }[] };
        };
        assert.ok(
            !state.deployment.resources.some((r) => r.urn.includes("db-home-1")),
            "the replica's entries are gone",
        );
    });

    it("brings the primary stack up from here when its Kubernetes access is direct", async () => {
        await failedOverAndReprotected();
        world.stacks.get("primary")!.config["webank:kubernetesAccess"] = "direct";
        assert.strictEqual(await run(), 0, text());
        assert.match(text(), /done {2}up-primary: primary stack updated; its database is webank-db/);
        assert.doesNotMatch(text(), /runner-up/);
        await assertFailedBack(FROZEN);
    });

    it("then status is READY and a second failover succeeds", async () => {
        await failedOverAndReprotected();
        assert.strictEqual(await run(), 0, text());
        world.lines.length = 0;
        assert.strictEqual(
            await clock.drive(
                runDefinition(statusDefinition, { format: "text" }, { world, config, workDir: dir() }),
            ),
            0,
            text(),
        );
        assert.match(text(), /verdict: READY/);
        world.lines.length = 0;
        await pass(30);
        await step(failoverDefinition);
        assert.ok(world.dr.instances.has(RESTORED), "a new DR database under the freed name");
        assert.strictEqual(world.healthCheck?.heldOnDr, true);
    });

    // Each step interrupted (an operation inside it fails), then the same command resumes and finishes.
    for (const [operation, nth, stepName] of [
        ["command.kubectl", 3, "freeze-writes"],
        ["home.data.read", 1, "wait-caught-up"],
        ["home.replica.promote", 1, "promote-home"],
        ["home.database.renameInstance", 1, "retire-stale-home"],
        ["home.database.renameInstance", 2, "rename-promoted"],
        ["stack.primary.importState", 1, "agree-state"],
        ["stack.primary.refresh", 1, "agree-state (after the import)"],
        ["home.runner.waitDeploy", 1, "runner-up (while the build runs)"],
        ["home.data.read", 3, "verify-home"],
        ["traffic.answer", 1, "switch-home (after the release)"],
        ["stack.dr.up", 1, "stand-down-dr (after the rename and the state edit)"],
        ["lock.release", 1, "release-lock"],
    ] as const) {
        it(`resumes after an interruption in ${stepName}`, async () => {
            await failedOverAndReprotected();
            failAt(operation, nth);
            assert.notStrictEqual(await run(), 0, text());
            world.lines.length = 0;
            assert.strictEqual(await run(), 0, text());
            await assertFailedBack(FROZEN);
            assert.strictEqual(
                world.changes.filter((c) => c.includes("rds promote")).length,
                1,
                "promoted once",
            );
            assert.strictEqual(
                world.changes.filter((c) => c.startsWith("kubectl patch cronjob")).length,
                1,
                "frozen once",
            );
        });
    }

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

    it("refuses when the DR cluster is reached through its runner, before freezing anything", async () => {
        await failedOverAndReprotected();
        world.stacks.get("dr")!.config["webank:kubernetesAccess"] = "runner";
        assert.strictEqual(await run(), 1, text());
        assert.match(
            text(),
            /webank:kubernetesAccess is runner: the failback's write freeze reaches .* kubectl/,
        );
        assert.deepStrictEqual(changes(), []);
        assert.notDeepStrictEqual(automated(), [], "nothing frozen");
    });

    it("refuses when webank:failback replicates another database than the one serving", async () => {
        await failedOverAndReprotected();
        world.stacks.get("primary")!.config["webank:failback"] = JSON.stringify({
            generation: 1,
            source: "webank-db-dr-7",
        });
        assert.strictEqual(await run(), 1, text());
        assert.match(text(), /webank-db-dr-7/);
        assert.match(text(), /webank-db-dr-1/);
        assert.deepStrictEqual(changes(), []);
    });

    it("refuses without DNS failover, before the run starts: nothing would tell the home region is healthy", async () => {
        await failedOverAndReprotected();
        const code = await clock.drive(
            runDefinition(failbackDefinition, { yes: true }, { world, config: DR_BASE, workDir: dir() }),
        );
        assert.strictEqual(code, 1, text());
        assert.match(text(), /DNS failover is not managed \(no webank:dnsZoneId\)/);
        assert.deepStrictEqual(changes(), []);
        assert.deepStrictEqual(
            filesUnder(dir()).filter((f) => f.includes("failback")),
            [],
            "no journal, no report",
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
});
