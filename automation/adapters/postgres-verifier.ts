import { POSTGRES_PORT } from "../../lib/postgres";
import { Client } from "pg";
import { DataObservation, HEARTBEAT_READER_ROLE, HEARTBEAT_TABLE } from "../../lib/heartbeat";
import { MIGRATION_TABLES } from "../../lib/restored-data";
import type { MigrationTool } from "../../lib/restored-data";

/*
 * Reads the heartbeat of a restored PostgreSQL database (lib/heartbeat.ts) over TLS only:
 * the certificate must chain to the given CA and name the host (node-postgres passes `ssl`
 * to tls.connect; RDS serves certificates of its regional CAs, published in the RDS user
 * guide's "Using SSL/TLS to encrypt a connection to a DB instance" bundle). The connection is
 * read-only (`default_transaction_read_only`), so a verifier given too strong a role still
 * cannot change the restored data.
 */

/** Where and as whom the verifier connects. */
export interface VerifierConnection {
    /** The restored instance's endpoint address. */
    readonly host: string;
    /** Its port. @default 5432 */
    readonly port?: number;
    /** The application database. */
    readonly database: string;
    /** The verifier role (lib/heartbeat.ts HEARTBEAT_READER_ROLE in production). */
    readonly user: string;
    /** Its password, from Secrets Manager; never logged. */
    readonly password: string;
    /** PEM of the CA(s) the server certificate must chain to. */
    readonly ca: string;
    /** Milliseconds to connect before giving up. @default 10 000 */
    readonly connectTimeoutMillis?: number;
}

/** What to read besides the heartbeat. */
export interface DataReading {
    /** Count only the beats of this writer (its `source`). @default every beat */
    readonly heartbeatSource?: string;
    /** Critical tables to count, `schema.table` as `webank:verifyTables` validates them. @default none */
    readonly tables?: readonly string[];
    /** The migration tool whose version to read. @default "none" */
    readonly migrations?: MigrationTool;
}

/**
 * The newest version each tool records. Flyway: the newest successful versioned migration by
 * `installed_rank` (repeatable migrations have no version); golang-migrate: its single row,
 * marked when `dirty` (a migration failed halfway).
 */
const MIGRATION_VERSION_SQL: Readonly<Record<Exclude<MigrationTool, "none">, string>> = {
    flyway:
        `SELECT version FROM ${MIGRATION_TABLES.flyway} ` +
        "WHERE success AND version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1",
    "golang-migrate": `SELECT version::text || CASE WHEN dirty THEN ' (dirty)' ELSE '' END AS version FROM ${MIGRATION_TABLES["golang-migrate"]} LIMIT 1`,
};

/**
 * Reads what {@link judgeRestoredData} needs: whether the heartbeat table exists, its newest
 * row and its size; the rows of each critical table (null when it does not exist); the
 * migration version (null when its table is missing or empty).
 */
export async function readHeartbeats(
    connection: VerifierConnection,
    reading: DataReading = {},
): Promise<DataObservation> {
    const client = new Client({
        host: connection.host,
        port: connection.port ?? POSTGRES_PORT,
        database: connection.database,
        user: connection.user,
        password: connection.password,
        ssl: { ca: connection.ca, rejectUnauthorized: true, servername: connection.host },
        connectionTimeoutMillis: connection.connectTimeoutMillis ?? 10_000,
        options: "-c default_transaction_read_only=on",
    });
    const where = `${connection.user}@${connection.host}:${connection.port ?? POSTGRES_PORT}/${connection.database}`;
    try {
        await client.connect();
    } catch (error) {
        throw new Error(
            `cannot connect to the restored database as ${where} over verified TLS: ${(error as Error).message}`,
            { cause: error },
        );
    }
    try {
        const exists = async (table: string) =>
            (await client.query<{ found: boolean }>("SELECT to_regclass($1) IS NOT NULL AS found", [table]))
                .rows[0]?.found === true;
        const tableRows: Record<string, number | null> = {};
        for (const table of reading.tables ?? []) {
            // Names are validated `schema.table` identifiers (config/verification.ts).
            tableRows[table] = (await exists(table))
                ? Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n)
                : null;
        }
        const tool = reading.migrations ?? "none";
        let migrationVersion: string | null | undefined;
        if (tool !== "none") {
            migrationVersion = (await exists(MIGRATION_TABLES[tool]))
                ? ((await client.query<{ version: string }>(MIGRATION_VERSION_SQL[tool])).rows[0]?.version ??
                  null)
                : null;
        }
        const extra = {
            ...(reading.tables?.length ? { tableRows } : {}),
            ...(migrationVersion !== undefined ? { migrationVersion } : {}),
        };
        if (!(await exists(HEARTBEAT_TABLE))) {
            return { heartbeatTable: false, beats: 0, ...extra };
        }
        const { rows } = await client.query<{ newest: Date | null; beats: string }>(
            `SELECT max(beat_at) AS newest, count(*) AS beats FROM ${HEARTBEAT_TABLE} WHERE $1::text IS NULL OR source = $1`,
            [reading.heartbeatSource ?? null],
        );
        const newest = rows[0]?.newest ?? undefined;
        return {
            heartbeatTable: true,
            ...(newest ? { newestBeat: newest } : {}),
            beats: Number(rows[0]?.beats ?? 0),
            ...extra,
        };
    } catch (error) {
        // 42501 insufficient_privilege: PostgreSQL's SQLSTATE (Appendix A, "Error Codes").
        const grant =
            (error as { code?: string }).code === "42501"
                ? `; ${HEARTBEAT_READER_ROLE} needs SELECT on each table it reads (the heartbeat setup Job grants it; run it again after the migration that created the table)`
                : "";
        throw new Error(`cannot read the data of ${where}: ${(error as Error).message}${grant}`, {
            cause: error,
        });
    } finally {
        await client.end().catch(() => undefined);
    }
}
