import { ProblemCollector } from "../lib/errors";
import {
    ASSET_CLASS_NAMES,
    AssetClass,
    isAssetClass,
    RecoveryObjective,
    RecoveryObjectives,
} from "../lib/objectives";
import {
    DATABASE_LOSS_RPO_FLOOR_MINUTES,
    promisableDatabaseRpoMinutes,
    REPLICATED_BACKUPS_RPO_MINUTES,
} from "../lib/delivered-rpo";
import { MIN_JOB_PERIOD_MINUTES } from "../lib/schedule";
import { configKey, CounterpartObjectives, RawStackConfig } from "./keys";
import { jsonObject, wholeNumber } from "./values";

/**
 * Asset classes copied by a scheduled job (the Argo CD export, the Git mirror): the RPO must
 * hold two runs of a job scheduled at most every MIN_JOB_PERIOD_MINUTES (lib/schedule.ts).
 */
const SCHEDULED_JOB_CLASSES: readonly AssetClass[] = ["gitops", "source"];

/** The largest objective accepted, in minutes (one year): anything larger is a typo. */
const MAX_OBJECTIVE_MINUTES = 525_600;

/** One objective of a class: its RPO or its RTO. */
export type ObjectiveName = keyof RecoveryObjective;

/** Per-class overrides as written in `webank:objectives`: any class, any of its two fields. */
type Overrides = Partial<Record<AssetClass, Partial<Record<ObjectiveName, number>>>>;

/** The objectives of every class, and which key set each one. */
export interface ResolvedObjectives {
    /** RPO/RTO of every asset class. */
    readonly objectives: RecoveryObjectives;
    /**
     * The config key that set one objective, as the user typed it: `webank:objectives.<class>.<name>`
     * when an override set it (the stack's or Pulumi.yaml's default), else `webank:rpoMinutes`
     * or `webank:rtoMinutes`. Problems with an objective name this key.
     */
    readonly keyOf: (assetClass: AssetClass, objective: ObjectiveName) => string;
}

/**
 * The stack-wide RPO/RTO with the per-class overrides applied. The overrides start from the
 * project default of `webank:objectives` (`raw.projectObjectives`, from Pulumi.yaml), and the
 * stack's own value is applied over them class by class and field by field: a stack setting
 * `{"database": {"rpoMinutes": 5}}` keeps the default's database RTO and its volumes and state
 * overrides. (A stack value replacing the default outright would drop the default's volumes
 * RPO of 60 and leave volumes at the stack-wide 15 minutes, which AWS Backup cannot meet for
 * EBS.) Objectives below what AWS can deliver are refused by the backup rules
 * (config/backup.ts) and {@link checkScheduledJobObjectives}.
 */
export function parseObjectives(
    raw: RawStackConfig,
    problems: ProblemCollector,
): ResolvedObjectives | undefined {
    const minutes = { min: 1, max: MAX_OBJECTIVE_MINUTES };
    const rpo = wholeNumber(problems, configKey("rpoMinutes"), raw.get("rpoMinutes"), minutes);
    const rto = wholeNumber(problems, configKey("rtoMinutes"), raw.get("rtoMinutes"), minutes);

    // Pulumi hands the program the project default when the stack sets no value, so the two
    // are often the same text: parse it once, naming the problems after where it was typed.
    const stackValue = raw.get("objectives");
    const projectValue = raw.projectObjectives;
    const fromProject = projectValue === undefined ? {} : parseOverrides(problems, projectValue, true);
    const fromStack =
        stackValue === undefined || stackValue === projectValue
            ? {}
            : parseOverrides(problems, stackValue, false);
    const merged: Overrides = {};
    for (const assetClass of ASSET_CLASS_NAMES) {
        const fields = { ...fromProject[assetClass], ...fromStack[assetClass] };
        if (Object.keys(fields).length > 0) {
            merged[assetClass] = fields;
        }
    }

    if (rpo === undefined || rto === undefined) {
        return undefined;
    }
    const stackWide: RecoveryObjective = { rpoMinutes: rpo, rtoMinutes: rto };
    const objectives = {} as Record<AssetClass, RecoveryObjective>;
    for (const assetClass of ASSET_CLASS_NAMES) {
        objectives[assetClass] = {
            rpoMinutes: merged[assetClass]?.rpoMinutes ?? stackWide.rpoMinutes,
            rtoMinutes: merged[assetClass]?.rtoMinutes ?? stackWide.rtoMinutes,
        };
    }
    return {
        objectives,
        keyOf: (assetClass, objective) =>
            merged[assetClass]?.[objective] !== undefined
                ? `${configKey("objectives")}.${assetClass}.${objective}`
                : configKey(objective),
    };
}

/**
 * One `webank:objectives` value: `{"<class>": {"rpoMinutes": n, "rtoMinutes": n}, ...}`.
 * Problems name the key as typed; those in Pulumi.yaml's default say so, since the stack file
 * does not hold that text.
 */
