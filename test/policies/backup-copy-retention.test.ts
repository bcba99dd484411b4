import * as assert from "assert";
import { backupPlanRuleCopyRetention } from "../../policies/backup";
import { MAX_DR_FREQUENT_COPY_DAYS } from "../../lib/backup-rules";
import { resourceViolations } from "./harness";

const PLAN = "aws:backup/plan:Plan";
const DR_VAULT = "arn:aws:backup:us-west-2:123456789012:backup-vault:webank-vault";

/** A rule copying to the DR vault, its copy kept `copyDays` (undefined: no copy lifecycle). */
function rule(schedule: string, copyDays: number | undefined, extra: Record<string, unknown> = {}) {
    return {
        ruleName: `r-${schedule}`,
        schedule,
        lifecycle: { deleteAfter: 35 },
        copyActions: [
            {
                destinationVaultArn: DR_VAULT,
                ...(copyDays === undefined ? {} : { lifecycle: { deleteAfter: copyDays } }),
            },
        ],
        ...extra,
    };
}
const HOURLY = "cron(0 * ? * * *)";
const FOUR_HOURLY = "cron(0 0/4 ? * * *)";
const DAILY = "cron(0 5 ? * * *)";

const violations = (rules: unknown[], config?: Record<string, unknown>) =>
    resourceViolations(backupPlanRuleCopyRetention, PLAN, { rules }, config ? { config } : {});

describe(`policies: ${backupPlanRuleCopyRetention.name}`, () => {
    it("passes the plan the program declares: frequent copies kept a week, daily ones a year", () => {
        assert.deepStrictEqual(
            violations([
                rule(HOURLY, 7, { enableContinuousBackup: true }),
                rule(FOUR_HOURLY, MAX_DR_FREQUENT_COPY_DAYS),
                { ...rule(DAILY, 365), lifecycle: { deleteAfter: 365 } },
            ]),
            [],
        );
    });

    const failing: Array<[string, unknown, RegExp]> = [
        [
            "an hourly rule whose copy is kept 35 days",
            rule(HOURLY, 35),
            /r-cron\(0 \* \? \* \* \*\) runs more often than daily, so its copies must be kept at most 14 days; a copy to .* is kept 35 days\.$/,
        ],
        [
            "a continuous rule whose copy is kept 35 days",
            rule(HOURLY, 35, { enableContinuousBackup: true }),
            /at most 14 days; .* is kept 35 days\.$/,
        ],
        [
            "a frequent copy with no lifecycle (AWS Backup applies the source's 35 days)",
            rule(FOUR_HOURLY, undefined),
            /is kept 35 days \(the rule's own retention: the copy sets none\)/,
        ],
        ["a frequent copy kept forever", { ...rule(HOURLY, undefined), lifecycle: {} }, /is kept forever/],
        [
            "a copy kept 1 day",
            rule(HOURLY, 1),
            /must keep copies at least 7 days; a copy to .* is kept 1 day\.$/,
        ],
        ["a daily copy kept 1 day", rule(DAILY, 1), /at least 7 days/],
    ];
    for (const [what, bad, message] of failing) {
        it(`fails ${what}`, () => {
            const found = violations([bad]);
            assert.strictEqual(found.length, 1, found.join("\n"));
            assert.match(found[0], message);
        });
    }

    it("lets a daily rule keep its copies as long as its retention says", () => {
        assert.deepStrictEqual(violations([{ ...rule(DAILY, 3650), lifecycle: { deleteAfter: 3650 } }]), []);
    });

    it("reads its thresholds from config", () => {
        assert.deepStrictEqual(violations([rule(HOURLY, 21)], { maximumFrequentCopyRetentionDays: 21 }), []);
        assert.match(violations([rule(HOURLY, 10)], { minimumRetentionDays: 14 })[0], /at least 14 days/);
    });

    it("is mandatory and named <service>-<resource>-<check>, described as a check", () => {
        assert.strictEqual(backupPlanRuleCopyRetention.enforcementLevel, "mandatory");
        assert.match(backupPlanRuleCopyRetention.name, /^backup-plan-rule-[a-z0-9-]+$/);
        assert.match(backupPlanRuleCopyRetention.description, /^Checks whether /);
    });
});
