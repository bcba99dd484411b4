import type { StackConfig } from "../../../../config/stack-config";
import type { DatabaseInstance, DatabasePort } from "../../../ports";
import { problem, Refusal, UsageError } from "../../../run/refusal";
import type { Step, StepContext, StepOutcome } from "../../../run/steps";
import { DATABASE_WAIT_MINUTES } from "../../shared/restored-database";
import type { RestoreNames } from "./names";

/*
 * The steps of an in-place database restore: the read-only checks, the restore into a new
 * instance, its wait and check, and the cut-over's two renames. Every step that changes RDS
 * looks at what RDS shows before acting, so a run that stopped between a change and its
 * journal entry resumes without doing anything twice. Nothing is ever deleted.
 */

/** How long a renamed instance may take to answer under its new identifier (a rename reboots it). */
export const RENAME_WAIT_MINUTES = 30;

/** AWS's page on renaming an instance, the documented way to replace it with a restored one. */
export const RENAME_DOC = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_RenameInstance.html";

/** The read-only step of a restore. */
export const RESTORE_PREFLIGHT = "preflight";

/** The read-only step of a cut-over to an instance an earlier run restored. */
export const CUT_OVER_PREFLIGHT = "preflight-cut-over";

/** The step whose completion means the restored database is behind the source's identifier. */
export const CUT_OVER_DONE = "verify-cut-over";

/** The restore point as the operator reads it. */
export function pointText(restoreTime: string): string {
    return restoreTime === "latest" ? "the latest restorable time" : restoreTime;
}

/** How to look at one instance by hand. */
function describeCommand(region: string, identifier: string): string {
    return `aws rds describe-db-instances --region ${region} --db-instance-identifier ${identifier}`;
}

/**
 * The read-only checks of a restore: the source exists and is available, the restore point
 * is inside what RDS can restore (up to its latest restorable time), the new identifier is
 * free. A time RDS cannot reach is bad input (exit 2); a source that is not ready is a state
 * of the world (exit 1: wait and run again). Journaled data: the source's endpoint (the
 * cut-over must keep it) and the point restored to.
 */
export async function inspectSource(
    database: DatabasePort,
    config: StackConfig,
    names: RestoreNames,
    restoreTime: string,
    now: Date,
): Promise<StepOutcome> {
    const { source, target } = names;
    const region = database.region;
    const instance = await database.describeInstance(source);
    if (!instance) {
        throw new Refusal(
            `${source} does not exist in ${region}, so there is nothing to restore in place; ` +
                `if it was deleted, its retained automated backups are listed by: aws rds describe-db-instance-automated-backups --region ${region} --db-instance-identifier ${source}; ` +
                "if the home region itself is lost, fail over instead: npm run dr -- failover",
            1,
        );
    }
    if (instance.status !== "available") {
        throw new Refusal(
            `${source} in ${region} is "${instance.status}", not available; wait until it is (${describeCommand(region, source)}) and run again`,
            1,
        );
    }
    const latest = instance.latestRestorableTime;
    if (!latest) {
        throw new Refusal(
            `RDS reports no latest restorable time for ${source}: its automated backups are off or not taken yet, ` +
                `so a point-in-time restore is impossible; check BackupRetentionPeriod with: ${describeCommand(region, source)}`,
            1,
        );
    }
    if (restoreTime !== "latest" && new Date(restoreTime) > latest) {
        throw new UsageError(
            problem(
                "--restore-time",
                `be at most the latest restorable time of ${source}, ${latest.toISOString()} (RDS has not yet archived the log after it), or "latest"`,
                restoreTime,
            ),
        );
    }
    if (await database.describeInstance(target)) {
        throw new Refusal(
            `an instance named ${target} already exists (a restore started this minute whose journal is gone?); ` +
                "it is left alone: resume that run with its journal, or run again in a minute for a new name",
            1,
        );
    }
    const point = restoreTime === "latest" ? latest : new Date(restoreTime);
    const lossMinutes = Math.max(0, Math.round((now.getTime() - point.getTime()) / 60_000));
    return {
        detail:
            `target ${target}; source ${source} at ${instance.endpoint ?? "unknown"}; restoring to ` +
            `${restoreTime === "latest" ? `the latest restorable time (now ${latest.toISOString()})` : point.toISOString()}; ` +
            `projected data loss ${lossMinutes} min (objective ${config.objectives.database.rpoMinutes} min): ` +
            `writes after that point are not in ${target}`,
        data: {
            target,
            point: point.toISOString(),
            ...(instance.endpoint ? { endpoint: instance.endpoint } : {}),
        },
    };
}

