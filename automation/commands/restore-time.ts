import { Refusal } from "./restore/run";

/**
 * Parses `--restore-time`: `latest`, or an ISO-8601 instant that names its zone (an instant
 * without one would be read in the machine's zone, which at 3 a.m. on a jump host is a guess).
 */
export function parseRestoreTime(value: string): Date | "latest" {
    if (value === "latest") {
        return "latest";
    }
    const match = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.exec(value);
    const time = new Date(value);
    // Date accepts 2026-02-31 and rolls it over into March: check the calendar date exists.
    const calendar = match && new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
    if (
        !match ||
        !calendar ||
        Number.isNaN(time.getTime()) ||
        calendar.getUTCMonth() !== Number(match[2]) - 1 ||
        calendar.getUTCDate() !== Number(match[3])
    ) {
        throw new Refusal(
            `--restore-time must be "latest" or an ISO-8601 instant with a zone, e.g. 2026-11-25T02:30:00Z; got "${value}"`,
            2,
        );
    }
    return time;
}
