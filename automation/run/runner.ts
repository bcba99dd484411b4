import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { StackConfig } from "../../config/stack-config";
import { formatCommandLine } from "../../lib/command-line";
import type { ChangeRequest } from "../commands/change-options";
import type { InterruptSource } from "../commands/definition";
import type { RecoveryPorts } from "../ports";
import { dryRun } from "./dry-run";
import { startHeartbeat } from "./heartbeat";
import { Journal, JournalDocument, JournalMirror, readJournal } from "./journal";
import { runLocations } from "./locations";
import { announce, Outcome } from "./notify";
import type { RunPlan } from "./plan";
import { gatherProvenance } from "./provenance";
import { Refusal, reportFailure, UsageError } from "./refusal";
import { buildReport, ReportStore, saveReport } from "./report";
import { decideRun } from "./resume";
import { runSteps, StopRequest } from "./steps";

// Re-exported: every changing command names its plan's type beside ChangingCommand, from here.
export type { RunPlan };

/** What the runner is told about one run before anything is read. */
export interface PlanContext {
    /** The run id: the resumed journal's, or a new one. */
    readonly runId: string;
    /** When the run started: the resumed journal's first start, or now. */
    readonly startedAt: Date;
    /** The pins of the run being resumed; empty for a new run. */
    readonly pins: Readonly<Record<string, string>>;
    /** True when an unfinished run of the same request is resumed. */
    readonly resumed: boolean;
    /** How often each step failed in the earlier attempts of a resumed run (e.g. to use new idempotency tokens). */
    readonly failures: Readonly<Record<string, number>>;
}

/** A changing command, as the runner runs it. */
export interface ChangingCommand {
    /** The journal's and the report's operation, e.g. `failover`, `restore-db`, `lock-release`. */
    readonly operation: string;
    /** One line naming the run, e.g. "failover of webank to us-west-2". */
    readonly title: string;
    /** The arguments that define the run, by flag (`--restore-time`), defaults filled in: a resume must repeat them. */
    readonly request: Readonly<Record<string, string>>;
    /** The arguments after `npm run dr --` that run this request again (the runner adds --simulate, --journal, --yes). */
    readonly resumeArgs: readonly string[];
    /** Copies the journal to the DR state replica as well (failover, drill: another operator must see them). @default none */
    readonly journalMirror?: JournalMirror;
    /** Stores the report in the DR artifact replica as well. @default none */
    readonly reportStore?: ReportStore;
    /** Reads only: what the run will do. A {@link Refusal} refuses the run with its exit code. */
    plan(context: PlanContext): Promise<RunPlan>;
}

/** How the command is run: the operator's change flags and the process around it. */
export interface RunSettings {
    /** The ports. */
    readonly ports: RecoveryPorts;
    /** The dr stack's config. */
    readonly config: StackConfig;
    /** `--dry-run`, `--yes`, `--journal`, `--report-dir`. */
    readonly change: ChangeRequest;
    /** True under `--simulate`. */
    readonly simulated: boolean;
    /** Where `.journal/` and `reports/` live. */
    readonly workDir: string;
    /** Asks on the terminal; undefined when there is none (then `--yes` is required). */
    readonly confirm?: (question: string) => Promise<boolean>;
    /** SIGINT and SIGTERM. @default none */
    readonly interrupts?: InterruptSource;
    /** Milliseconds between heartbeats during long steps. @default 30 000 */
    readonly heartbeatMs?: number;
}

/** Heartbeat period: the operator hears from a long wait at least this often. */
export const HEARTBEAT_MS = 30_000;

/**
 * A new run's id: the operation, its start to the millisecond (file-name safe) and `nonce`,
 * with `-2`, `-3`... when a run of that id already has an archived journal or a report here,
 * so no report is ever overwritten. The nonce keeps two runs apart that start in the same
 * millisecond on two machines (or two processes on one simulated clock), which nothing local
 * can see: the failover lock is re-entrant for its holder's run id (a resumed run takes it
 * again), so two runs with one id would both hold it.
 */
export function newRunId(
    operation: string,
    at: Date,
    taken: (id: string) => boolean = () => false,
    nonce: string = crypto.randomBytes(3).toString("hex"),
): string {
    const base = `${operation}-${at.toISOString().replace(/[:.]/g, "-")}-${nonce}`;
    let id = base;
    for (let n = 2; taken(id); n += 1) {
        id = `${base}-${n}`;
    }
    return id;
}

