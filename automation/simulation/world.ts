import {
    FailoverLockedError,
    BackupPort,
    CommandPort,
    CommandResult,
    DatabaseInstance,
    DatabasePort,
    JobsPort,
    ObjectStorePort,
    RecoveryPoint,
    RecoveryPorts,
    RegionPorts,
    ReplicatedBackups,
    StackPort,
    StoredObject,
    TrafficPort,
    WorkspacePort,
} from "../ports";

/**
 * How long a simulated operation takes, in milliseconds, by operation name (e.g.
 * `dr.database.waitAvailable`, `stack.dr.up`). The benchmark passes durations cited from
 * AWS documentation; tests pass none (everything is instant).
 */
export type DurationModel = (operation: string, detail: Readonly<Record<string, unknown>>) => number;

/** A simulated stack: config, outputs, and its exported deployment. */
export interface SimulatedStack {
    /** Config values by full key (`webank:activated`). */
    config: Record<string, string>;
    /** Outputs after the last up. */
    outputs: Record<string, unknown>;
    /** The deployment `pulumi stack export` returns. */
    deployment: string;
    /** Computes the outputs an `up` produces from the config; default keeps them. */
    onUp?: (stack: SimulatedStack, world: SimulatedWorld) => Record<string, unknown>;
    /** Removes from the world what the stack's `up` created (a destroy). */
    onDestroy?: (stack: SimulatedStack, world: SimulatedWorld) => void;
}

/** One simulated object version. */
interface ObjectVersion {
    readonly versionId: string;
    readonly lastModified: Date;
    readonly body: Buffer;
}

/** An external command the simulation answers: by `command args...` prefix. */
export type CommandHandler = (args: readonly string[], stdin?: string | Buffer) => string;

/** State of one simulated region. */
export class SimulatedRegion {
    /** RDS instances by identifier. */
    public readonly instances = new Map<string, DatabaseInstance>();
    /** Replicated automated backups by source instance identifier. */
    public readonly replicatedBackups = new Map<string, ReplicatedBackups>();
    /** Manual snapshots by identifier, with their ARNs. */
    public readonly snapshots = new Map<string, string>();
    /** Recovery points by vault name. */
    public readonly vaults = new Map<string, RecoveryPoint[]>();
    /** Buckets: key to versions, newest last. */
    public readonly buckets = new Map<string, Map<string, ObjectVersion[]>>();

    constructor(
        /** The region name. */
        public readonly name: string,
    ) {}

    /** Adds an object version (as an upload would). */
    public put(bucket: string, key: string, body: string | Buffer, at: Date): void {
        const objects = this.buckets.get(bucket) ?? new Map<string, ObjectVersion[]>();
        this.buckets.set(bucket, objects);
        const versions = objects.get(key) ?? [];
        versions.push({
            versionId: `v${versions.length + 1}`,
            lastModified: at,
            body: Buffer.isBuffer(body) ? body : Buffer.from(body),
        });
        objects.set(key, versions);
    }

    /** Adds a completed recovery point to a vault. */
    public addRecoveryPoint(vaultName: string, point: RecoveryPoint): void {
        this.vaults.set(vaultName, [...(this.vaults.get(vaultName) ?? []), point]);
    }
}

/**
 * An in-memory AWS, Pulumi workspace and tool chain behind the same ports as the real
 * adapters. Every change is recorded in {@link SimulatedWorld.changes} (tests assert what
 * changed, and that nothing was deleted); faults are queued per operation with
 * {@link SimulatedWorld.failNext}; time passes through an injected sleep, so the benchmark
 * can run on a virtual clock.
 */
