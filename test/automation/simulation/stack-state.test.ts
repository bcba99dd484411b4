import * as assert from "assert";
import { standardWorld } from "../../../automation/simulation/standard-world";
import type { SimulatedWorld } from "../../../automation/simulation/world";
import { primaryDatabaseUrns } from "../../../lib/stack-urns";
import { DR_WITH_DNS } from "../../support/dr-config";

/**
 * The simulated engine's database state (automation/simulation/stack-state.ts): an up refuses
 * what the real engine and provider would, so a failback that skipped its state edit fails in
 * the simulation as it would in AWS.
 */
describe("automation/simulation/stack-state: the databases in a simulated stack's state", () => {
    const NOW = new Date("2026-11-25T03:00:00Z");
    let world: SimulatedWorld;
    beforeEach(() => {
        world = standardWorld(DR_WITH_DNS, { now: NOW, clock: () => NOW });
        // From here, as a machine that reaches the primary cluster: no deploy runner in between.
        world.stacks.get("primary")!.config["webank:kubernetesAccess"] = "direct";
    });
    const primary = () => world.ports().workspace.selectStack("primary");
    const quiet = { onOutput: () => undefined };
    /** The primary state's entry of its DB instance. */
    const instanceEntry = async () => {
        const exported = JSON.parse(await (await primary()).exportState()) as {
            deployment: { resources: { urn: string; id?: string; protect?: boolean }[] };
        };
        return exported.deployment.resources.find(
            (r) => r.urn === primaryDatabaseUrns("webank", "webank").instance,
        );
    };

    it("records the instance by its DbiResourceId (db- and 26 uppercase letters and digits), protected, and keeps it across ups", async () => {
        await (await primary()).up(quiet);
        const first = await instanceEntry();
        assert.match(first?.id ?? "", /^db-[0-9A-Z]{26}$/);
        assert.strictEqual(first?.protect, true);
        await (await primary()).up(quiet);
        assert.strictEqual((await instanceEntry())?.id, first?.id);
    });

    it("refuses an up whose state names an instance that now has another name, as the provider would", async () => {
        await (await primary()).up(quiet);
        const id = (await instanceEntry())?.id;
        await world.ports().home.database.renameInstance("webank-db", "webank-db-old");
        world.home.instances.set("webank-db", {
            ...world.home.instances.get("webank-db-old")!,
            identifier: "webank-db",
            resourceId: undefined,
        } as never);
        await assert.rejects((await primary()).up(quiet), (error: Error) => {
            assert.match(error.message, /DBInstanceAlreadyExists/);
            assert.ok(error.message.includes(id!), error.message);
            return true;
        });
    });

    it("refuses an up that would drop a protected database from the state", async () => {
        await (await primary()).up(quiet);
        const stack = world.stacks.get("primary")!;
        const urn = "urn:pulumi:primary::webank::webank:database:ReplicaDatabase::webank-db-home-9";
        const state = JSON.parse(stack.deployment) as { deployment: { resources: object[] } };
        state.deployment.resources.push({
            urn,
            type: "webank:database:ReplicaDatabase",
            custom: false,
            protect: true,
        });
        stack.deployment = JSON.stringify(state);
        await assert.rejects(
            (await primary()).up(quiet),
            /unable to delete resource .*webank-db-home-9.* marked for protection/,
        );
    });
});
