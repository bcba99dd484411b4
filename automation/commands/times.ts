import { problem, Refusal } from "../run/refusal";

/*
 * The instants an operator types (`--restore-time`, `--failure-time`): parsed strictly and
 * checked against the clock and the restorable window before anything is built, because a
 * time typed wrong at 3 a.m. restores the wrong data.
 */

/** An ISO-8601 instant that names its zone: `2026-11-25T02:30:00Z`, `...+01:00`, optional seconds and milliseconds. */
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(:(\d{2})(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

const DAY_MS = 86_400_000;

/**
 * Parses an instant with a zone, or returns undefined. An instant without a zone would be
 * read in the machine's zone, which on a jump host at 3 a.m. is a guess; `Date` also rolls
 * 2026-02-31 over into March and accepts hour 24, so the fields are checked as well.
 */
export function parseInstant(value: string): Date | undefined {
    const match = INSTANT.exec(value);
    if (!match) {
        return undefined;
    }
    const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 7].map((i) => Number(match[i] ?? 0));
    const calendar = new Date(Date.UTC(year, month - 1, day));
    const time = new Date(value);
    if (
        Number.isNaN(time.getTime()) ||
        calendar.getUTCMonth() !== month - 1 ||
        calendar.getUTCDate() !== day ||
        hour > 23 ||
        minute > 59 ||
        second > 59
    ) {
        return undefined;
    }
    return time;
}

/**
 * Parses `--restore-time`: `latest`, or an instant with a zone. Throws a usage refusal naming
 * the flag and the value otherwise.
 */
export function parseRestoreTime(value: string, flag: string = "--restore-time"): Date | "latest" {
    if (value === "latest") {
        return "latest";
    }
    const time = parseInstant(value);
    if (!time) {
        throw new Refusal(
            problem(flag, `be "latest" or an ISO-8601 instant with a zone, e.g. 2026-11-25T02:30:00Z`, value),
            2,
        );
    }
    return time;
}

/** What a restore time is judged against: the clock and the window the backups reach back. */
export interface RestoreWindow {
    /** Now. */
    readonly now: Date;
    /** How many days back the backups reach. */
    readonly days: number;
    /** What the window is, for the message, e.g. "the replicated automated backups (webank:replicatedBackupRetentionDays)". */
    readonly what: string;
}

/**
 * Problems with a restore time: not `latest` or an instant; in the future; older than the
 * window. Each names the flag and the value. An empty list means it is fine.
 */
export function restoreTimeProblems(flag: string, value: string, window: RestoreWindow): string[] {
    let time: Date | "latest";
    try {
        time = parseRestoreTime(value, flag);
    } catch (error) {
        return [(error as Error).message];
    }
    if (time === "latest") {
        return [];
    }
    if (time.getTime() > window.now.getTime()) {
        return [problem(flag, `not be in the future (now is ${window.now.toISOString()})`, value)];
    }
    const earliest = new Date(window.now.getTime() - window.days * DAY_MS);
    if (time < earliest) {
        return [
            problem(
                flag,
                `be inside the ${window.days}-day window of ${window.what}, after ${earliest.toISOString()}`,
                value,
            ),
        ];
    }
    return [];
}

/** Problems with `--failure-time`: an instant with a zone, and not in the future. */
export function failureTimeProblems(flag: string, value: string, now: Date): string[] {
    const time = parseInstant(value);
    if (!time) {
        return [problem(flag, "be an ISO-8601 instant with a zone, e.g. 2026-11-25T02:58:00Z", value)];
    }
    if (time.getTime() > now.getTime()) {
        return [
            problem(
                flag,
                `not be in the future: the failure has happened (now is ${now.toISOString()})`,
                value,
            ),
        ];
    }
    return [];
}

/**
 * The contradiction of a failure before the point the data is restored to: data written
 * after the failure does not exist, so such a restore point is a typo in one of the two.
 */
export function failureBeforeRestoreProblem(
    failureFlag: string,
    failure: Date,
    restoreFlag: string,
    restore: Date | "latest",
): string | undefined {
    if (restore === "latest" || failure.getTime() >= restore.getTime()) {
        return undefined;
    }
    return problem(
        failureFlag,
        `not be before ${restoreFlag} ${restore.toISOString()} (the data cannot be restored to a point after the failure)`,
        failure.toISOString(),
    );
}
