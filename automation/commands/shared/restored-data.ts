import type { StackConfig } from "../../../config/stack-config";
import { HEARTBEAT_PERIOD_MINUTES, heartbeatSourceOf } from "../../../lib/heartbeat";
import { clusterName, primaryDatabaseIdentifier } from "../../../lib/naming";
import { judgeRestoredData } from "../../../lib/restored-data";
import type { DataPort, RegionPorts } from "../../ports";
import { Measurement, measurement, minutesBetween } from "../../run/report";
import type { Step, StepOutcome } from "../../run/steps";

/*
 * The data half of every restore's verify step: the restored database is opened as the
 * verifier role and judged by what it holds (lib/restored-data.ts), not by RDS's status. A
 * restore whose data fails stops its run there: a failover never switches traffic to it.
 */

/** The read-only step that reads the source database's migration version while it answers. */
export const SOURCE_DATA_STEP = "preflight-source-data";

/** Journal keys of the verify step's data (the report reads them). */
export const DATA_KEYS = {
    /** The newest heartbeat found, ISO-8601. */
    newestHeartbeat: "newestHeartbeat",
    /** The source's migration version, or `none`; absent when the source did not answer. */
    sourceMigrationVersion: "sourceMigrationVersion",
} as const;

/** Whose beats the verifier counts: the home platform's writer (its cluster, stacks/platform.ts). */
export function homeHeartbeatSource(config: StackConfig): string {
    return heartbeatSourceOf(clusterName(config.prefix, "primary"));
}

/** What {@link verifyRestoredData} checks. */
export interface RestoredDataCheck {
    /** The verifier in the restored database's region. */
    readonly data: DataPort;
    /** The stack's config: database name, objectives, `webank:verifyTables`, `webank:verifyMigrations`. */
    readonly config: StackConfig;
    /** The restored instance. */
    readonly identifier: string;
    /** Its endpoint, `host:port`. */
    readonly endpoint: string;
    /** The point the restore asked for (the restore point, or the recovery point's time). */
    readonly point: Date;
    /** The source's migration version: null for none; undefined when the source did not answer. */
    readonly sourceMigrationVersion?: string | null;
    /** Whether the restore asked for the latest point, so the schema must be the source's. @default true */
    readonly latest?: boolean;
    /** What the failure message says was held back (e.g. "traffic was NOT switched"). */
    readonly heldBack?: string;
}

/**
 * Opens the restored database and judges its data; throws naming every failed check, the
 * instance (left as it is, for investigation) and what was held back. Journals the newest
 * heartbeat, from which the report measures the achieved RPO.
 */
export async function verifyRestoredData(check: RestoredDataCheck): Promise<StepOutcome> {
    const { config } = check;
    const tables = config.verification.tables;
    const migrations = config.verification.migrations;
    const observed = await check.data.read({
        identifier: check.identifier,
        endpoint: check.endpoint,
        database: config.database.name,
        heartbeatSource: homeHeartbeatSource(config),
        tables: Object.keys(tables),
        migrations,
    });
    const verdict = judgeRestoredData(observed, {
        target: check.point,
        periodMinutes: HEARTBEAT_PERIOD_MINUTES,
        rpoMinutes: config.objectives.database.rpoMinutes,
        tables,
        migrations,
        migrationMustMatch: check.latest !== false,
        latest: check.latest !== false,
        ...(check.sourceMigrationVersion !== undefined
            ? { sourceMigrationVersion: check.sourceMigrationVersion }
            : {}),
    });
    if (!verdict.ok) {
        throw new Error(
            `the data in ${check.identifier} (database ${config.database.name}) fails verification: ${verdict.problems.join("; ")}. ` +
                `${check.heldBack ?? "Nothing after this step ran"}; ${check.identifier} is left as it is for investigation`,
        );
    }
    return {
        detail: `data of ${config.database.name}: ${verdict.lines.join("; ")}`,
        data: verdict.newestBeat ? { [DATA_KEYS.newestHeartbeat]: verdict.newestBeat.toISOString() } : {},
    };
}

/**
 * The read-only preflight that reads the source database's migration version, so the restored
 * one can be compared with it. It never fails the run: a source that does not answer (the home
 * region is down) is journaled as such and the comparison is skipped, saying so. Without
 * `webank:verifyMigrations` there is nothing to read.
 */
export function sourceDataStep(config: StackConfig, home: RegionPorts): Step {
    const source = primaryDatabaseIdentifier(config.prefix);
    return {
        name: SOURCE_DATA_STEP,
        after: [],
        readOnly: true,
        describe: `read the migration version of ${source}, for the restored database to be compared with`,
        run: async () => {
            const read = await readSourceMigrationVersion(config, home);
            return read.version === undefined
                ? read.detail
                : {
                      detail: read.detail,
                      data: { [DATA_KEYS.sourceMigrationVersion]: read.version ?? "none" },
                  };
        },
    };
}

/**
 * The source database's migration version: null when it has none, undefined when nothing is
 * configured or the source did not answer (said in `detail`). Never throws.
 */
export async function readSourceMigrationVersion(
    config: StackConfig,
    home: RegionPorts,
): Promise<{ version?: string | null; detail: string }> {
    const source = primaryDatabaseIdentifier(config.prefix);
    const migrations = config.verification.migrations;
    if (migrations === "none") {
        return {
            detail: "no schema-migration tool configured (webank:verifyMigrations none): nothing to compare",
        };
    }
    try {
        const instance = await home.database.describeInstance(source);
        if (!instance?.endpoint) {
            return {
                detail: `${source} has no endpoint in ${home.region}: its migration version is not compared`,
            };
        }
        const observed = await home.data.read({
            identifier: source,
            endpoint: instance.endpoint,
            database: config.database.name,
            heartbeatSource: homeHeartbeatSource(config),
            migrations,
        });
        const version = observed.migrationVersion ?? null;
        return { version, detail: `${source} is at ${migrations} version ${version ?? "(none)"}` };
    } catch (error) {
        return {
            detail: `${source} did not answer (${(error as Error).message}): its migration version is not compared`,
        };
    }
}

/** The source's migration version as {@link sourceDataStep} journaled it. */
export function journaledSourceVersion(
    data: Readonly<Record<string, string>> | undefined,
): string | null | undefined {
    const version = data?.[DATA_KEYS.sourceMigrationVersion];
    return version === undefined ? undefined : version === "none" ? null : version;
}

/**
 * The achieved RPO of a restore: from the newest home heartbeat the verify step journaled to
 * `reference` (the failure time, or the run's start), measured from the data, with AWS's
 * restore point beside it in a note; from the restore point alone, saying so, when the data
 * was not verified.
 */
export function achievedRpo(
    verifyData: Readonly<Record<string, string>> | undefined,
    point: string,
    reference: { readonly at: string; readonly text: string },
    objectiveMinutes: number,
): { rpo: Measurement; note?: string } {
    const awsMinutes = Math.max(0, minutesBetween(point, reference.at));
    const beat = verifyData?.[DATA_KEYS.newestHeartbeat];
    if (!beat) {
        return {
            rpo: measurement(
                `restored point ${point} to ${reference.text} (AWS's restore time: the data was not verified)`,
                awsMinutes,
                objectiveMinutes,
            ),
        };
    }
    return {
        rpo: measurement(
            `newest heartbeat in the restored database ${beat} to ${reference.text}, measured from the data`,
            Math.max(0, minutesBetween(beat, reference.at)),
            objectiveMinutes,
        ),
        note: `AWS's restore point ${point}: ${awsMinutes} min before ${reference.at}`,
    };
}
