import * as assert from "assert";
import { standardWorld } from "../../../../automation/simulation/standard-world";
import type { DurationModel } from "../../../../automation/simulation/world";
import { DR_COPY_DELIVERY_MINUTES } from "../../../../lib/backup-windows";
import { useTempDir } from "../../../support/temp-dir";
import { MINUTE, NOW, statusDocument, WITH_DNS } from "./support";

/*
 * The default config's status over a simulated day: every minute READY while AWS Backup's jobs
 * start late and take time within the rules' windows, and NOT READY once a copy is later than
 * they allow. The day runs on the world's own clock; the backup plans, the CronJobs, the
 * mirror and the backup replication make their copies as the day passes.
 */

/** Minutes in the simulated day. */
const DAY_MINUTES = 24 * 60;

/**
 * How long a backup job and its copy take, in minutes: the job starts at the end of the start
 * window and runs a further 90 minutes, its copy takes `copyMinutes`. Everything else is instant.
 */
function backupTimes(copyMinutes: number): DurationModel {
    return (operation) =>
        operation === "background.backup.job"
            ? (60 + 90) * MINUTE
            : operation === "background.backup.copy"
              ? copyMinutes * MINUTE
              : 0;
}

/** The verdict of status at every `step` minutes of a day on the default config, by minute. */
async function verdictsOverADay(
    durations: DurationModel,
    workDir: string,
    step = 1,
): Promise<Map<number, string>> {
    let now = NOW;
    const world = standardWorld(WITH_DNS, { now: NOW, clock: () => now, durations });
    const verdicts = new Map<number, string>();
    for (let minute = 0; minute <= DAY_MINUTES; minute += step) {
        now = new Date(NOW.getTime() + minute * MINUTE);
        world.lines.length = 0;
        const { doc } = await statusDocument(world, { workDir });
        verdicts.set(minute, doc.verdict);
    }
    return verdicts;
}

describe("status over a simulated day (default config)", () => {
    const workDir = useTempDir("status-day-");

    it("is READY at every minute while each copy lands within the rules' windows", async () => {
        const copy = DR_COPY_DELIVERY_MINUTES - (60 + 90);
        const verdicts = await verdictsOverADay(backupTimes(copy), workDir());
        const notReady = [...verdicts].filter(([, verdict]) => verdict !== "ready");
        assert.strictEqual(verdicts.size, DAY_MINUTES + 1);
        assert.deepStrictEqual(notReady, []);
    });

    it("is NOT READY for part of the day once copies land later than the windows allow", async () => {
        const verdicts = await verdictsOverADay(backupTimes(DR_COPY_DELIVERY_MINUTES + 60), workDir(), 15);
        assert.ok(
            [...verdicts.values()].some((verdict) => verdict === "not-ready"),
            `every sampled minute was ${[...new Set(verdicts.values())].join(", ")}`,
        );
    });
});
