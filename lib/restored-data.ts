import { DataExpectation, DataObservation, judgeData } from "./heartbeat";

/*
 * The verdict on a restored database's data: its heartbeat (lib/heartbeat.ts), the rows of its
 * critical tables and its schema-migration version. Every check that fails is named, so the
 * journal says everything that is wrong at once rather than the first thing.
 */

/**
 * Schema-migration tools whose version table the verifier reads. `flyway`:
 * `flyway_schema_history` in the search path, the newest successful versioned migration by
 * `installed_rank` (Flyway documentation, "Schema History Table"); `golang-migrate`:
 * `schema_migrations (version bigint, dirty boolean)`, one row (golang-migrate's postgres
 * driver README); `none`: no version is compared. Here, beside the tables they keep, so that
 * the verifier's rules need nothing from config/ (config/verification.ts reads the key).
 */
export const MIGRATION_TOOLS = ["none", "flyway", "golang-migrate"] as const;

/** A schema-migration tool. */
export type MigrationTool = (typeof MIGRATION_TOOLS)[number];

/**
 * The table each migration tool keeps its version in, in PostgreSQL's default schema:
 * Flyway's `flyway_schema_history` (Flyway documentation, "Schema History Table") and
 * golang-migrate's `schema_migrations` (its postgres driver's default `x-migrations-table`).
 */
export const MIGRATION_TABLES: Readonly<Record<Exclude<MigrationTool, "none">, string>> = {
    flyway: "public.flyway_schema_history",
    "golang-migrate": "public.schema_migrations",
};

/** The tables the verifier reads besides the heartbeat: the critical ones and the migration table. */
export function verifiedTables(
    tables: Readonly<Record<string, number>>,
    migrations: MigrationTool,
): string[] {
    return [...Object.keys(tables), ...(migrations === "none" ? [] : [MIGRATION_TABLES[migrations]])];
}

/** What a restored database is checked against. */
export interface RestoredDataExpectation extends DataExpectation {
    /** Critical tables and the fewest rows each must hold. @default {} */
    readonly tables?: Readonly<Record<string, number>>;
    /** The migration tool whose version is compared. @default "none" */
    readonly migrations?: MigrationTool;
    /**
     * The source database's migration version; undefined when the source did not answer (the
     * home region is down), so nothing can be compared and the report says so.
     */
    readonly sourceMigrationVersion?: string | null;
    /**
     * Whether a version other than the source's fails: true for a restore to the latest point,
     * which must hold the source's schema; false for a restore to an earlier chosen time, which
     * may rightly predate a migration (often the reason for the restore), so the two versions are
     * only reported. @default true
     */
    readonly migrationMustMatch?: boolean;
}

/** The verdict, with what the report shows. */
export interface RestoredDataVerdict {
    /** True when every check passed. */
    readonly ok: boolean;
    /** The newest heartbeat found, when there is one. */
    readonly newestBeat?: Date;
    /** Target minus the newest heartbeat, in minutes: the RPO measured from the data. */
    readonly achievedRpoMinutes?: number;
    /** One line per check: what was found (failures say why they fail). */
    readonly lines: readonly string[];
    /** The failed checks only. */
    readonly problems: readonly string[];
}

/** Judges a restored database's data against what it must hold. */
export function judgeRestoredData(
    observed: DataObservation,
    expected: RestoredDataExpectation,
): RestoredDataVerdict {
    const lines: string[] = [];
    const problems: string[] = [];
    const note = (ok: boolean, line: string) => {
        lines.push(line);
        if (!ok) {
            problems.push(line);
        }
    };
    const heartbeat = judgeData(observed, expected);
    note(heartbeat.ok, `heartbeat: ${heartbeat.detail}`);
    for (const [table, fewest] of Object.entries(expected.tables ?? {})) {
        const rows = observed.tableRows?.[table];
        if (rows === undefined || rows === null) {
            note(false, `${table}: missing from the restored database (at least ${fewest} rows expected)`);
        } else {
            note(rows >= fewest, `${table}: ${rows} rows (at least ${fewest} expected)`);
        }
    }
    const tool = expected.migrations ?? "none";
    if (tool !== "none") {
        const table = MIGRATION_TABLES[tool];
        const restored = observed.migrationVersion;
        const source = expected.sourceMigrationVersion;
        if (restored === undefined || restored === null) {
            note(false, `schema migrations (${tool}): no version in ${table}`);
        } else if (source === undefined) {
            note(
                true,
                `schema migrations (${tool}): version ${restored}; the source did not answer, so it was not compared`,
            );
        } else if (source === null) {
            note(
                false,
                `schema migrations (${tool}): version ${restored}, but the source has no version in ${table}`,
            );
        } else if (restored === source || expected.migrationMustMatch !== false) {
            note(
                restored === source,
                `schema migrations (${tool}): version ${restored}, the source's ${source}${restored === source ? "" : ": the restored schema is not the source's"}`,
            );
        } else {
            note(
                true,
                `schema migrations (${tool}): version ${restored}, the source's now ${source} (a restore to an earlier time may predate a migration)`,
            );
        }
    }
    return {
        ok: problems.length === 0,
        ...(observed.newestBeat ? { newestBeat: observed.newestBeat } : {}),
        ...(heartbeat.achievedRpoMinutes !== undefined
            ? { achievedRpoMinutes: heartbeat.achievedRpoMinutes }
            : {}),
        lines,
        problems,
    };
}
