import * as fs from "fs";
import * as path from "path";
import type { StackConfig } from "../../../config";
import { parseRestoreTime } from "../times";
import { openExistingJournal, Refusal, reportFailure } from "./run";
import { primaryDatabaseIdentifier } from "../../../lib/naming";
import { PROJECT_ROOT } from "../../../config/stack-files";
import { DATABASE_WAIT_MINUTES } from "../shared/restored-database";
import { Journal } from "../../run/journal";
import { DatabaseInstance, DatabasePort, RecoveryPorts } from "../../ports";
import { runSteps, Step } from "../../run/steps";

/** Options of `npm run dr -- restore db`. */
export interface RestoreDatabaseOptions {
    /** `--restore-time`: `latest`, or an ISO-8601 instant with a zone (`2026-11-25T02:30:00Z`). */
    readonly restoreTime: string;
    /**
     * `--cut-over`: after the restore, rename the damaged instance away and the restored one to
     * its identifier, so clients reach the restored data. Default false: restore and verify
     * only, then print the exact command that cuts over (the same run, resumed).
     */
    readonly cutOver?: boolean;
    /** `--yes`: do not ask before the restore and before the cut-over. */
    readonly yes: boolean;
    /** `--dry-run`: check the source and the restore point, print the plan; change nothing. */
    readonly dryRun: boolean;
    /** `--journal`: the journal file. Default `.journal/restore-db.json` in the project. */
    readonly journalFile?: string;
    /** Asks the operator a yes/no question; undefined when there is no terminal to ask on. */
    readonly confirm?: (question: string) => Promise<boolean>;
}

/** How long a renamed instance may take to answer under its new identifier (a rename reboots it). */
export const RENAME_WAIT_MINUTES = 30;

/** The journal's operation name; a journal of another operation is refused. */
const OPERATION = "restore-db";

/** AWS's page on renaming an instance, the documented way to replace it with a restored one. */
const RENAME_DOC = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_RenameInstance.html";

/** The names of one restore: fixed by the run's first step, so a resumed run reuses them. */
export interface RestoreNames {
    /** The damaged (source) instance, whose identifier clients use: `<prefix>-db`. */
    readonly source: string;
    /** The new instance the restore creates: `<prefix>-db-r<YYYYMMDDHHmm>`. */
    readonly target: string;
    /** What the cut-over renames the source to (kept, never deleted): `<prefix>-db-replaced-<YYYYMMDDHHmm>`. */
    readonly replaced: string;
}

/** The names of a restore started at `startedAt` (UTC minutes: unique per run in practice, readable by hand). */
export function restoreNames(prefix: string, startedAt: Date): RestoreNames {
    const stamp = startedAt.toISOString().slice(0, 16).replace(/[-:T]/g, "");
    const source = primaryDatabaseIdentifier(prefix);
    return { source, target: `${source}-r${stamp}`, replaced: `${source}-replaced-${stamp}` };
}

/** What the first step found, as the journal records it (and a resumed run reads it back). */
interface Preflight {
    readonly names: RestoreNames;
    /** The requested restore time, normalised: `latest` or an ISO instant in UTC. */
    readonly restoreTime: string;
    /** The source's endpoint before the restore, when known: the cut-over must keep it. */
    readonly endpoint?: string;
    /** The journal detail. */
    readonly detail: string;
}

/** The requested time as the journal records it. */
function normalise(time: Date | "latest"): string {
    return time === "latest" ? "latest" : time.toISOString();
}

/** The restore point as the operator reads it. */
function pointText(restoreTime: string): string {
    return restoreTime === "latest" ? "the latest restorable time" : restoreTime;
}

/** Reads a preflight back from its journal detail. */
function preflightFromJournal(detail: string, prefix: string): Preflight {
    const target = /^target (\S+);/.exec(detail)?.[1];
    const restoreTime = /; restore time (\S+?);/.exec(detail)?.[1];
    const endpoint = /; source \S+ at (\S+?);/.exec(detail)?.[1];
    const source = primaryDatabaseIdentifier(prefix);
    if (!target || !restoreTime || !target.startsWith(`${source}-r`)) {
        throw new Refusal(
            `the journal's preflight entry cannot be read ("${detail}"); move the journal away and start again`,
            2,
        );
    }
    const stamp = target.slice(`${source}-r`.length);
    return {
        names: { source, target, replaced: `${source}-replaced-${stamp}` },
        restoreTime,
        endpoint: endpoint === "unknown" ? undefined : endpoint,
        detail,
    };
}

