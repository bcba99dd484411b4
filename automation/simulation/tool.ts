import type { WorldCore } from "./world-core";

/** One invocation of a simulated tool. */
export interface ToolCall {
    /** The world the tool reads and changes (inside one transaction). */
    readonly world: WorldCore;
    /** The arguments, as the command port got them. */
    readonly args: readonly string[];
    /** Standard input. */
    readonly stdin?: string | Buffer;
    /** Working directory; default the process's. */
    readonly cwd?: string;
    /** Extra environment. */
    readonly env?: Readonly<Record<string, string>>;
    /** When the command started (a wait's `--timeout` counts from it). */
    readonly startedAt: Date;
    /** Now, for this look (a waiting command looks again later). */
    readonly now: Date;
}

/**
 * What a tool did: its output and exit code (0 when left out). A non-zero exit is still a
 * committed transaction: a `git push` that updates some refs and rejects others changed the
 * remote. `until` asks to look again at that time (a `kubectl wait` whose condition is not met yet).
 */
export type ToolResult =
    | { readonly stdout: string; readonly stderr?: string; readonly exitCode?: number }
    | { readonly until: Date };

/** A simulated external tool: one synchronous look at the world. */
export type Tool = (call: ToolCall) => ToolResult;

/** A tool exits non-zero having changed nothing. */
export class ToolFailure extends Error {
    constructor(
        /** The exit code. */
        public readonly exitCode: number,
        /** What it printed on stderr. */
        public readonly stderr: string,
    ) {
        super(stderr.trim());
        this.name = "ToolFailure";
    }
}

/**
 * Parsed command-line flags of the kubectl/helm style: `--name value`, `--name=value`,
 * `-n value`; `boolean` names take no value. The rest are positional arguments, in order.
 */
export function parseFlags(
    args: readonly string[],
    options: {
        readonly boolean?: readonly string[];
        readonly aliases?: Readonly<Record<string, string>>;
    } = {},
): { flags: Record<string, string>; positional: string[] } {
    const flags: Record<string, string> = {};
    const positional: string[] = [];
    for (let i = 0; i < args.length; i += 1) {
        const arg = args[i];
        if (!arg.startsWith("-") || arg === "-") {
            positional.push(arg);
            continue;
        }
        const [rawName, inline] = arg.includes("=")
            ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
            : [arg, undefined];
        const name = options.aliases?.[rawName] ?? rawName.replace(/^--?/, "");
        if (inline !== undefined) {
            flags[name] = inline;
        } else if (options.boolean?.includes(name)) {
            flags[name] = "true";
        } else {
            flags[name] = args[i + 1] ?? "";
            i += 1;
        }
    }
    return { flags, positional };
}
