import { ARGOCD_NAMESPACE, EXPORT_CRONJOB_NAME, exportStaleAlarmName } from "../../../lib/argocd";

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

/**
 * The `aws` arguments that enable the actions of a cluster's stale-export alarm, which a
 * suspended export job's alarm is declared without (components/argocd-export-alarm.ts).
 */
export function enableExportAlarmArgs(clusterName: string, region: string): string[] {
    return [
        "cloudwatch",
        "enable-alarm-actions",
        "--region",
        region,
        "--alarm-names",
        exportStaleAlarmName(clusterName),
    ];
}

/** The cluster an EKS kube context names, when it is the cluster's ARN (`aws eks update-kubeconfig`'s default context). */
export function clusterOfContext(context: string | undefined): { name: string; region: string } | undefined {
    // EKS user guide, "Connect kubectl to an EKS cluster": the context is the cluster ARN, arn:aws:eks:region:account:cluster/name;
    // a name starts with a letter or digit (EKS API reference, CreateCluster name pattern ^[0-9A-Za-z][A-Za-z0-9\-_]*).
    const match = /^arn:aws[a-z-]*:eks:([a-z0-9-]+):\d{12}:cluster\/([0-9A-Za-z][A-Za-z0-9_-]*)$/.exec(
        context ?? "",
    );
    return match ? { region: match[1], name: match[2] } : undefined;
}
