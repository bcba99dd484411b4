import { Refusal, problem } from "../../run/refusal";
import { ChangingCommand } from "../../run/runner";
import { runInContext } from "../run-in-context";
import { artifactReportStore } from "../../run/stores";
import type { ChangeRequest } from "../change-options";
import type { CommandContext } from "../definition";
import { describeHolderJournal, holderJournal, isRunning } from "./holder-journal";

/** What `lock release` was asked. */
export interface LockReleaseRequest {
    /** `--run-id`: the run the operator believes holds the lock. */
    readonly runId: string;
    /** How the run runs. */
    readonly change: ChangeRequest;
}

/**
 * Releasing the failover lock, as a changing command: refused unless `--run-id` names the
 * holder, and refused while the holder's journal shows it running (its process alive), so
 * the lock is never pulled from under a failover in progress. The release itself is the
 * lock's own conditional delete (only if that run still holds it).
 */
export function lockReleaseCommand(request: LockReleaseRequest, context: CommandContext): ChangingCommand {
    const { ports, config } = context;
    const { runId } = request;
    return {
        operation: "lock-release",
        title: `release of the failover lock held by ${runId}`,
        request: { "--run-id": runId },
        resumeArgs: ["lock", "release", "--run-id", runId],
        reportStore: artifactReportStore(config, ports, "lock-release"),
        plan: async () => {
            const holder = await ports.lock.holder();
            if (!holder) {
                throw new Refusal(
                    "the failover lock is free: there is nothing to release. Nothing was changed",
                    1,
                );
            }
            if (holder.owner !== runId) {
                throw new Refusal(
                    problem(
                        "--run-id",
                        `name the run that holds the lock (${holder.owner}, since ${holder.since}, by ${holder.by})`,
                        runId,
                    ),
                    2,
                );
            }
            const journal = await holderJournal(runId, config, ports, context.workDir, context.simulated);
            if (journal.document && isRunning(journal.document, ports.now())) {
                throw new Refusal(
                    `run ${runId} is still running (${describeHolderJournal(journal, ports.now())}); ` +
                        "releasing its lock would let a second failover start beside it. Wait for it, or stop it first",
                    1,
                );
            }
            return {
                summary: `the failover lock is free again (it was held by ${runId} since ${holder.since})`,
                findings: [
                    `holder: ${runId}, since ${holder.since}, by ${holder.by}`,
                    describeHolderJournal(journal, ports.now()),
                ],
                question:
                    `Release the failover lock held by ${runId} since ${holder.since}? Another failover could then start; ` +
                    "the dr stack and traffic stay as they are.",
                steps: [
                    {
                        name: "check-holder",
                        after: [],
                        readOnly: true,
                        describe: `check ${runId} still holds the lock`,
                        run: async () => {
                            const now = await ports.lock.holder();
                            if (now?.owner !== runId) {
                                throw new Error(
                                    `the lock is now held by ${now?.owner ?? "nobody"}, not ${runId}; run lock status`,
                                );
                            }
                            return `${runId} holds the lock since ${now.since}`;
                        },
                    },
                    {
                        name: "release",
                        after: ["check-holder"],
                        describe: `conditional delete of the lock item, only if ${runId} holds it`,
                        run: async () => {
                            if (!(await ports.lock.release(runId))) {
                                const now = await ports.lock.holder();
                                if (!now) {
                                    return "the lock was already free";
                                }
                                throw new Error(
                                    `the lock is held by ${now.owner}, not ${runId}: not released`,
                                );
                            }
                            return `released the lock of ${runId}`;
                        },
                    },
                    {
                        name: "verify",
                        after: ["release"],
                        describe: "read the lock back",
                        run: async () => {
                            const now = await ports.lock.holder();
                            if (now?.owner === runId) {
                                throw new Error(
                                    `${runId} still holds the lock after the release; run lock status`,
                                );
                            }
                            return now
                                ? `the lock is held by ${now.owner} now (taken after the release)`
                                : "the lock is free";
                        },
                    },
                ],
            };
        },
    };
}

/** Runs `lock release` through the runner. */
export function runLockRelease(request: LockReleaseRequest, context: CommandContext): Promise<number> {
    return runInContext(lockReleaseCommand(request, context), request.change, context);
}
