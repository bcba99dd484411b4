import { problem, UsageError } from "../../run/refusal";
import { CHANGE_OPTIONS, changeRequestOf } from "../change-options";
import { CommandDefinition } from "../definition";
import type { LockReleaseRequest } from "./release";

/**
 * A run id as the runner makes them (automation/run/runner.ts newRunId): `<operation>-<ISO
 * start with - for : and .>-<6 hex nonce>`, then `-<n>` when this machine had used it, e.g.
 * `failover-2026-11-25T03-00-00-000Z-a1b2c3`. Runs made before the nonce have none.
 */
export const RUN_ID_PATTERN =
    /^[a-z][a-z-]*-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z(-[0-9a-f]{6})?(-\d+)?$/;

/** `npm run dr -- lock status`. */
export const lockStatusDefinition: CommandDefinition<Record<string, never>> = {
    path: ["lock", "status"],
    summary: "who holds the failover lock, since when, and what its run's journal says (read-only)",
    options: {},
    parse: () => ({}),
    run: async (_request, context) => (await import("./status")).lockStatus(context),
};

/** `npm run dr -- lock release --run-id <holder>`. */
export const lockReleaseDefinition: CommandDefinition<LockReleaseRequest> = {
    path: ["lock", "release"],
    summary:
        "release the failover lock held by a run that no longer runs (confirmed, journaled, reported; refused while it runs)",
    options: {
        "run-id": {
            type: "string",
            required: true,
            describe:
                "the run that holds the lock, as lock status prints it (e.g. failover-2026-11-25T03-00-00-000Z)",
        },
        ...CHANGE_OPTIONS,
    },
    parse: (values): LockReleaseRequest => {
        const runId = values["run-id"];
        if (typeof runId !== "string" || !RUN_ID_PATTERN.test(runId)) {
            throw new UsageError(
                problem(
                    "--run-id",
                    "be a run id as lock status prints it, e.g. failover-2026-11-25T03-00-00-000Z-a1b2c3",
                    runId,
                ),
            );
        }
        return { runId, change: changeRequestOf(values) };
    },
    run: async (request, context) => (await import("./release")).runLockRelease(request, context),
};
