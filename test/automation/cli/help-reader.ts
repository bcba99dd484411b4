import { OptionType } from "../../../automation/commands/definition";

/* Reads the flags back from `--help` output, as a script (or the typo test) would. */

/** One flag as `--help` shows it. */
export interface HelpFlag {
    readonly name: string;
    readonly type: OptionType;
    readonly choices?: readonly string[];
    readonly defaultValue?: string | number | boolean;
    readonly required: boolean;
}

/** The flags of the `Options:` section of `help`, in order: each line that starts with `--<name>`. */
export function flagsFromHelp(help: string): HelpFlag[] {
    const lines = help.split("\n");
    const start = lines.indexOf("Options:");
    if (start < 0) {
        throw new Error(`no Options section in:\n${help}`);
    }
    const flags: HelpFlag[] = [];
    for (const line of lines.slice(start + 1)) {
        if (line.trim() === "") {
            break;
        }
        const match = /^\s*--([a-z0-9-]+)\s+(.*)$/.exec(line);
        if (match === null) {
            continue;
        }
        const [, name, rest] = match;
        const type = /\[(string|boolean|integer)\]/.exec(rest)?.[1] as OptionType | undefined;
        if (type === undefined) {
            throw new Error(`--${name} shows no type: ${line}`);
        }
        const choices = /\[choices: (.*?)\]/.exec(rest)?.[1];
        const fallback = /\[default: (.*?)\]/.exec(rest)?.[1];
        flags.push({
            name,
            type,
            ...(choices === undefined ? {} : { choices: JSON.parse(`[${choices}]`) as string[] }),
            ...(fallback === undefined
                ? {}
                : { defaultValue: JSON.parse(fallback) as string | number | boolean }),
            required: rest.includes("[required]"),
        });
    }
    return flags;
}

/** The commands of a root or group help's `Commands:` section, e.g. `restore db`. */
export function commandsFromHelp(help: string, scriptName = "npm run dr --"): string[] {
    const lines = help.split("\n");
    const start = lines.indexOf("Commands:");
    if (start < 0) {
        return [];
    }
    const commands: string[] = [];
    for (const line of lines.slice(start + 1)) {
        if (line.trim() === "") {
            break;
        }
        const words = line
            .trim()
            .slice(scriptName.length)
            .trim()
            .split(/\s{2,}/)[0];
        commands.push(words);
    }
    return commands;
}
