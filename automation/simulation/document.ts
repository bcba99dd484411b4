import { DatabaseInstance, LockHolder, RecoveryPoint } from "../ports";
import { ObjectVersion, SimulatedRegion } from "./region";
import { PlainState } from "./state";
import type { SimulatedTrafficSwitch, WorldCore } from "./world-core";

/*
 * `world.json`: the whole world as one JSON document, and back. Dates become ISO-8601
 * strings and bodies UTF-8 text (base64 when they are not text); the live maps and arrays
 * are refilled in place, so references held by tests and ports stay valid.
 */

/** The schema of `world.json`; a file of another schema is refused, not guessed at. */
export const WORLD_SCHEMA = "webank-dr/simulated-world/v3";

/** One object version in the file. */
interface VersionDocument {
    readonly versionId: string;
    readonly lastModified: string;
    readonly body?: string;
    readonly bodyBase64?: string;
}

/** One region in the file. */
interface RegionDocument {
    readonly instances: Record<string, unknown>[];
    readonly replicatedBackups: Record<string, { arn: string; earliest: string; latest: string }>;
    readonly snapshots: Record<string, string>;
    readonly vaults: Record<string, Record<string, unknown>[]>;
    readonly buckets: Record<string, Record<string, VersionDocument[]>>;
}

/** A stack in the file: its config, outputs, deployment, and the simulated program its `up` runs. */
interface StackDocument {
    readonly config: Record<string, string>;
    readonly outputs: Record<string, unknown>;
    readonly deployment: string;
    readonly program?: string;
}

/** The whole world, as `world.json` holds it. */
export interface WorldDocument {
    /** The file's schema, always {@link WORLD_SCHEMA}. */
    readonly schema: typeof WORLD_SCHEMA;
    /** The virtual clock: the latest time any process of the rehearsal reached (ISO-8601). */
    readonly clock: string;
    /** The AWS account id (12 digits). */
    readonly accountId: string;
    /** The home and DR regions' RDS instances, snapshots, backup vaults and S3 buckets. */
    readonly regions: { readonly home: RegionDocument; readonly dr: RegionDocument };
    /** Pulumi stacks by name. */
    readonly stacks: Record<string, StackDocument>;
    /** Who holds the failover lock (the lock table's item), when someone does. */
    readonly lock?: LockHolder;
    /** The PRIMARY record's Route 53 health check: its id, whether it is healthy and whether it is inverted. */
    readonly healthCheck?: SimulatedTrafficSwitch;
    /** What Route 53 answers for the failover record while the PRIMARY is healthy, and after failover. */
    readonly dnsTargets?: { primary: string; secondary: string };
    /** Every notification published to the SNS alert topic, in order. */
    readonly notifications: { subject: string; message: string }[];
    /** Every change made through the ports, in order (WorldCore `changes`). */
    readonly changes: string[];
    /** The rest of the world's data: jobs, builds, clusters, kubeconfig, Git repositories. */
    readonly state: PlainState;
}

const DATE_FIELDS_OF_INSTANCE = ["latestRestorableTime"] as const;

function regionDocument(region: SimulatedRegion): RegionDocument {
    const version = (v: ObjectVersion): VersionDocument => {
        const text = v.body.toString("utf8");
        return Buffer.from(text, "utf8").equals(v.body)
            ? { versionId: v.versionId, lastModified: v.lastModified.toISOString(), body: text }
            : {
                  versionId: v.versionId,
                  lastModified: v.lastModified.toISOString(),
                  bodyBase64: v.body.toString("base64"),
              };
    };
    return {
        instances: [...region.instances.values()].map((instance) => ({
            ...instance,
            latestRestorableTime: instance.latestRestorableTime?.toISOString(),
        })),
        replicatedBackups: Object.fromEntries(
            [...region.replicatedBackups].map(([source, b]) => [
                source,
                { arn: b.arn, earliest: b.earliest.toISOString(), latest: b.latest.toISOString() },
            ]),
        ),
        snapshots: Object.fromEntries(region.snapshots),
        vaults: Object.fromEntries(
            [...region.vaults].map(([vault, points]) => [
                vault,
                points.map((p) => ({ ...p, createdAt: p.createdAt.toISOString() })),
            ]),
        ),
        buckets: Object.fromEntries(
            [...region.buckets].map(([bucket, objects]) => [
                bucket,
                Object.fromEntries([...objects].map(([key, versions]) => [key, versions.map(version)])),
            ]),
        ),
    };
}

