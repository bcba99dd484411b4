import * as assert from "assert";
import { Policy } from "@pulumi/policy";
import { deliveredRpoMinutes, MAX_DR_FREQUENT_COPY_DAYS, ruleRpoMinutes } from "../../lib/backup-rules";
import * as plans from "../../policies/backup-plans";
import { DEFAULT_BACKUP_SCHEDULE, scheduleMaxGapMinutes } from "../../policies/backup-schedule";
import {
    changed,
    CONFIG,
    DR,
    DR_VAULT_ARN,
    HOME_VAULT_ARN,
    primaryStack,
    replaced,
    rules,
    Props,
} from "./backup-fixture";
import { findings, StackResource, UNKNOWN_INPUT, violations } from "./stack-harness";

const run = (policy: Policy, stack: StackResource[], config: Record<string, unknown> = CONFIG) =>
    violations(policy, stack, config);
const advisories = (policy: Policy, stack: StackResource[], config: Record<string, unknown> = CONFIG) =>
    findings(policy, stack, config).filter((f) => f.level === "advisory");
const only = (found: string[], pattern: RegExp) => {
    assert.strictEqual(found.length, 1, found.join("\n"));
    assert.match(found[0], pattern);
};

describe("policies/backup-schedule: the longest time between two runs", () => {
    const cases: Array<[string, number | undefined]> = [
        ["cron(0 * ? * * *)", 60],
        ["cron(15 0/1 * * ? *)", 60],
        ["cron(0 0/4 ? * * *)", 240],
        ["cron(30 0/2 * * ? *)", 120],
        [DEFAULT_BACKUP_SCHEDULE, 1440],
        ["cron(0 5 ? * SUN *)", 7 * 1440],
        ["cron(0 5 ? * MON-FRI *)", 3 * 1440],
        ["cron(0 5 1 * ? *)", 31 * 1440],
        ["rate(7 days)", 7 * 1440],
        ["rate(1 hour)", 60],
        ["cron(0 5 ? * * 2026)", undefined],
        ["cron(0 5 L * ? *)", undefined],
        ["every day", undefined],
    ];
    for (const [expression, gap] of cases) {
        it(`${expression}: ${String(gap)}`, () => assert.strictEqual(scheduleMaxGapMinutes(expression), gap));
    }
    it("adds the daylight-saving hour outside UTC", () => {
        assert.strictEqual(scheduleMaxGapMinutes("cron(0 * ? * * *)", "Europe/Paris"), 120);
        assert.strictEqual(scheduleMaxGapMinutes("cron(0 * ? * * *)", "UTC"), 60);
    });
});

describe("lib/backup-rules: the RPO rules deliver", () => {
    it("continuous backup gives the kind's floor, snapshots their period, never under an hour", () => {
        assert.strictEqual(ruleRpoMinutes("rds", true, 60), 5);
        assert.strictEqual(ruleRpoMinutes("s3", true, 60), 15);
        assert.strictEqual(ruleRpoMinutes("ebs", true, 60), 60);
        assert.strictEqual(ruleRpoMinutes("ebs", false, 15), 60);
        assert.strictEqual(
            deliveredRpoMinutes(
                [
                    { continuous: false, periodHours: 24 },
                    { continuous: true, periodHours: 1 },
                ],
                "rds",
            ),
            5,
        );
    });
});

