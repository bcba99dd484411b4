import * as assert from "assert";
import {
    BackupResourceKind,
    backupRulesFor,
    ImpossibleObjectiveError,
    mostFrequentPeriodHours,
} from "../../lib/backup-rules";

const RETENTION = { shortTermDays: 35, longTermDays: 365, coldStorageAfterDays: 90 };

/** A compact view of the rules: name, schedule, continuous, retention. */
function summary(kind: BackupResourceKind, rpoMinutes: number): string[] {
    return backupRulesFor("database", kind, { rpoMinutes, rtoMinutes: 60 }, RETENTION).map(
        (r) =>
            `${r.name.replace("database-", "")} ${r.schedule}${r.continuous ? " continuous" : ""} ${r.deleteAfterDays}d`,
    );
}

describe("lib/backup-rules: objectives to AWS Backup rules", () => {
    const table: Array<{ kind: BackupResourceKind; rpo: number; rules: string[] | RegExp }> = [
        // RPO 5 minutes
        {
            kind: "rds",
            rpo: 5,
            rules: [
                "rds-continuous cron(0 * ? * * *) continuous 35d",
                "rds-long-term cron(0 5 ? * * *) 365d",
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
            rules: /EBS: AWS Backup snapshots it at most hourly, so the RPO must be at least 60 minutes/,
        },
        {
            kind: "dynamodb",
            rpo: 5,
            rules: ["dynamodb-snapshot cron(0 * ? * * *) 35d", "dynamodb-long-term cron(0 5 ? * * *) 365d"],
        },
        // RPO 15 minutes
        {
            kind: "rds",
            rpo: 15,
            rules: [
                "rds-continuous cron(0 * ? * * *) continuous 35d",
                "rds-long-term cron(0 5 ? * * *) 365d",
            ],
        },
        {
            kind: "s3",
            rpo: 15,
            rules: ["s3-continuous cron(0 * ? * * *) continuous 35d", "s3-long-term cron(0 5 ? * * *) 365d"],
        },
        { kind: "ebs", rpo: 15, rules: /RPO of 15 minutes cannot be met for EBS/ },
        // RPO 60 minutes
        {
            kind: "rds",
            rpo: 60,
            rules: ["rds-snapshot cron(0 * ? * * *) 35d", "rds-long-term cron(0 5 ? * * *) 365d"],
        },
        {
            kind: "ebs",
            rpo: 60,
            rules: ["ebs-snapshot cron(0 * ? * * *) 35d", "ebs-long-term cron(0 5 ? * * *) 365d"],
        },
        // RPO 4 hours and 1 day
        {
            kind: "ebs",
            rpo: 240,
            rules: ["ebs-snapshot cron(0 0/4 ? * * *) 35d", "ebs-long-term cron(0 5 ? * * *) 365d"],
        },
        {
            kind: "ebs",
            rpo: 300,
            rules: ["ebs-snapshot cron(0 0/4 ? * * *) 35d", "ebs-long-term cron(0 5 ? * * *) 365d"],
        },
        { kind: "s3", rpo: 1440, rules: ["s3-long-term cron(0 5 ? * * *) 365d"] },
        { kind: "dynamodb", rpo: 2880, rules: ["dynamodb-long-term cron(0 5 ? * * *) 365d"] },
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

    it("gives every rule a DR copy with its own retention, and cold storage only to long-term backups", () => {
        for (const rule of backupRulesFor("volumes", "ebs", { rpoMinutes: 60, rtoMinutes: 240 }, RETENTION)) {
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

    it("reports the most frequent period for the audit", () => {
        assert.strictEqual(
            mostFrequentPeriodHours(
                backupRulesFor("volumes", "ebs", { rpoMinutes: 240, rtoMinutes: 60 }, RETENTION),
            ),
            4,
        );
    });
});
