import * as assert from "assert";
import { BatchGetProjectsCommand, StartBuildCommand, StopBuildCommand } from "@aws-sdk/client-codebuild";
import type { StackConfig } from "../../../../config/stack-config";
import type { CommandContext, OptionValues } from "../../../../automation/commands/definition";
import { failoverDefinition } from "../../../../automation/commands/failover/definition";
import type { FailoverRequest } from "../../../../automation/commands/failover/command";
import { journalCopyKey } from "../../../../automation/run/stores";
import { standardWorld } from "../../../../automation/simulation/standard-world";
import { SimulatedWorld } from "../../../../automation/simulation/world";
import { DR_BASE } from "../../../support/dr-config";
import { useTempDir } from "../../../support/temp-dir";
import {
    DEEP_LINK,
    DR_BUILD,
    DR_PROJECT,
    NO_SIGNALS,
    remoteBuild,
    RunnerRig,
    runnerExists,
    runnerRig,
} from "./on-runner-support";

/*
 * `failover --on-runner` on the operator's machine: the failover's own parser, the runner's
 * lookup, the confirmation, the upload and StartBuild (against the real CodeBuild adapter
 * over a mocked client, on-runner-support.ts), and the follower printing the build's log, the
 * journal copy's steps and the report, returning the remote failover's exit code. The remote
 * run's journal and report are written to the simulated DR buckets as the runner would.
 */

const NOW = new Date("2026-12-04T03:00:00Z");
const STATE = "webank-state-123456789012-us-west-2";
const ARTIFACTS = "webank-artifacts-123456789012-us-west-2";
const RUN_ID = "failover-2026-12-04T03-01-00-000Z-a1b2c3";
const WARM: StackConfig = { ...DR_BASE, dr: { ...DR_BASE.dr, posture: "warm" } };

/** The log of a remote failover that completed. */
const COMPLETED_LOG = [
    ["[Container] 2026/12/04 03:00:40 Entering phase BUILD", "npm ci --no-audit --no-fund"],
    [`failover run ${RUN_ID} (journal /codebuild/output/src/.journal/failover.json)`, "lock: done"],
    ["report: reports/x.json", "failover complete", "webank-dr runner exit code: 0"],
];

