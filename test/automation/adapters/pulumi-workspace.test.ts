// The Pulumi CLI cannot run here, so LocalWorkspace itself (pulumiWorkspace) is not exercised:
// these tests cover the pure parts and the StackPort over a fake Automation API stack.
import * as assert from "assert";
import { ConcurrentUpdateError, Deployment } from "@pulumi/pulumi/automation";
import {
    AutomationStack,
    isStackLockedError,
    lineSplitter,
    maskSecretOutputs,
    parseDeployment,
    pulumiWorkspace,
    SECRET_PLACEHOLDER,
    stackError,
    stackPort,
} from "../../../automation/adapters/pulumi-workspace";

const WORKDIR = "/srv/webank-dr";
const DIY_LOCK =
    "code: 255\n stdout: \n stderr: error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n" +
    "  s3://webank-state-123456789012-us-east-1/.pulumi/locks/webank/dr/3f2a.json: created by sre@bastion-1 (pid 4242) at 2026-11-25T03:01:00Z\n";

/** A fake Automation API stack: records what the port asked, answers canned values. */
function fakeStack(overrides: Partial<Record<keyof AutomationStack, unknown>> = {}) {
    const calls: string[] = [];
    const config: Record<string, { value: string; secret?: boolean }> = {
        "webank:posture": { value: "pilot" },
    };
    const stack = {
        name: "dr",
        getAllConfig: () => Promise.resolve({ ...config }),
        setAllConfig: (values: typeof config) => {
            calls.push(`setAllConfig ${JSON.stringify(values)}`);
            Object.assign(config, values);
            return Promise.resolve();
        },
        removeAllConfig: (keys: string[]) => {
            calls.push(`removeAllConfig ${JSON.stringify(keys)}`);
            keys.forEach((key) => delete config[key]);
            return Promise.resolve();
        },
        refresh: (opts: { onOutput: (chunk: string) => void; target?: string[] }) => {
            opts.onOutput("Refreshing (dr):\n  pulumi:pu");
            opts.onOutput("lumi:Stack webank-dr\nResources: 12 unchanged");
            calls.push(opts.target ? `refresh target=${JSON.stringify(opts.target)}` : "refresh");
            return Promise.resolve({});
        },
        up: (opts: { onOutput: (chunk: string) => void; parallel?: number; color?: string }) => {
            calls.push(`up parallel=${String(opts.parallel)} color=${String(opts.color)}`);
            opts.onOutput("Updating (dr):\n");
            return Promise.resolve({
                outputs: {
                    dbEndpoint: { value: "webank-db-dr-1.x.us-west-2.rds.amazonaws.com:5432", secret: false },
                    dbPassword: { value: "hunter2", secret: true },
                },
            });
        },
        outputs: () =>
            Promise.resolve({
                kubeconfig: { value: "apiVersion: v1 ...", secret: true },
                clusterName: { value: "webank-dr", secret: false },
            }),
        importStack: (state: Deployment) => {
            calls.push(`importStack ${JSON.stringify(state)}`);
            return Promise.resolve();
        },
        destroy: () => Promise.resolve({}),
        ...overrides,
    } as unknown as AutomationStack;
    return { stack, calls, config };
}

/** What `pulumi stack export` prints for an empty stack. */
const DEPLOYMENT: Deployment = { version: 3, deployment: { resources: [] } };

