import { partitionOf } from "./regions";
import { ProblemCollector } from "./errors";

/** Where the DR database is restored from. */
export const RESTORE_SOURCES = ["pitr", "snapshot", "recovery-point"] as const;

/** Restore the DR database from the automated backups replicated into the DR region. */
export interface PitrRestore {
    /** Restore from the replicated automated backups (point in time). */
    readonly source: "pitr";
    /** `latest` for the latest restorable time, or an ISO-8601 instant with a time zone. */
    readonly time: string;
    /**
     * ARN of the replicated automated backups in the DR region. Default: the `primary`
     * stack's `dbReplicatedBackupsArn` output.
     */
    readonly automatedBackupsArn?: string;
    /** Restore generation: part of the instance name, so a new restore never replaces an old one. */
    readonly generation: number;
}

/** Restore the DR database from an RDS DB snapshot in the DR region. */
export interface SnapshotRestore {
    /** Restore from a DB snapshot. */
    readonly source: "snapshot";
    /** ARN of the DB snapshot, in the DR region. */
    readonly snapshotArn: string;
    /** Restore generation: part of the instance name, so a new restore never replaces an old one. */
    readonly generation: number;
}

/** Restore the DR database from an AWS Backup recovery point copied into the DR vault. */
export interface RecoveryPointRestore {
    /** Restore from an AWS Backup recovery point. */
    readonly source: "recovery-point";
    /** ARN of the recovery point; for RDS it is an `awsbackup:` DB snapshot ARN in the DR region. */
    readonly recoveryPointArn: string;
    /** Restore generation: part of the instance name, so a new restore never replaces an old one. */
    readonly generation: number;
}

/** The validated `webank:restore` value. */
export type RestoreSpec = PitrRestore | SnapshotRestore | RecoveryPointRestore;

/** What the restore is checked against. */
export interface RestoreContext {
    /** The DR region: every ARN must be in it. */
    readonly drRegion: string;
    /** Now, for "not in the future" and "inside the window" checks. */
    readonly now: Date;
    /** How many days the replicated automated backups reach back. */
    readonly replicatedBackupRetentionDays: number;
}

/** An instant with date, time and an explicit zone: at 3 a.m. nobody should guess the zone. */
const ISO_8601_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

const FIELDS_OF: Record<(typeof RESTORE_SOURCES)[number], readonly string[]> = {
    pitr: ["source", "time", "automatedBackupsArn", "generation"],
    snapshot: ["source", "snapshotArn", "generation"],
    "recovery-point": ["source", "recoveryPointArn", "generation"],
};

/**
 * Validates the parsed `webank:restore` object. Problems name `field.<property>` and the
 * value received: unknown sources, mixed sources (a snapshot and a PITR time together),
 * times that are not ISO-8601, in the future or outside the replicated window, and ARNs of
 * the wrong type or region.
 */
export function parseRestoreSpec(
    problems: ProblemCollector,
    field: string,
    value: Record<string, unknown>,
    context: RestoreContext,
): RestoreSpec | undefined {
    const before = problems.count;
    const source = value.source;
    if (typeof source !== "string" || !(RESTORE_SOURCES as readonly string[]).includes(source)) {
        problems.add(`${field}.source`, `be one of ${RESTORE_SOURCES.join(", ")}`, source);
        return undefined;
    }
    const kind = source as (typeof RESTORE_SOURCES)[number];
    for (const property of Object.keys(value)) {
        if (!FIELDS_OF[kind].includes(property)) {
            const mixed = ["time", "snapshotArn", "recoveryPointArn", "automatedBackupsArn"].includes(
                property,
            );
            problems.add(
                `${field}.${property}`,
                mixed
                    ? `not be set with source "${kind}" (choose one source: ${RESTORE_SOURCES.join(", ")})`
                    : `be one of the fields of a "${kind}" restore (${FIELDS_OF[kind].join(", ")})`,
                value[property],
            );
        }
    }
    const generation = parseGeneration(problems, `${field}.generation`, value.generation);

    let spec: RestoreSpec | undefined;
    if (kind === "pitr") {
        const time = parseTime(problems, `${field}.time`, value.time, context);
        const arn =
            value.automatedBackupsArn === undefined
                ? undefined
                : rdsArn(
                      problems,
                      `${field}.automatedBackupsArn`,
                      value.automatedBackupsArn,
                      context.drRegion,
                      AUTOMATED_BACKUPS,
                  );
        spec = time === undefined ? undefined : { source: kind, time, automatedBackupsArn: arn, generation };
    } else if (kind === "snapshot") {
        const arn = rdsArn(
            problems,
            `${field}.snapshotArn`,
            value.snapshotArn,
            context.drRegion,
            DB_SNAPSHOT,
        );
        spec = arn === undefined ? undefined : { source: kind, snapshotArn: arn, generation };
    } else {
        const arn = rdsArn(
            problems,
            `${field}.recoveryPointArn`,
            value.recoveryPointArn,
            context.drRegion,
            BACKUP_RECOVERY_POINT,
        );
        spec = arn === undefined ? undefined : { source: kind, recoveryPointArn: arn, generation };
    }
    return problems.count === before ? spec : undefined;
}