/**
 * The read-only checks of a new run: the source exists and is available, the restore point is
 * inside its restorable window, the new identifier is free. Returns the preflight to journal.
 */
async function inspectSource(
    database: DatabasePort,
    config: StackConfig,
    time: Date | "latest",
    requested: string,
    now: Date,
): Promise<Preflight> {
    const names = restoreNames(config.prefix, now);
    const { source, target } = names;
    const describeCommand = `aws rds describe-db-instances --region ${database.region} --db-instance-identifier ${source}`;
    const instance = await database.describeInstance(source);
    if (!instance) {
        throw new Refusal(
            `${source} does not exist in ${database.region}, so there is nothing to restore in place; ` +
                `if it was deleted, its retained automated backups are listed by: aws rds describe-db-instance-automated-backups --region ${database.region} --db-instance-identifier ${source}; ` +
                "if the home region itself is lost, fail over instead: npm run dr -- failover",
            1,
        );
    }
    if (instance.status !== "available") {
        throw new Refusal(
            `${source} in ${database.region} is "${instance.status}", not available; wait until it is (${describeCommand}) and run again`,
            1,
        );
    }
    const latest = instance.latestRestorableTime;
    if (!latest) {
        throw new Refusal(
            `RDS reports no latest restorable time for ${source}: its automated backups are off or not taken yet, ` +
                `so a point-in-time restore is impossible; check BackupRetentionPeriod with: ${describeCommand}`,
            1,
        );
    }
    const retentionDays = config.database?.backupRetentionDays;
    const earliest =
        typeof retentionDays === "number" ? new Date(now.getTime() - retentionDays * 86_400_000) : undefined;
    if (time !== "latest" && (time > latest || (earliest !== undefined && time < earliest))) {
        const window = earliest
            ? `${earliest.toISOString()} to ${latest.toISOString()}: the PITR retention of ${retentionDays} days up to the latest restorable time`
            : `up to the latest restorable time ${latest.toISOString()}`;
        throw new Refusal(
            `--restore-time must be inside the restorable window of ${source} (${window}) or "latest"; got "${requested}"`,
            2,
        );
    }
    if (await database.describeInstance(target)) {
        throw new Refusal(
            `an instance named ${target} already exists (a restore started this minute whose journal is gone?); ` +
                "it is left alone: resume that run with its journal, or run again in a minute for a new name",
            1,
        );
    }
    const point = time === "latest" ? latest : time;
    const lossMinutes = Math.max(0, Math.round((now.getTime() - point.getTime()) / 60_000));
    const pointText =
        time === "latest" ? `the latest restorable time (now ${latest.toISOString()})` : point.toISOString();
    const detail =
        `target ${target}; source ${source} at ${instance.endpoint ?? "unknown"}; restore time ${normalise(time)}; ` +
        `restoring to ${pointText}; projected data loss ${lossMinutes} min ` +
        `(objective ${config.objectives.database.rpoMinutes} min): writes after that point are not in ${target}`;
    return { names, restoreTime: normalise(time), endpoint: instance.endpoint, detail };
}

/** The restore: preflight, the new instance, its wait and its check. */
function restoreSteps(database: DatabasePort, preflight: Preflight, time: Date | "latest"): Step[] {
    const { source, target } = preflight.names;
    return [
        {
            name: "preflight",
            after: [],
            describe: `check ${source}, the restore point and the new identifier`,
            run: () => Promise.resolve(preflight.detail),
        },
        {
            name: "restore",
            after: ["preflight"],
            describe: `point-in-time restore of ${source} into a new instance ${target} (creates; changes nothing existing)`,
            run: async () => {
                if (await database.describeInstance(target)) {
                    // An earlier attempt started it and stopped before journaling: never restore twice.
                    return `${target} already exists (started by an earlier attempt); not restored again`;
                }
                const like = await database.describeInstance(source);
                if (!like) {
                    throw new Error(
                        `${source} is gone from ${database.region}, so its settings cannot be copied; check it with: aws rds describe-db-instances --region ${database.region}`,
                    );
                }
                await database.restoreToPointInTime(source, target, time, like);
                return `restore of ${source} to ${normalise(time)} into ${target} started (settings of ${source})`;
            },
        },
        {
            name: "wait-available",
            after: ["restore"],
            describe: `wait until ${target} is available (up to ${DATABASE_WAIT_MINUTES} min)`,
            run: async () => {
                await database.waitAvailable(target, DATABASE_WAIT_MINUTES);
                return `${target} available`;
            },
        },
        {
            name: "verify",
            after: ["wait-available"],
            describe: `check ${target} is available with an endpoint`,
            run: async () => {
                const restored = await database.describeInstance(target);
                return describeReady(restored, target, database.region);
            },
        },
    ];
}

