import { problem, Refusal, reportFailure, UsageError } from "../../../run/refusal";
import type { ChangingCommand, RunPlan } from "../../../run/runner";
import type { Step } from "../../../run/steps";
import { artifactReportStore } from "../../../run/stores";
import type { CommandContext } from "../../definition";
import { contextArgs, contextName } from "../options";
import { rtoToStep } from "../runs";
import { runInContext } from "../../run-in-context";
import type { RestoreHelmRequest } from "./request";
import {
    helm,
    HelmRevision,
    listHistory,
    parseHistory,
    parseStatus,
    rollbackDescription,
    rolledBackTo,
} from "./history";

/** The journal's and the report's operation. */
export const RESTORE_HELM_OPERATION = "restore-helm";

/** Statuses of a revision that was deployed successfully, so it can be rolled back to. */
const GOOD_STATUSES = ["superseded", "deployed"];

/** The helm arguments that name the release's namespace and cluster. */
function releaseArgs(request: RestoreHelmRequest): string[] {
    return ["-n", request.namespace, ...contextArgs("--kube-context", request.context)];
}

/** The release's history, oldest first. */
async function historyOf(request: RestoreHelmRequest, context: CommandContext): Promise<HelmRevision[]> {
    return parseHistory(
        await helm(
            context.ports.commands,
            ["history", request.release, "-o", "json", ...releaseArgs(request)],
            request.release,
        ),
        request.release,
    );
}

/**
 * The plan of a rollback to `target`: it must be in the history, deployed successfully once
 * (superseded or deployed) and not the current revision, and no other Helm operation may be
 * pending. Reads only.
 */
async function planRollback(
    request: RestoreHelmRequest,
    target: number,
    context: CommandContext,
): Promise<RunPlan> {
    const { release, namespace } = request;
    const cluster = contextName(request.context);
    const commands = context.ports.commands;
    const revisions = await historyOf(request, context);
    const latest = revisions[revisions.length - 1];
    if (!latest) {
        throw new Refusal(`helm history of ${release} in ${namespace} on ${cluster} is empty`, 1);
    }
    const chosen = revisions.find((r) => r.revision === target);
    if (!chosen) {
        throw new UsageError(
            problem(
                "--revision",
                `be a revision in the history of ${release} (${revisions[0].revision} to ${latest.revision})`,
                target,
            ),
        );
    }
    if (chosen.revision === latest.revision) {
        throw new UsageError(
            problem("--revision", `be an earlier revision than the current one (${latest.revision})`, target),
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
    const check = `helm history ${release} ${releaseArgs(request).join(" ")}`;
    if (latest.status.startsWith("pending-")) {
        throw new Refusal(
            `release ${release} is ${latest.status} at revision ${latest.revision}: another Helm operation is running ` +
                `or was interrupted, and helm refuses to roll back until it ends. Check with: ${check}`,
            1,
        );
    }
    const rollbackArgs = ["rollback", release, String(target), ...releaseArgs(request)].concat([
        "--wait",
        "--timeout",
        `${request.timeoutMinutes}m`,
    ]);
    const steps: Step[] = [
        {
            name: "rollback",
            after: [],
            describe: `helm ${rollbackArgs.join(" ")}`,
            timeoutMinutes: request.timeoutMinutes,
            run: async () => {
                // Helm's own history says whether an earlier attempt rolled back already: never twice.
                const now = await historyOf(request, context);
                const newest = now[now.length - 1];
                if (newest && rolledBackTo(newest, target)) {
                    return `already rolled back: revision ${newest.revision} is "${newest.description}" (${newest.status})`;
                }
                await helm(commands, rollbackArgs, release);
                return `rolled back ${release} to revision ${target}`;
            },
        },
        {
            name: "verify",
            after: ["rollback"],
            describe: `helm status and helm history of ${release}: deployed, at a revision that is "${rollbackDescription(target)}"`,
            run: async () => {
                const status = parseStatus(
                    await helm(commands, ["status", release, "-o", "json", ...releaseArgs(request)], release),
                    release,
                );
                const now = await historyOf(request, context);
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
                            `Check with: ${check}, then run the same command again`,
                    );
                }
                return `release ${release} deployed at revision ${status.version} ("${status.description}")`;
            },
        },
    ];
    const charts = context.config.objectives.charts;
    return {
        summary: `Helm release ${release} in ${namespace} on ${cluster} rolled back to revision ${target}`,
        findings: [
            `release ${release} in ${namespace} on ${cluster}: current revision ${latest.revision} ` +
                `(${latest.status}, ${latest.chart}, "${latest.description}")`,
            `target revision ${chosen.revision}: ${chosen.chart} (app ${chosen.app_version}), ${chosen.status}, deployed ${chosen.updated}`,
            rolledBackTo(latest, target)
                ? `revision ${latest.revision} already rolled back to ${target}: the rollback step changes nothing`
                : `helm rollback creates revision ${latest.revision + 1} with revision ${target}'s chart and values`,
        ],
        question: `Roll back Helm release ${release} in ${namespace} on ${cluster} from revision ${latest.revision} to ${target}?`,
        steps,
        // The release serves again once it is verified at the good revision (RTO, from this run's
        // start). No RPO: a rollback restores a chart and values, not data, and deletes no
        // revision (the bad one stays in the history).
        measure: (journal) => {
            const rto = rtoToStep(
                journal,
                "verify",
                `the release verified at a rollback to ${target}`,
                charts.rtoMinutes,
            );
            return {
                ...(rto ? { rto } : {}),
                notes: [
                    "no RPO: a rollback restores a chart and values, not data; every revision stays in the history",
                    ...(rto ? [] : ["no RTO: the rollback was not verified"]),
                ],
            };
        },
        next: () => [
            `Next: check the release's error rate and latency; the bad revision ${latest.revision} stays in the history (${check})`,
        ],
    };
}

