import { closest, distance } from "fastest-levenshtein";

/*
 * "did you mean --dry-run?": the nearest valid word to what the operator typed. Close means
 * a slip of the fingers (a letter dropped, doubled, swapped or wrong, the wrong case, camelCase
 * for kebab-case, an abbreviation, a `--no-` prefix), never a guess at a different word, so
 * a far-off input gets no suggestion rather than a misleading one.
 */

/**
 * The candidate `given` most likely meant, or undefined when none is close. `given` may carry
 * dashes and an inline value (`--Dry-Run=x`); candidates are bare names (`dry-run`).
 */
export function nearest(given: string, candidates: readonly string[]): string | undefined {
    if (candidates.length === 0) {
        return undefined;
    }
    const name = normalized(given);
    if (candidates.includes(name)) {
        return name;
    }
    const negated = /^no-?(.+)$/.exec(name)?.[1];
    if (negated !== undefined && candidates.includes(negated)) {
        return negated;
    }
    // An abbreviation (`--dry`, or `-y` for the one flag starting with y) means its extension.
    const extensions = name === "" ? [] : candidates.filter((c) => c.startsWith(name));
    if (extensions.length === 1 || (extensions.length > 1 && name.length >= 2)) {
        return closest(name, extensions);
    }
    const best = closest(name, candidates);
    return distance(name, best) <= tolerance(best) ? best : undefined;
}

/** How many edits still read as a typo of `word`: one for short words, a third of longer ones. */
function tolerance(word: string): number {
    return word.length <= 3 ? 1 : Math.max(2, Math.floor(word.length / 3));
}

/** `--dryRun=x` → `dry-run`: no dashes in front, no value, kebab-case, lowercase. */
function normalized(given: string): string {
    return given
        .replace(/^-+/, "")
        .replace(/=.*$/s, "")
        .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
        .replace(/_/g, "-")
        .toLowerCase();
}

/** `; did you mean <prefix><name>?` for the nearest candidate, or "" when none is close. */
export function didYouMean(given: string, candidates: readonly string[], prefix = ""): string {
    const match = nearest(given, candidates);
    return match === undefined ? "" : `; did you mean ${prefix}${match}?`;
}
