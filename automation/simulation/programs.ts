import { StackConfig } from "../../config/stack-config";
import { argocdExportPrefix, deploySourceKey } from "../../lib/artifacts";
import { KubernetesLayer, kubernetesLayer, startRunnerCommand } from "../../lib/kubernetes-access";
import { parseKubernetesAccess } from "../../config/platform";
import {
    bucketName,
    clusterName,
    deployRunnerProjectName,
    primaryDatabaseIdentifier,
    restoredDatabaseIdentifier,
} from "../../lib/naming";
import { jobPeriodMinutes } from "../../lib/schedule";
import { ProblemCollector } from "../../lib/errors";
import { configKey } from "../../config/keys";
import { activatedTrafficReady, DR_ENDPOINT_RULE } from "../../config/traffic";
import { createRootApp } from "./argocd-apps";
import { addCluster, installArgocd, repointRootApp } from "./cluster";
import { copyDatabaseData, startHeartbeatWriter } from "./data";
import { applyDatabaseState, drDatabaseEntries, primaryDatabaseEntries } from "./stack-state";
import { heartbeatSourceOf } from "../../lib/heartbeat";
import { dbInstanceArn, ec2Id, rdsEndpoint } from "./formats";
import { Side } from "./state";
import { addDeployProject } from "./deploy-runner";
import { hotDatabase } from "./replica";
import { failbackReplica } from "./failback-program";
import type { ProgramRun, SimulatedStack, StackProgram, WorldCore } from "./world-core";

/*
 * What the stacks' `pulumi up` does to the simulated account: the simulated counterparts of
 * stacks/primary.ts and stacks/dr.ts, as far as the recovery commands can see it.
 */

/** The program name of the primary stack. */
export const PRIMARY_PROGRAM = "primary";

/** The program name of the dr stack (and of drill stacks, which are dr stacks with `webank:drill`). */
export const DR_PROGRAM = "dr";

/** The repository Argo CD follows with a stack's config: the mirror after a restore of Git, else GitHub. */
export function followedRepository(config: StackConfig, stack: SimulatedStack): string {
    const mirror = stack.config["webank:mirrorRepoUrl"];
    return stack.config["webank:gitSource"] === "mirror" && mirror ? mirror : config.platform.gitops.repoUrl;
}

/**
 * A new cluster with Argo CD installed as the platform component installs it. `rootApp`: a
 * root app synced long ago (a seeded serving cluster or hot standby), one this `up` creates and
 * Argo CD syncs in its own time (simulation/argocd-apps.ts), or none (a warm standby).
 */
export function platformCluster(
    world: WorldCore,
    config: StackConfig,
    options: {
        name: string;
        side: Side;
        repoURL: string;
        applications: readonly string[];
        at: Date;
        rootApp: "synced" | "pending" | "none";
    },
): void {
    const cluster = addCluster(world, options.name, options.side, {
        side: options.side,
        bucket: bucketName(config.prefix, "artifacts", world.accountId, world.region(options.side).name),
        prefix: argocdExportPrefix(options.name),
    });
    installArgocd(cluster, {
        chartVersion: config.platform.gitops.chartVersion,
        appVersion: config.platform.gitops.imageTag,
        repoURL: options.repoURL,
        revision: config.platform.gitops.revision,
        path: config.platform.gitops.path,
        applications: options.applications,
        rootApp: options.rootApp === "synced" ? "synced" : "none",
        exportPeriodMinutes: jobPeriodMinutes(config.objectives.gitops.rpoMinutes),
        // As stacks/platform.ts declares it (the dr stack's cluster): the DR side's export
        // starts suspended until restore argocd verifies its Argo CD.
        suspendExport: options.side === "dr",
        at: options.at,
    });
    if (options.rootApp === "pending") {
        createRootApp(world, cluster, rootAppSource(config, options.repoURL, options.applications));
    }
}

/** What the root app of a cluster following `repoURL` points at and creates (components/argocd.ts). */
function rootAppSource(config: StackConfig, repoURL: string, applications: readonly string[]) {
    return {
        repoURL,
        revision: config.platform.gitops.revision,
        path: config.platform.gitops.path,
        applications,
    };
}

/**
 * Whether a dr stack's platform has its root app (stacks/platform.ts syncRootApp): once it
 * serves (activated, a drill's too), and on a hot standby before that.
 */
function wantsRootApp(stack: SimulatedStack): boolean {
    return stack.config["webank:activated"] === "true" || stack.config["webank:posture"] === "hot";
}

/**
 * Whether an `up` applies a stack's Kubernetes resources: the program's own rule
 * (stacks/platform.ts, lib/kubernetes-access.ts) with the stack's `webank:kubernetesAccess`,
 * the build the run is in (none on the operator's machine) and whether the cluster exists.
 * Throws, as the program does, for an update of an existing cluster from outside its runner.
 */
