import * as assert from "assert";
import { StackConfig } from "../../../config/stack-config";
import { failbackDefinition } from "../../../automation/commands/failback/definition";
import { failoverDefinition } from "../../../automation/commands/failover/definition";
import { reprotectDefinition } from "../../../automation/commands/reprotect/definition";
import { statusDefinition } from "../../../automation/commands/status/definition";
import type { AnyCommandDefinition } from "../../../automation/commands/definition";
import { VirtualClock } from "../../../automation/simulation/clock";
import { standardWorld } from "../../../automation/simulation/standard-world";
import { SimulatedWorld } from "../../../automation/simulation/world";
import { runDefinition } from "../../support/commands";
import { DR_WITH_DNS } from "../../support/dr-config";
import { assertNothingDeleted } from "../../support/nothing-deleted";
import { useTempDir } from "../../support/temp-dir";

const NOW = new Date("2026-11-25T03:00:00Z");
/** The hot posture's DR database: the read replica the failover promoted (lib/naming.ts). */
const DR_REPLICA = "webank-db-replica";
/** Its name once the failback retires it: the identifier and the minute the failback started. */
const RETIRED_DR = "webank-db-replica-retired-202611250320";

/** In hot, the failback must leave the DR database a read replica of the home one again. */
describe("automation/commands/failback in the hot posture (simulated account)", () => {
    const dir = useTempDir("failback-hot-");
    const config: StackConfig = {
        ...DR_WITH_DNS,
        dr: { ...DR_WITH_DNS.dr, posture: "hot" },
        objectives: {
            ...DR_WITH_DNS.objectives,
            database: { ...DR_WITH_DNS.objectives.database, rpoMinutes: 5 },
        },
    };
    let world: SimulatedWorld;
    let clock: VirtualClock;
    beforeEach(() => {
        clock = new VirtualClock(NOW);
        world = standardWorld(config, {
            now: NOW,
            posture: "hot",
            clock: () => clock.now(),
            sleep: (ms) => clock.sleep(ms),
            every: (ms, tick) => clock.every(ms, tick),
        });
    });
    const text = () => world.lines.join("\n");
    const run = (definition: AnyCommandDefinition) =>
        clock.drive(runDefinition(definition, { yes: true }, { world, config, workDir: dir() }));

    it("fails back from the promoted replica; dr gets a new read replica of the home database; a failover works again", async () => {
        assert.strictEqual(await run(failoverDefinition), 0, text());
        assert.match(text(), /come home .*: npm run dr -- reprotect .*, then npm run dr -- failback/);
        const promotedArn = world.dr.instances.get(DR_REPLICA)!.arn;
        assert.strictEqual(await run(reprotectDefinition), 0, text());
        await clock.drive(clock.sleep(20 * 60_000));
        world.lines.length = 0;
        assert.strictEqual(await run(failbackDefinition), 0, text());
        assert.match(text(), /achieved RPO: 0 min/);
        // The promoted replica that took the writes is kept under its retired name.
        assert.strictEqual(
            world.dr.instances.get(RETIRED_DR)?.arn?.replace(RETIRED_DR, DR_REPLICA),
            promotedArn,
        );
        // dr's up made the hot replica again, of the home database the promoted one became.
        const replica = await world.ports().dr.replica.describeReplica(DR_REPLICA);
        assert.strictEqual(replica?.source, world.home.instances.get("webank-db")!.arn);
        assert.strictEqual(world.stacks.get("dr")!.config["webank:activated"], "false");
        assert.strictEqual(await world.ports().lock.holder(), undefined);
        assertNothingDeleted(world);
        world.lines.length = 0;
        assert.strictEqual(await run(statusDefinition), 0, text());
        assert.strictEqual(await run(failoverDefinition), 0, text());
    });
});
