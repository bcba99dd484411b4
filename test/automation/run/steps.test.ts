import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Journal } from "../../../automation/run/journal";
import { planWaves, runSteps, Step, StepFailedError } from "../../../automation/run/steps";

/** A failover-shaped graph: the database restore does not wait for the cluster. */
function steps(log: string[], failing?: string, delays: Record<string, number> = {}): Step[] {
    const step = (name: string, after: string[] = []): Step => ({
        name,
        after,
        describe: name,
        run: async () => {
            log.push(`start ${name}`);
            await new Promise((resolve) => setTimeout(resolve, delays[name] ?? 1));
            if (name === failing) {
                throw new Error(`${name} exploded`);
            }
            log.push(`end ${name}`);
            return `${name} ok`;
        },
    });
    return [
        step("preflight"),
        step("lock", ["preflight"]),
        step("restore-database", ["lock"]),
        step("scale-cluster", ["lock"]),
        step("verify", ["restore-database", "scale-cluster"]),
        step("switch-traffic", ["verify"]),
    ];
}

describe("automation/step-runner", () => {
    let dir: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "steps-"));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
    const journal = () => Journal.open(path.join(dir, "j.json"), "failover");

    it("plans waves: independent steps share a wave", () => {
        assert.deepStrictEqual(planWaves(steps([])), [
            ["preflight"],
            ["lock"],
            ["restore-database", "scale-cluster"],
            ["verify"],
            ["switch-traffic"],
        ]);
    });

    it("refuses a cycle and an unknown dependency before running anything", () => {
        const noop = () => Promise.resolve("ok");
        assert.throws(
            () =>
                planWaves([
                    { name: "a", after: ["b"], describe: "", run: noop },
                    { name: "b", after: ["a"], describe: "", run: noop },
                ]),
            /a, b wait for each other/,
        );
        assert.throws(
            () => planWaves([{ name: "a", after: ["x"], describe: "", run: noop }]),
            /unknown step x/,
        );
    });

    it("runs independent steps concurrently and journals each", async () => {
        const log: string[] = [];
        await runSteps(steps(log, undefined, { "restore-database": 30, "scale-cluster": 30 }), journal());
        const restoreEnd = log.indexOf("end restore-database");
        assert.ok(
            log.indexOf("start scale-cluster") < restoreEnd,
            "the cluster scales while the database restores",
        );
        assert.strictEqual(journal().steps.length, 6);
    });

    it("stops at a failure, keeps the journal, and resumes after the last completed step", async () => {
        const first: string[] = [];
        await assert.rejects(
            () => runSteps(steps(first, "verify"), journal()),
            (error: unknown) =>
                error instanceof StepFailedError &&
                error.step === "verify" &&
                /run the same command again to resume/.test(error.message),
        );
        assert.ok(!first.includes("start switch-traffic"), "nothing after the failure starts");
        assert.deepStrictEqual(
            journal()
                .steps.map((s) => s.step)
                .sort(),
            ["lock", "preflight", "restore-database", "scale-cluster"],
        );

        const second: string[] = [];
        const timeline = await runSteps(steps(second), journal());
        assert.deepStrictEqual(second, [
            "start verify",
            "end verify",
            "start switch-traffic",
            "end switch-traffic",
        ]);
        assert.deepStrictEqual(
            timeline
                .filter((t) => t.outcome === "skipped")
                .map((t) => t.step)
                .sort(),
            ["lock", "preflight", "restore-database", "scale-cluster"],
        );
    });

    it("runs one step at a time with concurrency 1, in a valid order", async () => {
        const log: string[] = [];
        await runSteps(steps(log), journal(), { concurrency: 1 });
        const starts = log.filter((l) => l.startsWith("start"));
        for (let i = 1; i < starts.length; i++) {
            const previous = starts[i - 1].replace("start", "end");
            assert.ok(
                log.indexOf(previous) < log.indexOf(starts[i]),
                `${starts[i]} began before ${previous}: ${log.join(", ")}`,
            );
        }
        assert.strictEqual(starts.length, 6);
    });

    it("journals the data a step returns, with its start, for later steps and resumed runs", async () => {
        const file = path.join(dir, "data.json");
        const seen: (string | undefined)[] = [];
        const graph: Step[] = [
            {
                name: "choose",
                after: [],
                describe: "choose",
                run: () => Promise.resolve({ detail: "chose", data: { point: "2026-11-25T02:56:00Z" } }),
            },
            {
                name: "use",
                after: ["choose"],
                describe: "use",
                run: (context) => {
                    seen.push(context.dataOf("choose")?.point);
                    return Promise.resolve("used");
                },
            },
        ];
        await runSteps(graph, Journal.open(file, "failover"));
        const reopened = Journal.open(file, "failover");
        assert.deepStrictEqual(seen, ["2026-11-25T02:56:00Z"]);
        assert.deepStrictEqual(reopened.dataOf("choose"), { point: "2026-11-25T02:56:00Z" });
        assert.ok(reopened.steps.every((s) => typeof s.startedAt === "string"));
    });
});
