import { ARGOCD_NAMESPACE, EXPORT_CRONJOB_NAME } from "../../../lib/argocd";

/*
 * The DR cluster's Argo CD export CronJob is declared suspended (stacks/platform.ts): an
 * export of a half-restored Argo CD must never become the newest export (argocd-operator#205).
 * Whatever brings that Argo CD back to a verified state resumes it: `restore argocd` after
 * its import is verified, and `failover` once every application reports Healthy.
 */

/** The merge patch that unsuspends a CronJob (Kubernetes CronJob `spec.suspend`). */
export const SUSPEND_OFF = JSON.stringify({ spec: { suspend: false } });

/** The `kubectl` arguments that resume the export CronJob, on `context` when one is named. */
export function resumeExportsArgs(context?: string): string[] {
    return [
        "-n",
        ARGOCD_NAMESPACE,
        "patch",
        "cronjob",
        EXPORT_CRONJOB_NAME,
        "--type=merge",
        "-p",
        SUSPEND_OFF,
        ...(context ? ["--context", context] : []),
    ];
}
