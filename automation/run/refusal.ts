/*
 * The one refusal type of the recovery commands and the one message style of bad input:
 * `<flag> must <requirement>; got <value>`. A refusal happens before anything changes.
 */

/** The exit codes of every command: done, failed (resumable), refused (nothing changed). */
export const EXIT = { done: 0, failed: 1, refused: 2 } as const;

/** A refusal before any change: bad usage (exit 2) or a failed check of the world (exit 1). */
export class Refusal extends Error {
    constructor(
        message: string,
        /** The exit code the command returns. */
        public readonly exitCode: 1 | 2,
    ) {
        super(message);
        this.name = "Refusal";
    }
}

/**
 * Bad input: a flag, a value or a combination the command cannot act on, found before
 * anything is built or written (or, for input only the world can judge, such as an artifact
 * key that does not exist, before anything changes). Carries every problem found; exit 2.
 */
export class UsageError extends Refusal {
    /** Every problem, one line each. */
    public readonly problems: readonly string[];

    constructor(problems: string | readonly string[]) {
        const list = typeof problems === "string" ? [problems] : [...problems];
        super(list.join("\n"), 2);
        this.name = "UsageError";
        this.problems = list;
    }
}

/** One bad-input message in the project's style: `<flag> must <requirement>; got <value>`. */
export function problem(flag: string, requirement: string, received: unknown): string {
    return `${flag} must ${requirement}; got ${received === undefined ? "nothing" : JSON.stringify(received)}`;
}

/** The message of the {@link Refusal} `check` throws, or undefined when it passes. */
export function problemOf(check: () => unknown): string | undefined {
    try {
        check();
        return undefined;
    } catch (error) {
        if (error instanceof Refusal) {
            return error.message;
        }
        throw error;
    }
}

/** Prints a failure found before any change; returns a {@link Refusal}'s exit code, 1 otherwise. */
export function reportFailure(error: unknown, out: (line: string) => void): number {
    out(`error: ${error instanceof Error ? error.message : String(error)}`);
    if (error instanceof Refusal) {
        out("nothing was changed");
        return error.exitCode;
    }
    out("nothing was changed; fix the cause and run the same command again");
    return EXIT.failed;
}
