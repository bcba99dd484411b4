import { formatProblem } from "./errors";

/*
 * The "dead man's switch" of a scheduled job (the Argo CD export, the Git mirror): an alarm
 * that fires when no run succeeded for twice the job's period, so one late or lost run does
 * not page anyone but two in a row do. CloudWatch bounds how such a window can be expressed.
 */

/**
 * The longest period of one alarm datapoint: "CloudWatch alarms cannot use periods larger
 * than 24 hours" (aws-amplify/amplify-backend#1536, which met the rejection); a longer
 * window is split into several periods that must all be silent.
 */
export const MAX_ALARM_PERIOD_SECONDS = 86_400;

/**
 * The longest evaluation range: "Period multiplied by EvaluationPeriods can't be more than
 * 604,800 seconds" (CloudWatch API reference, PutMetricAlarm `Period`).
 */
export const MAX_EVALUATION_RANGE_SECONDS = 604_800;

/** How a silence window is expressed as a CloudWatch alarm. */
export interface SilenceAlarm {
    /** The window the alarm watches: twice the job period, in seconds. */
    readonly windowSeconds: number;
    /** Seconds of one datapoint (`period`): a multiple of 60, at most a day. */
    readonly period: number;
    /** How many consecutive periods the alarm evaluates (`evaluationPeriods`). */
    readonly evaluationPeriods: number;
    /** How many of them must breach (`datapointsToAlarm`): all, so the whole window was silent. */
    readonly datapointsToAlarm: number;
}

/**
 * The alarm window for a job that runs every `periodMinutes`: one period of twice the job
 * period when that is at most a day, otherwise the fewest equal periods of at most a day,
 * each rounded up to a whole minute ("Valid values are 10, 20, 30, and any multiple of 60",
 * PutMetricAlarm `Period`), all of which must be silent. Throws, naming `field`, for a period
 * that is not a positive whole number of minutes or whose window exceeds CloudWatch's range.
 */
export function silenceAlarm(periodMinutes: number, field = "periodMinutes"): SilenceAlarm {
    const windowSeconds = 2 * periodMinutes * 60;
    if (
        !Number.isInteger(periodMinutes) ||
        periodMinutes < 1 ||
        windowSeconds > MAX_EVALUATION_RANGE_SECONDS
    ) {
        throw new Error(
            formatProblem({
                field,
                requirement: `be a whole number of minutes from 1 to ${MAX_EVALUATION_RANGE_SECONDS / 120}, so that twice it fits a CloudWatch alarm's evaluation range (7 days)`,
                received: Number.isNaN(periodMinutes) ? String(periodMinutes) : periodMinutes,
            }),
        );
    }
    const evaluationPeriods = Math.ceil(windowSeconds / MAX_ALARM_PERIOD_SECONDS);
    const period = Math.ceil(windowSeconds / evaluationPeriods / 60) * 60;
    return { windowSeconds, period, evaluationPeriods, datapointsToAlarm: evaluationPeriods };
}

/**
 * The `period`, `evaluationPeriods` and `datapointsToAlarm` of an `aws.cloudwatch.MetricAlarm`
 * for a job every `periodMinutes` ({@link silenceAlarm}), to spread into its arguments.
 */
export function silenceAlarmInputs(
    periodMinutes: number,
    field?: string,
): Pick<SilenceAlarm, "period" | "evaluationPeriods" | "datapointsToAlarm"> {
    const { period, evaluationPeriods, datapointsToAlarm } = silenceAlarm(periodMinutes, field);
    return { period, evaluationPeriods, datapointsToAlarm };
}