function kubernetesLayerOf(
    stack: SimulatedStack,
    run: ProgramRun,
    target: { cluster: string; region: string; runnerProjectName: string; exists: boolean },
): KubernetesLayer {
    // The program validates its config before declaring anything (config/platform.ts).
    const problems = new ProblemCollector();
    const access = parseKubernetesAccess(problems, stack.config["webank:kubernetesAccess"]);
    problems.throwIfAny(`Invalid config for stack "${run.stackName}"`);
    return kubernetesLayer({
        access: access ?? "runner",
        clusterName: target.cluster,
        region: target.region,
        runnerProjectName: target.runnerProjectName,
        build: run.build,
        clusterExists: target.exists,
        dryRun: false,
        startRunner: startRunnerCommand(target.runnerProjectName, target.region),
    });
}

/**
 * The primary stack: its `up` points the primary cluster's root app at the repository its
 * config names, from where the stack's `webank:kubernetesAccess` allows (its deploy runner by
 * default: from the operator's machine an update of the existing cluster is refused).
 */
export function primaryProgram(config: StackConfig): StackProgram {
    return {
        up: (stack, world, run) => {
            const failback = failbackReplica(world, config, stack);
            const name = clusterName(config.prefix, "primary");
            const cluster = world.state.clusters[name];
            const layer = kubernetesLayerOf(stack, run, {
                cluster: name,
                region: config.homeRegion,
                runnerProjectName: deployRunnerProjectName(config.prefix, "primary"),
                exists: cluster !== undefined,
            });
            if (cluster && layer.apply) {
                repointRootApp(cluster, followedRepository(config, stack));
            }
            applyDatabaseState(
                world,
                stack,
                config.project,
                "primary",
                "home",
                primaryDatabaseEntries(config, stack),
            );
            return { ...stack.outputs, ...failback, kubernetesResources: layer.reason };
        },
    };
}

/** A drill's id and scope, from `webank:drill`. */
function drillOf(stack: SimulatedStack): { id: string; scope: string } | undefined {
    const raw = stack.config["webank:drill"];
    return raw ? (JSON.parse(raw) as { id: string; scope: string }) : undefined;
}

/** The naming prefix of a dr stack's own resources: a drill's never collide with dr's (stacks/dr.ts). */
function ownPrefix(config: StackConfig, stack: SimulatedStack): string {
    const drill = drillOf(stack);
    return drill ? `${config.prefix}-drill-${drill.id}` : config.prefix;
}

/**
 * The instant `webank:restore` restores to: its time, or for `latest` the replicated backups'
 * latest restorable time now; for a recovery point, the time AWS Backup created it. A source
 * that does not exist fails the `up` with RDS's error codes, as the real restore would
 * (RDS API Reference: DBSnapshotNotFound, DBInstanceAutomatedBackupNotFound).
 */
function restorePointOf(world: WorldCore, config: StackConfig, stack: SimulatedStack): Date {
    const restore = JSON.parse(stack.config["webank:restore"] ?? "{}") as {
        time?: string;
        recoveryPointArn?: string;
    };
    if (restore.recoveryPointArn) {
        const point = [...world.dr.vaults.values()].flat().find((p) => p.arn === restore.recoveryPointArn);
        if (!point) {
            throw new Error(`DBSnapshotNotFound: DBSnapshot ${restore.recoveryPointArn} not found.`);
        }
        return point.createdAt;
    }
    if (restore.time && restore.time !== "latest") {
        return new Date(restore.time);
    }
    const backups = world.dr.replicatedBackups.get(primaryDatabaseIdentifier(config.prefix));
    if (!backups) {
        throw new Error(
            `DBInstanceAutomatedBackupNotFound: no automated backups of ${primaryDatabaseIdentifier(config.prefix)} in ${config.drRegion}.`,
        );
    }
    return backups.latest;
}

/** The identifier of the database a dr stack restores: its prefix and `webank:restore`'s generation. */
function restoredIdentifier(config: StackConfig, stack: SimulatedStack): string {
    const restore = JSON.parse(stack.config["webank:restore"] ?? "{}") as { generation?: number };
    return restoredDatabaseIdentifier(ownPrefix(config, stack), restore.generation ?? 1);
}

/** Whether a dr stack runs a cluster (stacks/dr.ts: a database drill leaves it out; dr has one when activated, warm or hot). */
function wantsCluster(stack: SimulatedStack): boolean {
    const drill = drillOf(stack);
    const activated = stack.config["webank:activated"] === "true";
    const posture = stack.config["webank:posture"] ?? "pilot";
    return drill ? drill.scope === "full" : activated || posture !== "pilot";
}

/** True for the dr stack itself (not a drill's) in the hot posture: its database is the read replica. */
function isHot(stack: SimulatedStack): boolean {
    return drillOf(stack) === undefined && stack.config["webank:posture"] === "hot";
}

/**
 * The dr stack (pilot light, warm or hot standby; a drill's copy too): in hot, the database
 * is the read replica (see hotDatabase); otherwise an `up` with
 * `webank:activated=true` (or a drill) restores the database from the replicated backups —
 * `up` waits for it, so it is available when `up` returns — and builds or keeps the cluster
 * with Argo CD; the outputs name the cluster and the database endpoint. A destroy removes
 * what the up made.
 */
