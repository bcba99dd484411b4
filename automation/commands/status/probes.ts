import { ARTIFACT_PREFIXES, bundlePrefixOf } from "../../../lib/artifacts";
import { ARGOCD_NAMESPACE } from "../../../lib/argocd";
import type { StackConfig } from "../../../config/stack-config";
import { BackupTarget, drCopyPeriodMinutes, drCopyRpoMinutes } from "../../../lib/backup-rules";
import { DR_COPY_DELIVERY_MINUTES } from "../../../lib/backup-windows";
import { AssetClass } from "../../../lib/objectives";
import {
    backupVaultName,
    bucketName,
    clusterName,
    primaryDatabaseIdentifier,
    replicaDatabaseIdentifier,
} from "../../../lib/naming";
import type { RecoveryPorts, StoredObject } from "../../ports";
import { LAG_WINDOW_MINUTES, replayedAt } from "../failover/hot-rpo";
import { AssetStatus, messageOf } from "./document";

/*
 * The copy-age rows of `npm run dr -- status`: how far behind each recovery copy in the DR
 * region is, against the objective of its asset class. A scheduled run of them turns a
 * stalled backup, export, mirror or replication into a failed run, so staleness alerts
 * without anyone looking.
 */

const MINUTE_MS = 60_000;

/** The key prefix of every Pulumi DIY-backend stack state (`.pulumi/stacks/<project>/<stack>.json`). */
export const STATE_PREFIX = ".pulumi/stacks/";

/**
 * The verdict of a copy `behindMs` milliseconds behind, against a limit in minutes: exactly
 * at the limit is still ok (the RPO is the most that may be lost, not less); undefined (no
 * copy found) is MISSING.
 */
export function verdictOf(behindMs: number | undefined, limitMinutes: number): "ok" | "STALE" | "MISSING" {
    if (behindMs === undefined) {
        return "MISSING";
    }
    return behindMs <= limitMinutes * MINUTE_MS ? "ok" : "STALE";
}

/**
 * Milliseconds as minutes for display, rounded up to a tenth so that a value shown at the
 * limit is never one that failed it; never negative (a clock a little ahead of AWS's).
 */
export function displayMinutes(ms: number): number {
    return Math.ceil(Math.max(0, ms) / (MINUTE_MS / 10)) / 10;
}

/**
 * The age of the newest copy against a limit: how far behind it is and the verdict. The one
 * rule every age-based row uses, kept pure so its boundaries are tested directly.
 */
export function judgeAge(
    newest: Date | undefined,
    now: Date,
    limitMinutes: number,
): { behindMinutes: number | null; verdict: "ok" | "STALE" | "MISSING" } {
    const behindMs = newest ? Math.max(0, now.getTime() - newest.getTime()) : undefined;
    return {
        behindMinutes: behindMs === undefined ? null : displayMinutes(behindMs),
        verdict: verdictOf(behindMs, limitMinutes),
    };
}

/**
 * Since when the replica has been missing the home bucket's newest version, or undefined when
 * it holds it. S3 replication keeps version ids, so versions are matched by id; without ids
 * (an unversioned listing), a replica version modified at or after the home one counts.
 * A state object's own age says nothing (it changes only when its stack is updated); what
 * can be lost is what has not reached the replica.
 */
export function unreplicatedSince(
    homeNewest: StoredObject,
    replicaVersions: readonly StoredObject[],
): Date | undefined {
    const replicated = replicaVersions.some((version) =>
        homeNewest.versionId !== undefined && version.versionId !== undefined
            ? version.versionId === homeNewest.versionId
            : version.lastModified.getTime() >= homeNewest.lastModified.getTime(),
    );
    return replicated ? undefined : homeNewest.lastModified;
}

/** What one lookup found: the newest DR copy, how far behind it is (ms), and what to say. */
interface Finding {
    readonly newest?: Date;
    readonly behindMs?: number;
    readonly note: string;
}

/** One check before it runs. */
interface Probe {
    readonly id: string;
    readonly title: string;
    readonly assetClass: AssetClass;
    readonly where: string;
    readonly limitMinutes: number;
    readonly check: string;
    readonly read: () => Promise<Finding>;
}

