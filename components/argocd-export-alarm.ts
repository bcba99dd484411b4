import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { exportStaleAlarmName } from "../lib/argocd";
import { silenceAlarmInputs } from "../lib/silence-alarm";

/** CloudWatch namespace and metric the export job reports each success to. */
export const EXPORT_METRIC = { namespace: "webank/dr", name: "ArgocdExportSucceeded" } as const;

/** What {@link exportStaleAlarm} watches. */
export interface ExportStaleAlarmArgs {
    /** The cluster whose exports are watched (the metric's `Cluster` dimension). */
    clusterName: string;
    /** The export period, in minutes. */
    periodMinutes: number;
    /** Topic of the alarm and OK notifications. */
    alarmTopicArn: pulumi.Input<string>;
    /**
     * Whether the export job is declared suspended (a DR standby). Its actions then start
     * disabled, and only the value at creation is declared.
     * @default false
     */
    suspended?: boolean;
}

/**
 * A dead man's switch on a cluster's Argo CD exports: fires when no export succeeded for two
 * periods, whether the job failed, never ran, or the cluster is gone. While the job is
 * suspended it would fire all the time and teach everyone to ignore it, so its actions start
 * disabled; the command that resumes the job enables them (automation/commands/shared/
 * argocd-exports.ts), and the program then leaves them alone (ignoreChanges), as it does the
 * job's `spec.suspend`. Named {@link exportStaleAlarmName} so those commands can find it.
 */
export function exportStaleAlarm(
    name: string,
    args: ExportStaleAlarmArgs,
    opts: pulumi.CustomResourceOptions,
): aws.cloudwatch.MetricAlarm {
    const suspended = args.suspended ?? false;
    return new aws.cloudwatch.MetricAlarm(
        name,
        {
            name: exportStaleAlarmName(args.clusterName),
            actionsEnabled: !suspended,
            alarmDescription: `No Argo CD export of ${args.clusterName} succeeded in ${2 * args.periodMinutes} minutes`,
            namespace: EXPORT_METRIC.namespace,
            metricName: EXPORT_METRIC.name,
            dimensions: { Cluster: args.clusterName },
            statistic: "Sum",
            // Twice the period, split into periods of at most a day (lib/silence-alarm.ts).
            ...silenceAlarmInputs(args.periodMinutes),
            comparisonOperator: "LessThanThreshold",
            threshold: 1,
            treatMissingData: "breaching",
            alarmActions: [args.alarmTopicArn],
            okActions: [args.alarmTopicArn],
        },
        suspended ? { ...opts, ignoreChanges: ["actionsEnabled"] } : opts,
    );
}
