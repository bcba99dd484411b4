import { ARTIFACT_PREFIXES } from "../../lib/artifacts";
import { ARGOCD_NAMESPACE } from "../../lib/argocd";
import { bundlePrefixOf } from "../../lib/artifacts";
import { StackConfig } from "../../config";
import {
    backupVaultName,
    bootstrapBucketName,
    bucketName,
    clusterName,
    primaryDatabaseIdentifier,
    pulumiStateKey,
    restoredDatabaseIdentifier,
} from "../../lib/naming";
import { DatabaseInstance } from "../ports";
import { DurationModel, recoveryPointArn, SimulatedStack, SimulatedWorld } from "./world";

/** Minutes before `now` of each seeded backup, so tests can reason about ages against RPOs. */
export const SEEDED_AGES_MINUTES = {
    /** Latest restorable time of the replicated automated backups. */
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

/** The key of one of this project's stacks' state. */
export function stateObjectKey(stack: string): string {
    return pulumiStateKey("webank", stack);
}

/** Options of {@link standardWorld}. */
export interface StandardWorldOptions {
    /** Now: the seeded backups' ages are counted back from it. */
    readonly now: Date;
    /** The world's clock once running (the benchmark's virtual clock). Default: always {@link StandardWorldOptions.now}. */
    readonly clock?: () => Date;
    /** Durations (the benchmark's). Default instant. */
    readonly durations?: DurationModel;
    /** Sleep (the benchmark's virtual clock). Default instant. */
    readonly sleep?: (ms: number) => Promise<void>;
    /** The DR stack's posture. Default pilot. */
    readonly posture?: "pilot" | "warm";
}

/**
 * A simulated account as the two stacks leave it on a normal day: the primary database
 * with its backups replicated into the DR region, recovery points in both vaults, Argo CD
 * exports and Git bundles in the artifact bucket and its replica, versioned state objects,
 * a healthy PRIMARY record, the `primary` and `dr` stacks, and the cluster tools answering.
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
    });
    const account = world.accountId;
    const source = primaryDatabaseIdentifier(config.prefix);
    const primaryDb: DatabaseInstance = {
        identifier: source,
        arn: `arn:aws:rds:${config.homeRegion}:${account}:db:${source}`,
        status: "available",
        endpoint: `${source}.sim.${config.homeRegion}.rds.amazonaws.com:5432`,
        latestRestorableTime: minutesAgo(SEEDED_AGES_MINUTES.replicatedBackups),
        instanceClass: config.database.instanceClass,
        subnetGroupName: `${config.prefix}-db`,
        securityGroupIds: ["sg-0db"],
        parameterGroupName: `${config.prefix}-db`,
        multiAz: true,
        deletionProtection: true,
    };
    world.home.instances.set(source, primaryDb);
    world.dr.replicatedBackups.set(source, {
        // RDS names replicated automated backups `ab-` and 26 lowercase letters and digits.
        arn: `arn:aws:rds:${config.drRegion}:${account}:auto-backup:ab-7kqzpm3t2rvw4xh5cdhj6lyn2m`,
        earliest: minutesAgo(config.database.replicatedBackupRetentionDays * 24 * 60),
        latest: minutesAgo(SEEDED_AGES_MINUTES.replicatedBackups),
    });

    const vault = backupVaultName(config.prefix);
    const volumeArn = (region: string) => `arn:aws:ec2:${region}:${account}:volume/vol-0data`;
    for (const region of [world.home, world.dr]) {
        const point = (type: string, resourceArn: string, id: string) =>
            region.addRecoveryPoint(vault, {
                arn: recoveryPointArn(region.name, account, resourceArn, id),
                resourceArn,
                resourceType: type,
                createdAt: minutesAgo(SEEDED_AGES_MINUTES.recoveryPoints),
                status: "COMPLETED",
            });
        point("RDS", primaryDb.arn, `rds-${region.name}`);
        point("EBS", volumeArn(config.homeRegion), `ebs-${region.name}`);
    }

    const primaryCluster = clusterName(config.prefix, "primary");
    for (const region of [world.home, world.dr]) {
        const artifacts = bucketName(config.prefix, "artifacts", account, region.name);
        region.put(
            artifacts,
            `${ARTIFACT_PREFIXES.argocdExports}${primaryCluster}/20261125T024900Z.yaml`,
            "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: platform\n",
            minutesAgo(SEEDED_AGES_MINUTES.argocdExport),
        );
        region.put(
            artifacts,
            `${bundlePrefixOf(config.platform.mirror.repository)}20261125T024700Z.bundle`,
            "# v2 git bundle\n",
            minutesAgo(SEEDED_AGES_MINUTES.gitBundle),
        );
        const state = bucketName(config.prefix, "state", account, region.name);
        for (const stack of ["primary", "dr"]) {
            for (const age of [60 * 24, 60 * 2, SEEDED_AGES_MINUTES.state]) {
                region.put(
                    state,
                    stateObjectKey(stack),
                    JSON.stringify({ version: 3, checkpoint: { stack, latest: { resources: [], age } } }),
                    minutesAgo(age),
                );
            }
        }
    }

    // The primary and dr stacks' own state: the bootstrap bucket, in the DR region only.
    for (const stack of ["primary", "dr"]) {
        for (const age of [60 * 24, 60 * 2, SEEDED_AGES_MINUTES.state]) {
            world.dr.put(
                bootstrapBucketName(config.prefix, account),
                stateObjectKey(stack),
                JSON.stringify({ version: 3, checkpoint: { stack, latest: { resources: [], age } } }),
                minutesAgo(age),
            );
        }
    }

    world.stacks.set("primary", primaryStack(config, primaryDb));
    world.stacks.set("dr", drStack(config, options.posture ?? "pilot"));
    world.newStack = () => ({ ...drStack(config, "pilot"), config: {} });

    if (config.platform.traffic) {
        world.healthCheck = { id: "hc-primary", healthy: true, inverted: false };
        world.dnsTargets = {
            primary: config.platform.traffic.primaryEndpoint,
            secondary: config.platform.traffic.drEndpoint ?? "none",
        };
    }

    world.commandHandlers.set("kubectl", () => "");
    world.commandHandlers.set("argocd admin import", () => "import complete");
    world.commandHandlers.set("argocd app list", () =>
        JSON.stringify([{ metadata: { name: "platform" }, status: { sync: { status: "Synced" } } }]),
    );
    world.commandHandlers.set(
        `kubectl -n ${ARGOCD_NAMESPACE} get applications`,
        () => "NAME       SYNC STATUS   HEALTH STATUS\nplatform   Synced        Healthy\n",
    );
    seedTools(world);
    world.commandHandlers.set("aws eks update-kubeconfig", () => "");
    return world;
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
        deployment: JSON.stringify({ version: 3, deployment: { manifest: {}, resources: [] } }),
    };
}

/** The dr stack: pilot (or warm); an up with webank:activated=true restores the database. */
function drStack(config: StackConfig, posture: "pilot" | "warm"): SimulatedStack {
    const pilotOutputs = (activated: boolean, stackPosture: string): Record<string, unknown> => ({
        role: "dr",
        posture: stackPosture,
        activated,
        clusterName:
            activated || stackPosture === "warm" ? clusterName(config.prefix, "dr") : "none (pilot light)",
    });
    const identifierOf = (stack: SimulatedStack) => {
        const drill = JSON.parse(stack.config["webank:drill"] ?? "null") as { id: string } | null;
        const restore = JSON.parse(stack.config["webank:restore"] ?? "{}") as { generation?: number };
        return restoredDatabaseIdentifier(
            drill ? `${config.prefix}-drill-${drill.id}` : config.prefix,
            restore.generation ?? 1,
        );
    };
    return {
        config: { "webank:role": "dr", "webank:posture": posture },
        onDestroy: (stack, world) => {
            world.dr.instances.delete(identifierOf(stack));
        },
        outputs: pilotOutputs(false, posture),
        deployment: JSON.stringify({ version: 3, deployment: { manifest: {}, resources: [] } }),
        onUp: (stack, world) => {
            const activated = stack.config["webank:activated"] === "true";
            const outputs = pilotOutputs(activated, stack.config["webank:posture"] ?? "pilot");
            if (!activated) {
                return outputs;
            }
            const identifier = identifierOf(stack);
            const endpoint = `${identifier}.sim.${config.drRegion}.rds.amazonaws.com:5432`;
            if (!world.dr.instances.has(identifier)) {
                world.dr.instances.set(identifier, {
                    identifier,
                    arn: `arn:aws:rds:${config.drRegion}:${world.accountId}:db:${identifier}`,
                    status: "available",
                    endpoint,
                    instanceClass: config.database.instanceClass,
                    securityGroupIds: ["sg-0dr"],
                    multiAz: true,
                    deletionProtection: true,
                });
            }
            return {
                ...outputs,
                dbEndpoint: endpoint,
            };
        },
    };
}

/**
 * The cluster tools as they answer on a normal day: Argo CD installed by Helm at revision 2
 * (revision 1 superseded), a bundle with one branch and one tag, an empty new remote.
 */
function seedTools(world: SimulatedWorld): void {
    const revision = (number: number, status: string, description: string) => ({
        revision: number,
        updated: `2026-11-2${number}T10:00:00Z`,
        status,
        chart: "argo-cd-9.1.0",
        app_version: "v3.2.0",
        description,
    });
    world.commandHandlers.set("helm", () => "");
    world.commandHandlers.set("helm history", () =>
        JSON.stringify([
            revision(1, "superseded", "Install complete"),
            revision(2, "deployed", "Upgrade complete"),
        ]),
    );
    world.commandHandlers.set("helm status", () =>
        JSON.stringify({ name: "argocd", namespace: "argocd", version: 2, info: { status: "deployed" } }),
    );
    const heads =
        "5f1c0de5f1c0de5f1c0de5f1c0de5f1c0de5f1c0 refs/heads/main\n9a8b7c69a8b7c69a8b7c69a8b7c69a8b7c69a8b7c refs/tags/v1.0.0\n";
    world.commandHandlers.set("git", () => "");
    world.commandHandlers.set("git bundle list-heads", () => heads);
    world.commandHandlers.set("git ls-remote", () => "");
}
