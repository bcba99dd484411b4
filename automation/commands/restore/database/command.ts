import type { StackConfig } from "../../../../config/stack-config";
import { formatCommandLine } from "../../../../lib/command-line";
import { primaryDatabaseIdentifier } from "../../../../lib/naming";
import type { DatabasePort } from "../../../ports";
import type { JournalDocument } from "../../../run/journal";
import { Measurement, measurement, Measurements, minutesBetween } from "../../../run/report";
import type { ChangingCommand, PlanContext, RunPlan } from "../../../run/runner";
import type { Step, StepOutcome } from "../../../run/steps";
import { artifactReportStore } from "../../../run/stores";
import type { CommandContext } from "../../definition";
import { completedAt, journaledData, rtoToStep } from "../runs";
import { runInContext } from "../../run-in-context";
import type { RestoreDbRequest } from "./request";
import { cutOverNames, RestoreNames, restoreNames, restoreStartOf } from "./names";
import { achievedRpo, readSourceMigrationVersion, verifyRestoredData } from "../../shared/restored-data";
import {
    afterCutOver,
    CUT_OVER_DONE,
    CUT_OVER_PREFLIGHT,
    cutOverSteps,
    halfDoneWarning,
    inspectCutOver,
    inspectSource,
    pointText,
    RESTORE_PREFLIGHT,
    restoreSteps,
} from "./steps";

/** The journal's and the report's operation. */
export const RESTORE_DB_OPERATION = "restore-db";

/**
 * What RDS shows of the three instances of a restore now: the findings of a resumed run,
 * which must not refuse what its own earlier attempt changed (a source renamed away).
 */
async function currentState(database: DatabasePort, names: RestoreNames): Promise<string[]> {
    const lines: string[] = [];
    const found = new Map<string, boolean>();
    for (const identifier of [names.source, names.target, names.replaced]) {
        const instance = await database.describeInstance(identifier);
        found.set(identifier, instance !== undefined);
        lines.push(
            `${identifier}: ${instance ? `${instance.status}${instance.endpoint ? ` at ${instance.endpoint}` : ""}` : "absent"}`,
        );
    }
    if (!found.get(names.source) && found.get(names.replaced)) {
        lines.push(halfDoneWarning(names, database.region));
    }
    return lines;
}

/**
 * What a restore measured. RTO only once the restored database is behind the source's
 * identifier, since only then do clients reach it; a cut-over run counts from the start of
 * the restore that made its instance (the minute in its name), because the outage lasted
 * through the restore and the data check too. RPO only for `latest`: for a chosen point the
 * lost writes are the operator's decision (the last good time), not a shortfall.
 */
export function measureRestoreDb(
    journal: JournalDocument,
    config: StackConfig,
    request: RestoreDbRequest,
    names: RestoreNames,
): Measurements {
    const objectives = config.objectives.database;
    const behind = `the restored database behind ${names.source}`;
    const notes: string[] = [];
    const cutOverAt = completedAt(journal, CUT_OVER_DONE);
    let rto: Measurement | undefined;
    if (cutOverAt && request.restoreTime !== undefined) {
        rto = rtoToStep(journal, CUT_OVER_DONE, behind, objectives.rtoMinutes);
    } else if (cutOverAt) {
        const start = restoreStartOf(config.prefix, names.target) ?? new Date(journal.startedAt);
        rto = measurement(
            `restore run start ${start.toISOString()} (the minute in the name ${names.target}) to ${behind}: the restore, the data check and this cut-over`,
            minutesBetween(start, cutOverAt),
            objectives.rtoMinutes,
        );
    } else if (!request.cutOver && completedAt(journal, "verify")) {
        notes.push(
            `no RTO: ${names.target} is restored but clients still use ${names.source}; the cut-over run measures it`,
        );
    } else {
        notes.push("no RTO: the cut-over did not complete");
    }
    const point = journaledData(journal, RESTORE_PREFLIGHT)?.point;
    let rpo: Measurement | undefined;
    if (request.restoreTime === "latest" && point) {
        const achieved = achievedRpo(
            journaledData(journal, "verify"),
            point,
            { at: journal.startedAt, text: `run start ${journal.startedAt}` },
            objectives.rpoMinutes,
        );
        rpo = achieved.rpo;
        if (achieved.note) {
            notes.push(achieved.note);
        }
    } else if (request.restoreTime !== undefined) {
        notes.push(
            `no RPO: the restore point ${request.restoreTime} was chosen (the last good time); the writes after it are not in ${names.target}, and stay in ${names.source}'s data`,
        );
    } else {
        notes.push(
            `no RPO here: the run that restored ${names.target} chose the restore point; its report has it`,
        );
    }
    return { ...(rto ? { rto } : {}), ...(rpo ? { rpo } : {}), notes };
}

