/**
 * Just enough of the POSIX shell's word splitting (POSIX.1-2017, XCU 2.2 "Quoting", 2.3
 * "Token Recognition", 2.6 "Word Expansions") to read the `aws ...` commands the
 * documentation shows: quotes, backslashes and line continuations, `$VAR` / `${VAR}`,
 * `$(...)` command substitution, `#` comments, and the operators that end a simple command
 * (`;`, `|`, `&`, `(`, `)`, newline). A backtick also ends one: in Markdown prose it closes
 * the code span. Plain `NAME=value` commands set variables for the commands after them.
 */

/** One simple command: its words after expansion, and where it starts in the text. */
export interface ShellCommand {
    /** Its words, quotes removed and variables expanded. */
    readonly words: readonly string[];
    /** Offset in the text of its first character. */
    readonly offset: number;
}

/** Gives a value for a variable, placeholder or expression the text does not define. */
export type Plausible = (name: string) => string;

const ENDS_COMMAND = new Set([";", "|", "&", "(", ")", "\n", "`"]);

/**
 * Words before the command proper: the reserved words that can open a command (XCU 2.4) and
 * `run`, scripts/publish-chart.sh's wrapper that prints a command and runs it unless --dry-run.
 */
const PREFIX_WORDS = new Set([
    "!",
    "{",
    "if",
    "then",
    "else",
    "elif",
    "while",
    "until",
    "do",
    "time",
    "exec",
    "run",
]);

/** The offset of the `}` that closes the `${` whose content starts at `from`. */
function closingBrace(text: string, from: number): number {
    let depth = 1;
    for (let i = from; i < text.length; i++) {
        if (text[i] === "{") {
            depth++;
        } else if (text[i] === "}" && --depth === 0) {
            return i;
        }
    }
    return text.length;
}

/** The offset of the `)` that closes the `$(` whose content starts at `from` (quotes respected). */
function closingParen(text: string, from: number): number {
    let depth = 1;
    let quote: string | undefined;
    for (let i = from; i < text.length; i++) {
        const c = text[i];
        if (quote) {
            if (c === quote) {
                quote = undefined;
            } else if (c === "\\" && quote === '"') {
                i++;
            }
        } else if (c === "'" || c === '"') {
            quote = c;
        } else if (c === "\\") {
            i++;
        } else if (c === "(") {
            depth++;
        } else if (c === ")" && --depth === 0) {
            return i;
        }
    }
    return text.length;
}

/**
 * Splits `text` into simple commands. With `prose` (a command that starts inside a sentence),
 * stops after the first one, which also ends at a comma. Commands found inside `$(...)` come before the one
 * that holds them, as the shell runs them.
 */
export function shellCommands(
    text: string,
    plausible: Plausible,
    prose = false,
    vars: Map<string, string> = new Map(),
): ShellCommand[] {
    const firstOnly = prose;
    const commands: ShellCommand[] = [];
    let words: string[] = [];
    let word: string | undefined;
    let start = -1;
    const expand = (name: string) => vars.get(name) ?? plausible(name);
    const endWord = () => {
        if (word !== undefined) {
            words.push(word);
            word = undefined;
        }
    };
    const append = (s: string, at: number) => {
        if (start < 0) {
            start = at;
        }
        word = (word ?? "") + s;
    };
    const endCommand = (): boolean => {
        endWord();
        let lead = 0;
        while (lead < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[lead])) {
            lead++;
        }
        if (words.length > 0 && lead === words.length) {
            for (const a of words) {
                const eq = a.indexOf("=");
                vars.set(a.slice(0, eq), a.slice(eq + 1));
            }
        } else {
            while (lead < words.length && PREFIX_WORDS.has(words[lead])) {
                lead++;
            }
            if (lead < words.length) {
                commands.push({ words: words.slice(lead), offset: start });
            }
        }
        const ended = words.length > 0;
        words = [];
        start = -1;
        return ended && firstOnly;
    };
    /** A `$...` expansion at `i`: returns the offset after it. */
    const dollar = (i: number): number => {
        const next = text[i + 1];
        if (next === "(") {
            const close = closingParen(text, i + 2);
            const inner = shellCommands(text.slice(i + 2, close), plausible, false, vars);
            commands.push(...inner.map((c) => ({ words: c.words, offset: c.offset + i + 2 })));
            append(plausible("output"), i);
            return close + 1;
        }
        if (next === "{") {
            // ${NAME}, ${NAME:-word} and the other forms of XCU 2.6.2: the variable's value or a plausible one.
            const close = closingBrace(text, i + 2);
            const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 2, close))?.[0] ?? "output";
            append(expand(name), i);
            return close + 1;
        }
        if (next !== undefined && /[0-9@*#?$!-]/.test(next)) {
            append(plausible("argument"), i);
            return i + 2;
        }
        const match = /^([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(i + 1));
        if (!match) {
            append("$", i);
            return i + 1;
        }
        append(expand(match[1]), i);
        return i + 1 + match[0].length;
    };
    let i = 0;
    while (i < text.length) {
        const c = text[i];
        if (c === "\\" && text[i + 1] === "\n") {
            i += 2;
        } else if (c === "\\") {
            append(text[i + 1] ?? "", i);
            i += 2;
        } else if (c === "'") {
            const close = text.indexOf("'", i + 1);
            const end = close < 0 ? text.length : close;
            append(text.slice(i + 1, end), i);
            i = end + 1;
        } else if (c === '"') {
            append("", i);
            i++;
            while (i < text.length && text[i] !== '"') {
                if (text[i] === "\\" && '$`"\\\n'.includes(text[i + 1] ?? "")) {
                    append(text[i + 1], i);
                    i += 2;
                } else if (text[i] === "$") {
                    i = dollar(i);
                } else {
                    append(text[i], i);
                    i++;
                }
            }
            i++;
        } else if (c === "$") {
            i = dollar(i);
        } else if (c === "#" && word === undefined) {
            const eol = text.indexOf("\n", i);
            i = eol < 0 ? text.length : eol;
        } else if ((c === ">" || c === "<") && text[i + 1] !== "(") {
            // A redirection (XCU 2.7): drop its fd number and its target.
            if (word !== undefined && /^[0-9]+$/.test(word)) {
                word = undefined;
            }
            endWord();
            i = /^[<>]*&?/.exec(text.slice(i))![0].length + i;
            while (i < text.length && /[ \t]/.test(text[i])) {
                i++;
            }
            while (i < text.length && !/[\s;|&()`]/.test(text[i])) {
                i++;
            }
        } else if (prose && c === "," && /\s/.test(text[i + 1] ?? " ")) {
            // In a sentence, a comma after a word ends the command: "--id X, then run it again".
            if (endCommand()) {
                return commands;
            }
            i++;
        } else if (ENDS_COMMAND.has(c)) {
            if (endCommand()) {
                return commands;
            }
            i++;
        } else if (/\s/.test(c)) {
            endWord();
            i++;
        } else {
            append(c, i);
            i++;
        }
    }
    endCommand();
    return commands;
}