/** A finding from the age of the newest copy. */
function byAge(newest: Date | undefined, now: Date, found: string, missing: string): Finding {
    return newest
        ? { newest, behindMs: Math.max(0, now.getTime() - newest.getTime()), note: found }
        : { note: missing };
}

/** Every copy-age check, in report order. */
function probes(ports: RecoveryPorts, config: StackConfig, account: () => string, now: Date): Probe[] {
    const dr = config.drRegion;
    const home = config.homeRegion;
    const source = primaryDatabaseIdentifier(config.prefix);
    const vault = backupVaultName(config.prefix);
    const artifacts = () => bucketName(config.prefix, "artifacts", account(), dr);
    const artifactsShown = bucketName(config.prefix, "artifacts", "<account>", dr);
    const exportPrefix = `${ARTIFACT_PREFIXES.argocdExports}${clusterName(config.prefix, "primary")}/`;
    const bundlePrefix = bundlePrefixOf(config.platform.mirror.repository);
    const rpo = (assetClass: AssetClass) => config.objectives[assetClass].rpoMinutes;

    const vaultProbe = (
        id: string,
        title: string,
        assetClass: AssetClass,
        target: BackupTarget["id"],
        resourceType: string,
        basis: string,
    ): Probe => {
        // The DR vault is as fresh as its copies: the limit is the copy period plus how late a
        // copy may land, where that is longer than the RPO (the fallback's RPO in the failover).
        const period = drCopyPeriodMinutes(config.backup.rules[target]);
        const limit = Math.max(rpo(assetClass), drCopyRpoMinutes(config.backup.rules[target]));
        return {
            id,
            title,
            assetClass,
            where: `${dr} vault ${vault} (${resourceType})`,
            limitMinutes: limit,
            check:
                `aws backup list-recovery-points-by-backup-vault --region ${dr} --backup-vault-name ${vault} --by-resource-type ${resourceType}; ` +
                `copy jobs: aws backup list-copy-jobs --region ${home} --by-resource-type ${resourceType}`,
            read: async () => {
                const point = await ports.dr.backup.newestRecoveryPoint(vault, { resourceType });
                const why =
                    limit > rpo(assetClass)
                        ? `limit ${limit} min, not the RPO of ${rpo(assetClass)}: the DR vault receives a copy every ${period} min, landing up to ${DR_COPY_DELIVERY_MINUTES} min after its schedule; ${basis}`
                        : `the limit is the ${assetClass} RPO`;
                return byAge(
                    point?.createdAt,
                    now,
                    `${why}; newest ${point?.arn ?? ""}`,
                    `no completed ${resourceType} recovery point in the DR vault; ${why}`,
                );
            },
        };
    };

    return [
        {
            id: "database-pitr",
            title: "database PITR",
            assetClass: "database",
            where: `${dr} RDS backups replicated from ${source}`,
            limitMinutes: rpo("database"),
            check: `aws rds describe-db-instance-automated-backups --region ${dr} --db-instance-identifier ${source}`,
            read: async () => {
                const backups = await ports.dr.database.replicatedBackups(source);
                return byAge(
                    backups?.latest,
                    now,
                    "latest restorable time of the replicated automated backups",
                    `no automated backups of ${source} are replicated into ${dr}: a failover could not restore to a point in time`,
                );
            },
        },
        vaultProbe(
            "database-recovery-point",
            "database recovery point",
            "database",
            "database",
            "RDS",
            "the database RPO is met by PITR, this is its fallback",
        ),
        vaultProbe(
            "volumes-recovery-point",
            "volumes recovery point",
            "volumes",
            "volumes",
            "EBS",
            "AWS Backup snapshots volumes at most hourly",
        ),
        {
            id: "argocd-export",
            title: "Argo CD export",
            assetClass: "gitops",
            where: `s3://${artifactsShown}/${exportPrefix}`,
            limitMinutes: rpo("gitops"),
            check:
                `aws s3 ls s3://${artifactsShown}/${exportPrefix} --region ${dr}; ` +
                `the export job: kubectl -n ${ARGOCD_NAMESPACE} get cronjob argocd-export`,
            read: async () => {
                const newest = await ports.dr.objects.newestObject(artifacts(), exportPrefix);
                return byAge(
                    newest?.lastModified,
                    now,
                    `newest ${newest?.key ?? ""}`,
                    "no Argo CD export in the DR replica of the artifact bucket",
                );
            },
        },
        {
            id: "git-bundle",
            title: "Git bundle",
            assetClass: "source",
            where: `s3://${artifactsShown}/${bundlePrefix}`,
            limitMinutes: rpo("source"),
            check:
                `aws s3 ls s3://${artifactsShown}/${bundlePrefix} --region ${dr}; ` +
                `the mirror: aws codebuild list-builds-for-project --project-name ${config.prefix}-source-mirror --region ${home}`,
            read: async () => {
                const newest = await ports.dr.objects.newestObject(artifacts(), bundlePrefix);
                return byAge(
                    newest?.lastModified,
                    now,
                    `newest ${newest?.key ?? ""}`,
                    `no bundle of ${config.platform.mirror.repository} in the DR replica of the artifact bucket`,
                );
            },
        },
        // A hot standby's database RPO is its read replica's lag (the failover's projection).
        ...(config.dr.posture === "hot" ? [replicaProbe(ports, config, now)] : []),
        stateProbe(ports, config, account, now),
    ];
}

