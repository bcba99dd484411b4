import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { PROJECT_ROOT } from "../../config/stack-files";
import { makeTempDir, removeTempDir } from "../support/temp-dir";

/** How one file of a project copy differs from the repository's: new text, a rewrite, or `null` to delete it. */
export type FileChange = string | ((text: string) => string) | null;

const copies: string[] = [];

/**
 * A copy of the project's Pulumi.yaml and stack files in a temporary directory, with
 * `changes` applied (file name → change; a file not in the project is created), so that a
 * test can break a file without touching the working tree. Removed by {@link removeProjectCopies}.
 */
export function projectCopy(changes: Readonly<Record<string, FileChange>> = {}): string {
    const dir = makeTempDir("webank-config-");
    copies.push(dir);
    for (const file of fs.readdirSync(PROJECT_ROOT).filter((f) => /^Pulumi(\..+)?\.yaml$/.test(f))) {
        fs.copyFileSync(path.join(PROJECT_ROOT, file), path.join(dir, file));
    }
    for (const [file, change] of Object.entries(changes)) {
        const target = path.join(dir, file);
        if (change === null) {
            fs.rmSync(target, { force: true });
        } else if (typeof change === "string") {
            fs.writeFileSync(target, change);
        } else {
            fs.writeFileSync(target, change(fs.existsSync(target) ? fs.readFileSync(target, "utf8") : ""));
        }
    }
    return dir;
}

/** A stack-file change that sets `values` (full keys) in its `config:`. */
export function withConfig(values: Readonly<Record<string, unknown>>): (text: string) => string {
    return (text) => {
        const document = (parse(text) ?? {}) as { config?: Record<string, unknown> };
        document.config = { ...document.config, ...values };
        return stringify(document);
    };
}

/** A Pulumi.yaml change that sets the `default` of project key `name`. */
export function withProjectDefault(name: string, value: unknown): (text: string) => string {
    return (text) => {
        const document = parse(text) as { config: Record<string, Record<string, unknown>> };
        document.config[name] = { ...document.config[name], default: value };
        return stringify(document);
    };
}

/** Removes every copy made so far; call it from an `after` hook. */
export function removeProjectCopies(): void {
    copies.splice(0).forEach(removeTempDir);
}
