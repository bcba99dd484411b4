import { execFile } from "child_process";
import { formatCommandLine } from "../../lib/command-line";
import { CommandPort, CommandResult } from "../ports";

/** Output a command may print before it is stopped: Argo CD exports and Helm manifests run to tens of MiB. */
export const MAX_OUTPUT_BYTES = 512 * 1024 * 1024;

/** How much of stderr an error carries: the end, where tools print the reason. */
export const STDERR_TAIL_CHARS = 2000;

/** The last `chars` characters of `text`, marked when cut. */
export function tail(text: string, chars: number = STDERR_TAIL_CHARS): string {
    const trimmed = text.trimEnd();
    return trimmed.length <= chars ? trimmed : `...${trimmed.slice(-chars)}`;
}

/** Options of {@link commandRunner}. */
export interface CommandRunnerOptions {
    /** Largest stdout/stderr kept, in bytes. Default {@link MAX_OUTPUT_BYTES}. */
    readonly maxOutputBytes?: number;
}

/**
 * {@link CommandPort} with `child_process.execFile`: no shell, so no argument is ever
 * interpreted (a ref name or a path with `$(...)` stays text). Standard input is always
 * closed after `stdin` is written (or at once), so a tool that reads it never hangs. The
 * environment is the caller's plus `env`, so tools find their credentials and config.
 */
export function commandRunner(options: CommandRunnerOptions = {}): CommandPort {
    const maxBuffer = options.maxOutputBytes ?? MAX_OUTPUT_BYTES;
    return {
        run: (command, args, runOptions = {}) =>
            new Promise<CommandResult>((resolve, reject) => {
                const line = formatCommandLine(command, args);
                const child = execFile(
                    command,
                    [...args],
                    {
                        cwd: runOptions.cwd,
                        env: { ...process.env, ...runOptions.env },
                        maxBuffer,
                        encoding: "utf8",
                        windowsHide: true,
                    },
                    (error, stdout, stderr) => {
                        if (!error) {
                            resolve({ stdout });
                            return;
                        }
                        reject(
                            new Error(describeFailure(line, command, error, stderr, maxBuffer), {
                                cause: error,
                            }),
                        );
                    },
                );
                // A tool that exits before reading its input closes the pipe; the exit code tells why.
                child.stdin?.on("error", () => undefined);
                child.stdin?.end(runOptions.stdin);
            }),
    };
}

/** Why a command failed: the command line, the exit, and the end of its stderr. */
function describeFailure(
    line: string,
    command: string,
    error: Error & { code?: string | number | null; signal?: string | null },
    stderr: string,
    maxBuffer: number,
): string {
    if (error.code === "ENOENT") {
        return `${line}: ${command} was not found on PATH; install it (or fix PATH) and run the same command again`;
    }
    if (error.code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER") {
        return `${line}: printed more than ${maxBuffer} bytes and was stopped`;
    }
    const exit =
        typeof error.code === "number"
            ? `exit code ${error.code}`
            : error.signal
              ? `signal ${error.signal}`
              : error.message;
    const errorTail = tail(stderr);
    return `${line} failed (${exit})${errorTail ? `:\n${errorTail}` : ""}`;
}
