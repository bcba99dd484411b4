import * as assert from "assert";
import * as fs from "fs";
import { worldFileOf } from "../../../automation/simulation/persistent";
import { simulatedCli } from "../../support/simulated-cli";
import { useTempDir } from "../../support/temp-dir";

/** Every happy path of `npm run dr -- <command> --simulate`, one after the other against one account. */
describe("automation/simulation: a rehearsal with the CLI", function () {
    this.timeout(120_000);
    const workDir = useTempDir("sim-rehearsal-", { per: "suite" });

    /** Runs one command line; returns its exit code and what it printed. */
    const dr = simulatedCli(workDir);

    /** The simulated account as saved. */
    const saved = () =>
        JSON.parse(fs.readFileSync(worldFileOf(workDir()), "utf8")) as {
            regions: {
                home: { instances: { identifier: string }[] };
                dr: { buckets: Record<string, Record<string, { versionId: string }[]>> };
            };
        };

    it("status of a fresh account: every copy ok (DNS failover needs a hosted zone the default config lacks); changes nothing", async () => {
        const { code, out } = await dr("status");
        assert.strictEqual(code, 1, out);
        assert.match(out, /verdict: NOT MANAGED: 10 of 11 checks ok; DNS failover NOT MANAGED/);
        const seeded = fs.readFileSync(worldFileOf(workDir()), "utf8");
        assert.strictEqual((await dr("status")).code, 1);
        assert.deepStrictEqual(
            (JSON.parse(fs.readFileSync(worldFileOf(workDir()), "utf8")) as { changes: string[] }).changes,
            (JSON.parse(seeded) as { changes: string[] }).changes,
            "status records no change in the account",
        );
    });

    for (const argv of [
        ["backup", "--yes"],
        ["drill", "--yes"],
        [
            "restore",
            "helm",
            "--release",
            "argocd",
            "--namespace",
            "argocd",
            "--revision",
            "1",
            "--context",
            "webank-primary",
            "--yes",
        ],
        ["restore", "argocd", "--context", "webank-primary", "--yes"],
        [
            "restore",
            "git",
            "--remote",
            "https://github.com/webank/platform-restore.git",
            "--context",
            "webank-primary",
            "--yes",
        ],
        ["restore", "db", "--yes"],
    ]) {
        it(`${argv
            .filter((a) => !a.startsWith("-"))
            .slice(0, 2)
            .join(" ")} succeeds`, async () => {
            const { code, out } = await dr(...argv);
            assert.strictEqual(code, 0, out);
        });
    }

    it("restore db --cut-over finds the instance the restore made", async () => {
        const restored = saved()
            .regions.home.instances.map((i) => i.identifier)
            .find((id) => /^webank-db-r\d{12}$/.test(id))!;
        const { code, out } = await dr(
            "restore",
            "db",
            "--cut-over",
            "--restored-instance",
            restored,
            "--yes",
        );
        assert.strictEqual(code, 0, out);
    });

    it("restore state imports an earlier version of the bootstrap bucket", async () => {
        const versions =
            saved().regions.dr.buckets["webank-bootstrap-state-123456789012"][
                ".pulumi/stacks/webank/primary.json"
            ];
        const { code, out } = await dr(
            "restore",
            "state",
            "--stack",
            "primary",
            "--version-id",
            versions[1].versionId,
            "--yes",
        );
        assert.strictEqual(code, 0, out);
    });

    it("failover, then status shows the activated stack and the held lock", async () => {
        const failover = await dr("failover", "--yes");
        assert.strictEqual(failover.code, 0, failover.out);
        const { out } = await dr("status");
        assert.match(out, /DR stack dr: posture pilot, activated/);
        assert.match(out, /failover lock: held by run failover-/);
        assert.match(
            out,
            /^Argo CD export .* ok$/m,
            "the schedules kept the copies current through the failover",
        );
        const second = await dr("failover", "--yes");
        assert.notStrictEqual(second.code, 0, "a second failover is refused");
    });
});
