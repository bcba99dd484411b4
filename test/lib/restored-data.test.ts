import * as assert from "assert";
import { judgeRestoredData, verifiedTables } from "../../lib/restored-data";

/*
 * The verdict on a restored database's data beyond the heartbeat: critical tables and the
 * schema-migration version. Every failing check is named at once.
 */
const TARGET = new Date("2026-12-03T10:00:00Z");
const FRESH = {
    heartbeatTable: true,
    newestBeat: new Date("2026-12-03T09:59:00Z"),
    beats: 100,
};
const EXPECT = { target: TARGET, periodMinutes: 1, rpoMinutes: 5 };

describe("lib/restored-data: judging a restored database", () => {
    it("passes a fresh heartbeat, full tables and the source's version, reporting each", () => {
        const verdict = judgeRestoredData(
            { ...FRESH, tableRows: { "public.accounts": 12 }, migrationVersion: "42" },
            {
                ...EXPECT,
                tables: { "public.accounts": 1 },
                migrations: "flyway",
                sourceMigrationVersion: "42",
            },
        );
        assert.strictEqual(verdict.ok, true, verdict.problems.join("\n"));
        assert.strictEqual(verdict.achievedRpoMinutes, 1);
        assert.deepStrictEqual(verdict.newestBeat, FRESH.newestBeat);
        assert.strictEqual(verdict.lines.length, 3);
        assert.match(verdict.lines[1] ?? "", /public\.accounts: 12 rows \(at least 1 expected\)/);
    });

    it("fails a table below its minimum, and a missing one, naming both", () => {
        const verdict = judgeRestoredData(
            { ...FRESH, tableRows: { "public.accounts": 0, "ledger.entries": null } },
            { ...EXPECT, tables: { "public.accounts": 1, "ledger.entries": 0 } },
        );
        assert.strictEqual(verdict.ok, false);
        assert.strictEqual(verdict.problems.length, 2);
        assert.match(verdict.problems[0] ?? "", /public\.accounts: 0 rows \(at least 1 expected\)/);
        assert.match(verdict.problems[1] ?? "", /ledger\.entries: missing/);
    });

    it("fails a table the reader did not report at all", () => {
        const verdict = judgeRestoredData(FRESH, { ...EXPECT, tables: { "public.accounts": 0 } });
        assert.strictEqual(verdict.ok, false);
    });

    it("fails another migration version after a restore to the latest point", () => {
        const verdict = judgeRestoredData(
            { ...FRESH, migrationVersion: "41" },
            { ...EXPECT, migrations: "flyway", sourceMigrationVersion: "42" },
        );
        assert.strictEqual(verdict.ok, false);
        assert.match(
            verdict.problems[0] ?? "",
            /version 41, the source's 42: the restored schema is not the source's/,
        );
    });

    it("only reports another version after a restore to a chosen earlier time (it may predate a migration)", () => {
        const verdict = judgeRestoredData(
            { ...FRESH, migrationVersion: "41" },
            { ...EXPECT, migrations: "flyway", sourceMigrationVersion: "42", migrationMustMatch: false },
        );
        assert.strictEqual(verdict.ok, true);
        assert.match(verdict.lines[1] ?? "", /version 41, the source's now 42/);
    });

    it("fails a restored database without a migration version, and one whose source has none", () => {
        assert.strictEqual(
            judgeRestoredData(
                { ...FRESH, migrationVersion: null },
                { ...EXPECT, migrations: "golang-migrate" },
            ).ok,
            false,
        );
        assert.strictEqual(
            judgeRestoredData(
                { ...FRESH, migrationVersion: "7" },
                { ...EXPECT, migrations: "golang-migrate", sourceMigrationVersion: null },
            ).ok,
            false,
        );
    });

    it("passes a version it could not compare when the source did not answer, saying so", () => {
        const verdict = judgeRestoredData(
            { ...FRESH, migrationVersion: "7" },
            { ...EXPECT, migrations: "flyway" },
        );
        assert.strictEqual(verdict.ok, true);
        assert.match(verdict.lines[1] ?? "", /the source did not answer, so it was not compared/);
    });

    it("names every failure at once: an empty database fails the heartbeat and each table", () => {
        const verdict = judgeRestoredData(
            { heartbeatTable: false, beats: 0, tableRows: { "public.accounts": null } },
            { ...EXPECT, tables: { "public.accounts": 1 } },
        );
        assert.strictEqual(verdict.problems.length, 2);
        assert.match(verdict.problems[0] ?? "", /no webank_dr\.heartbeat table/);
    });

    it("accepts a heartbeat after the check's latest restorable time only for a restore to the latest point", () => {
        const later = { ...FRESH, newestBeat: new Date("2026-12-03T10:04:00Z") };
        assert.strictEqual(judgeRestoredData(later, EXPECT).ok, false);
        const verdict = judgeRestoredData(later, { ...EXPECT, latest: true });
        assert.strictEqual(verdict.ok, true, verdict.problems.join("\n"));
        assert.strictEqual(verdict.achievedRpoMinutes, 0);
    });

    it("lists the migration table among the tables the verifier reads", () => {
        assert.deepStrictEqual(verifiedTables({ "public.accounts": 1 }, "golang-migrate"), [
            "public.accounts",
            "public.schema_migrations",
        ]);
        assert.deepStrictEqual(verifiedTables({}, "none"), []);
    });
});
