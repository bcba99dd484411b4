import * as pulumi from "@pulumi/pulumi";

/**
 * One problem with one input: the field (a config key such as `webank:drRegion`, or a
 * component argument such as `StateBackend.noncurrentVersionRetentionDays`), what it must
 * be, and the value that was received.
 */
export interface InputProblem {
    /** The config key or argument path, exactly as the user would type it. */
    readonly field: string;
    /** What the field must be, phrased to follow "must", e.g. "be a whole number from 1 to 35". */
    readonly requirement: string;
    /** The value that was received; `undefined` when the field is missing. */
    readonly received: unknown;
    /**
     * What the user probably meant, printed after the value, e.g. `did you mean webank:drRegion?`.
     * @default none
     */
    readonly hint?: string;
}

/**
 * Formats one problem in the project's single error style: `<field> must <requirement>; got
 * <value>`, followed by ` (<hint>)` when there is a hint.
 */
export function formatProblem(problem: InputProblem): string {
    const received =
        problem.received === undefined ? "nothing (the key is not set)" : JSON.stringify(problem.received);
    const hint = problem.hint === undefined ? "" : ` (${problem.hint})`;
    return `${problem.field} must ${problem.requirement}; got ${received}${hint}`;
}

/**
 * Raised before any resource is declared when stack config or component arguments are
 * invalid. It carries every problem found, not just the first, so that one run shows the
 * operator everything to fix. It extends `RunError` so the Pulumi CLI prints the message
 * without a stack trace.
 */
export class InvalidInputError extends pulumi.RunError {
    /** Every problem found, in the order the fields were checked. */
    public readonly problems: readonly InputProblem[];

    constructor(context: string, problems: readonly InputProblem[]) {
        super(
            `${context}: ${problems.length} problem${problems.length === 1 ? "" : "s"}\n` +
                problems.map((p) => `  - ${formatProblem(p)}`).join("\n"),
        );
        this.name = "InvalidInputError";
        this.problems = problems;
    }
}

/**
 * Collects problems while a set of inputs is checked, then throws them all at once.
 * Used by the stack config and by every component that validates plain arguments.
 */
export class ProblemCollector {
    private readonly problems: InputProblem[] = [];

    /** Records a problem with `field`; `hint` (printed after the value) says what was probably meant. */
    public add(field: string, requirement: string, received: unknown, hint?: string): void {
        this.problems.push(
            hint === undefined ? { field, requirement, received } : { field, requirement, received, hint },
        );
    }

    /**
     * Records a problem unless `value` is a whole number within `range` (inclusive). Used for
     * numeric component arguments, which arrive as numbers, not config strings.
     */
    public requireWholeNumber(
        field: string,
        value: number,
        range: { readonly min: number; readonly max: number },
    ): void {
        if (!Number.isInteger(value) || value < range.min || value > range.max) {
            this.add(field, `be a whole number from ${range.min} to ${range.max}`, value);
        }
    }

    /** True when a problem with `field` has been recorded. */
    public has(field: string): boolean {
        return this.problems.some((problem) => problem.field === field);
    }

    /** Every problem recorded so far, in order. */
    public get all(): readonly InputProblem[] {
        return [...this.problems];
    }

    /** How many problems have been recorded so far. */
    public get count(): number {
        return this.problems.length;
    }

    /** True when no problem has been recorded. */
    public get ok(): boolean {
        return this.problems.length === 0;
    }

    /** Throws an {@link InvalidInputError} carrying every recorded problem, if there is any. */
    public throwIfAny(context: string): void {
        if (!this.ok) {
            throw new InvalidInputError(context, this.problems);
        }
    }
}
