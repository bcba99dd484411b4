import { ASSET_CLASS_NAMES, RecoveryObjective, RecoveryObjectives } from "../../lib/objectives";

/** Objectives of every asset class set to `base`, with `overrides` applied. */
export function objectivesOf(
    base: RecoveryObjective,
    overrides: Partial<Record<keyof RecoveryObjectives, RecoveryObjective>> = {},
): RecoveryObjectives {
    return Object.fromEntries(
        ASSET_CLASS_NAMES.map((assetClass) => [assetClass, overrides[assetClass] ?? base]),
    ) as unknown as RecoveryObjectives;
}
