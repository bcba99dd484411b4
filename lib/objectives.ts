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

/** The smallest RPO AWS can deliver for an asset class, and why. */
export interface RpoFloor {
    /** Minutes. */
    readonly minutes: number;
    /** The AWS mechanism that sets the floor, for the error message. */
    readonly reason: string;
}

/**
 * RPO floors of the asset classes whose recovery mechanism has one. An objective below its
 * floor cannot be met whatever the retention, so it is refused rather than promised.
 */
export const RPO_FLOORS: Partial<Readonly<Record<AssetClass, RpoFloor>>> = {
    database: {
        minutes: 5,
        reason: "RDS uploads transaction logs every 5 minutes, so point-in-time recovery can lose up to 5 minutes",
    },
};
