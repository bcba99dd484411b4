/**
 * How long a Kubernetes CronJob schedule can leave between two runs, read the way the CronJob
 * controller reads it: `robfig/cron/v3`'s standard parser (kubernetes pkg/controller/cronjob
 * uses `cron.ParseStandard`). Five fields, minute hour day-of-month month day-of-week, each a
 * comma list of `*`, `?`, `a`, `a-b`, with an optional `/step` (`a/step` meaning `a-max/step`),
 * month and weekday names (`jan`, `sun`), weekdays 0-6; or a descriptor (`@hourly`, `@daily`,
 * `@midnight`, `@weekly`, `@monthly`, `@yearly`, `@annually`, `@every <duration>`). When both
 * day fields are restricted a day matches either one; when one of them is `*` (or `?`, without
 * a step) a day must match both (robfig/cron v3 spec.go `dayMatches`). `TZ=` and `CRON_TZ=`
 * prefixes are refused, as the API server refuses them since Kubernetes 1.29 (the `timeZone`
 * field says the zone).
 *
 * The worst case is found by walking the calendar, not by assuming a period: `0 0 1 * *` leaves
 * 31 days between runs in some months, `0 0 29 2 *` four years, `0 0 30 2 *` never runs.
 */

/** Why a schedule could not be read. */
export class CronError extends Error {}

interface Field {
    /** The values it matches. */
    readonly values: ReadonlySet<number>;
    /** Whether it was written `*` or `?` without a step (robfig's starBit). */
    readonly star: boolean;
}

interface Bounds {
    readonly name: string;
    readonly min: number;
    readonly max: number;
    readonly names?: readonly string[];
}

const MINUTE: Bounds = { name: "minute", min: 0, max: 59 };
const HOUR: Bounds = { name: "hour", min: 0, max: 23 };
const DAY_OF_MONTH: Bounds = { name: "day of month", min: 1, max: 31 };
const MONTH: Bounds = {
    name: "month",
    min: 1,
    max: 12,
    names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
};
const DAY_OF_WEEK: Bounds = {
    name: "day of week",
    min: 0,
    max: 6,
    names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"],
};

/** robfig/cron v3 parser.go `parseDescriptor`. */
const DESCRIPTORS: Readonly<Record<string, string>> = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
};

/** Go `time.ParseDuration` units, in minutes. */
const DURATION_UNITS: Readonly<Record<string, number>> = {
    ns: 1 / 60e9,
    us: 1 / 60e6,
    µs: 1 / 60e6,
    ms: 1 / 60e3,
    s: 1 / 60,
    m: 1,
    h: 60,
};

function number(text: string, bounds: Bounds, expression: string): number {
    const named = bounds.names?.indexOf(text.toLowerCase()) ?? -1;
    if (named >= 0) {
        return named + bounds.min;
    }
    if (!/^\d+$/.test(text)) {
        throw new CronError(
            `"${text}" is not a number or name in the ${bounds.name} field of "${expression}"`,
        );
    }
    return Number(text);
}

function field(text: string, bounds: Bounds, expression: string): Field {
    const values = new Set<number>();
    let star = false;
    for (const part of text.split(",")) {
        const [range, stepText, ...extra] = part.split("/");
        if (extra.length > 0) {
            throw new CronError(`too many slashes in "${part}" of "${expression}"`);
        }
        const [low, high, ...more] = range.split("-");
        if (more.length > 0) {
            throw new CronError(`too many hyphens in "${part}" of "${expression}"`);
        }
        const step =
            stepText === undefined
                ? 1
                : number(stepText, { name: "step", min: 1, max: Infinity }, expression);
        const wildcard = low === "*" || low === "?";
        if (wildcard && high !== undefined) {
            throw new CronError(`"${part}" in "${expression}" is not a range`);
        }
        const start = wildcard ? bounds.min : number(low, bounds, expression);
        const end =
            wildcard || (high === undefined && stepText !== undefined)
                ? bounds.max
                : number(high ?? low, bounds, expression);
        if (start < bounds.min || end > bounds.max || start > end || step < 1) {
            throw new CronError(
                `"${part}" is outside ${bounds.min}-${bounds.max}, reversed or has a zero step in the ${bounds.name} field of "${expression}"`,
            );
        }
        star = star || (wildcard && step === 1);
        for (let value = start; value <= end; value += step) {
            values.add(value);
        }
    }
    return { values, star };
}

/** The interval of `@every <duration>`, in minutes (robfig/cron v3 `Every`: at least a second). */
function everyMinutes(duration: string, expression: string): number {
    const parts = duration.match(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g);
    if (!parts || parts.join("") !== duration) {
        throw new CronError(`"${duration}" is not a Go duration in "${expression}"`);
    }
    const minutes = parts.reduce((sum, part) => {
        const [, value, unit] = /^([\d.]+)(\D+)$/.exec(part) ?? [];
        return sum + Number(value) * DURATION_UNITS[unit];
    }, 0);
    return Math.max(minutes, 1 / 60);
}

const DAY_MS = 86_400_000;
/** A whole 28-year cycle of weekdays and leap years, and one more year to see its wrap-around. */
const WALK_FROM = Date.UTC(2001, 0, 1);
const WALK_DAYS = (Date.UTC(2030, 0, 1) - WALK_FROM) / DAY_MS;

/**
 * The longest time, in minutes, between two consecutive runs of `expression` in a zone without
 * daylight saving time; `Infinity` when it never runs. Throws {@link CronError} when the
 * expression is not one the CronJob controller accepts.
 */
export function worstCaseGapMinutes(expression: string): number {
    const trimmed = expression.trim();
    if (/^(CRON_)?TZ=/.test(trimmed)) {
        throw new CronError(`"${expression}" names its time zone in the schedule, which Kubernetes refuses`);
    }
    if (trimmed.startsWith("@every ")) {
        return everyMinutes(trimmed.slice("@every ".length).trim(), expression);
    }
    const standard = trimmed.startsWith("@") ? DESCRIPTORS[trimmed] : trimmed;
    if (standard === undefined) {
        throw new CronError(`"${expression}" is not a descriptor the CronJob controller knows`);
    }
    const texts = standard.split(/\s+/);
    if (texts.length !== 5) {
        throw new CronError(`"${expression}" has ${texts.length} fields, not the 5 of a CronJob schedule`);
    }
    const [minutes, hours, dom, month, dow] = [MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK].map(
        (bounds, i) => field(texts[i], bounds, expression),
    );
    const times = [...hours.values]
        .sort((a, b) => a - b)
        .flatMap((hour) => [...minutes.values].sort((a, b) => a - b).map((minute) => hour * 60 + minute));
    const withinDay = Math.max(0, ...times.slice(1).map((t, i) => t - times[i]));
    let worst = 0;
    let matching = 0;
    let previousDay: number | undefined;
    for (let day = 0; day < WALK_DAYS; day++) {
        const date = new Date(WALK_FROM + day * DAY_MS);
        const domMatch = dom.values.has(date.getUTCDate());
        const dowMatch = dow.values.has(date.getUTCDay());
        const dayMatches = dom.star || dow.star ? domMatch && dowMatch : domMatch || dowMatch;
        if (!month.values.has(date.getUTCMonth() + 1) || !dayMatches) {
            continue;
        }
        if (previousDay !== undefined) {
            worst = Math.max(worst, (day - previousDay) * 1440 + times[0] - times[times.length - 1]);
        }
        worst = Math.max(worst, withinDay);
        previousDay = day;
        matching++;
    }
    // A day that comes once in 29 years (or never) leaves no bound worth the name.
    return matching < 2 ? Infinity : worst;
}
