import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { Document, isMap, isScalar, isSeq, LineCounter, Node, parseDocument } from "yaml";
import { formatProblem, ProblemCollector } from "../lib/errors";
import { CONFIG_DEFAULTS } from "./defaults";
import { CONFIG_NAMESPACE, CounterpartObjectives, RawStackConfig } from "./keys";
import { parseObjectives } from "./objectives";
import { counterpartOf } from "./role";
import { parseStackConfig, StackConfig } from "./stack-config";

/** The repository root: where Pulumi.yaml lives. */
export const PROJECT_ROOT = path.resolve(__dirname, "..");

/** One problem in a project or stack file, with its 1-based position when it has one. */
export interface StackFileProblem {
    /** What is wrong, e.g. the `yaml` package's message. */
    readonly message: string;
    /** Line, 1-based. @default none (the problem is with the whole file) */
    readonly line?: number;
    /** Column, 1-based. @default none */
    readonly column?: number;
}

/**
 * A Pulumi.yaml or Pulumi.<stack>.yaml that cannot be read: missing, not YAML, or not shaped
 * as Pulumi reads it. The message names the file and the position, `Pulumi.dr.yaml:7:3: ...`,
 * the form editors and terminals link to. It extends `RunError` so the Pulumi CLI prints the
 * message without a stack trace, as it does for {@link InvalidInputError}.
 */
export class StackFileError extends pulumi.RunError {
    /** Path of the file. */
    public readonly file: string;
    /** Every problem found in it; the first is the one to fix first. */
    public readonly problems: readonly StackFileProblem[];

    constructor(file: string, problems: readonly StackFileProblem[]) {
        const name = path.basename(file);
        super(
            problems
                .map((p) =>
                    p.line === undefined
                        ? `${name}: ${p.message}`
                        : `${name}:${p.line}:${p.column ?? 1}: ${p.message}`,
                )
                .join("\n"),
        );
        this.name = "StackFileError";
        this.file = file;
        this.problems = problems;
    }
}

/** Config of one stack as the Pulumi CLI would hand it to the program. */
export interface StackFileConfig {
    /** Project name from Pulumi.yaml. */
    readonly project: string;
    /** Stack name. */
    readonly stack: string;
    /** Every config value, keys with namespace, values as strings (objects as JSON). */
    readonly config: Record<string, string>;
    /** Keys whose values are `secure:` ciphertext in the stack file. */
    readonly secretKeys: string[];
    /** Packages listed in `pulumi:disable-default-providers`. */
    readonly disabledDefaultProviders: string[];
}

/** One project config key declaration in Pulumi.yaml. */
export interface ProjectConfigDeclaration {
    /** Pulumi config schema type: string, integer, boolean or array. */
    readonly type?: string;
    /** What the key means. */
    readonly description?: string;
    /** Value used when a stack does not set the key. */
    readonly default?: unknown;
    /** Value set for every stack (provider and engine keys). */
    readonly value?: unknown;
}

/** The parts of Pulumi.yaml the offline engine reads. */
export interface ProjectFile {
    /** Project name. */
    readonly name: string;
    /** Config declarations, keyed as written (project keys without namespace). */
    readonly config: Record<string, ProjectConfigDeclaration>;
}

/** Reads Pulumi.yaml; a {@link StackFileError} when it is missing or not shaped as Pulumi reads it. */
export function readProjectFile(root: string = PROJECT_ROOT): ProjectFile {
    const file = path.join(root, "Pulumi.yaml");
    if (!fs.existsSync(file)) {
        throw new StackFileError(file, [{ message: `there is no project file in ${root}` }]);
    }
    const yaml = readYaml(file);
    const top = yaml.mapping(yaml.document.contents, "the project file", "name:, runtime: and config: keys");
    const name = top?.name;
    if (typeof name !== "string" || name === "") {
        throw yaml.error(yaml.document.contents, 'the project file must have a name, e.g. "name: webank"');
    }
    const config: Record<string, ProjectConfigDeclaration> = {};
    for (const [key, value] of yaml.configEntries()) {
        // Pulumi also accepts a plain value in place of a declaration (the short form).
        config[key] =
            value !== null && typeof value === "object" && !Array.isArray(value) ? value : { value };
    }
    return { name, config };
}

/** The stacks that have a `Pulumi.<stack>.yaml` file, sorted with `primary` first. */
export function listStacks(root: string = PROJECT_ROOT): string[] {
    const names = fs
        .readdirSync(root)
        .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
        .filter((name): name is string => name !== undefined);
    return names.sort((a, b) => (a === "primary" ? -1 : b === "primary" ? 1 : a.localeCompare(b)));
}