function parseOverrides(problems: ProblemCollector, text: string, projectDefault: boolean): Overrides {
    const key = configKey("objectives");
    const where = projectDefault ? " (the default in Pulumi.yaml)" : "";
    const minutes = { min: 1, max: MAX_OBJECTIVE_MINUTES };
    const overrides = jsonObject(problems, `${key}${where}`, text) ?? {};
    const parsed: Overrides = {};
    for (const [assetClass, override] of Object.entries(overrides)) {
        const field = `${key}.${assetClass}`;
        if (!isAssetClass(assetClass)) {
            problems.add(
                `${field}${where}`,
                `name an asset class (${ASSET_CLASS_NAMES.join(", ")})`,
                assetClass,
            );
            continue;
        }
        if (typeof override !== "object" || override === null || Array.isArray(override)) {
            problems.add(
                `${field}${where}`,
                'be an object such as {"rpoMinutes": 5, "rtoMinutes": 60}',
                override,
            );
            continue;
        }
        const fields: Partial<Record<ObjectiveName, number>> = {};
        for (const [objective, value] of Object.entries(override as Record<string, unknown>)) {
            if (objective !== "rpoMinutes" && objective !== "rtoMinutes") {
                problems.add(`${field}.${objective}${where}`, "be rpoMinutes or rtoMinutes", objective);
                continue;
            }
            // JSON numbers arrive as numbers; anything else (objects, booleans) is reported as received.
            const valueText =
                typeof value === "number" || typeof value === "string"
                    ? String(value)
                    : JSON.stringify(value);
            const number = wholeNumber(problems, `${field}.${objective}${where}`, valueText, minutes);
            if (number !== undefined) {
                fields[objective] = number;
            }
        }
        parsed[assetClass] = fields;
    }
    return parsed;
}

/**
 * Refuses an RPO of a class copied by a scheduled job that cannot hold two runs of it, naming
 * the key that set it. Called after the backup rules, so their problem with the same key (an
 * RPO under what RDS can give, say) comes first; refused here, before anything is declared,
 * rather than by the component that runs the job.
 */
export function checkScheduledJobObjectives(
    problems: ProblemCollector,
    resolved: ResolvedObjectives | undefined,
): void {
    if (!resolved) {
        return;
    }
    for (const assetClass of SCHEDULED_JOB_CLASSES) {
        const value = resolved.objectives[assetClass].rpoMinutes;
        if (value >= 2 * MIN_JOB_PERIOD_MINUTES) {
            continue;
        }
        problems.add(
            resolved.keyOf(assetClass, "rpoMinutes"),
            `be at least ${2 * MIN_JOB_PERIOD_MINUTES} for ${assetClass}: its copy is made by a job that runs at most every ${MIN_JOB_PERIOD_MINUTES} minutes, and the RPO must hold two runs`,
            value,
        );
    }
}

/**
 * Refuses objectives that differ from the counterpart stack's: primary's objectives make the
 * backups (schedules, retention, copies) and dr's judge them (policy thresholds, status
 * checks, the runbook), so when the two differ, dr measures primary's backups against targets
 * they were never made for. One problem per key that set a differing value, naming this
 * stack's value and the other's.
 */
export function checkCounterpartObjectives(
    problems: ProblemCollector,
    resolved: ResolvedObjectives | undefined,
    counterpart: CounterpartObjectives | undefined,
): void {
    if (!resolved || !counterpart) {
        return;
    }
    const theirs = counterpart.objectives;
    const differences = new Map<string, { here: number; there: string[] }>();
    for (const assetClass of ASSET_CLASS_NAMES) {
        for (const objective of ["rpoMinutes", "rtoMinutes"] as const) {
            const here = resolved.objectives[assetClass][objective];
            const there = theirs[assetClass][objective];
            if (here === there) {
                continue;
            }
            const key = resolved.keyOf(assetClass, objective);
            const entry = differences.get(key) ?? { here, there: [] };
            entry.there.push(`${assetClass} ${objective === "rpoMinutes" ? "RPO" : "RTO"} ${there}`);
            differences.set(key, entry);
        }
    }
    for (const [key, { here, there }] of differences) {
        problems.add(
            key,
            `equal the ${counterpart.stack} stack's objectives in ${counterpart.file} (there: ${there.join(", ")} minutes): primary's objectives make the backups and dr's judge them, so both stacks must hold the same ones`,
            here,
        );
    }
}

/** The DR posture that keeps a cross-Region read replica, the only one whose database RPO is its lag. */
const REPLICA_POSTURE = "hot";

/**
 * Refuses a database RPO the DR posture cannot promise, naming the key that set it and the
 * posture that can: without a read replica (pilot, warm) the DR database comes from the
 * replicated automated backups ({@link REPLICATED_BACKUPS_RPO_MINUTES}); with one (hot) from
 * the replica, whose lag is known a minute at a time (lib/delivered-rpo.ts).
 * `posture` is the dr stack's: its own on dr, the dr stack file's on primary (whose backups
 * serve it); `from` says which, for the message.
 */
export function checkPromisableDatabaseRpo(
    problems: ProblemCollector,
    resolved: ResolvedObjectives | undefined,
    posture: string | undefined,
    from: string,
): void {
    if (!resolved || posture === undefined) {
        return;
    }
    const withReplica = posture === REPLICA_POSTURE;
    const least = promisableDatabaseRpoMinutes(withReplica);
    const value = resolved.objectives.database.rpoMinutes;
    if (value >= least) {
        return;
    }
    problems.add(
        resolved.keyOf("database", "rpoMinutes"),
        withReplica
            ? `be at least ${least} in the hot posture (${from}): a region loss costs only the read replica's lag, but the same objective covers the database's own loss, ` +
                  `which the replica replays too and only a point-in-time restore brings back (RDS continuous backup: ${DATABASE_LOSS_RPO_FLOOR_MINUTES} minutes at best)`
            : `be at least ${least} in the ${posture} posture (${from}): its DR database is restored from the automated backups replicated into the DR region, ` +
                  `which AWS gives an RPO of up to ${REPLICATED_BACKUPS_RPO_MINUTES} minutes; only the ${REPLICA_POSTURE} posture (a cross-Region read replica) promises less`,
        value,
    );
}