/** A check that an instance is available with an endpoint; returns what it found. */
function describeReady(instance: DatabaseInstance | undefined, identifier: string, region: string): string {
    const check = `aws rds describe-db-instances --region ${region} --db-instance-identifier ${identifier}`;
    if (!instance) {
        throw new Error(`${identifier} does not exist in ${region}; check with: ${check}`);
    }
    if (instance.status !== "available" || !instance.endpoint) {
        throw new Error(
            `${identifier} is "${instance.status}"${instance.endpoint ? "" : " without an endpoint"}; check with: ${check}, then run again`,
        );
    }
    return `${identifier} available at ${instance.endpoint} (deletion protection ${instance.deletionProtection ? "on" : "OFF"})`;
}

/**
 * The cut-over: two renames, each checked against what RDS shows rather than only the
 * journal, so a run that stopped between a rename and its journal entry resumes correctly.
 */
function cutOverSteps(database: DatabasePort, preflight: Preflight): Step[] {
    const { source, target, replaced } = preflight.names;
    const region = database.region;
    return [
        {
            name: "rename-source",
            after: [],
            describe: `rename ${source} to ${replaced} (kept, deletion protection stays on)`,
            run: async () => {
                if (await database.describeInstance(replaced)) {
                    return `${source} was already renamed to ${replaced}`;
                }
                if (!(await database.describeInstance(source))) {
                    throw new Error(
                        `neither ${source} nor ${replaced} exists in ${region}; look with: aws rds describe-db-instances --region ${region}`,
                    );
                }
                await database.renameInstance(source, replaced);
                await database.waitAvailable(replaced, RENAME_WAIT_MINUTES);
                return `${source} renamed to ${replaced}`;
            },
        },
        {
            name: "rename-restored",
            after: ["rename-source"],
            describe: `rename ${target} to ${source}, so the endpoint clients use reaches the restored data`,
            run: async () => {
                const restored = await database.describeInstance(target);
                const holder = await database.describeInstance(source);
                if (!restored && holder) {
                    return `${target} was already renamed to ${source}`;
                }
                if (!restored) {
                    throw new Error(
                        `${target} does not exist in ${region}; look with: aws rds describe-db-instances --region ${region}`,
                    );
                }
                if (holder) {
                    throw new Error(
                        `${source} exists although it was renamed to ${replaced}; find out what created it before going on ` +
                            `(aws rds describe-db-instances --region ${region} --db-instance-identifier ${source})`,
                    );
                }
                await database.renameInstance(target, source);
                await database.waitAvailable(source, RENAME_WAIT_MINUTES);
                return `${target} renamed to ${source}`;
            },
        },
        {
            name: "verify-cut-over",
            after: ["rename-restored"],
            describe: `check ${source} answers (the restored data) and ${replaced} is kept`,
            run: async () => {
                const current = await database.describeInstance(source);
                const ready = describeReady(current, source, region);
                if (preflight.endpoint && current?.endpoint !== preflight.endpoint) {
                    throw new Error(
                        `${source} now answers at ${current?.endpoint}, not at ${preflight.endpoint} as before; ` +
                            "point the clients at the new endpoint",
                    );
                }
                const old = await database.describeInstance(replaced);
                if (!old) {
                    throw new Error(
                        `${replaced} is missing from ${region}; look with: aws rds describe-db-instances --region ${region}`,
                    );
                }
                return `${ready}; ${replaced} kept (${old.status}, deletion protection ${old.deletionProtection ? "on" : "OFF"})`;
            },
        },
    ];
}

/** The command line that runs (or resumes) this restore. */
function commandLine(options: RestoreDatabaseOptions, cutOver: boolean): string {
    return [
        "npm run dr -- restore db",
        `--restore-time ${options.restoreTime}`,
        ...(cutOver ? ["--cut-over"] : []),
        ...(options.journalFile ? [`--journal ${options.journalFile}`] : []),
        ...(options.yes ? ["--yes"] : []),
    ].join(" ");
}