export function drProgram(config: StackConfig, applications: readonly string[]): StackProgram {
    const up = drUp(config, applications);
    return {
        up: (stack, world, run) => {
            const outputs = up(stack, world, run);
            // The dr stack's own databases in its state (a drill's stack is not modelled).
            if (run.stackName === "dr") {
                applyDatabaseState(
                    world,
                    stack,
                    config.project,
                    "dr",
                    "dr",
                    drDatabaseEntries(config, stack),
                );
            }
            return outputs;
        },
        destroy: (stack, world) => {
            world.dr.instances.delete(restoredIdentifier(config, stack));
            if (drillOf(stack)) {
                delete world.state.clusters[clusterName(ownPrefix(config, stack), "dr")];
                delete world.state.deployProjects[deployRunnerProjectName(ownPrefix(config, stack), "dr")];
            }
        },
    };
}

/** The up of {@link drProgram}. */
function drUp(config: StackConfig, applications: readonly string[]): StackProgram["up"] {
    return (stack, world, run) => {
        const activated = stack.config["webank:activated"] === "true";
        // The program validates its config before declaring anything (config/stack-config.ts).
        if (activated && !drillOf(stack) && !activatedTrafficReady(config.platform.traffic)) {
            const problems = new ProblemCollector();
            problems.add(configKey("drEndpoint"), DR_ENDPOINT_RULE, undefined);
            problems.throwIfAny(`Invalid config for stack "dr"`);
        }
        const posture = stack.config["webank:posture"] ?? "pilot";
        const cluster = clusterName(ownPrefix(config, stack), "dr");
        const outputs: Record<string, unknown> = {
            role: "dr",
            posture,
            activated,
            clusterName: wantsCluster(stack) ? cluster : "none (pilot light)",
        };
        if (wantsCluster(stack)) {
            const existing = world.state.clusters[cluster];
            const runnerProjectName = deployRunnerProjectName(ownPrefix(config, stack), "dr");
            // With `runner`, from outside its runner: leaves the Kubernetes resources out of
            // a new cluster and refuses to update an existing one.
            const layer = kubernetesLayerOf(stack, run, {
                cluster,
                region: config.drRegion,
                runnerProjectName,
                exists: existing !== undefined,
            });
            outputs.kubernetesResources = layer.reason;
            // The stack makes its deploy runner with its cluster (stacks/platform.ts).
            addDeployProject(world, runnerProjectName, {
                stack: run.stackName,
                side: "dr",
                bucket: bucketName(config.prefix, "artifacts", world.accountId, config.drRegion),
                key: deploySourceKey(run.stackName),
            });
            if (existing) {
                repointRootApp(existing, followedRepository(config, stack));
                if (layer.apply && wantsRootApp(stack)) {
                    createRootApp(
                        world,
                        existing,
                        rootAppSource(config, followedRepository(config, stack), applications),
                    );
                }
            } else if (!layer.apply) {
                addCluster(world, cluster, "dr", {
                    side: "dr",
                    bucket: bucketName(config.prefix, "artifacts", world.accountId, config.drRegion),
                    prefix: argocdExportPrefix(cluster),
                });
            } else {
                platformCluster(world, config, {
                    name: cluster,
                    side: "dr",
                    repoURL: followedRepository(config, stack),
                    applications,
                    at: world.now(),
                    rootApp: wantsRootApp(stack) ? "pending" : "none",
                });
            }
        }
        if (isHot(stack)) {
            const identifier = hotDatabase(world, config, activated);
            if (!activated) {
                return outputs;
            }
            if (wantsCluster(stack) && world.state.clusters[cluster]) {
                startHeartbeatWriter(world, "dr", identifier, heartbeatSourceOf(cluster), world.now());
            }
            return { ...outputs, dbEndpoint: world.dr.instances.get(identifier)?.endpoint };
        }
        if (!activated) {
            return outputs;
        }
        const identifier = restoredIdentifier(config, stack);
        const endpoint = rdsEndpoint(identifier, world.accountId, config.drRegion);
        if (!world.dr.instances.has(identifier)) {
            world.dr.instances.set(identifier, {
                identifier,
                arn: dbInstanceArn(config.drRegion, world.accountId, identifier),
                status: "available",
                endpoint,
                latestRestorableTime: world.now(),
                instanceClass: config.database.instanceClass,
                subnetGroupName: `${ownPrefix(config, stack)}-db`,
                securityGroupIds: [ec2Id("sg", `${world.accountId}/${identifier}`)],
                parameterGroupName: `${ownPrefix(config, stack)}-db`,
                multiAz: true,
                deletionProtection: drillOf(stack) === undefined,
            });
            copyDatabaseData(
                world,
                { side: "home", identifier: primaryDatabaseIdentifier(config.prefix) },
                { side: "dr", identifier },
                restorePointOf(world, config, stack),
            );
        }
        // The activated platform's own heartbeat writer beats into the restored database
        // from now on (stacks/platform.ts), under its cluster's name: the verifier ignores it.
        if (wantsCluster(stack) && world.state.clusters[cluster]) {
            startHeartbeatWriter(world, "dr", identifier, heartbeatSourceOf(cluster), world.now());
        }
        return { ...outputs, dbEndpoint: endpoint };
    };
}
