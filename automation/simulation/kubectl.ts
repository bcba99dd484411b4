import { clusterOfContext } from "./cluster";
import { ClusterState, KubeObject } from "./state";
import { patchApplication, patchHeartbeatCronJob, scaleWorkloads } from "./kubectl-freeze";
import { parseFlags, Tool, ToolCall, ToolFailure, ToolResult } from "./tool";

/*
 * kubectl and `aws eks update-kubeconfig`, from the world's clusters and the operator's
 * kubeconfig. Output lines are kubectl's: `<resource>.<group>/<name> created`, `... condition
 * met`, `-o name` as `<resource>.<group>/<name>` (kubectl reference, "Output options").
 */

/** Resource names kubectl accepts for the kinds the simulation has, and how `-o name` prints them. */
const RESOURCES: Readonly<Record<string, { kind: "Application" | "Job" | "CronJob"; printed: string }>> = {
    application: { kind: "Application", printed: "application.argoproj.io" },
    applications: { kind: "Application", printed: "application.argoproj.io" },
    app: { kind: "Application", printed: "application.argoproj.io" },
    apps: { kind: "Application", printed: "application.argoproj.io" },
    "applications.argoproj.io": { kind: "Application", printed: "application.argoproj.io" },
    job: { kind: "Job", printed: "job.batch" },
    jobs: { kind: "Job", printed: "job.batch" },
    "jobs.batch": { kind: "Job", printed: "job.batch" },
    cronjob: { kind: "CronJob", printed: "cronjob.batch" },
    cronjobs: { kind: "CronJob", printed: "cronjob.batch" },
    cj: { kind: "CronJob", printed: "cronjob.batch" },
};

/** kubectl's default for `wait --timeout` ("The length of time to wait before giving up ... (default 30s)"). */
const DEFAULT_WAIT_SECONDS = 30;

function resourceOf(type: string): (typeof RESOURCES)[string] {
    const resource = RESOURCES[type];
    if (!resource) {
        throw new ToolFailure(1, `error: the server doesn't have a resource type "${type}"`);
    }
    return resource;
}

/** The value at a `{.a.b.c}` JSONPath (the dotted subset of kubectl's JSONPath support). */
function jsonPath(object: KubeObject, template: string): string {
    const match = /^\{\.([\w.]+)\}$/.exec(template);
    if (!match) {
        throw new ToolFailure(
            1,
            `error: the simulated kubectl reads only {.a.b} JSONPath templates, got ${template}`,
        );
    }
    let value: unknown = object;
    for (const part of match[1].split(".")) {
        value =
            typeof value === "object" && value !== null
                ? (value as Record<string, unknown>)[part]
                : undefined;
    }
    if (value === undefined || value === null) {
        return "";
    }
    // kubectl prints a map or list as JSON, a scalar as its text.
    return typeof value === "object" ? JSON.stringify(value) : `${value as string | number | boolean}`;
}

function applicationsOf(cluster: ClusterState, namespace: string): Record<string, KubeObject> {
    if (!cluster.argocd) {
        throw new ToolFailure(1, 'error: the server doesn\'t have a resource type "applications"');
    }
    return namespace === "argocd" ? (cluster.argocd.Application ?? {}) : {};
}

/** Seconds of a `--timeout` like `1800s`, `10m`, `1h`. */
function seconds(value: string | undefined): number {
    if (value === undefined) {
        return DEFAULT_WAIT_SECONDS;
    }
    const match = /^(\d+)(s|m|h)?$/.exec(value);
    if (!match) {
        throw new ToolFailure(
            1,
            `error: invalid argument "${value}" for "--timeout" flag: time: invalid duration "${value}"`,
        );
    }
    return Number(match[1]) * { s: 1, m: 60, h: 3600 }[(match[2] ?? "s") as "s" | "m" | "h"];
}

