import { JournalDocument } from "../../run/journal";
import { measurement, Measurement, minutesBetween } from "../../run/report";

/*
 * What the restores read back from their journal, and the two measurements they share:
 * RTO from the run's start to the step that puts the asset back, and the RPO of a restore
 * from a stored copy (its age when the run started: what was made after it is lost).
 */

/** The moment a step completed, from the journal, or undefined when it has not. */
export function completedAt(journal: JournalDocument, step: string): string | undefined {
    return journal.steps.find((s) => s.step === step)?.completedAt;
}

/** The data a completed step journaled, or undefined. */
export function journaledData(
    journal: JournalDocument,
    step: string,
): Readonly<Record<string, string>> | undefined {
    return journal.steps.find((s) => s.step === step)?.data;
}

/**
 * RTO from the run's start to `step`'s completion (the asset is back), or undefined when the
 * step did not complete. `what` ends the span: "run start to <what>".
 */
export function rtoToStep(
    journal: JournalDocument,
    step: string,
    what: string,
    objectiveMinutes: number,
): Measurement | undefined {
    const end = completedAt(journal, step);
    return end === undefined
        ? undefined
        : measurement(`run start to ${what}`, minutesBetween(journal.startedAt, end), objectiveMinutes);
}

/**
 * The RPO of a restore from a stored copy: from when the copy was written to the run's start.
 * Whatever changed after the copy was written is not in it, so this is the data the restore
 * loses (the operator may choose an older copy on purpose, after a compromise: the loss is
 * still real, and the report says so).
 */
export function copyAgeRpo(
    journal: JournalDocument,
    copy: string,
    writtenAt: Date,
    objectiveMinutes: number,
): Measurement {
    return measurement(
        `${copy} written ${writtenAt.toISOString()} to run start ${journal.startedAt}`,
        Math.max(0, minutesBetween(writtenAt, journal.startedAt)),
        objectiveMinutes,
    );
}