describe(`policies: ${plans.backupPlanRuleFrequencyAndRetention.name}`, () => {
    const policy = plans.backupPlanRuleFrequencyAndRetention;
    it("passes the plans the program declares", () =>
        assert.deepStrictEqual(run(policy, primaryStack()), []));
    it("fails continuous backup off for a 5-minute database RPO, naming the plan", () =>
        only(
            run(
                policy,
                changed(primaryStack(), "plan-database", (p) => (p.rules[0].enableContinuousBackup = false)),
            ),
            /^plan-database: rules: must deliver an RPO of at most 5 minutes for RDS .*only continuous backup .* the rules deliver 60 minutes/,
        ));
    it("fails a volume snapshot every 4 hours for a 60-minute RPO", () =>
        only(
            run(
                policy,
                changed(primaryStack(), "plan-volumes", (p) => (p.rules[0].schedule = "cron(0 0/4 ? * * *)")),
            ),
            /deliver 240 minutes/,
        ));
    it("takes AWS Backup's daily default for a rule without a schedule", () =>
        only(
            run(
                policy,
                changed(primaryStack(), "plan-volumes", (p) => delete p.rules[0].schedule),
            ),
            /unset, so cron\(0 5 \? \* \* \*\)/,
        ));
    it("vouches for no schedule it cannot evaluate", () => {
        only(
            run(
                policy,
                changed(primaryStack(), "plan-volumes", (p) => (p.rules[0].schedule = "cron(0 5 L * ? *)")),
            ),
            /deliver 1440 minutes .*cron\(0 5 L/,
        );
        const none = changed(primaryStack(), "plan-volumes", (p) =>
            p.rules.forEach((r: { schedule: string }) => (r.schedule = "cron(0 5 L * ? *)")),
        );
        only(run(policy, none), /no bounded RPO/);
    });
    it("judges a plan by the kinds its selections cover: the database moved into the volumes plan", () =>
        only(
            run(
                policy,
                replaced(primaryStack(), "sel-database", (r) => ({
                    ...r,
                    inputsFrom: { ...r.inputsFrom, planId: ["plan-volumes"] },
                })),
            ),
            /^plan-volumes: rules: must deliver an RPO of at most 5 minutes for RDS/,
        ));
    it("fails a rule keeping its points less than backupRetentionDays", () =>
        only(
            run(
                policy,
                changed(primaryStack(), "plan-database", (p) => (p.rules[0].lifecycle.deleteAfter = 1)),
            ),
            /^plan-database: rules\[0\]\.lifecycle\.deleteAfter: must be at least 35 days .* keeps its points 1 day\.$/,
        ));
    it("judges literals in a preview and notes what is unknown", () => {
        let stack = changed(primaryStack(), "plan-database", (p) => {
            p.rules[0].enableContinuousBackup = false;
            p.rules[0].targetVaultName = UNKNOWN_INPUT;
        });
        stack = changed(stack, "plan-volumes", (p) => (p.rules[0].schedule = UNKNOWN_INPUT));
        const found = findings(policy, stack, CONFIG);
        assert.deepStrictEqual(
            found.filter((f) => f.level === "mandatory").map((f) => f.resource),
            ["plan-database"],
        );
        assert.match(advisories(policy, stack)[0].message, /plan-volumes rules/);
    });
});

describe(`policies: ${plans.backupPlanLongTermRetention.name}`, () => {
    const policy = plans.backupPlanLongTermRetention;
    it("passes the plans the program declares", () =>
        assert.deepStrictEqual(run(policy, primaryStack()), []));
    it("fails a plan without its long-term rule", () =>
        only(
            run(
                policy,
                changed(primaryStack(), "plan-database", (p) => p.rules.pop()),
            ),
            /^plan-database: rules: must include a snapshot rule .* 365 days/,
        ));
    it("fails a long-term rule kept 30 days, or run weekly, or copied for 30 days", () => {
        only(
            run(
                policy,
                changed(primaryStack(), "plan-volumes", (p) => (p.rules[1].lifecycle = { deleteAfter: 30 })),
            ),
            /keeps its points 30 days/,
        );
        only(
            run(
                policy,
                changed(primaryStack(), "plan-volumes", (p) => (p.rules[1].schedule = "cron(0 5 ? * SUN *)")),
            ),
            /runs less often than daily/,
        );
        only(
            run(
                policy,
                changed(
                    primaryStack(),
                    "plan-volumes",
                    (p) => (p.rules[1].copyActions[0].lifecycle = { deleteAfter: 30 }),
                ),
            ),
            /keeps no copy in another region that long/,
        );
    });
    it("notes an unknown copy in a preview", () => {
        const stack = changed(
            primaryStack(),
            "plan-volumes",
            (p) => (p.rules[1].copyActions = UNKNOWN_INPUT),
        );
        assert.deepStrictEqual(run(policy, stack), []);
        assert.match(advisories(policy, stack)[0].message, /plan-volumes rules/);
    });
});

describe(`policies: ${plans.backupPlanRuleCopyRetention.name}`, () => {
    const policy = plans.backupPlanRuleCopyRetention;
    const copy = (rule: number, lifecycle: unknown, extra: (p: Props) => void = () => undefined) =>
        changed(primaryStack(), "plan-volumes", (p) => {
            if (lifecycle === undefined) {
                delete p.rules[rule].copyActions[0].lifecycle;
            } else {
                p.rules[rule].copyActions[0].lifecycle = lifecycle;
            }
            extra(p);
        });
    it("passes frequent copies kept a week and daily ones a year", () =>
        assert.deepStrictEqual(run(policy, primaryStack()), []));
    it("fails an hourly rule's copy kept 35 days", () =>
        only(
            run(policy, copy(0, { deleteAfter: 35 })),
            /^plan-volumes: rules\[0\]\.copyActions\[0\]\.lifecycle\.deleteAfter: must be at most 14 days .* keeps its copy 35 days\.$/,
        ));
    it("fails a continuous rule's copy kept 35 days", () =>
        only(
            run(
                policy,
                changed(
                    primaryStack(),
                    "plan-database",
                    (p) => (p.rules[0].copyActions[0].lifecycle.deleteAfter = 35),
                ),
            ),
            /at most 14 days/,
        ));
    it("fails a frequent copy without a lifecycle: AWS Backup applies the source's 35 days", () =>
        only(run(policy, copy(0, undefined)), /35 days \(the rule's own retention: the copy sets none\)/));
    it("fails a frequent copy kept forever", () =>
        only(
            run(
                policy,
                copy(0, undefined, (p) => (p.rules[0].lifecycle = {})),
            ),
            /unset \(kept until deleted\)/,
        ));
    it("fails a copy kept 1 day, frequent or daily", () => {
        only(run(policy, copy(0, { deleteAfter: 1 })), /must be at least 7 days .* keeps its copy 1 day\.$/);
        only(run(policy, copy(1, { deleteAfter: 1 })), /must be at least 7 days/);
    });
    it("lets a daily rule keep its copies as long as its retention says", () =>
        assert.deepStrictEqual(
            run(
                policy,
                copy(1, { deleteAfter: 3650 }, (p) => (p.rules[1].lifecycle = { deleteAfter: 3650 })),
            ),
            [],
        ));
    it("reads its thresholds from config", () => {
        assert.deepStrictEqual(
            run(policy, copy(0, { deleteAfter: 21 }), { ...CONFIG, backupMaxFrequentCopyDays: 21 }),
            [],
        );
        only(
            run(policy, copy(0, { deleteAfter: 10 }), { ...CONFIG, backupCopyRetentionDays: 14 }).filter(
                (v) => v.startsWith("plan-volumes"),
            ),
            /at least 14 days .* 10 days/,
        );
        assert.strictEqual(
            policy.configSchema?.properties?.backupMaxFrequentCopyDays?.default,
            MAX_DR_FREQUENT_COPY_DAYS,
        );
    });
});

describe(`policies: ${plans.backupPlanRuleCrossRegionCopy.name}`, () => {
    const policy = plans.backupPlanRuleCrossRegionCopy;
    const firstCopy = (arn: unknown, stack = primaryStack()) =>
        changed(stack, "plan-volumes", (p) => (p.rules[0].copyActions[0].destinationVaultArn = arn));
    it("passes copies to the stack's DR vault", () =>
        assert.deepStrictEqual(run(policy, primaryStack()), []));
    it("fails a rule without copy actions", () =>
        only(
            run(
                policy,
                changed(primaryStack(), "plan-volumes", (p) => delete p.rules[0].copyActions),
            ),
            /^plan-volumes: rules\[0\]\.copyActions: must copy .* it has no copy action\.$/,
        ));
    it("fails a copy to the home vault", () =>
        only(run(policy, firstCopy(HOME_VAULT_ARN)), /copy 0 goes to us-east-1, the plan's own region/));
    it("fails a copy to a DR-region vault the stack does not declare", () =>
        only(
            run(policy, firstCopy(DR_VAULT_ARN.replace("webank-vault", "Default"))),
            /not to the stack's vault in us-west-2/,
        ));
    it("judges an unknown ARN (preview) by the vaults the rules were computed from", () => {
        assert.deepStrictEqual(run(policy, firstCopy(UNKNOWN_INPUT)), []);
        const homeOnly = replaced(firstCopy(UNKNOWN_INPUT), "plan-volumes", (r) => ({
            ...r,
            inputsFrom: { rules: ["vault-home"] },
        }));
        only(run(policy, homeOnly), /the plan's own region/);
        const fromNothing = replaced(firstCopy(UNKNOWN_INPUT), "plan-volumes", (r) => ({
            ...r,
            inputsFrom: {},
        }));
        assert.deepStrictEqual(run(policy, fromNothing), []);
        assert.match(advisories(policy, fromNothing)[0].message, /plan-volumes rules\[0\]\.copyActions/);
    });
});

describe(`policies: ${plans.backupPlanRuleTargetVault.name}`, () => {
    const policy = plans.backupPlanRuleTargetVault;
    /** The dr stack after a failover: a plan in the DR region writing to primary's DR vault, copying home. */
    const drStack: StackResource[] = [
        {
            type: "aws:backup/plan:Plan",
            name: "plan-dr",
            region: DR,
            props: { rules: rules("db", true, HOME_VAULT_ARN) },
        },
    ];
    const drConfig = { ...CONFIG, stackRole: "dr" };
    it("passes rules writing to the stack's vault", () =>
        assert.deepStrictEqual(run(policy, primaryStack()), []));
    it("fails the unlocked Default vault", () =>
        only(
            run(
                policy,
                changed(primaryStack(), "plan-database", (p) => (p.rules[0].targetVaultName = "Default")),
            ),
            /^plan-database: rules\[0\]\.targetVaultName: must name a backup vault of this stack in us-east-1 \(webank-vault\)/,
        ));
    it("fails a rule diverted to a logically air-gapped vault", () =>
        only(
            run(
                policy,
                changed(
                    primaryStack(),
                    "plan-database",
                    (p) =>
                        (p.rules[1].targetLogicallyAirGappedBackupVaultArn =
                            "arn:aws:backup:us-east-1:1:backup-vault:ag"),
                ),
            ),
            /targetLogicallyAirGappedBackupVaultArn: must be unset/,
        ));
    it("passes a dr plan writing to the vault named as its home copy's, and fails another", () => {
        assert.deepStrictEqual(run(policy, drStack, drConfig), []);
        only(
            run(
                policy,
                changed(drStack, "plan-dr", (p) => (p.rules[0].targetVaultName = "Default")),
                drConfig,
            ),
            /must name the DR vault the primary stack declares/,
        );
        assert.match(
            run(policy, drStack).join("\n"),
            /must name a backup vault of this stack in us-west-2 \(it declares none\)/,
        );
    });
});
