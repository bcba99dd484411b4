/**
 * The ports the recovery commands reach Pulumi, AWS and the cluster tools through. The CLI
 * wires real adapters (automation/adapters/) or the simulated account (automation/simulation/);
 * tests and the benchmark wire the simulation too. Every method that changes something says so; none deletes data.
 */

import type { ClusterRestorePort } from "./cluster-restore-ports";
import type { DataPort, DataTarget } from "./data-ports";
import type { DeployRunnerPort, DeploySource, LogPage, RecoveryRun, RunnerBuildState } from "./deploy-ports";
import type { ReadReplica, ReplicaLagDatapoint, ReplicaPort } from "./replica-ports";
import type { TrafficPort, TrafficSwitchState } from "./traffic-ports";

export type {
    ClusterRestorePort,
    DataPort,
    DataTarget,
    DeployRunnerPort,
    DeploySource,
    LogPage,
    ReadReplica,
    RecoveryRun,
    RunnerBuildState,
    ReplicaLagDatapoint,
    ReplicaPort,
    TrafficPort,
    TrafficSwitchState,
};

/** Options of a `pulumi up` run through a port. */
export interface UpOptions {
    /** Streams the engine's output lines. */
    readonly onOutput: (line: string) => void;
    /** Resource operations Pulumi runs at once (`--parallel`). Default: Pulumi's own. */
    readonly parallel?: number;
}

/** What a `pulumi refresh` reads. */
export interface RefreshOptions {
    /** Only these resources, by URN (`pulumi refresh --target <URN>`). @default every resource of the stack */
    readonly targets?: readonly string[];
}

/** One Pulumi stack, through the Automation API. */
export interface StackPort {
    /** The stack name, e.g. `dr`. */
    readonly name: string;
    /** Reads one config value of the stack (`webank:<key>`), or undefined. */
    getConfig(key: string): Promise<string | undefined>;
    /** Sets config values (plain: none of the keys the recovery commands set is a secret). */
    setConfig(values: Readonly<Record<string, string>>): Promise<void>;
    /** Removes config keys (`pulumi config rm`); a key that is not set is no error. */
    removeConfig(keys: readonly string[]): Promise<void>;
    /**
     * `pulumi refresh`, streaming its output; with `targets` (URNs, lib/stack-urns.ts) only
     * those resources (`--target`).
     */
    refresh(onOutput: (line: string) => void, options?: RefreshOptions): Promise<void>;
    /** `pulumi up`; returns the stack outputs, secret ones replaced by `[secret]`. */
    up(options: UpOptions): Promise<Record<string, unknown>>;
    /** The current stack outputs, secret ones replaced by `[secret]`. */
    outputs(): Promise<Record<string, unknown>>;
    /** `pulumi stack export`: the deployment as JSON text (secrets stay encrypted in it). */
    exportState(): Promise<string>;
    /** `pulumi stack import` of a deployment's JSON text. Changes the stack's state. */
    importState(deployment: string): Promise<void>;
    /** `pulumi destroy`. Only drills call it, and only on their own disposable stack. */
    destroy(onOutput: (line: string) => void): Promise<void>;
}

/** The project's Pulumi workspace: its stacks. */
export interface WorkspacePort {
    /** Selects an existing stack; throws naming the stack when it cannot be reached. */
    selectStack(name: string): Promise<StackPort>;
    /** Creates a new stack (a drill's). Throws when it exists. */
    createStack(name: string): Promise<StackPort>;
    /** Removes a stack that has no resources left (a drill's, after destroy). */
    removeStack(name: string): Promise<void>;
    /**
     * The program as a deploy runner takes it (`deploy-sources/<stack>.zip`): the committed
     * project at HEAD with the stack's settings file as it is now in the workspace (a recovery
     * command has just set config in it). Reads only; throws when there is no commit or no file.
     */
    deploySource(stackName: string): Promise<DeploySource>;
}

