import { problem } from "../../run/refusal";
import { OptionSpec, OptionValues } from "../definition";

/*
 * What the five restore definitions share when they read flags: pure checks, loaded with
 * `--help`, so nothing here may import an adapter, the runner or the simulation. Each reader
 * records a problem instead of throwing, so one refusal lists every mistake of the line.
 */

/** Which copy of the artifact bucket a restore reads: the home region's, or its replica in the DR region. */
export type ArtifactRegion = "home" | "dr";

/** The accepted values of the artifact restores' `--region`. */
export const ARTIFACT_REGIONS: readonly ArtifactRegion[] = ["home", "dr"];

/** `--region` of `restore argocd` and `restore git`. */
export const ARTIFACT_REGION_OPTION: OptionSpec = {
    type: "string",
    choices: ARTIFACT_REGIONS,
    defaultValue: "home",
    describe:
        "read the artifact bucket of the home region, or its replica in the DR region (after a region loss)",
};

/**
 * A string flag's value, or undefined when it was not given. A value of another type (which
 * the CLI never passes, but another caller might) is recorded as a problem: the parser checks
 * what it is handed instead of trusting it.
 */
export function textOf(values: OptionValues, name: string, problems: string[]): string | undefined {
    const value = values[name];
    if (value === undefined || typeof value === "string") {
        return value;
    }
    problems.push(problem(`--${name}`, "be given a text value", value));
    return undefined;
}

/** A switch's value: true when given, false when not; anything but a boolean is a problem. */
export function switchOf(values: OptionValues, name: string, problems: string[]): boolean {
    const value = values[name];
    if (value === undefined || typeof value === "boolean") {
        return value === true;
    }
    problems.push(problem(`--${name}`, "be given without a value", value));
    return false;
}

/**
 * A whole-number flag's value from `min` to `max`, or undefined when it was not given (or is
 * bad, with the problem recorded). `requirement` is the message's "must" part.
 */
export function wholeOf(
    values: OptionValues,
    name: string,
    range: { min: number; max: number; requirement: string },
    problems: string[],
): number | undefined {
    const value = values[name];
    if (value === undefined) {
        return undefined;
    }
    if (typeof value === "number" && Number.isInteger(value) && value >= range.min && value <= range.max) {
        return value;
    }
    problems.push(problem(`--${name}`, range.requirement, value));
    return undefined;
}

/**
 * A closed-set flag's value, `fallback` when it was not given. The CLI checks choices too;
 * the parser checks them again so a caller that skips the CLI gets the same refusal.
 */
export function choiceOf<T extends string>(
    values: OptionValues,
    name: string,
    choices: readonly T[],
    fallback: T,
    problems: string[],
    requirement = `be ${choices.join(" or ")}`,
): T {
    const value = textOf(values, name, problems);
    if (value === undefined) {
        return fallback;
    }
    if ((choices as readonly string[]).includes(value)) {
        return value as T;
    }
    problems.push(problem(`--${name}`, requirement, value));
    return fallback;
}

/**
 * A problem with `--context`, or undefined. A kube context is required when the run changes
 * a cluster (`requiredFor` says which): at 3 a.m. the current context of a terminal is as
 * likely to be the wrong cluster as the right one, and a restore into the wrong cluster
 * overwrites a healthy one. Runs that only read may omit it and say which they used.
 */
export function contextProblem(context: string | undefined, requiredFor?: string): string | undefined {
    if (context === undefined) {
        return requiredFor
            ? problem(
                  "--context",
                  `name the kube context of the cluster ${requiredFor} (the current context may be another cluster)`,
                  context,
              )
            : undefined;
    }
    return /^[^\s-]\S{0,252}$/.test(context)
        ? undefined
        : problem("--context", "be a kube context name (no spaces, not starting with -)", context);
}

/** How a command line names the cluster: `["--context", c]` (kubectl, argocd) or `["--kube-context", c]` (helm). */
export function contextArgs(flag: "--context" | "--kube-context", context: string | undefined): string[] {
    return context === undefined ? [] : [flag, context];
}

/** How output names the cluster a run reads or changes. */
export function contextName(context: string | undefined): string {
    return context ?? "(the current kube context)";
}
