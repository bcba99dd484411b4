/**
 * Schedules derived from recovery point objectives: the one place that turns "lose at most
 * N minutes" into how often a job runs. A job that runs every P minutes and takes up to D
 * minutes loses at most P + D minutes, so the period is the largest "round" interval that
 * leaves room for the job inside the RPO.
 */

/** The shortest period any backup job runs at: below this the job would overlap itself. */
export const MIN_JOB_PERIOD_MINUTES = 5;

/** Periods a job may run at, in minutes: each divides an hour or a day, so cron can express it. */
const ROUND_PERIODS = [5, 10, 15, 20, 30, 60, 120, 180, 240, 360, 480, 720, 1440];

/**
 * The job period for an RPO, in minutes: the largest round period no longer than half the
 * RPO (the other half is left for the job itself and its upload), and at least
 * {@link MIN_JOB_PERIOD_MINUTES}. Throws when the RPO is too short for any scheduled job.
 */
export function jobPeriodMinutes(rpoMinutes: number): number {
    const budget = rpoMinutes / 2;
    const fitting = ROUND_PERIODS.filter((period) => period <= budget);
    if (fitting.length === 0) {
        throw new RangeError(
            `an RPO of ${rpoMinutes} minutes is too short for a scheduled job: it must be at least ${2 * MIN_JOB_PERIOD_MINUTES} minutes`,
        );
    }
    return fitting[fitting.length - 1];
}

/** A Kubernetes CronJob schedule (UTC) that runs every `periodMinutes`. */
export function cronSchedule(periodMinutes: number): string {
    if (periodMinutes < 60) {
        return `*/${periodMinutes} * * * *`;
    }
    if (periodMinutes < 1440) {
        return `0 */${periodMinutes / 60} * * *`;
    }
    return "0 3 * * *";
}

/** An Amazon EventBridge schedule expression that runs every `periodMinutes`. */
export function rateExpression(periodMinutes: number): string {
    if (periodMinutes % 60 === 0) {
        const hours = periodMinutes / 60;
        return `rate(${hours} hour${hours === 1 ? "" : "s"})`;
    }
    return `rate(${periodMinutes} minutes)`;
}
