import * as fs from "fs";
import * as path from "path";
import madge from "madge";
import { runAsMain } from "../lib/run-as-main";

/*
 * The import rules the layout depends on, checked over every TypeScript file of the repository
 * with madge's dependency graph: no import cycle anywhere, and nothing in lib/ (the pure rules
 * at the bottom) importing a file outside lib/. Type-only imports count: a cycle through
 * `import type` is still two modules that cannot be understood one without the other, and a
 * lib/ rule naming config/'s types has reached up all the same. There is no list of
 * tolerated cycles: every cycle fails.
 *
 *     npm run -s check:imports
 */

/** Directories never walked: installed packages, the compiler's output (tsconfig's outDir), Git's own. */
const EXCLUDED_DIRECTORIES: ReadonlySet<string> = new Set(["node_modules", "bin", ".git"]);

/** The bottom layer: its files may import only each other (and packages). */
const BOTTOM_LAYER = "lib";

/** One import from the bottom layer to a file above it. */
export interface UpImport {
    /** The importing file, relative to the root, e.g. `lib/kubernetes-access.ts`. */
    readonly from: string;
    /** The imported file, relative to the root, e.g. `config/keys.ts`. */
    readonly to: string;
}

/** What {@link checkImports} found. */
export interface ImportReport {
    /** How many files were checked: a check of none is no check. */
    readonly files: number;
    /** Each import cycle, as the files along it (relative to the root), from its alphabetically first file. */
    readonly cycles: readonly (readonly string[])[];
    /** Every import from lib/ to a file outside lib/. */
    readonly upImports: readonly UpImport[];
    /**
     * Relative imports madge could not resolve to a file: an edge the check cannot see, so it
     * fails rather than pass blind. (Unresolved package imports are tsc's business.)
     */
    readonly unresolved: readonly string[];
}

/** Every `.ts` file under `root`, outside {@link EXCLUDED_DIRECTORIES}, sorted. */
export function sourceFiles(root: string): string[] {
    const files: string[] = [];
    const walk = (directory: string) => {
        for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
            const full = path.join(directory, entry.name);
            if (entry.isDirectory() && !EXCLUDED_DIRECTORIES.has(entry.name)) {
                walk(full);
            } else if (entry.isFile() && entry.name.endsWith(".ts")) {
                files.push(full);
            }
        }
    };
    walk(root);
    return files.sort();
}

/** `cycle` written from its alphabetically first file, so that one cycle has one spelling. */
export function normalizeCycle(cycle: readonly string[]): string[] {
    const start = cycle.indexOf([...cycle].sort()[0]);
    return [...cycle.slice(start), ...cycle.slice(0, start)];
}

/**
 * Builds the import graph of every TypeScript file under `root` (resolved with its
 * tsconfig.json when there is one) and reports the cycles, the imports reaching up out of
 * lib/ and the relative imports that did not resolve.
 */
export async function checkImports(root: string): Promise<ImportReport> {
    const files = sourceFiles(root);
    if (files.length === 0) {
        return { files: 0, cycles: [], upImports: [], unresolved: [] };
    }
    const tsConfig = path.join(root, "tsconfig.json");
    // skipTypeImports is detective-typescript's switch (node_modules/detective-typescript/index.js:
    // `import type`, `export type ... from` and `import("x").T` are dropped only when it is
    // true); it is off by default and set off here so that a default changing cannot hide them.
    // mixedImports also counts `require("./x")` calls.
    const detective = { skipTypeImports: false, mixedImports: true };
    const graph = await madge(files, {
        baseDir: root,
        fileExtensions: ["ts"],
        ...(fs.existsSync(tsConfig) ? { tsConfig } : {}),
        detectiveOptions: { ts: detective, tsx: detective },
    });
    const upImports: UpImport[] = [];
    for (const [from, imports] of Object.entries(graph.obj())) {
        if (!from.startsWith(`${BOTTOM_LAYER}/`)) {
            continue;
        }
        for (const to of imports) {
            if (!to.startsWith(`${BOTTOM_LAYER}/`)) {
                upImports.push({ from, to });
            }
        }
    }
    const unresolved = graph.warnings().skipped.filter((specifier) => specifier.startsWith("."));
    return {
        files: files.length,
        cycles: graph.circular().map(normalizeCycle),
        upImports: upImports.sort((a, b) => `${a.from} ${a.to}`.localeCompare(`${b.from} ${b.to}`)),
        unresolved: [...new Set(unresolved)].sort(),
    };
}

/** One line per problem of `report`; empty when the rules hold. */
export function importProblems(report: ImportReport): string[] {
    return [
        ...(report.files === 0 ? ["no TypeScript files found: nothing was checked"] : []),
        ...report.cycles.map((cycle) => `import cycle: ${[...cycle, cycle[0]].join(" -> ")}`),
        ...report.upImports.map(
            ({ from, to }) => `${from} imports ${to}: ${BOTTOM_LAYER}/ may import only ${BOTTOM_LAYER}/`,
        ),
        ...report.unresolved.map((specifier) => `unresolved import ${specifier}: the check cannot see it`),
    ];
}

/** Checks the repository this script lives in; exit 1 listing every problem, 0 when none. */
async function main(): Promise<number> {
    const root = path.resolve(__dirname, "..");
    const report = await checkImports(root);
    const problems = importProblems(report);
    if (problems.length > 0) {
        process.stderr.write(`check-imports: ${problems.length} problem(s):\n`);
        process.stderr.write(problems.map((line) => `  ${line}\n`).join(""));
        return 1;
    }
    process.stdout.write(
        `check-imports: ${report.files} files, no import cycle, ${BOTTOM_LAYER}/ imports only ${BOTTOM_LAYER}/\n`,
    );
    return 0;
}

if (require.main === module) {
    runAsMain(main);
}
