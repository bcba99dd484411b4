import * as fs from "fs";
import * as path from "path";
import type { StackConfig } from "../../config/stack-config";
import type { CommandDefinition, OptionValues } from "../../automation/commands/definition";
import type { RecoveryPorts } from "../../automation/ports";
import { VirtualClock } from "../../automation/simulation/clock";
import { standardWorld } from "../../automation/simulation/standard-world";
import type { SimulatedWorld } from "../../automation/simulation/world";
import { PROJECT_ROOT } from "../../config/stack-files";
import { CliVerdict, parseAllWithAwsCli, withLocalFiles } from "./aws-cli";
import { commandsInText } from "./aws-commands";
import { filesUnder, RunOptions, runDefinition } from "./commands";
import { withTempDir } from "./temp-dir";

/**
 * What the recovery CLI prints while it runs (progress lines, the hints of failing steps,
 * the Markdown and JSON reports it writes) captured from rehearsals against the simulated
 * account, and the `aws ...` commands in it. The runtime counterpart of aws-commands.ts:
 * there the commands are read from the source, with placeholders where values go; here
 * they are read as the operator sees them, values filled in by the run.
 */

/** The clock every rehearsal starts at (the standard world's seeded ages count back from it). */
export const REHEARSAL_NOW = new Date("2026-11-25T03:00:00Z");

/** Long enough to outlast every wait of every command (the longest is hours): a wait that times out. */
const FOREVER_MS = 100 * 24 * 60 * 60_000;

/** One run of a command in a rehearsal, and the fault it meets. */
export interface RuntimeRun {
    /** What the run is, for messages: the command and its fault. */
    readonly name: string;
    /** Runs it (see {@link command}). */
    readonly start: (options: RunOptions) => Promise<number>;
    /** The exit code it must end with: proof that the fault was met, so its hint was printed. */
    readonly exitCode: number;
    /** Background operations (`backup.job`, `codebuild.mirror`) that outlast every wait during this run. */
    readonly slow?: readonly string[];
    /** Sets the fault up in the account before the run. */
    readonly prepare?: (world: SimulatedWorld) => void;
    /** Ports to run with instead of the world's (a fault no data can cause). */
    readonly ports?: (ports: RecoveryPorts) => RecoveryPorts;
}

/** A command as the CLI runs it once its flags are parsed: `--yes` (no terminal), the values (or the world's). */
export function command<R>(
    definition: CommandDefinition<R>,
    values: OptionValues | ((world: SimulatedWorld) => OptionValues) = {},
): RuntimeRun["start"] {
    return (options) =>
        runDefinition(
            definition,
            { yes: true, ...(typeof values === "function" ? values(options.world) : values) },
            options,
        );
}

/** One text a run showed: its output, or a report it wrote. */
export interface PrintedText {
    /** `output`, or the report's path under the work directory. */
    readonly source: string;
    /** The text as written: each line of the output (one may be a whole JSON document), or the report's whole text. */
    readonly entries: readonly string[];
}

/** What one run showed. */
export interface Capture {
    /** The run's name. */
    readonly run: string;
    /** How it exited. */
    readonly exitCode: number;
    /** Its output and the reports it wrote. */
    readonly texts: readonly PrintedText[];
    /** The argv of each `aws` command it ran itself (through the command port), after `aws`. */
    readonly executed: readonly (readonly string[])[];
}

/** The ports with every `aws` command line the commands run recorded in `into`. */
function recordingAws(ports: RecoveryPorts, into: string[][]): RecoveryPorts {
    return {
        ...ports,
        commands: {
            run: (name, args, options) => {
                if (name === "aws") {
                    into.push([...args]);
                }
                return ports.commands.run(name, args, options);
            },
        },
    };
}

/**
 * Runs `runs` one after another against one simulated account on a virtual clock (so a
 * wait that times out ends at once), in one work directory: each run sees what the ones
 * before it left, as an operator's session would. Returns what each showed.
 */
export async function rehearse(config: StackConfig, runs: readonly RuntimeRun[]): Promise<Capture[]> {
    const clock = new VirtualClock(REHEARSAL_NOW);
    let slow = new Set<string>();
    const world = standardWorld(config, {
        now: REHEARSAL_NOW,
        clock: () => clock.now(),
        durations: (operation) => (slow.has(operation.replace(/^background\./, "")) ? FOREVER_MS : 0),
        sleep: (ms) => clock.sleep(ms),
        every: (ms, tick) => clock.every(ms, tick),
    });
    return withTempDir("webank-runtime-aws-", async (workDir) => {
        const captures: Capture[] = [];
        for (const run of runs) {
            slow = new Set(run.slow ?? []);
            run.prepare?.(world);
            const before = new Set(filesUnder(workDir));
            const printedFrom = world.lines.length;
            const executed: string[][] = [];
            const ports = recordingAws((run.ports ?? ((p) => p))(world.ports()), executed);
            const exitCode = await clock.drive(run.start({ world, config, workDir, ports }));
            // The reports a run writes (Markdown and JSON; the checksums hold no text).
            const reports = filesUnder(workDir)
                .filter((f) => !before.has(f) && f.startsWith(`reports${path.sep}`) && /\.(md|json)$/.test(f))
                .map((f) => ({ source: f, entries: [fs.readFileSync(path.join(workDir, f), "utf8")] }));
            const output = { source: "output", entries: world.lines.slice(printedFrom) };
            captures.push({ run: run.name, exitCode, texts: [output, ...reports], executed });
        }
        return captures;
    });
}

/** Every string in a JSON document, depth first. */
function stringsOf(value: unknown): string[] {
    if (typeof value === "string") {
        return [value];
    }
    if (Array.isArray(value)) {
        return value.flatMap(stringsOf);
    }
    if (value !== null && typeof value === "object") {
        return Object.values(value).flatMap(stringsOf);
    }
    return [];
}

