import type { StackConfig } from "../../../config/stack-config";
import type { JournalDocument } from "../../run/journal";
import { measurement, Measurements, minutesBetween } from "../../run/report";
import { CAUGHT_UP_STEP, FREEZE_STEP } from "./freeze";
import { VERIFY_HOME_STEP } from "./home";
import type { FailbackTarget } from "./preflight";

/**
 * What a failback measured, from its journal: the data lost (the DR writes the promoted home
 * database lacks, which must be 0) as the RPO, and the write freeze (from the freeze to the home
 * platform's first write into the promoted database) against the database RTO.
 */
export function measureFailback(
    journal: JournalDocument,
    config: StackConfig,
    target: FailbackTarget,
): Measurements {
    const data = (step: string) => journal.steps.find((s) => s.step === step)?.data;
    const caught = data(CAUGHT_UP_STEP);
    const frozenAt = data(FREEZE_STEP)?.frozenAt;
    const resumedAt = data(VERIFY_HOME_STEP)?.homeResumedAt;
    const notes: string[] = [];
    const freeze =
        frozenAt && resumedAt
            ? measurement(
                  `write freeze: from the freeze on ${target.drCluster} to the home platform's first write into the promoted database`,
                  minutesBetween(frozenAt, resumedAt),
                  config.objectives.database.rtoMinutes,
              )
            : undefined;
    if (!freeze && frozenAt) {
        notes.push(
            `writes frozen on ${target.drCluster} since ${frozenAt}: the home platform has not been seen writing yet`,
        );
    }
    if (!caught?.drNewestBeat || !caught.homeNewestBeat) {
        notes.push("no data-loss figure: the home replica was not shown to hold the DR region's last write");
        return { ...(freeze ? { rto: freeze } : {}), notes };
    }
    const lost = Math.max(0, minutesBetween(caught.homeNewestBeat, caught.drNewestBeat));
    return {
        ...(freeze ? { rto: freeze } : {}),
        rpo: measurement(
            `data lost: DR writes the promoted ${target.replica} lacks (the DR heartbeat of ${caught.drNewestBeat})`,
            lost,
            0,
        ),
        notes,
    };
}
