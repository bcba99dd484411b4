import { heartbeatSourceOf } from "../../lib/heartbeat";
import { liveDatabaseData, setDatabaseData, startHeartbeatWriter } from "./data";
import type { DrPosture } from "../../config/dr";
import { StackConfig } from "../../config/stack-config";
import { ARGOCD_NAMESPACE } from "../../lib/argocd";
import { argocdExportPrefix, bundlePrefixOf, deploySourceKey } from "../../lib/artifacts";
import { mostFrequentPeriodHours } from "../../lib/backup-rules";
import {
    backupVaultName,
    bootstrapBucketName,
    bucketName,
    clusterName,
    deployRunnerProjectName,
    mirrorProjectName,
    primaryDatabaseIdentifier,
    pulumiStateKey,
} from "../../lib/naming";
import { jobPeriodMinutes } from "../../lib/schedule";
import { DatabaseInstance, Timers } from "../ports";
import { exportOf } from "./cluster";
import {
    dbInstanceArn,
    ec2Id,
    eksClusterArn,
    gitSha,
    jobStamp,
    rdsEndpoint,
    recoveryPointArn,
    uuidOf,
} from "./formats";
import { bundleOf } from "./git";
import { addDeployProject } from "./deploy-runner";
import { putReplicated } from "./objects";
import { DR_PROGRAM, drProgram, platformCluster, PRIMARY_PROGRAM, primaryProgram } from "./programs";
import { seedReadReplica } from "./replica";
import { Side } from "./state";
import { DurationModel, SimulatedStack, SimulatedWorld } from "./world";

/** Minutes before `now` of each seeded backup, so tests can reason about ages against RPOs. */
export const SEEDED_AGES_MINUTES = {
    /** Latest restorable time of the replicated automated backups (the replication's lag from then on). */
    replicatedBackups: 4,
    /** Newest recovery point in each vault. */
    recoveryPoints: 50,
    /** Newest Argo CD export. */
    argocdExport: 10,
    /** Newest Git bundle. */
    gitBundle: 12,
    /** Newest state object (and its replica). */
    state: 20,
} as const;

/** The Applications the platform repository's app of apps creates, besides the root app. */
export const PLATFORM_APPLICATIONS = ["accounts", "payments"] as const;

/** The key of one of this project's stacks' state. */
export function stateObjectKey(stack: string): string {
    return pulumiStateKey("webank", stack);
}

/** The clone URL of the platform repository, as the mirror's buildspec has it (components/source-mirror.ts). */
export function githubUrlOf(repository: string): string {
    return `https://github.com/${repository}.git`;
}

/** Ids the standard world gives its resources, for tests that name them. */
export function seededResources(config: StackConfig, accountId = "123456789012") {
    const database = primaryDatabaseIdentifier(config.prefix);
    return {
        /** The primary database's ARN. */
        databaseArn: dbInstanceArn(config.homeRegion, accountId, database),
        /** The EBS volume in the backup plan. */
        volumeArn: `arn:aws:ec2:${config.homeRegion}:${accountId}:volume/${ec2Id("vol", `${accountId}/data`)}`,
        /** The PRIMARY record's Route 53 health check id, its gate's (a UUID, CreateHealthCheck's `Id`). */
        healthCheckId: uuidOf(`${accountId}/health-check/primary`),
        /** The home endpoint's HTTPS health check under the gate. */
        endpointCheckId: uuidOf(`${accountId}/health-check/primary-endpoint`),
        /** The tool's traffic switch under the gate (automation/traffic-ports.ts). */
        switchCheckId: uuidOf(`${accountId}/health-check/primary-switch`),
        /** The DR region's replicated automated backups of the primary database. */
        replicatedBackupsArn: `arn:aws:rds:${config.drRegion}:${accountId}:auto-backup:ab-7kqzpm3t2rvw4xh5cdhj6lyn2m`,
    };
}

/**
 * When a schedule seeded with an artifact `ageMinutes` old last ran: then, or the latest
 * period boundary before `now` when the period is the shorter (the seed's ages are chosen
 * against the RPOs, not the periods), so nothing is due the moment the world opens.
 */
function lastRunOf(now: Date, ageMinutes: number, periodMinutes: number): string {
    return new Date(now.getTime() - (ageMinutes % periodMinutes) * 60_000).toISOString();
}

