import * as assert from "assert";
import {
    MAX_ALARM_PERIOD_SECONDS,
    MAX_EVALUATION_RANGE_SECONDS,
    silenceAlarm,
} from "../../lib/silence-alarm";

describe("lib/silence-alarm: the dead man's switch of a scheduled job", () => {
    // Every job period the config accepts, from the fastest schedule to a week-long one.
    const periods = [1, 5, 7, 15, 30, 59, 60, 61, 90, 720, 719, 721, 1440, 1441, 2000, 2880, 5040];

    for (const minutes of periods) {
        it(`covers exactly twice a ${minutes}-minute period, within CloudWatch's limits`, () => {
            const alarm = silenceAlarm(minutes);
            assert.strictEqual(alarm.windowSeconds, 2 * minutes * 60);
            assert.ok(alarm.period % 60 === 0, `period ${alarm.period} is a multiple of 60`);
            assert.ok(alarm.period <= MAX_ALARM_PERIOD_SECONDS, `period ${alarm.period} is at most a day`);
            const range = alarm.period * alarm.evaluationPeriods;
            assert.ok(range >= alarm.windowSeconds, `range ${range} s covers the window`);
            assert.ok(
                range - alarm.windowSeconds < 60 * alarm.evaluationPeriods,
                `range ${range} s overshoots by under a minute a period`,
            );
            assert.ok(
                range <= (alarm.period < 3600 ? 86_400 : MAX_EVALUATION_RANGE_SECONDS),
                `range ${range} s`,
            );
            assert.strictEqual(
                alarm.datapointsToAlarm,
                alarm.evaluationPeriods,
                "every period must be silent",
            );
        });
    }

    for (const minutes of [0, -5, 1.5, Number.NaN, 5041 * 2]) {
        it(`refuses a job period of ${minutes} minutes, naming the field`, () => {
            assert.throws(
                () => silenceAlarm(minutes, "webank:sourceRpoMinutes"),
                (error: Error) =>
                    error.message.includes("webank:sourceRpoMinutes") &&
                    error.message.includes(String(minutes)),
            );
        });
    }
});