/** What to do after the cut-over, for Pulumi and for the DR copy of the backups. */
function afterCutOver(names: RestoreNames, config: StackConfig, region: string): string[] {
    const { source, replaced } = names;
    return [
        `AWS documents renaming as the way to replace a DB instance with a restored one: the endpoint follows ` +
            `the identifier, so clients reconnect to ${source} and reach the restored data without a config change (${RENAME_DOC}).`,
        `${replaced} holds the damaged data and every write made after the restore point; it is kept with deletion protection on. ` +
            "Nothing was deleted: remove it by hand only once nobody needs it.",
        "Pulumi: the primary stack's state still describes the replaced instance. The AWS provider tracks an RDS " +
            "instance by its resource id (db-...), which a rename keeps, so re-point the state at the restored instance first:",
        `  1. aws rds describe-db-instances --region ${region} --db-instance-identifier ${source} --query 'DBInstances[0].DbiResourceId' --output text`,
        '  2. pulumi stack export -s primary --file primary-state.json (keep a copy); set the "id" of the aws:rds/instance:Instance ' +
            "resource to that resource id; pulumi stack import -s primary --file primary-state.json",
        "  3. pulumi refresh -s primary",
        "  4. pulumi preview -s primary: it must not replace or rename the database; settings a restore does not carry over show as updates (apply them with pulumi up -s primary)",
        `  5. the automated backups replicated into ${config.drRegion} follow the instance, not its name: check the restored one is replicated with ` +
            `aws rds describe-db-instance-automated-backups --region ${config.drRegion} --db-instance-identifier ${source}`,
    ];
}

/**
 * `npm run dr -- restore db`: point-in-time restore of the home region's database into a new
 * instance, its verification, and (with `--cut-over`) the renames that put it behind the
 * endpoint clients use. For database loss or corruption while the home region is healthy;
 * nothing is deleted. Returns the exit code: 0 done, 1 failed (resumable), 2 bad usage.
 */
