import { runAsMain } from "../../lib/run-as-main";
import { AnyCommandDefinition } from "../commands/definition";
import { EXIT } from "../run/refusal";
import { commandName, commandTree } from "./command-tree";
import { helpText, SCRIPT_NAME } from "./help";
import { parseCommandLine } from "./parse-argv";
import { COMMANDS } from "./registry";
import { printRefusal, runCommand } from "./run-command";
import { SignalSource, TextSink } from "./terminal";

/*
 * `npm run dr -- <command>`: parse strictly, then hand the command its checked values. The
 * CLI holds no command logic; commands are the definitions in registry.ts. Only this file's
 * static imports load with `--help`: everything heavy is imported when a command runs.
 */

/** Where `main` reads and writes, and what it runs; every field has the process's default. */
export interface CliIo {
    /** Results and progress. @default process.stdout */
    readonly stdout?: TextSink;
    /** Errors, warnings, the SIMULATION banner, the confirmation question. @default process.stderr */
    readonly stderr?: TextSink;
    /** Where `.journal/`, `reports/` and the simulated account live. @default $WEBANK_DR_WORK_DIR, else the repository root */
    readonly workDir?: string;
    /** The environment (`WEBANK_DR_WORK_DIR`, `WEBANK_DR_DEBUG`). @default process.env */
    readonly env?: Readonly<Record<string, string | undefined>>;
    /** True when there is a terminal to ask on; without one commands get no `confirm`. @default process.stdin.isTTY */
    readonly isTTY?: boolean;
    /** Where the operator's answers are read. @default process.stdin */
    readonly stdin?: NodeJS.ReadableStream;
    /** The commands. @default COMMANDS of registry.ts */
    readonly registry?: readonly AnyCommandDefinition[];
    /** Where `Pulumi.yaml` and `Pulumi.dr.yaml` are. @default PROJECT_ROOT of config/stack-files.ts */
    readonly configRoot?: string;
    /** Where SIGINT and SIGTERM come from. @default process */
    readonly signals?: SignalSource;
    /** Ends the process at once, on a second interrupt. @default process.exit */
    readonly exit?: (code: number) => void;
}

/** Set to `1` to print an unexpected error's stack. */
export const DEBUG_VARIABLE = "WEBANK_DR_DEBUG";

/**
 * Runs the command line `argv` (what follows `npm run dr --`) and resolves to its exit code:
 * 0 done (or help shown), 1 failed (resumable) or unexpected error, 2 refused. A refused line
 * has loaded no config, built no port and written nothing.
 */
export async function main(argv: readonly string[], io: CliIo = {}): Promise<number> {
    const stdout = io.stdout ?? process.stdout;
    const stderr = io.stderr ?? process.stderr;
    const env = io.env ?? process.env;
    try {
        const line = parseCommandLine(argv, commandTree(io.registry ?? COMMANDS));
        if (line.kind === "help") {
            stdout.write(`${await helpText(line.node)}\n`);
            return EXIT.done;
        }
        if (line.kind === "refused") {
            return printRefusal(line.problems, stderr, helpPointer(line.node.path));
        }
        return await runCommand(
            line.definition,
            line.values,
            line.simulate,
            {
                stdout,
                stderr,
                env,
                ...(io.workDir === undefined ? {} : { workDir: io.workDir }),
                ...(io.configRoot === undefined ? {} : { configRoot: io.configRoot }),
                isTTY: io.isTTY ?? process.stdin.isTTY === true,
                stdin: io.stdin ?? process.stdin,
                signals: io.signals ?? process,
                exit: io.exit ?? ((code) => process.exit(code)),
            },
            helpPointer(line.definition.path),
        );
    } catch (error) {
        const debug = env[DEBUG_VARIABLE] === "1";
        const message = error instanceof Error ? error.message : String(error);
        const stack = error instanceof Error ? error.stack : undefined;
        stderr.write(`error: ${debug && stack !== undefined ? stack : message}\n`);
        if (!debug) {
            stderr.write(`(${DEBUG_VARIABLE}=1 shows where)\n`);
        }
        return EXIT.failed;
    }
}

/** `npm run dr -- <words> --help`. */
function helpPointer(path: readonly string[]): string {
    return [SCRIPT_NAME, commandName(path), "--help"].filter((part) => part !== "").join(" ");
}

if (require.main === module) {
    runAsMain((argv) => main(argv));
}
