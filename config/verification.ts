import { ProblemCollector } from "../lib/errors";
import { MIGRATION_TOOLS, MigrationTool } from "../lib/restored-data";
import { CONFIG_DEFAULTS } from "./defaults";
import { configKey, RawStackConfig } from "./keys";
import { jsonObject, oneOf } from "./values";

/*
 * What the verify step of a restore, failover or drill checks inside the restored database,
 * beside the heartbeat (lib/heartbeat.ts): the critical tables and the fewest rows each must
 * hold, and the schema-migration version, compared with the source's.
 */

/**
 * A table named `schema.table` in PostgreSQL's unquoted identifier form (lower-case letter or
 * underscore, then letters, digits, underscores or dollar signs, at most 63 bytes each:
 * PostgreSQL documentation, "Identifiers and Key Words"). Quoted identifiers are refused so
 * that the name can be written into a query as it stands.
 */
const TABLE_NAME = /^[a-z_][a-z0-9_$]{0,62}\.[a-z_][a-z0-9_$]{0,62}$/;

/** The data checks of a restored database. */
export interface VerificationSettings {
    /**
     * Critical tables (`schema.table`) and the fewest rows each must hold once restored:
     * `webank:verifyTables`, e.g. `{"public.accounts": 1}`. Unset, no table is counted; the
     * heartbeat is still checked.
     * @default {}
     */
    readonly tables: Readonly<Record<string, number>>;
    /**
     * The migration tool whose version must match the source database's:
     * `webank:verifyMigrations`.
     * @default "none"
     */
    readonly migrations: MigrationTool;
}

/** Reads `webank:verifyTables` and `webank:verifyMigrations`; every problem names the key and the value. */
export function parseVerification(
    raw: RawStackConfig,
    problems: ProblemCollector,
): VerificationSettings | undefined {
    const field = configKey("verifyTables");
    const object = jsonObject(problems, field, raw.get("verifyTables")) ?? CONFIG_DEFAULTS.verifyTables;
    const tables: Record<string, number> = {};
    let valid = true;
    for (const [table, rows] of Object.entries(object)) {
        if (!TABLE_NAME.test(table)) {
            problems.add(
                `${field}.${table}`,
                "be a table named schema.table in lower case, unquoted (such as public.accounts)",
                table,
            );
            valid = false;
        } else if (typeof rows !== "number" || !Number.isSafeInteger(rows) || rows < 0) {
            problems.add(
                `${field}.${table}`,
                "be the fewest rows the table must hold after a restore: a whole number, 0 or more",
                rows,
            );
            valid = false;
        } else {
            tables[table] = rows;
        }
    }
    const migrations = oneOf(
        problems,
        configKey("verifyMigrations"),
        raw.get("verifyMigrations"),
        MIGRATION_TOOLS,
        CONFIG_DEFAULTS.verifyMigrations,
    );
    if (!valid || migrations === undefined) {
        return undefined;
    }
    return { tables, migrations };
}
