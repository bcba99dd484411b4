import { HelpFlag } from "./help-reader";

/*
 * Generated bad command lines for one command, from nothing but what its `--help` shows:
 * every one-character typo of every flag and command word, every other spelling of a flag,
 * and every bad value for each flag's type. Each case names the token its refusal must
 * mention, so a line refused for another reason (a missing required flag, say) does not
 * count as the typo caught.
 */

/** One bad line: the arguments after the command's words, or whole when `words` is false. */
export interface BadCase {
    /** The arguments. */
    readonly argv: readonly string[];
    /** What stderr must mention: the mistyped token or the flag whose value is bad. */
    readonly mentions: string;
}

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

/**
 * Every word one slip away from `word`: each deletion, each adjacent transposition, one
 * substitution and one insertion at each position (letters vary with the position, so that
 * across words every letter is tried), minus `word` itself.
 */
export function oneCharacterTypos(word: string): string[] {
    const typos = new Set<string>();
    for (let i = 0; i < word.length; i++) {
        typos.add(word.slice(0, i) + word.slice(i + 1));
        if (i + 1 < word.length) {
            typos.add(word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2));
        }
        let substitute = LETTERS[(i * 7 + word.charCodeAt(i)) % LETTERS.length];
        if (substitute === word[i]) {
            substitute = LETTERS[(LETTERS.indexOf(substitute) + 1) % LETTERS.length];
        }
        typos.add(word.slice(0, i) + substitute + word.slice(i + 1));
    }
    for (let i = 0; i <= word.length; i++) {
        typos.add(word.slice(0, i) + LETTERS[(i * 11 + word.length) % LETTERS.length] + word.slice(i));
    }
    typos.delete(word);
    typos.delete("");
    return [...typos];
}

/** A value of the right shape for `flag`, so the flag's own value is never the problem. */
export function sampleValue(flag: HelpFlag): string {
    return flag.choices?.[0] ?? (flag.type === "integer" ? "1" : "x");
}

/** `--flag value` for a flag that takes one, `--flag` for a switch. */
function given(flag: HelpFlag): string[] {
    return flag.type === "boolean" ? [`--${flag.name}`] : [`--${flag.name}`, sampleValue(flag)];
}

/** The required flags of the command, with sample values, except `without`. */
export function requiredFlags(flags: readonly HelpFlag[], without?: string): string[] {
    return flags.filter((f) => f.required && f.name !== without).flatMap(given);
}

/** Misspellings of every flag: one-character typos and the other ways of writing it wrong. */
export function flagTypoCases(flags: readonly HelpFlag[]): BadCase[] {
    const valid = new Set(flags.map((f) => f.name));
    const cases: BadCase[] = [];
    for (const flag of flags) {
        const rest = requiredFlags(flags, flag.name);
        const value = flag.type === "boolean" ? [] : [sampleValue(flag)];
        const spellings = [
            ...oneCharacterTypos(flag.name).map((typo) => `--${typo}`),
            `--${flag.name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase())}`,
            `--${flag.name.toUpperCase()}`,
            `--${flag.name[0].toUpperCase()}${flag.name.slice(1)}`,
            `--no-${flag.name}`,
            `--${flag.name.replace(/-/g, "_")}`,
            `-${flag.name}`,
            `---${flag.name}`,
            `-${flag.name[0]}`,
            `--${flag.name.slice(0, 3)}`,
        ];
        const seen = new Set<string>();
        for (const [index, spelling] of spellings.entries()) {
            if (seen.has(spelling) || valid.has(spelling.replace(/^--/, "")) || spelling === "-h") {
                continue;
            }
            seen.add(spelling);
            // Values after the flag, alternately inline and as the next argument.
            const typed =
                index % 2 === 1 && value.length > 0 ? [`${spelling}=${value[0]}`] : [spelling, ...value];
            cases.push({ argv: [...typed, ...rest], mentions: spelling });
        }
    }
    return cases;
}

/** Bad values for every flag: each rule of the parser, broken once per flag. */
export function flagValueCases(flags: readonly HelpFlag[]): BadCase[] {
    const cases: BadCase[] = [];
    for (const flag of flags) {
        const rest = requiredFlags(flags, flag.name);
        const name = `--${flag.name}`;
        // Given twice is refused, but for --help: help anywhere wins, and is harmless.
        const bad: string[][] = flag.name === "help" ? [] : [[...given(flag), ...given(flag)]];
        if (flag.type === "boolean") {
            bad.push([`${name}=true`], [`${name}=false`], [`${name}=`]);
        } else {
            bad.push([`${name}=`], [name, ""], [name, "--simulate"], [`${name}=${sampleValue(flag)}`, name]);
            if (flag.type === "integer") {
                bad.push([name, "1.5"], [name, "abc"], [`${name}=-1`], [name, "1e3"]);
            }
            if (flag.choices !== undefined) {
                bad.push(
                    [name, "all"],
                    [name, flag.choices[0].toUpperCase()],
                    [`${name}=${flag.choices[0]}x`],
                );
            }
        }
        for (const argv of bad) {
            cases.push({ argv: [...argv, ...rest], mentions: name });
        }
        // The flag alone at the end: a value-taking flag then has none.
        if (flag.type !== "boolean") {
            cases.push({ argv: [...rest, name], mentions: name });
        }
    }
    cases.push({ argv: [...requiredFlags(flags), "extra"], mentions: '"extra"' });
    return cases;
}

/**
 * Typos of the command's words, as whole lines: each word mistyped in turn, skipping any
 * typo that is another valid word at that place (`siblings`).
 */
export function wordTypoCases(
    words: readonly string[],
    siblings: (depth: number) => readonly string[],
    flags: readonly HelpFlag[],
): BadCase[] {
    const cases: BadCase[] = [];
    for (const [depth, word] of words.entries()) {
        for (const typo of oneCharacterTypos(word)) {
            if (siblings(depth).includes(typo) || typo.startsWith("-")) {
                continue;
            }
            const argv = [...words.slice(0, depth), typo, ...words.slice(depth + 1), ...requiredFlags(flags)];
            cases.push({ argv, mentions: `"${typo}"` });
        }
    }
    return cases;
}

/**
 * Each case with and without `--simulate` (before the words, or among the flags) and with and
 * without `--yes` (when the command has it). `words` goes in front of flag cases.
 */
export function variants(words: readonly string[] | undefined, bad: BadCase, hasYes: boolean): string[][] {
    const line = words === undefined ? [...bad.argv] : [...words, ...bad.argv];
    const lines = [line, ["--simulate", ...line], [...line, "--simulate"]];
    return hasYes ? lines.flatMap((l) => [l, [...l, "--yes"]]) : lines;
}
