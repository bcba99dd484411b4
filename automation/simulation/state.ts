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
    | { readonly type: "kube-job-complete"; readonly cluster: string; readonly job: string }
    | { readonly type: "argocd-synced"; readonly cluster: string }
    | {
          readonly type: "plan-point-listed";
          readonly side: Side;
          readonly vaultName: string;
          /** The recovery point, its creation time as ISO-8601 (the world's data is plain JSON). */
          readonly point: { readonly arn: string; readonly resourceArn: string; readonly createdAt: string };
      };

/** An event and when it happens. */
export interface Scheduled {
    /** When (ISO-8601). */
    readonly at: string;
    /** What. */
    readonly event: ScheduledEvent;
}

/** An AWS Backup job (StartBackupJob). */
export interface BackupJobState {
    /** AWS Backup job id (`BackupJobId`: an uppercase UUID). */
    readonly jobId: string;
    /** The side of the vault it backs up into. */
    readonly side: Side;
    /** StartBackupJob `IdempotencyToken`: a repeated start with it returns this job. */
    readonly idempotencyToken: string;
    /** Name of the backup vault (`BackupVaultName`) the recovery point goes into. */
    readonly vaultName: string;
    /** ARN of the resource backed up (`ResourceArn`, e.g. an RDS DB instance ARN). */
    readonly resourceArn: string;
    /** When the job was started (ISO-8601); also the recovery point's creation time. */
    readonly createdAt: string;
    /** `RUNNING`, then `COMPLETED` (AWS Backup `BackupJobState`). */
    state: "RUNNING" | "COMPLETED";
    /** The recovery point it makes (known from the start, listed once COMPLETED). */
    readonly recoveryPointArn: string;
}

/** An AWS Backup copy job (StartCopyJob). */
export interface CopyJobState {
    /** AWS Backup copy job id (`CopyJobId`: an uppercase UUID). */
    readonly jobId: string;
    /** The source vault's side. */
    readonly side: Side;
    /** StartCopyJob `IdempotencyToken`: a repeated start with it returns this job. */
    readonly idempotencyToken: string;
    /** ARN of the recovery point copied (`SourceRecoveryPointArn`). */
    readonly sourceRecoveryPointArn: string;
    /** ARN of the vault it is copied into (`DestinationBackupVaultArn`). */
    readonly destinationVaultArn: string;
    /** When the job was started (ISO-8601); also the copy's creation time. */
    readonly createdAt: string;
    /** `RUNNING`, then `COMPLETED` (AWS Backup `CopyJobState`). */
    state: "RUNNING" | "COMPLETED";
    /** ARN of the copy it makes in the destination vault (`DestinationRecoveryPointArn`), listed once COMPLETED. */
    readonly destinationRecoveryPointArn: string;
}

/** A CodeBuild build of the mirror project or of a deploy runner. */
export interface BuildState {
    /** CodeBuild build id (`<project name>:<UUID>`). */
    readonly id: string;
    /** Name of the CodeBuild project it builds (a key of `mirrorProjects` or `deployProjects`). */
    readonly project: string;
    /** When it started (ISO-8601); the bundle's key is stamped with it. */
    readonly startedAt: string;
    /** CodeBuild `buildStatus`. */
    status: "IN_PROGRESS" | "SUCCEEDED" | "FAILED";
    /** A deploy runner's build: what it runs, on which version of its source archive. */
    readonly deploy?: {
        readonly command: string;
        readonly sourceVersion: string;
        /** StartBuild's idempotencyToken. */
        readonly token: string;
    };
    /** Why a build FAILED: the end of its log. */
    failure?: string;
}

/** A deploy runner project (components/deploy-runner.ts): the stack it deploys and where it reads the source. */
export interface DeployProjectState {
    /** The stack it deploys (WEBANK_STACK). */
    readonly stack: string;
    /** Its region. */
    readonly side: Side;
    /** The artifact bucket of its region, which holds `deploy-sources/<stack>.zip`. */
    readonly bucket: string;
    /** The source archive's key. */
    readonly key: string;
}

/** The mirror CodeBuild project: what it clones and where it writes the bundle, and its schedule. */
export interface MirrorProjectState {
    /** The repository it clones (`git clone --mirror`). */
    readonly sourceUrl: string;
    /** Where the bundle goes: the home artifact bucket. */
    readonly side: Side;
    /** Name of the S3 artifact bucket the bundle is uploaded to. */
    readonly bucket: string;
    /** S3 key prefix of the bundles (`git-bundles/<owner>/<name>/`); each is `<prefix><UTC stamp>.bundle`. */
    readonly prefix: string;
    /** The EventBridge schedule's period. */
    readonly periodMinutes: number;
    /** The last scheduled run (ISO-8601). */
    lastRunAt: string;
}

