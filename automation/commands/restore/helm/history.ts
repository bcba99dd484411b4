import type { CommandPort } from "../../../ports";

/*
 * What `restore helm` reads of Helm: `helm history -o json` and `helm status -o json`, parsed
 * into the few fields a rollback needs (`helm status` also carries the release's values,
 * which are never printed).
 */

/** One revision as `helm history -o json` prints it. */
export interface HelmRevision {
    /** Revision number, from 1. */
    readonly revision: number;
    /** When it was deployed (RFC 3339). */
    readonly updated: string;
    /** `deployed`, `superseded`, `failed`, `pending-upgrade`, `pending-rollback`, ... */
    readonly status: string;
    /** `<chart>-<version>`. */
    readonly chart: string;
    /** The chart's app version. */
    readonly app_version: string;
    /** What made it, e.g. `Upgrade complete` or `Rollback to 3`. */
    readonly description: string;
}

/** The part of `helm status -o json` a verification needs (the rest holds the values: never printed). */
export interface HelmReleaseStatus {
    /** The current revision. */
    readonly version: number;
    /** Its status, e.g. `deployed`. */
    readonly status: string;
    /** Its description. */
    readonly description: string;
}

/** The description Helm gives the revision a rollback creates (`helm rollback` sets it). */
export function rollbackDescription(revision: number): string {
    return `Rollback to ${revision}`;
}

/** Parses `helm history -o json`: revisions, oldest first. */
export function parseHistory(stdout: string, release: string): HelmRevision[] {
    let parsed: unknown;
    try {
        parsed = JSON.parse(stdout);
    } catch {
        throw new Error(
            `helm history of ${release} did not print JSON (got ${JSON.stringify(stdout.slice(0, 80))})`,
        );
    }
    if (!Array.isArray(parsed)) {
        throw new Error(`helm history of ${release} did not print a list of revisions`);
    }
    const text = (value: unknown) => (typeof value === "string" ? value : "");
    return parsed
        .filter((r): r is Record<string, unknown> => typeof r === "object" && r !== null)
        .filter((r) => typeof r.revision === "number")
        .map((r) => ({
            revision: r.revision as number,
            updated: text(r.updated),
            status: text(r.status),
            chart: text(r.chart),
            app_version: text(r.app_version),
            description: text(r.description),
        }))
        .sort((a, b) => a.revision - b.revision);
}

/** Parses `helm status -o json` (a release: `version`, `info.status`, `info.description`). */
export function parseStatus(stdout: string, release: string): HelmReleaseStatus {
    let parsed: unknown;
    try {
        parsed = JSON.parse(stdout);
    } catch {
        throw new Error(`helm status of ${release} did not print JSON`);
    }
    const record = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
    const info =
        typeof record.info === "object" && record.info !== null
            ? (record.info as Record<string, unknown>)
            : {};
    if (typeof record.version !== "number" || typeof info.status !== "string") {
        throw new Error(`helm status of ${release} printed no version or status`);
    }
    return {
        version: record.version,
        status: info.status,
        description: typeof info.description === "string" ? info.description : "",
    };
}

/** True when `revision` is a successful rollback to `target`. */
export function rolledBackTo(revision: HelmRevision, target: number): boolean {
    return revision.status === "deployed" && revision.description === rollbackDescription(target);
}

/** Runs helm; a failure says where it looked and, for an unknown release, why it may be unknown. */
export async function helm(commands: CommandPort, args: string[], release: string): Promise<string> {
    try {
        return (await commands.run("helm", args)).stdout;
    } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const hint = /not found/i.test(message)
            ? ` Check --release, --namespace and --context (helm list -A). Releases Argo CD deploys are not Helm ` +
              `releases: revert them in Git or with argocd app rollback.`
            : "";
        throw new Error(`helm ${args[0]} of ${release} failed: ${message}.${hint}`);
    }
}

/** Prints the history and how to choose a revision. */
export function listHistory(
    revisions: readonly HelmRevision[],
    release: string,
    namespace: string,
    contextName: string,
    out: (line: string) => void,
): void {
    out(
        `Helm release ${release} in ${namespace} on ${contextName}: ${revisions.length} revisions (nothing was changed)`,
    );
    out("  REVISION  STATUS       UPDATED                    CHART / APP VERSION    DESCRIPTION");
    for (const r of revisions) {
        out(
            `  ${String(r.revision).padEnd(8)}  ${r.status.padEnd(11)}  ${r.updated.padEnd(25)}  ` +
                `${`${r.chart} / ${r.app_version}`.padEnd(21)}  ${r.description}`,
        );
    }
    const latest = revisions[revisions.length - 1];
    out(
        "Choose the newest superseded revision whose chart and values you trust (the one before the bad change), " +
            `then run: npm run dr -- restore helm --release ${release} --namespace ${namespace} --revision <n> --context <kube context>` +
            (latest ? ` (the current revision is ${latest.revision})` : ""),
    );
}
