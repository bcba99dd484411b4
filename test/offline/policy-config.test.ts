import * as assert from "assert";
import { main } from "../../offline/policy-config-cli";
import { policyObjectivesOf, policyPackConfigFor, stackConfigOf } from "../../offline/policy-config";
import { findVariant } from "../../offline/stack-variants";
import { POLICIES } from "../../policies/policies";
import { THRESHOLDS } from "../../policies/thresholds";
import { bothStacksWith } from "../support/offline";
import { removeProjectCopies } from "../config/project-copy";

const committed = (stack: string) => ({ name: stack, stack, overrides: {} });

describe("offline/policy-config: the pack's thresholds from the stack's own config", () => {
    after(removeProjectCopies);

    it("derives every threshold from primary's config through the program's own modules", () => {
        const objectives = policyObjectivesOf(stackConfigOf(committed("primary")));
        // Pulumi.yaml's defaults: database RPO 30 min (continuous backup: RDS's 5-minute floor),
        // volumes 300 (hourly snapshots, and up to 240 minutes for the copy to land), state 15 (S3 continuous at its 15-minute floor; the lock
        // table hourly, its own PITR covering the rest), cluster 300 (EKS: hourly snapshots, like
        // the volumes), PITR 35 days.
        assert.deepStrictEqual(objectives.backupRpoMinutes, {
            rds: 5,
            ebs: 60,
            dynamodb: 60,
            s3: 15,
            eks: 60,
        });
        assert.strictEqual(objectives.pitrDays, 35);
        assert.strictEqual(objectives.stackRole, "primary");
        assert.strictEqual(objectives.disposableStack, false);
        assert.deepStrictEqual(Object.keys(objectives).sort(), Object.keys(THRESHOLDS).sort());
    });

    it("follows a changed objective: a 120-minute database RPO and 20 PITR days", () => {
        const root = bothStacksWith({
            "webank:objectives": '{"database": {"rpoMinutes": 120, "rtoMinutes": 60}}',
            "webank:pitrRetentionDays": 20,
        });
        const objectives = policyObjectivesOf(stackConfigOf(committed("primary"), root));
        assert.strictEqual(objectives.backupRpoMinutes.rds, 120);
        assert.strictEqual(objectives.pitrDays, 20);
    });

    it("marks dr as dr and a drill's stack as disposable", () => {
        assert.strictEqual(policyObjectivesOf(stackConfigOf(committed("dr"))).stackRole, "dr");
        const drill = policyObjectivesOf(stackConfigOf(findVariant("dr:drill")!));
        assert.strictEqual(drill.stackRole, "dr");
        assert.strictEqual(drill.disposableStack, true);
    });

    it("gives each policy with a configSchema exactly its properties, all within the schema", () => {
        const config = policyPackConfigFor(policyObjectivesOf(stackConfigOf(committed("primary"))));
        const configured = POLICIES.filter((p) => Object.keys(p.configSchema?.properties ?? {}).length > 0);
        assert.ok(configured.length >= 5, "several policies take thresholds");
        for (const policy of configured) {
            assert.deepStrictEqual(
                Object.keys(config[policy.name] as object).sort(),
                Object.keys(policy.configSchema!.properties).sort(),
                policy.name,
            );
        }
        assert.deepStrictEqual(Object.keys(config).sort(), configured.map((p) => p.name).sort());
    });

    it("npm run policy:config prints the JSON, and refuses a missing or unknown stack", async () => {
        let out = "";
        let err = "";
        const io = {
            stdout: { write: (t: string) => (out += t) },
            stderr: { write: (t: string) => (err += t) },
        };
        assert.strictEqual(await main(["--stack", "dr:warm"], io), 0);
        const printed = JSON.parse(out) as Record<string, Record<string, unknown>>;
        assert.strictEqual(printed["rds-instance-backup-retention"].pitrDays, 35);
        assert.strictEqual(await main([], io), 2);
        assert.match(err, /--stack is required/);
        assert.strictEqual(await main(["--stack", "prod"], io), 2);
        assert.match(err, /got "prod"/);
    });
});