/** Automated backups replicated into the DR region, as RDS describes them. */
export interface ReplicatedBackups {
    /** ARN of the replicated automated backups. */
    readonly arn: string;
    /** Earliest time they can restore to. */
    readonly earliest: Date;
    /** Latest time they can restore to. */
    readonly latest: Date;
}

/** What the recovery commands need to know of an RDS instance. */
export interface DatabaseInstance {
    /** DB instance identifier. */
    readonly identifier: string;
    /** ARN. */
    readonly arn: string;
    /** Status, e.g. `available`. */
    readonly status: string;
    /** Endpoint `host:port`, once RDS has one. */
    readonly endpoint?: string;
    /** Latest time a point-in-time restore can reach. */
    readonly latestRestorableTime?: Date;
    /** Instance class, e.g. `db.r6g.large`. */
    readonly instanceClass: string;
    /** DB subnet group name. */
    readonly subnetGroupName?: string;
    /** VPC security group ids. */
    readonly securityGroupIds: readonly string[];
    /** DB parameter group name. */
    readonly parameterGroupName?: string;
    /** Multi-AZ. */
    readonly multiAz: boolean;
    /** Deletion protection. */
    readonly deletionProtection: boolean;
}

/** RDS in one region. */
export interface DatabasePort {
    /** The region. */
    readonly region: string;
    /** Automated backups of `sourceIdentifier` replicated into this region, or undefined when there are none. */
    replicatedBackups(sourceIdentifier: string): Promise<ReplicatedBackups | undefined>;
    /** The instance, or undefined when it does not exist. */
    describeInstance(identifier: string): Promise<DatabaseInstance | undefined>;
    /**
     * Starts a point-in-time restore of `sourceIdentifier` into a new instance `targetIdentifier`
     * with the network, parameter and protection settings of `like`. Creates; changes nothing existing.
     */
    restoreToPointInTime(
        sourceIdentifier: string,
        targetIdentifier: string,
        time: Date | "latest",
        like: DatabaseInstance,
    ): Promise<void>;
    /** Renames an instance (its endpoint follows the name): the cut-over of an in-place restore. */
    renameInstance(identifier: string, newIdentifier: string): Promise<void>;
    /** Waits until the instance is available; throws with what to do next on timeout. */
    waitAvailable(identifier: string, timeoutMinutes: number): Promise<void>;
    /** Takes a manual snapshot and waits until it is available; returns its ARN. */
    createSnapshot(
        instanceIdentifier: string,
        snapshotIdentifier: string,
        timeoutMinutes: number,
    ): Promise<string>;
    /**
     * Copies a snapshot from another region into this one, encrypted with `kmsKeyId` (a key of
     * this region), and waits until the copy is available; returns the copy's ARN.
     */
    copySnapshot(
        sourceSnapshotArn: string,
        targetIdentifier: string,
        kmsKeyId: string,
        timeoutMinutes: number,
    ): Promise<string>;
}

/** An AWS Backup recovery point. */
export interface RecoveryPoint {
    /** Recovery point ARN. */
    readonly arn: string;
    /** ARN of the resource it protects. */
    readonly resourceArn: string;
    /** AWS Backup resource type, e.g. `RDS`, `EBS`, `S3`. */
    readonly resourceType: string;
    /** When it was created. */
    readonly createdAt: Date;
    /** Status, e.g. `COMPLETED`. */
    readonly status: string;
}