export class SimulatedWorld {
    /** Every change made through the ports, in order, e.g. `dr rds restore webank-db -> webank-db-r1`. */
    public readonly changes: string[] = [];
    /** Every operation called through the ports, in order (reads too). */
    public readonly calls: string[] = [];
    /** Progress lines written to the output port. */
    public readonly lines: string[] = [];
    /** Stacks by name. */
    public readonly stacks = new Map<string, SimulatedStack>();
    /** Every external command line run through the ports, in order. */
    public readonly commandsRun: string[] = [];
    /** External command handlers by `command subcommand` prefix. */
    public readonly commandHandlers = new Map<string, CommandHandler>();
    /** What a newly created stack starts as (the standard world makes drill stacks behave like dr). */
    public newStack: (name: string) => SimulatedStack = () => ({ config: {}, outputs: {}, deployment: "{}" });
    /** The failover lock holder. */
    public lockHolder: string | undefined;
    /** Every notification published to the alert topic, in order. */
    public readonly notifications: { subject: string; message: string }[] = [];
    /** The PRIMARY record's health check. */
    public healthCheck: { id: string; healthy: boolean; inverted: boolean } | undefined;
    /** What Route 53 answers for the record while the PRIMARY is healthy, and after failover. */
    public dnsTargets: { primary: string; secondary: string } | undefined;
    /** The home and DR regions. */
    public readonly home: SimulatedRegion;
    /** The DR region. */
    public readonly dr: SimulatedRegion;
    private readonly faults = new Map<string, Error[]>();
    private sequence = 0;

    constructor(
        options: {
            homeRegion: string;
            drRegion: string;
            /** The account id. Default 123456789012. */
            accountId?: string;
            /** Now. Default: the wall clock. */
            now?: () => Date;
            /** Durations of operations. Default: all instant. */
            durations?: DurationModel;
            /** Waits `ms` (the benchmark passes a virtual clock's). Default: resolves at once. */
            sleep?: (ms: number) => Promise<void>;
        },
        private readonly settings = {
            accountId: options.accountId ?? "123456789012",
            now: options.now ?? (() => new Date()),
            durations: options.durations ?? (() => 0),
            sleep: options.sleep ?? (() => Promise.resolve()),
        },
    ) {
        this.home = new SimulatedRegion(options.homeRegion);
        this.dr = new SimulatedRegion(options.drRegion);
    }

    /** The account id. */
    public get accountId(): string {
        return this.settings.accountId;
    }

    /** Makes the next call of `operation` (e.g. `dr.database.waitAvailable`) throw `error`. Queue several for several calls. */
    public failNext(operation: string, error: Error): void {
        this.faults.set(operation, [...(this.faults.get(operation) ?? []), error]);
    }

    /** The ports, as {@link RecoveryPorts}. */
    public ports(): RecoveryPorts {
        return {
            home: this.regionPorts("home", this.home),
            dr: this.regionPorts("dr", this.dr),
            workspace: this.workspacePort(),
            traffic: this.trafficPort(),
            jobs: this.jobsPort(),
            commands: this.commandPort(),
            identity: {
                accountId: () => this.enter("identity.accountId").then(() => this.accountId),
                // STS GetCallerIdentity's shape for a role session (STS API reference, example response).
                callerIdentity: () =>
                    this.enter("identity.callerIdentity").then(() => ({
                        account: this.accountId,
                        arn: `arn:aws:sts::${this.accountId}:assumed-role/webank-dr-operator/rehearsal`,
                        userId: "AROA3XFRBF535PLBIFPI4:rehearsal",
                    })),
            },
            lock: {
                acquire: async (owner) => {
                    await this.enter("lock.acquire");
                    if (this.lockHolder && this.lockHolder !== owner) {
                        throw new FailoverLockedError({
                            owner: this.lockHolder,
                            since: "unknown",
                            by: "another operator",
                        });
                    }
                    if (this.lockHolder !== owner) {
                        this.lockHolder = owner;
                        this.changes.push(`lock ${owner}`);
                    }
                },
                holder: async () => {
                    await this.enter("lock.holder");
                    return this.lockHolder
                        ? { owner: this.lockHolder, since: "unknown", by: "another operator" }
                        : undefined;
                },
                release: async (owner) => {
                    await this.enter("lock.release");
                    if (this.lockHolder !== owner) {
                        return false;
                    }
                    this.lockHolder = undefined;
                    this.changes.push(`unlock ${owner}`);
                    return true;
                },
            },
            notifications: {
                publish: async (subject, message) => {
                    await this.enter("notifications.publish");
                    this.notifications.push({ subject, message });
                },
            },
            output: (line) => this.lines.push(line),
            now: () => this.settings.now(),
            timers: {
                sleep: (ms) => this.settings.sleep(ms),
                every: () => () => undefined,
            },
        };
    }