function get(
    cluster: ClusterState,
    namespace: string,
    flags: Record<string, string>,
    rest: string[],
): ToolResult {
    const [type, name] = rest[0]?.includes("/") ? rest[0].split("/") : rest;
    const resource = resourceOf(type ?? "");
    if (resource.kind === "CronJob" && name !== undefined && flags.o === "name") {
        // `kubectl get cronjob <name> -o name` prints `cronjob.batch/<name>`, or NotFound.
        if (!cluster.cronJobs[`${namespace}/${name}`]) {
            throw new ToolFailure(1, `Error from server (NotFound): cronjobs.batch "${name}" not found`);
        }
        return { stdout: `${resource.printed}/${name}\n` };
    }
    if (resource.kind !== "Application") {
        throw new ToolFailure(1, `error: the simulated kubectl gets only applications, not ${type}`);
    }
    const apps = applicationsOf(cluster, namespace);
    if (name !== undefined) {
        const app = apps[name];
        if (!app) {
            throw new ToolFailure(
                1,
                `Error from server (NotFound): applications.argoproj.io "${name}" not found`,
            );
        }
        const output = flags.o ?? "";
        if (output.startsWith("jsonpath=")) {
            return { stdout: jsonPath(app, output.slice("jsonpath=".length)) };
        }
        return { stdout: output === "name" ? `${resource.printed}/${name}\n` : table([app]) };
    }
    const list = Object.values(apps);
    if (list.length === 0) {
        return { stdout: "", stderr: `No resources found in ${namespace} namespace.\n` };
    }
    return {
        stdout:
            flags.o === "name"
                ? list
                      .map((app) => `${resource.printed}/${(app.metadata as { name: string }).name}\n`)
                      .join("")
                : table(list),
    };
}

/** The columns Argo CD's CRD prints (additionalPrinterColumns: Sync Status, Health Status), padded as kubectl pads them. */
function table(apps: readonly KubeObject[]): string {
    const rows = [
        ["NAME", "SYNC STATUS", "HEALTH STATUS"],
        ...apps.map((app) => [
            (app.metadata as { name: string }).name,
            jsonPath(app, "{.status.sync.status}") || "Unknown",
            jsonPath(app, "{.status.health.status}") || "Unknown",
        ]),
    ];
    const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
    return (
        rows
            .map((row) =>
                row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i] + 3) : cell)).join(""),
            )
            .join("\n") + "\n"
    );
}

function createJob(
    call: ToolCall,
    cluster: ClusterState,
    namespace: string,
    flags: Record<string, string>,
    rest: string[],
): ToolResult {
    const [what, name] = rest;
    const from = flags.from ?? "";
    if (what !== "job" || !name || !from.startsWith("cronjob/")) {
        throw new ToolFailure(1, "error: the simulated kubectl creates only jobs --from=cronjob/<name>");
    }
    const cronName = from.slice("cronjob/".length);
    if (!cluster.cronJobs[`${namespace}/${cronName}`]) {
        throw new ToolFailure(1, `error: failed to retrieve cronjob: cronjobs.batch "${cronName}" not found`);
    }
    const key = `${namespace}/${name}`;
    if (cluster.jobs[key]) {
        throw new ToolFailure(1, `error: failed to create job: jobs.batch "${name}" already exists`);
    }
    cluster.jobs[key] = { name, namespace, fromCronJob: cronName, createdAt: call.now.toISOString() };
    const world = call.world;
    world.schedule(new Date(call.now.getTime() + world.backgroundDuration("kubernetes.job", { job: name })), {
        type: "kube-job-complete",
        cluster: cluster.name,
        job: key,
    });
    world.record(`kubectl create job ${key} on ${cluster.name}`);
    return { stdout: `job.batch/${name} created\n` };
}

/**
 * `kubectl wait --for=condition=complete job/<name>` and `--for=jsonpath={...}=<value>
 * <resource> --all`: met, or look again when the job is due to finish, or time out with
 * kubectl's "error: timed out waiting for the condition on <resource>/<name>".
 */
