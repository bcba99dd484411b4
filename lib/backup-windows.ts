/*
 * When a scheduled AWS Backup job's recovery point, and so its DR copy, can arrive: the plan
 * rules' windows, and what they allow. One module, so the plan, the config rules and
 * `status` agree on how late a copy may be before it is late.
 */

/**
 * Minutes after its scheduled time within which a backup job must start, or AWS Backup
 * cancels it: "A value in minutes after a backup is scheduled before a job will be canceled
 * if it doesn't start successfully. [...] If this value is included, it must be at least 60
 * minutes to avoid errors" (AWS Backup API reference, BackupRuleInput StartWindowMinutes,
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupRuleInput.html). The least
 * AWS allows: a late job is a failed job sooner.
 */
export const BACKUP_START_WINDOW_MINUTES = 60;

/**
 * Minutes after a job starts within which it must complete, or AWS Backup cancels it: "A value
 * in minutes after a backup job is successfully started before it must be completed or it will
 * be canceled by AWS Backup" (BackupRuleInput CompletionWindowMinutes, same page).
 */
export const BACKUP_COMPLETION_WINDOW_MINUTES = 180;

/**
 * The latest, after its scheduled time, that a backup AWS Backup does not cancel is complete
 * and its copy to the DR vault starts: the start window plus the completion window. The copy
 * job has no window and AWS publishes no duration for it, so a copy later than this is late in
 * fact, and `status` says so; until then a missing newest copy is the schedule, not a fault.
 */
export const DR_COPY_DELIVERY_MINUTES = BACKUP_START_WINDOW_MINUTES + BACKUP_COMPLETION_WINDOW_MINUTES;
