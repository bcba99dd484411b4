import * as assert from "assert";
import { projectCopy, removeProjectCopies, withConfig } from "../../config/project-copy";
import { DNS_STACK_CONFIG, simulatedCli } from "../../support/simulated-cli";
import { useTempDir } from "../../support/temp-dir";

/**
 * Failover, re-protection and failback one after the other with the CLI against one persistent
 * simulated account, then status and a second failover: the round trip leaves an account a
 * failover can run in again.
 */
describe("automation/simulation: failover, reprotect, failback, then failover again, with the CLI", function () {
    this.timeout(180_000);
    const workDir = useTempDir("sim-failback-", { per: "suite" });
    let configRoot: string;
    before(() => {
        configRoot = projectCopy({
            "Pulumi.primary.yaml": withConfig(DNS_STACK_CONFIG),
            "Pulumi.dr.yaml": withConfig(DNS_STACK_CONFIG),
        });
    });
    after(removeProjectCopies);

    const dr = simulatedCli(workDir, () => configRoot);

    it("fails over and re-protects", async () => {
        const failover = await dr("failover", "--yes");
        assert.strictEqual(failover.code, 0, failover.out);
        assert.match(failover.out, /come home .*: npm run dr -- reprotect .*, then npm run dr -- failback/);
        const reprotect = await dr("reprotect", "--yes");
        assert.strictEqual(reprotect.code, 0, reprotect.out);
    });

    it("fails back with no data lost, the lock released", async () => {
        const { code, out } = await dr("failback", "--yes");
        assert.strictEqual(code, 0, out);
        assert.match(out, /achieved RPO: 0 min/);
        assert.match(out, /lock released \(it was held by failover-/);
    });

    it("then status is READY", async () => {
        const { code, out } = await dr("status");
        assert.strictEqual(code, 0, out);
        assert.match(out, /verdict: READY/);
    });

    it("and a second failover succeeds", async () => {
        const { code, out } = await dr("failover", "--yes");
        assert.strictEqual(code, 0, out);
        assert.match(out, /failover complete/);
    });
});
