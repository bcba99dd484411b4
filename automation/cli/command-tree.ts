import { AnyCommandDefinition } from "../commands/definition";

/*
 * The command words of `npm run dr` as a tree: `restore` is a group of `db`, `state`, …;
 * `status` is a leaf. The parser walks it word by word, and help renders any node of it.
 */

/** The flags the CLI itself owns; no command may declare them. */
export const GLOBAL_FLAGS = ["simulate", "help"] as const;

/** Flag names: lowercase kebab-case words, as `--help` shows them. */
const FLAG_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Command words: lowercase, no dash in front (a word starting with `-` would read as a flag). */
const COMMAND_WORD = /^[a-z][a-z0-9-]*$/;

/** One node: the words that lead to it, its command (when it is one), its subcommands. */
export interface CommandNode {
    /** The words from the root to this node; empty for the root. */
    readonly path: readonly string[];
    /** The command these words name, if they name one (a group such as `restore` does not). */
    readonly definition?: AnyCommandDefinition;
    /** The next words, in registry order. */
    readonly children: ReadonlyMap<string, CommandNode>;
}

/** A node under construction. */
interface MutableNode {
    readonly path: readonly string[];
    definition?: AnyCommandDefinition;
    readonly children: Map<string, MutableNode>;
}

/**
 * Builds the tree of `definitions`, refusing (with every mistake found) a registry the CLI
 * could not parse unambiguously: a path declared twice, a malformed word or flag name, a
 * flag the CLI owns, a default outside the flag's own choices. These are programming errors
 * of a command module, so they throw a plain Error (exit 1), not a usage refusal.
 */
export function commandTree(definitions: readonly AnyCommandDefinition[]): CommandNode {
    const root: MutableNode = { path: [], children: new Map() };
    const mistakes: string[] = [];
    for (const definition of definitions) {
        const name = commandName(definition.path);
        if (definition.path.length === 0) {
            mistakes.push("a command has an empty path");
            continue;
        }
        for (const word of definition.path.filter((w) => !COMMAND_WORD.test(w))) {
            mistakes.push(`command "${name}": word "${word}" must match ${String(COMMAND_WORD)}`);
        }
        mistakes.push(...optionMistakes(definition));
        let node = root;
        for (const word of definition.path) {
            let child = node.children.get(word);
            if (child === undefined) {
                child = { path: [...node.path, word], children: new Map() };
                node.children.set(word, child);
            }
            node = child;
        }
        if (node.definition !== undefined) {
            mistakes.push(`command "${name}" is registered twice`);
        }
        node.definition = definition;
    }
    if (mistakes.length > 0) {
        throw new Error(`the command registry is inconsistent:\n${mistakes.join("\n")}`);
    }
    return root;
}

/** The mistakes in one definition's options. */
function optionMistakes(definition: AnyCommandDefinition): string[] {
    const name = commandName(definition.path);
    const mistakes: string[] = [];
    for (const [flag, spec] of Object.entries(definition.options)) {
        if (!FLAG_NAME.test(flag)) {
            mistakes.push(`command "${name}": flag "${flag}" must be lowercase kebab-case`);
        }
        if ((GLOBAL_FLAGS as readonly string[]).includes(flag)) {
            mistakes.push(`command "${name}": flag "--${flag}" belongs to the CLI`);
        }
        if (spec.choices !== undefined && spec.type !== "string") {
            mistakes.push(`command "${name}": flag "--${flag}" has choices but is not a string`);
        }
        const fallback = spec.defaultValue;
        if (
            fallback !== undefined &&
            spec.choices !== undefined &&
            !spec.choices.includes(String(fallback))
        ) {
            mistakes.push(`command "${name}": default of "--${flag}" is not one of its choices`);
        }
    }
    return mistakes;
}

/** The words of a path as the operator types them, e.g. `restore db`. */
export function commandName(path: readonly string[]): string {
    return path.join(" ");
}

/** Every command under `node` (itself included), depth first, in registry order. */
export function commandsUnder(node: CommandNode): AnyCommandDefinition[] {
    const own = node.definition === undefined ? [] : [node.definition];
    return [...own, ...[...node.children.values()].flatMap(commandsUnder)];
}
