/*
 * The world's data as plain JSON: what `world.json` holds, and the part of the live world
 * that is plain already (clusters, jobs, remotes...). Times are ISO-8601 strings, bodies
 * UTF-8 text (or base64 when they are not text). Code (stack programs, command handlers,
 * faults) is never data: it stays with the process.
 */

/** The two regions, as the ports name them. */
export type Side = "home" | "dr";

/** A change the world makes by itself when its time comes (a job finishing, an instance becoming available). */
export type ScheduledEvent =
    | { readonly type: "rds-available"; readonly side: Side; readonly identifier: string }
    | { readonly type: "rds-snapshot-available"; readonly side: Side; readonly identifier: string }
    | { readonly type: "backup-job-complete"; readonly side: Side; readonly jobId: string }
    | { readonly type: "copy-job-complete"; readonly side: Side; readonly jobId: string }
    | { readonly type: "build-complete"; readonly buildId: string }
    | { readonly type: "kube-job-complete"; readonly cluster: string; readonly job: string };

/** An event and when it happens. */
export interface Scheduled {
    /** When (ISO-8601). */
    readonly at: string;
    /** What. */
    readonly event: ScheduledEvent;
}

/** An AWS Backup job (StartBackupJob). */
export interface BackupJobState {
    readonly jobId: string;
    readonly side: Side;
    readonly idempotencyToken: string;
    readonly vaultName: string;
    readonly resourceArn: string;
    readonly createdAt: string;
    /** `RUNNING`, then `COMPLETED` (AWS Backup `BackupJobState`). */
    state: "RUNNING" | "COMPLETED";
    /** The recovery point it makes (known from the start, listed once COMPLETED). */
    readonly recoveryPointArn: string;
}

/** An AWS Backup copy job (StartCopyJob). */
export interface CopyJobState {
    readonly jobId: string;
    /** The source vault's side. */
    readonly side: Side;
    readonly idempotencyToken: string;
    readonly sourceRecoveryPointArn: string;
    readonly destinationVaultArn: string;
    readonly createdAt: string;
    /** `RUNNING`, then `COMPLETED` (AWS Backup `CopyJobState`). */
    state: "RUNNING" | "COMPLETED";
    readonly destinationRecoveryPointArn: string;
}

/** A CodeBuild build of the mirror project. */
export interface BuildState {
    readonly id: string;
    readonly project: string;
    readonly startedAt: string;
    /** CodeBuild `buildStatus`. */
    status: "IN_PROGRESS" | "SUCCEEDED";
}

/** The mirror CodeBuild project: what it clones and where it writes the bundle, and its schedule. */
export interface MirrorProjectState {
    /** The repository it clones (`git clone --mirror`). */
    readonly sourceUrl: string;
    /** Where the bundle goes: the home artifact bucket. */
    readonly side: Side;
    readonly bucket: string;
    readonly prefix: string;
    /** The EventBridge schedule's period. */
    readonly periodMinutes: number;
    /** The last scheduled run (ISO-8601). */
    lastRunAt: string;
}

/** An S3 replication rule: every new version of `source` is replicated to `destination`. */
export interface ReplicationRule {
    readonly source: { readonly side: Side; readonly bucket: string };
    readonly destination: { readonly side: Side; readonly bucket: string };
}

/** A scheduled AWS Backup plan rule: a recovery point of each resource every period, copied to another vault. */
export interface BackupPlanState {
    readonly side: Side;
    readonly vaultName: string;
    readonly resources: readonly string[];
    readonly periodMinutes: number;
    /** The last run (ISO-8601). */
    lastRunAt: string;
    /** The copy action's destination. */
    readonly copyTo?: { readonly side: Side; readonly vaultName: string };
}

/** One revision of a Helm release (what `helm history` lists). */
export interface HelmRevisionState {
    readonly revision: number;
    /** `deployed`, `superseded`, `failed`, `pending-rollback`... */
    status: string;
    /** `<chart name>-<chart version>`. */
    readonly chart: string;
    readonly appVersion: string;
    readonly description: string;
    /** When it was deployed (ISO-8601). */
    readonly updated: string;
}

