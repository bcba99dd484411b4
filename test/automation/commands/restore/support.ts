import * as assert from "assert";
import type { StackConfig } from "../../../../config/stack-config";
import type { CommandDefinition, OptionValues } from "../../../../automation/commands/definition";
import { drStackConfig } from "../../../../automation/commands/dr-config";
import type { RecoveryPorts } from "../../../../automation/ports";
import type { JournalDocument } from "../../../../automation/run/journal";
import type { RecoveryReport } from "../../../../automation/run/report";
import { standardWorld } from "../../../../automation/simulation/standard-world";
import type { SimulatedWorld } from "../../../../automation/simulation/world";
import { filesUnder, runDefinition } from "../../../support/commands";
import * as journals from "../../../support/journals";
import { makeTempDir, removeTempDir } from "../../../support/temp-dir";

/** Now in every restore test: the seeded backups' ages count back from it. */
export const NOW = new Date("2026-11-25T03:00:00Z");

/** The dr stack's config, as the CLI reads it. */
export const CONFIG: StackConfig = drStackConfig();

/** One test's simulated account and work directory; `clock` moves the account's time. */
export interface Harness {
    /** Where journals and reports go. */
    readonly dir: string;
    /** The simulated account. */
    readonly world: SimulatedWorld;
    /** The config the command parses and runs with. */
    readonly config: StackConfig;
    /** The account's clock (the parser's now too). */
    clock: Date;
}

/** A fresh account at {@link NOW} and an empty work directory; remove it with {@link dispose}. */
export function harness(prefix: string, config: StackConfig = CONFIG): Harness {
    const box: { clock: Date } = { clock: NOW };
    const world = standardWorld(config, { now: NOW, clock: () => box.clock });
    return Object.assign(box, { dir: makeTempDir(prefix), world, config });
}

/** Removes the work directory. */
export function dispose(h: Harness): void {
    removeTempDir(h.dir);
}

/**
 * Runs `definition` as the CLI does, with `--yes` unless the operator is asked (`confirm`),
 * through `ports` when given (a test that puts a real peer in place of one port).
 */
export function runWith<R>(
    h: Harness,
    definition: CommandDefinition<R>,
    values: OptionValues,
    confirm?: (question: string) => Promise<boolean>,
    ports?: RecoveryPorts,
): Promise<number> {
    return runDefinition(
        definition,
        { ...(confirm === undefined ? { yes: true } : {}), ...values },
        { world: h.world, config: h.config, workDir: h.dir, confirm, ...(ports ? { ports } : {}) },
    );
}

/** Everything the command printed. */
export function text(h: Harness): string {
    return h.world.lines.join("\n");
}

/** The rehearsal journal of `operation` (an unfinished run's). */
export function journalFile(h: Harness, operation: string): string {
    return journals.journalFile(h.dir, operation);
}

/** The unfinished run's journal, or undefined when there is none. */
export function currentJournal(h: Harness, operation: string): JournalDocument | undefined {
    return journals.currentJournal(h.dir, operation);
}

/** The archived (finished or set aside) journals of `operation`, oldest first. */
export function archived(h: Harness, operation: string): JournalDocument[] {
    return journals.archivedJournals(h.dir, operation);
}

/** The journal of the latest run: the unfinished one, else the last archived. */
export function latestJournal(h: Harness, operation: string): JournalDocument {
    return journals.latestJournal(h.dir, operation);
}

/** The completed steps of the latest run, in completion order. */
export function journaled(h: Harness, operation: string): string[] {
    return journals.journaledSteps(h.dir, operation);
}

/** The reports written, oldest first. */
export function reports(h: Harness): RecoveryReport[] {
    return journals.rehearsalReports(h.dir);
}

/** The changes made to the account, the reports' own copies in the DR artifact replica left out. */
export function changes(h: Harness): string[] {
    return h.world.changes.filter((c) => !c.includes("/recovery-reports/"));
}

/** A refused run: exit 2, the message printed, nothing written and nothing changed. */
export async function assertRefused(
    h: Harness,
    run: () => Promise<number>,
    message: RegExp | string,
): Promise<void> {
    h.world.lines.length = 0;
    assert.strictEqual(await run(), 2, text(h));
    if (typeof message === "string") {
        assert.ok(text(h).includes(message), `${message}\nnot in:\n${text(h)}`);
    } else {
        assert.match(text(h), message);
    }
    assert.deepStrictEqual(filesUnder(h.dir), [], "a refused run writes nothing");
    assert.deepStrictEqual(h.world.changes, [], "a refused run changes nothing");
}
