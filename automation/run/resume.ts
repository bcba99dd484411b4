import { archiveJournal, JournalDocument } from "./journal";
import { Refusal } from "./refusal";

/**
 * How long a running journal's heartbeat may be silent before its process counts as gone:
 * four heartbeats (run/heartbeat.ts writes one every 30 s), so a busy machine is not taken
 * for a dead one, and a crashed run can be resumed two minutes later.
 */
export const STALE_AFTER_MS = 120_000;

/** What the runner does with the journal it found. */
export type RunDecision =
    | { readonly kind: "new" }
    | { readonly kind: "resume"; readonly prior: JournalDocument }
    | {
          readonly kind: "supersede";
          /** The run that is set aside. */
          readonly prior: JournalDocument;
          /** Why, one line. */
          readonly why: string;
          /** Moves its journal to the archive; returns where. */
          archive(): string;
      };

/** The flags whose values differ between two requests, each as `--flag: a -> b`. */
export function requestDifferences(
    before: Readonly<Record<string, string>>,
    after: Readonly<Record<string, string>>,
): string[] {
    const flags = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    const shown = (value: string | undefined) =>
        value === undefined ? "(not given)" : JSON.stringify(value);
    return flags
        .filter((flag) => before[flag] !== after[flag])
        .map(
            (flag) =>
                `${flag}: the unfinished run has ${shown(before[flag])}, this command has ${shown(after[flag])}`,
        );
}

/**
 * Decides between a new run, resuming the journal's run, and setting it aside. A finished
 * run is never resumed (it is archived and a new run starts). An unfinished run is resumed
 * only by the same request; another request is refused naming the differences, unless the
 * unfinished run did nothing but read-only checks, completed or failed (then nothing was
 * changed, and it is set aside; a changing step that failed may have changed something). A run whose process is still alive (its heartbeat is recent) is refused: two
 * processes never run one journal.
 */
export function decideRun(
    prior: JournalDocument | undefined,
    request: Readonly<Record<string, string>>,
    context: { now: Date; file: string; archiveDir: string },
): RunDecision {
    if (!prior) {
        return { kind: "new" };
    }
    const setAside = (why: string): RunDecision => ({
        kind: "supersede",
        prior,
        why,
        archive: () => archiveJournal(context.file, context.archiveDir, prior.runId),
    });
    if (prior.status === "finished") {
        return setAside(`the previous ${prior.operation} run ${prior.runId} finished`);
    }
    const silentMs = context.now.getTime() - Date.parse(prior.heartbeatAt);
    if (prior.status === "running" && silentMs < STALE_AFTER_MS) {
        const by = prior.attempts[prior.attempts.length - 1]?.by ?? "another process";
        throw new Refusal(
            `journal ${context.file} is being run by ${by} (last sign of life ${prior.heartbeatAt}, ` +
                `${Math.max(0, Math.round(silentMs / 1000))} s ago): two processes never run one journal. ` +
                `Wait for it; if that process is gone, run the same command again after ${new Date(Date.parse(prior.heartbeatAt) + STALE_AFTER_MS).toISOString()}`,
            2,
        );
    }
    const differences = requestDifferences(prior.request, request);
    if (differences.length === 0) {
        return { kind: "resume", prior };
    }
    // A changing step that failed or was interrupted may have changed something half-way.
    const changedNothing =
        prior.steps.every((step) => step.readOnly === true) &&
        prior.incidents.every((incident) => incident.readOnly === true);
    if (changedNothing) {
        return setAside(
            `the unfinished ${prior.operation} run ${prior.runId} of other arguments had changed nothing (only read-only checks ran)`,
        );
    }
    throw new Refusal(
        `the unfinished ${prior.operation} run ${prior.runId} in ${context.file} has other arguments ` +
            `(done: ${prior.steps.map((s) => s.step).join(", ")}):\n  ${differences.join("\n  ")}\n` +
            `Finish it first with: ${prior.command}`,
        2,
    );
}