describe("automation/pulumi-workspace", () => {
    it("masks secret outputs", () => {
        assert.deepStrictEqual(
            maskSecretOutputs({ a: { value: 1, secret: false }, b: { value: "s3cr3t", secret: true } }),
            { a: 1, b: SECRET_PLACEHOLDER },
        );
    });

    it("turns output chunks into whole lines", () => {
        const lines: string[] = [];
        const splitter = lineSplitter((line) => lines.push(line));
        splitter.write("one\r\ntw");
        splitter.write("o\nthr");
        splitter.flush();
        splitter.flush();
        assert.deepStrictEqual(lines, ["one", "two", "thr"]);
    });

    describe("lock errors", () => {
        it("recognises a DIY backend lock, a Pulumi Cloud 409 and ConcurrentUpdateError", () => {
            assert.ok(isStackLockedError(new Error(DIY_LOCK)));
            assert.ok(
                isStackLockedError(new Error("[409] Conflict: Another update is currently in progress.")),
            );
            assert.ok(isStackLockedError(new ConcurrentUpdateError("anything")));
            assert.ok(!isStackLockedError(new Error("error: preview failed")));
        });

        it("tells the operator another update runs, who holds the lock, how to check and to run again", () => {
            const message = stackError("dr", "up", WORKDIR, new Error(DIY_LOCK)).message;
            assert.match(
                message,
                /^pulumi up of stack dr did not start: another update is running on the stack \(held by sre@bastion-1 \(pid 4242\) at 2026-11-25T03:01:00Z\)\./,
            );
            assert.match(
                message,
                /Check it with: pulumi stack --stack dr --show-urns \(in \/srv\/webank-dr\)/,
            );
            assert.match(
                message,
                /pulumi cancel --stack dr --yes; then run the same command again to resume$/,
            );
        });

        it("keeps the end of any other Pulumi error", () => {
            const message = stackError(
                "dr",
                "refresh",
                WORKDIR,
                new Error(`${"x".repeat(5000)}error: aws:rds:Instance failed`),
            ).message;
            assert.match(
                message,
                /^pulumi refresh of stack dr failed: \.\.\.x+error: aws:rds:Instance failed$/,
            );
            assert.ok(message.length < 2100);
        });
    });

    describe("parseDeployment", () => {
        it("accepts the text of pulumi stack export", () => {
            assert.deepStrictEqual(parseDeployment('{"version": 3, "deployment": {"resources": []}}'), {
                version: 3,
                deployment: { resources: [] },
            });
        });

        it("refuses anything else, without echoing the text", () => {
            assert.throws(
                () => parseDeployment("not json"),
                /deployment must be the JSON text of pulumi stack export; got text that is not JSON/,
            );
            assert.throws(
                () => parseDeployment('{"secret": "hunter2", "version": "3"}'),
                (error: Error) =>
                    /got JSON with: secret, version$/.test(error.message) &&
                    !error.message.includes("hunter2"),
            );
        });
    });

    describe("stackPort over a fake Automation API stack", () => {
        it("reads and sets plain config values", async () => {
            const { stack, calls } = fakeStack();
            const port = stackPort(stack, WORKDIR);
            assert.strictEqual(port.name, "dr");
            assert.strictEqual(await port.getConfig("webank:posture"), "pilot");
            assert.strictEqual(await port.getConfig("webank:activated"), undefined);
            await port.setConfig({ "webank:activated": "true" });
            assert.deepStrictEqual(calls, [
                'setAllConfig {"webank:activated":{"value":"true","secret":false}}',
            ]);
            assert.strictEqual(await port.getConfig("webank:activated"), "true");
            await port.removeConfig(["webank:activated"]);
            assert.deepStrictEqual(calls.slice(-1), ['removeAllConfig ["webank:activated"]']);
            assert.strictEqual(await port.getConfig("webank:activated"), undefined);
        });

        it("streams whole lines of refresh and up, and returns outputs with secrets masked", async () => {
            const { stack, calls } = fakeStack();
            const port = stackPort(stack, WORKDIR);
            const lines: string[] = [];
            await port.refresh((line) => lines.push(line));
            // RefreshOptions.target of the Automation API is `pulumi refresh --target`.
            await port.refresh(() => undefined, { targets: ["urn:pulumi:dr::webank::a$b::c"] });
            assert.deepStrictEqual(calls.slice(-2), [
                "refresh",
                'refresh target=["urn:pulumi:dr::webank::a$b::c"]',
            ]);
            assert.deepStrictEqual(lines, [
                "Refreshing (dr):",
                "  pulumi:pulumi:Stack webank-dr",
                "Resources: 12 unchanged",
            ]);
            const outputs = await port.up({ onOutput: (line) => lines.push(line), parallel: 16 });
            assert.deepStrictEqual(outputs, {
                dbEndpoint: "webank-db-dr-1.x.us-west-2.rds.amazonaws.com:5432",
                dbPassword: SECRET_PLACEHOLDER,
            });
            assert.ok(calls.includes("up parallel=16 color=never"));
            assert.deepStrictEqual(await port.outputs(), {
                kubeconfig: SECRET_PLACEHOLDER,
                clusterName: "webank-dr",
            });
        });

        it("exports without --show-secrets and imports the deployment as JSON text, refusing bad text before importing", async () => {
            const { stack, calls } = fakeStack();
            const run: string[] = [];
            const port = stackPort(stack, WORKDIR, {
                run: (command, args) => {
                    run.push([command, ...args].join(" "));
                    return Promise.resolve({ stdout: JSON.stringify(DEPLOYMENT) });
                },
            });
            const text = await port.exportState();
            assert.deepStrictEqual(JSON.parse(text), { version: 3, deployment: { resources: [] } });
            assert.deepStrictEqual(run, [`pulumi stack export --stack dr --cwd ${WORKDIR}`]);
            await assert.rejects(
                () => port.importState("{}"),
                /deployment must be the JSON text of pulumi stack export/,
            );
            assert.deepStrictEqual(calls, []);
            await port.importState(text);
            assert.deepStrictEqual(calls, ['importStack {"version":3,"deployment":{"resources":[]}}']);
        });

        it("translates a locked stack on up into what to do, and still flushes the output", async () => {
            const lines: string[] = [];
            const { stack } = fakeStack({
                up: (opts: { onOutput: (chunk: string) => void }) => {
                    opts.onOutput("Updating (dr):\nerror: the stack is currently");
                    return Promise.reject(new ConcurrentUpdateError(DIY_LOCK));
                },
            });
            await assert.rejects(
                () => stackPort(stack, WORKDIR).up({ onOutput: (line) => lines.push(line) }),
                /pulumi up of stack dr did not start: another update is running on the stack.*run the same command again to resume/,
            );
            assert.deepStrictEqual(lines, ["Updating (dr):", "error: the stack is currently"]);
        });
    });

    it("refuses a bad stack name before running the Pulumi CLI", async () => {
        const workspace = pulumiWorkspace(WORKDIR);
        await assert.rejects(
            () => workspace.selectStack("dr; rm -rf /"),
            /stack must be a Pulumi stack name \(\[org\/\]\[project\/\]name\); got "dr; rm -rf \/"/,
        );
        await assert.rejects(() => workspace.removeStack(""), /stack must be a Pulumi stack name/);
    });
});
