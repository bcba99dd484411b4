import type { RecoveryPorts } from "../ports";
import type { Journal } from "./journal";
import type { RunPlan } from "./plan";
import type { Step } from "./steps";

/** Minutes and seconds, e.g. `4m05s`. */
export function elapsedText(ms: number): string {
    const seconds = Math.max(0, Math.round(ms / 1000));
    return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s`;
}

/** The heartbeat of a run: what it tells the runner, and how to stop it. */
export interface Heartbeat {
    /** A step started (the step runner's `onStart`). */
    readonly started: (step: Step, startedAt: number) => void;
    /** A step ended. */
    readonly ended: (step: Step) => void;
    /** Stops the ticking. */
    readonly stop: () => void;
}

/**
 * During a run, every `periodMs`: one line per step still running (what is awaited, for how
 * long, against its timeout), the run's elapsed time against the projected RTO when the plan
 * has one, and a sign of life in the journal (so nobody takes the run for a dead one). At
 * 3 a.m. a silent terminal looks like a hung tool.
 */
export function startHeartbeat(
    ports: RecoveryPorts,
    journal: Journal,
    plan: RunPlan,
    periodMs: number,
): Heartbeat {
    const running = new Map<string, { step: Step; startedAt: number }>();
    const runStart = Date.parse(journal.document.startedAt);
    const cancel = ports.timers.every(periodMs, () => {
        const now = ports.now().getTime();
        for (const { step, startedAt } of running.values()) {
            // A step without a timeout (pulumi up) ends when its tool does; saying so tells the
            // operator the wait is not forgotten, only unbounded by us.
            const timeout =
                step.timeoutMinutes === undefined
                    ? " (no timeout of its own)"
                    : ` (timeout ${step.timeoutMinutes} min)`;
            ports.output(
                `...   ${step.name}: waiting ${elapsedText(now - startedAt)}${timeout}: ${step.describe}`,
            );
        }
        if (plan.projectedRtoMinutes !== undefined) {
            ports.output(
                `...   run elapsed ${((now - runStart) / 60_000).toFixed(1)} min of the projected RTO of ${plan.projectedRtoMinutes.toFixed(1)} min`,
            );
        }
        void journal.heartbeat(new Date(now));
    });
    return {
        started: (step, startedAt) => running.set(step.name, { step, startedAt }),
        ended: (step) => running.delete(step.name),
        stop: cancel,
    };
}