/** The plan of one `restore db` run: read-only checks (skipped when resumed), steps, and what to say. */
async function planRestoreDb(
    request: RestoreDbRequest,
    context: CommandContext,
    run: PlanContext,
): Promise<RunPlan> {
    const { config, ports } = context;
    const database = ports.home.database;
    const region = database.region;
    const restoreTime = request.restoreTime;
    const names =
        restoreTime === undefined
            ? cutOverNames(config.prefix, request.restoredInstance ?? "")
            : run.pins.target
              ? cutOverNames(config.prefix, run.pins.target)
              : restoreNames(config.prefix, run.startedAt);
    const { source, target, replaced } = names;
    const inspect = (): Promise<StepOutcome> =>
        restoreTime === undefined
            ? inspectCutOver(database, names)
            : inspectSource(database, config, names, restoreTime, ports.now());
    // A new run checks before it asks; a resumed run must not refuse what its own earlier
    // attempt changed, so it shows what RDS holds now and lets each step look again.
    const checked = run.resumed ? undefined : await inspect();
    const findings = checked ? [checked.detail] : await currentState(database, names);
    const halfDone = findings.some((line) => line.startsWith("CLIENTS HAVE NO DATABASE"));
    const preflight = () => (checked ? Promise.resolve(checked) : inspect());

    const steps: Step[] =
        restoreTime === undefined
            ? [
                  {
                      name: CUT_OVER_PREFLIGHT,
                      after: [],
                      readOnly: true,
                      describe: `check ${target} and ${source} are available and ${replaced} is free`,
                      run: preflight,
                  },
                  ...cutOverSteps(
                      database,
                      names,
                      CUT_OVER_PREFLIGHT,
                      (step) => step.dataOf(CUT_OVER_PREFLIGHT)?.endpoint,
                  ),
              ]
            : [
                  ...restoreSteps(database, names, restoreTime, preflight, async (endpoint, step) =>
                      verifyRestoredData({
                          data: ports.home.data,
                          config,
                          identifier: target,
                          endpoint,
                          point: new Date(step.dataOf(RESTORE_PREFLIGHT)?.point ?? ports.now().toISOString()),
                          sourceMigrationVersion: (await readSourceMigrationVersion(config, ports.home))
                              .version,
                          latest: restoreTime === "latest",
                          heldBack: request.cutOver
                              ? "The cut-over did NOT start: clients still use the source"
                              : undefined,
                      }),
                  ),
                  ...(request.cutOver
                      ? cutOverSteps(
                            database,
                            names,
                            "verify",
                            (step) => step.dataOf(RESTORE_PREFLIGHT)?.endpoint,
                        )
                      : []),
              ];
    const renames = `rename ${source} to ${replaced} and ${target} to ${source}`;
    const cutOverQuestion =
        `${renames}? Clients lose their connections for a few minutes, then reach the restored data; ` +
        `writes made to ${source} after its restore point stay in ${replaced} (kept, deletion protection on).`;
    const restoreQuestion = `Restore ${source} (${region}) to ${pointText(restoreTime ?? "latest")} into a new instance ${target}`;
    const question = halfDone
        ? `The cut-over is half done: clients reach no database until ${target} is renamed to ${source}. Complete it now?`
        : restoreTime === undefined
          ? `Cut over: ${cutOverQuestion}`
          : request.cutOver
            ? `${restoreQuestion}, and then cut over: ${cutOverQuestion}`
            : `${restoreQuestion}? This creates an instance and changes nothing existing.`;
    const cutOverCommand = formatCommandLine("npm", [
        "run",
        "dr",
        "--",
        "restore",
        "db",
        "--cut-over",
        "--restored-instance",
        target,
        ...(context.simulated ? ["--simulate"] : []),
    ]);
    const restoredSummary = `${source} restored to ${pointText(restoreTime ?? "latest")} into ${target}`;
    const cutOverSummary = `${target} renamed into ${source}; the replaced instance is kept as ${replaced}`;
    return {
        summary:
            restoreTime === undefined
                ? cutOverSummary
                : request.cutOver
                  ? `${restoredSummary}, then ${cutOverSummary}`
                  : restoredSummary,
        findings,
        question,
        steps,
        pins: { target },
        dryRunNotes: () =>
            Promise.resolve(
                restoreTime !== undefined && !request.cutOver
                    ? [`then, once the restored data is checked: ${cutOverCommand}`]
                    : [],
            ),
        measure: (journal) => measureRestoreDb(journal, config, request, names),
        next: (journal) => {
            if (completedAt(journal, CUT_OVER_DONE)) {
                return [
                    `cut-over complete: ${source} is the restored database (it was ${target}); ${replaced} is kept.`,
                    ...afterCutOver(names, config, region),
                ];
            }
            const endpoint = journaledData(journal, "verify")?.endpoint || "(no endpoint)";
            const point =
                journaledData(journal, RESTORE_PREFLIGHT)?.point ?? pointText(restoreTime ?? "latest");
            return [
                `restored: ${target} at ${endpoint} holds the data as of ${point}; clients still use ${source}, which is unchanged.`,
                `Check the restored data (connect to ${target}), then cut over (${renames}):`,
                `  ${cutOverCommand}`,
                `If the data is not right, restore to another point instead: a new run makes a new instance (${target} is kept until you remove it by hand).`,
            ];
        },
    };
}

