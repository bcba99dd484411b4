import * as assert from "assert";
import { commandTree } from "../../../automation/cli/command-tree";
import { ParsedCommandLine, parseCommandLine } from "../../../automation/cli/parse-argv";
import { literal } from "../../support/regex";
import { fakeRegistry, noCalls } from "./fakes";

const TREE = commandTree(fakeRegistry(noCalls()));

/** Parses `argv` against the fake registry. */
function parse(...argv: string[]): ParsedCommandLine {
    return parseCommandLine(argv, TREE);
}

/** The problems of a refused line (failing when it was not refused). */
function problems(...argv: string[]): readonly string[] {
    const line = parse(...argv);
    assert.strictEqual(line.kind, "refused", `${argv.join(" ")} was not refused: ${JSON.stringify(line)}`);
    return line.kind === "refused" ? line.problems : [];
}

/** The only problem of a refused line. */
function onlyProblem(...argv: string[]): string {
    const found = problems(...argv);
    assert.strictEqual(found.length, 1, found.join("\n"));
    return found[0];
}

describe("automation/cli/parse-argv: the strict command line", () => {
    it("hands a command its flags, typed, and nothing it was not given", () => {
        const line = parse(
            "fake",
            "--dry-run",
            "--journal",
            "j.json",
            "--restore-time=2026-11-25T02:00:00Z",
            "--format",
            "json",
            "--revision",
            "7",
        );
        assert.ok(line.kind === "command", JSON.stringify(line));
        assert.deepStrictEqual(line.definition.path, ["fake"]);
        assert.deepStrictEqual(line.values, {
            "dry-run": true,
            journal: "j.json",
            "restore-time": "2026-11-25T02:00:00Z",
            format: "json",
            revision: 7,
        });
        assert.strictEqual(line.simulate, false);
    });

    it("takes --simulate before the command's words or among its flags, never as a command value", () => {
        for (const argv of [
            ["--simulate", "fake"],
            ["fake", "--simulate"],
            ["--simulate", "group", "one"],
        ]) {
            const line = parse(...argv);
            assert.ok(line.kind === "command" && line.simulate, argv.join(" "));
            assert.deepStrictEqual(line.values, {});
        }
    });

    it("refuses a flag before the command's words other than --simulate and --help", () => {
        assert.strictEqual(
            onlyProblem("--yes", "fake"),
            '--yes must come after the command\'s name (only --simulate and --help go before it); got "--yes"',
        );
        assert.match(onlyProblem("--simulat", "fake"), /got "--simulat"; did you mean --simulate\?$/);
        assert.strictEqual(
            onlyProblem("--simulate=true", "fake"),
            '--simulate must be given without a value; got "true"',
        );
    });

    it("refuses an unknown command, suggesting the nearest", () => {
        assert.strictEqual(
            onlyProblem("fak", "--yes"),
            'the command must be one of fake, group, needs; got "fak"; did you mean fake?',
        );
        assert.strictEqual(onlyProblem(), "the command must be one of fake, group, needs; got nothing");
        assert.strictEqual(
            onlyProblem("zzzzzz"),
            'the command must be one of fake, group, needs; got "zzzzzz"',
        );
        assert.match(onlyProblem("help"), /did you mean --help\?$/);
    });

    it("refuses an unknown or missing subcommand, suggesting the nearest", () => {
        assert.strictEqual(
            onlyProblem("group", "onee"),
            '"group" must be followed by one of one, two; got "onee"; did you mean one?',
        );
        assert.strictEqual(onlyProblem("group"), '"group" must be followed by one of one, two; got nothing');
        assert.match(onlyProblem("group", "--yes", "one"), /^"group" must be followed by .*; got "--yes"$/);
    });

    it("refuses an argument that is not a flag", () => {
        assert.strictEqual(
            onlyProblem("fake", "extra"),
            'fake must be given no argument besides its flags; got "extra"',
        );
        assert.match(onlyProblem("fake", "dry-run"), /got "dry-run"; did you mean --dry-run\?$/);
        assert.match(onlyProblem("fake", "--", "--yes"), /fake must be given no argument .*; got "--yes"/);
        assert.match(
            onlyProblem("group", "one", "two"),
            /^group one must be given no argument .*; got "two"$/,
        );
    });

    it("refuses an unknown flag, in any spelling, naming it and suggesting the nearest", () => {
        const cases: [string, string][] = [
            ["--dryrun", '--dryrun must be a flag of fake; got "--dryrun"; did you mean --dry-run?'],
            ["--dryRun", '--dryRun must be a flag of fake; got "--dryRun"; did you mean --dry-run?'],
            ["--dry-Run", '--dry-Run must be a flag of fake; got "--dry-Run"; did you mean --dry-run?'],
            ["--DRY-RUN", '--DRY-RUN must be a flag of fake; got "--DRY-RUN"; did you mean --dry-run?'],
            ["--dry_run", '--dry_run must be a flag of fake; got "--dry_run"; did you mean --dry-run?'],
            ["--no-yes", '--no-yes must be a flag of fake; got "--no-yes"; did you mean --yes?'],
            ["--dry", '--dry must be a flag of fake; got "--dry"; did you mean --dry-run?'],
            [
                "--restore-tme=x",
                '--restore-tme must be a flag of fake; got "--restore-tme=x"; did you mean --restore-time?',
            ],
            ["---dry-run", '---dry-run must be a flag of fake; got "---dry-run"; did you mean --dry-run?'],
            ["--bogus", '--bogus must be a flag of fake; got "--bogus"'],
        ];
        for (const [flag, message] of cases) {
            assert.strictEqual(onlyProblem("fake", flag), message);
        }
    });

    it("refuses short flags other than -h, whole, not letter by letter", () => {
        assert.strictEqual(
            onlyProblem("fake", "-y"),
            '-y must be a flag of fake (flags are --<name>; only -h is short); got "-y"; did you mean --yes?',
        );
        assert.match(
            onlyProblem("fake", "-dry-run"),
            /^-dry-run must .*; got "-dry-run"; did you mean --dry-run\?$/,
        );
        assert.match(onlyProblem("fake", "-hy"), /got "-hy"/);
    });

    it("refuses a value given to a boolean flag", () => {
        assert.strictEqual(
            onlyProblem("fake", "--yes=true"),
            '--yes must be given without a value (leave the flag out for no); got "true"',
        );
        assert.match(
            onlyProblem("fake", "--dry-run=false"),
            /^--dry-run must be given without a value.*; got "false"$/,
        );
        assert.match(onlyProblem("fake", "--yes="), /; got ""$/);
    });

    it("refuses a string flag without a value, with an empty one, or swallowing the next flag", () => {
        assert.strictEqual(
            onlyProblem("fake", "--journal"),
            "--journal must be given a value (--journal <value>); got nothing",
        );
        assert.strictEqual(
            onlyProblem("fake", "--journal="),
            '--journal must be given a non-empty value; got ""',
        );
        assert.strictEqual(
            onlyProblem("fake", "--journal", " "),
            '--journal must be given a non-empty value; got " "',
        );
        assert.strictEqual(
            onlyProblem("fake", "--restore-time", "--yes"),
            '--restore-time must be followed by its value, not another flag (--restore-time=<value> for one starting with -); got "--yes"',
        );
        assert.match(
            onlyProblem("fake", "--journal", "-y"),
            /^--journal must be followed by its value.*; got "-y"$/,
        );
    });

    it("refuses an integer flag that is not a whole number", () => {
        for (const value of ["abc", "1.5", "1e3", "0x10", "+3", "", "9007199254740993"]) {
            assert.match(
                onlyProblem("fake", `--revision=${value}`),
                new RegExp(
                    `^--revision must be (a whole number|given a non-empty value); got ${literal(JSON.stringify(value))}$`,
                ),
                value,
            );
        }
        assert.match(onlyProblem("fake", "--revision=-1"), /^--revision must be a whole number; got "-1"$/);
        const line = parse("fake", "--revision=007");
        assert.ok(line.kind === "command" && line.values.revision === 7);
    });

    it("refuses a value outside the flag's choices, suggesting the nearest", () => {
        assert.strictEqual(
            onlyProblem("fake", "--format", "xml"),
            '--format must be one of text, json; got "xml"',
        );
        assert.strictEqual(
            onlyProblem("fake", "--format", "jsno"),
            '--format must be one of text, json; got "jsno"; did you mean json?',
        );
        assert.match(onlyProblem("fake", "--format", "JSON"), /got "JSON"; did you mean json\?$/);
    });

    it("refuses a flag given twice, showing both values", () => {
        assert.strictEqual(
            onlyProblem("fake", "--yes", "--yes"),
            "--yes must be given once; got [true,true]",
        );
        assert.strictEqual(
            onlyProblem("fake", "--format", "json", "--format=text"),
            '--format must be given once; got ["json","text"]',
        );
        assert.strictEqual(
            onlyProblem("--simulate", "fake", "--simulate"),
            "--simulate must be given once; got 2",
        );
    });

    it("refuses a command without its required flag", () => {
        assert.strictEqual(
            onlyProblem("needs"),
            "--release must be given (needs cannot run without it); got nothing",
        );
        assert.strictEqual(parse("needs", "--release", "r1").kind, "command");
    });

    it("reports every problem of the line, not only the first", () => {
        const found = problems("fake", "--dryrun", "--yes=1", "--format", "xml", "extra", "--revision", "x");
        assert.deepStrictEqual(
            found.map((p) => p.split(" ")[0]),
            ["--dryrun", "--yes", "--format", "fake", "--revision"],
        );
        assert.deepStrictEqual(
            problems("--bogus", "needs", "-x").map((p) => p.split(" ")[0]),
            ["--bogus", "-x", "--release"],
        );
    });

    it("shows help for --help or -h anywhere, of the deepest command named", () => {
        const helpOf = (...argv: string[]) => {
            const line = parse(...argv);
            assert.strictEqual(line.kind, "help", argv.join(" "));
            return line.kind === "help" ? line.node.path.join(" ") : undefined;
        };
        assert.strictEqual(helpOf("--help"), "");
        assert.strictEqual(helpOf("-h"), "");
        assert.strictEqual(helpOf("fake", "--help"), "fake");
        assert.strictEqual(helpOf("fake", "--dryrun", "-h"), "fake");
        assert.strictEqual(helpOf("--simulate", "group", "one", "--bogus", "--help"), "group one");
        assert.strictEqual(helpOf("group", "--help"), "group");
        assert.strictEqual(helpOf("group", "three", "--help"), "group");
        assert.strictEqual(helpOf("--help", "fake"), "fake");
        assert.strictEqual(parse("fake", "--", "--help").kind, "refused");
        assert.strictEqual(parse("fake", "--help=yes").kind, "refused");
    });
});
