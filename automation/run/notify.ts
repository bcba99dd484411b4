import type { RecoveryPorts } from "../ports";

/** The moments the people on call hear of: a start, and how it ended. */
export type Outcome = "started" | "completed" | "failed" | "interrupted";

/** What a notification names. */
export interface Announced {
    /** e.g. `failover`. */
    readonly operation: string;
    /** One line naming the run. */
    readonly title: string;
    /** The run id. */
    readonly runId: string;
    /** True for a rehearsal: its notifications say so first. */
    readonly simulated: boolean;
}

/**
 * Publishes one notification to the DR alert topic. A notification that cannot be sent is a
 * warning, never a failure: the recovery must not stop because SNS is unreachable.
 */
export async function announce(
    ports: RecoveryPorts,
    run: Announced,
    outcome: Outcome,
    lines: readonly string[],
): Promise<void> {
    const subject = `${run.simulated ? "[SIMULATED] " : ""}webank-dr ${run.operation} ${outcome}: ${run.runId}`;
    const message = [`${run.title}: ${outcome}`, ...lines, `run ${run.runId}`].join("\n");
    try {
        await ports.notifications.publish(subject, message);
    } catch (error) {
        ports.output(
            `warning: the ${outcome} notification was not sent (${error instanceof Error ? error.message : String(error)})`,
        );
    }
}