/** An S3 replication rule: every new version of `source` is replicated to `destination`. */
export interface ReplicationRule {
    /** The replicated S3 bucket and its side. */
    readonly source: { readonly side: Side; readonly bucket: string };
    /** The S3 bucket it replicates to (the rule's destination) and its side. */
    readonly destination: { readonly side: Side; readonly bucket: string };
}

/** A scheduled AWS Backup plan rule: a recovery point of each resource every period, copied to another vault. */
export interface BackupPlanState {
    /** The side of the plan and its vault. */
    readonly side: Side;
    /** Name of the backup vault the rule writes recovery points to (`TargetBackupVaultName`). */
    readonly vaultName: string;
    /** ARNs of the resources the plan's selection assigns. */
    readonly resources: readonly string[];
    /** The rule's schedule period, in minutes. */
    readonly periodMinutes: number;
    /** The last run (ISO-8601). */
    lastRunAt: string;
    /** The copy action's destination. */
    readonly copyTo?: { readonly side: Side; readonly vaultName: string };
}

/** What the simulated AWS Backup keeps of EKS backups and restores. */
export interface EksBackupState {
    /** By composite recovery point ARN: the CronJobs (`<namespace>/<name>`) and Argo CD Applications the cluster state held. */
    readonly contents: Record<
        string,
        {
            readonly cronJobs: Record<string, CronJobState>;
            readonly applications: Record<string, KubeObject>;
        }
    >;
    /** Restore jobs by id (an uppercase UUID, as StartRestoreJob's `RestoreJobId`). */
    readonly restoreJobs: Record<string, EksRestoreJobState>;
}

/** A simulated EKS restore job: RUNNING until `completesAt`, then COMPLETED (its objects applied). */
export interface EksRestoreJobState {
    /** The job id. */
    readonly id: string;
    /** The side (region) it runs in: the vault's. */
    readonly side: Side;
    /** StartRestoreJob `IdempotencyToken`. */
    readonly idempotencyToken: string;
    /** The composite recovery point restored. */
    readonly recoveryPointArn: string;
    /** The target cluster (metadata `clusterName`). */
    readonly clusterName: string;
    /** `namespaces` of a namespace-level restore; absent for the whole cluster. @default all */
    readonly namespaces?: readonly string[];
    /** When it was started (ISO-8601). */
    readonly createdAt: string;
    /** When it completes (ISO-8601): its start plus `background.backup.restore` of the duration model. */
    readonly completesAt: string;
    /** RUNNING, COMPLETED or FAILED. */
    status: "RUNNING" | "COMPLETED" | "FAILED";
    /** The message of a FAILED job. @default none */
    statusMessage?: string;
}

/** One revision of a Helm release (what `helm history` lists). */
export interface HelmRevisionState {
    /** Helm revision number, from 1. */
    readonly revision: number;
    /** `deployed`, `superseded`, `failed`, `pending-rollback`... */
    status: string;
    /** `<chart name>-<chart version>`. */
    readonly chart: string;
    /** The chart's appVersion (`helm history`'s `APP VERSION`). */
    readonly appVersion: string;
    /** Helm's description of the revision, e.g. `Install complete`, `Upgrade complete`, `Rollback to 1`. */
    readonly description: string;
    /** When it was deployed (ISO-8601). */
    readonly updated: string;
}

/** A Helm release: its name, namespace, first deployment and revisions, oldest first. */
export interface HelmReleaseState {
    /** Helm release name. */
    readonly name: string;
    /** Kubernetes namespace it is installed in. */
    readonly namespace: string;
    /** When it was first deployed (ISO-8601, Helm's `first_deployed`). */
    readonly firstDeployed: string;
    /** Its revisions, oldest first. */
    readonly revisions: HelmRevisionState[];
}

/** A Kubernetes object as JSON (Argo CD's ConfigMaps, Secrets, AppProjects, Applications). */
export type KubeObject = { [key: string]: unknown };

/** A Job on a cluster (`kubectl create job --from=cronjob/...`, or the CronJob's own). */
export interface KubeJobState {
    /** Kubernetes Job name. */
    readonly name: string;
    /** Kubernetes namespace of the Job. */
    readonly namespace: string;
    /** Name of the CronJob it was made from (its own run, or `--from=cronjob/<name>`). */
    readonly fromCronJob: string;
    /** When it was created (ISO-8601). */
    readonly createdAt: string;
    /** When it completed (ISO-8601), once it has. */
    completedAt?: string;
}

