/**
 * Recovery objectives: the asset classes this program protects and the RPO/RTO each one
 * has. Backup schedules, retention and policy thresholds are derived from these values,
 * so they are configured exactly once (`webank:rpoMinutes`, `webank:rtoMinutes` and the
 * per-class overrides in `webank:objectives`).
 */

/** Every asset class that has its own objectives, each with the disaster that threatens it. */
export const ASSET_CLASSES = {
    cluster: "EKS cluster configuration (EKS region outage)",
    gitops: "Argo CD configuration (Argo CD loss)",
    database: "RDS PostgreSQL databases (database loss)",
    volumes: "EBS persistent volumes (volume or database loss)",
    charts: "Helm chart tarballs and release history (bad Helm release)",
    state: "infrastructure state and its lock table (state loss or corruption)",
    source: "the GitHub platform repository (GitHub loss or compromise)",
} as const;

/** The name of one asset class, e.g. `database`. */
export type AssetClass = keyof typeof ASSET_CLASSES;

/** The names of every asset class, in a stable order. */
export const ASSET_CLASS_NAMES = Object.keys(ASSET_CLASSES) as AssetClass[];

/** The recovery objectives of one asset class. */
export interface RecoveryObjective {
    /** Recovery point objective: the most data, in minutes, that a disaster may lose. */
    readonly rpoMinutes: number;
    /** Recovery time objective: the longest, in minutes, that the asset may be unavailable. */
    readonly rtoMinutes: number;
}

/** Objectives for every asset class: the stack-wide pair with any per-class override applied. */
export type RecoveryObjectives = Readonly<Record<AssetClass, RecoveryObjective>>;

/** True when `name` names an asset class. */
export function isAssetClass(name: string): name is AssetClass {
    return Object.prototype.hasOwnProperty.call(ASSET_CLASSES, name);
}
