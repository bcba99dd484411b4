/**
 * Argo CD names that both the program (components/argocd.ts) and the recovery commands
 * (backup, failover, restore argocd and git) use, so they are written once.
 */

/** Namespace Argo CD runs in. */
export const ARGOCD_NAMESPACE = "argocd";

/** Name of the export CronJob (the backup command runs it on demand). */
export const EXPORT_CRONJOB_NAME = "argocd-export";

/**
 * Physical name of a cluster's stale-export alarm (CloudWatch): the recovery commands that
 * resume a suspended export job enable its actions by this name.
 */
export function exportStaleAlarmName(clusterName: string): string {
    return `${clusterName}-argocd-export-stale`;
}

/** Name of the root app (app of apps) that follows the platform repository. */
export const ROOT_APP_NAME = "platform";

/** How long one export job may run: half its period, at least five minutes. */
export function exportDeadlineSeconds(periodMinutes: number): number {
    return Math.max(300, (periodMinutes * 60) / 2);
}

/**
 * Fewest nodes Argo CD's HA mode can be scheduled on. The argo-cd chart's README ("High
 * Availability", argo-helm charts/argo-cd/README.md at argo-cd-9.1.0) warns: "You need at least
 * 3 worker nodes as the HA mode of redis enforces Pods to run on separate nodes"; its values.yaml
 * sets `redis-ha.hardAntiAffinity: true` and `redis-ha.haproxy.hardAntiAffinity: true`. On fewer
 * nodes a Redis pod stays Pending, the atomic release times out and Helm rolls it back.
 */
export const ARGOCD_HA_MIN_NODES = 3;

/**
 * Values of `webank:argocdHighAvailability`: `auto` (HA exactly when the node group keeps at least
 * {@link ARGOCD_HA_MIN_NODES} nodes), `on` (HA required; config refused where the nodes cannot
 * hold it) or `off` (single replicas and plain Redis everywhere).
 */
export const ARGOCD_HA_MODES = ["auto", "on", "off"] as const;

/** One of {@link ARGOCD_HA_MODES}. */
export type ArgocdHaMode = (typeof ARGOCD_HA_MODES)[number];

/**
 * Nodes a standby cluster keeps before activation: `warmNodeCount` on a warm standby; on a hot
 * standby at least {@link ARGOCD_HA_MIN_NODES}, so that Argo CD runs its HA values there before
 * the failover needs it (the hot posture promises a platform ready to serve).
 */
export function standbyNodeCount(warmNodeCount: number, hot: boolean): number {
    return hot ? Math.max(warmNodeCount, ARGOCD_HA_MIN_NODES) : warmNodeCount;
}

/**
 * Nodes Argo CD can count on: the node group's minimum size when serving (the desired size can
 * be scaled in down to it, and hard anti-affinity must still hold then), the
 * {@link standbyNodeCount} on a standby (stacks/platform.ts gives it that many as desired,
 * minimum and launch size).
 */
export function argocdNodeCount(
    cluster: { readonly nodes: { readonly min: number }; readonly warmNodeCount: number },
    serving: boolean,
    hot = false,
): number {
    return serving ? cluster.nodes.min : standbyNodeCount(cluster.warmNodeCount, hot);
}

/** Why `mode` cannot run on `nodeCount` nodes, as a "must" requirement; undefined when it can. */
export function argocdHaProblem(mode: ArgocdHaMode, nodeCount: number): string | undefined {
    return mode === "on" && nodeCount < ARGOCD_HA_MIN_NODES
        ? `be auto or off where Argo CD gets ${nodeCount} node(s): its HA Redis needs at least ` +
              `${ARGOCD_HA_MIN_NODES} nodes (hard pod anti-affinity), so the release would roll back`
        : undefined;
}

/** Whether Argo CD runs its HA values under `mode` on `nodeCount` nodes. */
export function argocdHighAvailability(mode: ArgocdHaMode, nodeCount: number): boolean {
    return mode === "auto" ? nodeCount >= ARGOCD_HA_MIN_NODES : mode === "on";
}

/** Name of the Secret Argo CD keeps its own settings in (argo-cd common/common.go `ArgoCDSecretName`). */
export const ARGOCD_SECRET_NAME = "argocd-secret";

/**
 * Label that makes a Secret part of Argo CD's configuration: repository, repo-creds and cluster
 * Secrets carry it (argo-cd common/common.go `LabelKeySecretType`, v3.2.0).
 */
export const SECRET_TYPE_LABEL = "argocd.argoproj.io/secret-type";

/** What {@link exportedByArgocdAdmin} reads of a Secret. */
export interface SecretIdentity {
    /** `metadata.name`. */
    readonly name: string;
    /** `metadata.namespace`. */
    readonly namespace: string;
    /** `metadata.labels`. @default none */
    readonly labels?: Readonly<Record<string, string>>;
    /** `metadata.annotations`. @default none */
    readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * Whether `argocd admin export -n <namespace>` writes this Secret. The rule is argo-cd v3.2.0's:
 * cmd/argocd/commands/admin/backup.go lists the Secrets of the namespace it is given and exports
 * those for which admin.go `isArgoCDSecret` holds: the name is `argocd-secret`, or the label
 * `argocd.argoproj.io/secret-type` is present (any value), or the annotation `managed-by` is
 * `argocd.argoproj.io`. Any other Secret (e.g. one with only `app.kubernetes.io/part-of: argocd`)
 * is silently left out of the export, and so out of the restore.
 */
export function exportedByArgocdAdmin(secret: SecretIdentity, namespace = ARGOCD_NAMESPACE): boolean {
    return (
        secret.namespace === namespace &&
        (secret.name === ARGOCD_SECRET_NAME ||
            SECRET_TYPE_LABEL in (secret.labels ?? {}) ||
            secret.annotations?.["managed-by"] === "argocd.argoproj.io")
    );
}
