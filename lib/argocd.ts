/**
 * Argo CD names that both the program (components/argocd.ts) and the recovery commands
 * (backup, failover, restore argocd and git) use, so they are written once.
 */

/** Namespace Argo CD runs in. */
export const ARGOCD_NAMESPACE = "argocd";

/** Name of the export CronJob (the backup command runs it on demand). */
export const EXPORT_CRONJOB_NAME = "argocd-export";

/** Name of the root app (app of apps) that follows the platform repository. */
export const ROOT_APP_NAME = "platform";

/** How long one export job may run: half its period, at least five minutes. */
export function exportDeadlineSeconds(periodMinutes: number): number {
    return Math.max(300, (periodMinutes * 60) / 2);
}