/**
 * The one journaled-command runner: every changing command (failover, drill, backup, each
 * restore, lock release) runs through it, so each gets the same guarantees, in this order:
 *
 * 1. **Checks, then plans, writing nothing**: the journal's path, the existing journal (a
 *    finished run is never resumed; an unfinished run of other arguments is refused naming
 *    the difference, unless it only read; a rehearsal's and a real run's never mix), then the
 *    command's read-only plan.
 * 2. **Dry run** (`--dry-run`): prints the plan, runs the read-only steps to show what they
 *    find now, writes nothing.
 * 3. **Confirmation**: a question on the terminal, or `--yes`; with neither it refuses (exit
 *    2) with nothing written.
 * 4. **Journal and notification**, then the steps (concurrently where independent), with a
 *    heartbeat during long ones; SIGINT/SIGTERM start no new step and record the steps in
 *    flight as interrupted.
 * 5. **Report** (JSON, its SHA-256, Markdown; locally and, where the command says, in the DR
 *    artifact replica), **notification** of the outcome, the journal archived at once when
 *    the run finished, and the exact command that resumes it otherwise.
 *
 * Returns the exit code: 0 done, 1 failed or interrupted (resumable), 2 refused (nothing changed).
 */
export async function runChangingCommand(command: ChangingCommand, settings: RunSettings): Promise<number> {
    const { ports, change, simulated } = settings;
    const out = ports.output;
    const now = ports.now();
    let decision: ReturnType<typeof decideRun>;
    let plan: RunPlan;
    let locations: ReturnType<typeof runLocations>;
    let freshRunId = "";
    try {
        locations = runLocations(settings.workDir, command.operation, simulated, change);
        const prior = readJournal(locations.journalFile, command.operation, simulated);
        decision = decideRun(prior, command.request, {
            now,
            file: locations.journalFile,
            archiveDir: locations.archiveDir,
        });
        const resumed = decision.kind === "resume" ? decision.prior : undefined;
        const where = locations;
        freshRunId = newRunId(
            command.operation,
            now,
            (id) =>
                fs.existsSync(path.join(where.archiveDir, `${id}.json`)) ||
                fs.existsSync(path.join(where.reportDir, `${id}.json`)) ||
                (decision.kind === "supersede" && decision.prior.runId === id),
        );
        plan = await command.plan({
            runId: resumed?.runId ?? freshRunId,
            startedAt: new Date(resumed?.startedAt ?? now.toISOString()),
            pins: resumed?.pins ?? {},
            resumed: resumed !== undefined,
            failures: failureCounts(resumed?.incidents ?? []),
        });
    } catch (error) {
        return reportFailure(error, out);
    }
    const resumed = decision.kind === "resume" ? decision.prior : undefined;
    const resumeCommand = resumeCommandOf(command, settings, locations);
    const runId = resumed?.runId ?? freshRunId;

    if (change.dryRun) {
        return dryRun(plan, { title: command.title, decision, journalFile: locations.journalFile, out });
    }

    plan.findings.forEach((line) => out(line));
    if (!change.yes) {
        if (!settings.confirm) {
            return reportFailure(
                new UsageError(
                    `${command.operation} changes things and there is no terminal to ask on: pass --yes to run it unattended`,
                ),
                out,
            );
        }
        const question = resumed
            ? `Resume ${command.operation} run ${resumed.runId} (${resumed.steps.length} of ${plan.steps.length} steps done)? ${plan.question}`
            : plan.question;
        if (!(await settings.confirm(question))) {
            out("aborted: nothing was changed");
            return 2;
        }
    }

    // From here on the run writes: the journal first, so that every later change is recorded.
    if (decision.kind === "supersede") {
        const where = decision.archive();
        out(`${decision.why}; its journal is kept as ${where}`);
    }
    const startedAt = ports.now();
    const journalOptions = { mirror: command.journalMirror, warn: out };
    let journal: Journal;
    try {
        journal = resumed
            ? await Journal.resume(locations.journalFile, resumed, startedAt, journalOptions)
            : await Journal.create(
                  locations.journalFile,
                  {
                      runId,
                      operation: command.operation,
                      simulated,
                      request: command.request,
                      pins: plan.pins ?? {},
                      command: resumeCommand,
                      startedAt: now.toISOString(),
                  },
                  journalOptions,
              );
    } catch (error) {
        return reportFailure(
            error instanceof Refusal
                ? error
                : new Refusal(
                      `the journal ${locations.journalFile} could not be written: ${String(error)}`,
                      1,
                  ),
            out,
        );
    }
    const provenance = await gatherProvenance(settings.config, ports.identity);
    const notify = (outcome: Outcome, detail: string) =>
        announce(
            ports,
            { operation: command.operation, title: command.title, runId: journal.runId, simulated },
            outcome,
            [
                detail,
                `by ${provenance.operator.osUser}@${provenance.operator.host} (${provenance.operator.awsArn ?? "AWS identity unknown"})`,
                `command: ${resumeCommand}`,
            ],
        );
    await notify("started", resumed ? `resumed after ${resumed.steps.length} completed steps` : plan.summary);
    out(
        `${command.operation} run ${journal.runId}${resumed ? `, resuming after ${resumed.steps.length} completed steps` : ""} (journal ${locations.journalFile})`,
    );

    // Signals: no new step starts; the steps in flight are recorded as interrupted.
    let stopRequested = false;
    let requestStop: () => void = () => undefined;
    const stop: StopRequest = {
        get requested() {
            return stopRequested;
        },
        stopped: new Promise<void>((resolve) => {
            requestStop = resolve;
        }),
    };
    const unsubscribe = settings.interrupts?.onInterrupt((signal) => {
        if (!stopRequested) {
            stopRequested = true;
            out(
                `${signal}: no new step starts; recording the steps in flight as interrupted (a second ${signal} exits at once)`,
            );
            requestStop();
        }
    });
    const heartbeat = startHeartbeat(ports, journal, plan, settings.heartbeatMs ?? HEARTBEAT_MS);
    const result = await runSteps(plan.steps, journal, {
        clock: () => ports.now().getTime(),
        progress: out,
        stop,
        onStart: heartbeat.started,
        onEnd: heartbeat.ended,
    }).finally(() => {
        heartbeat.stop();
        unsubscribe?.();
    });

    const endedAt = ports.now();
    const readOnlySteps = new Set(plan.steps.filter((s) => s.readOnly).map((s) => s.name));
    const status = result.outcome === "completed" ? "finished" : result.outcome;
    if (result.failure) {
        const failed = result.timeline.find((t) => t.outcome === "failed" && t.step === result.failure?.step);
        await journal.incident({
            step: result.failure.step,
            ...(failed ? { startedAt: new Date(failed.startedAt).toISOString() } : {}),
            at: new Date(failed?.endedAt ?? endedAt.getTime()).toISOString(),
            outcome: "failed",
            detail: failed?.detail ?? String(result.failure.cause),
            ...(readOnlySteps.has(result.failure.step) ? { readOnly: true } : {}),
        });
    }
    for (const step of result.inFlight) {
        await journal.incident({
            step: step.step,
            startedAt: new Date(step.startedAt).toISOString(),
            at: endedAt.toISOString(),
            outcome: "interrupted",
            detail: `running when the run was interrupted; the resumed run repeats it`,
            ...(readOnlySteps.has(step.step) ? { readOnly: true } : {}),
        });
    }
    await journal.end(status, endedAt);

    const measurements = plan.measure?.(journal.document) ?? {
        notes: [`${command.operation} restores no service, so no RTO or RPO is measured`],
    };
    const report = buildReport({
        journal: journal.document,
        title: command.title,
        provenance,
        measurements,
        endedAt,
    });
    const where = await saveReport(report, locations.reportDir, command.reportStore);
    out(`report: ${where.join(", ")}`);

    if (result.outcome === "completed") {
        const archived = journal.archive(locations.archiveDir);
        out(`${command.operation} complete: ${plan.summary}`);
        for (const [name, value] of [
            ["measured RTO", measurements.rto],
            ["achieved RPO", measurements.rpo],
        ] as const) {
            if (value) {
                out(
                    `  ${name}: ${value.minutes} min (objective ${value.objectiveMinutes} min: ${value.met ? "met" : "MISSED"}), ${value.span}`,
                );
            }
        }
        measurements.notes.forEach((note) => out(`  note: ${note}`));
        plan.next?.(journal.document).forEach((line) => out(line));
        out(`journal archived to ${archived}`);
        await notify("completed", plan.summary);
        return 0;
    }
    const why =
        result.outcome === "failed"
            ? `step ${result.failure?.step ?? "?"} failed: ${messageOf(result.failure?.cause)}`
            : `interrupted${result.inFlight.length > 0 ? ` while ${result.inFlight.map((s) => s.step).join(", ")} ran` : ""}`;
    out(`error: ${command.operation} run ${journal.runId} ${why}`);
    out(
        `nothing was deleted; completed steps are in the journal ${locations.journalFile}. Fix the cause, then resume with:`,
    );
    out(`  ${resumeCommand}`);
    await notify(result.outcome === "failed" ? "failed" : "interrupted", why);
    return 1;
}

/** How many times each step failed, from a journal's incidents. */
function failureCounts(incidents: JournalDocument["incidents"]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const incident of incidents.filter((i) => i.outcome === "failed")) {
        counts[incident.step] = (counts[incident.step] ?? 0) + 1;
    }
    return counts;
}

function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

/** The exact command line that resumes the run, flags that changed where its files go included. */
function resumeCommandOf(
    command: ChangingCommand,
    settings: RunSettings,
    locations: ReturnType<typeof runLocations>,
): string {
    const args = [
        ...command.resumeArgs,
        ...(settings.simulated ? ["--simulate"] : []),
        ...(locations.defaultJournal ? [] : ["--journal", locations.journalFile]),
        ...(locations.defaultReportDir ? [] : ["--report-dir", locations.reportDir]),
        ...(settings.change.yes ? ["--yes"] : []),
    ];
    return formatCommandLine("npm", ["run", "dr", "--", ...args]);
}
