import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { LineCounter, parseDocument, isMap, isPair, isScalar, isSeq, Node as YamlNode } from "yaml";
import { shellCommands } from "./shell-words";

/**
 * Every `aws ...` command the project shows an operator: in Markdown (README.md, docs/*.md,
 * fenced blocks and inline code), in workflow `run:` scripts, in shell scripts, and in the
 * string literals of automation/, lib/, components/ and stacks/ (runbook definitions, hints and
 * checks the commands print, the build scripts and start commands the program declares). Collected by reading the text, not from a list, so a new command is checked as soon
 * as it is written.
 */

/** One documented command, ready to run. */
export interface DocumentedCommand {
    /** The file it is in, relative to the project root. */
    readonly file: string;
    /** Its line (1-based). */
    readonly line: number;
    /** As written, placeholders and all. */
    readonly written: string;
    /** The words after `aws`, placeholders filled with plausible values. */
    readonly args: readonly string[];
}

/** Where the collector reads: files, or folders read recursively, relative to the root. */
export const DOCUMENTED_SOURCES = [
    "README.md",
    "docs",
    ".github/workflows",
    "scripts",
    "automation",
    "lib",
    "components",
    "stacks",
] as const;

/** A plausible value for a placeholder (`<dr region>`), variable (`$BOOT`) or code expression (`this.region`). */
export function plausible(name: string): string {
    const n = name.toLowerCase();
    const rules: [RegExp, string][] = [
        [/role.*arn/, "arn:aws:iam::123456789012:role/webank-backup"],
        [/recovery point.*arn|point.*arn/, "arn:aws:backup:us-east-1:123456789012:recovery-point:0f1e2d3c"],
        [/vault.*arn/, "arn:aws:backup:us-east-1:123456789012:backup-vault:webank-vault"],
        [/arn/, "arn:aws:rds:us-west-2:123456789012:db:webank-db"],
        [/time|date|iso|since|after|before/, "2026-11-25T02:30:00Z"],
        [/region|\bdr\b|\bhome\b/, "us-west-2"],
        [/account/, "123456789012"],
        [/kind/, "backup"],
        [/resourcetype/, "RDS"],
        [/zone/, "Z0123456789ABCDEFGHIJ"],
        [/record|wanted/, "app.webank.example"],
        [/bucket|shown|boot/, "webank-state-123456789012-us-west-2"],
        [/prefix/, "states/"],
        [/key/, "states/.pulumi/stacks/webank-dr/primary.json"],
        [/build/, "webank-mirror:0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"],
        [/cluster/, "webank-primary"],
        [/vault/, "webank-vault"],
        [/identifier|instance|source|snapshot|\bdb\b/, "webank-db"],
        [/id$|id\b/, "0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"],
    ];
    return rules.find(([pattern]) => pattern.test(n))?.[1] ?? "example";
}

/** Fills `<name:example>` (the runbook's format: the example), `<name>` and `...` placeholders. */
export function fillPlaceholders(text: string): string {
    return text
        .replace(/<([^<>:\n]+):([^<>\n]*)>/g, (_, _name: string, example: string) => example)
        .replace(/<([^<>\n]+)>/g, (_, name: string) => plausible(name))
        .replace(/(^|\s)\.\.\.(?=\s|$)/g, (_, space: string) => `${space}example`);
}

/** The 1-based line of `offset` in `text`. */
function lineAt(text: string, offset: number): number {
    return text.slice(0, offset).split("\n").length;
}

/** A snippet of shell-like text and where it starts in its file. */
interface Snippet {
    readonly text: string;
    readonly line: number;
    /** Prose (a string that is not code): commands start only where `aws` follows a separator. */
    readonly prose: boolean;
}

