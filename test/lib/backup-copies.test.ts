import * as assert from "assert";
import { copyDestinations, CopyVaults, crossAccountCopySummary } from "../../lib/backup-copies";
import { BACKUP_TARGETS, backupRulesFor } from "../../lib/backup-rules";

const RETENTION = { shortTermDays: 35, longTermDays: 365, coldStorageAfterDays: 90, drFrequentCopyDays: 7 };
const VAULTS: CopyVaults<string> = { otherRegion: "dr", airGapped: "lag" };
const WITH_ACCOUNT: CopyVaults<string> = {
    ...VAULTS,
    backupAccount: { planRegion: "acct-home", drRegion: "acct-dr" },
};

describe("lib/backup-copies: where each rule's copies go", () => {
    const rds = backupRulesFor("database", "rds", { rpoMinutes: 30, rtoMinutes: 60 }, RETENTION);
    const ebs = backupRulesFor("volumes", "ebs", { rpoMinutes: 300, rtoMinutes: 240 }, RETENTION);

    it("copies every rule to the other region, and only the daily rules to the air-gapped vault", () => {
        for (const rule of [...rds, ...ebs]) {
            const copies = copyDestinations(rule, "rds", VAULTS);
            assert.strictEqual(copies[0].vault, "dr", rule.name);
            assert.strictEqual(
                copies.some((c) => c.vault === "lag"),
                rule.periodHours >= 24,
                rule.name,
            );
        }
    });

    it("keeps the air-gapped copy as long as the DR copy, without cold storage", () => {
        const daily = rds.find((r) => r.periodHours >= 24);
        assert.ok(daily);
        const lag = copyDestinations(daily, "rds", VAULTS).find((c) => c.purpose === "air-gapped");
        assert.strictEqual(lag?.deleteAfterDays, daily.copyDeleteAfterDays);
        assert.strictEqual(lag?.coldStorageAfterDays, undefined);
    });

    it("adds a backup-account copy to every rule only when the account is set", () => {
        for (const rule of [...rds, ...ebs]) {
            assert.ok(!copyDestinations(rule, "ebs", VAULTS).some((c) => c.purpose === "backup-account"));
            assert.strictEqual(
                copyDestinations(rule, "ebs", WITH_ACCOUNT).filter((c) => c.purpose === "backup-account")
                    .length,
                1,
            );
        }
    });

    it("keeps RDS's cross-account copy in the plan's region (AWS copies RDS across accounts or Regions, not both)", () => {
        for (const rule of rds) {
            const copy = copyDestinations(rule, "rds", WITH_ACCOUNT).find(
                (c) => c.purpose === "backup-account",
            );
            assert.strictEqual(copy?.vault, "acct-home");
        }
        for (const target of BACKUP_TARGETS.filter((t) => t.kind !== "rds")) {
            const copy = copyDestinations(ebs[0], target.kind, WITH_ACCOUNT).find(
                (c) => c.purpose === "backup-account",
            );
            assert.strictEqual(copy?.vault, "acct-dr", target.id);
        }
        assert.match(
            crossAccountCopySummary("rds", "111122223333", "us-east-1", "us-west-2"),
            /us-east-1.*not both/,
        );
        assert.match(
            crossAccountCopySummary("s3", "111122223333", "us-east-1", "us-west-2"),
            /in us-west-2$/,
        );
    });
});