/** AWS Backup in one region. */
export interface BackupPort {
    /** The region. */
    readonly region: string;
    /** The newest completed recovery point in `vaultName`, optionally of one resource type or resource. */
    newestRecoveryPoint(
        vaultName: string,
        filter?: { resourceType?: string; resourceArn?: string },
    ): Promise<RecoveryPoint | undefined>;
    /** ARNs of the resources `vaultName` holds recovery points of (the protected resources). */
    protectedResources(vaultName: string): Promise<string[]>;
    /** Starts an on-demand backup job; `idempotencyToken` makes a repeated call start no second job. Returns the job id. */
    startBackupJob(job: {
        vaultName: string;
        resourceArn: string;
        iamRoleArn: string;
        idempotencyToken: string;
    }): Promise<string>;
    /** Waits for a backup job; returns its recovery point; throws on FAILED, ABORTED, EXPIRED or timeout. */
    waitBackupJob(jobId: string, timeoutMinutes: number): Promise<RecoveryPoint>;
    /** Starts copying a recovery point of this region's vault into `destinationVaultArn`. Returns the copy job id. */
    startCopyJob(job: {
        sourceVaultName: string;
        recoveryPointArn: string;
        destinationVaultArn: string;
        iamRoleArn: string;
        idempotencyToken: string;
    }): Promise<string>;
    /** Waits for a copy job; returns the destination recovery point ARN; throws on failure or timeout. */
    waitCopyJob(jobId: string, timeoutMinutes: number): Promise<string>;
}

/** One S3 object (or one version of it). */
export interface StoredObject {
    /** Key. */
    readonly key: string;
    /** Last modified. */
    readonly lastModified: Date;
    /** Size in bytes. */
    readonly size: number;
    /** Version id, when the bucket is versioned. */
    readonly versionId?: string;
    /** True for the current version. */
    readonly isLatest?: boolean;
}

/**
 * The order of {@link ObjectStorePort.currentObjects}: most recently modified first, and of
 * objects modified in the same instant the greater key first (S3's LastModified has whole
 * seconds; the artifacts' keys are UTC stamps, so the greater key is the later one).
 */
export function newestFirst(a: StoredObject, b: StoredObject): number {
    return (
        b.lastModified.getTime() - a.lastModified.getTime() || (a.key < b.key ? 1 : a.key > b.key ? -1 : 0)
    );
}

/** S3 in one region. Buckets are versioned, so a put never loses an earlier version. */
export interface ObjectStorePort {
    /** The region. */
    readonly region: string;
    /** The most recently modified object under `prefix`, or undefined when there is none. */
    newestObject(bucket: string, prefix: string): Promise<StoredObject | undefined>;
    /** Every current object under `prefix`, in {@link newestFirst} order. */
    currentObjects(bucket: string, prefix: string): Promise<StoredObject[]>;
    /** Every version of `key` (delete markers left out), newest first. */
    listVersions(bucket: string, key: string): Promise<StoredObject[]>;
    /** The object's bytes (a given version, or the current one). */
    getObject(bucket: string, key: string, versionId?: string): Promise<Buffer>;
    /** Stores an object (encrypted by the bucket's default KMS key); returns its version id (the buckets are versioned). */
    putObject(
        bucket: string,
        key: string,
        body: string | Buffer,
        contentType: string,
    ): Promise<string | undefined>;
}

/** The scheduled jobs that make recovery artifacts, triggered on demand. */
export interface JobsPort {
    /** Starts the Git mirror (a CodeBuild project) now; returns the build id. */
    startMirror(projectName: string): Promise<string>;
    /** Waits for a mirror build; throws when it fails or times out. */
    waitMirror(buildId: string, timeoutMinutes: number): Promise<void>;
}

/** The result of an external command. */
export interface CommandResult {
    /** Standard output. */
    readonly stdout: string;
}

/**
 * External tools (kubectl, argocd, helm, git), run without a shell. A non-zero exit throws an
 * error carrying the command line (arguments that are secrets must not be passed) and stderr.
 */
export interface CommandPort {
    /** Runs `command` with `args`; `stdin` is written to its standard input. */
    run(
        command: string,
        args: readonly string[],
        options?: { stdin?: string | Buffer; cwd?: string; env?: Readonly<Record<string, string>> },
    ): Promise<CommandResult>;
}

/** Who is calling AWS, as STS GetCallerIdentity answers. */
export interface CallerIdentity {
    /** The 12-digit account id. */
    readonly account: string;
    /** The caller's ARN, e.g. `arn:aws:sts::123456789012:assumed-role/webank-dr-operator/alice`. */
    readonly arn: string;
    /** The unique id of the calling entity, e.g. `AROA3XFRBF535PLBIFPI4:alice`. */
    readonly userId: string;
}

