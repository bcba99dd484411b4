import * as assert from "assert";
import { commandName, commandsUnder, commandTree } from "../../../automation/cli/command-tree";
import { COMMANDS } from "../../../automation/cli/registry";
import { fakeCommand, fakeRegistry, noCalls } from "./fakes";

describe("automation/cli/command-tree: the command words", () => {
    it("groups commands by their words, in registry order", () => {
        const root = commandTree(fakeRegistry(noCalls()));
        assert.deepStrictEqual([...root.children.keys()], ["fake", "group", "needs"]);
        const group = root.children.get("group");
        assert.ok(group !== undefined && group.definition === undefined);
        assert.deepStrictEqual(
            commandsUnder(group).map((d) => commandName(d.path)),
            ["group one", "group two"],
        );
        assert.strictEqual(commandsUnder(root).length, 4);
    });

    it("refuses a registry the CLI could not parse unambiguously, listing every mistake", () => {
        const calls = noCalls();
        const bad = [
            fakeCommand(["fake"], calls),
            fakeCommand(["fake"], calls),
            fakeCommand(["Bad"], calls),
            fakeCommand([], calls),
            fakeCommand(["odd"], calls, {
                options: {
                    dryRun: { type: "boolean", describe: "" },
                    simulate: { type: "boolean", describe: "" },
                    level: { type: "integer", describe: "", choices: ["1"] },
                    format: { type: "string", describe: "", choices: ["text"], defaultValue: "json" },
                },
            }),
        ];
        assert.throws(
            () => commandTree(bad),
            (error: Error) => {
                for (const mistake of [
                    'command "fake" is registered twice',
                    'word "Bad"',
                    "a command has an empty path",
                    'flag "dryRun" must be lowercase kebab-case',
                    'flag "--simulate" belongs to the CLI',
                    'flag "--level" has choices but is not a string',
                    'default of "--format" is not one of its choices',
                ]) {
                    assert.ok(error.message.includes(mistake), `${mistake} missing from:\n${error.message}`);
                }
                return true;
            },
        );
    });

    it("accepts the real registry", () => {
        assert.doesNotThrow(() => commandTree(COMMANDS));
    });
});
