import type { DataObservation } from "../../lib/heartbeat";
import { HEARTBEAT_PERIOD_MINUTES } from "../../lib/heartbeat";
import type { DataPort } from "../ports";
import { replicatedView } from "./replica-state";
import type { Side } from "./state";
import type { WorldCore } from "./world-core";

/*
 * What the simulated databases hold, as far as the verifier reads it: the heartbeat table, the
 * critical tables' rows and the migration version. A live database's writer beats every
 * period until it is stopped; a restore copies its source's data as of the restore point, so
 * the newest heartbeat of a copy is the last beat at or before that point. A database with no
 * recorded data is an empty one: no heartbeat table, no tables. Real PostgreSQL behind the same
 * questions: automation/adapters/postgres-verifier.ts and its peer tests. A read replica answers
 * with what it has replayed: its source's data as of its lag (./replica-state.ts).
 */

/** A span during which one writer beat into a database (`to` absent: it still does). */
export interface BeatSpan {
    /** The writer's source: its cluster's name. */
    readonly source: string;
    /** The first beat's time, ISO-8601. */
    readonly from: string;
    /** When it stopped, ISO-8601; absent while it beats. */
    readonly to?: string;
}

/** The data of one simulated database. */
export interface DatabaseData {
    /** False for a database without the heartbeat table (its setup never ran). */
    readonly heartbeatTable: boolean;
    /** Who beat into it and when; a restored copy's spans end at its restore point. */
    readonly beats: readonly BeatSpan[];
    /** Rows of each table the database holds. */
    readonly tables: Readonly<Record<string, number>>;
    /** The schema-migration version, absent when no migration table exists. */
    readonly migrationVersion?: string;
}

/** The key of a database's data: its side and identifier. */
function keyOf(side: Side, identifier: string): string {
    return `${side}:${identifier}`;
}

/** The world's database data (older saved worlds have none: every database is then empty). */
function dataMap(world: WorldCore): Record<string, DatabaseData> {
    const state = world.state as { databases?: Record<string, DatabaseData> };
    state.databases ??= {};
    return state.databases;
}

/**
 * The heartbeat writers by the database identifier they connect to (`<side>:<identifier>`,
 * like the CronJob, which connects by endpoint name): whichever instance holds that name
 * receives the beats.
 */
function writerMap(world: WorldCore): Record<string, string> {
    const state = world.state as { heartbeatWriters?: Record<string, string> };
    state.heartbeatWriters ??= {};
    return state.heartbeatWriters;
}

/** The data of a database, when it holds any. */
export function databaseData(world: WorldCore, side: Side, identifier: string): DatabaseData | undefined {
    return dataMap(world)[keyOf(side, identifier)];
}

/** Sets (or, with undefined, empties) the data of a database. */
export function setDatabaseData(
    world: WorldCore,
    side: Side,
    identifier: string,
    data: DatabaseData | undefined,
): void {
    const map = dataMap(world);
    if (data) {
        map[keyOf(side, identifier)] = data;
    } else {
        delete map[keyOf(side, identifier)];
    }
}

/** Ends the open spans of `data` (of `source` only, when given) at `at`. */
function closeSpans(data: DatabaseData, at: Date, source?: string): DatabaseData {
    return {
        ...data,
        beats: data.beats.map((span) =>
            span.to === undefined && (source === undefined || span.source === source)
                ? { ...span, to: at.toISOString() }
                : span,
        ),
    };
}

/**
 * Starts a heartbeat writer of `source` connecting to `identifier` on `side`: the database
 * there beats from `at`, and so does any instance later renamed to that identifier.
 */
export function startHeartbeatWriter(
    world: WorldCore,
    side: Side,
    identifier: string,
    source: string,
    at: Date,
): void {
    writerMap(world)[keyOf(side, identifier)] = source;
    const data = databaseData(world, side, identifier);
    if (data && !data.beats.some((s) => s.source === source && s.to === undefined)) {
        setDatabaseData(world, side, identifier, {
            ...data,
            beats: [...data.beats, { source, from: at.toISOString() }],
        });
    }
}