/** The caller's AWS identity. */
export interface IdentityPort {
    /** The account id (STS GetCallerIdentity). */
    accountId(): Promise<string>;
    /** The whole caller identity (STS GetCallerIdentity), for reports: who ran a recovery. */
    callerIdentity(): Promise<CallerIdentity>;
}

/** Who holds the failover lock. */
export interface LockHolder {
    /** Run id of the holder. */
    readonly owner: string;
    /** When it took the lock (ISO-8601). */
    readonly since: string;
    /** Host and user that took it. */
    readonly by: string;
}

/** A second failover was refused because another run holds the lock. */
export class FailoverLockedError extends Error {
    constructor(
        /** The run that holds the lock. */
        public readonly holder: LockHolder,
    ) {
        super(
            `another failover holds the lock since ${holder.since} (run ${holder.owner}, by ${holder.by}); ` +
                "wait for it, or resume that run with its journal. Nothing was changed.",
        );
        this.name = "FailoverLockedError";
    }
}

/** The failover lock (a conditional write: only one failover can hold it). */
export interface LockPort {
    /** Takes the lock for `owner`; the holder's own run may take it again. Throws {@link FailoverLockedError} when another run holds it. */
    acquire(owner: string): Promise<void>;
    /** Who holds the lock now, or undefined when it is free. */
    holder(): Promise<LockHolder | undefined>;
    /** Releases the lock if `owner` holds it; returns false (and changes nothing) when another run or nobody does. */
    release(owner: string): Promise<boolean>;
}

/** Notifications to the people on call: the DR alert topic (SNS) in the DR region. */
export interface NotificationPort {
    /** Publishes one message; `subject` is at most 100 ASCII characters (SNS's limit), `message` plain text. */
    publish(subject: string, message: string): Promise<void>;
}

/** Time passing: real timers on AWS, a virtual clock in a rehearsal and in the benchmark. */
export interface Timers {
    /** Resolves after `ms` milliseconds. */
    sleep(ms: number): Promise<void>;
    /** Calls `tick` every `ms` milliseconds until the returned function is called. */
    every(ms: number, tick: () => void): () => void;
}

/** AWS in one region. */
export interface RegionPorts {
    /** The region. */
    readonly region: string;
    /** RDS. */
    readonly database: DatabasePort;
    /** AWS Backup. */
    readonly backup: BackupPort;
    /** AWS Backup's EKS recovery points and restores (`restore cluster`). */
    readonly clusterRestore: ClusterRestorePort;
    /** S3. */
    readonly objects: ObjectStorePort;
    /** The deploy runners of the stacks in the region (CodeBuild). */
    readonly runner: DeployRunnerPort;
    /** The databases' data, read by the verifier. */
    readonly data: DataPort;
    /** The hot posture's cross-Region read replica (RDS) and its lag (CloudWatch). */
    readonly replica: ReplicaPort;
}

/** Everything a recovery command reaches the world through. */
export interface RecoveryPorts {
    /** The home region. */
    readonly home: RegionPorts;
    /** The DR region. */
    readonly dr: RegionPorts;
    /** The Pulumi workspace of this project. */
    readonly workspace: WorkspacePort;
    /** Route 53. */
    readonly traffic: TrafficPort;
    /** Artifact jobs (home region). */
    readonly jobs: JobsPort;
    /** External tools. */
    readonly commands: CommandPort;
    /** The AWS account. */
    readonly identity: IdentityPort;
    /** The failover lock (lock table replica in the DR region). */
    readonly lock: LockPort;
    /** The DR alert topic: start, failure, interruption and completion of every changing command. */
    readonly notifications: NotificationPort;
    /** Progress lines for the operator (never a secret). */
    readonly output: (line: string) => void;
    /** Now. */
    readonly now: () => Date;
    /** Sleeping and ticking, on the same clock as {@link RecoveryPorts.now}. */
    readonly timers: Timers;
}
