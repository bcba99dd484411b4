// SourceMirror's argument validation: each malformed argument refused with its name and value
// before anything is declared, and every problem reported at once. Shared fixtures:
// source-mirror-fixtures.ts.
import * as assert from "assert";
import { SourceMirrorArgs } from "../../components/source-mirror";
import { InvalidInputError } from "../../lib/errors";
import { OfflineRunError } from "../../offline/engine";
import { inputsOf, named } from "../support/offline";
import { literal } from "../support/regex";
import { declareMirror, PROJECT } from "./source-mirror-fixtures";

/** Rejects with an OfflineRunError carrying an InvalidInputError whose message matches every pattern. */
async function assertRefused(overrides: Partial<SourceMirrorArgs>, ...patterns: RegExp[]): Promise<void> {
    await assert.rejects(
        () => declareMirror(overrides),
        (error: unknown) => {
            assert.ok(error instanceof OfflineRunError, `expected an OfflineRunError, got ${String(error)}`);
            assert.ok(error.cause instanceof InvalidInputError);
            for (const pattern of patterns) {
                assert.match(error.message, pattern);
            }
            // Validation runs before any child is declared.
            assert.deepStrictEqual(
                error.resources.filter((r) => r.type.startsWith("aws:")).map((r) => r.type),
                [],
            );
            return true;
        },
    );
}

describe("components/source-mirror: SourceMirror", () => {
    describe("argument validation", () => {
        for (const repository of [
            "platform",
            "webank/platform.git",
            "webank/platform/extra",
            "-webank/platform",
            "webank/..",
            'webank/platform"; curl evil #',
            "",
        ]) {
            it(`refuses repository ${JSON.stringify(repository)}, naming the argument and the value`, async () => {
                await assertRefused(
                    { repository },
                    /SourceMirror\(mirror\)\.repository must be a GitHub repository as "owner\/name"/,
                    new RegExp(`got ${literal(JSON.stringify(repository))}`),
                );
            });
        }

        for (const rpo of [5, 9]) {
            it(`refuses an RPO of ${rpo} minutes, too short for a scheduled job`, async () => {
                await assertRefused(
                    { rpoMinutes: rpo },
                    new RegExp(
                        `SourceMirror\\(mirror\\)\\.rpoMinutes must leave room for a scheduled job \\(an RPO of ${rpo} minutes is too short for a scheduled job: it must be at least 10 minutes\\); got ${rpo}$`,
                        "m",
                    ),
                );
            });
        }

        for (const rpo of [0, -30, 12.5]) {
            it(`refuses an RPO of ${rpo}`, async () => {
                await assertRefused(
                    { rpoMinutes: rpo },
                    new RegExp(
                        `SourceMirror\\(mirror\\)\\.rpoMinutes must be a positive whole number of minutes; got ${rpo}$`,
                        "m",
                    ),
                );
            });
        }

        it("refuses a secret ARN without its suffix (IAM would not match the real ARN)", async () => {
            const partial = "arn:aws:secretsmanager:us-east-1:123456789012:secret:webank/github-mirror-token";
            await assertRefused(
                { tokenSecretArn: partial },
                new RegExp(
                    `SourceMirror\\(mirror\\)\\.tokenSecretArn must be the complete ARN .*; got "${partial}"`,
                ),
            );
        });

        for (const accountId of ["12345678901", "1234567890123", "webank", ""]) {
            it(`refuses the account id ${JSON.stringify(accountId)} (the trust policies would deny every build)`, async () => {
                await assertRefused(
                    { accountId },
                    new RegExp(
                        `SourceMirror\\(mirror\\)\\.accountId must be a 12-digit AWS account id; got "${accountId}"`,
                    ),
                );
            });
        }

        for (const projectName of ["mirror of platform", "m", "x".repeat(56)]) {
            it(`refuses the project name ${JSON.stringify(projectName)} (CodeBuild or the rule name would reject it)`, async () => {
                await assertRefused(
                    { projectName },
                    new RegExp(
                        `SourceMirror\\(mirror\\)\\.projectName must be 2–55 letters.*; got "${projectName}"`,
                    ),
                );
            });
        }

        it("accepts a 55-character project name and names the log group and rule after it", async () => {
            const projectName = "p".repeat(55);
            const r = await declareMirror({ projectName });
            assert.strictEqual(inputsOf(named(r, PROJECT, "mirror-project")).name, projectName);
            assert.strictEqual(
                inputsOf(named(r, "aws:cloudwatch/logGroup:LogGroup", "mirror-logs")).name,
                `/aws/codebuild/${projectName}`,
            );
            assert.strictEqual(
                inputsOf(named(r, "aws:cloudwatch/eventRule:EventRule", "mirror-schedule")).name.length,
                64,
            );
        });

        it("reports every problem at once", async () => {
            await assertRefused(
                { repository: "nope", rpoMinutes: 5 },
                /2 problems/,
                /\.repository must/,
                /\.rpoMinutes must/,
            );
        });
    });
});