/** Options of {@link standardWorld}. */
export interface StandardWorldOptions {
    /** Now: the seeded backups' ages are counted back from it. */
    readonly now: Date;
    /** The world's clock once running (the benchmark's virtual clock). @default always {@link StandardWorldOptions.now} */
    readonly clock?: () => Date;
    /** Durations (the benchmark's). @default instant */
    readonly durations?: DurationModel;
    /** Sleep (the benchmark's virtual clock). @default instant */
    readonly sleep?: (ms: number) => Promise<void>;
    /** Ticking (a rehearsal's virtual clock). @default through `sleep` */
    readonly every?: Timers["every"];
    /** The DR stack's posture; `hot` adds the read replica of the primary (simulation/replica.ts). @default "pilot" */
    readonly posture?: DrPosture;
    /** `user@host` of the operator. @default "rehearsal@simulation" */
    readonly operator?: string;
    /** The kubeconfig's path, for messages. @default `~/.kube/config` */
    readonly kubeconfigPath?: string;
}

/**
 * A simulated account as the two stacks leave it on a normal day: the primary database with
 * its backups replicated into the DR region, recovery points in both vaults and the plans
 * that make them, the primary cluster with Argo CD (Helm revision 2, the export CronJob) and
 * its exports, the GitHub repository and its bundles, the mirror project, the artifact and
 * state buckets replicating to the DR region, the bootstrap bucket, a healthy PRIMARY record,
 * the `primary` and `dr` stacks, and a kubeconfig whose current context is the primary cluster.
 * Tests and `--simulate` runs start from it and inject faults.
 */
export function standardWorld(config: StackConfig, options: StandardWorldOptions): SimulatedWorld {
    const now = options.now;
    const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
    const world = new SimulatedWorld({
        homeRegion: config.homeRegion,
        drRegion: config.drRegion,
        now: options.clock ?? (() => now),
        durations: options.durations,
        sleep: options.sleep,
        every: options.every,
        operator: options.operator,
        kubeconfigPath: options.kubeconfigPath,
    });
    const account = world.accountId;
    const ids = seededResources(config, account);
    world.programs.set(PRIMARY_PROGRAM, primaryProgram(config));
    world.programs.set(DR_PROGRAM, drProgram(config, PLATFORM_APPLICATIONS));

    const source = primaryDatabaseIdentifier(config.prefix);
    const primaryDb: DatabaseInstance = {
        identifier: source,
        arn: ids.databaseArn,
        status: "available",
        endpoint: rdsEndpoint(source, account, config.homeRegion),
        latestRestorableTime: minutesAgo(SEEDED_AGES_MINUTES.replicatedBackups),
        instanceClass: config.database.instanceClass,
        subnetGroupName: `${config.prefix}-db`,
        securityGroupIds: [ec2Id("sg", `${account}/db`)],
        parameterGroupName: `${config.prefix}-db`,
        multiAz: true,
        deletionProtection: true,
    };
    world.home.instances.set(source, primaryDb);
    // The home platform's heartbeat writer has beaten since the replicated backups' window began.
    setDatabaseData(world, "home", source, liveDatabaseData(config.verification));
    startHeartbeatWriter(
        world,
        "home",
        source,
        heartbeatSourceOf(clusterName(config.prefix, "primary")),
        minutesAgo(config.database.replicatedBackupRetentionDays * 24 * 60),
    );
    world.dr.replicatedBackups.set(source, {
        arn: ids.replicatedBackupsArn,
        earliest: minutesAgo(config.database.replicatedBackupRetentionDays * 24 * 60),
        latest: minutesAgo(SEEDED_AGES_MINUTES.replicatedBackups),
    });
    world.state.rdsReplication[source] = { lagMinutes: SEEDED_AGES_MINUTES.replicatedBackups };

    seedBackups(world, config, ids, now);
    seedClusters(world, config, options.posture ?? "pilot", now);
    if (options.posture === "hot") {
        seedReadReplica(world, config);
    }
    seedArtifacts(world, config, now);

    world.stacks.set("primary", primaryStack(config, primaryDb));
    world.stacks.set("dr", {
        // As the stack files set it: the failover and the program read webank:kubernetesAccess.
        config: {
            "webank:role": "dr",
            "webank:posture": options.posture ?? "pilot",
            "webank:kubernetesAccess": config.platform.cluster.kubernetesAccess,
        },
        outputs: {
            role: "dr",
            posture: options.posture ?? "pilot",
            activated: false,
            clusterName:
                (options.posture ?? "pilot") === "pilot"
                    ? "none (pilot light)"
                    : clusterName(config.prefix, "dr"),
        },
        deployment: emptyDeployment(),
        program: DR_PROGRAM,
    });
    // A new stack (a drill's) has no resources and no outputs until its first up.
    world.newStack = () => ({ config: {}, outputs: {}, deployment: emptyDeployment(), program: DR_PROGRAM });

    if (config.platform.traffic) {
        world.healthCheck = {
            gateId: ids.healthCheckId,
            endpointId: ids.endpointCheckId,
            healthy: true,
            switchId: ids.switchCheckId,
            heldOnDr: false,
        };
        world.dnsTargets = {
            primary: config.platform.traffic.primaryEndpoint,
            secondary: config.platform.traffic.drEndpoint ?? "none",
        };
    }
    return world;
}

