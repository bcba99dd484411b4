import { ProblemCollector } from "../errors";
import {
    ASSET_CLASS_NAMES,
    AssetClass,
    isAssetClass,
    RecoveryObjective,
    RecoveryObjectives,
} from "../objectives";
import { jsonObject, wholeNumber } from "../config-values";
import type { RawStackConfig } from "../../config";
import { MIN_JOB_PERIOD_MINUTES } from "../schedule";
import { configKey } from "./key";

/**
 * Asset classes copied by a scheduled job (the Argo CD export, the Git mirror): the RPO must
 * hold two runs of a job scheduled at most every MIN_JOB_PERIOD_MINUTES (lib/schedule.ts).
 */
const SCHEDULED_JOB_CLASSES: readonly AssetClass[] = ["gitops", "source"];

/** The largest objective accepted, in minutes (one year): anything larger is a typo. */
const MAX_OBJECTIVE_MINUTES = 525_600;

/**
 * The stack-wide RPO/RTO with per-asset-class overrides applied; refuses objectives below
 * what AWS can deliver (checked against the backup rules in lib/stack-config/backup.ts).
 */
export function parseObjectives(
    raw: RawStackConfig,
    problems: ProblemCollector,
): RecoveryObjectives | undefined {
    const minutes = { min: 1, max: MAX_OBJECTIVE_MINUTES };
    const rpo = wholeNumber(problems, configKey("rpoMinutes"), raw.get("rpoMinutes"), minutes);
    const rto = wholeNumber(problems, configKey("rtoMinutes"), raw.get("rtoMinutes"), minutes);

    const overrides = jsonObject(problems, configKey("objectives"), raw.get("objectives")) ?? {};
    const perClass: Partial<Record<AssetClass, Partial<RecoveryObjective>>> = {};
    for (const [assetClass, override] of Object.entries(overrides)) {
        const field = `${configKey("objectives")}.${assetClass}`;
        if (!isAssetClass(assetClass)) {
            problems.add(field, `name an asset class (${ASSET_CLASS_NAMES.join(", ")})`, assetClass);
            continue;
        }
        if (typeof override !== "object" || override === null || Array.isArray(override)) {
            problems.add(field, 'be an object such as {"rpoMinutes": 5, "rtoMinutes": 60}', override);
            continue;
        }
        const parsed: { rpoMinutes?: number; rtoMinutes?: number } = {};
        for (const [objective, value] of Object.entries(override as Record<string, unknown>)) {
            if (objective !== "rpoMinutes" && objective !== "rtoMinutes") {
                problems.add(`${field}.${objective}`, "be rpoMinutes or rtoMinutes", objective);
                continue;
            }
            // JSON numbers arrive as numbers; anything else (objects, booleans) is reported as received.
            const text =
                typeof value === "number" || typeof value === "string"
                    ? String(value)
                    : JSON.stringify(value);
            parsed[objective] = wholeNumber(problems, `${field}.${objective}`, text, minutes);
        }
        perClass[assetClass] = parsed;
    }

    if (rpo === undefined || rto === undefined) {
        return undefined;
    }
    const objectives = {} as Record<AssetClass, RecoveryObjective>;
    for (const assetClass of ASSET_CLASS_NAMES) {
        objectives[assetClass] = {
            rpoMinutes: perClass[assetClass]?.rpoMinutes ?? rpo,
            rtoMinutes: perClass[assetClass]?.rtoMinutes ?? rto,
        };
    }
    return objectives;
}

/**
 * Refuses an RPO of a class copied by a scheduled job that cannot hold two runs of it, naming
 * the key that set it. Called after the backup rules, so their problem with the same key (an
 * RPO under what RDS can give, say) comes first; refused here, before anything is declared,
 * rather than by the component that runs the job.
 */
export function checkScheduledJobObjectives(
    raw: RawStackConfig,
    problems: ProblemCollector,
    objectives: RecoveryObjectives | undefined,
): void {
    if (!objectives) {
        return;
    }
    let overrides: Record<string, unknown> = {};
    try {
        overrides = JSON.parse(raw.get("objectives") ?? "{}") as Record<string, unknown>;
    } catch {
        // Reported by parseObjectives.
    }
    for (const assetClass of SCHEDULED_JOB_CLASSES) {
        const value = objectives[assetClass].rpoMinutes;
        if (value >= 2 * MIN_JOB_PERIOD_MINUTES) {
            continue;
        }
        const override = overrides[assetClass] as { rpoMinutes?: unknown } | undefined;
        const field =
            override?.rpoMinutes !== undefined
                ? `${configKey("objectives")}.${assetClass}.rpoMinutes`
                : configKey("rpoMinutes");
        problems.add(
            field,
            `be at least ${2 * MIN_JOB_PERIOD_MINUTES} for ${assetClass}: its copy is made by a job that runs at most every ${MIN_JOB_PERIOD_MINUTES} minutes, and the RPO must hold two runs`,
            value,
        );
    }
}
