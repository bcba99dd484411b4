/**
 * How often a schedule expression runs, as the backup policies need it: the longest time, in
 * minutes, between two runs. That is the RPO a snapshot rule gives and what a restore test
 * schedule promises, whatever way the expression is written (`cron(0 * ? * * *)`,
 * `cron(15 0/1 * * ? *)`, `cron(0 5 ? * SUN *)`, `rate(7 days)`), so a policy judges the
 * schedule's meaning rather than comparing it with the few strings the program writes.
 *
 * AWS Backup takes the six-field AWS cron of EventBridge ("Schedule Expressions for Rules",
 * referenced by the BackupRule `ScheduleExpression` documentation:
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupRule.html): minutes,
 * hours, day of month, month, day of week (1-7 or SUN-SAT, SUN = 1), year; one of the two
 * day fields is `?`. Restore testing plans also take `rate(...)`. What this module cannot
 * evaluate (`L`, `W`, `#`, a year list: a schedule that stops) returns undefined, and a
 * policy then cannot vouch for the schedule.
 */

/** What AWS Backup runs when a rule has no schedule ("When no CRON expression is provided, AWS Backup will use the default expression cron(0 5 ? * * *)", BackupRule ScheduleExpression). */
export const DEFAULT_BACKUP_SCHEDULE = "cron(0 5 ? * * *)";

const MINUTES_PER_DAY = 24 * 60;

/** Days simulated: 28 years, after which weekdays and leap years repeat (the Gregorian cycle of weekday and month, apart from century years). */
const CYCLE_DAYS = 10227;

/** First simulated day: 2000-01-01, a Saturday (UTC). */
const CYCLE_START = Date.UTC(2000, 0, 1);

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface FieldSpec {
    readonly min: number;
    readonly max: number;
    /** Names accepted for the values from `min` on (months, weekdays). */
    readonly names?: readonly string[];
}

const FIELDS = {
    minute: { min: 0, max: 59 },
    hour: { min: 0, max: 23 },
    dayOfMonth: { min: 1, max: 31 },
    month: { min: 1, max: 12, names: MONTHS },
    dayOfWeek: { min: 1, max: 7, names: WEEKDAYS },
} satisfies Record<string, FieldSpec>;

/** A field's values, `"any"` for `*` or `?`, undefined when the field uses syntax this module does not evaluate. */
function parseField(text: string, spec: FieldSpec): Set<number> | "any" | undefined {
    if (text === "*" || text === "?") {
        return "any";
    }
    const value = (token: string): number | undefined => {
        const named = spec.names?.indexOf(token.toUpperCase()) ?? -1;
        if (named >= 0) {
            return spec.min + named;
        }
        return /^\d+$/.test(token) ? Number(token) : undefined;
    };
    const values = new Set<number>();
    for (const item of text.split(",")) {
        const match = /^([^/]+)(?:\/(\d+))?$/.exec(item);
        if (!match) {
            return undefined;
        }
        const [, range, stepText] = match;
        const step = stepText === undefined ? 1 : Number(stepText);
        let from: number | undefined;
        let to: number | undefined;
        if (range === "*") {
            [from, to] = [spec.min, spec.max];
        } else if (range.includes("-")) {
            const [a, b] = range.split("-");
            [from, to] = [value(a), value(b)];
        } else {
            from = value(range);
            to = stepText === undefined ? from : spec.max;
        }
        if (
            from === undefined ||
            to === undefined ||
            step < 1 ||
            from < spec.min ||
            to > spec.max ||
            from > to
        ) {
            return undefined;
        }
        for (let v = from; v <= to; v += step) {
            values.add(v);
        }
    }
    return values;
}

const includes = (set: Set<number> | "any", value: number) => set === "any" || set.has(value);

/**
 * Gaps already worked out, by the expression's fields: walking the 28-year cycle day by day
 * takes milliseconds, and a preview analyzes the same few schedules for every plan, selection
 * and copy rule, over and over within one served pack.
 */
