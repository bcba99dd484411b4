import * as assert from "assert";
import { parseStackConfig } from "../../config/stack-config";
import { itRejects, raw } from "../support/raw-config";

/*
 * The data checks a restore's verify step runs (`webank:verifyTables`, `webank:verifyMigrations`)
 * and the application database they open (`webank:dbName`): each typo, wrong type and
 * impossible value is refused naming the key and the value, before anything is declared.
 */
describe("config: data verification and the application database", () => {
    it("defaults to the heartbeat alone in the database webank", () => {
        const config = parseStackConfig(raw({}));
        assert.deepStrictEqual(config.verification, { tables: {}, migrations: "none" });
        assert.strictEqual(config.database.name, "webank");
    });

    it("reads critical tables with their minimum rows, a migration tool and a database name", () => {
        const config = parseStackConfig(
            raw({
                verifyTables: '{"public.accounts": 1, "ledger.entries": 0}',
                verifyMigrations: "flyway",
                dbName: "core_banking",
            }),
        );
        assert.deepStrictEqual(config.verification, {
            tables: { "public.accounts": 1, "ledger.entries": 0 },
            migrations: "flyway",
        });
        assert.strictEqual(config.database.name, "core_banking");
    });

    itRejects([
        {
            title: "verifyTables that is not JSON",
            values: { verifyTables: "public.accounts=1" },
            field: "webank:verifyTables",
            mentions: "public.accounts=1",
        },
        {
            title: "verifyTables given as a list",
            values: { verifyTables: '["public.accounts"]' },
            field: "webank:verifyTables",
            mentions: "JSON object",
        },
        {
            title: "a table without its schema",
            values: { verifyTables: '{"accounts": 1}' },
            field: "webank:verifyTables.accounts",
            mentions: "accounts",
        },
        {
            title: "a quoted, mixed-case table name",
            values: { verifyTables: '{"public.\\"Accounts\\"": 1}' },
            field: 'webank:verifyTables.public."Accounts"',
            mentions: "lower case",
        },
        {
            title: "a table name that smuggles SQL",
            values: { verifyTables: '{"public.accounts; DROP TABLE x": 1}' },
            field: "webank:verifyTables.public.accounts; DROP TABLE x",
            mentions: "schema.table",
        },
        {
            title: "a minimum given as a string",
            values: { verifyTables: '{"public.accounts": "1"}' },
            field: "webank:verifyTables.public.accounts",
            mentions: '"1"',
        },
        {
            title: "a negative minimum",
            values: { verifyTables: '{"public.accounts": -1}' },
            field: "webank:verifyTables.public.accounts",
            mentions: "-1",
        },
        {
            title: "a fractional minimum",
            values: { verifyTables: '{"public.accounts": 1.5}' },
            field: "webank:verifyTables.public.accounts",
            mentions: "1.5",
        },
        {
            title: "a misspelt migration tool",
            values: { verifyMigrations: "flyaway" },
            field: "webank:verifyMigrations",
            mentions: "flyaway",
        },
        {
            title: "a migration tool in the wrong case",
            values: { verifyMigrations: "Flyway" },
            field: "webank:verifyMigrations",
            mentions: "Flyway",
        },
        {
            title: "a database name with a hyphen",
            values: { dbName: "core-banking" },
            field: "webank:dbName",
            mentions: "core-banking",
        },
        {
            title: "a database name starting with a digit",
            values: { dbName: "1bank" },
            field: "webank:dbName",
            mentions: "1bank",
        },
        {
            title: "a database name over 63 characters",
            values: { dbName: "a".repeat(64) },
            field: "webank:dbName",
            mentions: "a".repeat(64),
        },
        {
            title: "a misspelt key (verifyTable)",
            values: { verifyTable: '{"public.accounts": 1}' },
            field: "webank:verifyTable",
            mentions: "webank:verifyTables",
        },
    ]);
});
