import type { DataObservation } from "../lib/heartbeat";
import type { MigrationTool } from "../lib/restored-data";

/*
 * The port the verify step of every restore reads a database's data through (automation/ports.ts
 * re-exports it): the real verifier (adapters/aws/data.ts) or the simulated account's.
 */

/** A database whose data the verifier reads. */
export interface DataTarget {
    /** The RDS instance identifier (for messages). */
    readonly identifier: string;
    /** Its endpoint, `host:port`, as {@link DatabaseInstance.endpoint}. */
    readonly endpoint: string;
    /** The application database (`webank:dbName`). */
    readonly database: string;
    /**
     * Whose heartbeats count: the writer's source, its cluster's name (lib/heartbeat.ts
     * heartbeatSourceOf). Only the home platform's beats say what survived from the source: a
     * DR writer starts beating into the restored database as soon as its platform is up.
     */
    readonly heartbeatSource: string;
    /** Critical tables to count (`schema.table`). @default none */
    readonly tables?: readonly string[];
    /** The migration tool whose version to read. @default "none" */
    readonly migrations?: MigrationTool;
}

/**
 * The data inside a database, read as the verifier role (credentials from Secrets Manager)
 * over TLS verified against the RDS CA, in a read-only session: the heartbeat, the critical
 * tables' rows and the migration version. It reads; it never changes the database.
 */
export interface DataPort {
    /** Reads what {@link DataObservation} holds; throws saying what to check when it cannot connect. */
    read(target: DataTarget): Promise<DataObservation>;
}