/**
 * The read-only checks of a cut-over to `names.target`, restored by an earlier run: it exists
 * (else the name is bad input) and is available; the source exists and is available; the
 * replaced name is free. Journaled data: the source's endpoint, which the cut-over must keep.
 */
export async function inspectCutOver(database: DatabasePort, names: RestoreNames): Promise<StepOutcome> {
    const { source, target, replaced } = names;
    const region = database.region;
    const restored = await database.describeInstance(target);
    if (!restored) {
        throw new UsageError(
            problem(
                "--restored-instance",
                `name an instance that exists in ${region} (see: aws rds describe-db-instances --region ${region})`,
                target,
            ),
        );
    }
    if (restored.status !== "available" || !restored.endpoint) {
        throw new Refusal(
            `${target} is "${restored.status}", not available; wait until it is (${describeCommand(region, target)}) and run again`,
            1,
        );
    }
    const current = await database.describeInstance(source);
    if (!current || current.status !== "available") {
        throw new Refusal(
            `${source} is ${current ? `"${current.status}"` : "missing"} in ${region}: a cut-over renames an available instance away. ` +
                `Look with: aws rds describe-db-instances --region ${region}; if an earlier cut-over stopped halfway, resume that run instead`,
            1,
        );
    }
    if (await database.describeInstance(replaced)) {
        throw new Refusal(
            `an instance named ${replaced} already exists in ${region}, so ${source} cannot be renamed to it; ` +
                `${target} may have been cut over to already: look with ${describeCommand(region, replaced)}`,
            1,
        );
    }
    return {
        detail: `${target} available at ${restored.endpoint}; ${source} available at ${current.endpoint ?? "unknown"}; ${replaced} is free`,
        data: { target, ...(current.endpoint ? { endpoint: current.endpoint } : {}) },
    };
}

/** A check that an instance is available with an endpoint; returns what it found. */
export function describeReady(
    instance: DatabaseInstance | undefined,
    identifier: string,
    region: string,
): string {
    const check = describeCommand(region, identifier);
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
 * The restore: the read-only `preflight` (what `inspect` finds; the plan's own inspection in
 * a new run), the new instance, its wait and its check.
 */
export function restoreSteps(
    database: DatabasePort,
    names: RestoreNames,
    restoreTime: string,
    inspect: () => Promise<StepOutcome>,
    /** The data check of the restored instance at `endpoint` (shared/restored-data.ts). */
    verifyData: (endpoint: string, context: StepContext) => Promise<StepOutcome>,
): Step[] {
    const { source, target } = names;
    return [
        {
            name: RESTORE_PREFLIGHT,
            after: [],
            readOnly: true,
            describe: `check ${source}, the restore point and the new identifier ${target}`,
            run: inspect,
        },
        {
            name: "restore",
            after: [RESTORE_PREFLIGHT],
            describe: `point-in-time restore of ${source} to ${pointText(restoreTime)} into a new instance ${target} (creates; changes nothing existing)`,
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
                const time = restoreTime === "latest" ? "latest" : new Date(restoreTime);
                await database.restoreToPointInTime(source, target, time, like);
                return `restore of ${source} to ${restoreTime} into ${target} started (settings of ${source})`;
            },
        },
        {
            name: "wait-available",
            after: ["restore"],
            describe: `wait until ${target} is available (up to ${DATABASE_WAIT_MINUTES} min)`,
            timeoutMinutes: DATABASE_WAIT_MINUTES,
            run: async () => {
                await database.waitAvailable(target, DATABASE_WAIT_MINUTES);
                return `${target} available`;
            },
        },
        {
            name: "verify",
            after: ["wait-available"],
            describe: `check ${target} is available with an endpoint, then open it and check its data (heartbeat, critical tables, migration version)`,
            run: async (context) => {
                const restored = await database.describeInstance(target);
                const ready = describeReady(restored, target, database.region);
                const endpoint = restored?.endpoint ?? "";
                const data = await verifyData(endpoint, context);
                return {
                    detail: `${ready}; ${data.detail}`,
                    data: { endpoint, ...data.data },
                };
            },
        },
    ];
}

