import * as assert from "assert";
import { execFileSync } from "child_process";
import * as path from "path";
import * as fs from "fs";
import { main } from "../../../automation/cli/main";

const ROOT = path.join(__dirname, "..", "..", "..");

/** Runs `npm run dr -- <args>` as a user would (without npm's banner); returns stdout and the exit code. */
function dr(...args: string[]): { stdout: string; code: number } {
    try {
        const stdout = execFileSync(
            process.execPath,
            ["-r", "ts-node/register/transpile-only", "automation/cli/main.ts", ...args],
            { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
        );
        return { stdout, code: 0 };
    } catch (error) {
        const failed = error as { stdout: string; stderr: string; status: number };
        return { stdout: `${failed.stdout}${failed.stderr}`, code: failed.status };
    }
}

describe("automation/cli: npm run dr", () => {
    it("lists every command in --help, without credentials", () => {
        const { stdout, code } = dr("--help");
        assert.strictEqual(code, 0);
        for (const command of ["status", "backup", "failover", "restore", "drill"]) {
            assert.match(stdout, new RegExp(`npm run dr -- ${command}\\b`), `${command} missing:\n${stdout}`);
        }
    });

    it("exits 2 naming an unknown command", () => {
        const { stdout, code } = dr("fail-over");
        assert.strictEqual(code, 2);
        assert.match(stdout, /Unknown argument: fail-over/);
    });

    it("prints the failover plan against the simulation on --dry-run, changing nothing", async () => {
        const lines: string[] = [];
        const code = await main(["failover", "--dry-run", "--simulate"], (line) => lines.push(line));
        const text = lines.join("\n");
        assert.strictEqual(code, 0, text);
        assert.match(text, /^SIMULATION: /);
        assert.match(text, /DRY RUN: failover of webank to us-west-2; nothing will be changed\./);
        assert.match(text, /projected RPO \d+ min/);
        assert.match(text, /projected RTO: \d+\.\d min for posture pilot/);
    });

    it("keeps a rehearsal's journal and report apart, so a real run never resumes a simulated one", async () => {
        const real = path.join(ROOT, ".journal", "failover.json");
        const simulated = path.join(ROOT, ".journal", "simulated");
        const reports = path.join(ROOT, "reports", "simulated");
        const existed = fs.existsSync(real);
        try {
            const lines: string[] = [];
            const code = await main(["failover", "--simulate", "--yes"], (line) => lines.push(line));
            assert.strictEqual(code, 0, lines.join("\n"));
            assert.ok(fs.existsSync(path.join(simulated, "failover.json")));
            assert.ok(fs.readdirSync(reports).some((f) => f.endsWith(".md")));
            assert.strictEqual(fs.existsSync(real), existed, "no real journal written");
        } finally {
            fs.rmSync(simulated, { recursive: true, force: true });
            fs.rmSync(reports, { recursive: true, force: true });
        }
    });
});
