import { jsonObject, oneOf } from "../config-values";
import { ProblemCollector } from "../errors";
import type { RawStackConfig } from "../../config";
import { configKey } from "./key";

/*
 * What the verify step of a restore, failover or drill checks inside the restored database,
 * beside the heartbeat (lib/heartbeat.ts): the critical tables and the fewest rows each must
 * hold, and the schema-migration version, compared with the source's.
 */

/**
 * Schema-migration tools whose version table the verifier reads. `flyway`:
 * `flyway_schema_history` in the search path, the newest successful versioned migration by
 * `installed_rank` (Flyway documentation, "Schema History Table"); `golang-migrate`:
 * `schema_migrations (version bigint, dirty boolean)`, one row (golang-migrate's postgres
 * driver README); `none`: no version is compared.
 */
export const MIGRATION_TOOLS = ["none", "flyway", "golang-migrate"] as const;

/** A schema-migration tool. */
export type MigrationTool = (typeof MIGRATION_TOOLS)[number];

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
     * `webank:verifyTables`, e.g. `{"public.accounts": 1}`.
     * @default {} (no table is counted; the heartbeat is still checked)
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
    const object = jsonObject(problems, field, raw.get("verifyTables")) ?? {};
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
        "none",
    );
    if (!valid || migrations === undefined) {
        return undefined;
    }
    return { tables, migrations };
}
