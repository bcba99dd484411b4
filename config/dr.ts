import { ProblemCollector } from "../lib/errors";
import { parseRestoreSpec, RestoreSpec } from "../lib/restore-spec";
import { CONFIG_DEFAULTS } from "./defaults";
import { ConfigKey, configKey, RawStackConfig } from "./keys";
import type { StackRole } from "./role";
import { booleanValue, jsonObject, oneOf } from "./values";

/** How much of the platform the DR region keeps running before a failover. */
export const DR_POSTURES = ["pilot", "warm", "hot"] as const;

/**
 * `pilot`: network and replicas only; `warm`: also a minimal cluster, scaled up on activation;
 * `hot`: warm plus a cross-Region read replica of the primary database, promoted on activation.
 */
export type DrPosture = (typeof DR_POSTURES)[number];

/** Keys that only mean something on the `dr` stack: set on `primary` they are refused. */
const DR_ONLY_KEYS: readonly ConfigKey[] = ["posture", "activated", "restore", "primaryStack", "drill"];

/** How much a drill rebuilds: the database only, or the database and the whole platform. */
export const DRILL_SCOPES = ["database", "full"] as const;

/**
 * The scope of a drill whose `webank:drill` names none: the database, the cheap drill. A field
 * of a JSON key, not a key, so its default is its parser's, not config/defaults.ts's.
 */
export const DEFAULT_DRILL_SCOPE = "database" satisfies (typeof DRILL_SCOPES)[number];

/** A drill id: short, lowercase, so names derived from it stay inside AWS limits. */
const DRILL_ID_PATTERN = /^[a-z0-9]{4,12}$/;

/**
 * A DR drill's stack: a uniquely named copy of the dr stack that restores the database (and,
 * with scope `full`, the platform) beside the real DR resources, never owns DNS, and is
 * destroyed by the drill when it has been verified.
 */
export interface DrillSettings {
    /** Unique id of the drill (4-12 lowercase letters and digits); part of every name the drill creates. */
    readonly id: string;
    /**
     * `webank:drill.scope`: `database` or `full`.
     * @default "database"
     */
    readonly scope: (typeof DRILL_SCOPES)[number];
}

/** What the `dr` stack should be right now; set by the failover script. */
export interface DrSettings {
    /**
     * `webank:posture`: `pilot`, `warm` or `hot`.
     * @default "pilot"
     */
    readonly posture: DrPosture;
    /**
     * `webank:activated`: true once a failover has activated the DR region.
     * @default false
     */
    readonly activated: boolean;
    /**
     * `webank:restore`: where the DR database comes from; required when activated in the pilot
     * and warm postures, refused in hot (whose DR database is the promoted read replica).
     */
    readonly restore?: RestoreSpec;
    /**
     * `webank:primaryStack`: name of the primary stack for the StackReference (`primary`, or
     * `org/webank/primary`).
     * @default "primary"
     */
    readonly primaryStack: string;
    /** `webank:drill`: set on a DR drill's own stack only (the drill command sets it): makes the stack disposable. */
    readonly drill?: DrillSettings;
}

/**
 * The DR posture and activation. DR-only keys on the primary stack are refused, and an
 * activated stack must say where its database comes from.
 */
export function parseDr(
    raw: RawStackConfig,
    problems: ProblemCollector,
    role: StackRole | undefined,
    drRegion: string | undefined,
    replicatedBackupRetentionDays: number | undefined,
): DrSettings | undefined {
    if (role === "primary") {
        for (const name of DR_ONLY_KEYS) {
            if (raw.get(name) !== undefined) {
                problems.add(
                    configKey(name),
                    "be set only on the dr stack (it means nothing on primary)",
                    raw.get(name),
                );
            }
        }
    }
    const posture = oneOf(
        problems,
        configKey("posture"),
        raw.get("posture"),
        DR_POSTURES,
        CONFIG_DEFAULTS.posture,
    );
    const activated = booleanValue(
        problems,
        configKey("activated"),
        raw.get("activated"),
        CONFIG_DEFAULTS.activated,
    );
    const primaryStack = raw.get("primaryStack") ?? CONFIG_DEFAULTS.primaryStack;
    if (!/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+){0,2}$/.test(primaryStack)) {
        problems.add(
            configKey("primaryStack"),
            "be a stack name such as primary or org/webank/primary",
            primaryStack,
        );
    }

    const restoreObject = jsonObject(problems, configKey("restore"), raw.get("restore"));
    let restore: RestoreSpec | undefined;
    if (restoreObject && drRegion && replicatedBackupRetentionDays !== undefined) {
        restore = parseRestoreSpec(problems, configKey("restore"), restoreObject, {
            drRegion,
            now: raw.now ?? new Date(),
            replicatedBackupRetentionDays,
        });
    }
    // A drill's stack starts from dr's file, so it may say hot; it restores from backups beside
    // the real DR database, and that restore is what it rehearses.
    if (posture === "hot" && raw.get("restore") !== undefined && raw.get("drill") === undefined) {
        problems.add(
            configKey("restore"),
            `not be set when ${configKey("posture")} is hot: the DR database is the read replica the failover promotes, ` +
                `and a restore beside it would be a second database. To restore from backups instead, set ${configKey("posture")} to warm`,
            raw.get("restore"),
        );
    }
    if (activated === true && posture !== "hot" && raw.get("restore") === undefined) {
        problems.add(
            configKey("restore"),
            `be set when ${configKey("activated")} is true: say where the database comes from, e.g. {"source": "pitr", "time": "latest"}`,
            undefined,
        );
    }
    const drill = parseDrill(raw, problems, activated);
    if (posture === undefined || activated === undefined) {
        return undefined;
    }
    return { posture, activated, restore, primaryStack, ...(drill ? { drill } : {}) };
}

/** `webank:drill`: {"id": "...", "scope": "database" | "full"}; only on an activated stack. */
function parseDrill(
    raw: RawStackConfig,
    problems: ProblemCollector,
    activated: boolean | undefined,
): DrillSettings | undefined {
    const key = configKey("drill");
    const value = jsonObject(problems, key, raw.get("drill"));
    if (!value) {
        return undefined;
    }
    const id = value.id;
    if (typeof id !== "string" || !DRILL_ID_PATTERN.test(id)) {
        problems.add(`${key}.id`, "be 4-12 lowercase letters and digits", id);
    }
    const scope = oneOf(
        problems,
        `${key}.scope`,
        value.scope as string | undefined,
        DRILL_SCOPES,
        DEFAULT_DRILL_SCOPE,
    );
    if (activated !== true) {
        problems.add(
            key,
            `be set only with ${configKey("activated")} true (a drill restores)`,
            raw.get("drill"),
        );
    }
    if (typeof id !== "string" || !DRILL_ID_PATTERN.test(id) || scope === undefined) {
        return undefined;
    }
    return { id, scope };
}
