import type { StackConfig } from "../../../config/stack-config";
import { primaryDatabaseIdentifier, replicaDatabaseIdentifier } from "../../../lib/naming";
import type { RecoveryPorts, ReplicaLagDatapoint } from "../../ports";
import { UsageError } from "../../run/refusal";
import { Measurement, measurement, minutesBetween } from "../../run/report";
import { DATA_KEYS } from "../shared/restored-data";

/*
 * The hot failover's RPO: projected before anything changes from the read replica's
 * CloudWatch `ReplicaLag`, refused above the database objective unless the operator accepts
 * it (`--accept-rpo <minutes>`), and measured afterwards from the heartbeat the promoted
 * replica holds. An unknown lag is never taken for zero: the failover is refused.
 */

/**
 * How far back a `ReplicaLag` datapoint may be: RDS sends its metrics every minute (RDS user
 * guide, "Amazon CloudWatch metrics for Amazon RDS"), so ten minutes without one means the
 * replica is not reporting, and its lag is unknown.
 */
export const LAG_WINDOW_MINUTES = 10;

/** The pin (journaled with the run) holding the preflight's assessment, so a resumed run keeps it. */
export const REPLICA_PIN = "hotReplica";

/** What the preflight found of the replica, journaled and pinned. */
export interface ReplicaAssessment {
    /** The replica's identifier. */
    readonly identifier: string;
    /** Its source (ReadReplicaSourceDBInstanceIdentifier: the home primary's ARN). */
    readonly source: string;
    /** `ReplicaLag` in seconds. */
    readonly lagSeconds: number;
    /** The datapoint's time, ISO-8601. */
    readonly lagAt: string;
    /** When the newest transaction the replica has replayed was committed: the datapoint's time minus the lag, ISO-8601. */
    readonly replayedAt: string;
    /** The projected RPO: from {@link replayedAt} to the failure, in seconds (never negative). */
    readonly projectedRpoSeconds: number;
    /** The operator's `--accept-rpo`, in minutes, when given. */
    readonly acceptedMinutes?: number;
}

/**
 * When the newest replayed transaction was committed. RDS for PostgreSQL's `ReplicaLag` is
 * `extract(epoch from now() - pg_last_xact_replay_timestamp())` on the replica (RDS user
 * guide, "Monitoring and tuning the replication process"): the datapoint's time minus the lag.
 * The datapoint's timestamp is the start of the minute it covers, so this errs up to a minute
 * early; and a primary that writes nothing looks behind too (the heartbeat writes every
 * minute). Both overstate the projected RPO, on the safe side.
 */
export function replayedAt(lag: ReplicaLagDatapoint): Date {
    return new Date(lag.at.getTime() - lag.seconds * 1000);
}

/** Minutes with one decimal, for messages. */
function minutesText(seconds: number): string {
    return `${(Math.round(seconds / 6) / 10).toFixed(1)} min`;
}

/**
 * Checks the DR region's replica before anything changes, and refuses (exit 2, nothing
 * changed) when a hot failover cannot keep its promise: the replica is missing, not a replica
 * of the home primary, its lag is unknown, or the projected RPO is above the database
 * objective and not covered by `acceptRpoMinutes`. Returns the assessment to pin.
 */
