import type { StackConfig } from "../../../config/stack-config";
import { JournalDocument } from "../../run/journal";
import { measurement, Measurements, minutesBetween } from "../../run/report";
import { ChangingCommand } from "../../run/runner";
import { runInContext } from "../run-in-context";
import { artifactReportStore, stateBucketJournalMirror } from "../../run/stores";
import { ChangeRequest } from "../change-options";
import { CommandContext } from "../definition";
import { fallbackRpoNote, journaledChoice } from "../shared/restore-source";
import { achievedRpo } from "../shared/restored-data";
import { DRILL_STACK_PREFIX } from "../../../config/role";
import { DRILL_RESTORED_STEP, drillId, drillSteps } from "./steps";

/** What the operator asked a drill for, checked by the parser. */
export interface DrillRequest {
    /** `latest`, or an ISO-8601 instant in UTC inside the replicated window. */
    readonly restoreTime: string;
    /** `database`: the restore only; `full`: the cluster and Argo CD too. */
    readonly scope: "database" | "full";
    /** Keep the drill stack after verifying it (the output says how to destroy it). */
    readonly keep: boolean;
    /** How the run runs. */
    readonly change: ChangeRequest;
}

/** What a drill is measured against: a database drill the database's objectives, a full one the platform's RTO. */
function drillObjectives(config: StackConfig, scope: DrillRequest["scope"]) {
    return {
        rpoMinutes: config.objectives.database.rpoMinutes,
        rtoMinutes:
            scope === "full" ? config.objectives.cluster.rtoMinutes : config.objectives.database.rtoMinutes,
    };
}

/** RTO to the drill's verified restore, RPO from the restored point to the drill's start (its "failure"). */
export function measureDrill(
    journal: JournalDocument,
    config: StackConfig,
    scope: DrillRequest["scope"],
): Measurements {
    const objectives = drillObjectives(config, scope);
    const verified = journal.steps.find((s) => s.step === DRILL_RESTORED_STEP);
    const chosen = journal.steps.find((s) => s.step === "preflight")?.data;
    const notes = ["a drill switches no traffic: its RTO is measured to the restored database verified"];
    const rto = verified
        ? measurement(
              `run start to the drill's ${scope === "full" ? "platform and database" : "database"} verified`,
              minutesBetween(journal.startedAt, verified.completedAt),
              objectives.rtoMinutes,
          )
        : undefined;
    const choice = chosen ? journaledChoice(chosen) : undefined;
    const point = choice?.point;
    const achieved = point
        ? achievedRpo(
              verified?.data,
              point,
              { at: journal.startedAt, text: `the drill's start ${journal.startedAt}` },
              objectives.rpoMinutes,
          )
        : undefined;
    const fallback = choice ? fallbackRpoNote(config, choice) : undefined;
    return {
        ...(rto ? { rto } : {}),
        ...(achieved ? { rpo: achieved.rpo } : {}),
        notes: [...notes, ...(achieved?.note ? [achieved.note] : []), ...(fallback ? [fallback] : [])],
    };
}

/** The drill as a changing command for the runner. */
export function drillCommand(request: DrillRequest, context: CommandContext): ChangingCommand {
    const { config, ports } = context;
    return {
        operation: "drill",
        title: `DR drill of ${config.prefix} in ${config.drRegion} (scope ${request.scope})`,
        request: {
            "--restore-time": request.restoreTime,
            "--scope": request.scope,
            "--keep": String(request.keep),
        },
        resumeArgs: [
            "drill",
            "--restore-time",
            request.restoreTime,
            "--scope",
            request.scope,
            ...(request.keep ? ["--keep"] : []),
        ],
        journalMirror: stateBucketJournalMirror(config, ports),
        reportStore: artifactReportStore(config, ports, "drill"),
        plan: (run) => {
            const stackName = `${DRILL_STACK_PREFIX}${drillId(run.startedAt.toISOString())}`;
            return Promise.resolve({
                summary: `restore into the disposable stack ${stackName}, verify${request.keep ? "" : ", destroy it"}; the dr stack and traffic are never touched`,
                findings: [],
                question: `Run a DR drill: create the stack ${stackName}, restore the database there (${request.restoreTime})${request.keep ? ", and keep it" : ", verify and destroy it"}?`,
                steps: drillSteps(
                    config,
                    { runId: run.runId, startedAt: run.startedAt.toISOString(), ...request },
                    ports,
                ),
                measure: (journal) => measureDrill(journal, config, request.scope),
                next: () =>
                    request.keep
                        ? [
                              `the drill stack is kept: destroy it with pulumi destroy -s ${stackName}, then pulumi stack rm -s ${stackName}`,
                          ]
                        : [],
            });
        },
    };
}

/** Runs a drill request through the runner. */
export function runDrill(request: DrillRequest, context: CommandContext): Promise<number> {
    return runInContext(drillCommand(request, context), request.change, context);
}
