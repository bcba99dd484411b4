import * as assert from "assert";
import { execFileSync } from "child_process";
import { EventEmitter } from "events";
import { PassThrough } from "stream";
import * as fs from "fs";
import * as path from "path";
import { main } from "../../../automation/cli/main";
import { terminalConfirm } from "../../../automation/cli/terminal";
import { CommandContext } from "../../../automation/commands/definition";
import { Refusal, UsageError } from "../../../automation/run/refusal";
import { PROJECT_ROOT } from "../../../config/stack-files";
import { makeTempDir } from "../../support/temp-dir";
import { captureIo, fakeCommand, FakeCalls, fakeRegistry, noCalls } from "./fakes";

/** Runs `npm run dr -- <args>` as a user would (without npm's banner). */
function dr(...args: string[]): { stdout: string; stderr: string; code: number } {
    try {
        const stdout = execFileSync(
            process.execPath,
            ["-r", "ts-node/register/transpile-only", "automation/cli/main.ts", ...args],
            { cwd: PROJECT_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
        );
        return { stdout, stderr: "", code: 0 };
    } catch (error) {
        const failed = error as { stdout: string; stderr: string; status: number };
        return { stdout: failed.stdout, stderr: failed.stderr, code: failed.status };
    }
}

describe("automation/cli/main: npm run dr", () => {
    let calls: FakeCalls;
    beforeEach(() => {
        calls = noCalls();
    });

    it("is the npm run dr entry: --help exits 0, a typo exits 2 with the process's own code", function () {
        this.timeout(120000);
        const help = dr("--help");
        assert.strictEqual(help.code, 0, help.stderr);
        assert.match(help.stdout, /^npm run dr -- <command> \[flags\]/);
        const typo = dr("fail-over", "--yes");
        assert.strictEqual(typo.code, 2);
        assert.strictEqual(typo.stdout, "");
        assert.match(typo.stderr, /^error: the command must be .*; got "fail-over"/);
    });

    it("refuses a bad line with every problem on stderr, before parsing, loading or writing anything", async () => {
        const io = captureIo({ registry: fakeRegistry(calls) });
        const code = await main(["fake", "--dryrun", "--format", "xml", "--yes"], io.io);
        assert.strictEqual(code, 2);
        assert.strictEqual(io.stdout(), "");
        assert.strictEqual(
            io.stderr(),
            [
                'error: --dryrun must be a flag of fake; got "--dryrun"; did you mean --dry-run?',
                'error: --format must be one of text, json; got "xml"',
                "see: npm run dr -- fake --help",
                "nothing was changed",
                "",
            ].join("\n"),
        );
        assert.deepStrictEqual(calls, noCalls());
        assert.deepStrictEqual(fs.readdirSync(io.io.workDir!), []);
    });

    it("hands the command's parser the checked values, the dr config and the wall clock", async () => {
        const io = captureIo({ registry: fakeRegistry(calls) });
        const before = Date.now();
        assert.strictEqual(await main(["fake", "--revision", "3", "--yes"], io.io), 0, io.stderr());
        const [{ values, context }] = calls.parsed;
        assert.deepStrictEqual(values, { revision: 3, yes: true });
        assert.strictEqual(context.config.stack, "dr");
        assert.strictEqual(context.simulated, false);
        assert.ok(context.now.getTime() >= before && context.now.getTime() <= Date.now());
    });

    it("runs the parsed request with the context, and returns the command's exit code", async () => {
        const workDir = makeTempDir("webank-dr-cli-");
        const registry = [
            fakeCommand(["fake"], calls, {
                parse: (values) => ({ asked: values.journal }),
                run: () => Promise.resolve(1),
            }),
        ];
        const io = captureIo({ registry, workDir });
        assert.strictEqual(await main(["fake", "--journal", "j.json"], io.io), 1);
        const [{ request, context }] = calls.ran;
        assert.deepStrictEqual(request, { asked: "j.json" });
        assert.strictEqual(context.workDir, workDir);
        assert.strictEqual(context.simulated, false);
        assert.strictEqual(context.config.stack, "dr");
        assert.strictEqual(context.confirm, undefined, "no terminal, no question");
        assert.strictEqual(typeof context.ports.output, "function");
    });

    it("prints each problem of the command's UsageError and exits 2 without running it", async () => {
        const registry = [
            fakeCommand(["fake"], calls, {
                parse: () => {
                    throw new UsageError(["--a must be x; got 1", "--b must be y; got 2"]);
                },
            }),
        ];
        const io = captureIo({ registry });
        assert.strictEqual(await main(["fake"], io.io), 2);
        assert.strictEqual(
            io.stderr(),
            "error: --a must be x; got 1\nerror: --b must be y; got 2\nsee: npm run dr -- fake --help\nnothing was changed\n",
        );
        assert.deepStrictEqual(calls.ran, []);
        assert.deepStrictEqual(fs.readdirSync(io.io.workDir!), []);
    });

    it("prints a refusal of the run with its own exit code", async () => {
        const registry = [
            fakeCommand(["fake"], calls, {
                run: () => Promise.reject(new Refusal("the lock is held by someone else", 1)),
            }),
        ];
        const io = captureIo({ registry });
        assert.strictEqual(await main(["fake"], io.io), 1);
        assert.strictEqual(io.stderr(), "error: the lock is held by someone else\nnothing was changed\n");
    });

    it("prints an unexpected error without its stack (exit 1), with it under WEBANK_DR_DEBUG=1", async () => {
        const registry = [fakeCommand(["fake"], calls, { run: () => Promise.reject(new Error("boom")) })];
        const plain = captureIo({ registry });
        assert.strictEqual(await main(["fake"], plain.io), 1);
        assert.strictEqual(plain.stderr(), "error: boom\n(WEBANK_DR_DEBUG=1 shows where)\n");
        const debug = captureIo({ registry, env: { WEBANK_DR_DEBUG: "1" } });
        assert.strictEqual(await main(["fake"], debug.io), 1);
        assert.match(debug.stderr(), /^error: Error: boom\n\s+at /);
    });

    it("puts progress on stdout and nothing else there", async () => {
        const registry = [
            fakeCommand(["fake"], calls, {
                run: (_request, context) => {
                    context.ports.output('{"ok":true}');
                    return Promise.resolve(0);
                },
            }),
        ];
        const io = captureIo({ registry });
        assert.strictEqual(await main(["fake"], io.io), 0);
        assert.strictEqual(io.stdout(), '{"ok":true}\n');
        assert.strictEqual(io.stderr(), "");
    });

    it("takes the work directory from the caller, else WEBANK_DR_WORK_DIR, refusing an empty one", async () => {
        const fromEnv = makeTempDir("webank-dr-cli-");
        const io = captureIo({ registry: fakeRegistry(calls), env: { WEBANK_DR_WORK_DIR: fromEnv } });
        assert.strictEqual(await main(["fake"], { ...io.io, workDir: undefined }), 0);
        assert.strictEqual(calls.ran[0].context.workDir, fromEnv);
        const empty = captureIo({ registry: fakeRegistry(calls), env: { WEBANK_DR_WORK_DIR: "" } });
        assert.strictEqual(await main(["fake"], { ...empty.io, workDir: undefined }), 2);
        assert.match(
            empty.stderr(),
            /^error: WEBANK_DR_WORK_DIR must be a directory when it is set; got ""\n/,
        );
        assert.strictEqual(calls.ran.length, 1);
    });

    it("refuses a dr config it cannot load with its message alone, exit 2, before the command's parser", async () => {
        const root = makeTempDir("webank-dr-cli-");
        fs.copyFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
        fs.writeFileSync(path.join(root, "Pulumi.dr.yaml"), "config: [\n");
        const io = captureIo({ registry: fakeRegistry(calls), configRoot: root });
        assert.strictEqual(await main(["fake", "--yes"], io.io), 2);
        assert.match(io.stderr(), /^error: .*Pulumi\.dr\.yaml.*\n(.*\n)*nothing was changed\n$/);
        assert.doesNotMatch(io.stderr(), /^\s+at /m, "no stack trace");
        assert.deepStrictEqual(calls, noCalls());
    });

    it("asks on the terminal only when there is one", async () => {
        const registry = fakeRegistry(calls);
        assert.strictEqual(await main(["fake"], captureIo({ registry, isTTY: true }).io), 0);
        assert.strictEqual(typeof calls.ran[0].context.confirm, "function");
    });

    describe("--simulate", () => {
        const landed = fs.existsSync(path.join(PROJECT_ROOT, "automation", "simulation", "persistent.ts"));
        beforeEach(function () {
            if (!landed) {
                console.log("      (skipped: automation/simulation/persistent.ts is not there yet)");
                this.skip();
            }
        });

        it("runs against the simulated account in the work directory, at its clock, banner on stderr", async () => {
            const registry = [
                fakeCommand(["fake"], calls, {
                    run: (_request, context) => {
                        context.ports.output('{"simulated":true}');
                        return Promise.resolve(0);
                    },
                }),
            ];
            const io = captureIo({ registry });
            // An account seeded a day ago: its clock, not the wall clock, is the command's now
            // (comparing with a wall-clock sample would race the millisecond).
            const { openSimulation } = await import("../../../automation/simulation/persistent");
            const { CONFIG } = await import("../simulation/support");
            const seededAt = new Date(Date.now() - 24 * 60 * 60 * 1000);
            openSimulation(io.io.workDir!, CONFIG, { now: seededAt });
            const simulatedNow = seededAt;
            assert.strictEqual(await main(["--simulate", "fake"], io.io), 0, io.stderr());
            assert.strictEqual(io.stdout(), '{"simulated":true}\n', "stdout stays pure");
            assert.match(io.stderr(), /^SIMULATION: /);
            assert.strictEqual(calls.parsed[0].context.simulated, true);
            assert.strictEqual(calls.parsed[0].context.now.toISOString(), simulatedNow.toISOString());
            assert.strictEqual(calls.ran[0].context.simulated, true);
        });

        it("refuses a bad line under --simulate without opening the simulation", async () => {
            const io = captureIo({ registry: fakeRegistry(calls) });
            assert.strictEqual(await main(["fake", "--simulate", "--dryrun"], io.io), 2);
            assert.doesNotMatch(io.stderr(), /SIMULATION/);
            assert.deepStrictEqual(fs.readdirSync(io.io.workDir!), []);
        });
    });

    describe("the confirmation question", () => {
        /** Asks once, answering with `typed` (then ending the input when `end`). */
        async function ask(typed: string, end = false) {
            const input = new PassThrough();
            let asked = "";
            const answer = terminalConfirm(input, { write: (text: string) => (asked += text) })("Fail over?");
            input.write(typed);
            if (end) {
                input.end();
            }
            return { yes: await answer, asked };
        }

        it("goes on only when the operator types yes", async () => {
            assert.deepStrictEqual(await ask("yes\n"), {
                yes: true,
                asked: "Fail over? Type yes to continue: ",
            });
            assert.strictEqual((await ask("  yes \n")).yes, true);
            for (const typed of ["y\n", "YES!\n", "no\n", "\n"]) {
                assert.strictEqual((await ask(typed)).yes, false, typed);
            }
            assert.strictEqual((await ask("", true)).yes, false, "the input ended unanswered");
        });
    });

    describe("interrupts", () => {
        /** A command that waits for its first interrupt, then exits 1 (stopped, resumable). */
        function waitsForInterrupt(started: () => void) {
            return fakeCommand(["fake"], calls, {
                run: (_request, context: CommandContext) =>
                    new Promise((resolve) => {
                        const stop = context.interrupts.onInterrupt((signal) => {
                            stop();
                            resolve(signal === "SIGTERM" ? 1 : 9);
                        });
                        started();
                    }),
            });
        }

        it("hands the first SIGINT or SIGTERM to the command and removes its listeners afterwards", async () => {
            const signals = new EventEmitter();
            const exits: number[] = [];
            const io = captureIo({
                registry: [waitsForInterrupt(() => signals.emit("SIGTERM", "SIGTERM"))],
                signals,
                exit: (code) => exits.push(code),
            });
            assert.strictEqual(await main(["fake"], io.io), 1);
            assert.deepStrictEqual(exits, []);
            assert.match(
                io.stderr(),
                /^SIGTERM: stopping after the current step; SIGTERM again exits at once\n$/,
            );
            assert.strictEqual(signals.listenerCount("SIGINT") + signals.listenerCount("SIGTERM"), 0);
        });

        it("exits 1 at once on a second signal", async () => {
            const signals = new EventEmitter();
            const exits: number[] = [];
            const io = captureIo({
                registry: [
                    fakeCommand(["fake"], calls, {
                        run: (_request, context) => {
                            context.interrupts.onInterrupt(() => undefined);
                            signals.emit("SIGINT", "SIGINT");
                            signals.emit("SIGINT", "SIGINT");
                            return Promise.resolve(0);
                        },
                    }),
                ],
                signals,
                exit: (code) => exits.push(code),
            });
            await main(["fake"], io.io);
            assert.deepStrictEqual(exits, [1]);
            assert.match(
                io.stderr(),
                /\nSIGINT: exiting now; run the same command again to resume from its journal\n$/,
            );
        });

        it("exits 1 at once when the running command does not listen", async () => {
            const signals = new EventEmitter();
            const exits: number[] = [];
            const io = captureIo({
                registry: [
                    fakeCommand(["fake"], calls, {
                        run: () => {
                            signals.emit("SIGINT", "SIGINT");
                            return Promise.resolve(0);
                        },
                    }),
                ],
                signals,
                exit: (code) => exits.push(code),
            });
            await main(["fake"], io.io);
            assert.deepStrictEqual(exits, [1]);
        });

        it("listens on the process itself by default, and stops listening after the run", async () => {
            const before = process.listenerCount("SIGINT");
            let during = -1;
            const registry = [
                fakeCommand(["fake"], calls, {
                    run: () => {
                        during = process.listenerCount("SIGINT");
                        return Promise.resolve(0);
                    },
                }),
            ];
            assert.strictEqual(await main(["fake"], captureIo({ registry }).io), 0);
            assert.strictEqual(during, before + 1);
            assert.strictEqual(process.listenerCount("SIGINT"), before);
        });
    });
});
