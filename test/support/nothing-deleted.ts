import * as assert from "assert";
import type { SimulatedWorld } from "../../automation/simulation/world";

/**
 * The verbs of calls and changes that throw something away. One list for the SDK's command
 * names and the simulated account's changes, so "deleted" means the same in both.
 */
const DISCARDING_VERBS = ["delete", "remove", "purge", "destroy", "terminate", "deregister"] as const;

/** An SDK command name that discards: `DeleteObjectsCommand`, `RemoveTagsFromResourceCommand`… */
const DISCARDING_COMMAND = new RegExp(
    `^(${DISCARDING_VERBS.map((verb) => verb[0].toUpperCase() + verb.slice(1)).join("|")})`,
);

/** A simulated change or tool command line that discards; anywhere in the line, in any case. */
const DISCARDING_WORD = new RegExp(DISCARDING_VERBS.join("|"), "i");

/** Tool flags and verbs that overwrite or throw away what a cluster or a repository holds. */
const DESTRUCTIVE_TOOL = /--prune|--force|--cleanup-on-fail|uninstall/;

/** What aws-sdk-client-mock's stub of a client records: one entry a `send`, the command first. */
export interface RecordedCalls {
    calls(): readonly { readonly args: readonly unknown[] }[];
}

/**
 * Asserts an SDK client mock was sent no command that discards anything (Delete…, Remove…,
 * Purge…, Destroy…, Terminate…, Deregister…): the adapters read, create and copy, never
 * delete. Meant for an afterEach, so every test of an adapter checks it.
 */
export function assertNoDeletingCommand(mock: RecordedCalls): void {
    const sent = mock.calls().map((call) => (call.args[0] as object).constructor.name);
    assert.deepStrictEqual(
        sent.filter((name) => DISCARDING_COMMAND.test(name)),
        [],
    );
}

/** What else {@link assertNothingDeleted} refuses. */
export interface NothingDeletedOptions {
    /**
     * Changes that count as destructive for this command too, e.g. `/rename|import/` for one
     * that must never move an instance aside or overwrite a stack's state.
     */
    readonly alsoForbidden?: RegExp;
}

/**
 * Asserts a command left the simulated account's data where it was: no change that discards
 * (delete, remove, destroy…, or `alsoForbidden`), no tool run with a discarding verb or a
 * destructive flag (`--prune`, `--force`, `--cleanup-on-fail`, `uninstall`), and no git push
 * that could overwrite the remote's refs (`--mirror`, a `+` refspec).
 */
export function assertNothingDeleted(world: SimulatedWorld, options: NothingDeletedOptions = {}): void {
    const { alsoForbidden } = options;
    assert.deepStrictEqual(
        world.changes.filter((c) => DISCARDING_WORD.test(c) || (alsoForbidden?.test(c) ?? false)),
        [],
    );
    const run = world.commandsRun;
    assert.ok(!run.some((c) => DESTRUCTIVE_TOOL.test(c) || DISCARDING_WORD.test(c)), run.join("\n"));
    const pushes = run.filter((c) => c.startsWith("git push"));
    assert.ok(!pushes.some((c) => /--mirror| \+/.test(c)), pushes.join("\n"));
}
