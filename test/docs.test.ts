import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { PROJECT_ROOT } from "../config/stack-files";

/** Folders (with their subfolders) whose exported symbols are the project's API. */
const SOURCE_DIRS = ["components", "lib", "offline", "stacks", "policies", "automation"];

function tsFilesIn(dir: string): string[] {
    if (!fs.existsSync(dir)) {
        return [];
    }
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            return entry.name === "node_modules" ? [] : tsFilesIn(full);
        }
        return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [full] : [];
    });
}

function sourceFiles(): string[] {
    const topLevel = fs
        .readdirSync(PROJECT_ROOT)
        .filter((f) => f.endsWith(".ts") && f !== "index.ts")
        .map((f) => path.join(PROJECT_ROOT, f));
    return [...topLevel, ...SOURCE_DIRS.flatMap((dir) => tsFilesIn(path.join(PROJECT_ROOT, dir)))];
}

function hasDoc(node: ts.Node): boolean {
    return ts.getJSDocCommentsAndTags(node).length > 0;
}

function isExported(node: ts.Node): boolean {
    return (ts.getCombinedModifierFlags(node as ts.Declaration) & ts.ModifierFlags.Export) !== 0;
}

/** Every exported symbol, interface member and public class member without a doc comment. */
function undocumented(file: string): string[] {
    const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
    const missing: string[] = [];
    const where = (node: ts.Node, name: string) =>
        `${path.relative(PROJECT_ROOT, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} ${name}`;
    for (const statement of source.statements) {
        if (!isExported(statement)) {
            continue;
        }
        const name = ts.isVariableStatement(statement)
            ? statement.declarationList.declarations.map((d) => d.name.getText()).join(", ")
            : ((statement as ts.DeclarationStatement).name?.getText() ?? "(anonymous)");
        if (!hasDoc(statement)) {
            missing.push(where(statement, name));
        }
        if (ts.isInterfaceDeclaration(statement)) {
            for (const member of statement.members) {
                if (!hasDoc(member)) {
                    missing.push(where(member, `${name}.${member.name?.getText() ?? "?"}`));
                }
            }
        }
        if (ts.isClassDeclaration(statement)) {
            for (const member of statement.members) {
                const isPublic = !(
                    ts.getCombinedModifierFlags(member) &
                    (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)
                );
                if (
                    isPublic &&
                    (ts.isPropertyDeclaration(member) ||
                        ts.isMethodDeclaration(member) ||
                        ts.isGetAccessor(member)) &&
                    !hasDoc(member)
                ) {
                    missing.push(where(member, `${name}.${member.name.getText()}`));
                }
            }
        }
    }
    return missing;
}

describe("documentation", () => {
    it("has a doc comment on every exported symbol, Args field and public member", () => {
        const missing = sourceFiles().flatMap(undocumented);
        assert.deepStrictEqual(missing, [], `undocumented:\n  ${missing.join("\n  ")}`);
    });
});