describe("automation/commands/failover --on-runner", () => {
    const dir = useTempDir("failover-on-runner-");
    let world: SimulatedWorld;
    let rig: RunnerRig;
    let config: StackConfig;
    beforeEach(() => {
        config = WARM;
        world = standardWorld(config, { now: NOW, posture: "warm" });
        rig = runnerRig(world, config);
    });
    afterEach(() => {
        assert.deepStrictEqual(rig.touched, [], "nothing of the home region, Route 53, the lock or kubectl");
    });
    const text = () => world.lines.join("\n");
    const parse = (values: OptionValues, simulated = false): FailoverRequest =>
        failoverDefinition.parse(values, { config, now: NOW, simulated });
    const run = (
        values: OptionValues,
        confirm?: (q: string) => Promise<boolean>,
        interrupts = NO_SIGNALS,
    ) => {
        const context: CommandContext = {
            config,
            ports: rig.ports,
            simulated: false,
            workDir: dir(),
            interrupts,
            ...(confirm ? { confirm } : {}),
        };
        return failoverDefinition.run({ ...parse(values), runnerPollMilliseconds: 0 }, context);
    };
    const sourceVersions = () => world.dr.buckets.get(ARTIFACTS)?.get("deploy-sources/dr.zip") ?? [];
    const putJson = (bucket: string, key: string, body: unknown) =>
        rig.ports.dr.objects.putObject(bucket, key, JSON.stringify(body), "application/json");
    const journal = (
        steps: string[],
        incidents: { step: string; outcome: string; detail: string }[] = [],
    ) => ({
        runId: RUN_ID,
        operation: "failover",
        status: "running",
        steps: steps.map((step) => ({
            step,
            completedAt: "2026-12-04T03:02:00.000Z",
            detail: `${step} detail`,
        })),
        incidents,
    });

    describe("its arguments, checked here by failover's own parser", () => {
        const problemsOf = (values: OptionValues, simulated = false) => {
            try {
                parse(values, simulated);
                return [];
            } catch (error) {
                return (error as { problems: string[] }).problems;
            }
        };
        it("refuses a bad failover argument exactly as without --on-runner", () => {
            for (const values of [
                { "restore-time": "yesterday" },
                { "failure-time": "2026-12-04" },
                { "accept-rpo": 5 },
                { "restore-time": "2026-12-04T02:00:00Z", "failure-time": "2026-12-04T01:00:00Z" },
            ]) {
                const without = problemsOf(values);
                assert.ok(without.length > 0, JSON.stringify(values));
                assert.deepStrictEqual(problemsOf({ ...values, "on-runner": true }), without);
            }
        });
        for (const [values, expected] of [
            [
                { "on-runner": true, journal: "j.json" },
                /^--journal must be left out with --on-runner: the journal is the build's own/,
            ],
            [{ "on-runner": true, "report-dir": "r" }, /^--report-dir must be left out with --on-runner/],
            [{ follow: DR_BUILD }, /^--follow must be given only with --on-runner; got "webank-dr-deploy:/],
            [
                { "on-runner": true, follow: "webank-primary-deploy:4b8c2f1e-9d3a-4e57-8a61-0c2b7d9e5f13" },
                /^--follow must be a build id of the dr stack's deploy runner, webank-dr-deploy:<UUID>/,
            ],
            [
                { "on-runner": true, follow: "4b8c2f1e-9d3a-4e57-8a61-0c2b7d9e5f13" },
                /^--follow must be a build id/,
            ],
            [
                { "on-runner": true, follow: DR_BUILD, "restore-time": "latest" },
                /^--restore-time must be left out with --follow/,
            ],
            [
                { "on-runner": true, follow: DR_BUILD, "dry-run": true },
                /^--dry-run must be left out with --follow/,
            ],
        ] as const) {
            it(`refuses ${JSON.stringify(values)}, naming the flag`, () => {
                const problems = problemsOf(values);
                assert.ok(
                    problems.some((p) => expected.test(p)),
                    problems.join("\n"),
                );
            });
        }
        it("refuses --on-runner under --simulate: the simulated runner runs no CLI", () => {
            assert.match(
                problemsOf({ "on-runner": true }, true).join("\n"),
                /^--on-runner must not be given with --simulate/,
            );
        });
        it("refuses everything before reaching CodeBuild or S3", () => {
            assert.throws(() => parse({ "on-runner": true, journal: "x" }));
            assert.strictEqual(rig.codebuild.calls().length, 0);
        });
    });

    it("a dry run looks the runner up and prints what it would start, starting and uploading nothing", async () => {
        runnerExists(rig);
        assert.strictEqual(await run({ "on-runner": true, "dry-run": true }), 0, text());
        assert.match(
            text(),
            /^DRY RUN: failover of webank to us-west-2 from its deploy runner webank-dr-deploy \(CodeBuild, us-west-2\); nothing will be started/m,
        );
        assert.match(
            text(),
            /start webank-dr-deploy on that version, running: npm run dr -- failover --restore-time latest --yes/,
        );
        assert.strictEqual(rig.codebuild.commandCalls(StartBuildCommand).length, 0);
        assert.deepStrictEqual(sourceVersions(), [], "no upload");
    });

    it("refuses, naming the posture, when the dr stack has no runner (a pilot light has none)", async () => {
        config = DR_BASE;
        world = standardWorld(config, { now: NOW });
        rig = runnerRig(world, config);
        rig.codebuild.on(BatchGetProjectsCommand).resolves({ projects: [], projectsNotFound: [DR_PROJECT] });
        assert.strictEqual(await run({ "on-runner": true, yes: true }), 2, text());
        assert.match(
            text(),
            /deploy runner webank-dr-deploy does not exist in us-west-2 .*its posture is pilot, which has no cluster and so no runner before a failover/,
        );
        assert.strictEqual(rig.codebuild.commandCalls(StartBuildCommand).length, 0);
        assert.deepStrictEqual(sourceVersions(), []);
    });

    it("asks here, naming the runner, its region and the exact command; a no starts nothing", async () => {
        runnerExists(rig);
        const questions: string[] = [];
        const code = await run({ "on-runner": true, "restore-time": "2026-12-04T02:30:00Z" }, (q) => {
            questions.push(q);
            return Promise.resolve(false);
        });
        assert.strictEqual(code, 2, text());
        assert.match(
            questions[0],
            /^Fail over webank to us-west-2 from its deploy runner webank-dr-deploy \(CodeBuild, us-west-2\)\? This takes the failover lock/,
        );
        assert.match(
            questions[0],
            /The runner runs: npm run dr -- failover --restore-time 2026-12-04T02:30:00\.000Z --yes$/,
        );
        assert.strictEqual(rig.codebuild.commandCalls(StartBuildCommand).length, 0);
        assert.deepStrictEqual(sourceVersions(), []);
    });

    it("resumes the unfinished run whose journal copy is newest in the DR state bucket, saying so", async () => {
        runnerExists(rig);
        remoteBuild(rig, COMPLETED_LOG, "SUCCEEDED");
        await putJson(STATE, journalCopyKey("failover", RUN_ID), {
            ...journal(["preflight-stack", "lock", "activate-config"]),
            status: "failed",
            simulated: false,
        });
        const questions: string[] = [];
        const code = await run({ "on-runner": true }, (q) => {
            questions.push(q);
            return Promise.resolve(true);
        });
        assert.strictEqual(code, 0, text());
        assert.match(
            questions[0],
            new RegExp(`^Resume the unfinished failover run ${RUN_ID} \\(failed, 3 steps done; `),
        );
        const input = rig.codebuild.commandCalls(StartBuildCommand)[0].args[0].input;
        assert.deepStrictEqual(input.environmentVariablesOverride?.[2], {
            name: "WEBANK_RESUME_RUN",
            value: RUN_ID,
            type: "PLAINTEXT",
        });
    });

    it("without a terminal, refuses unless --yes", async () => {
        runnerExists(rig);
        assert.strictEqual(await run({ "on-runner": true }), 2, text());
        assert.match(text(), /pass --yes to run it unattended/);
        assert.strictEqual(rig.codebuild.commandCalls(StartBuildCommand).length, 0);
    });

    it("uploads, starts the runner on exactly that version, follows log, journal and report, and exits 0", async () => {
        runnerExists(rig);
        remoteBuild(rig, COMPLETED_LOG, "SUCCEEDED", async (page) => {
            if (page === 1) {
                await putJson(
                    STATE,
                    journalCopyKey("failover", RUN_ID),
                    journal(["preflight-stack", "lock"]),
                );
            }
            if (page === 2) {
                await putJson(
                    STATE,
                    journalCopyKey("failover", RUN_ID),
                    journal(["preflight-stack", "lock", "up", "switch-traffic"]),
                );
                await putJson(ARTIFACTS, `recovery-reports/failover/${RUN_ID}.json`, {
                    outcome: "completed",
                    measurements: {
                        rto: { minutes: 42, objectiveMinutes: 60, met: true, span: "x" },
                        notes: [],
                    },
                });
            }
        });
        assert.strictEqual(
            await run({ "on-runner": true, yes: true, "failure-time": "2026-12-04T02:50:00Z" }),
            0,
            text(),
        );
        const [start] = rig.codebuild.commandCalls(StartBuildCommand);
        const input = start.args[0].input;
        const versions = sourceVersions();
        assert.strictEqual(versions.length, 1, "one upload");
        assert.strictEqual(input.sourceVersion, versions[0].versionId);
        assert.strictEqual(input.projectName, DR_PROJECT);
        assert.match(
            input.idempotencyToken ?? "",
            /^failover-on-runner-2026-12-04T03-00-00-000Z-[0-9a-f]{6}$/,
        );
        assert.deepStrictEqual(input.environmentVariablesOverride, [
            { name: "WEBANK_COMMAND", value: "failover", type: "PLAINTEXT" },
            {
                name: "WEBANK_ARGS",
                value: JSON.stringify([
                    "--restore-time",
                    "latest",
                    "--failure-time",
                    "2026-12-04T02:50:00.000Z",
                ]),
                type: "PLAINTEXT",
            },
        ]);
        assert.match(
            text(),
            new RegExp(`follow it again with: npm run dr -- failover --on-runner --follow ${DR_BUILD}`),
        );
        assert.match(text(), /^runner \| \[Container\] 2026\/12\/04 03:00:40 Entering phase BUILD$/m);
        assert.match(text(), /^runner \| failover complete$/m);
        for (const step of ["preflight-stack", "lock", "up", "switch-traffic"]) {
            assert.strictEqual(
                world.lines.filter((l) => l === `journal | ${step} done: ${step} detail`).length,
                1,
                step,
            );
        }
        assert.match(
            text(),
            new RegExp(`report: s3://${ARTIFACTS}/recovery-reports/failover/${RUN_ID}\\.json .*: completed`),
        );
        assert.match(text(), /measured RTO: 42 min \(objective 60 min: met\)/);
    });

    it("a failed build is a failure with its log link and the remote exit code", async () => {
        runnerExists(rig);
        remoteBuild(
            rig,
            [
                [
                    `failover run ${RUN_ID} (journal j)`,
                    "error: failover run x step up failed",
                    "webank-dr runner exit code: 1",
                ],
            ],
            "FAILED",
            async () =>
                void (await putJson(
                    STATE,
                    journalCopyKey("failover", RUN_ID),
                    journal(["preflight-stack"], [{ step: "up", outcome: "failed", detail: "boom" }]),
                )),
        );
        assert.strictEqual(await run({ "on-runner": true, yes: true }), 1, text());
        assert.match(
            text(),
            new RegExp(`build ${DR_BUILD} ended FAILED; its log: ${DEEP_LINK.replace(/[.?]/g, "\\$&")}`),
        );
        assert.match(text(), /^journal \| up failed: boom$/m);
        assert.match(text(), /no report at s3:\/\/.*the run ended before writing one/);
    });

    it("returns the remote refusal's exit code 2", async () => {
        runnerExists(rig);
        remoteBuild(rig, [["error: --restore-time must be ...", "webank-dr runner exit code: 2"]], "FAILED");
        assert.strictEqual(await run({ "on-runner": true, yes: true }), 2, text());
        assert.match(text(), /names no failover run: it stopped before the failover started/);
    });

    for (const status of ["TIMED_OUT", "STOPPED", "FAULT"] as const) {
        it(`a build that ended ${status} without an exit line is a failure (1)`, async () => {
            runnerExists(rig);
            remoteBuild(rig, [["[Container] Entering phase BUILD"]], status);
            assert.strictEqual(await run({ "on-runner": true, yes: true }), 1, text());
            assert.match(text(), new RegExp(`ended ${status}; its log: `));
        });
    }

    it("an interrupted follower leaves the build running and says how to follow it again", async () => {
        runnerExists(rig);
        let fire: (signal: string) => void = () => undefined;
        const interrupts = {
            onInterrupt: (listener: (signal: string) => void) => {
                fire = listener;
                return () => undefined;
            },
        };
        // The signal comes while the follower reads the first log page.
        remoteBuild(rig, [["still going"], ["later"]], "SUCCEEDED", (page) => {
            if (page === 0) {
                fire("SIGINT");
            }
            return Promise.resolve();
        });
        assert.strictEqual(await run({ "on-runner": true, yes: true }, undefined, interrupts), 1, text());
        assert.match(text(), new RegExp(`the failover in build ${DR_BUILD} was NOT stopped`));
        assert.match(
            text(),
            new RegExp(`follow it again with: npm run dr -- failover --on-runner --follow ${DR_BUILD}`),
        );
        assert.strictEqual(rig.codebuild.commandCalls(StopBuildCommand).length, 0);
    });

    it("--follow follows a build already started, uploading and starting nothing", async () => {
        runnerExists(rig);
        remoteBuild(rig, COMPLETED_LOG, "SUCCEEDED");
        assert.strictEqual(await run({ "on-runner": true, follow: DR_BUILD }), 0, text());
        assert.strictEqual(rig.codebuild.commandCalls(StartBuildCommand).length, 0);
        assert.deepStrictEqual(sourceVersions(), []);
        assert.match(text(), /^runner \| failover complete$/m);
    });
});