    /** Counts an operation, lets its simulated time pass, and throws its queued fault. */
    private async enter(operation: string, detail: Record<string, unknown> = {}): Promise<void> {
        this.calls.push(operation);
        const duration = this.settings.durations(operation, detail);
        if (duration > 0) {
            await this.settings.sleep(duration);
        }
        const queued = this.faults.get(operation);
        const fault = queued?.shift();
        if (fault) {
            throw fault;
        }
    }

    private nextId(kind: string): string {
        this.sequence += 1;
        return `${kind}-${this.sequence}`;
    }

    private regionPorts(side: "home" | "dr", region: SimulatedRegion): RegionPorts {
        return {
            region: region.name,
            database: this.databasePort(side, region),
            backup: this.backupPort(side, region),
            objects: this.objectStorePort(side, region),
        };
    }

    private databasePort(side: string, region: SimulatedRegion): DatabasePort {
        const op = (name: string) => `${side}.database.${name}`;
        const arn = (kind: string, id: string) =>
            `arn:aws:rds:${region.name}:${this.accountId}:${kind}:${id}`;
        return {
            region: region.name,
            replicatedBackups: async (source) => {
                await this.enter(op("replicatedBackups"));
                return region.replicatedBackups.get(source);
            },
            describeInstance: async (identifier) => {
                await this.enter(op("describeInstance"));
                return region.instances.get(identifier);
            },
            restoreToPointInTime: async (source, target, time, like) => {
                await this.enter(op("restoreToPointInTime"));
                if (region.instances.has(target)) {
                    throw new Error(`DBInstanceAlreadyExists: ${target}`);
                }
                region.instances.set(target, {
                    ...like,
                    identifier: target,
                    arn: arn("db", target),
                    status: "available",
                    endpoint: `${target}.sim.${region.name}.rds.amazonaws.com:5432`,
                });
                this.changes.push(
                    `${side} rds restore ${source} -> ${target} at ${time === "latest" ? "latest" : time.toISOString()}`,
                );
            },
            renameInstance: async (identifier, newIdentifier) => {
                await this.enter(op("renameInstance"));
                const instance = region.instances.get(identifier);
                if (!instance) {
                    throw new Error(`DBInstanceNotFound: ${identifier}`);
                }
                if (region.instances.has(newIdentifier)) {
                    throw new Error(`DBInstanceAlreadyExists: ${newIdentifier}`);
                }
                region.instances.delete(identifier);
                region.instances.set(newIdentifier, {
                    ...instance,
                    identifier: newIdentifier,
                    endpoint: `${newIdentifier}.sim.${region.name}.rds.amazonaws.com:5432`,
                });
                this.changes.push(`${side} rds rename ${identifier} -> ${newIdentifier}`);
            },
            waitAvailable: async (identifier, timeoutMinutes) => {
                await this.enter(op("waitAvailable"), { identifier });
                if (region.instances.get(identifier)?.status !== "available") {
                    throw new Error(
                        `${identifier} was not available after ${timeoutMinutes} minutes; check it with: ` +
                            `aws rds describe-db-instances --region ${region.name} --db-instance-identifier ${identifier}`,
                    );
                }
            },
            createSnapshot: async (instance, snapshot) => {
                await this.enter(op("createSnapshot"));
                if (!region.instances.has(instance)) {
                    throw new Error(`DBInstanceNotFound: ${instance}`);
                }
                const snapshotArn = arn("snapshot", snapshot);
                if (!region.snapshots.has(snapshot)) {
                    region.snapshots.set(snapshot, snapshotArn);
                    this.changes.push(`${side} rds snapshot ${instance} -> ${snapshot}`);
                }
                return snapshotArn;
            },
            copySnapshot: async (sourceArn, target, kmsKeyId) => {
                await this.enter(op("copySnapshot"));
                const targetArn = arn("snapshot", target);
                if (!region.snapshots.has(target)) {
                    region.snapshots.set(target, targetArn);
                    this.changes.push(`${side} rds copy ${sourceArn} -> ${target} (key ${kmsKeyId})`);
                }
                return targetArn;
            },
        };
    }

