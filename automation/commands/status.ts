import { ARTIFACT_PREFIXES } from "../../lib/artifacts";
import { ARGOCD_NAMESPACE } from "../../lib/argocd";
import { bundlePrefixOf } from "../../lib/artifacts";
import { StackConfig } from "../../config";
import { BackupTarget, mostFrequentPeriodHours } from "../../lib/backup-rules";
import { AssetClass } from "../../lib/objectives";
import { backupVaultName, bucketName, clusterName, primaryDatabaseIdentifier } from "../../lib/naming";
import { RecoveryPorts, StoredObject } from "../ports";

/**
 * `npm run dr -- status`: how far behind each recovery copy in the DR region is, against the
 * objective of its asset class, and the DR stack's posture. It only reads; a scheduled CI run
 * of it turns a stalled backup, export, mirror or replication into a failed run, so staleness
 * alerts without anyone looking.
 */

/** Output formats of the status command. */
export const STATUS_FORMATS = ["text", "json"] as const;

/** Options of `npm run dr -- status`. */
export interface StatusOptions {
    /** `text` (an aligned table for people) or `json` (a stable document for the scheduled run to keep). */
    readonly format: (typeof STATUS_FORMATS)[number];
}

/**
 * The verdict of one check: `ok` within its limit, `STALE` past it, `MISSING` when the DR
 * region holds no copy at all, `UNREACHABLE` when the lookup itself failed (the copy may be
 * fine, but nobody can vouch for it, so it fails too).
 */
export type Verdict = "ok" | "STALE" | "MISSING" | "UNREACHABLE";

/** One row of the report. */
export interface AssetStatus {
    /** Stable identifier, e.g. `database-pitr` (what the scheduled run's consumers key on). */
    readonly id: string;
    /** Human name, e.g. `database PITR`. */
    readonly title: string;
    /** Asset class whose objective applies; null for the DR stack row. */
    readonly assetClass: AssetClass | null;
    /** Where the copy was looked for (region and bucket, vault or stack). */
    readonly where: string;
    /** Time of the newest copy in the DR region (ISO-8601), or null when none was found. */
    readonly newest: string | null;
    /**
     * Minutes of changes the DR copy may be missing: for most rows the newest copy's age; for
     * the state replica the time the home bucket's newest state version has waited unreplicated
     * (0 when the replica has it). Rounded up to a tenth; null when unknown.
     */
    readonly behindMinutes: number | null;
    /** The class's RPO in minutes; null for the DR stack row. */
    readonly rpoMinutes: number | null;
    /** The limit `behindMinutes` is judged against (the RPO, or a backup plan's copy period when longer); null for the DR stack row. */
    readonly limitMinutes: number | null;
    /** The verdict. */
    readonly verdict: Verdict;
    /** Why the limit is what it is, what was found, or what failed. */
    readonly note: string;
    /** What to run to look closer; always given, so a failing row says where to start. */
    readonly check: string;
}

/** The DR stack's posture as its config says. */
export interface DrStackStatus {
    /** The stack name. */
    readonly name: string;
    /** True when the stack and its config could be read. */
    readonly reachable: boolean;
    /** `webank:posture` (`pilot` when unset, the program's default); null when unreachable. */
    readonly posture: string | null;
    /** `webank:activated` (false when unset); null when unreachable. */
    readonly activated: boolean | null;
}

/** The whole report: what the JSON format prints, and what the text format renders. */
export interface StatusReport {
    /** Document version, bumped on any incompatible change. */
    readonly schema: "webank-dr/status/v1";
    /** When the checks ran (ISO-8601). */
    readonly generatedAt: string;
    /** Naming prefix. */
    readonly prefix: string;
    /** Home region. */
    readonly homeRegion: string;
    /** DR region. */
    readonly drRegion: string;
    /** The AWS account, or null when it could not be read. */
    readonly account: string | null;
    /** The DR stack's posture. */
    readonly drStack: DrStackStatus;
    /** One row per check, the DR stack's last. */
    readonly assets: readonly AssetStatus[];
    /** `ready` when every row is ok, `not-ready` otherwise. */
    readonly verdict: "ready" | "not-ready";
    /** Ids of the rows that are not ok, in row order. */
    readonly failing: readonly string[];
}

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

/** The period, in minutes, at which a backup target's recovery points are copied to the DR vault. */
function copyPeriodMinutes(config: StackConfig, target: BackupTarget["id"]): number {
    return mostFrequentPeriodHours(config.backup.rules[target]) * 60;
}

function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

/** A finding from the age of the newest copy. */
function byAge(newest: Date | undefined, now: Date, found: string, missing: string): Finding {
    return newest
        ? { newest, behindMs: Math.max(0, now.getTime() - newest.getTime()), note: found }
        : { note: missing };
}

/** Every check but the DR stack's, in report order. */
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
        const period = copyPeriodMinutes(config, target);
        const limit = Math.max(rpo(assetClass), period);
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
                        ? `limit ${limit} min, not the RPO of ${rpo(assetClass)}: the DR vault receives a copy every ${period} min; ${basis}`
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
        stateProbe(ports, config, account, now),
    ];
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

