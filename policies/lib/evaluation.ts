import { ReportViolation } from "@pulumi/policy";
import { UNKNOWN_STRING, UnknownValueError } from "./sdk-internals";
import { describe, isUnknown, valueAt } from "./values";

/** What a finding is about: a resource, named by its URN in every violation. */
export interface Subject {
    /** The resource's URN. */
    readonly urn: string;
    /** Its type token. */
    readonly type: string;
    /** Its inputs, as the engine sent them (a proxy or plain data). */
    readonly props: unknown;
}

/**
 * Raised at the end of a policy that met values it could not judge: `@pulumi/policy` reports
 * an `UnknownValueError` as an advisory "can't run policy ... during preview: <message>"
 * (server.js), which is what a preview should say about them, while every violation the policy
 * found among the known values has already been reported at its own level.
 */
export class UnevaluatedError extends UnknownValueError {
    constructor(public readonly unevaluated: readonly string[]) {
        super(UNKNOWN_STRING, []);
        this.name = "UnevaluatedError";
        this.message = `not judged in this preview, judged again by pulumi up once known: ${unevaluated.join("; ")}`;
    }
}

/**
 * One policy's run over a resource or a stack: every violation names the resource (its URN)
 * and the property; a property that is unknown (preview) is noted instead, and
 * {@link Evaluation.finish} says which ones were.
 */
export class Evaluation {
    private readonly unevaluated: string[] = [];

    constructor(private readonly reportViolation: ReportViolation) {}

    /** Reports a violation of `property` (a dotted path, or a sibling resource's type) on `subject`. */
    public violation(subject: Subject, property: string, message: string): void {
        this.reportViolation(`${property}: ${message}`, subject.urn);
    }

    /** Notes that `property` of `subject` could not be judged because it is not known yet. */
    public unknown(subject: Subject, property: string): void {
        const note = `${subject.urn} ${property}`;
        if (!this.unevaluated.includes(note)) {
            this.unevaluated.push(note);
        }
    }

    /**
     * Judges `property` of `subject`: `judge` gets the known value and returns a message when it
     * violates the policy. An unknown value is noted, not judged. Returns the value read.
     */
    public check(subject: Subject, property: string, judge: (value: unknown) => string | undefined): unknown {
        const value = valueAt(subject.props, property);
        if (isUnknown(value)) {
            this.unknown(subject, property);
            return value;
        }
        const message = judge(value);
        if (message !== undefined) {
            this.violation(subject, property, message);
        }
        return value;
    }

    /** Judges that `property` equals `expected` exactly. */
    public requireEqual(subject: Subject, property: string, expected: unknown, why: string): void {
        this.check(subject, property, (value) =>
            value === expected
                ? undefined
                : `must be ${JSON.stringify(expected)} (${why}); it is ${describe(value)}.`,
        );
    }

    /** Judges that the number at `property` is at least `minimum`. */
    public requireAtLeast(subject: Subject, property: string, minimum: number, why: string): void {
        this.check(subject, property, (value) =>
            typeof value === "number" && value >= minimum
                ? undefined
                : `must be at least ${minimum} (${why}); it is ${describe(value)}.`,
        );
    }

    /** Ends the run: throws {@link UnevaluatedError} when some property could not be judged. */
    public finish(): void {
        if (this.unevaluated.length > 0) {
            throw new UnevaluatedError(this.unevaluated);
        }
    }
}
