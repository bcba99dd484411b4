/*
 * The database heartbeat and what a restore is judged by. A writer with its own role inserts
 * one row a period into `webank_dr.heartbeat`; after a restore, the newest row says how much
 * the restored database actually holds: its achieved RPO is measured from the data, beside
 * the restore time AWS reports. An empty or wrong database has no heartbeat table, and a
 * restore from too early a point has no recent row: both fail verification. Pure rules: the
 * adapter reads the database (automation/adapters/postgres-verifier.ts).
 */

/** The schema of everything the DR tooling keeps in the application database. */
export const HEARTBEAT_SCHEMA = "webank_dr";

/** The heartbeat table, schema-qualified. */
export const HEARTBEAT_TABLE = `${HEARTBEAT_SCHEMA}.heartbeat`;

/**
 * Minutes between two heartbeats: the writer runs every minute (cron `* * * * *`), the finest
 * period a Kubernetes CronJob schedules.
 */
export const HEARTBEAT_PERIOD_MINUTES = 1;

/** The role that writes heartbeats: INSERT on the table, nothing else. */
export const HEARTBEAT_WRITER_ROLE = "webank_dr_heartbeat";

/** The role the verifier reads as: SELECT on the table, nothing else. */
export const HEARTBEAT_READER_ROLE = "webank_dr_verifier";

/**
 * The statements that create the heartbeat table and its two least-privilege roles (run once
 * by the database owner; each statement is safe to run again). The writer may only insert,
 * the reader may only select; neither can read or change any application table. Role passwords are set outside, from Secrets Manager.
 */
export function heartbeatSetupSql(): string[] {
    return [
        `CREATE SCHEMA IF NOT EXISTS ${HEARTBEAT_SCHEMA}`,
        `CREATE TABLE IF NOT EXISTS ${HEARTBEAT_TABLE} (beat_at timestamptz PRIMARY KEY DEFAULT now(), source text NOT NULL)`,
        roleSql(HEARTBEAT_WRITER_ROLE),
        roleSql(HEARTBEAT_READER_ROLE),
        `REVOKE ALL ON SCHEMA ${HEARTBEAT_SCHEMA} FROM PUBLIC`,
        `REVOKE ALL ON ${HEARTBEAT_TABLE} FROM PUBLIC`,
        `GRANT USAGE ON SCHEMA ${HEARTBEAT_SCHEMA} TO ${HEARTBEAT_WRITER_ROLE}, ${HEARTBEAT_READER_ROLE}`,
        `GRANT INSERT ON ${HEARTBEAT_TABLE} TO ${HEARTBEAT_WRITER_ROLE}`,
        `GRANT SELECT ON ${HEARTBEAT_TABLE} TO ${HEARTBEAT_READER_ROLE}`,
    ];
}

/** CREATE ROLE ... LOGIN when it does not exist (PostgreSQL has no CREATE ROLE IF NOT EXISTS). */
function roleSql(role: string): string {
    return (
        `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN ` +
        `CREATE ROLE ${role} LOGIN; END IF; END $$`
    );
}

/**
 * The `source` a writer records: the name of the cluster it runs in, so that the verifier
 * counts only the home platform's beats, never those a DR writer adds to a restored copy.
 */
export function heartbeatSourceOf(clusterName: string): string {
    return clusterName;
}

/** The statement one heartbeat runs, with the writer's name as `$1`. */
export const HEARTBEAT_INSERT_SQL = `INSERT INTO ${HEARTBEAT_TABLE} (source) VALUES ($1)`;

/** What the verifier read from a database. */
export interface DataObservation {
    /** False when the heartbeat table does not exist: an empty or wrong database. */
    readonly heartbeatTable: boolean;
    /** The newest heartbeat, or undefined when the table is empty. */
    readonly newestBeat?: Date;
    /** How many heartbeats the table holds. */
    readonly beats: number;
    /**
     * Rows of each critical table asked for (`webank:verifyTables`), or null for a table that
     * does not exist. @default {} (none asked for)
     */
    readonly tableRows?: Readonly<Record<string, number | null>>;
    /**
     * The schema-migration version (`webank:verifyMigrations`), null when its table is missing
     * or empty. @default undefined (not asked for)
     */
    readonly migrationVersion?: string | null;
}

