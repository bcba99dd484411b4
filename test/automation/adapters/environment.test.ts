import * as assert from "assert";
import { parseStackConfig } from "../../../config/stack-config";
import { realPorts } from "../../../automation/adapters/environment";
import { raw } from "../../support/raw-config";

describe("automation/environment: realPorts", () => {
    const saved = { ...process.env };
    afterEach(() => {
        for (const key of Object.keys(process.env)) {
            if (!(key in saved)) {
                delete process.env[key];
            }
        }
        Object.assign(process.env, saved);
    });

    it("builds every port without credentials and without calling anything", () => {
        // No credentials anywhere: building must not need them (so --help works on any machine).
        for (const key of Object.keys(process.env).filter((k) => k.startsWith("AWS_"))) {
            delete process.env[key];
        }
        process.env.AWS_SHARED_CREDENTIALS_FILE = "/nonexistent/credentials";
        process.env.AWS_CONFIG_FILE = "/nonexistent/config";
        process.env.AWS_EC2_METADATA_DISABLED = "true";
        const config = parseStackConfig(raw({}, "primary"));
        const lines: string[] = [];
        const now = new Date("2026-11-25T03:00:00Z");
        const ports = realPorts(config, { output: (line) => lines.push(line), now: () => now });
        assert.strictEqual(ports.home.region, "us-east-1");
        assert.strictEqual(ports.dr.region, "us-west-2");
        assert.strictEqual(ports.home.database.region, "us-east-1");
        assert.strictEqual(ports.dr.backup.region, "us-west-2");
        assert.strictEqual(ports.dr.objects.region, "us-west-2");
        assert.strictEqual(ports.now(), now);
        ports.output("hello");
        assert.deepStrictEqual(lines, ["hello"]);
        for (const port of [
            ports.workspace,
            ports.traffic,
            ports.jobs,
            ports.commands,
            ports.identity,
            ports.lock,
        ]) {
            assert.ok(port);
        }
    });
});