/**
 * The hot standby's read replica: how far behind its last replayed transaction is, from the
 * newest CloudWatch `ReplicaLag` datapoint, as the failover projects it (failover/hot-rpo.ts),
 * against the database RPO. No datapoint, or RDS's -1 (replication not active), is no copy:
 * an unknown lag is never a zero one.
 */
function replicaProbe(ports: RecoveryPorts, config: StackConfig, now: Date): Probe {
    const identifier = replicaDatabaseIdentifier(config.prefix);
    const dr = config.drRegion;
    return {
        id: "database-replica",
        title: "database read replica",
        assetClass: "database",
        where: `${dr} RDS read replica ${identifier} (hot posture)`,
        limitMinutes: config.objectives.database.rpoMinutes,
        check:
            `aws cloudwatch get-metric-statistics --region ${dr} --namespace AWS/RDS --metric-name ReplicaLag ` +
            `--dimensions Name=DBInstanceIdentifier,Value=${identifier} --statistics Maximum --period 60 ` +
            `--start-time ${new Date(now.getTime() - LAG_WINDOW_MINUTES * 60_000).toISOString()} --end-time ${now.toISOString()}`,
        read: async () => {
            const lag = await ports.dr.replica.replicaLag(identifier, LAG_WINDOW_MINUTES);
            if (!lag || lag.seconds < 0) {
                return {
                    note: lag
                        ? `ReplicaLag is ${lag.seconds} (replication not active) at ${lag.at.toISOString()}: the lag is unknown`
                        : `no ReplicaLag datapoint for ${identifier} in the last ${LAG_WINDOW_MINUTES} minutes: the lag is unknown, not zero`,
                };
            }
            return byAge(
                replayedAt(lag),
                now,
                `last replayed transaction, from ReplicaLag ${lag.seconds} s at ${lag.at.toISOString()}`,
                "",
            );
        },
    };
}

/**
 * The state replica: the home state bucket's newest stack state must be in the DR replica.
 * Its age is reported but not judged: state changes only when a stack is updated, so an old
 * state object is a current one. The home bucket must be readable to judge; when it is not
 * (the home region is down), the row fails as unreachable and still shows the replica's newest.
 */
