/**
 * The projected RPO of each posture: how much data a failover can lose, from the cited
 * behaviour of what the DR database is made from (replicated automated backups, the read
 * replica) and, for the fallback, the DR vault's copy period the backup rules derive.
 */
import { StackConfig } from "../../config/stack-config";
import { drCopyPeriodMinutes, drCopyRpoMinutes } from "../../lib/backup-rules";
import { DR_COPY_DELIVERY_MINUTES } from "../../lib/backup-windows";
import { REPLICATED_BACKUPS_RPO_MINUTES } from "../../lib/delivered-rpo";
import { Posture } from "./up-phases";

/** One cited fact about a recovery point. */
export interface RecoveryPointSource {
    /** Where it is said (URL). */
    readonly source: string;
    /** The sentence, as the page has it. */
    readonly quote: string;
    /** Whose word it is: AWS's documentation or guidance, or a third party's. */
    readonly by: "AWS" | "third party";
}

/** The sources the RPO lines rest on. */
export const RECOVERY_POINT_SOURCES = {
    /** Pilot and warm restore from the automated backups RDS replicates into the DR region. */
    replicatedBackups: {
        source: "https://docs.aws.amazon.com/prescriptive-guidance/latest/dr-standard-edition-amazon-rds/rds-pitr-snapshot.html",
        quote: "Amazon RDS PITR snapshot replication is based on asynchronous replication, so the underlying RPO is on the slightly higher side, ranging 5–30 minutes.",
        by: "AWS",
    },
    /** What the replica lag is: CloudWatch's `ReplicaLag`, in seconds. */
    replicaLagMetric: {
        source: "https://www.pulumi.com/docs/reference/pkg/nodejs/pulumi/awsx/functions/classic.rds.metrics.replicaLag.html",
        quote: "The amount of time a Read Replica DB instance lags behind the source DB instance. Applies to MySQL, MariaDB, and PostgreSQL Read Replicas.",
        by: "AWS",
    },
    /** How large it typically is across Regions: no AWS figure was found; a third party's. */
    replicaLagTypical: {
        source: "https://oneuptime.com/blog/post/2026-02-12-create-cross-region-rds-read-replicas/view",
        quote: "This gives you a recovery point objective (RPO) measured in seconds and a recovery time objective (RTO) measured in minutes.",
        by: "third party",
    },
} as const satisfies Record<string, RecoveryPointSource>;

/** A posture's projected RPO: the main line, and the fallback when the main source is lost. */
export interface PostureRpo {
    /** The RPO of the posture's own recovery path. */
    readonly main: string;
    /** The RPO of the posture's own recovery path in a few words, for tables. */
    readonly summary: string;
    /** The RPO when the DR database must instead come from the DR vault. */
    readonly fallback: string;
    /** The fallback RPO in a few words, for tables. */
    readonly fallbackSummary: string;
    /** The sources the lines rest on. */
    readonly sources: readonly RecoveryPointSource[];
}

/**
 * The projected RPO of `posture`. Pilot and warm: the replicated automated backups, 5 to 30
 * minutes (AWS Prescriptive Guidance). Hot: the read replica's lag at the moment of the failure
 * (`ReplicaLag`, seconds; typically seconds, by a third party, as AWS publishes no figure). For
 * every posture the fallback is a restore from the DR vault, whose copies arrive every
 * {@link drCopyPeriodMinutes} of the database's backup rules and land up to
 * DR_COPY_DELIVERY_MINUTES later ({@link drCopyRpoMinutes}).
 */
export function postureRpo(config: StackConfig, posture: Posture): PostureRpo {
    const period = drCopyPeriodMinutes(config.backup.rules.database);
    const vault = `up to ${drCopyRpoMinutes(config.backup.rules.database)} min`;
    const fallback =
        `${vault}: the newest DR-vault copy of the database ` +
        `(a copy every ${period} min, landing up to ${DR_COPY_DELIVERY_MINUTES} min after its schedule, ` +
        "lib/backup-rules.ts drCopyRpoMinutes), when the replicated backups cannot be read";
    if (posture === "hot") {
        return {
            fallbackSummary: `5 to ${REPLICATED_BACKUPS_RPO_MINUTES} min (replicated backups), else ${vault}`,
            // A replica that cannot be promoted leaves the restore a warm standby makes.
            fallback:
                `5 to ${REPLICATED_BACKUPS_RPO_MINUTES} min from the replicated automated backups (the restore webank:posture warm makes), ` +
                `else ${fallback}`,
            summary: "replica lag (seconds)",
            main:
                "the read replica's lag at the failure (CloudWatch ReplicaLag, in seconds; typically seconds " +
                "across Regions by a third party's account: AWS publishes no figure)",
            sources: [
                RECOVERY_POINT_SOURCES.replicaLagMetric,
                RECOVERY_POINT_SOURCES.replicaLagTypical,
                RECOVERY_POINT_SOURCES.replicatedBackups,
            ],
        };
    }
    return {
        summary: `5 to ${REPLICATED_BACKUPS_RPO_MINUTES} min`,
        fallbackSummary: vault,
        main: `5 to ${REPLICATED_BACKUPS_RPO_MINUTES} min: the replicated automated backups' asynchronous copy (AWS Prescriptive Guidance)`,
        fallback,
        sources: [RECOVERY_POINT_SOURCES.replicatedBackups],
    };
}
