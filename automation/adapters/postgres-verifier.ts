import { Client } from "pg";
import { DataObservation, HEARTBEAT_SCHEMA, HEARTBEAT_TABLE } from "../../lib/heartbeat";

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

/** Reads what {@link judgeData} needs: whether the heartbeat table exists, its newest row and its size. */
export async function readHeartbeats(connection: VerifierConnection): Promise<DataObservation> {
    const client = new Client({
        host: connection.host,
        port: connection.port ?? 5432,
        database: connection.database,
        user: connection.user,
        password: connection.password,
        ssl: { ca: connection.ca, rejectUnauthorized: true, servername: connection.host },
        connectionTimeoutMillis: connection.connectTimeoutMillis ?? 10_000,
        options: "-c default_transaction_read_only=on",
    });
    const where = `${connection.user}@${connection.host}:${connection.port ?? 5432}/${connection.database}`;
    try {
        await client.connect();
    } catch (error) {
        throw new Error(
            `cannot connect to the restored database as ${where} over verified TLS: ${(error as Error).message}`,
            { cause: error },
        );
    }
    try {
        const exists = await client.query<{ found: boolean }>("SELECT to_regclass($1) IS NOT NULL AS found", [
            HEARTBEAT_TABLE,
        ]);
        if (!exists.rows[0]?.found) {
            return { heartbeatTable: false, beats: 0 };
        }
        const { rows } = await client.query<{ newest: Date | null; beats: string }>(
            `SELECT max(beat_at) AS newest, count(*) AS beats FROM ${HEARTBEAT_SCHEMA}.heartbeat`,
        );
        const newest = rows[0]?.newest ?? undefined;
        return {
            heartbeatTable: true,
            ...(newest ? { newestBeat: newest } : {}),
            beats: Number(rows[0]?.beats ?? 0),
        };
    } catch (error) {
        throw new Error(`cannot read the heartbeat of ${where}: ${(error as Error).message}`, {
            cause: error,
        });
    } finally {
        await client.end().catch(() => undefined);
    }
}
