import type { StackConfig } from "../../config/stack-config";
import type { RecoveryPorts } from "../ports";

/*
 * What a command of `npm run dr` is, as the CLI sees it: a path, its options, a pure parser
 * that turns flag values into the command's request (refusing bad input before anything is
 * built or written), and a run. The CLI (automation/cli/) knows nothing else of a command.
 */

/** How a flag's value is read. `boolean` flags take no value; `integer` ones a whole number. */
export type OptionType = "string" | "boolean" | "integer";

/** One flag of a command, as `--help` shows it and the CLI checks it. */
export interface OptionSpec {
    /** How its value is read. */
    readonly type: OptionType;
    /** One line for `--help`. */
    readonly describe: string;
    /** The only values accepted, when the set is closed. Checked by the CLI. */
    readonly choices?: readonly string[];
    /** The default shown in `--help`; the command's parser applies it. @default none */
    readonly defaultValue?: string | number | boolean;
    /** True when the command cannot run without it. Checked by the CLI. @default false */
    readonly required?: boolean;
}

/** The values the CLI parsed, by flag name without dashes (`dry-run`); absent flags are undefined. */
export type OptionValues = Readonly<Record<string, string | number | boolean | undefined>>;

/** What a parser may read: the config and the clock, nothing that changes anything. */
export interface ParseContext {
    /** The dr stack's validated config. */
    readonly config: StackConfig;
    /** Now (the simulated account's clock under `--simulate`). */
    readonly now: Date;
    /** True under `--simulate`. */
    readonly simulated: boolean;
}

/** Something that tells a run the operator wants it to stop (SIGINT, SIGTERM). */
export interface InterruptSource {
    /** Calls `listener` with the signal's name on each interrupt until the returned function is called. */
    onInterrupt(listener: (signal: string) => void): () => void;
}

/** What a running command reaches the world through. */
export interface CommandContext {
    /** The dr stack's validated config. */
    readonly config: StackConfig;
    /** The ports: real adapters, or the simulated account under `--simulate`. */
    readonly ports: RecoveryPorts;
    /** True under `--simulate`. */
    readonly simulated: boolean;
    /** Where `.journal/` and `reports/` live (the repository root, or `WEBANK_DR_WORK_DIR`). */
    readonly workDir: string;
    /** Asks the operator a yes/no question on the terminal; undefined when there is none. */
    readonly confirm?: (question: string) => Promise<boolean>;
    /** Interrupts (signals) of the process. */
    readonly interrupts: InterruptSource;
}

/** One command of `npm run dr`. */
export interface CommandDefinition<Request = unknown> {
    /** The words that name it, e.g. `["restore", "db"]`. */
    readonly path: readonly string[];
    /** One line for `--help`. */
    readonly summary: string;
    /** Its flags, by name without dashes, kebab-case (`restore-time`). `--simulate` and `--help` are the CLI's. */
    readonly options: Readonly<Record<string, OptionSpec>>;
    /**
     * Turns the parsed values into the request, or throws a {@link UsageError} naming every bad
     * flag and value (a contradiction too). Pure: reads the context only, writes nothing.
     */
    parse(values: OptionValues, context: ParseContext): Request;
    /**
     * False for a command that reaches neither AWS nor the simulated account (`simulate
     * reset`, which must work even when the simulated account is damaged): the CLI then
     * builds no ports, and the context's ports offer only `output` and `now`. @default true
     */
    readonly needsPorts?: boolean;
    /** Runs the request; resolves to the exit code (0 done, 1 failed and resumable, 2 refused). */
    run(request: Request, context: CommandContext): Promise<number>;
}

/** A command definition of any request type, as the CLI lists them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCommandDefinition = CommandDefinition<any>;
