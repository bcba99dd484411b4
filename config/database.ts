import { ProblemCollector } from "../lib/errors";
import { MIN_DATABASE_BACKUP_RETENTION_DAYS, REPLICATED_BACKUP_RETENTION_DAYS } from "../lib/retention";
import { CONFIG_DEFAULTS } from "./defaults";
import { configKey, RawStackConfig } from "./keys";
import { timeWindow, wholeNumber } from "./values";

/** Database settings, shared by the primary instance and the DR restore. */
export interface DatabaseSettings {
    /**
     * `webank:dbEngineVersion`: PostgreSQL engine version; a major version (`16`) lets RDS pick
     * the current minor.
     * @default "16"
     */
    readonly engineVersion: string;
    /**
     * `webank:dbName`: the application database, created with a new instance (a restore keeps
     * the source's): where the heartbeat lives and what the verifier opens.
     * @default "webank"
     */
    readonly name: string;
    /** Major version, for the parameter group family (`postgres16`). */
    readonly majorVersion: number;
    /**
     * `webank:dbInstanceClass`: instance class, in both regions.
     * @default "db.r6g.large"
     */
    readonly instanceClass: string;
    /**
     * `webank:dbAllocatedStorageGiB`: allocated gp3 storage in GiB (20–65536).
     * @default 100
     */
    readonly allocatedStorageGiB: number;
    /** Automated backup retention (the PITR window) in days: `webank:pitrRetentionDays`, never below 7. */
    readonly backupRetentionDays: number;
    /**
     * `webank:dbBackupWindow`: daily UTC backup window.
     * @default "03:00-03:30"
     */
    readonly backupWindow: string;
    /**
     * `webank:dbMaintenanceWindow`: weekly UTC maintenance window.
     * @default "sun:04:00-sun:05:00"
     */
    readonly maintenanceWindow: string;
    /**
     * `webank:replicatedBackupRetentionDays`: retention of the automated backups replicated to
     * the DR region (1–35).
     * @default 14
     */
    readonly replicatedBackupRetentionDays: number;
}

/** RDS gp3 storage limits, in GiB. */
const DB_STORAGE_GIB = { min: 20, max: 65536 } as const;

/**
 * RDS CreateDBInstance `DBName` for PostgreSQL: 1 to 63 letters, digits or underscores,
 * starting with a letter (RDS API Reference); lower case only, so that the heartbeat writer and
 * the verifier can name it unquoted (PostgreSQL folds unquoted names to lower case).
 */
const DATABASE_NAME = /^[a-z][a-z0-9_]{0,62}$/;

/** Database settings; the backup retention is the PITR window, which must be at least a week. */
export function parseDatabase(
    raw: RawStackConfig,
    problems: ProblemCollector,
    pitrDays: number | undefined,
): DatabaseSettings | undefined {
    const engineVersion = raw.get("dbEngineVersion") ?? CONFIG_DEFAULTS.dbEngineVersion;
    const version = /^(\d{2})(\.\d+)?$/.exec(engineVersion);
    if (!version) {
        problems.add(
            configKey("dbEngineVersion"),
            "be a PostgreSQL version such as 16 or 16.4",
            engineVersion,
        );
    }
    const instanceClass = raw.get("dbInstanceClass") ?? CONFIG_DEFAULTS.dbInstanceClass;
    if (!/^db\.[a-z0-9-]+\.[a-z0-9]+$/.test(instanceClass)) {
        problems.add(
            configKey("dbInstanceClass"),
            "be an RDS instance class such as db.r6g.large",
            instanceClass,
        );
    }
    const name = raw.get("dbName") ?? CONFIG_DEFAULTS.dbName;
    if (!DATABASE_NAME.test(name)) {
        problems.add(
            configKey("dbName"),
            "be 1 to 63 lower-case letters, digits or underscores, starting with a letter (RDS DBName for PostgreSQL, unquoted)",
            name,
        );
    }
    const allocatedStorageGiB = wholeNumber(
        problems,
        configKey("dbAllocatedStorageGiB"),
        raw.get("dbAllocatedStorageGiB"),
        DB_STORAGE_GIB,
        CONFIG_DEFAULTS.dbAllocatedStorageGiB,
    );
    if (pitrDays !== undefined && pitrDays < MIN_DATABASE_BACKUP_RETENTION_DAYS) {
        problems.add(
            configKey("pitrRetentionDays"),
            `be at least ${MIN_DATABASE_BACKUP_RETENTION_DAYS}: it is the database's backup retention, which is never below a week`,
            pitrDays,
        );
    }
    const backupWindow = timeWindow(
        problems,
        configKey("dbBackupWindow"),
        raw.get("dbBackupWindow") ?? CONFIG_DEFAULTS.dbBackupWindow,
        false,
    );
    const maintenanceWindow = timeWindow(
        problems,
        configKey("dbMaintenanceWindow"),
        raw.get("dbMaintenanceWindow") ?? CONFIG_DEFAULTS.dbMaintenanceWindow,
        true,
    );
    const replicatedBackupRetentionDays = wholeNumber(
        problems,
        configKey("replicatedBackupRetentionDays"),
        raw.get("replicatedBackupRetentionDays"),
        REPLICATED_BACKUP_RETENTION_DAYS,
        CONFIG_DEFAULTS.replicatedBackupRetentionDays,
    );
    if (
        !version ||
        !DATABASE_NAME.test(name) ||
        allocatedStorageGiB === undefined ||
        pitrDays === undefined ||
        !backupWindow ||
        !maintenanceWindow ||
        replicatedBackupRetentionDays === undefined
    ) {
        return undefined;
    }
    return {
        engineVersion,
        name,
        majorVersion: Number(version[1]),
        instanceClass,
        allocatedStorageGiB,
        backupRetentionDays: pitrDays,
        backupWindow,
        maintenanceWindow,
        replicatedBackupRetentionDays,
    };
}
