import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../config/stack-files";
import { checkImports, importProblems, normalizeCycle } from "../../scripts/check-imports";
import { makeTempDir, removeTempDir } from "../support/temp-dir";

/*
 * scripts/check-imports.ts (npm run check:imports): proved on small fixture trees that it
 * catches what it is for (a cycle through type-only imports, lib/ reaching up, an import it
 * cannot resolve), then run over the repository itself.
 */

/** Writes `files` (path relative to the root, then content) under a new temporary root, with a tsconfig.json. */
function fixture(files: Record<string, string>): string {
    const root = makeTempDir("check-imports-");
    const all = { "tsconfig.json": '{"compilerOptions": {"module": "commonjs", "strict": true}}', ...files };
    for (const [file, content] of Object.entries(all)) {
        fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        fs.writeFileSync(path.join(root, file), content);
    }
    return root;
}

/** A small tree that breaks no rule: lib/ imports lib/, config/ imports lib/. */
const CLEAN = {
    "lib/rules.ts": 'import { LIMIT } from "./limits";\nexport const rule = (n: number) => n <= LIMIT;\n',
    "lib/limits.ts": "export const LIMIT = 3;\n",
    "config/parse.ts":
        'import { rule } from "../lib/rules";\nexport const parse = (s: string) => rule(Number(s));\n',
};

describe("scripts/check-imports.ts", function () {
    this.timeout(120_000);
    const roots: string[] = [];
    const make = (files: Record<string, string>) => {
        const root = fixture(files);
        roots.push(root);
        return root;
    };
    after(() => roots.forEach(removeTempDir));

    it("passes a tree that breaks no rule, having checked its files", async () => {
        const report = await checkImports(make(CLEAN));
        assert.strictEqual(report.files, 3);
        assert.deepStrictEqual(importProblems(report), []);
    });

    it("fails a cycle made only of type imports, listing it", async () => {
        const report = await checkImports(
            make({
                ...CLEAN,
                "config/keys.ts":
                    'import type { Settings } from "./settings";\nexport type Raw = Settings;\n',
                "config/settings.ts":
                    'import type { Raw } from "./keys";\nexport interface Settings { raw?: Raw }\n',
            }),
        );
        assert.deepStrictEqual(report.cycles, [["config/keys.ts", "config/settings.ts"]]);
        assert.deepStrictEqual(importProblems(report), [
            "import cycle: config/keys.ts -> config/settings.ts -> config/keys.ts",
        ]);
    });

    it("fails an import from lib/ to a file outside lib/, even a type-only re-export", async () => {
        const report = await checkImports(
            make({
                ...CLEAN,
                "config/keys.ts": "export type Key = string;\n",
                "lib/naming.ts": 'export type { Key } from "../config/keys";\n',
            }),
        );
        assert.deepStrictEqual(report.upImports, [{ from: "lib/naming.ts", to: "config/keys.ts" }]);
        assert.deepStrictEqual(importProblems(report), [
            "lib/naming.ts imports config/keys.ts: lib/ may import only lib/",
        ]);
    });

    it("fails a relative import it cannot resolve, since that edge would go unchecked", async () => {
        const report = await checkImports(make({ ...CLEAN, "lib/broken.ts": 'import "./missing";\n' }));
        assert.deepStrictEqual(importProblems(report), [
            "unresolved import ./missing: the check cannot see it",
        ]);
    });

    it("fails a longer cycle in automation/ too, through a value import, a require and a type import", async () => {
        const files = {
            "automation/a.ts": 'import { b } from "./b";\nexport const a = b + 1;\n',
            "automation/b.ts": 'export const b = require("./c").c as number;\n',
            "automation/c.ts": 'import type { a } from "./a";\nexport const c: typeof a = 1;\n',
        };
        const report = await checkImports(make({ ...CLEAN, ...files }));
        assert.deepStrictEqual(importProblems(report), [
            "import cycle: automation/a.ts -> automation/b.ts -> automation/c.ts -> automation/a.ts",
        ]);
    });

    it("writes a cycle from its alphabetically first file", () => {
        assert.deepStrictEqual(normalizeCycle(["c.ts", "a.ts", "b.ts"]), ["a.ts", "b.ts", "c.ts"]);
    });

    it("passes the repository: no import cycle anywhere, and lib/ imports only lib/", async () => {
        const report = await checkImports(PROJECT_ROOT);
        assert.ok(report.files > 300, `only ${report.files} files checked`);
        assert.deepStrictEqual(importProblems(report), []);
        assert.deepStrictEqual(report.cycles, []);
    });
});
