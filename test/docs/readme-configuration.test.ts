import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { PROJECT_ROOT } from "../../config/stack-files";

/**
 * The README's "## Configuration" section is the operator's list of config keys. Every key
 * Pulumi.yaml declares under `config:` must have a row there, and every row must name a key
 * Pulumi.yaml declares: read from both files, never from a hand list, so a key added to (or
 * removed from) Pulumi.yaml fails here until the README says so.
 */

/** The heading of the README section that lists the keys. */
const SECTION = "## Configuration";

/** One key as Pulumi.yaml declares it. */
interface DeclaredKey {
    readonly type?: string;
    readonly default?: unknown;
    readonly secret?: boolean;
    readonly description?: string;
}

/** One table row of the section: the keys its first cell names, its default cell and its whole text. */
interface KeyRow {
    readonly line: number;
    readonly keys: readonly string[];
    readonly defaultCell: string;
    readonly text: string;
}

/** The project's own keys (`webank:<key>`, written without the namespace in Pulumi.yaml), with their declarations. */
function declaredKeys(): Map<string, DeclaredKey> {
    const project = parse(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), "utf8")) as {
        name: string;
        config?: Record<string, DeclaredKey>;
    };
    const keys = new Map<string, DeclaredKey>();
    for (const [key, declaration] of Object.entries(project.config ?? {})) {
        // A namespaced key (`aws:region`) would belong to another package, not to this project.
        if (!key.includes(":") || key.startsWith(`${project.name}:`)) {
            keys.set(key.replace(`${project.name}:`, ""), declaration ?? {});
        }
    }
    return keys;
}

/** The lines of the README's configuration section (to the next `## ` heading), with their line numbers. */
function configurationSection(readme: string): { line: number; text: string }[] {
    const lines = readme.split("\n");
    const start = lines.findIndex((l) => l.trim() === SECTION);
    assert.ok(start >= 0, `README.md has no "${SECTION}" heading`);
    const rest = lines.slice(start + 1);
    const end = rest.findIndex((l) => /^## /.test(l));
    return (end < 0 ? rest : rest.slice(0, end)).map((text, i) => ({ line: start + 2 + i, text }));
}

/** The cells of a Markdown table row (`\|` inside a cell is not a separator). */
function cells(row: string): string[] {
    return row
        .trim()
        .replace(/^\||\|$/g, "")
        .split(/(?<!\\)\|/)
        .map((c) => c.trim());
}

/**
 * Every row of every table in the section whose header's first column is `key`: the keys are
 * the code spans of the first cell (`webank:` optional), the default is the column headed
 * `default`.
 */
function keyRows(section: { line: number; text: string }[]): KeyRow[] {
    const rows: KeyRow[] = [];
    let defaultColumn = -1;
    let inKeyTable = false;
    for (const { line, text } of section) {
        if (!text.trim().startsWith("|")) {
            inKeyTable = false;
            continue;
        }
        const row = cells(text);
        if (row.every((c) => /^:?-+:?$/.test(c))) {
            continue;
        }
        if (!inKeyTable && row[0].toLowerCase() === "key") {
            inKeyTable = true;
            defaultColumn = row.findIndex((c) => c.toLowerCase() === "default");
            continue;
        }
        if (!inKeyTable) {
            continue;
        }
        const keys = [...row[0].matchAll(/`(?:webank:)?([A-Za-z0-9]+)`/g)].map((m) => m[1]);
        rows.push({ line, keys, defaultCell: defaultColumn >= 0 ? (row[defaultColumn] ?? "") : "", text });
    }
    return rows;
}

describe("README configuration section", () => {
    const declared = declaredKeys();
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
    const rows = keyRows(configurationSection(readme));
    const listed = new Map<string, KeyRow[]>();
    for (const row of rows) {
        for (const key of row.keys) {
            listed.set(key, [...(listed.get(key) ?? []), row]);
        }
    }

    it("finds Pulumi.yaml's keys and the README's key tables (the check can fail)", () => {
        assert.ok(declared.size >= 40, `Pulumi.yaml declares only ${declared.size} keys`);
        assert.ok(rows.length > 0, `no table headed "key" under "${SECTION}" in README.md`);
        assert.ok(
            rows.every((r) => r.keys.length > 0),
            `rows naming no key: ${rows
                .filter((r) => r.keys.length === 0)
                .map((r) => `README.md:${r.line}`)
                .join(", ")}`,
        );
    });

    it("lists every key Pulumi.yaml declares", () => {
        const missing = [...declared.keys()].filter((key) => !listed.has(key));
        assert.deepStrictEqual(
            missing,
            [],
            `README.md "${SECTION}" does not list ${missing.length} key(s) Pulumi.yaml declares: ${missing.map((k) => `webank:${k}`).join(", ")}`,
        );
    });

    it("lists only keys Pulumi.yaml declares", () => {
        const unknown = [...listed.entries()]
            .filter(([key]) => !declared.has(key))
            .map(([key, at]) => `webank:${key} (README.md:${at.map((r) => r.line).join(", ")})`);
        assert.deepStrictEqual(
            unknown,
            [],
            `README.md "${SECTION}" lists key(s) Pulumi.yaml does not declare: ${unknown.join(", ")}`,
        );
    });

    it("lists each key once", () => {
        const twice = [...listed.entries()]
            .filter(([, at]) => at.length > 1)
            .map(([key, at]) => `webank:${key} (README.md:${at.map((r) => r.line).join(", ")})`);
        assert.deepStrictEqual(twice, [], `keys listed more than once: ${twice.join(", ")}`);
    });

    it("says how to set each secret key (pulumi config set --secret)", () => {
        const unmarked = [...declared.entries()]
            .filter(([key, d]) => d.secret === true && listed.has(key))
            .filter(([key]) => !(listed.get(key) ?? []).some((r) => r.text.includes("--secret")))
            .map(([key]) => `webank:${key}`);
        assert.deepStrictEqual(
            unmarked,
            [],
            `secret keys whose row does not say --secret: ${unmarked.join(", ")}`,
        );
    });

    it("shows Pulumi.yaml's default of a key in its row's default column", () => {
        // A JSON default (objectives) is summarised in words, so only scalar defaults are compared.
        const wrong = [...declared.entries()]
            .filter(([key, d]) => d.default !== undefined && listed.has(key))
            .filter(([, d]) => !String(d.default).trim().startsWith("{"))
            .filter(
                ([key, d]) => !(listed.get(key) ?? []).some((r) => r.defaultCell.includes(String(d.default))),
            )
            .map(([key, d]) => `webank:${key} (Pulumi.yaml default ${String(d.default)})`);
        assert.deepStrictEqual(wrong, [], `rows whose default column does not show it: ${wrong.join(", ")}`);
    });
});
