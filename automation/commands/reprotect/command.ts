import { configKey } from "../../../config/keys";
import { failbackDatabaseIdentifier } from "../../../lib/naming";
import { measurement } from "../../run/report";
import type { ChangingCommand, PlanContext } from "../../run/runner";
import type { RunPlan } from "../../run/plan";
import type { Step } from "../../run/steps";
import { artifactReportStore, stateBucketJournalMirror } from "../../run/stores";
import type { ChangeRequest } from "../change-options";
import type { CommandContext } from "../definition";
import { runInContext } from "../run-in-context";
import { RUNNER_UP_STEP, runnerTarget, runnerUpStepsAfter, stackUpPlace } from "../shared/runner-deploy";
import { drDatabaseOf, failbackGeneration, failoverHolder } from "./source";
import { reprotectSteps, WAIT_LAG_STEP } from "./steps";

/** What `reprotect` was asked: it takes no arguments of its own. */
export interface ReprotectRequest {
    /** How the run runs: dry run, confirmation, journal and report locations. */
    readonly change: ChangeRequest;
}

/** The journal's and the report's operation. */
export const REPROTECT_OPERATION = "reprotect";

/** The pin of the home replica's generation: a resumed run keeps the name it started with. */
const GENERATION_PIN = "generation";

/** The step that brings the primary stack up from here. */
const UP_HERE_STEP = "up-primary";

/** Reads only: the failover it follows, the DR database, the replica's name and where the up runs. */
async function planReprotect(context: CommandContext, run: PlanContext): Promise<RunPlan> {
    const { config, ports } = context;
    const holder = await failoverHolder(ports);
    const source = await drDatabaseOf(config, await ports.workspace.selectStack("dr"));
    const primary = await ports.workspace.selectStack("primary");
    const pinned = run.pins[GENERATION_PIN];
    const generation = pinned ? Number(pinned) : await failbackGeneration(config, ports, primary, source);
    const replica = failbackDatabaseIdentifier(config.prefix, generation);
    const place = await stackUpPlace(primary);
    const runner = place.runner ? await runnerTarget(config, ports, "primary") : undefined;
    const upHere = (after: string): Step[] => [
        {
            name: UP_HERE_STEP,
            after: [after],
            describe: "pulumi up of the primary stack: it creates the home read replica",
            run: async () => {
                const outputs = await primary.up({ onOutput: ports.output });
                if (outputs.failbackReplicaIdentifier !== replica) {
                    throw new Error(
                        `the primary stack's up reports no home replica ${replica} (failbackReplicaIdentifier: ` +
                            `${JSON.stringify(outputs.failbackReplicaIdentifier ?? "not set")}); check ${configKey("failback")} on it ` +
                            "(pulumi config get webank:failback -s primary) and run the same command again",
                    );
                }
                return `primary stack updated; home replica ${replica} declared`;
            },
        },
    ];
    const objective = config.objectives.database.rpoMinutes;
    return {
        summary: `a read replica ${replica} of the DR database ${source} in ${config.homeRegion}, declared by the primary stack`,
        findings: [
            `the failover ${holder.owner} holds the lock since ${holder.since}: the DR database ${source} serves`,
            `${configKey("failback")} on the primary stack: {"generation":${generation},"source":"${source}"}`,
            place.reason,
            "pulumi up of primary applies every pending change of that stack, not only the replica: preview it first (pulumi preview --stack primary)",
            "traffic, the DR database and the failover lock are not touched",
        ],
        question:
            `Create the read replica ${replica} of ${source} in ${config.homeRegion} (pulumi up -s primary) and wait until it is ` +
            `within the database RPO (${objective} min)?`,
        steps: reprotectSteps(config, ports, {
            setting: { generation, source },
            replica,
            primary,
            upSteps: runner ? runnerUpStepsAfter(runner, ports, run) : upHere,
            upStep: runner ? RUNNER_UP_STEP : UP_HERE_STEP,
        }),
        pins: { [GENERATION_PIN]: String(generation) },
        measure: (journal) => {
            const lag = journal.steps.find((s) => s.step === WAIT_LAG_STEP)?.data?.lagSeconds;
            return lag === undefined
                ? { notes: ["no RPO: the replica did not come within the objective in this run"] }
                : {
                      rpo: measurement(
                          `replica lag at the end: what losing ${config.drRegion} now would lose`,
                          Number(lag) / 60,
                          objective,
                      ),
                      notes: [],
                  };
        },
        next: () => [
            `${replica} follows ${source}: the DR region's writes are in ${config.homeRegion} too. The failover lock stays held by ${holder.owner}.`,
            "Next, once the home region is healthy: npm run dr -- failback (it freezes the DR writes, promotes the replica once it holds the last of them, and switches traffic home)",
        ],
    };
}

/** Re-protection as a changing command for the runner. */
export function reprotectCommand(context: CommandContext): ChangingCommand {
    const { config, ports } = context;
    return {
        operation: REPROTECT_OPERATION,
        title: `re-protection of ${config.prefix}'s DR database in ${config.homeRegion}`,
        request: {},
        resumeArgs: [REPROTECT_OPERATION],
        journalMirror: stateBucketJournalMirror(config, ports),
        reportStore: artifactReportStore(config, ports, REPROTECT_OPERATION),
        plan: (run) => planReprotect(context, run),
    };
}

/** Runs `reprotect` through the runner. */
export function runReprotect(request: ReprotectRequest, context: CommandContext): Promise<number> {
    return runInContext(reprotectCommand(context), request.change, context);
}