/** Where a command starts in prose: at the start, or after `:`, `;`, `(`, `$(`, `&&`, `|`. */
const PROSE_START = /(?:^|[;(|&]\s*|:\s+)aws\s+[a-z0-9]/g;

/** The `aws` commands of one snippet. */
function commandsOf(file: string, snippet: Snippet): DocumentedCommand[] {
    const starts = snippet.prose
        ? [...snippet.text.matchAll(PROSE_START)].map((m) => m.index + m[0].indexOf("aws"))
        : [0];
    return starts.flatMap((start) => {
        const rest = snippet.text.slice(start);
        const filled = fillPlaceholders(rest);
        return shellCommands(filled, plausible, snippet.prose)
            .filter((c) => c.words[0] === "aws")
            .map((c) => {
                const tail = filled.slice(c.offset).replace(/\\\n\s*/g, " ");
                const written = tail.split(/[;|&()\n`]/, 1)[0].trim();
                return {
                    file,
                    line: snippet.line + lineAt(snippet.text, start) + lineAt(filled, c.offset) - 2,
                    written,
                    args: c.words.slice(1),
                };
            });
    });
}

/**
 * The `aws` commands of one text by the same rules as the documented ones: as prose (a
 * command starts after a separator) or as a script; `line` is the text's first line in `file`.
 */
export function commandsInText(
    file: string,
    text: string,
    line: number,
    prose: boolean,
): DocumentedCommand[] {
    return commandsOf(file, { text, line, prose });
}

/** Markdown: fenced blocks as scripts, inline code spans (which may wrap a line) as commands. */
function markdownSnippets(text: string): Snippet[] {
    const snippets: Snippet[] = [];
    const fence = /^([ \t]*)(`{3,}|~{3,})[^\n]*\n([\s\S]*?)^\1?[ \t]*\2[ \t]*$/gm;
    let prose = text;
    for (const m of text.matchAll(fence)) {
        snippets.push({ text: m[3], line: lineAt(text, m.index) + 1, prose: false });
        prose = prose.slice(0, m.index) + m[0].replace(/[^\n]/g, " ") + prose.slice(m.index + m[0].length);
    }
    for (const m of prose.matchAll(/(`+)([^`][\s\S]*?)\1(?!`)/g)) {
        snippets.push({ text: m[2].replace(/\n/g, " "), line: lineAt(text, m.index), prose: false });
    }
    return snippets;
}

/** A workflow's `run:` scripts. */
function workflowSnippets(text: string): Snippet[] {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines });
    const snippets: Snippet[] = [];
    const visit = (node: unknown) => {
        if (isMap(node)) {
            for (const pair of node.items) {
                if (isPair(pair) && isScalar(pair.key) && pair.key.value === "run" && isScalar(pair.value)) {
                    const value = pair.value as YamlNode;
                    const block = pair.value.type === "BLOCK_LITERAL" || pair.value.type === "BLOCK_FOLDED";
                    const at = lines.linePos(value.range?.[0] ?? 0).line + (block ? 1 : 0);
                    snippets.push({ text: String(pair.value.value), line: at, prose: false });
                } else if (isPair(pair)) {
                    visit(pair.value);
                }
            }
        } else if (isSeq(node)) {
            node.items.forEach(visit);
        }
    };
    visit(doc.contents);
    return snippets;
}

/** A string expression's text, `${...}` and non-string operands of `+` replaced by plausible values. */
function stringValue(node: ts.Node): string | undefined {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
        return node.text;
    }
    if (ts.isTemplateExpression(node)) {
        return (
            node.head.text +
            node.templateSpans.map((s) => plausible(s.expression.getText()) + s.literal.text).join("")
        );
    }
    if (ts.isParenthesizedExpression(node)) {
        return stringValue(node.expression);
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
        const left = stringValue(node.left);
        const right = stringValue(node.right);
        if (left === undefined && right === undefined) {
            return undefined;
        }
        return (left ?? plausible(node.left.getText())) + (right ?? plausible(node.right.getText()));
    }
    return undefined;
}

/** TypeScript: every string (concatenations folded); its inline code spans, or the string as prose. */
function typescriptSnippets(file: string, text: string): Snippet[] {
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const snippets: Snippet[] = [];
    const visit = (node: ts.Node) => {
        const value = stringValue(node);
        if (value === undefined || ts.isTemplateSpan(node.parent)) {
            ts.forEachChild(node, visit);
            return;
        }
        const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
        if (value.includes("`")) {
            for (const m of value.matchAll(/`([^`]+)`/g)) {
                snippets.push({ text: m[1], line: line + lineAt(value, m.index) - 1, prose: true });
            }
        } else {
            snippets.push({ text: value, line, prose: true });
        }
    };
    visit(source);
    return snippets;
}

/** Every file under the sources with a readable extension, relative to `root`, sorted. */
function sourceFiles(root: string): string[] {
    const walk = (rel: string): string[] => {
        const full = path.join(root, rel);
        if (!fs.existsSync(full)) {
            return [];
        }
        if (fs.statSync(full).isFile()) {
            return [rel];
        }
        return fs
            .readdirSync(full)
            .filter((name) => name !== "node_modules")
            .flatMap((name) => walk(path.join(rel, name)));
    };
    return DOCUMENTED_SOURCES.flatMap(walk)
        .filter((f) => /\.(md|ya?ml|sh|ts)$/.test(f) && !f.endsWith(".d.ts"))
        .sort();
}

/** Every documented `aws` command under `root`, in file order. */
export function collectAwsCommands(root: string): DocumentedCommand[] {
    return sourceFiles(root).flatMap((file) => {
        const text = fs.readFileSync(path.join(root, file), "utf8");
        const snippets = file.endsWith(".md")
            ? markdownSnippets(text)
            : /\.ya?ml$/.test(file)
              ? workflowSnippets(text)
              : file.endsWith(".sh")
                ? [{ text, line: 1, prose: false }]
                : typescriptSnippets(file, text);
        return snippets.flatMap((s) => commandsOf(file, s));
    });
}
