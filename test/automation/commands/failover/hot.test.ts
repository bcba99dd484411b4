import { DR_BASE, DR_WITH_DNS } from "../../../support/dr-config";
import * as assert from "assert";
import { replicaInstanceUrn } from "../../../../lib/stack-urns";
import { StackConfig } from "../../../../config/stack-config";
import { failoverDefinition } from "../../../../automation/commands/failover/definition";
import { OptionValues } from "../../../../automation/commands/definition";
import { replicaDatabaseIdentifier } from "../../../../lib/naming";
import { seededResources, standardWorld } from "../../../../automation/simulation/standard-world";
import { isReadReplica, setReplicaLag } from "../../../../automation/simulation/replica";
import { SimulatedWorld } from "../../../../automation/simulation/world";
import { openSimulation } from "../../../../automation/simulation/persistent";
import { setDatabaseData } from "../../../../automation/simulation/data";
import { filesUnder, runDefinition } from "../../../support/commands";
import { journaledSteps, rehearsalReports } from "../../../support/journals";
import { assertNothingDeleted } from "../../../support/nothing-deleted";
import { useTempDir } from "../../../support/temp-dir";

/*
 * The failover in the hot posture, end to end in the simulated account: the read replica's
 * lag is the projected RPO, refused above the objective unless --accept-rpo covers it, the
 * replica is promoted (once, even across a resume), the platform scaled up and verified on it,
 * and traffic switched; nothing is restored.
 */

const NOW = new Date("2026-11-25T03:00:00Z");
/**
 * `base` as a hot standby with a 5-minute database objective: what a bank chooses hot for, and
 * what hot alone can promise (config/objectives.ts checkPromisableDatabaseRpo).
 */
const hot = (base: StackConfig): StackConfig => ({
    ...base,
    dr: { ...base.dr, posture: "hot" },
    objectives: { ...base.objectives, database: { ...base.objectives.database, rpoMinutes: 5 } },
});
const REPLICA = replicaDatabaseIdentifier(DR_BASE.prefix);
/** Nothing that throws data away, and no restore at all: a hot failover restores nothing. */
const KEEPS = { alsoForbidden: /rename|restore/ };