    private backupPort(side: string, region: SimulatedRegion): BackupPort {
        const op = (name: string) => `${side}.backup.${name}`;
        const jobs = new Map<string, RecoveryPoint>();
        const copies = new Map<string, string>();
        return {
            region: region.name,
            newestRecoveryPoint: async (vaultName, filter = {}) => {
                await this.enter(op("newestRecoveryPoint"));
                return (region.vaults.get(vaultName) ?? [])
                    .filter((p) => p.status === "COMPLETED")
                    .filter((p) => !filter.resourceType || p.resourceType === filter.resourceType)
                    .filter((p) => !filter.resourceArn || p.resourceArn === filter.resourceArn)
                    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
            },
            protectedResources: async (vaultName) => {
                await this.enter(op("protectedResources"));
                return [...new Set((region.vaults.get(vaultName) ?? []).map((p) => p.resourceArn))];
            },
            startBackupJob: async (job) => {
                await this.enter(op("startBackupJob"), { resourceArn: job.resourceArn });
                const jobId = `job-${job.idempotencyToken}`;
                if (!jobs.has(jobId)) {
                    const point: RecoveryPoint = {
                        arn: recoveryPointArn(
                            region.name,
                            this.accountId,
                            job.resourceArn,
                            this.nextId("rp"),
                        ),
                        resourceArn: job.resourceArn,
                        resourceType: resourceTypeOf(job.resourceArn),
                        createdAt: this.settings.now(),
                        status: "COMPLETED",
                    };
                    jobs.set(jobId, point);
                    region.addRecoveryPoint(job.vaultName, point);
                    this.changes.push(`${side} backup job ${job.resourceArn} -> ${job.vaultName}`);
                }
                return jobId;
            },
            waitBackupJob: async (jobId) => {
                await this.enter(op("waitBackupJob"), { jobId });
                const point = jobs.get(jobId);
                if (!point) {
                    throw new Error(`backup job ${jobId} not found`);
                }
                return point;
            },
            startCopyJob: async (job) => {
                await this.enter(op("startCopyJob"));
                const jobId = `copy-${job.idempotencyToken}`;
                if (!copies.has(jobId)) {
                    const destination = job.destinationVaultArn.includes(`:${this.dr.name}:`)
                        ? this.dr
                        : this.home;
                    const source = [...region.vaults.values()]
                        .flat()
                        .find((p) => p.arn === job.recoveryPointArn);
                    const copyArn = recoveryPointArn(
                        destination.name,
                        this.accountId,
                        source?.resourceArn ?? "",
                        this.nextId("rp"),
                    );
                    destination.addRecoveryPoint(job.destinationVaultArn.split(":backup-vault:")[1] ?? "", {
                        arn: copyArn,
                        resourceArn: source?.resourceArn ?? "unknown",
                        resourceType: source?.resourceType ?? "unknown",
                        createdAt: this.settings.now(),
                        status: "COMPLETED",
                    });
                    copies.set(jobId, copyArn);
                    this.changes.push(
                        `${side} backup copy ${job.recoveryPointArn} -> ${job.destinationVaultArn}`,
                    );
                }
                return jobId;
            },
            waitCopyJob: async (jobId) => {
                await this.enter(op("waitCopyJob"), { jobId });
                const copy = copies.get(jobId);
                if (!copy) {
                    throw new Error(`copy job ${jobId} not found`);
                }
                return copy;
            },
        };
    }