function loadRegion(region: SimulatedRegion, document: RegionDocument): void {
    region.instances.clear();
    for (const raw of document.instances) {
        const instance = { ...raw } as Record<string, unknown>;
        for (const field of DATE_FIELDS_OF_INSTANCE) {
            instance[field] = typeof raw[field] === "string" ? new Date(raw[field]) : undefined;
            if (instance[field] === undefined) {
                delete instance[field];
            }
        }
        region.instances.set(instance.identifier as string, instance as unknown as DatabaseInstance);
    }
    region.replicatedBackups.clear();
    for (const [source, b] of Object.entries(document.replicatedBackups)) {
        region.replicatedBackups.set(source, {
            arn: b.arn,
            earliest: new Date(b.earliest),
            latest: new Date(b.latest),
        });
    }
    region.snapshots.clear();
    Object.entries(document.snapshots).forEach(([id, arn]) => region.snapshots.set(id, arn));
    region.vaults.clear();
    for (const [vault, points] of Object.entries(document.vaults)) {
        region.vaults.set(
            vault,
            points.map(
                (p) => ({ ...p, createdAt: new Date(p.createdAt as string) }) as unknown as RecoveryPoint,
            ),
        );
    }
    region.buckets.clear();
    for (const [bucket, objects] of Object.entries(document.buckets)) {
        const keys = new Map<string, ObjectVersion[]>();
        for (const [key, versions] of Object.entries(objects)) {
            keys.set(
                key,
                versions.map((v) => ({
                    versionId: v.versionId,
                    lastModified: new Date(v.lastModified),
                    body:
                        v.bodyBase64 !== undefined
                            ? Buffer.from(v.bodyBase64, "base64")
                            : Buffer.from(v.body ?? ""),
                })),
            );
        }
        region.buckets.set(bucket, keys);
    }
}

/** The world as a document, with `clock` as its virtual time. */
export function documentOf(world: WorldCore, clock: Date): WorldDocument {
    return {
        schema: WORLD_SCHEMA,
        clock: clock.toISOString(),
        accountId: world.accountId,
        regions: { home: regionDocument(world.home), dr: regionDocument(world.dr) },
        stacks: Object.fromEntries(
            [...world.stacks].map(([name, s]) => [
                name,
                { config: { ...s.config }, outputs: s.outputs, deployment: s.deployment, program: s.program },
            ]),
        ),
        ...(world.lockHolder ? { lock: world.lockDetails() } : {}),
        ...(world.healthCheck ? { healthCheck: { ...world.healthCheck } } : {}),
        ...(world.dnsTargets ? { dnsTargets: { ...world.dnsTargets } } : {}),
        notifications: world.notifications.map((n) => ({ ...n })),
        changes: [...world.changes],
        state: JSON.parse(JSON.stringify(world.state)) as PlainState,
    };
}

/**
 * Replaces the world's data with a document's, keeping the live maps and arrays (tests and
 * ports hold them) and everything that is code: stack programs, handlers, faults.
 */
export function loadDocument(world: WorldCore, document: WorldDocument): void {
    loadRegion(world.home, document.regions.home);
    loadRegion(world.dr, document.regions.dr);
    world.stacks.clear();
    for (const [name, s] of Object.entries(document.stacks)) {
        world.stacks.set(name, {
            config: { ...s.config },
            outputs: s.outputs,
            deployment: s.deployment,
            ...(s.program ? { program: s.program } : {}),
        });
    }
    world.lockHolder = document.lock?.owner;
    world.lockInfo = document.lock ? { since: document.lock.since, by: document.lock.by } : undefined;
    world.healthCheck = document.healthCheck ? { ...document.healthCheck } : undefined;
    world.dnsTargets = document.dnsTargets ? { ...document.dnsTargets } : undefined;
    world.notifications.splice(0, world.notifications.length, ...document.notifications);
    world.changes.splice(0, world.changes.length, ...document.changes);
    world.state = JSON.parse(JSON.stringify(document.state)) as PlainState;
}

/**
 * Checks that parsed JSON is a world document this code can load; returns a reason when it
 * is not (the caller names the file and how to start again).
 */
export function documentProblem(value: unknown): string | undefined {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        return "it is not a JSON object";
    }
    const document = value as Partial<WorldDocument>;
    if (document.schema !== WORLD_SCHEMA) {
        return `its schema is ${JSON.stringify(document.schema)}, not ${WORLD_SCHEMA}`;
    }
    const missing = (
        ["clock", "accountId", "regions", "stacks", "notifications", "changes", "state"] as const
    ).filter((field) => document[field] === undefined);
    if (missing.length > 0) {
        return `it has no ${missing.join(", ")}`;
    }
    if (Number.isNaN(Date.parse(document.clock as string))) {
        return `its clock ${JSON.stringify(document.clock)} is not an ISO-8601 time`;
    }
    return undefined;
}
