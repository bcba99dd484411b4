import * as assert from "assert";
import { StackConfig } from "../../../config/stack-config";
import { failoverDefinition } from "../../../automation/commands/failover/definition";
import { reprotectDefinition } from "../../../automation/commands/reprotect/definition";
import { LAG_WAIT_MINUTES, REPLICA_POLL_MILLISECONDS } from "../../../automation/commands/reprotect/steps";
import { OptionValues } from "../../../automation/commands/definition";
import { setReplicaLag } from "../../../automation/simulation/replica";
import { standardWorld } from "../../../automation/simulation/standard-world";
import { SimulatedWorld } from "../../../automation/simulation/world";
import { filesUnder, runDefinition } from "../../support/commands";
import { DR_BASE, DR_WITH_DNS } from "../../support/dr-config";
import { journaledSteps } from "../../support/journals";
import { assertNothingDeleted } from "../../support/nothing-deleted";
import { useTempDir } from "../../support/temp-dir";

const NOW = new Date("2026-11-25T03:00:00Z");
const RESTORED = "webank-db-dr-1";
const REPLICA = "webank-db-home-1";

describe("automation/commands/reprotect (simulated account)", () => {
    const dir = useTempDir("reprotect-");
    let world: SimulatedWorld;
    let config: StackConfig;
    beforeEach(() => {
        config = DR_BASE;
        world = standardWorld(config, { now: NOW });
    });
    const text = () => world.lines.join("\n");
    const run = (values: OptionValues = {}) =>
        runDefinition(reprotectDefinition, { yes: true, ...values }, { world, config, workDir: dir() });
    const failover = async () => {
        assert.strictEqual(
            await runDefinition(failoverDefinition, { yes: true }, { world, config, workDir: dir() }),
            0,
            text(),
        );
        world.lines.length = 0;
    };
    const failback = () => world.stacks.get("primary")!.config["webank:failback"];
    const homeReplica = async (identifier = REPLICA) =>
        world.ports().home.replica.describeReplica(identifier);

    it("refuses before any change when no failover holds the lock", async () => {
        assert.strictEqual(await run(), 1, text());
        assert.match(text(), /no failover holds the failover lock: re-protection follows a failover/);
        assert.deepStrictEqual(world.changes, []);
        assert.deepStrictEqual(filesUnder(dir()), [], "nothing journaled");
    });

    it("refuses when the lock is held by a run that is not a failover", async () => {
        await world.ports().lock.acquire("restore-db-2026-11-25T02-00-00-000Z");
        world.changes.length = 0;
        assert.strictEqual(await run(), 1, text());
        assert.match(text(), /held by restore-db-2026-11-25T02-00-00-000Z .*which is not a failover run/);
        assert.deepStrictEqual(world.changes, []);
    });

    it("refuses when the lock is a failover's but the dr stack was never activated", async () => {
        await world.ports().lock.acquire("failover-2026-11-25T02-00-00-000Z");
        world.changes.length = 0;
        assert.strictEqual(await run(), 1, text());
        assert.match(text(), /the dr stack is not activated \(webank:activated is not set\)/);
        assert.deepStrictEqual(world.changes, []);
    });

    it("after a failover: a home replica of the restored DR database, within the RPO; lock, traffic and DR untouched", async () => {
        await failover();
        const holder = await world.ports().lock.holder();
        const drArn = world.dr.instances.get(RESTORED)!.arn;
        const before = world.changes.length;
        assert.strictEqual(await run(), 0, text());
        assert.deepStrictEqual(JSON.parse(failback()), { generation: 1, source: RESTORED });
        const replica = await homeReplica();
        assert.strictEqual(replica?.source, drArn, "replicates the DR database, named by ARN");
        assert.match(replica.arn, /^arn:aws:rds:us-east-1:123456789012:db:webank-db-home-1$/);
        assert.deepStrictEqual(await world.ports().lock.holder(), holder, "the failover's lock stays held");
        assert.match(text(), /webank-db-home-1 is 45 s behind webank-db-dr-1/);
        assert.match(text(), /Next, once the home region is healthy: npm run dr -- failback/);
        assert.ok(
            !world.changes.slice(before).some((c) => /^stack dr|route53|^lock|rename/.test(c)),
            world.changes.slice(before).join("\n"),
        );
        assertNothingDeleted(world);
    });

    it("runs again without a second replica, keeping the generation", async () => {
        await failover();
        assert.strictEqual(await run(), 0, text());
        const creations = () => world.changes.filter((c) => c.includes("create read replica")).length;
        const before = creations();
        world.lines.length = 0;
        assert.strictEqual(await run(), 0, text());
        assert.strictEqual(creations(), before);
        assert.match(text(), /already replicates webank-db-dr-1 \(a rerun\)/);
        assert.deepStrictEqual(JSON.parse(failback()), { generation: 1, source: RESTORED });
    });

    it("takes the next free generation when an earlier home replica's name is taken", async () => {
        await failover();
        world.home.instances.set(REPLICA, { ...world.home.instances.get("webank-db")!, identifier: REPLICA });
        assert.strictEqual(await run(), 0, text());
        assert.deepStrictEqual(JSON.parse(failback()), { generation: 2, source: RESTORED });
        assert.ok((await homeReplica("webank-db-home-2"))?.source);
    });

    it("refuses when the primary stack already re-protects another database, changing nothing", async () => {
        await failover();
        const other = JSON.stringify({ generation: 1, source: "webank-db-dr-7" });
        world.stacks.get("primary")!.config["webank:failback"] = other;
        world.changes.length = 0;
        assert.strictEqual(await run(), 1, text());
        assert.match(
            text(),
            /webank:failback is .*webank-db-dr-7.*does not re-protect the DR database webank-db-dr-1/,
        );
        assert.strictEqual(failback(), other);
        assert.deepStrictEqual(world.changes, []);
    });

    it("fails when the replica stays behind the RPO, then resumes once it catches up", async () => {
        await failover();
        const late = (config.objectives.database.rpoMinutes + 1) * 60;
        const program = world.programs.get("primary")!;
        world.programs.set("primary", {
            ...program,
            up: (stack, w, r) => {
                const outputs = program.up(stack, w, r);
                setReplicaLag(w, REPLICA, late, "home");
                return outputs;
            },
        });
        assert.strictEqual(await run(), 1, text());
        assert.match(
            text(),
            new RegExp(
                `webank-db-home-1 is not within the database RPO of .* after ${LAG_WAIT_MINUTES} minutes \\(ReplicaLag ${late} s`,
            ),
        );
        assert.strictEqual(
            world.calls.filter((c) => c === "home.replica.replicaLag").length,
            (LAG_WAIT_MINUTES * 60_000) / REPLICA_POLL_MILLISECONDS,
            "one read a minute for the whole wait",
        );
        assert.deepStrictEqual(journaledSteps(dir(), "reprotect").slice(-1), ["wait-replica"]);
        world.programs.set("primary", program);
        setReplicaLag(world, REPLICA, 12, "home");
        const ups = world.changes.filter((c) => c === "stack primary up").length;
        world.lines.length = 0;
        assert.strictEqual(await run(), 0, text());
        assert.match(text(), /resuming after \d+ completed steps/);
        assert.strictEqual(world.changes.filter((c) => c === "stack primary up").length, ups, "no second up");
        assert.match(text(), /webank-db-home-1 is 12 s behind/);
    });

    it("refuses to build on a home instance of the chosen name that replicates nothing, keeping it", async () => {
        await failover();
        world.stacks.get("primary")!.config["webank:failback"] = JSON.stringify({
            generation: 1,
            source: RESTORED,
        });
        world.home.instances.set(REPLICA, { ...world.home.instances.get("webank-db")!, identifier: REPLICA });
        world.changes.length = 0;
        assert.strictEqual(await run(), 1, text());
        assert.match(
            text(),
            /webank-db-home-1 already exists in us-east-1 and is not a read replica of webank-db-dr-1 \(its source: none, it is standalone\)/,
        );
        assert.ok(!world.changes.some((c) => c.startsWith("stack")), world.changes.join("\n"));
    });

    it("in the hot posture re-protects the promoted replica", async () => {
        config = {
            ...DR_WITH_DNS,
            dr: { ...DR_WITH_DNS.dr, posture: "hot" },
            objectives: {
                ...DR_WITH_DNS.objectives,
                database: { ...DR_WITH_DNS.objectives.database, rpoMinutes: 5 },
            },
        };
        world = standardWorld(config, { now: NOW, posture: "hot" });
        await failover();
        assert.strictEqual(await run(), 0, text());
        assert.deepStrictEqual(JSON.parse(failback()), { generation: 1, source: "webank-db-replica" });
        assert.strictEqual((await homeReplica())?.source, world.dr.instances.get("webank-db-replica")!.arn);
    });

    it("on --dry-run shows the plan and changes nothing", async () => {
        await failover();
        const changes = world.changes.length;
        assert.strictEqual(await run({ "dry-run": true }), 0, text());
        assert.match(
            text(),
            /a read replica webank-db-home-1 of the DR database webank-db-dr-1 in us-east-1/,
        );
        assert.strictEqual(world.changes.length, changes);
        assert.strictEqual(failback(), undefined);
    });
});
