import * as assert from "assert";
import { PROJECT_ROOT } from "../../config/stack-files";
import {
    awsCliInterpreter,
    awsCliVersion,
    parseAllWithAwsCli,
    scratchDir,
    withLocalFiles,
} from "../support/aws-cli";
import { collectAwsCommands, DocumentedCommand, fillPlaceholders, plausible } from "../support/aws-commands";
import { requirePeer } from "../support/peers";
import { shellCommands } from "../support/shell-words";
import { removeTempDir } from "../support/temp-dir";

/**
 * Every `aws ...` command the project shows an operator (README, docs/, the runbook's
 * definitions, workflows, scripts, and the hints and checks automation/ prints) is parsed by
 * the AWS CLI installed here, against an endpoint that cannot answer: an unknown option, an
 * invalid choice or a missing required argument fails, naming the file and line.
 */

/** Two CLI processes at a time: the machines running the suite have two cores, shared. */
const POOL = 2;

describe("documented aws commands", function () {
    const commands = collectAwsCommands(PROJECT_ROOT);
    let scratch = "";

    before(() => {
        scratch = scratchDir();
    });

    after(() => {
        if (scratch) {
            removeTempDir(scratch);
        }
    });

    it("are found where they are written (collection is not a hand list)", () => {
        const where = (file: string, pattern: RegExp) =>
            commands.some((c) => c.file === file && pattern.test(c.args.join(" ")));
        assert.ok(where("README.md", /^s3api create-bucket /), "README's bootstrap block");
        assert.ok(where("README.md", /^eks update-kubeconfig /), "README's table (inline code)");
        assert.ok(where("docs/runbook.md", /^route53 update-health-check /), "the generated runbook");
        assert.ok(
            where("automation/runbook/scenarios.ts", /^rds modify-db-instance /),
            "the runbook's definitions",
        );
        assert.ok(
            where("automation/commands/status/readiness.ts", /^route53 get-health-check /),
            "a status check",
        );
        assert.ok(commands.length >= 40, `found only ${commands.length} commands`);
    });

    it("reads shell as the shell does: variables, $(...), continuations, comments, prose", () => {
        const words = (text: string, prose = false) =>
            shellCommands(fillPlaceholders(text), plausible, prose).map((c) => c.words.join(" "));
        assert.deepStrictEqual(
            words('R=us-west-2\nK=$(aws kms create-key)\naws kms x --region $R \\\n  --id "$K" # c'),
            ["aws kms create-key", "aws kms x --region us-west-2 --id example"],
        );
        assert.deepStrictEqual(words("aws a b --id <id>, then run it again", true), [
            "aws a b --id 0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9",
        ]);
        assert.deepStrictEqual(words("aws a b --t <time:2026-01-01T00:00:00Z> >/dev/null 2>&1"), [
            "aws a b --t 2026-01-01T00:00:00Z",
        ]);
    });

    it("tells a rejected command from one that reached the endpoint (the check can fail)", async function () {
        requirePeer(this, "the AWS CLI (aws)", awsCliVersion());
        const [missing, unknown, invalid, good, local] = await parseAllWithAwsCli(
            [
                ["backup", "start-copy-job"],
                ["sts", "get-caller-identity", "--no-such-option"],
                ["rds", "describe-db-instancez"],
                ["sts", "get-caller-identity"],
                ["configure", "list"],
            ],
            scratch,
            POOL,
        );
        assert.strictEqual(missing.verdict, "rejected");
        assert.match(missing.reason, /--recovery-point-arn/);
        assert.strictEqual(unknown.verdict, "rejected");
        assert.strictEqual(invalid.verdict, "rejected");
        assert.strictEqual(good.verdict, "parsed", good.reason);
        assert.strictEqual(local.verdict, "parsed", `a command that calls no endpoint: ${local.reason}`);
    });

    it("are all accepted by the AWS CLI", async function () {
        requirePeer(this, "the AWS CLI (aws)", awsCliVersion());
        this.timeout(300_000);
        // One run per distinct command line; a failure names every place it is written.
        const byArgs = new Map<string, DocumentedCommand[]>();
        for (const c of commands) {
            const args = withLocalFiles(c.args, scratch, PROJECT_ROOT);
            const key = JSON.stringify(args);
            byArgs.set(key, [...(byArgs.get(key) ?? []), c]);
        }
        const started = Date.now();
        const verdicts = await parseAllWithAwsCli(
            [...byArgs.keys()].map((key) => JSON.parse(key) as string[]),
            scratch,
            POOL,
        );
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        console.log(
            `      ${commands.length} documented aws commands (${byArgs.size} distinct) parsed by ${awsCliVersion()} in ${seconds} s, ${POOL} ${awsCliInterpreter() ? "interpreters" : "processes"} at a time`,
        );
        const failures = [...byArgs.values()].flatMap((places, i) => {
            const v = verdicts[i];
            if (v.verdict === "parsed") {
                return [];
            }
            const at = places.map((p) => `${p.file}:${p.line}`).join(", ");
            return [
                `${at}: \`${places[0].written}\` is rejected by the AWS CLI (exit ${v.exitCode}): ${v.reason}`,
            ];
        });
        assert.deepStrictEqual(failures, [], failures.join("\n"));
    });
});
