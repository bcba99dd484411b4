import type { AssetClass } from "../../../lib/objectives";

/*
 * The status report as a document: what `--format json` prints and the scheduled run keeps
 * (.github/workflows/dr-status.yml), and what the text format renders. Consumers key on the
 * row ids and the verdict values, so these types are the contract.
 */

/** The document version, bumped on any incompatible change (v2: the readiness rows and `not-managed`). */
export const STATUS_SCHEMA = "webank-dr/status/v2";

/**
 * The verdict of one row; everything but `ok` fails the row (and the run):
 * - `ok`: within its limit, or the condition holds;
 * - `STALE`: the newest DR copy is past its limit;
 * - `MISSING`: the DR region holds no copy at all;
 * - `UNREACHABLE`: the lookup itself failed (the copy or condition may be fine, but nobody
 *   can vouch for it);
 * - `NOT MANAGED` (`dns-failover`): no Route 53 failover this tool can switch: no hosted zone
 *   configured, no gate and traffic switch on the PRIMARY record, or the switch held on DR;
 * - `HELD` (`failover-lock`): a failover holds the lock: one runs, or one ran and no failback
 *   has released it;
 * - `UNFINISHED` (`failover-journal`): a failover journal is running, failed or interrupted;
 * - `MISSED` (`projected-rto`): the projected failover takes longer than the RTO objective.
 */
export type Verdict =
    "ok" | "STALE" | "MISSING" | "UNREACHABLE" | "NOT MANAGED" | "HELD" | "UNFINISHED" | "MISSED";

/**
 * The verdict of the whole report:
 * - `ready`: every row is ok (exit 0);
 * - `not-managed`: every row is ok but `dns-failover`, which is `NOT MANAGED`: the copies
 *   are there, but a failover cannot switch traffic (exit 1);
 * - `not-ready`: any other failing row, whatever `dns-failover` says (exit 1).
 */
export type ReportVerdict = "ready" | "not-ready" | "not-managed";

/** One row of the report: a recovery copy's age, or one readiness condition. */
export interface AssetStatus {
    /** Stable identifier, e.g. `database-pitr` or `failover-lock` (what the scheduled run's consumers key on). */
    readonly id: string;
    /** Human name, e.g. `database PITR`. */
    readonly title: string;
    /** Asset class whose RPO applies; null for the DR stack and readiness rows. */
    readonly assetClass: AssetClass | null;
    /** Where the copy or condition was looked for (region and bucket, vault, stack, table, file). */
    readonly where: string;
    /** Time of the newest copy in the DR region (ISO-8601), or null when none was found or the row is no copy. */
    readonly newest: string | null;
    /**
     * Minutes of changes the DR copy may be missing: for most rows the newest copy's age; for
     * the state replica the time the home bucket's newest state version has waited unreplicated
     * (0 when the replica has it). Rounded up to a tenth; null when unknown or not a copy.
     */
    readonly behindMinutes: number | null;
    /** The class's RPO in minutes; null for the DR stack and readiness rows. */
    readonly rpoMinutes: number | null;
    /** The limit `behindMinutes` is judged against (the RPO, or a backup plan's copy period when longer); null when not a copy. */
    readonly limitMinutes: number | null;
    /** The verdict. */
    readonly verdict: Verdict;
    /** Why the limit is what it is, what was found (numbers included), or what failed. */
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
    /** {@link STATUS_SCHEMA}. */
    readonly schema: typeof STATUS_SCHEMA;
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
    /** One row per check: the copies, then the DR stack, then the readiness conditions. */
    readonly assets: readonly AssetStatus[];
    /** The verdict; see {@link ReportVerdict}. */
    readonly verdict: ReportVerdict;
    /** Ids of the rows that are not ok, in row order. */
    readonly failing: readonly string[];
}

/** An error's message, for a row's note. */
export function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
