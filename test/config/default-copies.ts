import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { parse } from "yaml";
import { PROJECT_ROOT } from "../../config/stack-files";

/*
 * Readers of the places that repeat a config default (Pulumi.yaml's descriptions, the README's
 * configuration tables, the `@default` tags of the settings fields in config/), and the rules
 * that compare each with the defaults table. Each rule is a function of the copies it reads,
 * so test/config/defaults.test.ts can run it on the real files and on a broken copy.
 */

/** A default as config/defaults.ts holds it. */
export type DefaultValue = string | number | boolean | readonly string[] | Readonly<Record<string, never>>;

/** The defaults table, as the rules read it. */
export type DefaultsTable = Readonly<Record<string, DefaultValue>>;

/** One key as Pulumi.yaml declares it (the fields the rules read). */
export interface Declaration {
    /** The key's description. */
    readonly description?: string;
    /** The project value Pulumi hands the program when the stack sets none. */
    readonly default?: unknown;
}

/** The sentence a Pulumi.yaml description ends with when the key has a code default. */
const STATED = /(?:^|\s)Default: (.+)\.$/;

/** `default` written in prose anywhere else: the table is the one owner. */
const PROSE = /\bdefault\b/i;

/** A default as Pulumi.yaml's description states it: `Default: db.r6g.large.`, `Default: [].` */
export function yamlText(value: DefaultValue): string {
    return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** A default as the README's default column shows it: code spans for text and JSON, numbers and booleans bare. */
export function readmeText(value: DefaultValue): string {
    return typeof value === "number" || typeof value === "boolean" ? String(value) : `\`${yamlText(value)}\``;
}

/** A default as a `@default` tag holds it: the TypeScript literal (`"db.r6g.large"`, `16`, `[]`). */
export function tagText(value: DefaultValue): string {
    return JSON.stringify(value);
}

/** True when `text` is `expected`, or `expected` followed by an explanation (`: ...`, `; ...`, ` (...)`). */
function startsWithValue(text: string, expected: string): boolean {
    return text === expected || [":", ";", " ("].some((next) => text.startsWith(`${expected}${next}`));
}

/** Pulumi.yaml's project keys (without the namespace). */
export function readDeclarations(root: string = PROJECT_ROOT): Record<string, Declaration> {
    const project = parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as {
        config: Record<string, Declaration>;
    };
    return project.config;
}

/**
 * Pulumi.yaml against the table: a key the table defaults ends its description with
 * `Default: <value>.` and says "default" nowhere else; a key it does not default states none;
 * a key with a `default:` field (a project value) is not in the table and states no `Default:`.
 */
export function yamlProblems(table: DefaultsTable, declarations: Record<string, Declaration>): string[] {
    const problems: string[] = [];
    for (const [key, declaration] of Object.entries(declarations)) {
        const description = declaration.description ?? "";
        const stated = STATED.exec(description);
        const rest = stated ? description.slice(0, stated.index) : description;
        if (declaration.default !== undefined) {
            if (key in table) {
                problems.push(`${key}: Pulumi.yaml sets it (default:), so the table must not default it too`);
            }
            if (stated) {
                problems.push(`${key}: its description states "Default:" beside Pulumi.yaml's own default:`);
            }
            continue;
        }
        if (!(key in table)) {
            if (stated || PROSE.test(description)) {
                problems.push(`${key}: Pulumi.yaml states a default that config/defaults.ts does not know`);
            }
            continue;
        }
        const expected = yamlText(table[key]);
        if (!stated) {
            problems.push(`${key}: its description must end with "Default: ${expected}."`);
        } else if (stated[1] !== expected) {
            problems.push(`${key}: Pulumi.yaml says "Default: ${stated[1]}.", the table ${expected}`);
        }
        if (PROSE.test(rest)) {
            problems.push(`${key}: its description talks of a default in prose besides its final "Default:"`);
        }
    }
    for (const key of Object.keys(table).filter((k) => !(k in declarations))) {
        problems.push(`${key}: in the table but not declared in Pulumi.yaml`);
    }
    return problems;
}

/** One row of a README key table: the keys its first cell names and its default cell. */
export interface ReadmeRow {
    /** 1-based line in README.md. */
    readonly line: number;
    /** The keys, from the code spans of the first cell. */
    readonly keys: readonly string[];
    /** The cell of the `default` column. */
    readonly cell: string;
}

/** The key tables' rows of the README's "## Configuration" section. */
export function readReadmeRows(readme: string): ReadmeRow[] {
    const lines = readme.split("\n");
    const start = lines.findIndex((l) => l.trim() === "## Configuration");
    const rows: ReadmeRow[] = [];
    let column = -1;
    for (let i = start + 1; i > 0 && i < lines.length && !/^## /.test(lines[i]); i++) {
        const text = lines[i].trim();
        if (!text.startsWith("|")) {
            column = -1;
            continue;
        }
        const cells = text
            .replace(/^\||\|$/g, "")
            .split(/(?<!\\)\|/)
            .map((c) => c.trim());
        if (cells[0].toLowerCase() === "key") {
            column = cells.findIndex((c) => c.toLowerCase() === "default");
        } else if (column >= 0 && !cells.every((c) => /^:?-+:?$/.test(c))) {
            const keys = [...cells[0].matchAll(/`(?:webank:)?([A-Za-z0-9]+)`/g)].map((m) => m[1]);
            rows.push({ line: i + 1, keys, cell: cells[column] ?? "" });
        }
    }
    return rows;
}

/**
 * The README against the table: a row of defaulted keys shows their defaults (in key order,
 * `, `-separated) first in its default cell; a row of keys without one does not begin with a
 * literal (a code span, a number, true or false); a project value's row says "(Pulumi.yaml)".
 */
export function readmeProblems(
    table: DefaultsTable,
    declarations: Record<string, Declaration>,
    rows: readonly ReadmeRow[],
): string[] {
    const problems: string[] = [];
    for (const { line, keys, cell } of rows) {
        const at = `README.md:${line} (${keys.join(", ")})`;
        const defaulted = keys.filter((k) => k in table);
        if (defaulted.length > 0 && defaulted.length < keys.length) {
            problems.push(`${at}: one row mixes keys with and without a default`);
        } else if (defaulted.length > 0) {
            const expected = keys.map((k) => readmeText(table[k])).join(", ");
            if (!startsWithValue(cell, expected)) {
                problems.push(`${at}: the default column says "${cell}", the table ${expected}`);
            }
        } else if (keys.some((k) => declarations[k]?.default !== undefined)) {
            if (!cell.includes("(Pulumi.yaml)")) {
                problems.push(`${at}: a project value's default column must say (Pulumi.yaml)`);
            }
        } else if (/^(`|\d|true\b|false\b)/.test(cell)) {
            problems.push(
                `${at}: the default column states "${cell}", which config/defaults.ts does not know`,
            );
        }
    }
    const listed = new Set(rows.flatMap((r) => r.keys));
    for (const key of Object.keys(table).filter((k) => !listed.has(k))) {
        problems.push(`${key}: in the table but in no README row`);
    }
    return problems;
}

/** One documented field of a settings interface in config/. */
export interface DocumentedField {
    /** `config/<file>.ts:<line>`. */
    readonly at: string;
    /**
     * The first `webank:<key>` its comment names (the key that sets it), if any; a field of a
     * JSON key is named with its path, `drill.scope`.
     */
    readonly key?: string;
    /** Its comment without the tags. */
    readonly text: string;
    /** Its `@default` tag's text, if it has one. */
    readonly defaultTag?: string;
}

/** Every property with a doc comment in the TypeScript files of `directory`, read with the compiler API. */
export function readDocumentedFields(
    directory: string = path.join(PROJECT_ROOT, "config"),
): DocumentedField[] {
    const fields: DocumentedField[] = [];
    for (const name of fs
        .readdirSync(directory)
        .filter((f) => f.endsWith(".ts"))
        .sort()) {
        const file = path.join(directory, name);
        const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
        const visit = (node: ts.Node) => {
            if (ts.isPropertySignature(node) || ts.isPropertyDeclaration(node)) {
                for (const doc of ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc)) {
                    const text = ts.getTextOfJSDocComment(doc.comment) ?? "";
                    const tag = doc.tags?.find((t) => t.tagName.text === "default");
                    const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
                    fields.push({
                        at: `${path.relative(PROJECT_ROOT, file)}:${line}`,
                        key: /webank:([A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*)/.exec(text)?.[1],
                        text,
                        ...(tag ? { defaultTag: (ts.getTextOfJSDocComment(tag.comment) ?? "").trim() } : {}),
                    });
                }
            }
            ts.forEachChild(node, visit);
        };
        visit(source);
    }
    return fields;
}

/**
 * The `@default` tags against the table: each defaulted key has a field whose comment names it
 * first and whose tag holds the default (optionally explained after it); a field of a key the
 * table does not default has no literal `@default`; no field says "Default ..." in prose.
 */
export function tagProblems(table: DefaultsTable, fields: readonly DocumentedField[]): string[] {
    const problems: string[] = [];
    for (const key of Object.keys(table)) {
        const tagged = fields.filter((f) => f.key === key && f.defaultTag !== undefined);
        const expected = tagText(table[key]);
        if (tagged.length === 0) {
            problems.push(`${key}: no field naming webank:${key} first has @default ${expected}`);
        }
        for (const field of tagged.filter((f) => !startsWithValue(f.defaultTag ?? "", expected))) {
            problems.push(`${field.at} (${key}): @default ${field.defaultTag}, the table ${expected}`);
        }
    }
    for (const field of fields) {
        const literal = /^("|\d|\[|\{|true\b|false\b)/.test(field.defaultTag ?? "");
        // A field of a JSON key (`drill.scope`) has its parser's default, not the table's.
        const key = field.key;
        if (key !== undefined && !key.includes(".") && !(key in table) && literal) {
            problems.push(
                `${field.at} (${field.key}): @default ${field.defaultTag}, which the table does not know`,
            );
        }
        if (/\bDefault\b|\(default[);,]/.test(field.text)) {
            problems.push(`${field.at}: states a default in prose; use @default`);
        }
    }
    return problems;
}