/** A deployment with nothing in it, as `pulumi stack export` prints an empty stack's. */
function emptyDeployment(): string {
    return JSON.stringify({ version: 3, deployment: { manifest: {}, resources: [] } });
}

/** Both vaults' newest points (`at`), and the plans that make them and copy them to the DR vault. */
function seedBackups(
    world: SimulatedWorld,
    config: StackConfig,
    ids: ReturnType<typeof seededResources>,
    now: Date,
): void {
    const at = new Date(now.getTime() - SEEDED_AGES_MINUTES.recoveryPoints * 60_000);
    const vault = backupVaultName(config.prefix);
    const targets = [
        { resourceArn: ids.databaseArn, type: "RDS", target: "database" as const },
        { resourceArn: ids.volumeArn, type: "EBS", target: "volumes" as const },
    ];
    for (const side of ["home", "dr"] as Side[]) {
        world.region(side).vaults.set(vault, []);
        for (const { resourceArn, type } of targets) {
            world.region(side).addRecoveryPoint(vault, {
                arn: recoveryPointArn(
                    world.region(side).name,
                    world.accountId,
                    resourceArn,
                    world.nextSeed("seed-point"),
                ),
                resourceArn,
                resourceType: type,
                createdAt: at,
                status: "COMPLETED",
            });
        }
    }
    for (const { resourceArn, target } of targets) {
        const periodMinutes = mostFrequentPeriodHours(config.backup.rules[target]) * 60;
        world.state.backupPlans.push({
            side: "home",
            vaultName: vault,
            resources: [resourceArn],
            periodMinutes,
            lastRunAt: lastRunOf(now, SEEDED_AGES_MINUTES.recoveryPoints, periodMinutes),
            copyTo: { side: "dr", vaultName: vault },
        });
    }
}

/** The primary cluster (and a warm or hot standby's), Argo CD on it, the kubeconfig, and the GitHub repository. */
function seedClusters(world: SimulatedWorld, config: StackConfig, posture: DrPosture, now: Date): void {
    const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
    const github = githubUrlOf(config.platform.mirror.repository);
    const sha = (ref: string) => gitSha(`${config.platform.mirror.repository} ${ref}`);
    world.state.git.remotes[github] = {
        refs: {
            "refs/heads/main": sha("refs/heads/main"),
            "refs/heads/release/2026.11": sha("refs/heads/release/2026.11"),
            "refs/tags/v1.0.0": sha("refs/tags/v1.0.0"),
        },
        head: "refs/heads/main",
    };
    const primary = clusterName(config.prefix, "primary");
    platformCluster(world, config, {
        name: primary,
        side: "home",
        repoURL: config.platform.gitops.repoUrl,
        applications: PLATFORM_APPLICATIONS,
        at: daysAgo(30),
        rootApp: "synced",
    });
    // The platform stack upgraded the release since (new values, same chart): revision 2.
    const release = world.state.clusters[primary].helm[`${ARGOCD_NAMESPACE}/argocd`];
    release.revisions[0].status = "superseded";
    release.revisions.push({
        ...release.revisions[0],
        revision: 2,
        status: "deployed",
        description: "Upgrade complete",
        updated: daysAgo(2).toISOString(),
    });
    // Each stack with a cluster has its deploy runner (stacks/platform.ts).
    const runner = (stack: "primary" | "dr", side: Side, region: string) =>
        addDeployProject(world, deployRunnerProjectName(config.prefix, stack), {
            stack,
            side,
            bucket: bucketName(config.prefix, "artifacts", world.accountId, region),
            key: deploySourceKey(stack),
        });
    runner("primary", "home", config.homeRegion);
    const cron = Object.values(world.state.clusters[primary].cronJobs)[0];
    cron.lastScheduleTime = lastRunOf(now, SEEDED_AGES_MINUTES.argocdExport, cron.periodMinutes);
    if (posture !== "pilot") {
        const dr = clusterName(config.prefix, "dr");
        platformCluster(world, config, {
            name: dr,
            side: "dr",
            repoURL: config.platform.gitops.repoUrl,
            applications: PLATFORM_APPLICATIONS,
            at: daysAgo(30),
            // A hot standby runs the platform synced (stacks/platform.ts); a warm one has no root app yet.
            rootApp: posture === "hot" ? "synced" : "none",
        });
        runner("dr", "dr", config.drRegion);
        // Its export CronJob's schedule continues from now (its exports are not the status's concern).
        Object.values(world.state.clusters[dr].cronJobs).forEach(
            (c) => (c.lastScheduleTime = now.toISOString()),
        );
    }
    // `aws eks update-kubeconfig --name <primary>` names the context after the ARN; the runbook's alias too.
    const arn = eksClusterArn(config.homeRegion, world.accountId, primary);
    Object.assign(world.state.kubeconfig.contexts, { [arn]: arn, [primary]: arn });
    world.state.kubeconfig.currentContext = arn;
}

