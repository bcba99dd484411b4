import * as readline from "readline";
import { InterruptSource } from "../commands/definition";

/* The operator's terminal: the yes/no question before the first change, and Ctrl-C. */

/** Somewhere text goes, as `process.stdout` is one. */
export interface TextSink {
    /** Writes `text` as is (lines end with their own newline). */
    write(text: string): unknown;
}

/** The signals an operator (or the scheduler) stops a run with. */
export const INTERRUPT_SIGNALS = ["SIGINT", "SIGTERM"] as const;

/** Where signals come from, as `process` is one. */
export interface SignalSource {
    /** Adds a listener of `signal`. */
    on(signal: (typeof INTERRUPT_SIGNALS)[number], listener: (signal: NodeJS.Signals) => void): unknown;
    /** Removes a listener added with {@link SignalSource.on}. */
    off(signal: (typeof INTERRUPT_SIGNALS)[number], listener: (signal: NodeJS.Signals) => void): unknown;
}

/**
 * A question answered on `input`: true only when the operator types `yes` (not `y`: at
 * 3 a.m. a stray key must not start a failover). The question goes to `prompt`, which is
 * stderr, so that stdout holds results only. An input that ends unanswered is a no.
 */
export function terminalConfirm(
    input: NodeJS.ReadableStream,
    prompt: TextSink,
): (question: string) => Promise<boolean> {
    return (question) =>
        new Promise((resolve) => {
            const lines = readline.createInterface({ input, terminal: false });
            let answered = false;
            lines.once("line", (answer) => {
                answered = true;
                lines.close();
                resolve(answer.trim() === "yes");
            });
            lines.once("close", () => {
                if (!answered) {
                    resolve(false);
                }
            });
            prompt.write(`${question} Type yes to continue: `);
        });
}

/** Interrupts of one run, and how to stop listening once it ends. */
export interface RunInterrupts {
    /** What the command subscribes to. */
    readonly interrupts: InterruptSource;
    /** Removes the signal listeners; the process's default handling of signals returns. */
    dispose(): void;
}

/**
 * Listens for SIGINT and SIGTERM while a command runs. The first signal is handed to the
 * command's listeners, so the runner stops at a step boundary with its journal consistent;
 * a second signal, or a first one when no listener is subscribed, exits at once with 1
 * (failed, resumable: the journal says where to pick up).
 */
export function signalInterrupts(
    source: SignalSource,
    exit: (code: number) => void,
    warn: (line: string) => void,
): RunInterrupts {
    const listeners = new Set<(signal: string) => void>();
    let received = 0;
    const onSignal = (signal: NodeJS.Signals) => {
        received++;
        if (received > 1 || listeners.size === 0) {
            warn(`${signal}: exiting now; run the same command again to resume from its journal`);
            exit(1);
            return;
        }
        warn(`${signal}: stopping after the current step; ${signal} again exits at once`);
        for (const listener of [...listeners]) {
            listener(signal);
        }
    };
    for (const signal of INTERRUPT_SIGNALS) {
        source.on(signal, onSignal);
    }
    return {
        interrupts: {
            onInterrupt(listener) {
                listeners.add(listener);
                return () => {
                    listeners.delete(listener);
                };
            },
        },
        dispose() {
            for (const signal of INTERRUPT_SIGNALS) {
                source.off(signal, onSignal);
            }
        },
    };
}