/** What a restore is checked against. */
export interface DataExpectation {
    /** The point the restore asked for: its target time, or for `latest` the latest restorable time a check saw before it. */
    readonly target: Date;
    /** The heartbeat period, in minutes: a healthy source has a beat at most this old at any time. */
    readonly periodMinutes: number;
    /** The data loss accepted: the database RPO objective, in minutes. */
    readonly rpoMinutes: number;
    /**
     * The restore asked for the latest restorable time, and `target` is that time as a check
     * before the restore saw it: RDS restores to the latest time when it restores, which is
     * later, so a heartbeat after `target` is expected rather than wrong.
     * @default false
     */
    readonly latest?: boolean;
}

/** The verdict on a restored database. */
export interface DataVerdict {
    /** True when the data is there and recent enough. */
    readonly ok: boolean;
    /** Target minus the newest heartbeat, in minutes (rounded to seconds): the RPO measured from the data. */
    readonly achievedRpoMinutes?: number;
    /** One line: what was found, and why it fails when it does. */
    readonly detail: string;
}

/**
 * Judges a restored database. It fails when it has no heartbeat table (empty or wrong
 * database), no heartbeat at all, a newest heartbeat after the target (not the point asked
 * for; expected with {@link DataExpectation.latest}), or one older than the target by more than the objective plus one period (a point too
 * early, or a heartbeat writer that had stopped: either way the data is not what was promised).
 */
export function judgeData(observed: DataObservation, expected: DataExpectation): DataVerdict {
    if (!observed.heartbeatTable) {
        return {
            ok: false,
            detail: `no ${HEARTBEAT_TABLE} table: the database is empty or not the platform's`,
        };
    }
    if (!observed.newestBeat) {
        return { ok: false, detail: `${HEARTBEAT_TABLE} is empty: no heartbeat was ever restored` };
    }
    const lagMinutes = Math.round((expected.target.getTime() - observed.newestBeat.getTime()) / 1000) / 60;
    const newest = observed.newestBeat.toISOString();
    const target = expected.target.toISOString();
    // Clocks of the writer and of the restore request differ by a little; a minute is plenty.
    const SKEW_MINUTES = 1;
    if (lagMinutes < -SKEW_MINUTES && !expected.latest) {
        return {
            ok: false,
            achievedRpoMinutes: lagMinutes,
            detail: `the newest heartbeat ${newest} is after the target ${target}: this is not the point that was asked for`,
        };
    }
    const bound = expected.rpoMinutes + expected.periodMinutes;
    const rpo = Math.max(0, lagMinutes);
    if (rpo > bound) {
        return {
            ok: false,
            achievedRpoMinutes: rpo,
            detail:
                `the newest heartbeat ${newest} is ${rpo} min before the target ${target}, more than the RPO ` +
                `objective (${expected.rpoMinutes} min) plus one heartbeat period (${expected.periodMinutes} min): stale data`,
        };
    }
    return {
        ok: true,
        achievedRpoMinutes: rpo,
        detail:
            lagMinutes < 0
                ? `newest heartbeat ${newest}, ${-lagMinutes} min after ${target}, the latest restorable time before the restore (${observed.beats} heartbeats)`
                : `newest heartbeat ${newest}, ${rpo} min before the target ${target} (${observed.beats} heartbeats)`,
    };
}

/**
 * What the verifier role must be granted besides the heartbeat, for the critical tables and the
 * migration table it counts or reads: SELECT on each, only where the table exists (the
 * application creates its tables after the setup may have run; run again after a migration).
 */
export function verifierGrantSql(tables: readonly string[]): string[] {
    return tables.map(
        (table) =>
            `DO $$ BEGIN IF to_regclass('${table}') IS NOT NULL THEN ` +
            `EXECUTE 'GRANT SELECT ON ${table} TO ${HEARTBEAT_READER_ROLE}'; END IF; END $$`,
    );
}
