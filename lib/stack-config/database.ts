import { ProblemCollector } from "../errors";
import { timeWindow, wholeNumber } from "../config-values";
import {
    DEFAULT_REPLICATED_BACKUP_RETENTION_DAYS,
    MIN_DATABASE_BACKUP_RETENTION_DAYS,
    REPLICATED_BACKUP_RETENTION_DAYS,
} from "../retention";
import type { DatabaseSettings, RawStackConfig } from "../../config";
import { configKey } from "./key";

/** RDS gp3 storage limits, in GiB. */
const DB_STORAGE_GIB = { min: 20, max: 65536 } as const;

/** The application database's name when `webank:dbName` is not set. */
export const DEFAULT_DATABASE_NAME = "webank";

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
    const engineVersion = raw.get("dbEngineVersion") ?? "16";
    const version = /^(\d{2})(\.\d+)?$/.exec(engineVersion);
    if (!version) {
        problems.add(
            configKey("dbEngineVersion"),
            "be a PostgreSQL version such as 16 or 16.4",
            engineVersion,
        );
    }
    const instanceClass = raw.get("dbInstanceClass") ?? "db.r6g.large";
    if (!/^db\.[a-z0-9-]+\.[a-z0-9]+$/.test(instanceClass)) {
        problems.add(
            configKey("dbInstanceClass"),
            "be an RDS instance class such as db.r6g.large",
            instanceClass,
        );
    }
    const name = raw.get("dbName") ?? DEFAULT_DATABASE_NAME;
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
        100,
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
        raw.get("dbBackupWindow") ?? "03:00-03:30",
        false,
    );
    const maintenanceWindow = timeWindow(
        problems,
        configKey("dbMaintenanceWindow"),
        raw.get("dbMaintenanceWindow") ?? "sun:04:00-sun:05:00",
        true,
    );
    const replicatedBackupRetentionDays = wholeNumber(
        problems,
        configKey("replicatedBackupRetentionDays"),
        raw.get("replicatedBackupRetentionDays"),
        REPLICATED_BACKUP_RETENTION_DAYS,
        DEFAULT_REPLICATED_BACKUP_RETENTION_DAYS,
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