/**
 * The buckets: the artifact and state buckets replicate to their DR replicas (the primary
 * stack's replication rules), the bootstrap bucket lives in the DR region only. The seed's
 * export and bundle were named a minute before their upload finished.
 */
function seedArtifacts(world: SimulatedWorld, config: StackConfig, now: Date): void {
    const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
    const account = world.accountId;
    for (const purpose of ["artifacts", "state"]) {
        world.state.replication.push({
            source: { side: "home", bucket: bucketName(config.prefix, purpose, account, config.homeRegion) },
            destination: { side: "dr", bucket: bucketName(config.prefix, purpose, account, config.drRegion) },
        });
    }
    const artifacts = bucketName(config.prefix, "artifacts", account, config.homeRegion);
    const primary = world.state.clusters[clusterName(config.prefix, "primary")];
    const exportAt = minutesAgo(SEEDED_AGES_MINUTES.argocdExport);
    const exportKey = `${argocdExportPrefix(primary.name)}${jobStamp(minutesAgo(SEEDED_AGES_MINUTES.argocdExport + 1))}.yaml`;
    putReplicated(world, "home", artifacts, exportKey, exportOf(primary), exportAt, false);

    const prefix = bundlePrefixOf(config.platform.mirror.repository);
    const github = githubUrlOf(config.platform.mirror.repository);
    const bundleAt = minutesAgo(SEEDED_AGES_MINUTES.gitBundle);
    const bundleKey = `${prefix}${jobStamp(minutesAgo(SEEDED_AGES_MINUTES.gitBundle + 1))}.bundle`;
    putReplicated(
        world,
        "home",
        artifacts,
        bundleKey,
        bundleOf(world.state.git.remotes[github].refs),
        bundleAt,
        false,
    );
    const periodMinutes = jobPeriodMinutes(config.objectives.source.rpoMinutes);
    world.state.mirrorProjects[mirrorProjectName(config.prefix)] = {
        sourceUrl: github,
        side: "home",
        bucket: artifacts,
        prefix,
        periodMinutes,
        lastRunAt: lastRunOf(now, SEEDED_AGES_MINUTES.gitBundle, periodMinutes),
    };

    const state = bucketName(config.prefix, "state", account, config.homeRegion);
    const bootstrap = bootstrapBucketName(config.prefix, account);
    for (const stack of ["primary", "dr"]) {
        for (const age of [60 * 24, 60 * 2, SEEDED_AGES_MINUTES.state]) {
            const body = JSON.stringify({
                version: 3,
                checkpoint: { stack, latest: { resources: [], age } },
            });
            putReplicated(world, "home", state, stateObjectKey(stack), body, minutesAgo(age), false);
            // The primary and dr stacks' own state: the bootstrap bucket, in the DR region only.
            world.dr.put(bootstrap, stateObjectKey(stack), body, minutesAgo(age));
        }
    }
}

/** The primary stack as its last `up` left it. */
function primaryStack(config: StackConfig, db: DatabaseInstance): SimulatedStack {
    return {
        config: { "webank:role": "primary" },
        outputs: {
            role: "primary",
            dbEndpoint: db.endpoint,
            dbInstanceArn: db.arn,
            clusterName: clusterName(config.prefix, "primary"),
        },
        deployment: emptyDeployment(),
        program: PRIMARY_PROGRAM,
    };
}