function wait(
    call: ToolCall,
    cluster: ClusterState,
    namespace: string,
    flags: Record<string, string>,
    rest: string[],
): ToolResult {
    const deadline = new Date(call.startedAt.getTime() + seconds(flags.timeout) * 1000);
    const condition = flags.for ?? "";
    const [type, name] = rest[0]?.includes("/") ? rest[0].split("/") : rest;
    const resource = resourceOf(type ?? "");
    if (resource.kind === "Job" && name && condition === "condition=complete") {
        const job = cluster.jobs[`${namespace}/${name}`];
        if (!job) {
            throw new ToolFailure(1, `Error from server (NotFound): jobs.batch "${name}" not found`);
        }
        if (job.completedAt) {
            return { stdout: `job.batch/${name} condition met\n` };
        }
        if (call.now >= deadline) {
            throw new ToolFailure(1, `error: timed out waiting for the condition on jobs/${name}`);
        }
        const due = call.world.dueOf(
            (e) => e.type === "kube-job-complete" && e.job === `${namespace}/${name}`,
        );
        return { until: due && due < deadline ? due : deadline };
    }
    const expected = /^jsonpath=(\{[^}]+\})=(.+)$/.exec(condition);
    if (resource.kind === "Application" && expected && flags.all === "true") {
        const apps = Object.values(applicationsOf(cluster, namespace));
        if (apps.length === 0) {
            throw new ToolFailure(1, "error: no matching resources found");
        }
        const pending = apps.filter((app) => jsonPath(app, expected[1]) !== expected[2]);
        if (pending.length === 0) {
            return {
                stdout: apps
                    .map(
                        (app) =>
                            `${resource.printed}/${(app.metadata as { name: string }).name} condition met\n`,
                    )
                    .join(""),
            };
        }
        if (call.now >= deadline) {
            const first = (pending[0].metadata as { name: string }).name;
            throw new ToolFailure(1, `error: timed out waiting for the condition on applications/${first}`);
        }
        // A root app Argo CD is still syncing (argocd-apps.ts) changes when its sync is done.
        const synced = call.world.dueOf((e) => e.type === "argocd-synced" && e.cluster === cluster.name);
        return { until: synced && synced < deadline ? synced : deadline };
    }
    throw new ToolFailure(
        1,
        `error: the simulated kubectl does not model: wait ${rest.join(" ")} --for=${condition}`,
    );
}

/**
 * `kubectl patch cronjob <name> --type=merge -p '{"spec":{"suspend":<bool>}}'`: the one patch a
 * recovery command makes (restore argocd unsuspends the export once Argo CD is verified).
 * kubectl prints `cronjob.batch/<name> patched`, or `(no change)` when the value was already set.
 */
function patchCronJob(
    call: ToolCall,
    cluster: ClusterState,
    namespace: string,
    flags: Record<string, string>,
    rest: string[],
): ToolResult {
    const [what, name] = rest;
    const patch = ((): unknown => {
        try {
            return JSON.parse(flags.p ?? "");
        } catch {
            return undefined;
        }
    })() as { spec?: { suspend?: unknown } } | undefined;
    const suspend = patch?.spec?.suspend;
    if (
        !["cronjob", "cronjobs", "cj"].includes(what ?? "") ||
        !name ||
        flags.type !== "merge" ||
        typeof suspend !== "boolean"
    ) {
        throw new ToolFailure(
            1,
            `error: the simulated kubectl patches only: cronjob <name> --type=merge -p '{"spec":{"suspend":true|false}}' (got ${call.args.join(" ")})`,
        );
    }
    const cron = cluster.cronJobs[`${namespace}/${name}`];
    const heartbeat = cron ? undefined : patchHeartbeatCronJob(call, cluster, namespace, name, suspend);
    if (heartbeat) {
        return heartbeat;
    }
    if (!cron) {
        throw new ToolFailure(1, `Error from server (NotFound): cronjobs.batch "${name}" not found`);
    }
    const unchanged = (cron.suspend ?? false) === suspend;
    cron.suspend = suspend;
    call.world.record(`kubectl patch cronjob ${namespace}/${name} suspend=${suspend} on ${cluster.name}`);
    return { stdout: `cronjob.batch/${name} patched${unchanged ? " (no change)" : ""}\n` };
}

