import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

/** The repository root: where Pulumi.yaml lives. */
export const PROJECT_ROOT = path.resolve(__dirname, "..");

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

/** Reads Pulumi.yaml. */
export function readProjectFile(root: string = PROJECT_ROOT): ProjectFile {
    const document = parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as {
        name: string;
        config?: Record<string, ProjectConfigDeclaration>;
    };
    return { name: document.name, config: document.config ?? {} };
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
 */
export function readStackConfig(stack: string, root: string = PROJECT_ROOT): StackFileConfig {
    const project = readProjectFile(root);
    const file = path.join(root, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        throw new Error(
            `stack "${stack}" has no config file ${path.basename(file)} (stacks here: ${listStacks(root).join(", ")})`,
        );
    }
    const stackDocument = (parse(fs.readFileSync(file, "utf8")) ?? {}) as {
        config?: Record<string, unknown>;
    };

    const config: Record<string, string> = {};
    for (const [name, declaration] of Object.entries(project.config)) {
        const fullKey = name.includes(":") ? name : `${project.name}:${name}`;
        const value = declaration.value ?? declaration.default;
        if (value !== undefined) {
            config[fullKey] = asConfigString(value);
        }
    }
    const secretKeys: string[] = [];
    for (const [fullKey, value] of Object.entries(stackDocument.config ?? {})) {
        if (value !== null && typeof value === "object" && "secure" in value) {
            config[fullKey] = "[secret]";
            secretKeys.push(fullKey);
        } else {
            config[fullKey] = asConfigString(value);
        }
    }
    const disabled = config["pulumi:disable-default-providers"];
    return {
        project: project.name,
        stack,
        config,
        secretKeys,
        disabledDefaultProviders: disabled ? (JSON.parse(disabled) as string[]) : [],
    };
}

/** Pulumi hands config to programs as strings; structured values as JSON. */
function asConfigString(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}
