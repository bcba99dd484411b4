import { parseArgs } from "util";
import { AnyCommandDefinition, OptionSpec, OptionValues } from "../commands/definition";
import { problem } from "../run/refusal";
import { commandName, GLOBAL_FLAGS } from "./command-tree";
import { didYouMean } from "./suggest";

/*
 * The flags of one command, checked strictly against its definition. Node's own
 * `util.parseArgs` splits the arguments into tokens; every rule is then checked here on the
 * tokens, so that one run reports every problem (parseArgs' strict mode stops at the first)
 * and every message names the flag and the value received. yargs is not used for this: its
 * parser ran a command whose strict validation had failed, read `--dry-Run` as `dryRun`, `--no-yes`
 * as a negation, a repeated flag as an array and a bad number as NaN.
 */

/** What the operator said after the command's words. */
export interface ParsedFlags {
    /** The command's flag values, typed, by name; flags not given are absent. */
    readonly values: OptionValues;
    /** How many times `--simulate` was given among them. */
    readonly simulate: number;
    /** Every problem, one line each, in the order of the arguments. */
    readonly problems: readonly string[];
}

/** The CLI's own flags, as every command takes them. */
const GLOBAL_SPECS: Readonly<Record<(typeof GLOBAL_FLAGS)[number], OptionSpec>> = {
    simulate: { type: "boolean", describe: "" },
    help: { type: "boolean", describe: "" },
};

/** One occurrence of a flag that takes a value, or of a switch (value true). */
interface Occurrence {
    readonly value: string | number | boolean;
    readonly valid: boolean;
}

/** Checks `args` (what follows the command's words) against `definition`'s options. */
export function parseFlags(args: readonly string[], definition: AnyCommandDefinition): ParsedFlags {
    const command = commandName(definition.path);
    const specs: Record<string, OptionSpec> = { ...definition.options, ...GLOBAL_SPECS };
    const known = Object.keys(specs);
    const problems: string[] = [];
    const { kept, shortProblems } = withoutShortFlags(args, specs, command, known);
    problems.push(...shortProblems);

    const { tokens } = parseArgs({
        args: kept,
        options: Object.fromEntries(
            Object.entries(specs).map(([name, spec]) => [
                name,
                { type: spec.type === "boolean" ? "boolean" : "string" } as const,
            ]),
        ),
        strict: false,
        allowPositionals: true,
        tokens: true,
    });

    const seen = new Map<string, Occurrence[]>();
    for (const token of tokens) {
        if (token.kind === "option-terminator") {
            continue;
        }
        if (token.kind === "positional") {
            problems.push(
                problem(command, "be given no argument besides its flags", token.value) +
                    didYouMean(token.value, known, "--"),
            );
            continue;
        }
        if (token.rawName === "-h") {
            continue;
        }
        const spec = Object.hasOwn(specs, token.name) ? specs[token.name] : undefined;
        if (spec === undefined) {
            const typed = token.inlineValue === true ? `${token.rawName}=${token.value}` : token.rawName;
            problems.push(
                problem(token.rawName, `be a flag of ${command}`, typed) +
                    didYouMean(token.rawName, known, "--"),
            );
            continue;
        }
        const occurrence = checkValue(`--${token.name}`, spec, token.value, token.inlineValue, problems);
        seen.set(token.name, [...(seen.get(token.name) ?? []), occurrence]);
    }

    const values: Record<string, string | number | boolean> = {};
    for (const [name, occurrences] of seen) {
        if (occurrences.length > 1) {
            problems.push(
                problem(
                    `--${name}`,
                    "be given once",
                    occurrences.map((o) => o.value),
                ),
            );
        } else if (occurrences[0].valid && name !== "simulate" && name !== "help") {
            values[name] = occurrences[0].value;
        }
    }
    for (const [name, spec] of Object.entries(definition.options)) {
        if (spec.required === true && !seen.has(name)) {
            problems.push(problem(`--${name}`, `be given (${command} cannot run without it)`, undefined));
        }
    }
    return { values, simulate: seen.get("simulate")?.length ?? 0, problems };
}

/**
 * Short flags other than `-h` are refused before parseArgs sees them: it would split
 * `-dry-run` into `-d -r -y` and a terminator, and report letters the operator never meant.
 * A dash word right after a flag that takes a value is left alone: parseArgs reads it as that
 * value, and {@link checkValue} refuses it as a swallowed flag.
 */
function withoutShortFlags(
    args: readonly string[],
    specs: Readonly<Record<string, OptionSpec>>,
    command: string,
    known: readonly string[],
): { kept: string[]; shortProblems: string[] } {
    const kept: string[] = [];
    const shortProblems: string[] = [];
    let terminated = false;
    for (const arg of args) {
        const previous = kept.at(-1);
        const takesValue =
            previous !== undefined &&
            /^--[^=]+$/.test(previous) &&
            Object.hasOwn(specs, previous.slice(2)) &&
            specs[previous.slice(2)].type !== "boolean";
        terminated ||= arg === "--";
        if (!terminated && /^-[^-]/.test(arg) && arg !== "-h" && !takesValue) {
            shortProblems.push(
                problem(arg, `be a flag of ${command} (flags are --<name>; only -h is short)`, arg) +
                    didYouMean(arg, known, "--"),
            );
            continue;
        }
        kept.push(arg);
    }
    return { kept, shortProblems };
}

/** Checks one occurrence of a known flag, recording what is wrong with its value. */
function checkValue(
    flag: string,
    spec: OptionSpec,
    value: string | undefined,
    inline: boolean | undefined,
    problems: string[],
): Occurrence {
    const refuse = (requirement: string, received: unknown, hint = ""): Occurrence => {
        problems.push(problem(flag, requirement, received) + hint);
        return { value: value ?? true, valid: false };
    };
    if (spec.type === "boolean") {
        return value === undefined
            ? { value: true, valid: true }
            : refuse("be given without a value (leave the flag out for no)", value);
    }
    if (value === undefined) {
        return refuse(`be given a value (${flag} <value>)`, undefined);
    }
    if (inline !== true && value.startsWith("-")) {
        return refuse(
            `be followed by its value, not another flag (${flag}=<value> for one starting with -)`,
            value,
        );
    }
    if (value.trim() === "") {
        return refuse("be given a non-empty value", value);
    }
    if (spec.type === "integer") {
        const whole = /^[0-9]+$/.test(value) ? Number(value) : NaN;
        return Number.isSafeInteger(whole)
            ? { value: whole, valid: true }
            : refuse("be a whole number", value);
    }
    if (spec.choices !== undefined && !spec.choices.includes(value)) {
        return refuse(`be one of ${spec.choices.join(", ")}`, value, didYouMean(value, spec.choices));
    }
    return { value, valid: true };
}