/** An RDS ARN kind: its resource part and how to describe it. */
interface RdsArnKind {
    /** Pattern of the resource part (after the account id). */
    readonly resource: RegExp;
    /** What the ARN must be, for the error message. */
    readonly description: string;
}

const AUTOMATED_BACKUPS: RdsArnKind = {
    resource: /^auto-backup:ab-[A-Za-z0-9]+$/,
    description: "replicated automated backups (…:auto-backup:ab-…)",
};
const DB_SNAPSHOT: RdsArnKind = {
    resource: /^snapshot:[A-Za-z][A-Za-z0-9:-]*$/,
    description: "a DB instance snapshot (…:snapshot:<name>)",
};
const BACKUP_RECOVERY_POINT: RdsArnKind = {
    resource: /^snapshot:awsbackup:job-[A-Za-z0-9-]+$/,
    description: "an AWS Backup recovery point of an RDS instance (…:snapshot:awsbackup:job-…)",
};

function rdsArn(
    problems: ProblemCollector,
    field: string,
    value: unknown,
    drRegion: string,
    kind: RdsArnKind,
): string | undefined {
    if (typeof value !== "string") {
        problems.add(field, `be the ARN of ${kind.description} in ${drRegion} (it is required)`, value);
        return undefined;
    }
    const match = /^arn:([a-z0-9-]+):([a-z0-9-]+):([a-z0-9-]*):(\d{12}):(.+)$/.exec(value);
    // The partition must be the DR region's own (aws, aws-cn, aws-us-gov, ...: the SDK's partition data).
    if (!match || match[1] !== partitionOf(drRegion) || match[2] !== "rds" || !kind.resource.test(match[5])) {
        problems.add(field, `be the ARN of ${kind.description}`, value);
        return undefined;
    }
    if (match[3] !== drRegion) {
        problems.add(
            field,
            `be in the DR region ${drRegion}, where the database is restored (copy it there first)`,
            value,
        );
        return undefined;
    }
    return value;
}

function parseTime(
    problems: ProblemCollector,
    field: string,
    value: unknown,
    context: RestoreContext,
): string | undefined {
    if (value === "latest") {
        return value;
    }
    if (typeof value !== "string" || !ISO_8601_INSTANT.test(value) || Number.isNaN(Date.parse(value))) {
        problems.add(
            field,
            'be "latest" or an ISO-8601 instant with a time zone, e.g. 2026-11-25T03:00:00Z',
            value,
        );
        return undefined;
    }
    const at = Date.parse(value);
    if (at > context.now.getTime()) {
        problems.add(field, `not be in the future (now is ${context.now.toISOString()})`, value);
        return undefined;
    }
    const oldest = context.now.getTime() - context.replicatedBackupRetentionDays * 24 * 60 * 60 * 1000;
    if (at < oldest) {
        problems.add(
            field,
            `be inside the ${context.replicatedBackupRetentionDays}-day window of the replicated backups (after ${new Date(oldest).toISOString()})`,
            value,
        );
        return undefined;
    }
    return value;
}

function parseGeneration(problems: ProblemCollector, field: string, value: unknown): number {
    if (value === undefined) {
        return 1;
    }
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 999) {
        problems.add(field, "be a whole number from 1 to 999", value);
    }
    return typeof value === "number" ? value : 1;
}