    private objectStorePort(side: string, region: SimulatedRegion): ObjectStorePort {
        const op = (name: string) => `${side}.objects.${name}`;
        const bucketOf = (bucket: string) => {
            const objects = region.buckets.get(bucket);
            if (!objects) {
                throw new Error(`NoSuchBucket: ${bucket} in ${region.name}`);
            }
            return objects;
        };
        const describe = (key: string, version: ObjectVersion, isLatest: boolean): StoredObject => ({
            key,
            lastModified: version.lastModified,
            size: version.body.length,
            versionId: version.versionId,
            isLatest,
        });
        return {
            region: region.name,
            newestObject: async (bucket, prefix) => {
                await this.enter(op("newestObject"));
                return [...bucketOf(bucket).entries()]
                    .filter(([key]) => key.startsWith(prefix))
                    .map(([key, versions]) => describe(key, versions[versions.length - 1], true))
                    .sort((a, b) => b.lastModified.getTime() - a.lastModified.getTime())[0];
            },
            listVersions: async (bucket, key) => {
                await this.enter(op("listVersions"));
                const versions = bucketOf(bucket).get(key) ?? [];
                return versions
                    .map((v, i) => describe(key, v, i === versions.length - 1))
                    .sort((a, b) => b.lastModified.getTime() - a.lastModified.getTime());
            },
            getObject: async (bucket, key, versionId) => {
                await this.enter(op("getObject"));
                const versions = bucketOf(bucket).get(key) ?? [];
                const version = versionId
                    ? versions.find((v) => v.versionId === versionId)
                    : versions[versions.length - 1];
                if (!version) {
                    throw new Error(
                        `NoSuchKey: s3://${bucket}/${key}${versionId ? ` version ${versionId}` : ""}`,
                    );
                }
                return version.body;
            },
            putObject: async (bucket, key, body) => {
                await this.enter(op("putObject"), { key });
                bucketOf(bucket);
                region.put(bucket, key, body, this.settings.now());
                this.changes.push(`${side} s3 put s3://${bucket}/${key}`);
            },
        };
    }

    private workspacePort(): WorkspacePort {
        const portOf = (name: string): StackPort => {
            const stack = () => {
                const found = this.stacks.get(name);
                if (!found) {
                    throw new Error(`stack ${name} does not exist`);
                }
                return found;
            };
            const op = (operation: string) => `stack.${name}.${operation}`;
            return {
                name,
                getConfig: async (key) => {
                    await this.enter(op("getConfig"));
                    return stack().config[key];
                },
                setConfig: async (values) => {
                    await this.enter(op("setConfig"));
                    Object.assign(stack().config, values);
                    this.changes.push(`stack ${name} config ${JSON.stringify(values)}`);
                },
                refresh: async (onOutput) => {
                    await this.enter(op("refresh"), { config: stack().config });
                    onOutput(`refresh of ${name}: no changes`);
                    this.changes.push(`stack ${name} refresh`);
                },
                up: async (options) => {
                    const current = stack();
                    await this.enter(op("up"), {
                        config: current.config,
                        parallel: options.parallel,
                    });
                    current.outputs = current.onUp ? current.onUp(current, this) : current.outputs;
                    options.onOutput(`update of ${name}: done`);
                    this.changes.push(`stack ${name} up`);
                    return { ...current.outputs };
                },
                outputs: async () => {
                    await this.enter(op("outputs"));
                    return { ...stack().outputs };
                },
                exportState: async () => {
                    await this.enter(op("exportState"));
                    return stack().deployment;
                },
                importState: async (deployment) => {
                    await this.enter(op("importState"));
                    stack().deployment = deployment;
                    this.changes.push(`stack ${name} import`);
                },
                destroy: async (onOutput) => {
                    await this.enter(op("destroy"));
                    stack().onDestroy?.(stack(), this);
                    stack().outputs = {};
                    onOutput(`destroy of ${name}: done`);
                    this.changes.push(`stack ${name} destroy`);
                },
            };
        };
        return {
            selectStack: async (name) => {
                await this.enter("workspace.selectStack", { name });
                if (!this.stacks.has(name)) {
                    throw new Error(`stack ${name} not found in the workspace`);
                }
                return portOf(name);
            },
            createStack: async (name) => {
                await this.enter("workspace.createStack", { name });
                if (this.stacks.has(name)) {
                    throw new Error(`stack ${name} already exists`);
                }
                this.stacks.set(name, this.newStack(name));
                this.changes.push(`workspace create ${name}`);
                return portOf(name);
            },
            removeStack: async (name) => {
                await this.enter("workspace.removeStack", { name });
                this.stacks.delete(name);
                this.changes.push(`workspace remove ${name}`);
            },
        };
    }

