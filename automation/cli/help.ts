import yargs from "yargs";
import { OptionSpec } from "../commands/definition";
import { CommandNode, commandName, commandsUnder } from "./command-tree";

/*
 * `--help`, rendered by yargs from the same option objects the parser checks, so the two
 * cannot disagree. yargs only renders here; it parses nothing (see parse-flags.ts for why).
 * Every flag is one line starting with `--<name>`, followed by its type, choices and default
 * in brackets, unwrapped, so that scripts and tests can read the flags back.
 */

/** How the operator starts the CLI, as usage lines show it. */
export const SCRIPT_NAME = "npm run dr --";

/** The CLI's own flags, as every command's help lists them. */
const GLOBAL_OPTIONS: Readonly<Record<string, OptionSpec>> = {
    simulate: {
        type: "boolean",
        describe: "run against the simulated AWS account kept in the work directory; touch nothing real",
    },
    help: { type: "boolean", describe: "show this help (-h too); needs no config and no credentials" },
};

/** What every help ends with: what the exit code means, which is what a 3 a.m. script checks. */
const EXIT_CODES =
    "exit codes: 0 done; 1 failed (resumable: run the same command again); 2 refused (nothing changed)";

/** The help text of `node`: the root and groups list their commands, a command its flags. */
export async function helpText(node: CommandNode): Promise<string> {
    const parser = yargs([])
        .scriptName(SCRIPT_NAME)
        .locale("en")
        .wrap(null)
        .help(false)
        .version(false)
        .exitProcess(false);
    const definition = node.definition;
    if (definition !== undefined) {
        parser.usage(`$0 ${commandName(definition.path)} [flags]\n\n${definition.summary}`);
        parser.options(yargsOptions({ ...definition.options, ...GLOBAL_OPTIONS }));
        parser.epilog(EXIT_CODES);
    } else {
        const where = node.path.length === 0 ? "<command>" : `${commandName(node.path)} <command>`;
        parser.usage(`$0 ${where} [flags]`);
        for (const command of commandsUnder(node)) {
            parser.command(commandName(command.path), command.summary);
        }
        parser.options(yargsOptions(GLOBAL_OPTIONS));
        parser.epilog(`${SCRIPT_NAME} <command> --help shows the flags of a command.\n${EXIT_CODES}`);
    }
    return parser.getHelp();
}

/** One yargs option per flag: yargs shows `[string]`/`[boolean]`; integers say so in words. */
function yargsOptions(specs: Readonly<Record<string, OptionSpec>>) {
    return Object.fromEntries(
        Object.entries(specs).map(([name, spec]) => [
            name,
            {
                ...(spec.type === "integer"
                    ? { describe: `${spec.describe}  [integer]` }
                    : { type: spec.type, describe: spec.describe }),
                ...(spec.choices === undefined ? {} : { choices: [...spec.choices] }),
                ...(spec.defaultValue === undefined ? {} : { default: spec.defaultValue }),
                ...(spec.required === true ? { demandOption: true } : {}),
            },
        ]),
    );
}