/** A Helm release: its name, namespace, first deployment and revisions, oldest first. */
export interface HelmReleaseState {
    readonly name: string;
    readonly namespace: string;
    readonly firstDeployed: string;
    readonly revisions: HelmRevisionState[];
}

/** A Kubernetes object as JSON (Argo CD's ConfigMaps, Secrets, AppProjects, Applications). */
export type KubeObject = { [key: string]: unknown };

/** A Job on a cluster (`kubectl create job --from=cronjob/...`, or the CronJob's own). */
export interface KubeJobState {
    readonly name: string;
    readonly namespace: string;
    readonly fromCronJob: string;
    readonly createdAt: string;
    /** When it completed (ISO-8601), once it has. */
    completedAt?: string;
}

/** A CronJob on a cluster and its schedule. */
export interface CronJobState {
    readonly name: string;
    readonly namespace: string;
    readonly periodMinutes: number;
    /** Kubernetes' `status.lastScheduleTime` (ISO-8601). */
    lastScheduleTime: string;
}

/** An EKS cluster and what runs on it. */
export interface ClusterState {
    readonly name: string;
    readonly side: Side;
    readonly arn: string;
    /** Argo CD's objects by kind and name, once Argo CD is installed. */
    argocd?: Record<string, Record<string, KubeObject>>;
    /** Helm releases by `<namespace>/<name>`. */
    readonly helm: Record<string, HelmReleaseState>;
    /** CronJobs by `<namespace>/<name>`. */
    readonly cronJobs: Record<string, CronJobState>;
    /** Jobs by `<namespace>/<name>`. */
    readonly jobs: Record<string, KubeJobState>;
    /** Where the Argo CD export CronJob writes. */
    readonly exportTo: { readonly side: Side; readonly bucket: string; readonly prefix: string };
}

/** The operator's kubeconfig: contexts by name, each naming a cluster by its ARN. */
export interface KubeconfigState {
    /** Where it is, for the messages of `aws eks update-kubeconfig`. */
    readonly path: string;
    currentContext?: string;
    readonly contexts: Record<string, string>;
}

/** A Git repository: its refs (`refs/heads/...`, `refs/tags/...`) and the branch HEAD points at. */
export interface GitRepositoryState {
    readonly refs: Record<string, string>;
    head?: string;
}

/** The part of the world that is plain JSON as it lives. */
export interface PlainState {
    /** The seed counter of every generated id. */
    sequence: number;
    /** Pending events, in no particular order. */
    scheduled: Scheduled[];
    readonly backupJobs: Record<string, BackupJobState>;
    readonly copyJobs: Record<string, CopyJobState>;
    readonly builds: Record<string, BuildState>;
    readonly mirrorProjects: Record<string, MirrorProjectState>;
    readonly replication: ReplicationRule[];
    /** Automated-backup replication into the DR region, by source identifier: how far behind it trails. */
    readonly rdsReplication: Record<string, { readonly lagMinutes: number }>;
    readonly backupPlans: BackupPlanState[];
    readonly clusters: Record<string, ClusterState>;
    readonly kubeconfig: KubeconfigState;
    /** Remotes by URL, and local clones (the operator's machine) by directory. */
    readonly git: {
        readonly remotes: Record<string, GitRepositoryState>;
        readonly clones: Record<string, GitRepositoryState>;
    };
}

/** An empty plain state. */
export function emptyState(kubeconfigPath: string): PlainState {
    return {
        sequence: 0,
        scheduled: [],
        backupJobs: {},
        copyJobs: {},
        builds: {},
        mirrorProjects: {},
        replication: [],
        rdsReplication: {},
        backupPlans: [],
        clusters: {},
        kubeconfig: { path: kubeconfigPath, contexts: {} },
        git: { remotes: {}, clones: {} },
    };
}