/** Stops the writer connecting to `identifier` (a failing CronJob): its last beat is at `at`. */
export function stopHeartbeatWriter(world: WorldCore, side: Side, identifier: string, at: Date): void {
    const source = writerMap(world)[keyOf(side, identifier)];
    delete writerMap(world)[keyOf(side, identifier)];
    const data = databaseData(world, side, identifier);
    if (data && source) {
        setDatabaseData(world, side, identifier, closeSpans(data, at, source));
    }
}

/** The suspended writers by source (their cluster's name): where each connected. */
function suspendedMap(world: WorldCore): Record<string, string[]> {
    const state = world.state as { suspendedHeartbeats?: Record<string, string[]> };
    state.suspendedHeartbeats ??= {};
    return state.suspendedHeartbeats;
}

/**
 * The heartbeat CronJob of `source`'s cluster, suspended (`true`) or resumed (`false`), as a
 * `kubectl patch` of its `spec.suspend` makes it: suspended, no Job is scheduled, so its writers
 * stop at `at` (a running Job ends within its deadline: the caller waits for that); resumed,
 * they beat again into whichever instance holds the name they connect to. Undefined when the
 * cluster runs no heartbeat writer (the CronJob is not there); else whether anything changed.
 */
export function setHeartbeatSuspended(
    world: WorldCore,
    source: string,
    suspended: boolean,
    at: Date,
): boolean | undefined {
    const writers = Object.entries(writerMap(world))
        .filter(([, s]) => s === source)
        .map(([key]) => key);
    const held = suspendedMap(world)[source] ?? [];
    if (writers.length === 0 && held.length === 0) {
        return undefined;
    }
    if (suspended) {
        for (const key of writers) {
            const [side, identifier] = splitKey(key);
            stopHeartbeatWriter(world, side, identifier, at);
        }
        suspendedMap(world)[source] = [...held, ...writers];
        return writers.length > 0;
    }
    for (const key of held) {
        const [side, identifier] = splitKey(key);
        startHeartbeatWriter(world, side, identifier, source, at);
    }
    delete suspendedMap(world)[source];
    return held.length > 0;
}

/** The side and identifier of a `<side>:<identifier>` key. */
function splitKey(key: string): [Side, string] {
    const at = key.indexOf(":");
    return [key.slice(0, at) as Side, key.slice(at + 1)];
}

/**
 * A restore: the target holds the source's data as of `point`, every span cut there (a copy
 * of a copy keeps the earlier ends). A source without data gives an empty target.
 */
export function copyDatabaseData(
    world: WorldCore,
    from: { side: Side; identifier: string },
    to: { side: Side; identifier: string },
    point: Date,
): void {
    const source = databaseData(world, from.side, from.identifier);
    if (!source) {
        setDatabaseData(world, to.side, to.identifier, undefined);
        return;
    }
    const cut = point.getTime();
    const beats = source.beats
        .filter((span) => Date.parse(span.from) <= cut)
        .map((span) => ({
            ...span,
            to: new Date(Math.min(span.to === undefined ? cut : Date.parse(span.to), cut)).toISOString(),
        }));
    setDatabaseData(world, to.side, to.identifier, { ...source, beats });
}

/**
 * A rename: the data moves with the instance. The writer connecting to the old name stops
 * beating into it; one connecting to the new name starts (the cut-over of an in-place restore).
 */
export function moveDatabaseData(world: WorldCore, side: Side, from: string, to: string): void {
    const now = world.now();
    let data = databaseData(world, side, from);
    setDatabaseData(world, side, from, undefined);
    if (!data) {
        return;
    }
    if (writerMap(world)[keyOf(side, from)]) {
        data = closeSpans(data, now);
    }
    setDatabaseData(world, side, to, data);
    const writer = writerMap(world)[keyOf(side, to)];
    if (writer) {
        startHeartbeatWriter(world, side, to, writer, now);
    }
}

