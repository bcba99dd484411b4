import * as assert from "assert";
import { MemoryJournal, planWaves, runSteps, Step } from "../../../automation/run/steps";

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

/** A stop request a test can trigger. */
function stopRequest() {
    let requested = false;
    let resolve: () => void = () => undefined;
    const stopped = new Promise<void>((r) => {
        resolve = r;
    });
    return {
        request: {
            get requested() {
                return requested;
            },
            stopped,
        },
        stop: () => {
            requested = true;
            resolve();
        },
    };
}

describe("automation/run/steps", () => {
    it("plans waves: independent steps share a wave", () => {
        assert.deepStrictEqual(planWaves(steps([])), [
            ["preflight"],
            ["lock"],
            ["restore-database", "scale-cluster"],
            ["verify"],
            ["switch-traffic"],
        ]);
    });

    it("refuses a cycle, an unknown dependency and a name used twice before running anything", () => {
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
        assert.throws(
            () =>
                planWaves([
                    { name: "a", after: [], describe: "", run: noop },
                    { name: "a", after: [], describe: "", run: noop },
                ]),
            /declared twice/,
        );
    });

    it("runs independent steps concurrently and journals each", async () => {
        const log: string[] = [];
        const journal = new MemoryJournal();
        const result = await runSteps(
            steps(log, undefined, { "restore-database": 30, "scale-cluster": 30 }),
            journal,
        );
        assert.strictEqual(result.outcome, "completed");
        assert.ok(log.indexOf("start scale-cluster") < log.indexOf("end restore-database"));
        assert.ok(["preflight", "switch-traffic"].every((s) => journal.isDone(s)));
    });

    it("stops at a failure, keeps what completed, and resumes after it", async () => {
        const journal = new MemoryJournal();
        const first: string[] = [];
        const failed = await runSteps(steps(first, "verify"), journal);
        assert.strictEqual(failed.outcome, "failed");
        assert.strictEqual(failed.failure?.step, "verify");
        assert.match(String(failed.failure?.cause), /verify exploded/);
        assert.ok(!first.includes("start switch-traffic"), "nothing after the failure starts");
        assert.ok(!journal.isDone("verify"));

        const second: string[] = [];
        const resumed = await runSteps(steps(second), journal);
        assert.deepStrictEqual(second, [
            "start verify",
            "end verify",
            "start switch-traffic",
            "end switch-traffic",
        ]);
        assert.deepStrictEqual(
            resumed.timeline
                .filter((t) => t.outcome === "skipped")
                .map((t) => t.step)
                .sort(),
            ["lock", "preflight", "restore-database", "scale-cluster"],
        );
    });

    it("runs one step at a time with concurrency 1, in a valid order", async () => {
        const log: string[] = [];
        await runSteps(steps(log), new MemoryJournal(), { concurrency: 1 });
        const starts = log.filter((l) => l.startsWith("start"));
        for (let i = 1; i < starts.length; i++) {
            const previous = starts[i - 1].replace("start", "end");
            assert.ok(
                log.indexOf(previous) < log.indexOf(starts[i]),
                `${starts[i]} began before ${previous}`,
            );
        }
        assert.strictEqual(starts.length, 6);
    });

    it("on a stop request starts no new step and returns at once, naming the steps in flight", async () => {
        const { request, stop } = stopRequest();
        let release: () => void = () => undefined;
        const hanging = new Promise<void>((resolve) => {
            release = resolve;
        });
        const started: string[] = [];
        const graph: Step[] = [
            {
                name: "long-wait",
                after: [],
                describe: "waits",
                run: async () => {
                    started.push("long-wait");
                    await hanging;
                    return "waited";
                },
            },
            {
                name: "after-it",
                after: ["long-wait"],
                describe: "must not start",
                run: () => {
                    started.push("after-it");
                    return Promise.resolve("ran");
                },
            },
        ];
        const running = runSteps(graph, new MemoryJournal(), { stop: request, clock: () => 1000 });
        await new Promise((resolve) => setImmediate(resolve));
        stop();
        const result = await running;
        assert.strictEqual(result.outcome, "interrupted");
        assert.deepStrictEqual(result.inFlight, [{ step: "long-wait", startedAt: 1000 }]);
        release();
        await new Promise((resolve) => setImmediate(resolve));
        assert.deepStrictEqual(started, ["long-wait"], "no step starts after the stop");
    });

    it("passes the data a step returns to later steps, and marks read-only steps in the journal", async () => {
        const seen: (string | undefined)[] = [];
        const recorded: { step: string; readOnly?: boolean }[] = [];
        const journal = new MemoryJournal();
        const recording = {
            isDone: (s: string) => journal.isDone(s),
            dataOf: (s: string) => journal.dataOf(s),
            complete: (
                step: string,
                detail: string,
                at: Date,
                extra: { data?: Readonly<Record<string, string>>; readOnly?: boolean },
            ) => {
                recorded.push({ step, readOnly: extra.readOnly });
                return journal.complete(step, detail, at, extra);
            },
        };
        await runSteps(
            [
                {
                    name: "choose",
                    after: [],
                    describe: "choose",
                    readOnly: true,
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
            ],
            recording,
        );
        assert.deepStrictEqual(seen, ["2026-11-25T02:56:00Z"]);
        assert.deepStrictEqual(recorded, [
            { step: "choose", readOnly: true },
            { step: "use", readOnly: undefined },
        ]);
    });
});
