import { scenario } from "../../../runbook/scenarios";
import { problem, UsageError } from "../../../run/refusal";
import { CHANGE_OPTIONS, changeRequestOf } from "../../change-options";
import { CommandDefinition, OptionValues, ParseContext } from "../../definition";
import { contextProblem, textOf, wholeOf } from "../options";
import type { RestoreHelmRequest } from "./request";

/** A Helm release name: lowercase DNS-1123 labels joined by dots, at most 53 characters. */
const RELEASE_NAME = /^(?=.{1,53}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A Kubernetes namespace: one DNS-1123 label. */
const NAMESPACE = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** How long `helm rollback --wait` may wait for the release's resources by default, in minutes. */
export const DEFAULT_ROLLBACK_TIMEOUT_MINUTES = 10;

/** The longest `--timeout` accepted, in minutes: a rollback that needs longer is stuck, not slow. */
export const MAX_ROLLBACK_TIMEOUT_MINUTES = 120;

/**
 * Checks the flags of `restore helm`: the names, the revision and timeout as whole numbers,
 * `--timeout` only with `--revision` (a listing waits for nothing), and `--context` for a
 * rollback that is not a dry run.
 */
export function parseRestoreHelm(values: OptionValues, _context: ParseContext): RestoreHelmRequest {
    const problems: string[] = [];
    const change = changeRequestOf(values);
    const release = textOf(values, "release", problems);
    if (release === undefined || !RELEASE_NAME.test(release)) {
        problems.push(
            problem("--release", "be a Helm release name (lowercase, at most 53 characters)", release),
        );
    }
    const namespace = textOf(values, "namespace", problems);
    if (namespace === undefined || !NAMESPACE.test(namespace)) {
        problems.push(problem("--namespace", "be a Kubernetes namespace name", namespace));
    }
    const revision = wholeOf(
        values,
        "revision",
        { min: 1, max: Number.MAX_SAFE_INTEGER, requirement: "be a positive whole number" },
        problems,
    );
    const timeout = wholeOf(
        values,
        "timeout",
        {
            min: 1,
            max: MAX_ROLLBACK_TIMEOUT_MINUTES,
            requirement: `be a whole number of minutes from 1 to ${MAX_ROLLBACK_TIMEOUT_MINUTES}`,
        },
        problems,
    );
    if (values.timeout !== undefined && values.revision === undefined) {
        problems.push(
            problem(
                "--timeout",
                "be given with --revision only (it bounds the rollback's wait; listing the history waits for nothing)",
                values.timeout,
            ),
        );
    }
    const kube = textOf(values, "context", problems);
    const rollsBack = values.revision !== undefined && !change.dryRun;
    const contextIssue = contextProblem(
        kube,
        rollsBack ? "the release runs in (a rollback changes it)" : undefined,
    );
    if (contextIssue) {
        problems.push(contextIssue);
    }
    if (problems.length > 0 || release === undefined || namespace === undefined) {
        throw new UsageError(problems);
    }
    return {
        release,
        namespace,
        ...(revision !== undefined ? { revision } : {}),
        timeoutMinutes: timeout ?? DEFAULT_ROLLBACK_TIMEOUT_MINUTES,
        ...(kube !== undefined ? { context: kube } : {}),
        change,
    };
}

/** `npm run dr -- restore helm`. */
export const restoreHelmDefinition: CommandDefinition<RestoreHelmRequest> = {
    path: ["restore", "helm"],
    summary: scenario("bad-helm-release").summary,
    options: {
        release: { type: "string", required: true, describe: "the Helm release, e.g. argocd" },
        namespace: { type: "string", required: true, describe: "its namespace" },
        revision: {
            type: "integer",
            describe: "the revision to roll back to; without it, list the history and change nothing",
        },
        timeout: {
            type: "integer",
            defaultValue: DEFAULT_ROLLBACK_TIMEOUT_MINUTES,
            describe: `with --revision: minutes helm may wait for the rollback (1 to ${MAX_ROLLBACK_TIMEOUT_MINUTES})`,
        },
        context: {
            type: "string",
            describe: "kube context (required for a rollback, except with --dry-run)",
        },
        ...CHANGE_OPTIONS,
    },
    parse: parseRestoreHelm,
    run: async (request, context) => (await import("./command")).runRestoreHelm(request, context),
};
