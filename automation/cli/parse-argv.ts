import { AnyCommandDefinition, OptionValues } from "../commands/definition";
import { problem } from "../run/refusal";
import { CommandNode, commandName, GLOBAL_FLAGS } from "./command-tree";
import { parseFlags } from "./parse-flags";
import { didYouMean } from "./suggest";

/*
 * The whole command line, strictly: the command's words first (only `--simulate`, `--help`
 * and `-h` may come before them), then that command's flags and nothing else. Pure: it
 * reads the arguments and the tree, and decides whether to show help, refuse, or hand the
 * command its values. Nothing has been loaded, read or written when it answers.
 */

/** What the command line asks for. */
export type ParsedCommandLine =
    | {
          /** `--help` or `-h` was given: show the help of `node`, the deepest command named. */
          readonly kind: "help";
          readonly node: CommandNode;
      }
    | {
          /** The line cannot be acted on; `node` is the deepest command named, for a pointer to its help. */
          readonly kind: "refused";
          readonly node: CommandNode;
          /** Every problem found, one line each. */
          readonly problems: readonly string[];
      }
    | {
          /** Run `definition` with `values`. */
          readonly kind: "command";
          readonly definition: AnyCommandDefinition;
          /** The command's flags, checked and typed. */
          readonly values: OptionValues;
          /** True when `--simulate` was given (once, before or after the words). */
          readonly simulate: boolean;
      };

/** True for an argument that reads as a flag (`-x`, `--x`), not a word, `-` or the terminator. */
function isFlag(arg: string): boolean {
    return arg.startsWith("-") && arg !== "-" && arg !== "--";
}

/** Parses `argv` (the arguments after `npm run dr --`) against the command tree `root`. */
export function parseCommandLine(argv: readonly string[], root: CommandNode): ParsedCommandLine {
    const terminator = argv.indexOf("--");
    const helpWanted = (terminator < 0 ? argv : argv.slice(0, terminator)).some(
        (arg) => arg === "--help" || arg === "-h",
    );
    const problems: string[] = [];
    let simulate = 0;

    let next = 0;
    for (; next < argv.length && isFlag(argv[next]); next++) {
        const arg = argv[next];
        if (arg === "--simulate") {
            simulate++;
        } else if (arg.startsWith("--simulate=")) {
            problems.push(problem("--simulate", "be given without a value", arg.slice("--simulate=".length)));
        } else if (arg !== "--help" && arg !== "-h") {
            problems.push(
                problem(arg, "come after the command's name (only --simulate and --help go before it)", arg) +
                    didYouMean(arg, GLOBAL_FLAGS, "--"),
            );
        }
    }

    let node = root;
    for (; next < argv.length && !isFlag(argv[next]) && node.children.size > 0; next++) {
        const child = node.children.get(argv[next]);
        if (child === undefined) {
            break;
        }
        node = child;
    }
    if (helpWanted) {
        return { kind: "help", node };
    }
    const definition = node.definition;
    if (definition === undefined) {
        problems.push(missingCommand(node, argv[next]));
        return { kind: "refused", node, problems };
    }
    const flags = parseFlags(argv.slice(next), definition);
    problems.push(...flags.problems);
    simulate += flags.simulate;
    if (simulate > 1) {
        problems.push(problem("--simulate", "be given once", simulate));
    }
    if (problems.length > 0) {
        return { kind: "refused", node, problems };
    }
    return { kind: "command", definition, values: flags.values, simulate: simulate === 1 };
}

/** The problem at a group (or the root) not followed by one of its commands. */
function missingCommand(node: CommandNode, given: string | undefined): string {
    const words = [...node.children.keys()];
    const field = node.path.length === 0 ? "the command" : `"${commandName(node.path)}"`;
    const requirement =
        words.length === 0
            ? "be a registered command, and none is registered"
            : node.path.length === 0
              ? `be one of ${words.join(", ")}`
              : `be followed by one of ${words.join(", ")}`;
    const hint =
        given === undefined
            ? ""
            : given === "help" || given === "-help"
              ? "; did you mean --help?"
              : didYouMean(given, words);
    return problem(field, requirement, given) + hint;
}