export async function assessReplica(
    config: StackConfig,
    ports: RecoveryPorts,
    failureTime: Date,
    acceptRpoMinutes: number | undefined,
): Promise<ReplicaAssessment> {
    const identifier = replicaDatabaseIdentifier(config.prefix);
    const region = config.drRegion;
    const primary = primaryDatabaseIdentifier(config.prefix);
    const warm =
        "to fail over from backups instead, set webank:posture warm (pulumi config set -s dr webank:posture warm) and run the failover again";
    const replica = await ports.dr.replica.describeReplica(identifier);
    if (!replica) {
        throw new UsageError(
            `the replica ${identifier} is missing in ${region}: a hot failover promotes it, and there is nothing to promote. ` +
                `Nothing was changed; ${warm}`,
        );
    }
    const expected = `arn:aws:rds:${config.homeRegion}:`;
    if (
        !replica.source ||
        !replica.source.startsWith(expected) ||
        !replica.source.endsWith(`:db:${primary}`)
    ) {
        throw new UsageError(
            `${identifier} in ${region} is ${replica.source ? `a read replica of ${replica.source}` : "not a read replica (it has no replica source)"}, ` +
                `not of the home primary ${primary} in ${config.homeRegion}: promoting it would not bring back the platform's data. ` +
                `Nothing was changed; check it with: aws rds describe-db-instances --region ${region} --db-instance-identifier ${identifier}; ${warm}`,
        );
    }
    const lag = await ports.dr.replica.replicaLag(identifier, LAG_WINDOW_MINUTES);
    if (!lag || lag.seconds < 0) {
        const endTime = ports.now().toISOString();
        const startTime = new Date(Date.parse(endTime) - LAG_WINDOW_MINUTES * 60_000).toISOString();
        throw new UsageError(
            `the lag of ${identifier} is unknown: CloudWatch has ${lag ? `a negative ReplicaLag (${lag.seconds}: replication is not active)` : `no ReplicaLag datapoint in the last ${LAG_WINDOW_MINUTES} minutes`}. ` +
                "An unknown lag is not zero lag: the RPO cannot be projected, and --accept-rpo cannot cover it. Nothing was changed. " +
                `Check it with: aws cloudwatch get-metric-statistics --region ${region} --namespace AWS/RDS --metric-name ReplicaLag ` +
                `--dimensions Name=DBInstanceIdentifier,Value=${identifier} --statistics Maximum --period 60 --start-time ${startTime} --end-time ${endTime}; ${warm}`,
        );
    }
    const replayed = replayedAt(lag);
    const projectedRpoSeconds = Math.max(0, (failureTime.getTime() - replayed.getTime()) / 1000);
    const objectiveMinutes = config.objectives.database.rpoMinutes;
    const projected = `the projected RPO is ${minutesText(projectedRpoSeconds)} (ReplicaLag ${lag.seconds} s at ${lag.at.toISOString()}, to the failure at ${failureTime.toISOString()})`;
    if (projectedRpoSeconds > objectiveMinutes * 60) {
        const needed = Math.ceil(projectedRpoSeconds / 60);
        if (acceptRpoMinutes === undefined) {
            throw new UsageError(
                `${projected}, above the database RPO objective of ${objectiveMinutes} min: promoting ${identifier} now loses up to that much of the latest writes. ` +
                    `Nothing was changed. To accept it, run again with --accept-rpo ${needed} (or more); or wait for the replica to catch up; or ${warm}`,
            );
        }
        if (acceptRpoMinutes * 60 < projectedRpoSeconds) {
            throw new UsageError(
                `--accept-rpo ${acceptRpoMinutes} does not cover it: ${projected}, above the objective of ${objectiveMinutes} min. ` +
                    `Nothing was changed; run again with --accept-rpo ${needed} (or more) to accept it`,
            );
        }
    }
    return {
        identifier,
        source: replica.source,
        lagSeconds: lag.seconds,
        lagAt: lag.at.toISOString(),
        replayedAt: replayed.toISOString(),
        projectedRpoSeconds,
        ...(acceptRpoMinutes !== undefined ? { acceptedMinutes: acceptRpoMinutes } : {}),
    };
}

/** One line of the assessment for the journal and the findings. */
export function assessmentLine(assessment: ReplicaAssessment, config: StackConfig): string {
    const objective = config.objectives.database.rpoMinutes;
    const over = assessment.projectedRpoSeconds > objective * 60;
    return (
        `${assessment.identifier} in ${config.drRegion} is a read replica of ${assessment.source}; ReplicaLag ${assessment.lagSeconds} s at ${assessment.lagAt}; ` +
        `projected RPO ${minutesText(assessment.projectedRpoSeconds)} (objective ${objective} min)` +
        (over
            ? ` (MORE than the objective: accepted up to ${assessment.acceptedMinutes} min with --accept-rpo)`
            : "") +
        (!over && assessment.acceptedMinutes !== undefined
            ? `; --accept-rpo ${assessment.acceptedMinutes} was not needed`
            : "")
    );
}

/** The assessment a plan pinned, or undefined. */
export function pinnedAssessment(pins: Readonly<Record<string, string>>): ReplicaAssessment | undefined {
    const text = pins[REPLICA_PIN];
    return text === undefined ? undefined : (JSON.parse(text) as ReplicaAssessment);
}

/**
 * The achieved RPO of a hot failover, from the journal's data: the newest home heartbeat the
 * promoted replica holds (the verify step's) to `reference`; without a verified heartbeat, the
 * replica's last replayed transaction at promotion (from its lag), saying the data was not
 * verified. Notes give the lag at promotion and what the operator accepted.
 */
export function hotRpo(
    verifyData: Readonly<Record<string, string>> | undefined,
    promoteData: Readonly<Record<string, string>> | undefined,
    assessment: ReplicaAssessment,
    reference: { readonly at: string; readonly text: string },
    objectiveMinutes: number,
): { rpo: Measurement; notes: string[] } {
    const replayed = promoteData?.replayedAt ?? assessment.replayedAt;
    const lagNote =
        promoteData?.lagSeconds !== undefined
            ? `the replica's ReplicaLag at promotion was ${promoteData.lagSeconds} s (at ${promoteData.lagAt}): its last replayed transaction ${replayed}`
            : `the replica's ReplicaLag at the preflight was ${assessment.lagSeconds} s (at ${assessment.lagAt}; none was read at promotion): its last replayed transaction ${replayed}`;
    const notes = [lagNote];
    if (assessment.acceptedMinutes !== undefined) {
        notes.push(
            `the operator accepted an RPO of up to ${assessment.acceptedMinutes} min with --accept-rpo (objective ${objectiveMinutes} min)`,
        );
    }
    const beat = verifyData?.[DATA_KEYS.newestHeartbeat];
    if (!beat) {
        return {
            rpo: measurement(
                `the replica's last replayed transaction ${replayed} to ${reference.text} (from ReplicaLag: the data was not verified)`,
                Math.max(0, minutesBetween(replayed, reference.at)),
                objectiveMinutes,
            ),
            notes,
        };
    }
    return {
        rpo: measurement(
            `newest heartbeat in the promoted replica ${beat} to ${reference.text}, measured from the data`,
            Math.max(0, minutesBetween(beat, reference.at)),
            objectiveMinutes,
        ),
        notes,
    };
}