describe("automation/commands/failover in the hot posture", () => {
    const dir = useTempDir("failover-hot-");
    let world: SimulatedWorld;
    let config: StackConfig;
    beforeEach(() => {
        config = hot(DR_WITH_DNS);
        world = standardWorld(config, { now: NOW, posture: "hot" });
    });
    const run = (values: OptionValues = {}) =>
        runDefinition(failoverDefinition, { yes: true, ...values }, { world, config, workDir: dir() });
    const text = () => world.lines.join("\n");
    const promotions = () => world.changes.filter((c) => c.startsWith(`dr rds promote ${REPLICA}`));
    /** What a refusal must leave: no change in the account, no file in the work directory. */
    const assertUntouched = () => {
        assert.deepStrictEqual(world.changes, []);
        assert.deepStrictEqual(filesUnder(dir()), [], "a refused run writes nothing");
        assert.ok(isReadReplica(world, "dr", REPLICA), "the replica is still a replica");
    };

    it("promotes the replica, scales up, verifies its data and switches traffic, restoring nothing", async () => {
        assert.strictEqual(await run(), 0, text());
        const dr = world.stacks.get("dr")!.config;
        assert.strictEqual(dr["webank:activated"], "true");
        assert.strictEqual(dr["webank:restore"], undefined, "hot sets no webank:restore");
        assert.deepStrictEqual(promotions(), [
            `dr rds promote ${REPLICA} (backup retention ${config.database.backupRetentionDays} days, by PromoteReadReplica)`,
        ]);
        assert.ok(!isReadReplica(world, "dr", REPLICA));
        assert.strictEqual(world.dr.instances.get(REPLICA)!.status, "available");
        assert.strictEqual(world.dr.instances.size, 1, "no second instance beside the promoted replica");
        assert.ok(
            !world.calls.some((c) => /restoreToPointInTime|replicatedBackups/.test(c)),
            "no PITR anywhere",
        );
        const steps = journaledSteps(dir(), "failover");
        assert.deepStrictEqual(steps.slice(0, 4).sort(), [
            "preflight-replica",
            "preflight-source-data",
            "preflight-stack",
            "preflight-traffic",
        ]);
        assert.deepStrictEqual(steps.slice(4, 6), ["lock", "activate-config"]);
        // The stack's refresh runs while RDS promotes; which ends first is the clock's.
        assert.deepStrictEqual(steps.slice(6, 8).sort(), ["promote", "refresh"]);
        assert.deepStrictEqual(steps.slice(8, 12), ["refresh-database", "up", "wait-platform", "verify"]);
        assert.deepStrictEqual(steps.slice(12).sort(), ["resume-exports", "switch-traffic"]);
        // The promoted instance is refreshed after the promotion and before up, by its URN
        // alone, so the stack's state takes it as promoted and up promotes nothing.
        const order = world.changes.map((c) => c.split(" (")[0]);
        const targeted = `stack dr refresh --target ${replicaInstanceUrn("webank", "dr", config.prefix)}`;
        assert.ok(order.includes(targeted), order.join("\n"));
        assert.ok(order.indexOf(`dr rds promote ${REPLICA}`) < order.indexOf(targeted), order.join("\n"));
        assert.ok(
            order.indexOf(targeted) < order.findIndex((c) => c.startsWith("stack dr up")),
            order.join("\n"),
        );
        assert.ok(
            world.changes.includes(
                `route53 health check ${seededResources(config).switchCheckId} inverted=true`,
            ),
        );
        const [report] = rehearsalReports(dir());
        assert.strictEqual(report.measurements.rto!.span, "run start to traffic switched (service restored)");
        // Lag 45 s: the promoted replica holds the beats up to 02:59:15, the newest at 02:59:00.
        assert.strictEqual(report.measurements.rpo!.minutes, 1);
        assert.match(
            report.measurements.rpo!.span,
            /^newest heartbeat in the promoted replica 2026-11-25T02:59:00.000Z/,
        );
        assert.ok(
            report.measurements.notes.some((n) => /ReplicaLag at promotion was 45 s/.test(n)),
            report.measurements.notes.join("\n"),
        );
        assertNothingDeleted(world, KEEPS);
    });

    it("gives a rehearsal (--simulate) of a hot standby its read replica, kept in world.json", async () => {
        const open = () => openSimulation(dir(), config, { now: NOW, paceMsPerMinute: 0 });
        const describe = async () => {
            const simulation = open();
            return simulation.drive(simulation.ports.dr.replica.describeReplica(REPLICA));
        };
        await describe(); // seeds and saves the account
        assert.match((await describe())?.source ?? "", /:db:webank-db$/, "still a replica once reloaded");
        const simulation = open();
        await simulation.drive(simulation.ports.dr.replica.promote(REPLICA, 7));
        assert.strictEqual((await describe())?.source, undefined, "the promotion was saved too");
    });

    it("lists the hot steps on --dry-run, with the replica's lag as the projected RPO, and writes nothing", async () => {
        assert.strictEqual(await run({ "dry-run": true }), 0, text());
        assert.deepStrictEqual(world.changes, []);
        assert.deepStrictEqual(filesUnder(dir()), []);
        assert.match(text(), /preflight-replica: /);
        assert.match(
            text(),
            /promote: promote webank-db-replica to a standalone instance \(PromoteReadReplica/,
        );
        assert.doesNotMatch(text(), /preflight-restore-point|wait-database/);
        // The datapoint of 02:59 (its period's start) minus 45 s, to the run's start: 1.75 min.
        assert.match(
            text(),
            /ReplicaLag 45 s at 2026-11-25T02:59:00.000Z; projected RPO 1\.8 min \(objective 5 min\)/,
        );
        assert.match(text(), /projected RTO: \d+\.\d min for posture hot \(simulated/);
    });

    it("resumes a promotion that failed midway without promoting twice", async () => {
        world.failNext(
            "dr.replica.waitPromoted",
            new Error("the promoted replica was not available after 90 minutes"),
        );
        assert.strictEqual(await run(), 1, text());
        assert.match(text(), /step promote failed: the promoted replica was not available/);
        assert.strictEqual(promotions().length, 1, "the promotion had started");
        assert.ok(!journaledSteps(dir(), "failover").includes("promote"));
        assert.ok(!world.changes.includes("stack dr up"), "no up before the promotion is complete");
        world.lines.length = 0;
        assert.strictEqual(await run(), 0, text());
        assert.strictEqual(promotions().length, 1, "not promoted again");
        assert.match(text(), /already standalone \(promoted by an earlier attempt\): not promoted again/);
        assertNothingDeleted(world, KEEPS);
    });

    it("stops before traffic is switched when the promoted replica holds no heartbeat (an empty database)", async () => {
        // The primary's data never reached the replica: promoted, it is an empty database.
        setDatabaseData(world, "home", "webank-db", undefined);
        assert.strictEqual(await run(), 1, text());
        assert.match(text(), /step verify failed: the data in webank-db-replica .* fails verification/);
        assert.ok(!journaledSteps(dir(), "failover").includes("switch-traffic"));
        assert.ok(!world.changes.some((c) => c.startsWith("route53")), "traffic stays where it is");
    });

    it("retries a PromoteReadReplica that was refused, once the cause is gone", async () => {
        world.failNext("dr.replica.promote", new Error("ThrottlingException: Rate exceeded"));
        assert.strictEqual(await run(), 1, text());
        assert.deepStrictEqual(promotions(), []);
        assert.ok(isReadReplica(world, "dr", REPLICA));
        assert.strictEqual(await run(), 0, text());
        assert.strictEqual(promotions().length, 1);
    });

    it("keeps the preflight's assessment when resumed after the promotion, when the instance is no replica any more", async () => {
        world.failNext("stack.dr.up", new Error("the stack is currently locked by 1 lock(s)"));
        assert.strictEqual(await run(), 1, text());
        const reads = world.calls.filter((c) => c === "dr.replica.replicaLag").length;
        assert.strictEqual(await run(), 0, text());
        assert.strictEqual(world.calls.filter((c) => c === "dr.replica.replicaLag").length, reads);
        assert.strictEqual(promotions().length, 1);
    });

    it("refuses a lag above the RPO objective, changing and writing nothing, naming --accept-rpo", async () => {
        setReplicaLag(world, REPLICA, 600);
        assert.strictEqual(await run(), 2, text());
        assert.match(text(), /projected RPO is 11\.0 min .*above the database RPO objective of 5 min/);
        assert.match(text(), /run again with --accept-rpo 11 \(or more\)/);
        assertUntouched();
    });

    it("refuses an --accept-rpo that does not cover the lag", async () => {
        setReplicaLag(world, REPLICA, 600);
        assert.strictEqual(await run({ "accept-rpo": 10 }), 2, text());
        assert.match(text(), /--accept-rpo 10 does not cover it: the projected RPO is 11\.0 min/);
        assertUntouched();
    });

    it("fails over above the objective when --accept-rpo covers it, and says so in the report", async () => {
        setReplicaLag(world, REPLICA, 600);
        assert.strictEqual(await run({ "accept-rpo": 11 }), 0, text());
        assert.strictEqual(promotions().length, 1);
        const [report] = rehearsalReports(dir());
        assert.ok(
            report.measurements.notes.some((n) =>
                /accepted an RPO of up to 11 min with --accept-rpo/.test(n),
            ),
        );
        assert.strictEqual(
            report.measurements.rpo!.met,
            false,
            "an accepted RPO is still reported against the objective",
        );
    });

    it("warns when the lag at promotion projects more loss than the run started with, and reports it", async () => {
        const ports = world.ports();
        const replica = ports.dr.replica;
        const grows = {
            ...replica,
            // The preflight reads 45 s; by the promotion the replica has fallen 15 minutes behind.
            replicaLag: async (identifier: string, window: number) => {
                const lag = await replica.replicaLag(identifier, window);
                setReplicaLag(world, REPLICA, 900);
                return lag;
            },
        };
        const code = await runDefinition(
            failoverDefinition,
            { yes: true },
            { world, config, workDir: dir(), ports: { ...ports, dr: { ...ports.dr, replica: grows } } },
        );
        assert.strictEqual(code, 0, text());
        assert.match(
            text(),
            /WARNING: at promotion the projected RPO was 16 min, more than the 5 min the run started with/,
        );
        const [report] = rehearsalReports(dir());
        assert.strictEqual(report.measurements.rpo!.minutes, 15, "measured from the data: beats up to 02:45");
        assert.ok(report.measurements.notes.some((n) => /ReplicaLag at promotion was 900 s/.test(n)));
    });

    it("projects the RPO to --failure-time: a lag grown since the failure is not lost data", async () => {
        // Lag 600 s at 02:59: last replayed transaction 02:49; the primary failed at 02:52.
        setReplicaLag(world, REPLICA, 600);
        assert.strictEqual(await run({ "failure-time": "2026-11-25T02:52:00Z", "dry-run": true }), 0, text());
        assert.match(text(), /projected RPO 3\.0 min \(objective 5 min\)/);
    });

    it("refuses when the replica is missing, changing nothing and naming the warm posture", async () => {
        world.dr.instances.delete(REPLICA);
        assert.strictEqual(await run(), 2, text());
        assert.match(text(), /the replica webank-db-replica is missing in us-west-2/);
        assert.match(
            text(),
            /Nothing was changed; to fail over from backups instead, set webank:posture warm/,
        );
        assert.deepStrictEqual(world.changes, []);
        assert.deepStrictEqual(filesUnder(dir()), []);
    });

    it("refuses an instance that is not a replica of the home primary", async () => {
        // Promoted by hand before the failover: standalone, its lag meaningless.
        await world.ports().dr.replica.promote(REPLICA, 7);
        world.changes.length = 0;
        assert.strictEqual(await run(), 2, text());
        assert.match(
            text(),
            /webank-db-replica in us-west-2 is not a read replica \(it has no replica source\)/,
        );
        assert.deepStrictEqual(world.changes, []);
    });

    for (const [what, lag, shown] of [
        ["no datapoint", undefined, /no ReplicaLag datapoint in the last 10 minutes/],
        ["a negative ReplicaLag", -1, /a negative ReplicaLag \(-1: replication is not active\)/],
    ] as const) {
        it(`refuses an unknown lag (${what}), which no --accept-rpo covers`, async () => {
            setReplicaLag(world, REPLICA, lag);
            for (const values of [{}, { "accept-rpo": 600 }]) {
                world.lines.length = 0;
                assert.strictEqual(await run(values), 2, text());
                assert.match(text(), shown);
                assert.match(text(), /An unknown lag is not zero lag: .*--accept-rpo cannot cover it/);
                assertUntouched();
            }
        });
    }

    it("stops before the lock when the dr stack's own posture is not hot", async () => {
        world.stacks.get("dr")!.config["webank:posture"] = "warm";
        assert.strictEqual(await run(), 1, text());
        assert.match(text(), /the dr stack's webank:posture is warm, but this failover was planned for hot/);
        assert.ok(
            !world.changes.some((c) => c.startsWith("lock") || c.startsWith("stack")),
            world.changes.join("\n"),
        );
    });

    it("refuses --restore-time in hot, and --accept-rpo outside hot, before anything runs", async () => {
        assert.strictEqual(await run({ "restore-time": "2026-11-25T02:30:00Z" }), 2);
        assert.match(text(), /--restore-time must be latest \(or left out\) when webank:posture is hot/);
        config = DR_BASE;
        world = standardWorld(config, { now: NOW, posture: "warm" });
        assert.strictEqual(await run({ "accept-rpo": 30 }), 2);
        assert.match(text(), /--accept-rpo must be given only when webank:posture is hot \(it is pilot\)/);
        assert.deepStrictEqual(world.calls, []);
        assert.deepStrictEqual(filesUnder(dir()), []);
    });

    for (const bad of ["abc", "-5", "2.5", "", "0", 0, 1.5]) {
        it(`refuses --accept-rpo ${JSON.stringify(bad)}, naming the flag and the value`, async () => {
            assert.strictEqual(await run({ "accept-rpo": bad }), 2);
            assert.match(text(), /--accept-rpo must be a whole number of minutes, at least 1; got /);
            assert.ok(text().includes(`got ${JSON.stringify(bad)}`), text());
            assert.deepStrictEqual(world.calls, []);
        });
    }
});