/** A CronJob on a cluster and its schedule. */
export interface CronJobState {
    /** Kubernetes CronJob name. */
    readonly name: string;
    /** Kubernetes namespace of the CronJob. */
    readonly namespace: string;
    /** Its schedule's period, in minutes. */
    readonly periodMinutes: number;
    /** Kubernetes' `status.lastScheduleTime` (ISO-8601). */
    lastScheduleTime: string;
    /** `spec.suspend`: no scheduled Job while true (components/argocd.ts suspendExport). @default false */
    suspend?: boolean;
}

/** An EKS cluster and what runs on it. */
export interface ClusterState {
    /** EKS cluster name. */
    readonly name: string;
    /** The side (region) the cluster runs in. */
    readonly side: Side;
    /** EKS cluster ARN (`arn:aws:eks:<region>:<account>:cluster/<name>`). */
    readonly arn: string;
    /** Argo CD's objects by kind and name, once Argo CD is installed. */
    argocd?: Record<string, Record<string, KubeObject>>;
    /** Helm releases by `<namespace>/<name>`. */
    readonly helm: Record<string, HelmReleaseState>;
    /**
     * Namespaces whose Deployments and StatefulSets `kubectl scale --replicas=0` scaled to zero
     * (simulation/kubectl-freeze.ts); absent or empty: every workload runs. @default []
     */
    scaledToZero?: string[];
    /** CronJobs by `<namespace>/<name>`. */
    readonly cronJobs: Record<string, CronJobState>;
    /** Jobs by `<namespace>/<name>`. */
    readonly jobs: Record<string, KubeJobState>;
    /** Where the Argo CD export CronJob writes. */
    readonly exportTo: { readonly side: Side; readonly bucket: string; readonly prefix: string };
    /** A root app created but not synced yet (simulation/argocd-apps.ts), and what it will create. */
    pendingRootApp?: RootAppSource;
}

/** Where the root app points and what it makes: the root app, then one Application per name under its path. */
export interface RootAppSource {
    /** Repository URL (Application `spec.source.repoURL`). */
    readonly repoURL: string;
    /** Branch, tag or commit (`spec.source.targetRevision`). */
    readonly revision: string;
    /** Path of the app of apps (`spec.source.path`). */
    readonly path: string;
    /** The Applications the root app creates, besides itself. */
    readonly applications: readonly string[];
}

/** The operator's kubeconfig: contexts by name, each naming a cluster by its ARN. */
export interface KubeconfigState {
    /** Where it is, for the messages of `aws eks update-kubeconfig`. */
    readonly path: string;
    /** Name of the current context (`current-context`), when one is set. */
    currentContext?: string;
    /** Contexts by name, each the ARN of the EKS cluster it points at. */
    readonly contexts: Record<string, string>;
}

/** A Git repository: its refs (`refs/heads/...`, `refs/tags/...`) and the branch HEAD points at. */
export interface GitRepositoryState {
    /** Commit SHA-1 (40 hexadecimal digits) of each ref, by full ref name. */
    readonly refs: Record<string, string>;
    /** The ref HEAD points at (e.g. `refs/heads/main`), when it has one. */
    head?: string;
}

/** The part of the world that is plain JSON as it lives. */
export interface PlainState {
    /** The seed counter of every generated id. */
    sequence: number;
    /** Pending events, in no particular order. */
    scheduled: Scheduled[];
    /** AWS Backup jobs by job id. */
    readonly backupJobs: Record<string, BackupJobState>;
    /** AWS Backup copy jobs by job id. */
    readonly copyJobs: Record<string, CopyJobState>;
    /** CodeBuild builds by build id. */
    readonly builds: Record<string, BuildState>;
    /** Mirror CodeBuild projects by project name. */
    readonly mirrorProjects: Record<string, MirrorProjectState>;
    /** Deploy runner CodeBuild projects by project name. */
    readonly deployProjects: Record<string, DeployProjectState>;
    /** S3 replication rules between the regions' buckets. */
    readonly replication: ReplicationRule[];
    /** Automated-backup replication into the DR region, by source identifier: how far behind it trails. */
    readonly rdsReplication: Record<string, { readonly lagMinutes: number }>;
    /** Scheduled AWS Backup plan rules. */
    readonly backupPlans: BackupPlanState[];
    /**
     * EKS backups (simulation/backup-eks.ts): what each composite recovery point holds of its
     * cluster, and the restore jobs started from them. Optional: documents written before
     * `restore cluster` existed have neither. @default {}
     */
    eks?: EksBackupState;
    /** EKS clusters by name. */
    readonly clusters: Record<string, ClusterState>;
    /** The operator's kubeconfig. */
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
        deployProjects: {},
        replication: [],
        rdsReplication: {},
        backupPlans: [],
        clusters: {},
        kubeconfig: { path: kubeconfigPath, contexts: {} },
        git: { remotes: {}, clones: {} },
    };
}
