import { clusterOfContext } from "./cluster";
import { goTime } from "./formats";
import { HelmReleaseState } from "./state";
import { parseFlags, Tool, ToolCall, ToolFailure, ToolResult } from "./tool";

/*
 * helm, from the world's releases and their revision history (helm/helm, pkg/cmd/history.go,
 * status.go, rollback.go and pkg/action/rollback.go).
 */

/** helm's default `--history-max` for upgrade and rollback (`settings.MaxHistory`, "(default 10)"). */
const DEFAULT_HISTORY_MAX = 10;

/** helm's default `--max` of `helm history` ("A default maximum of 256 revisions will be returned"). */
const DEFAULT_HISTORY_LIST_MAX = 256;

/** The storage driver's error for a release it does not have (`driver.ErrReleaseNotFound`). */
const NOT_FOUND = "Error: release: not found";

function releaseOf(
    call: ToolCall,
    flags: Record<string, string>,
    name: string | undefined,
): HelmReleaseState {
    if (!name) {
        throw new ToolFailure(1, 'Error: "helm" requires at least 1 argument');
    }
    const cluster = clusterOfContext(call.world, flags["kube-context"], "helm");
    const release = cluster.helm[`${flags.namespace ?? "default"}/${name}`];
    if (!release) {
        throw new ToolFailure(1, NOT_FOUND);
    }
    return release;
}

/**
 * `helm history <release>`: one entry per revision, oldest first, at most `--max`; `-o json`
 * prints `revision`, `updated`, `status`, `chart`, `app_version`, `description` (the
 * `releaseInfo` struct), the table `REVISION UPDATED STATUS CHART APP VERSION DESCRIPTION`.
 */
function history(release: HelmReleaseState, flags: Record<string, string>): ToolResult {
    const max = Number(flags.max ?? DEFAULT_HISTORY_LIST_MAX);
    const revisions = release.revisions.slice(-max);
    if ((flags.o ?? "table") === "json") {
        return {
            stdout: `${JSON.stringify(
                revisions.map((r) => ({
                    revision: r.revision,
                    updated: goTime(new Date(r.updated)),
                    status: r.status,
                    chart: r.chart,
                    app_version: r.appVersion,
                    description: r.description,
                })),
            )}\n`,
        };
    }
    const rows = [
        ["REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION", "DESCRIPTION"],
        ...revisions.map((r) => [
            String(r.revision),
            new Date(r.updated).toUTCString(),
            r.status,
            r.chart,
            r.appVersion,
            r.description,
        ]),
    ];
    const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
    return {
        stdout:
            rows
                .map((row) =>
                    row
                        .map((cell, i) => cell.padEnd(widths[i]))
                        .join("\t")
                        .trimEnd(),
                )
                .join("\n") + "\n",
    };
}

/**
 * `helm status <release> -o json`: the release record with its chart stripped ("strip chart
 * metadata from the output"): `name`, `info` (`first_deployed`, `last_deployed`,
 * `description`, `status`), `version` (the revision) and `namespace`.
 */
function status(release: HelmReleaseState, flags: Record<string, string>): ToolResult {
    const current = release.revisions[release.revisions.length - 1];
    if ((flags.o ?? "table") === "json") {
        return {
            stdout: `${JSON.stringify({
                name: release.name,
                info: {
                    first_deployed: goTime(new Date(release.firstDeployed)),
                    last_deployed: goTime(new Date(current.updated)),
                    description: current.description,
                    status: current.status,
                },
                version: current.revision,
                namespace: release.namespace,
            })}\n`,
        };
    }
    return {
        stdout:
            `NAME: ${release.name}\nLAST DEPLOYED: ${new Date(current.updated).toUTCString()}\nNAMESPACE: ${release.namespace}\n` +
            `STATUS: ${current.status}\nREVISION: ${current.revision}\nDESCRIPTION: ${current.description}\nTEST SUITE: None\n`,
    };
}

/**
 * `helm rollback <release> <revision>`: a new revision (latest + 1) with the target's chart,
 * described `Rollback to <revision>` and deployed, every previously deployed revision
 * superseded; a revision not in the history fails with "release has no <n> version"; the
 * oldest revisions beyond `--history-max` (default 10) are removed, never the deployed one.
 */
function rollback(
    call: ToolCall,
    release: HelmReleaseState,
    flags: Record<string, string>,
    revisionArg: string | undefined,
): ToolResult {
    const latest = release.revisions[release.revisions.length - 1];
    const target = revisionArg === undefined ? latest.revision - 1 : Number(revisionArg);
    if (!Number.isInteger(target)) {
        throw new ToolFailure(
            1,
            `Error: could not convert revision to a number: strconv.Atoi: parsing "${revisionArg}": invalid syntax`,
        );
    }
    if (target < 0) {
        throw new ToolFailure(1, "Error: invalid release revision");
    }
    const previous = release.revisions.find(
        (r) => r.revision === (target === 0 ? latest.revision - 1 : target),
    );
    if (!previous) {
        throw new ToolFailure(
            1,
            `Error: release has no ${target === 0 ? latest.revision - 1 : target} version`,
        );
    }
    release.revisions.forEach((r) => {
        if (r.status === "deployed") {
            r.status = "superseded";
        }
    });
    release.revisions.push({
        revision: latest.revision + 1,
        status: "deployed",
        chart: previous.chart,
        appVersion: previous.appVersion,
        description: `Rollback to ${previous.revision}`,
        updated: call.now.toISOString(),
    });
    const max = Number(flags["history-max"] ?? DEFAULT_HISTORY_MAX);
    while (max > 0 && release.revisions.length > max) {
        const oldest = release.revisions.findIndex((r) => r.status !== "deployed");
        release.revisions.splice(oldest, 1);
    }
    call.world.record(`helm rollback ${release.namespace}/${release.name} to ${previous.revision}`);
    return { stdout: "Rollback was a success! Happy Helming!\n" };
}

/** The simulated helm: `history`, `status`, `rollback`. */
export const helm: Tool = (call) => {
    const { flags, positional } = parseFlags(call.args, {
        boolean: ["wait", "wait-for-jobs", "dry-run", "force", "no-hooks", "cleanup-on-fail"],
        aliases: { "-n": "namespace", "--namespace": "namespace", "-o": "o", "--output": "o" },
    });
    const [verb, name, revision] = positional;
    switch (verb) {
        case "history":
        case "hist":
            return history(releaseOf(call, flags, name), flags);
        case "status":
            return status(releaseOf(call, flags, name), flags);
        case "rollback":
            return rollback(call, releaseOf(call, flags, name), flags, revision);
        default:
            throw new ToolFailure(1, `Error: unknown command "${verb ?? ""}" for "helm"`);
    }
};
