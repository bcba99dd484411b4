import * as assert from "assert";
import {
    BACKUP_CAPABILITIES,
    BACKUP_TARGETS,
    BackupResourceKind,
    backupRulesFor,
    drCopyPeriodMinutes,
    drCopyRpoMinutes,
    drCopySummary,
    ImpossibleObjectiveError,
    MAX_DR_FREQUENT_COPY_DAYS,
    mostFrequentPeriodHours,
} from "../../lib/backup-rules";

const RETENTION = { shortTermDays: 35, longTermDays: 365, coldStorageAfterDays: 90, drFrequentCopyDays: 7 };

/** A compact view of the rules: name, schedule, continuous, retention, DR copy retention. */
function summary(kind: BackupResourceKind, rpoMinutes: number): string[] {
    return backupRulesFor("database", kind, { rpoMinutes, rtoMinutes: 60 }, RETENTION).map(
        (r) =>
            `${r.name.replace("database-", "")} ${r.schedule}${r.continuous ? " continuous" : ""} ${r.deleteAfterDays}d copy ${r.copyDeleteAfterDays}d`,
    );
}

describe("lib/backup-rules: objectives to AWS Backup rules", () => {
    const table: Array<{ kind: BackupResourceKind; rpo: number; rules: string[] | RegExp }> = [
        // RPO 5 minutes
        {
            kind: "rds",
            rpo: 5,
            rules: [
                "rds-continuous cron(0 * ? * * *) continuous 35d copy 7d",
                "rds-long-term cron(0 5 ? * * *) 365d copy 365d",
            ],
        },
        {
            kind: "s3",
            rpo: 5,
            rules: /S3: its continuous backup gives 15 minutes at best; set webank:objectives.database.rpoMinutes to 15/,
        },
        {
            kind: "ebs",
            rpo: 5,
            rules: /EBS: AWS Backup snapshots it at most hourly, and a copy reaches the DR vault up to 240 minutes after its scheduled time .*so the RPO must be at least 300 minutes/,
        },
        {
            kind: "dynamodb",
            rpo: 5,
            rules: [
                "dynamodb-snapshot cron(0 * ? * * *) 35d copy 7d",
                "dynamodb-long-term cron(0 5 ? * * *) 365d copy 365d",
            ],
        },
        // RPO 15 minutes
        {
            kind: "rds",
            rpo: 15,
            rules: [
                "rds-continuous cron(0 * ? * * *) continuous 35d copy 7d",
                "rds-long-term cron(0 5 ? * * *) 365d copy 365d",
            ],
        },
        {
            kind: "s3",
            rpo: 15,
            rules: [
                "s3-continuous cron(0 * ? * * *) continuous 35d copy 7d",
                "s3-long-term cron(0 5 ? * * *) 365d copy 365d",
            ],
        },
        { kind: "ebs", rpo: 15, rules: /RPO of 15 minutes cannot be met for EBS/ },
        // RPO 60 minutes
        {
            kind: "rds",
            rpo: 60,
            rules: [
                "rds-snapshot cron(0 * ? * * *) 35d copy 7d",
                "rds-long-term cron(0 5 ? * * *) 365d copy 365d",
            ],
        },
        // EBS comes back only from its DR copy: the period plus the copy's 240 minutes of delivery.
        { kind: "ebs", rpo: 60, rules: /RPO must be at least 300 minutes/ },
        { kind: "ebs", rpo: 299, rules: /RPO must be at least 300 minutes/ },
        {
            kind: "ebs",
            rpo: 300,
            rules: [
                "ebs-snapshot cron(0 * ? * * *) 35d copy 7d",
                "ebs-long-term cron(0 5 ? * * *) 365d copy 365d",
            ],
        },
        // RPO 8 hours: 4-hourly snapshots (4 h + 240 min)
        {
            kind: "ebs",
            rpo: 480,
            rules: [
                "ebs-snapshot cron(0 0/4 ? * * *) 35d copy 7d",
                "ebs-long-term cron(0 5 ? * * *) 365d copy 365d",
            ],
        },
        // EKS: snapshots only, no PITR of its own, so it comes back from a DR copy like EBS
        { kind: "eks", rpo: 15, rules: /RPO of 15 minutes cannot be met for EKS/ },
        { kind: "eks", rpo: 299, rules: /EKS: .*the RPO must be at least 300 minutes/ },
        {
            kind: "eks",
            rpo: 300,
            rules: [
                "eks-snapshot cron(0 * ? * * *) 35d copy 7d",
                "eks-long-term cron(0 5 ? * * *) 365d copy 365d",
            ],
        },
        // A day and its delivery: the daily backup alone
        { kind: "ebs", rpo: 1680, rules: ["ebs-long-term cron(0 5 ? * * *) 365d copy 365d"] },
        { kind: "s3", rpo: 1440, rules: ["s3-long-term cron(0 5 ? * * *) 365d copy 365d"] },
        { kind: "dynamodb", rpo: 2880, rules: ["dynamodb-long-term cron(0 5 ? * * *) 365d copy 365d"] },
    ];
    for (const row of table) {
        it(`${row.kind}, RPO ${row.rpo} min → ${row.rules instanceof RegExp ? "impossible" : row.rules.length + " rules"}`, () => {
            if (row.rules instanceof RegExp) {
                assert.throws(
                    () => summary(row.kind, row.rpo),
                    (error: unknown) =>
                        error instanceof ImpossibleObjectiveError &&
                        (row.rules as RegExp).test(error.message),
                );
            } else {
                assert.deepStrictEqual(summary(row.kind, row.rpo), row.rules);
            }
        });
    }

    it("backs the cluster up by ARN as its own target, under the cluster objective, with no continuous rule", () => {
        const cluster = BACKUP_TARGETS.find((t) => t.id === "cluster");
        assert.deepStrictEqual(cluster, { id: "cluster", kind: "eks", assetClasses: ["cluster"] });
        assert.strictEqual(BACKUP_CAPABILITIES.eks.continuousRpoFloorMinutes, undefined);
        assert.strictEqual(BACKUP_CAPABILITIES.eks.nativePitr, undefined);
    });

    it("gives every rule a DR copy with its own retention, and cold storage only to long-term backups", () => {
        for (const rule of backupRulesFor(
            "volumes",
            "ebs",
            { rpoMinutes: 300, rtoMinutes: 240 },
            RETENTION,
        )) {
            assert.ok(rule.copyDeleteAfterDays > 0, rule.name);
            assert.strictEqual(
                rule.coldStorageAfterDays !== undefined,
                rule.name.endsWith("long-term"),
                rule.name,
            );
        }
    });

    it("caps continuous retention at the 35 days AWS allows", () => {
        const [continuous] = backupRulesFor(
            "database",
            "rds",
            { rpoMinutes: 5, rtoMinutes: 60 },
            { ...RETENTION, shortTermDays: 90 },
        );
        assert.strictEqual(continuous.deleteAfterDays, 35);
    });

    it("keeps no frequent copy in the DR vault for 35 days: hourly copies are kept drFrequentCopyDays, daily ones long", () => {
        for (const [kind, rpo] of [
            ["rds", 5],
            ["s3", 15],
            ["dynamodb", 5],
            ["ebs", 300],
            ["ebs", 480],
        ] as const) {
            for (const rule of backupRulesFor(
                "database",
                kind,
                { rpoMinutes: rpo, rtoMinutes: 60 },
                RETENTION,
            )) {
                const frequent = rule.periodHours < 24;
                assert.strictEqual(
                    rule.copyDeleteAfterDays,
                    frequent ? RETENTION.drFrequentCopyDays : RETENTION.longTermDays,
                    `${rule.name} every ${rule.periodHours} h`,
                );
                assert.ok(!frequent || rule.copyDeleteAfterDays <= MAX_DR_FREQUENT_COPY_DAYS, rule.name);
                // The home vault keeps its own frequent points for the whole short-term window.
                assert.strictEqual(rule.deleteAfterDays, frequent ? 35 : 365, rule.name);
            }
        }
    });

    it("never keeps a DR copy longer than the point it copies", () => {
        const rules = backupRulesFor(
            "database",
            "rds",
            { rpoMinutes: 5, rtoMinutes: 60 },
            { ...RETENTION, shortTermDays: 10, drFrequentCopyDays: 14 },
        );
        assert.deepStrictEqual(
            rules.map((r) => [r.name, r.deleteAfterDays, r.copyDeleteAfterDays]),
            [
                ["database-rds-continuous", 10, 10],
                ["database-rds-long-term", 365, 365],
            ],
        );
    });

    it("gives the DR vault's RPO as the period of its most frequent copy (continuous backups copy as hourly snapshots)", () => {
        const period = (kind: BackupResourceKind, rpoMinutes: number) =>
            drCopyPeriodMinutes(backupRulesFor("database", kind, { rpoMinutes, rtoMinutes: 60 }, RETENTION));
        assert.strictEqual(period("rds", 5), 60);
        assert.strictEqual(period("ebs", 480), 240);
        assert.strictEqual(period("s3", 1440), 1440);
        // Its RPO adds how late a copy may land: the rules' start and completion windows.
        const rules = backupRulesFor("database", "rds", { rpoMinutes: 5, rtoMinutes: 60 }, RETENTION);
        assert.strictEqual(drCopyRpoMinutes(rules), 60 + 60 + 180);
    });

    it("describes the DR copies for the stack outputs: how often, the RPO they give, how long they are kept", () => {
        const rules = backupRulesFor("database", "rds", { rpoMinutes: 5, rtoMinutes: 60 }, RETENTION);
        assert.strictEqual(
            drCopySummary(rules),
            "a snapshot copy every 60 min (the DR vault's RPO: up to 300 min, landing up to 240 min after its schedule; a copy of a continuous backup has no point-in-time restore), kept 7 days; daily copies kept 365 days",
        );
        assert.strictEqual(
            drCopySummary(backupRulesFor("database", "s3", { rpoMinutes: 1440, rtoMinutes: 60 }, RETENTION)),
            "a snapshot copy every 1440 min (the DR vault's RPO: up to 1680 min, landing up to 240 min after its schedule), kept 365 days",
        );
    });

    it("reports the most frequent period for the audit", () => {
        assert.strictEqual(
            mostFrequentPeriodHours(
                backupRulesFor("volumes", "ebs", { rpoMinutes: 480, rtoMinutes: 60 }, RETENTION),
            ),
            4,
        );
    });
});