/** The document `text` is, when it is JSON (status --format json, a report); else undefined. */
function jsonOf(text: string): unknown {
    if (!/^\s*[[{]/.test(text)) {
        return undefined;
    }
    try {
        return JSON.parse(text) as unknown;
    } catch {
        return undefined;
    }
}

/**
 * The lines of printed text as an operator reads them: the strings of an entry that is a
 * JSON document (`status --format json`, a JSON report), whose quoting would hide a command
 * from the prose reader (`"check": "aws ..."`), and each line of any other entry.
 */
export function printedLines(entries: readonly string[]): string[] {
    return entries.flatMap((entry) => {
        const doc = jsonOf(entry);
        return (doc === undefined ? [entry] : stringsOf(doc)).flatMap((s) => s.split("\n"));
    });
}

/** One `aws` command a run showed. */
export interface PrintedCommand {
    /** The run that showed it. */
    readonly run: string;
    /** Where: `output`, a report's path, or `run by the CLI` for one it ran itself. */
    readonly source: string;
    /** Its line in that text (1-based), or its place among the commands run. */
    readonly line: number;
    /** As shown. */
    readonly written: string;
    /** The words after `aws`. */
    readonly args: readonly string[];
}

/**
 * An `aws` command anywhere in a line: after any word, not only where the collector's prose
 * reader starts one (after `:`, `;`, `(`). Printed text has no code spans to tell commands
 * from prose, and it shows them after words ("check the restored one is replicated with aws
 * rds ...") and as numbered steps ("  1. aws rds ..."). Not inside a word, an ARN (`arn:aws:`)
 * or a path, and only before a lower-case word: a service, not prose ("aws CLI").
 */
const ANY_AWS = /(?<![\w./:-])aws\s+[a-z0-9]/g;

/** The line from each `aws` in it on: the collector reads each as a string that starts with the command. */
function tailsOf(line: string): string[] {
    return [...line.matchAll(ANY_AWS)].map((m) => line.slice(m.index));
}

/** Where the commands the CLI runs itself are said to come from. */
export const EXECUTED = "run by the CLI";

/**
 * The `aws` commands in what the runs showed, read by the static collector's own rules
 * (aws-commands.ts `commandsInText`, as prose) so both checks find commands alike: in a
 * sentence after `:`, `;` or `(`, inside backticks, joined by `&&`, ending at a comma; and,
 * for printed text only, from each `aws` on ({@link ANY_AWS}), where the prose reader would
 * not start. Placeholders a run prints as such (`<cluster region>`) get the collector's
 * plausible values. The commands the CLI runs itself are exact argv, taken as they are.
 */
export function printedCommands(captures: readonly Capture[]): PrintedCommand[] {
    const texts = captures.flatMap((c) => c.texts.map((t) => ({ run: c.run, ...t })));
    const seen = new Set<string>();
    const printed = texts.flatMap((t, i) =>
        printedLines(t.entries).flatMap((line, j) =>
            [line, ...tailsOf(line)].flatMap((text) =>
                commandsInText(String(i), text, j + 1, true).flatMap((found) => {
                    // A tail that starts where the prose reader starts too finds the same command twice.
                    const key = JSON.stringify([i, j, found.args]);
                    if (seen.has(key)) {
                        return [];
                    }
                    seen.add(key);
                    return [
                        {
                            run: t.run,
                            source: t.source,
                            line: j + 1,
                            written: found.written,
                            args: found.args,
                        },
                    ];
                }),
            ),
        ),
    );
    const executed = captures.flatMap((c) =>
        c.executed.map((args, i) => ({
            run: c.run,
            source: EXECUTED,
            line: i + 1,
            written: ["aws", ...args].join(" "),
            args,
        })),
    );
    return [...printed, ...executed];
}

/** One distinct command line, what the AWS CLI made of it, and every place a run showed it. */
export interface Judged {
    /** The CLI's verdict. */
    readonly verdict: CliVerdict;
    /** Where it was shown: each run and place. */
    readonly places: readonly PrintedCommand[];
}

/**
 * Runs each distinct command line once through the static test's batch (aws-cli.ts
 * `parseAllWithAwsCli`, `pool` at a time), local paths pointed at files that exist, so a
 * rejection means what it means there: an unknown option, an invalid choice, a missing argument.
 */
export async function judge(
    commands: readonly PrintedCommand[],
    scratch: string,
    pool: number,
): Promise<Judged[]> {
    const byArgs = new Map<string, PrintedCommand[]>();
    for (const c of commands) {
        const key = JSON.stringify(withLocalFiles(c.args, scratch, PROJECT_ROOT));
        byArgs.set(key, [...(byArgs.get(key) ?? []), c]);
    }
    const keys = [...byArgs.keys()];
    const verdicts = await parseAllWithAwsCli(
        keys.map((key) => JSON.parse(key) as string[]),
        scratch,
        pool,
    );
    return keys.map((key, i) => ({ verdict: verdicts[i], places: byArgs.get(key)! }));
}

/** The rejected ones, one line each: the command as shown, the CLI's reason, and every run and place that showed it. */
export function failuresOf(judged: readonly Judged[]): string[] {
    return judged
        .filter((j) => j.verdict.verdict === "rejected")
        .map(({ verdict, places }) => {
            const at = places.map((p) => `${p.run} (${p.source}:${p.line})`).join("; ");
            return `\`${places[0].written}\` is rejected by the AWS CLI (exit ${verdict.exitCode}): ${verdict.reason}; printed by: ${at}`;
        });
}