/**
 * What a failed rename adds when clients are left without a database (the source renamed
 * away, the restored instance not yet in its place): the loudest line of the run, with the
 * one AWS command that ends it by hand.
 */
export function halfDoneWarning(names: RestoreNames, region: string): string {
    const { source, target, replaced } = names;
    return (
        `CLIENTS HAVE NO DATABASE: ${source} is renamed to ${replaced} but ${target} is not yet renamed to ${source}. ` +
        `Resume now with the command below to complete the cut-over (by hand: aws rds modify-db-instance --region ${region} ` +
        `--db-instance-identifier ${target} --new-db-instance-identifier ${source} --apply-immediately)`
    );
}

/** `step` whose failure says so loudly when it leaves clients without a database. */
function warnWhenHalfDone(step: Step, database: DatabasePort, names: RestoreNames): Step {
    return {
        ...step,
        run: async (context: StepContext) => {
            try {
                return await step.run(context);
            } catch (error) {
                const message = error instanceof Error ? error.message : String(error);
                let holder: DatabaseInstance | undefined;
                try {
                    holder = await database.describeInstance(names.source);
                } catch (lookup) {
                    throw new Error(
                        `${message}. ${names.source} could not be looked up (${String(lookup)}): check at once that clients ` +
                            `still have a database (${describeCommand(database.region, names.source)})`,
                    );
                }
                if (holder) {
                    throw error;
                }
                throw new Error(`${message}. ${halfDoneWarning(names, database.region)}`);
            }
        },
    };
}

/**
 * The cut-over, after `first`: two renames, each checked against what RDS shows rather than
 * only the journal, then the check that the source's identifier answers at its old endpoint
 * (read by `endpointOf` from a journaled step) and the replaced instance is kept.
 */
export function cutOverSteps(
    database: DatabasePort,
    names: RestoreNames,
    first: string,
    endpointOf: (context: StepContext) => string | undefined,
): Step[] {
    const { source, target, replaced } = names;
    const region = database.region;
    const renameSource: Step = {
        name: "rename-source",
        after: [first],
        describe: `rename ${source} to ${replaced} (kept, deletion protection stays on)`,
        timeoutMinutes: RENAME_WAIT_MINUTES,
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
    };
    const renameRestored: Step = {
        name: "rename-restored",
        after: ["rename-source"],
        describe: `rename ${target} to ${source}, so the endpoint clients use reaches the restored data`,
        timeoutMinutes: RENAME_WAIT_MINUTES,
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
                        `(${describeCommand(region, source)})`,
                );
            }
            await database.renameInstance(target, source);
            await database.waitAvailable(source, RENAME_WAIT_MINUTES);
            return `${target} renamed to ${source}`;
        },
    };
    return [
        warnWhenHalfDone(renameSource, database, names),
        warnWhenHalfDone(renameRestored, database, names),
        {
            name: CUT_OVER_DONE,
            after: ["rename-restored"],
            describe: `check ${source} answers (the restored data) at its old endpoint and ${replaced} is kept`,
            run: async (context) => {
                const current = await database.describeInstance(source);
                const ready = describeReady(current, source, region);
                const before = endpointOf(context);
                if (before && current?.endpoint !== before) {
                    throw new Error(
                        `${source} now answers at ${current?.endpoint}, not at ${before} as before; point the clients at the new endpoint`,
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

/** What to do after the cut-over, for Pulumi and for the DR copy of the backups. */
export function afterCutOver(names: RestoreNames, config: StackConfig, region: string): string[] {
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
