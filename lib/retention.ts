/**
 * Retention limits that AWS enforces. The config validation and the policy pack both read
 * these numbers from here; the defaults within them are config's (config/defaults.ts).
 */

/** Point-in-time recovery windows (RDS backup retention, DynamoDB PITR) allowed by AWS, in days. */
export const PITR_RETENTION_DAYS = { min: 1, max: 35 } as const;

/**
 * How long noncurrent object versions may be kept, in days. S3 requires a positive whole
 * number; the upper bound (10 years) catches typos such as an extra zero.
 */
export const NONCURRENT_VERSION_RETENTION_DAYS = { min: 1, max: 3650 } as const;

/**
 * Days after which an unfinished multipart upload is aborted. Not data: only partial uploads
 * that no reader can see.
 */
export const ABORT_INCOMPLETE_UPLOAD_DAYS = 7;

/**
 * KMS key deletion waiting period, in days: the maximum, so that a key scheduled for
 * deletion by mistake can be recovered for as long as AWS allows.
 */
export const KMS_DELETION_WINDOW_DAYS = 30;

/** S3 Replication Time Control: the 15-minute replication threshold AWS offers with its SLA. */
export const S3_REPLICATION_TIME_MINUTES = 15;

/** The shortest RDS backup retention this project accepts: never below a week. */
export const MIN_DATABASE_BACKUP_RETENTION_DAYS = 7;

/** Retention of the automated backups replicated to the DR region (1–35 days, as AWS allows). */
export const REPLICATED_BACKUP_RETENTION_DAYS = { min: 1, max: 35 } as const;

/** How long VPC flow logs are kept in CloudWatch Logs, in days (a value CloudWatch accepts). */
export const FLOW_LOG_RETENTION_DAYS = 365;
