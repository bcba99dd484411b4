import type { StackConfig } from "../../../config/stack-config";
import { drCopyPeriodMinutes, drCopyRpoMinutes } from "../../../lib/backup-rules";
import { DR_COPY_DELIVERY_MINUTES } from "../../../lib/backup-windows";
import { backupVaultName, primaryDatabaseIdentifier } from "../../../lib/naming";
import type { RecoveryPorts, ReplicatedBackups } from "../../ports";

/*
 * Where a DR database comes from: the one decision a failover and a drill share, made once
 * by a read-only preflight step and journaled, so a resumed run never chooses again.
 */

/** Where the database comes from, decided once in preflight and journaled. */
export type RestoreChoice =
    | {
          readonly source: "pitr";
          readonly time: string;
          readonly point: string;
          readonly automatedBackupsArn: string;
      }
    | { readonly source: "recovery-point"; readonly recoveryPointArn: string; readonly point: string };

/** The point the database is restored to, checked against the replicated backups' window. */
export function chooseRestorePoint(
    backups: ReplicatedBackups,
    restoreTime: string,
): { time: Date; description: string } {
    const time = restoreTime === "latest" ? backups.latest : new Date(restoreTime);
    if (Number.isNaN(time.getTime())) {
        throw new Error(`--restore-time must be "latest" or an ISO-8601 instant; got "${restoreTime}"`);
    }
    if (time < backups.earliest || time > backups.latest) {
        throw new Error(
            `--restore-time ${time.toISOString()} is outside the restorable window of the replicated backups ` +
                `(${backups.earliest.toISOString()} to ${backups.latest.toISOString()}); choose a time inside it or "latest"`,
        );
    }
    return {
        time,
        description:
            restoreTime === "latest" ? `latest restorable time ${time.toISOString()}` : time.toISOString(),
    };
}

/**
 * The RPO a restore from the DR vault gives, in minutes: the period at which the database
 * plan copies there plus how late a copy may land ({@link drCopyRpoMinutes}, the one
 * definition `status` uses too). The copies are snapshots, so this holds however small the
 * database RPO is.
 */
export function drVaultRpoMinutes(config: StackConfig): number {
    return drCopyRpoMinutes(config.backup.rules.database);
}

/** For a restore from the DR vault, the report's note that its RPO is the copy period; undefined for PITR. */
export function fallbackRpoNote(config: StackConfig, choice: RestoreChoice): string | undefined {
    return choice.source === "recovery-point"
        ? `restored from the DR-vault fallback: its RPO is up to the copy period plus the copy's delivery (${drVaultRpoMinutes(config)} min), ` +
              `not the database RPO of ${config.objectives.database.rpoMinutes} min`
        : undefined;
}

/** `N min before|after <what> (<instant>)`: how old `point` is at `reference`. */
function ageAt(point: Date, reference: Date, what: string): string {
    const minutes = Math.round((reference.getTime() - point.getTime()) / 60_000);
    return `${Math.abs(minutes)} min ${minutes < 0 ? "after" : "before"} ${what} (${reference.toISOString()})`;
}

/**
 * Decides where the DR database comes from: point-in-time restore from the replicated automated
 * backups when there are any; otherwise, for `latest` only, the newest RDS recovery point in the
 * DR vault (a larger RPO, said loudly: the copy period, and how old the point is at
 * `failureTime`, or now when there is none); otherwise a clear stop. Changes nothing.
 */
export async function chooseRestoreSource(
    config: StackConfig,
    restoreTime: string,
    ports: RecoveryPorts,
    failureTime?: Date,
): Promise<{ choice: RestoreChoice; description: string }> {
    const source = primaryDatabaseIdentifier(config.prefix);
    const backups = await ports.dr.database.replicatedBackups(source);
    if (backups) {
        const point = chooseRestorePoint(backups, restoreTime);
        return {
            choice: {
                source: "pitr",
                time: restoreTime === "latest" ? "latest" : point.time.toISOString(),
                point: point.time.toISOString(),
                automatedBackupsArn: backups.arn,
            },
            description: `point-in-time restore to ${point.description}`,
        };
    }
    const vault = backupVaultName(config.prefix);
    const recoveryPoint = await ports.dr.backup.newestRecoveryPoint(vault, { resourceType: "RDS" });
    if (restoreTime !== "latest") {
        throw new Error(
            `no automated backups of ${source} are replicated into ${config.drRegion}, so a point-in-time restore to ${restoreTime} is impossible; ` +
                (recoveryPoint
                    ? `run again with --restore-time latest to restore the newest DR-vault recovery point (${recoveryPoint.createdAt.toISOString()})`
                    : `and the DR vault ${vault} holds no RDS recovery point either`),
        );
    }
    if (!recoveryPoint) {
        throw new Error(
            `nothing to restore the database from in ${config.drRegion}: no replicated automated backups of ${source} ` +
                `and no RDS recovery point in the DR vault ${vault}; check the backup replication (npm run dr -- status) before anything else`,
        );
    }
    // A copy keeps its source's creation date (AWS Backup developer guide, "Copy a backup"),
    // so createdAt is when the data was captured: everything written after it is lost.
    const taken = recoveryPoint.createdAt.toISOString();
    const age = failureTime
        ? ageAt(recoveryPoint.createdAt, failureTime, "the failure")
        : ageAt(recoveryPoint.createdAt, ports.now(), "now");
    const period = drCopyPeriodMinutes(config.backup.rules.database);
    return {
        choice: { source: "recovery-point", recoveryPointArn: recoveryPoint.arn, point: taken },
        description:
            `WARNING: no automated backups are replicated into ${config.drRegion}, so no point-in-time restore: ` +
            `falling back to the newest DR-vault recovery point ${recoveryPoint.arn}, taken ${taken}, ${age}; ` +
            `the DR vault receives a snapshot copy every ${period} min, landing up to ${DR_COPY_DELIVERY_MINUTES} min after its schedule, ` +
            `so its RPO is up to ${drVaultRpoMinutes(config)} min, not the database RPO of ${config.objectives.database.rpoMinutes} min: ` +
            `writes after ${taken} are lost`,
    };
}

/** The `webank:restore` value for a choice. */
export function restoreConfigOf(choice: RestoreChoice): Record<string, string> {
    return choice.source === "pitr"
        ? { source: "pitr", time: choice.time, automatedBackupsArn: choice.automatedBackupsArn }
        : { source: "recovery-point", recoveryPointArn: choice.recoveryPointArn };
}

/** The restore choice journaled by preflight (a resumed run must not choose again). */
export function journaledChoice(data: Readonly<Record<string, string>> | undefined): RestoreChoice {
    if (!data?.choice) {
        throw new Error(
            "the journal has no restore choice from preflight; start a new run with a new journal",
        );
    }
    return JSON.parse(data.choice) as RestoreChoice;
}