/**
 * Reads a stack's config the way the Pulumi CLI assembles it: project defaults from
 * Pulumi.yaml, overlaid with the values in `Pulumi.<stack>.yaml`. Secret values cannot be
 * decrypted offline; they are passed as the secret placeholder and listed as secret keys.
 * A missing or malformed file is a {@link StackFileError} naming the file and the line.
 */
export function readStackConfig(stack: string, root: string = PROJECT_ROOT): StackFileConfig {
    const project = readProjectFile(root);
    const file = path.join(root, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        throw new StackFileError(file, [
            {
                message: `stack "${stack}" has no stack file (stacks here: ${listStacks(root).join(", ") || "none"})`,
            },
        ]);
    }
    const yaml = readYaml(file);
    yaml.mapping(yaml.document.contents, "a stack file", "a config: key");

    const config: Record<string, string> = {};
    for (const [name, declaration] of Object.entries(project.config)) {
        const fullKey = name.includes(":") ? name : `${project.name}:${name}`;
        const value = declaration.value ?? declaration.default;
        if (value !== undefined) {
            config[fullKey] = asConfigString(value);
        }
    }
    const secretKeys: string[] = [];
    let disabled: unknown = project.config["pulumi:disable-default-providers"]?.value;
    for (const [fullKey, value, node] of yaml.configEntries()) {
        // Pulumi's stack files hold namespaced keys only (`<namespace>:<name>`); a bare name
        // here is most likely a project key missing its `webank:`.
        if (!fullKey.includes(":")) {
            throw yaml.error(
                node,
                `config key ${fullKey} must be namespaced, e.g. ${CONFIG_NAMESPACE}:${fullKey}`,
            );
        }
        if (value === null) {
            throw yaml.error(node, `${fullKey} has no value: set one, or remove the key to use its default`);
        }
        if (typeof value === "object" && !Array.isArray(value) && "secure" in value) {
            config[fullKey] = "[secret]";
            secretKeys.push(fullKey);
            continue;
        }
        config[fullKey] = asConfigString(value);
        if (fullKey === "pulumi:disable-default-providers") {
            disabled = value;
            if (!Array.isArray(disabled) || !disabled.every((p) => typeof p === "string")) {
                throw yaml.error(node, `${fullKey} must be a list of package names, e.g. [aws]`);
            }
        }
    }
    return {
        project: project.name,
        stack,
        config,
        secretKeys,
        disabledDefaultProviders: Array.isArray(disabled) ? (disabled as string[]) : [],
    };
}

/** A project key's default in Pulumi.yaml, as Pulumi hands config to programs (a string), or `undefined`. */
export function projectDefault(project: ProjectFile, name: string): string | undefined {
    const declaration = project.config[name];
    const value = declaration?.value ?? declaration?.default;
    return value === undefined ? undefined : asConfigString(value);
}

/** What {@link parseStackConfig} reads, from a stack's files as {@link readStackConfig} assembles them. */
export function rawConfigOf(files: StackFileConfig, project: ProjectFile, now?: Date): RawStackConfig {
    const namespace = `${CONFIG_NAMESPACE}:`;
    const keys = Object.keys(files.config).filter((k) => k.startsWith(namespace));
    return {
        project: files.project,
        stack: files.stack,
        get: (key) => files.config[`${namespace}${key}`],
        keysSet: keys.map((k) => k.slice(namespace.length)),
        secretKeys: files.secretKeys
            .filter((k) => k.startsWith(namespace))
            .map((k) => k.slice(namespace.length)),
        ...(now ? { now } : {}),
        projectObjectives: projectDefault(project, "objectives"),
    };
}

/**
 * The objectives of the stack `stack` must agree with (primary for dr and drill stacks, dr
 * for primary; see `counterpartOf`), resolved from that stack's file exactly as its own run
 * resolves them; `undefined` when there is no such stack or it has no file here. When that
 * file's objectives are themselves invalid, nothing can be compared, so this is a
 * {@link StackFileError} naming that file and its problems.
 */
export function counterpartObjectives(
    stack: string,
    root: string = PROJECT_ROOT,
): CounterpartObjectives | undefined {
    const other = counterpartOf(stack);
    const file = other === undefined ? undefined : path.join(root, `Pulumi.${other}.yaml`);
    if (other === undefined || file === undefined || !fs.existsSync(file)) {
        return undefined;
    }
    const raw = rawConfigOf(readStackConfig(other, root), readProjectFile(root));
    const problems = new ProblemCollector();
    const resolved = parseObjectives(raw, problems);
    if (!resolved || !problems.ok) {
        throw new StackFileError(file, [
            {
                message: `the ${other} stack's objectives are invalid, so ${stack}'s cannot be checked against them (primary's make the backups, dr's judge them; the two must be equal): ${problems.all.map(formatProblem).join("; ")}`,
            },
        ]);
    }
    // Only dr has a posture; its default is the parser's (config/dr.ts).
    const posture = other === "dr" ? (raw.get("posture") ?? CONFIG_DEFAULTS.posture) : undefined;
    return {
        stack: other,
        file: path.basename(file),
        objectives: resolved.objectives,
        ...(posture === undefined ? {} : { drStackPosture: posture }),
    };
}

