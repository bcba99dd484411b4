import { ProblemCollector } from "../errors";
import { booleanValue, jsonObject, oneOf } from "../config-values";
import { parseRestoreSpec, RestoreSpec } from "../restore-spec";
import type { ConfigKey, DrSettings, RawStackConfig, StackRole } from "../../config";
import { configKey } from "./key";

/** How much of the platform the DR region keeps running before a failover. */
export const DR_POSTURES = ["pilot", "warm"] as const;

/** `pilot`: network and replicas only; `warm`: also a minimal cluster, scaled up on activation. */
export type DrPosture = (typeof DR_POSTURES)[number];

/** Keys that only mean something on the `dr` stack: set on `primary` they are refused. */
const DR_ONLY_KEYS: readonly ConfigKey[] = ["posture", "activated", "restore", "primaryStack"];

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
    const posture = oneOf(problems, configKey("posture"), raw.get("posture"), DR_POSTURES, "pilot");
    const activated = booleanValue(problems, configKey("activated"), raw.get("activated"), false);
    const primaryStack = raw.get("primaryStack") ?? "primary";
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
    if (activated === true && raw.get("restore") === undefined) {
        problems.add(
            configKey("restore"),
            `be set when ${configKey("activated")} is true: say where the database comes from, e.g. {"source": "pitr", "time": "latest"}`,
            undefined,
        );
    }
    if (posture === undefined || activated === undefined) {
        return undefined;
    }
    return { posture, activated, restore, primaryStack };
}
