import { StackConfig } from "../../../config";
import { CommandPort, RecoveryPorts } from "../../ports";
import { Step } from "../../run/steps";
import {
    contextArgs,
    contextProblem,
    problem,
    reportFailure,
    RestoreCommandOptions,
    runRestoreCommand,
    UsageError,
} from "./run";

/** A Helm release name: lowercase DNS-1123 labels joined by dots, at most 53 characters. */
const RELEASE_NAME = /^(?=.{1,53}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A Kubernetes namespace: one DNS-1123 label. */
const NAMESPACE = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** How long `helm rollback --wait` may wait for the release's resources by default, in minutes. */
export const DEFAULT_ROLLBACK_TIMEOUT_MINUTES = 10;

/** The longest `--timeout` accepted, in minutes. */
const MAX_ROLLBACK_TIMEOUT_MINUTES = 120;

/** Statuses of a revision that was deployed successfully, so it can be rolled back to. */
const GOOD_STATUSES = ["superseded", "deployed"];

/** Options of `npm run dr -- restore helm`. */
export interface RestoreHelmOptions extends RestoreCommandOptions {
    /** Required. The Helm release, e.g. `argocd`. */
    readonly release?: string;
    /** Required. Its namespace, e.g. `argocd`. */
    readonly namespace?: string;
    /**
     * The revision to roll back to (a positive whole number). Without it the command prints
     * the release's history, says how to choose, and changes nothing.
     */
    readonly revision?: number;
    /** How long the rollback may wait for the release's resources to be ready, in minutes. Default 10. */
    readonly timeoutMinutes?: number;
    /**
     * Kube context of the cluster the release runs in (`helm --kube-context`). Required for a
     * rollback (it changes that cluster); optional for listing the history and for a dry run.
     */
    readonly context?: string;
}

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

/** Problems with the options of `restore helm`, each naming its flag and value. */
export function restoreHelmProblems(options: RestoreHelmOptions): string[] {
    const problems: (string | undefined)[] = [];
    if (options.release === undefined || !RELEASE_NAME.test(options.release)) {
        problems.push(
            problem(
                "--release",
                "be a Helm release name (lowercase, at most 53 characters)",
                options.release,
            ),
        );
    }
    if (options.namespace === undefined || !NAMESPACE.test(options.namespace)) {
        problems.push(problem("--namespace", "be a Kubernetes namespace name", options.namespace));
    }
    const revision = options.revision;
    if (revision !== undefined && !(Number.isInteger(revision) && revision > 0)) {
        problems.push(problem("--revision", "be a positive whole number", revision));
    }
    const timeout = options.timeoutMinutes;
    if (
        timeout !== undefined &&
        !(Number.isInteger(timeout) && timeout >= 1 && timeout <= MAX_ROLLBACK_TIMEOUT_MINUTES)
    ) {
        problems.push(
            problem(
                "--timeout",
                `be a whole number of minutes from 1 to ${MAX_ROLLBACK_TIMEOUT_MINUTES}`,
                timeout,
            ),
        );
    }
    const changes = revision !== undefined && !options.dryRun;
    problems.push(
        contextProblem(options.context, changes ? "the release runs in (a rollback changes it)" : undefined),
    );
    return problems.filter((p): p is string => p !== undefined);
}

/**
 * `restore helm`: a Helm release rolled back to a given revision (bad Helm release).
 *
 * Without `--revision` it prints the release's history and how to choose, and changes
 * nothing. With it: the revision must be in the history, deployed successfully once
 * (superseded or deployed) and not the current one; then `helm rollback <release> <revision>
 * --wait --timeout <m>m`, and a check that `helm status` reports the release deployed at a
 * revision whose description is `Rollback to <revision>` and that the history's newest
 * revision is that one. A rollback creates a new revision; it deletes none.
 *
 * This is for releases Helm manages — above all Argo CD itself, which the platform stack
 * installs as a Pulumi `helm.v3.Release`. Releases Argo CD deploys are rendered by Argo CD,
 * not installed by Helm, so Helm has no history of them: for those the runbook says revert
 * the change in Git (Argo CD follows), or `argocd app rollback <app> <history id>` with
 * auto-sync disabled.
 */
export async function restoreHelmCommand(
    options: RestoreHelmOptions,
    ports: RecoveryPorts,
    _config: StackConfig,
): Promise<number> {
    const out = ports.output;
    const problems = restoreHelmProblems(options);
    if (problems.length > 0 || options.release === undefined || options.namespace === undefined) {
        problems.forEach((p) => out(`error: ${p}`));
        out("nothing was changed");
        return 2;
    }
    const release = options.release;
    const namespace = options.namespace;
    const context = options.context;
    const contextName = context ?? "(the current kube context)";
    const target = options.revision;
    const helmArgs = (args: string[]) => [
        ...args,
        "-n",
        namespace,
        ...contextArgs("--kube-context", context),
    ];
    const history = async () =>
        parseHistory(
            await helm(ports.commands, helmArgs(["history", release, "-o", "json"]), release),
            release,
        );

    if (target === undefined) {
        try {
            const revisions = await history();
            listHistory(revisions, release, namespace, contextName, out);
        } catch (error) {
            return reportFailure(error, out);
        }
        return 0;
    }

    const timeoutMinutes = options.timeoutMinutes ?? DEFAULT_ROLLBACK_TIMEOUT_MINUTES;
    const request = { release, namespace, revision: String(target), context: contextName };
    return runRestoreCommand("helm", options, ports, request, async () => {
        const revisions = await history();
        const latest = revisions[revisions.length - 1];
        if (!latest) {
            throw new Error(`helm history of ${release} in ${namespace} on ${contextName} is empty`);
        }
        const chosen = revisions.find((r) => r.revision === target);
        const range = `${revisions[0].revision} to ${latest.revision}`;
        if (!chosen) {
            throw new UsageError(
                problem("--revision", `be a revision in the history of ${release} (${range})`, target),
            );
        }
        if (chosen.revision === latest.revision) {
            throw new UsageError(
                problem(
                    "--revision",
                    `be an earlier revision than the current one (${latest.revision})`,
                    target,
                ),
            );
        }
        if (!GOOD_STATUSES.includes(chosen.status)) {
            throw new UsageError(
                problem(
                    "--revision",
                    `be a revision that was deployed successfully (${GOOD_STATUSES.join(" or ")})`,
                    `${target} (${chosen.status})`,
                ),
            );
        }
        if (latest.status.startsWith("pending-")) {
            throw new Error(
                `release ${release} is ${latest.status} at revision ${latest.revision}: another Helm operation is running ` +
                    `or was interrupted, and helm refuses to roll back until it ends. Check with: helm history ${release} ` +
                    helmArgs([]).join(" "),
            );
        }
        const done = rolledBackTo(latest, target);
        const findings = [
            `release ${release} in ${namespace} on ${contextName}: current revision ${latest.revision} ` +
                `(${latest.status}, ${latest.chart}, "${latest.description}")`,
            `target revision ${chosen.revision}: ${chosen.chart} (app ${chosen.app_version}), ${chosen.status}, deployed ${chosen.updated}`,
            done
                ? `revision ${latest.revision} already rolled back to ${target}: the rollback step changes nothing`
                : `helm rollback creates revision ${latest.revision + 1} with revision ${target}'s chart and values`,
        ];
        const rollbackArgs = helmArgs(["rollback", release, String(target)]).concat([
            "--wait",
            "--timeout",
            `${timeoutMinutes}m`,
        ]);
        const steps: Step[] = [
            {
                name: "rollback",
                after: [],
                describe: `helm ${rollbackArgs.join(" ")}`,
                run: async () => {
                    const now = await history();
                    const newest = now[now.length - 1];
                    if (newest && rolledBackTo(newest, target)) {
                        return `already rolled back: revision ${newest.revision} is "${newest.description}" (${newest.status})`;
                    }
                    await helm(ports.commands, rollbackArgs, release);
                    return `rolled back ${release} to revision ${target}`;
                },
            },
            {
                name: "verify",
                after: ["rollback"],
                describe: `helm status and helm history of ${release}: deployed, at a revision that is "${rollbackDescription(target)}"`,
                run: async () => {
                    const status = parseStatus(
                        await helm(ports.commands, helmArgs(["status", release, "-o", "json"]), release),
                        release,
                    );
                    const now = await history();
                    const newest = now[now.length - 1];
                    const problems = [
                        status.status === "deployed" ? "" : `its status is ${status.status}`,
                        status.description === rollbackDescription(target)
                            ? ""
                            : `its description is "${status.description}"`,
                        newest?.revision === status.version
                            ? ""
                            : `the newest revision in its history is ${newest?.revision ?? "none"}, not ${status.version}`,
                    ].filter((p) => p !== "");
                    if (problems.length > 0) {
                        throw new Error(
                            `release ${release} is not rolled back to ${target} at revision ${status.version}: ${problems.join("; ")}. ` +
                                `Check with: helm history ${release} ${helmArgs([]).join(" ")}, then run the same command again`,
                        );
                    }
                    return `release ${release} deployed at revision ${status.version} ("${status.description}")`;
                },
            },
        ];
        return {
            summary: `Helm release ${release} in ${namespace} on ${contextName} rolled back to revision ${target}`,
            pins: {},
            findings,
            question: `Roll back Helm release ${release} in ${namespace} on ${contextName} from revision ${latest.revision} to ${target}?`,
            steps,
        };
    });
}

/** True when `revision` is a successful rollback to `target`. */
function rolledBackTo(revision: HelmRevision, target: number): boolean {
    return revision.status === "deployed" && revision.description === rollbackDescription(target);
}

/** Runs helm; a failure says where it looked and, for an unknown release, why it may be unknown. */
async function helm(commands: CommandPort, args: string[], release: string): Promise<string> {
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
function listHistory(
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
