import * as assert from "assert";
import { parseStackConfig } from "../../config/stack-config";
import { CONFIG_DEFAULTS } from "../../config/defaults";
import { itRejects, raw } from "../support/raw-config";

/** The DR-copy retention of every rule of the database plan, `name copy-days`. */
function databaseCopies(values: Record<string, string | undefined>): string[] {
    return parseStackConfig(raw(values)).backup.rules.database.map(
        (rule) => `${rule.name} ${rule.copyDeleteAfterDays}`,
    );
}

describe("config: webank:backupDrFrequentCopyDays (how long frequent backups' DR copies are kept)", () => {
    it("keeps frequent DR copies a week by default, and the daily ones their long-term retention", () => {
        assert.strictEqual(CONFIG_DEFAULTS.backupDrFrequentCopyDays, 7);
        assert.deepStrictEqual(databaseCopies({}), [
            "database-rds-continuous 7",
            "database-rds-long-term 365",
        ]);
        assert.strictEqual(parseStackConfig(raw({})).backup.retention.drFrequentCopyDays, 7);
    });

    it("applies a configured value to every frequent rule of every plan, and to no daily one", () => {
        const rules = parseStackConfig(raw({ backupDrFrequentCopyDays: "10" })).backup.rules;
        for (const rule of Object.values(rules).flat()) {
            assert.strictEqual(rule.copyDeleteAfterDays, rule.periodHours < 24 ? 10 : 365, rule.name);
        }
    });

    itRejects([
        {
            title: "a frequent copy retention that is not a number",
            values: { backupDrFrequentCopyDays: "a week" },
            field: "webank:backupDrFrequentCopyDays",
            mentions: '"a week"',
        },
        {
            title: "a frequent copy retention of 0 days",
            values: { backupDrFrequentCopyDays: "0" },
            field: "webank:backupDrFrequentCopyDays",
            mentions: "from 1 to 14",
        },
        {
            title: "frequent copies kept 35 days (24 copies a day per resource for five weeks)",
            values: { backupDrFrequentCopyDays: "35" },
            field: "webank:backupDrFrequentCopyDays",
            mentions: 'from 1 to 14; got "35"',
        },
        {
            title: "frequent copies kept longer than the home vault keeps the points they copy",
            values: { pitrRetentionDays: "10", backupDrFrequentCopyDays: "12" },
            field: "webank:backupDrFrequentCopyDays",
            mentions: "not exceed webank:pitrRetentionDays (10)",
        },
        {
            title: "frequent copies shorter than the DR vault's lock allows",
            values: { backupDrFrequentCopyDays: "3" },
            field: "webank:backupDrFrequentCopyDays",
            mentions: "at least webank:vaultLockMinRetentionDays (7)",
        },
        {
            title: "a typo of the frequent copy key",
            values: { backupDrFrequentCopyDay: "7" },
            field: "webank:backupDrFrequentCopyDay",
            mentions: "did you mean webank:backupDrFrequentCopyDays?",
        },
    ]);
});