/** `restore helm --revision` as a changing command for the runner. */
export function restoreHelmCommand(
    request: RestoreHelmRequest,
    target: number,
    context: CommandContext,
): ChangingCommand {
    return {
        operation: RESTORE_HELM_OPERATION,
        title: `rollback of Helm release ${request.release} in ${request.namespace} on ${contextName(request.context)} to revision ${target}`,
        request: {
            "--release": request.release,
            "--namespace": request.namespace,
            "--revision": String(target),
            "--timeout": String(request.timeoutMinutes),
            ...(request.context !== undefined ? { "--context": request.context } : {}),
        },
        resumeArgs: [
            "restore",
            "helm",
            "--release",
            request.release,
            "--namespace",
            request.namespace,
            "--revision",
            String(target),
            "--timeout",
            String(request.timeoutMinutes),
            ...contextArgs("--context", request.context),
        ],
        reportStore: artifactReportStore(context.config, context.ports, RESTORE_HELM_OPERATION),
        plan: () => planRollback(request, target, context),
    };
}

/**
 * `npm run dr -- restore helm`: without `--revision`, the release's history and how to choose
 * (reads only, outside the runner); with it, `helm rollback <release> <revision> --wait
 * --timeout <m>m` and a check that `helm status` reports the release deployed at a revision
 * that is `Rollback to <revision>`, the newest of its history. A rollback creates a revision;
 * it deletes none.
 *
 * This is for releases Helm manages, above all Argo CD itself, which the platform stack
 * installs as a Pulumi `helm.v3.Release`. Releases Argo CD deploys are rendered by Argo CD,
 * not installed by Helm, so Helm has no history of them: for those the runbook says revert
 * the change in Git, or `argocd app rollback <app> <history id>` with auto-sync disabled.
 */
export async function runRestoreHelm(request: RestoreHelmRequest, context: CommandContext): Promise<number> {
    const target = request.revision;
    if (target !== undefined) {
        return runInContext(restoreHelmCommand(request, target, context), request.change, context);
    }
    try {
        const revisions = await historyOf(request, context);
        listHistory(
            revisions,
            request.release,
            request.namespace,
            contextName(request.context),
            context.ports.output,
        );
        return 0;
    } catch (error) {
        return reportFailure(error, context.ports.output);
    }
}