/**
 * The simulated kubectl: `config current-context`, `get`, `create job --from=cronjob/...`,
 * `wait`, `patch cronjob`, and the write freeze's `patch application` and `scale` (./kubectl-freeze.ts).
 */
export const kubectl: Tool = (call) => {
    const { flags, positional } = parseFlags(call.args, {
        boolean: ["all"],
        aliases: {
            "-n": "namespace",
            "--namespace": "namespace",
            "-o": "o",
            "--output": "o",
            "-A": "all-namespaces",
        },
    });
    const [verb, ...rest] = positional;
    if (verb === "config" && rest[0] === "current-context") {
        const current = call.world.state.kubeconfig.currentContext;
        if (current === undefined) {
            throw new ToolFailure(1, "error: current-context is not set");
        }
        return { stdout: `${current}\n` };
    }
    const namespace = flags.namespace ?? "default";
    const known = ["get", "create", "wait", "patch", "scale"];
    if (!known.includes(verb ?? "")) {
        throw new ToolFailure(1, `error: unknown command "${verb ?? ""}" for "kubectl"`);
    }
    const cluster = clusterOfContext(call.world, flags.context, "kubectl");
    if (verb === "get") {
        return get(cluster, namespace, flags, rest);
    }
    if (verb === "patch") {
        return ["application", "applications", "app"].includes(rest[0] ?? "")
            ? patchApplication(call, cluster, namespace, rest[1], flags)
            : patchCronJob(call, cluster, namespace, flags, rest);
    }
    if (verb === "scale") {
        return scaleWorkloads(call, cluster, namespace, flags, rest);
    }
    return verb === "create"
        ? createJob(call, cluster, namespace, flags, rest)
        : wait(call, cluster, namespace, flags, rest);
};

/**
 * `aws eks update-kubeconfig --region <r> --name <cluster> [--alias <context>]`: adds or
 * updates the context (named the cluster's ARN without --alias) and makes it current (AWS CLI
 * reference: "By default, the resulting configuration file is created at the default
 * kubeconfig path (.kube/config) ... the current-context is set to the new context"). A
 * cluster that does not exist fails with DescribeCluster's ResourceNotFoundException and the
 * CLI's exit code 254 ("the service returned an error", AWS CLI return codes).
 */
export const awsCli: Tool = (call) => {
    const { flags, positional } = parseFlags(call.args);
    if (positional[0] === "cloudwatch" && positional[1] === "enable-alarm-actions" && flags["alarm-names"]) {
        // EnableAlarmActions answers nothing on success (CloudWatch API reference); the world records it.
        call.world.record(
            `alarm actions enabled: ${flags["alarm-names"]} (${flags.region ?? call.world.home.name})`,
        );
        return { stdout: "" };
    }
    if (positional[0] !== "eks" || positional[1] !== "update-kubeconfig" || !flags.name) {
        throw new ToolFailure(
            252,
            `the simulated aws CLI models only: aws eks update-kubeconfig --region <region> --name <cluster>; aws cloudwatch enable-alarm-actions --region <region> --alarm-names <alarm>`,
        );
    }
    const world = call.world;
    const region = flags.region ?? world.home.name;
    const cluster = Object.values(world.state.clusters).find(
        (c) => c.name === flags.name && world.region(c.side).name === region,
    );
    if (!cluster) {
        throw new ToolFailure(
            254,
            `An error occurred (ResourceNotFoundException) when calling the DescribeCluster operation: No cluster found for name: ${flags.name}.`,
        );
    }
    const kubeconfig = world.state.kubeconfig;
    const context = flags.alias ?? cluster.arn;
    const verb = kubeconfig.contexts[context] === undefined ? "Added new context" : "Updated context";
    const changed = kubeconfig.contexts[context] !== cluster.arn || kubeconfig.currentContext !== context;
    kubeconfig.contexts[context] = cluster.arn;
    kubeconfig.currentContext = context;
    if (changed) {
        world.record(`kubeconfig context ${context} -> ${cluster.arn}`);
    }
    return { stdout: `${verb} ${context} ${verb.startsWith("Added") ? "to" : "in"} ${kubeconfig.path}\n` };
};