/** Reads the DR stack's posture; an unreachable stack is a failing row, not a stop. */
async function drStackRow(ports: RecoveryPorts): Promise<{ stack: DrStackStatus; row: AssetStatus }> {
    const name = "dr";
    const base = {
        id: "dr-stack",
        title: "DR stack",
        assetClass: null,
        where: `pulumi stack ${name}`,
        newest: null,
        behindMinutes: null,
        rpoMinutes: null,
        limitMinutes: null,
        check: `pulumi config -s ${name} (logged in to the backend that holds the ${name} stack; see the README, Bootstrap)`,
    };
    try {
        const stack = await ports.workspace.selectStack(name);
        const posture = await stack.getConfig("webank:posture");
        const activated = await stack.getConfig("webank:activated");
        const status: DrStackStatus = {
            name,
            reachable: true,
            posture: posture ?? "pilot",
            activated: activated === "true",
        };
        return {
            stack: status,
            row: {
                ...base,
                verdict: "ok",
                note: `posture ${status.posture}${posture === undefined ? " (default)" : ""}, ${status.activated ? "ACTIVATED (a failover has run)" : "not activated"}`,
            },
        };
    } catch (error) {
        return {
            stack: { name, reachable: false, posture: null, activated: null },
            row: {
                ...base,
                verdict: "UNREACHABLE",
                note: `the ${name} stack could not be read: ${messageOf(error)}`,
            },
        };
    }
}

/**
 * Gathers every row (each lookup's failure is caught into its own row), then decides. Reads
 * only: no port method that changes anything is called.
 */
export async function gatherStatus(ports: RecoveryPorts, config: StackConfig): Promise<StatusReport> {
    const now = ports.now();
    let account: string | undefined;
    let accountError = "";
    try {
        account = await ports.identity.accountId();
    } catch (error) {
        accountError = messageOf(error);
    }
    const accountOf = () => {
        if (account === undefined) {
            throw new Error(
                `the AWS account id could not be read (${accountError}), so the bucket name is unknown; check: aws sts get-caller-identity`,
            );
        }
        return account;
    };
    const shown = (text: string) => (account === undefined ? text : text.split("<account>").join(account));
    const [rows, drStack] = await Promise.all([
        Promise.all(probes(ports, config, accountOf, now).map((probe) => runProbe(probe, config))),
        drStackRow(ports),
    ]);
    const assets = [...rows, drStack.row].map((row) => ({
        ...row,
        where: shown(row.where),
        check: shown(row.check),
    }));
    const failing = assets.filter((row) => row.verdict !== "ok").map((row) => row.id);
    return {
        schema: "webank-dr/status/v1",
        generatedAt: now.toISOString(),
        prefix: config.prefix,
        homeRegion: config.homeRegion,
        drRegion: config.drRegion,
        account: account ?? null,
        drStack: drStack.stack,
        assets,
        verdict: failing.length === 0 ? "ready" : "not-ready",
        failing,
    };
}

/** The report as an aligned table, the notes, and a final verdict line. */
export function renderStatusText(report: StatusReport): string[] {
    // Whole seconds are enough for people; the JSON keeps the full instant.
    const instant = (iso: string | null) => (iso === null ? "-" : iso.replace(/\.\d{3}Z$/, "Z"));
    const dash = (value: number | string | null) => (value === null ? "-" : String(value));
    const header = ["ASSET", "CLASS", "WHERE", "NEWEST IN DR", "BEHIND (MIN)", "LIMIT (MIN)", "VERDICT"];
    const cells = report.assets.map((row) => [
        row.title,
        dash(row.assetClass),
        row.where,
        instant(row.newest),
        row.behindMinutes === null ? "-" : row.behindMinutes.toFixed(1),
        dash(row.limitMinutes),
        row.verdict,
    ]);
    const numeric = new Set([4, 5]);
    const widths = header.map((title, column) =>
        Math.max(title.length, ...cells.map((r) => r[column].length)),
    );
    const line = (row: string[]) =>
        row
            .map((cell, column) =>
                numeric.has(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column]),
            )
            .join("  ")
            .trimEnd();
    const stack = report.drStack;
    const failing = report.assets.filter((row) => row.verdict !== "ok");
    return [
        `DR status of ${report.prefix} at ${instant(report.generatedAt)} (read-only): home ${report.homeRegion}, ` +
            `DR ${report.drRegion}, account ${report.account ?? "unknown"}`,
        stack.reachable
            ? `DR stack ${stack.name}: posture ${stack.posture}, ${stack.activated ? "activated" : "not activated"}`
            : `DR stack ${stack.name}: UNREACHABLE`,
        "",
        line(header),
        ...cells.map(line),
        "",
        ...report.assets.flatMap((row) => [
            `${row.title}: ${row.note}`,
            ...(row.verdict === "ok" ? [] : [`    check: ${row.check}`]),
        ]),
        "",
        failing.length === 0
            ? `verdict: READY: all ${report.assets.length} checks ok`
            : `verdict: NOT READY: ${failing.length} of ${report.assets.length} checks failing: ` +
              failing.map((row) => `${row.title} ${row.verdict}`).join(", "),
    ];
}

/**
 * The status command. Exit 0 when every check is ok, 1 when any copy is past its limit,
 * missing, or could not be looked up (the DR stack included), 2 on bad usage. Reads only.
 */
export async function statusCommand(
    options: StatusOptions,
    ports: RecoveryPorts,
    config: StackConfig,
): Promise<number> {
    if (!(STATUS_FORMATS as readonly string[]).includes(options.format)) {
        ports.output(
            `error: --format must be one of ${STATUS_FORMATS.join(", ")}; got "${String(options.format)}"`,
        );
        return 2;
    }
    const report = await gatherStatus(ports, config);
    if (options.format === "json") {
        ports.output(JSON.stringify(report, null, 2));
    } else {
        renderStatusText(report).forEach((line) => ports.output(line));
    }
    return report.verdict === "ready" ? 0 : 1;
}