function stateProbe(ports: RecoveryPorts, config: StackConfig, account: () => string, now: Date): Probe {
    const dr = config.drRegion;
    const home = config.homeRegion;
    const shown = bucketName(config.prefix, "state", "<account>", dr);
    const homeShown = bucketName(config.prefix, "state", "<account>", home);
    return {
        id: "state-replica",
        title: "state replica",
        assetClass: "state",
        where: `s3://${shown}/${STATE_PREFIX}`,
        limitMinutes: config.objectives.state.rpoMinutes,
        check:
            `aws s3api list-object-versions --bucket ${shown} --prefix ${STATE_PREFIX} --region ${dr}; ` +
            `replication of the newest: aws s3api head-object --bucket ${homeShown} --key <key> --region ${home} (ReplicationStatus)`,
        read: async () => {
            const replicaBucket = bucketName(config.prefix, "state", account(), dr);
            const replicaNewest = await ports.dr.objects.newestObject(replicaBucket, STATE_PREFIX);
            let homeNewest: StoredObject | undefined;
            try {
                homeNewest = await ports.home.objects.newestObject(
                    bucketName(config.prefix, "state", account(), home),
                    STATE_PREFIX,
                );
            } catch (error) {
                const seen = replicaNewest
                    ? `the replica's newest is ${replicaNewest.key}, modified ${replicaNewest.lastModified.toISOString()}`
                    : "the replica holds no stack state";
                throw new Error(
                    `the home state bucket could not be read (${messageOf(error)}), so replication cannot be confirmed; ${seen}`,
                );
            }
            if (!homeNewest) {
                return replicaNewest
                    ? {
                          newest: replicaNewest.lastModified,
                          behindMs: 0,
                          note: `the home bucket holds no stack state; the replica's newest is ${replicaNewest.key}`,
                      }
                    : { note: `no stack state under ${STATE_PREFIX} in the home bucket or its DR replica` };
            }
            // The current listing carries no version id (ListObjectsV2): the home bucket's own
            // version list gives the latest one's, so the replica is matched by id, not by time.
            const homeVersions = await ports.home.objects.listVersions(
                bucketName(config.prefix, "state", account(), home),
                homeNewest.key,
            );
            homeNewest = homeVersions.find((v) => v.isLatest) ?? homeVersions[0] ?? homeNewest;
            const replicaVersions = await ports.dr.objects.listVersions(replicaBucket, homeNewest.key);
            const since = unreplicatedSince(homeNewest, replicaVersions);
            const age = `modified ${displayMinutes(now.getTime() - homeNewest.lastModified.getTime())} min ago`;
            return {
                newest: replicaNewest?.lastModified,
                behindMs: since ? Math.max(0, now.getTime() - since.getTime()) : 0,
                note: since
                    ? `the replica lacks the home bucket's newest state version ${homeNewest.versionId ?? ""} of ${homeNewest.key} (${age})`
                    : `the replica holds the home bucket's newest state version, ${homeNewest.key} (${age})`,
            };
        },
    };
}

/** Runs one probe; a failed lookup becomes its own failing row instead of stopping the report. */
async function runProbe(probe: Probe, config: StackConfig): Promise<AssetStatus> {
    const base = {
        id: probe.id,
        title: probe.title,
        assetClass: probe.assetClass,
        where: probe.where,
        rpoMinutes: config.objectives[probe.assetClass].rpoMinutes,
        limitMinutes: probe.limitMinutes,
        check: probe.check,
    };
    try {
        const finding = await probe.read();
        return {
            ...base,
            newest: finding.newest?.toISOString() ?? null,
            behindMinutes: finding.behindMs === undefined ? null : displayMinutes(finding.behindMs),
            verdict: verdictOf(finding.behindMs, probe.limitMinutes),
            note: finding.note,
        };
    } catch (error) {
        return {
            ...base,
            newest: null,
            behindMinutes: null,
            verdict: "UNREACHABLE",
            note: `lookup failed: ${messageOf(error)}`,
        };
    }
}

/**
 * Every copy-age row, in report order: each lookup's failure is caught into its own
 * UNREACHABLE row. `account` throws when the account id could not be read (the bucket rows
 * then fail, the others still report). Reads only.
 */
export function copyRows(
    ports: RecoveryPorts,
    config: StackConfig,
    account: () => string,
    now: Date,
): Promise<AssetStatus[]> {
    return Promise.all(probes(ports, config, account, now).map((probe) => runProbe(probe, config)));
}