export async function restoreDatabaseCommand(
    options: RestoreDatabaseOptions,
    ports: RecoveryPorts,
    config: StackConfig,
): Promise<number> {
    const out = ports.output;
    const database = ports.home.database;
    const journalFile = options.journalFile ?? path.join(PROJECT_ROOT, ".journal", `${OPERATION}.json`);
    const cutOver = options.cutOver === true;
    try {
        const time = parseRestoreTime(options.restoreTime);
        let existing = openExistingJournal(journalFile, OPERATION, ports, out);
        let journaled = existing?.steps.find((s) => s.step === "preflight");
        let archive: string | undefined;
        if (existing && journaled) {
            const prior = preflightFromJournal(journaled.detail, config.prefix);
            if (prior.restoreTime !== normalise(time)) {
                // A verified restore nobody cut over to, or a completed cut-over, is settled: a
                // restore to another point (the search for the last good one) is a new run.
                const settled =
                    existing.isDone("verify-cut-over") ||
                    (existing.isDone("verify") && !existing.isDone("rename-source"));
                if (!settled) {
                    const done = existing.steps.map((s) => s.step).join(", ");
                    throw new Refusal(
                        `--restore-time must be ${prior.restoreTime} to finish the unfinished restore in ${journalFile} ` +
                            `(into ${prior.names.target}; done: ${done}); got "${options.restoreTime}". ` +
                            `Finish it first: ${commandLine({ ...options, restoreTime: prior.restoreTime }, existing.isDone("rename-source"))}`,
                        2,
                    );
                }
                archive = `${journalFile.replace(/\.json$/, "")}.${existing.runId}.json`;
                out(
                    `the restore in ${journalFile} (to ${pointText(prior.restoreTime)}, into ${prior.names.target}) is settled, ` +
                        `so this is a new run; a real run first moves that journal to ${archive}`,
                );
                existing = undefined;
                journaled = undefined;
            }
        }
        const preflight = journaled
            ? preflightFromJournal(journaled.detail, config.prefix)
            : await inspectSource(database, config, time, options.restoreTime, ports.now());
        const { source, target, replaced } = preflight.names;
        const restoreStarted = existing?.isDone("restore") === true;
        const cutOverDone = existing?.isDone("verify-cut-over") === true;

        if (options.dryRun) {
            out(`DRY RUN: restore of ${source} in ${database.region}; nothing will be changed.`);
            out(`  ${preflight.detail}`);
            const steps = [
                ...restoreSteps(database, preflight, time),
                ...(cutOver ? cutOverSteps(database, preflight) : []),
            ];
            steps.forEach((step, index) => {
                const done = existing?.isDone(step.name) ? " (done in an earlier run: skipped)" : "";
                out(`  ${index + 1}. ${step.name}: ${step.describe}${done}`);
            });
            if (!cutOver) {
                out(`  then, once the restored data is checked: ${commandLine(options, true)}`);
            }
            return 0;
        }

        if (
            !restoreStarted &&
            !(await confirmed(options, out, restoreQuestion(preflight, database.region)))
        ) {
            return options.confirm ? 1 : 2;
        }
        if (archive) {
            fs.renameSync(journalFile, archive);
        }
        const journal = existing ?? Journal.open(journalFile, OPERATION, { now: ports.now, warn: out });
        out(`restore-db run ${journal.runId} (journal ${journalFile})`);
        try {
            await runSteps(restoreSteps(database, preflight, time), journal, { progress: out });
        } catch (error) {
            out(`error: ${error instanceof Error ? error.message : String(error)}`);
            out(`nothing was deleted; ${source} is untouched. To resume: ${commandLine(options, cutOver)}`);
            return 1;
        }
        if (!cutOver && cutOverDone) {
            out(
                `journal ${journalFile} records this restore as complete, cut-over included: ${source} is the database restored to ${pointText(preflight.restoreTime)}. Nothing was changed.`,
            );
            return 0;
        }
        if (!cutOver) {
            const restored = await database.describeInstance(target);
            out(
                `restored: ${target} at ${restored?.endpoint ?? "(no endpoint)"} holds the data as of ${pointText(preflight.restoreTime)}; ` +
                    `clients still use ${source}, which is unchanged.`,
            );
            out(
                `Check the restored data (connect to ${target}), then cut over (renames ${source} to ${replaced} and ${target} to ${source}):`,
            );
            out(`  ${commandLine(options, true)}`);
            return 0;
        }

        if (!cutOverDone) {
            const halfDone = journal.isDone("rename-source") || (await database.describeInstance(replaced));
            const question = halfDone
                ? `The cut-over is half done: ${source} is renamed to ${replaced} and clients reach no database until ${target} is renamed to ${source}. Complete it now?`
                : `Cut over: rename ${source} to ${replaced} and ${target} to ${source}? Clients lose their connections for a few minutes, then reach the data as of ${pointText(preflight.restoreTime)}; writes made since then stay in ${replaced}.`;
            if (!(await confirmed(options, out, question))) {
                return options.confirm ? 1 : 2;
            }
        }
        try {
            await runSteps(cutOverSteps(database, preflight), journal, { progress: out });
        } catch (error) {
            out(`error: ${error instanceof Error ? error.message : String(error)}`);
            if (!(await database.describeInstance(source))) {
                out(
                    `CLIENTS HAVE NO DATABASE: ${source} is renamed to ${replaced} but ${target} is not yet renamed to ${source}. ` +
                        `Run again now to complete the cut-over: ${commandLine(options, true)} ` +
                        `(by hand: aws rds modify-db-instance --region ${database.region} --db-instance-identifier ${target} --new-db-instance-identifier ${source} --apply-immediately)`,
                );
            } else {
                out(`nothing was deleted. To resume: ${commandLine(options, true)}`);
            }
            return 1;
        }
        out(`cut-over complete: ${source} is the database restored to ${pointText(preflight.restoreTime)}.`);
        afterCutOver(preflight.names, config, database.region).forEach((line) => out(line));
        if (cutOverDone) {
            out(
                `journal ${journalFile} records this restore as complete; to start another, move it away first.`,
            );
        }
        return 0;
    } catch (error) {
        if (error instanceof Refusal) {
            return reportFailure(error, out);
        }
        throw error;
    }
}

/** The question before the restore. */
function restoreQuestion(preflight: Preflight, region: string): string {
    const { source, target } = preflight.names;
    return `Restore ${source} (${region}) to ${pointText(preflight.restoreTime)} into a new instance ${target}? This creates an instance and changes nothing existing.`;
}

/** Asks unless --yes; false (with the reason printed) when the operator declines or cannot be asked. */
async function confirmed(
    options: RestoreDatabaseOptions,
    out: (line: string) => void,
    question: string,
): Promise<boolean> {
    if (options.yes) {
        return true;
    }
    if (!options.confirm) {
        out(
            "error: the next step changes RDS; pass --yes to run without a terminal to confirm on. Nothing further was changed.",
        );
        return false;
    }
    if (!(await options.confirm(question))) {
        out("aborted: nothing further was changed");
        return false;
    }
    return true;
}
