import {
    AnyCommandDefinition,
    CommandContext,
    OptionSpec,
    OptionValues,
    ParseContext,
} from "../../../automation/commands/definition";
import { CliIo } from "../../../automation/cli/main";
import { makeTempDir } from "../../support/temp-dir";

/* Fake command definitions and captured io, for testing the CLI without any real command. */

/** What a fake command saw: each parse's values and context, each run's request and context. */
export interface FakeCalls {
    readonly parsed: { values: OptionValues; context: ParseContext }[];
    readonly ran: { request: unknown; context: CommandContext }[];
}

/** Options of the fake `fake` command: one of every kind of flag. */
export const FAKE_OPTIONS: Readonly<Record<string, OptionSpec>> = {
    "dry-run": { type: "boolean", describe: "plan only" },
    yes: { type: "boolean", describe: "do not ask" },
    journal: { type: "string", describe: "journal file" },
    "restore-time": { type: "string", describe: '"latest" or an instant', defaultValue: "latest" },
    format: { type: "string", describe: "text or json", choices: ["text", "json"], defaultValue: "text" },
    revision: { type: "integer", describe: "revision to roll back to" },
};

/** A fake command at `path`; `parse` and `run` default to echoing the values and exiting 0. */
export function fakeCommand(
    commandPath: readonly string[],
    calls: FakeCalls,
    overrides: {
        options?: Readonly<Record<string, OptionSpec>>;
        parse?: (values: OptionValues, context: ParseContext) => unknown;
        run?: (request: unknown, context: CommandContext) => Promise<number>;
    } = {},
): AnyCommandDefinition {
    return {
        path: commandPath,
        summary: `the fake ${commandPath.join(" ")} command`,
        options: overrides.options ?? FAKE_OPTIONS,
        parse(values, context) {
            calls.parsed.push({ values, context });
            return overrides.parse === undefined ? { values } : overrides.parse(values, context);
        },
        async run(request, context) {
            calls.ran.push({ request, context });
            return overrides.run === undefined ? 0 : overrides.run(request, context);
        },
    };
}

/** A registry of fakes: `fake`, `group one`, `group two`, and `needs` (which has a required flag). */
export function fakeRegistry(calls: FakeCalls): AnyCommandDefinition[] {
    return [
        fakeCommand(["fake"], calls),
        fakeCommand(["group", "one"], calls),
        fakeCommand(["group", "two"], calls),
        fakeCommand(["needs"], calls, {
            options: { release: { type: "string", describe: "release name", required: true } },
        }),
    ];
}

/** Empty call records. */
export function noCalls(): FakeCalls {
    return { parsed: [], ran: [] };
}

/** Captured stdout and stderr, and io options that write to them. */
export interface CapturedIo {
    readonly io: CliIo;
    stdout(): string;
    stderr(): string;
}

/** io options writing to memory, with a fresh empty work directory and no terminal. */
export function captureIo(extra: CliIo = {}): CapturedIo {
    let out = "";
    let err = "";
    const io: CliIo = {
        stdout: { write: (text: string) => (out += text) },
        stderr: { write: (text: string) => (err += text) },
        workDir: makeTempDir("webank-dr-cli-"),
        env: {},
        isTTY: false,
        ...extra,
    };
    return { io, stdout: () => out, stderr: () => err };
}