const GAPS = new Map<string, number | undefined>();

/** {@link cronGapOf}, worked out once per distinct expression. */
function cronMaxGap(fields: readonly string[]): number | undefined {
    const key = fields.join(" ");
    if (!GAPS.has(key)) {
        GAPS.set(key, cronGapOf(fields));
    }
    return GAPS.get(key);
}

/** The longest gap, in minutes, between two runs of an AWS cron expression's six fields; undefined when not evaluable or never running. */
function cronGapOf(fields: readonly string[]): number | undefined {
    if (fields.length !== 6 || fields[5] !== "*") {
        // A year other than `*` makes the schedule stop: no gap is bounded.
        return undefined;
    }
    const minutes = parseField(fields[0], FIELDS.minute);
    const hours = parseField(fields[1], FIELDS.hour);
    const days = parseField(fields[2], FIELDS.dayOfMonth);
    const months = parseField(fields[3], FIELDS.month);
    const weekdays = parseField(fields[4], FIELDS.dayOfWeek);
    if (!minutes || !hours || !days || !months || !weekdays) {
        return undefined;
    }
    const times: number[] = [];
    for (let h = FIELDS.hour.min; h <= FIELDS.hour.max; h++) {
        for (let m = FIELDS.minute.min; m <= FIELDS.minute.max; m++) {
            if (includes(hours, h) && includes(minutes, m)) {
                times.push(h * 60 + m);
            }
        }
    }
    const runDays: number[] = [];
    for (let day = 0; day < CYCLE_DAYS; day++) {
        const date = new Date(CYCLE_START + day * MINUTES_PER_DAY * 60_000);
        if (
            includes(days, date.getUTCDate()) &&
            includes(months, date.getUTCMonth() + 1) &&
            includes(weekdays, date.getUTCDay() + 1)
        ) {
            runDays.push(day);
        }
    }
    if (times.length === 0 || runDays.length === 0) {
        return undefined;
    }
    const first = times[0];
    const last = times[times.length - 1];
    let gap = 0;
    for (let i = 1; i < times.length; i++) {
        gap = Math.max(gap, times[i] - times[i - 1]);
    }
    // Across days, the simulated cycle wrapping around to its first run day.
    for (let i = 0; i < runDays.length; i++) {
        const next = i + 1 < runDays.length ? runDays[i + 1] : runDays[0] + CYCLE_DAYS;
        gap = Math.max(gap, (next - runDays[i]) * MINUTES_PER_DAY + first - last);
    }
    return gap;
}

const RATE_UNITS: Readonly<Record<string, number>> = {
    minute: 1,
    minutes: 1,
    hour: 60,
    hours: 60,
    day: MINUTES_PER_DAY,
    days: MINUTES_PER_DAY,
};

/**
 * The longest time, in minutes, between two runs of `expression` (`cron(...)` with six fields,
 * or `rate(<n> <unit>)`); undefined when it cannot be evaluated or never runs. A
 * `timezone` other than UTC adds an hour: a daylight-saving change moves wall-clock runs by
 * one (a daily run is then 25 hours after the one before).
 */
export function scheduleMaxGapMinutes(expression: string, timezone?: string): number | undefined {
    const text = expression.trim();
    let gap: number | undefined;
    const rate = /^rate\(\s*(\d+)\s+([a-z]+)\s*\)$/i.exec(text);
    const cron = /^cron\((.*)\)$/i.exec(text);
    if (rate) {
        const unit = RATE_UNITS[rate[2].toLowerCase()];
        gap = unit === undefined || Number(rate[1]) < 1 ? undefined : Number(rate[1]) * unit;
    } else if (cron) {
        gap = cronMaxGap(cron[1].trim().split(/\s+/));
    }
    if (gap === undefined) {
        return undefined;
    }
    const utc = timezone === undefined || timezone === "" || /^(utc|etc\/utc|gmt|etc\/gmt)$/i.test(timezone);
    return utc ? gap : gap + 60;
}