/** `restore db` as a changing command for the runner: a restore, a cut-over, or both in one run. */
export function restoreDbCommand(request: RestoreDbRequest, context: CommandContext): ChangingCommand {
    const { config, ports } = context;
    const source = primaryDatabaseIdentifier(config.prefix);
    const region = ports.home.database.region;
    const restoreTime = request.restoreTime;
    const cutOverArgs = request.cutOver ? ["--cut-over"] : [];
    return {
        operation: RESTORE_DB_OPERATION,
        title:
            restoreTime === undefined
                ? `cut-over of ${source} (${region}) to ${request.restoredInstance ?? "?"}`
                : `restore of ${source} (${region}) to ${pointText(restoreTime)}${request.cutOver ? ", with cut-over" : ""}`,
        request:
            restoreTime === undefined
                ? { "--cut-over": "true", "--restored-instance": request.restoredInstance ?? "" }
                : { "--restore-time": restoreTime, "--cut-over": String(request.cutOver) },
        resumeArgs: [
            "restore",
            "db",
            ...(restoreTime === undefined
                ? [...cutOverArgs, "--restored-instance", request.restoredInstance ?? ""]
                : ["--restore-time", restoreTime, ...cutOverArgs]),
        ],
        reportStore: artifactReportStore(config, ports, RESTORE_DB_OPERATION),
        plan: (run) => planRestoreDb(request, context, run),
    };
}

/**
 * `npm run dr -- restore db`: point-in-time restore of the home region's database into a new
 * instance and its verification; the cut-over (`--cut-over --restored-instance`, a run of its
 * own once the data is checked, or `--restore-time --cut-over` in one run) renames it behind
 * the identifier clients use. Nothing is deleted; the replaced instance keeps its deletion
 * protection. Returns the exit code: 0 done, 1 failed (resumable), 2 refused.
 */
export function runRestoreDb(request: RestoreDbRequest, context: CommandContext): Promise<number> {
    return runInContext(restoreDbCommand(request, context), request.change, context);
}