    private trafficPort(): TrafficPort {
        return {
            primaryHealthCheck: async () => {
                await this.enter("traffic.primaryHealthCheck");
                return this.healthCheck ? { ...this.healthCheck } : undefined;
            },
            invertHealthCheck: async (id, inverted) => {
                await this.enter("traffic.invertHealthCheck");
                if (!this.healthCheck || this.healthCheck.id !== id) {
                    throw new Error(`NoSuchHealthCheck: ${id}`);
                }
                if (this.healthCheck.inverted !== inverted) {
                    this.healthCheck = { ...this.healthCheck, inverted };
                    this.changes.push(`route53 health check ${id} inverted=${inverted}`);
                }
            },
            answer: async () => {
                await this.enter("traffic.answer");
                if (!this.dnsTargets || !this.healthCheck) {
                    return undefined;
                }
                const primaryHealthy = this.healthCheck.healthy !== this.healthCheck.inverted;
                return primaryHealthy ? this.dnsTargets.primary : this.dnsTargets.secondary;
            },
        };
    }

    private jobsPort(): JobsPort {
        const builds = new Set<string>();
        return {
            startMirror: async (projectName) => {
                await this.enter("jobs.startMirror");
                const id = `${projectName}:${this.nextId("build")}`;
                builds.add(id);
                this.changes.push(`codebuild start ${projectName}`);
                return id;
            },
            waitMirror: async (buildId) => {
                await this.enter("jobs.waitMirror", { buildId });
                if (!builds.has(buildId)) {
                    throw new Error(`build ${buildId} not found`);
                }
            },
        };
    }

    private commandPort(): CommandPort {
        return {
            run: async (command, args, options = {}): Promise<CommandResult> => {
                const line = [command, ...args].join(" ");
                await this.enter(`command.${command}`, { args });
                const handler = [...this.commandHandlers.entries()]
                    .filter(([prefix]) => line === prefix || line.startsWith(`${prefix} `))
                    .sort((a, b) => b[0].length - a[0].length)[0];
                if (!handler) {
                    throw new Error(`${line}: command not found in the simulation`);
                }
                this.commandsRun.push(line);
                return { stdout: handler[1](args, options.stdin) };
            },
        };
    }
}

/** The AWS Backup resource type of an ARN. */
function resourceTypeOf(arn: string): string {
    if (arn.includes(":rds:")) {
        return "RDS";
    }
    if (arn.includes(":volume/")) {
        return "EBS";
    }
    if (arn.startsWith("arn:aws:s3:")) {
        return "S3";
    }
    if (arn.includes(":dynamodb:")) {
        return "DynamoDB";
    }
    return "unknown";
}

/**
 * A recovery point ARN as AWS Backup makes it: for RDS a DB snapshot named `awsbackup:job-…`,
 * for other resources a Backup recovery point.
 */
export function recoveryPointArn(region: string, account: string, resourceArn: string, id: string): string {
    return resourceArn.includes(":rds:")
        ? `arn:aws:rds:${region}:${account}:snapshot:awsbackup:job-${id}`
        : `arn:aws:backup:${region}:${account}:recovery-point:${id}`;
}