/** The newest beat of `source` in `data` at `now`: the last whole period inside one of its spans. */
function newestBeat(data: DatabaseData, source: string, now: Date): { newest?: Date; beats: number } {
    const period = HEARTBEAT_PERIOD_MINUTES * 60_000;
    let newest: number | undefined;
    let beats = 0;
    for (const span of data.beats.filter((s) => s.source === source)) {
        const from = Math.ceil(Date.parse(span.from) / period) * period;
        const to =
            Math.floor(
                Math.min(span.to === undefined ? now.getTime() : Date.parse(span.to), now.getTime()) / period,
            ) * period;
        if (to >= from) {
            beats += Math.floor((to - from) / period) + 1;
            newest = Math.max(newest ?? to, to);
        }
    }
    return { ...(newest !== undefined ? { newest: new Date(newest) } : {}), beats };
}

/** The verifier's port on one side: finds the instance at the endpoint and answers from its data. */
export function dataPort(world: WorldCore, side: Side): DataPort {
    const region = world.region(side);
    return {
        read: async (target) => {
            await world.enter(`${side}.data.read`, { identifier: target.identifier });
            return world.transact((): DataObservation => {
                const instance = [...region.instances.values()].find((i) => i.endpoint === target.endpoint);
                if (!instance || instance.status !== "available") {
                    throw new Error(
                        `cannot connect to the restored database as webank_dr_verifier@${target.endpoint}/${target.database} over verified TLS: ` +
                            `connect ECONNREFUSED (${instance ? `${instance.identifier} is ${instance.status}` : "no instance answers there"})`,
                    );
                }
                // A read replica answers with what it has replayed: its source's data as of its lag.
                const view = replicatedView(world, side, instance.identifier);
                const data = view
                    ? databaseData(world, view.source.side, view.source.identifier)
                    : databaseData(world, side, instance.identifier);
                const asOf = view ? view.asOf : world.now();
                const tools = target.migrations ?? "none";
                const extra = {
                    ...(target.tables?.length
                        ? {
                              tableRows: Object.fromEntries(
                                  target.tables.map((t) => [t, data?.tables[t] ?? null] as const),
                              ),
                          }
                        : {}),
                    ...(tools !== "none" ? { migrationVersion: data?.migrationVersion ?? null } : {}),
                };
                if (!data?.heartbeatTable) {
                    return { heartbeatTable: false, beats: 0, ...extra };
                }
                const { newest, beats } = newestBeat(data, target.heartbeatSource, asOf);
                return { heartbeatTable: true, beats, ...(newest ? { newestBeat: newest } : {}), ...extra };
            });
        },
    };
}

/** Rows the standard world's primary holds in each critical table: well above any minimum. */
const SEEDED_ROWS_PER_MINIMUM = 1000;

/**
 * The data of a live platform database in the standard world: the heartbeat set up with no
 * beat yet (the writer is started with {@link startHeartbeatWriter}), each critical table of
 * `webank:verifyTables` well above its minimum, and a migration version in the shape the
 * configured tool writes (Flyway: a dotted version string; golang-migrate: a bigint,
 * conventionally a UTC timestamp).
 */
export function liveDatabaseData(verification: {
    readonly tables: Readonly<Record<string, number>>;
    readonly migrations: string;
}): DatabaseData {
    const version =
        verification.migrations === "flyway"
            ? "1.42"
            : verification.migrations === "golang-migrate"
              ? "20261130120000"
              : undefined;
    return {
        heartbeatTable: true,
        beats: [],
        tables: Object.fromEntries(
            Object.entries(verification.tables).map(([t, min]) => [
                t,
                Math.max(1, min) * SEEDED_ROWS_PER_MINIMUM,
            ]),
        ),
        ...(version ? { migrationVersion: version } : {}),
    };
}