/**
 * The validated config of `stack` from the project's files, for the recovery CLI and the
 * offline tools: Pulumi.yaml's defaults overlaid by `Pulumi.<stack>.yaml` (as the Pulumi CLI
 * assembles them), the stack's objectives merged over Pulumi.yaml's default, and checked
 * against the counterpart stack's, exactly as the program checks them. Throws a
 * {@link StackFileError} for a file that cannot be read and an `InvalidInputError` for
 * invalid values; either message is complete without a stack trace.
 */
export function stackConfigFromFiles(
    stack: string,
    options: {
        /**
         * Directory holding Pulumi.yaml and the stack files.
         * @default PROJECT_ROOT
         */
        readonly root?: string;
        /**
         * The current time, for restore-time checks.
         * @default the clock
         */
        readonly now?: Date;
    } = {},
): StackConfig {
    const root = options.root ?? PROJECT_ROOT;
    const raw = rawConfigOf(readStackConfig(stack, root), readProjectFile(root), options.now);
    return parseStackConfig({ ...raw, counterpart: counterpartObjectives(stack, root) });
}

/** Pulumi hands config to programs as strings; structured values as JSON. */
function asConfigString(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

/** A parsed YAML file, with helpers that turn a node into an error at its position. */
interface YamlFile {
    readonly document: Document;
    /** A {@link StackFileError} at `node`'s first character (or the file's start). */
    error(node: unknown, message: string): StackFileError;
    /**
     * `node` as a plain object when it is a mapping (or empty: `undefined`); a
     * {@link StackFileError} saying `<what> must be a mapping with <keys>` otherwise.
     */
    mapping(node: unknown, what: string, keys: string): Record<string, unknown> | undefined;
    /** The `config:` entries, `[key, value, key node]`, checked to be a mapping with scalar keys. */
    configEntries(): Array<[string, unknown, unknown]>;
}

/**
 * Parses `file` with the `yaml` package. Syntax errors become one {@link StackFileError}
 * listing each at the line and column the parser reports (its own positions, through a
 * LineCounter), with the parser's own message.
 */
function readYaml(file: string): YamlFile {
    const lineCounter = new LineCounter();
    const document = parseDocument(fs.readFileSync(file, "utf8"), { lineCounter, prettyErrors: false });
    const at = (offset: number | undefined) => {
        const { line, col } = lineCounter.linePos(offset ?? 0);
        return { line, column: col };
    };
    if (document.errors.length > 0) {
        throw new StackFileError(
            file,
            document.errors.map((e) => ({ message: e.message, ...at(e.pos[0]) })),
        );
    }
    const error = (node: unknown, message: string) =>
        new StackFileError(file, [{ message, ...at((node as Node | null)?.range?.[0]) }]);
    const describe = (node: unknown): string =>
        isSeq(node)
            ? "a list"
            : isScalar(node)
              ? `the value ${JSON.stringify(node.value)}`
              : "something else";
    const isEmpty = (node: unknown) =>
        node === null || node === undefined || (isScalar(node) && node.value === null);
    const mapping = (node: unknown, what: string, keys: string) => {
        if (isEmpty(node)) {
            return undefined;
        }
        if (!isMap(node)) {
            throw error(node, `${what} must be a mapping with ${keys}; got ${describe(node)}`);
        }
        return node.toJS(document) as Record<string, unknown>;
    };
    const configEntries = (): Array<[string, unknown, unknown]> => {
        const top = document.contents;
        const config = isMap(top) ? top.get("config", true) : undefined;
        if (isEmpty(config)) {
            return [];
        }
        if (!isMap(config)) {
            throw error(config, `config must be a mapping of config keys to values; got ${describe(config)}`);
        }
        return config.items.map((pair) => {
            if (!isScalar(pair.key) || typeof pair.key.value !== "string") {
                throw error(pair.key, `a config key must be a name such as ${CONFIG_NAMESPACE}:drRegion`);
            }
            const value: unknown = pair.value === null ? null : (pair.value as Node).toJS(document);
            return [pair.key.value, value, pair.key];
        });
    };
    return { document, error, mapping, configEntries };
}
