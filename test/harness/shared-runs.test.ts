import * as assert from "assert";
import { runStack } from "../support/offline";
import { projectCopy, removeProjectCopies } from "../config/project-copy";

/*
 * test/support/offline.ts shares a stack configuration's run between the tests of a process:
 * the same inputs give the same (frozen) run, other inputs or a project copy a run of their own.
 */
describe("test/support/offline: runStack shares each configuration's run", function () {
    this.timeout(120_000);
    after(removeProjectCopies);

    it("gives the same run for the same inputs, and another for other overrides", async () => {
        const first = await runStack("primary", { "webank:prefix": "bank" });
        assert.strictEqual(await runStack("primary", { "webank:prefix": "bank" }), first);
        const other = await runStack("primary", { "webank:prefix": "bankb" });
        assert.notStrictEqual(other, first);
        assert.ok(other.resources.some((r) => r.name.startsWith("bankb")));
        assert.ok(!first.resources.some((r) => r.name.startsWith("bankb")));
    });

    it("freezes a shared run deeply, so no test can change what the next one reads", async () => {
        const run = await runStack("primary", { "webank:prefix": "bank" });
        assert.throws(() => (run.resources as unknown[]).push({}), TypeError);
        assert.throws(() => {
            run.resources[0].inputs.tampered = true;
        }, TypeError);
    });

    it("runs a project copy afresh each time: its files may have changed", async () => {
        const root = projectCopy();
        const first = await runStack("primary", {}, {}, [], root);
        assert.notStrictEqual(await runStack("primary", {}, {}, [], root), first);
    });
});
