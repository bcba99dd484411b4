import { parseAllDocuments, stringify } from "yaml";
import { ARGOCD_NAMESPACE, EXPORT_CRONJOB_NAME, ROOT_APP_NAME } from "../../lib/argocd";
import { eksClusterArn, jobStamp } from "./formats";
import { putReplicated } from "./objects";
import { ClusterState, KubeObject, RootAppSource, Side } from "./state";
import { ToolFailure } from "./tool";
import type { WorldCore } from "./world-core";

/*
 * The EKS clusters: Argo CD's objects, Helm releases, CronJobs and Jobs, and how a kube
 * context names a cluster. What kubectl, helm and argocd read and change (kubectl.ts,
 * helm.ts, argocd.ts).
 */

/** The Argo CD kinds `argocd admin export` writes and `argocd admin import` reads, in the export's order (argo-cd, cmd/argocd/commands/admin/backup.go). */
export const ARGOCD_KINDS = ["ConfigMap", "Secret", "AppProject", "Application"] as const;

/** What a fresh Argo CD installation by the platform stack holds (components/argocd.ts). */
export interface ArgocdInstall {
    /** Exact argo-cd Helm chart version (`webank:argocdChartVersion`, e.g. `9.1.0`); the release's chart is `argo-cd-<version>`. */
    readonly chartVersion: string;
    /** Argo CD version the release reports as its Helm `app_version` (`webank:argocdImageTag`, e.g. `v3.2.0`). */
    readonly appVersion: string;
    /** Repository URL the root app and its Applications follow (Application `spec.source.repoURL`). */
    readonly repoURL: string;
    /** Branch, tag or commit they follow (Application `spec.source.targetRevision`). */
    readonly revision: string;
    /** Path of the app-of-apps in the repository (Application `spec.source.path`); each Application's is `<path>/<name>`. */
    readonly path: string;
    /** The Applications the root app creates from the repository, besides the root app itself. */
    readonly applications: readonly string[];
    /** Period of the export CronJob, in minutes. */
    readonly exportPeriodMinutes: number;
    /**
     * Whether the root app is there, synced, with the Applications it made (components/argocd.ts
     * syncRootApp: a serving platform or a hot standby), or absent (a warm standby before
     * activation). A root app created by a later `up` syncs on its own time (argocd-apps.ts).
     */
    readonly rootApp: "synced" | "none";
    /** Whether the export CronJob starts suspended (components/argocd.ts suspendExport). @default false */
    readonly suspendExport?: boolean;
    /** When it is installed: the Helm release's first deployment and the CronJob's first schedule time. */
    readonly at: Date;
}

/** A new cluster in `side` (no Argo CD yet). */
export function addCluster(
    world: WorldCore,
    name: string,
    side: Side,
    exportTo: ClusterState["exportTo"],
): ClusterState {
    const cluster: ClusterState = {
        name,
        side,
        arn: eksClusterArn(world.region(side).name, world.accountId, name),
        helm: {},
        cronJobs: {},
        jobs: {},
        exportTo,
    };
    world.state.clusters[name] = cluster;
    return cluster;
}

/** An Application as Argo CD keeps it, synced and healthy (the root app's selfHeal keeps it so). */
export function application(name: string, repoURL: string, revision: string, path: string): KubeObject {
    return {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "Application",
        metadata: { name, namespace: ARGOCD_NAMESPACE },
        spec: {
            project: "default",
            source: { repoURL, targetRevision: revision, path },
            destination: {
                server: "https://kubernetes.default.svc",
                namespace: name === ROOT_APP_NAME ? ARGOCD_NAMESPACE : name,
            },
            syncPolicy: { automated: { prune: false, selfHeal: true } },
        },
        status: { sync: { status: "Synced" }, health: { status: "Healthy" } },
    };
}

/** The root app and the Applications it creates, synced and healthy. */
export function platformApplications(source: RootAppSource): KubeObject[] {
    return [
        application(ROOT_APP_NAME, source.repoURL, source.revision, source.path),
        ...source.applications.map((name) =>
            application(name, source.repoURL, source.revision, `${source.path}/${name}`),
        ),
    ];
}

/**
 * Installs Argo CD as the platform stack does: the `argocd` Helm release (revision 1,
 * "Install complete", as `helm install` describes it), its ConfigMaps and default project,
 * the root app following the repository and the Applications it creates (when the install has
 * one), and the export CronJob.
 */
export function installArgocd(cluster: ClusterState, install: ArgocdInstall): void {
    const at = install.at.toISOString();
    cluster.helm[`${ARGOCD_NAMESPACE}/argocd`] = {
        name: "argocd",
        namespace: ARGOCD_NAMESPACE,
        firstDeployed: at,
        revisions: [
            {
                revision: 1,
                status: "deployed",
                chart: `argo-cd-${install.chartVersion}`,
                appVersion: install.appVersion,
                description: "Install complete",
                updated: at,
            },
        ],
    };
    const meta = (name: string) => ({ name, namespace: ARGOCD_NAMESPACE });
    const apps = install.rootApp === "synced" ? platformApplications(install) : [];
    cluster.argocd = {
        ConfigMap: {
            "argocd-cm": { apiVersion: "v1", kind: "ConfigMap", metadata: meta("argocd-cm"), data: {} },
            "argocd-rbac-cm": {
                apiVersion: "v1",
                kind: "ConfigMap",
                metadata: meta("argocd-rbac-cm"),
                data: {},
            },
        },
        Secret: {},
        AppProject: {
            default: {
                apiVersion: "argoproj.io/v1alpha1",
                kind: "AppProject",
                metadata: meta("default"),
                spec: { sourceRepos: ["*"], destinations: [{ server: "*", namespace: "*" }] },
            },
        },
        Application: Object.fromEntries(apps.map((app) => [(app.metadata as { name: string }).name, app])),
    };
    cluster.cronJobs[`${ARGOCD_NAMESPACE}/${EXPORT_CRONJOB_NAME}`] = {
        name: EXPORT_CRONJOB_NAME,
        namespace: ARGOCD_NAMESPACE,
        periodMinutes: install.exportPeriodMinutes,
        lastScheduleTime: at,
        ...(install.suspendExport === true ? { suspend: true } : {}),
    };
}

/** Points the root app at `repoURL` (what `pulumi up` does after a repoint: the root app's `spec.source.repoURL`). */
export function repointRootApp(cluster: ClusterState, repoURL: string): void {
    const root = cluster.argocd?.Application?.[ROOT_APP_NAME] as
        { spec?: { source?: { repoURL?: string } } } | undefined;
    if (root?.spec?.source) {
        root.spec.source.repoURL = repoURL;
    }
}

/**
 * The cluster a kube context names, or the failure kubectl, helm and argocd report:
 * client-go's "context was not found for specified context: <name>"
 * (tools/clientcmd/validation.go), "The connection to the server localhost:8080 was refused"
 * when no context is current, and a failed lookup of the API server when the cluster is gone.
 */
export function clusterOfContext(world: WorldCore, context: string | undefined, tool: string): ClusterState {
    const kubeconfig = world.state.kubeconfig;
    const name = context ?? kubeconfig.currentContext;
    if (name === undefined) {
        throw new ToolFailure(
            1,
            "The connection to the server localhost:8080 was refused - did you specify the right host or port?",
        );
    }
    const arn = kubeconfig.contexts[name];
    if (arn === undefined) {
        const error = `context was not found for specified context: ${name}`;
        throw new ToolFailure(
            1,
            tool === "helm"
                ? `Error: Kubernetes cluster unreachable: ${error}`
                : `Error in configuration: ${error}`,
        );
    }
    const cluster = Object.values(world.state.clusters).find((c) => c.arn === arn);
    if (!cluster) {
        throw new ToolFailure(
            1,
            `Unable to connect to the server: dial tcp: lookup ${arn.split("/").pop()}.eks.amazonaws.com: no such host`,
        );
    }
    return cluster;
}

/**
 * An object as `argocd admin export` writes it (argo-cd cmd/argocd/commands/admin/backup.go,
 * `export`): everything but `metadata`, an Application's `status` included, and of the
 * metadata only the name, labels, annotations and finalizers, and the namespace when it is
 * not Argo CD's own.
 */
function exported(object: KubeObject): KubeObject {
    const metadata = (object.metadata ?? {}) as Record<string, unknown>;
    const kept = Object.fromEntries(
        ["name", "namespace", "labels", "annotations", "finalizers"]
            .filter(
                (k) => metadata[k] !== undefined && !(k === "namespace" && metadata[k] === ARGOCD_NAMESPACE),
            )
            .map((k) => [k, metadata[k]]),
    );
    return { ...object, metadata: kept };
}

/** The cluster's Argo CD as an `argocd admin export` YAML stream. */
export function exportOf(cluster: ClusterState): string {
    const objects = ARGOCD_KINDS.flatMap((kind) => Object.values(cluster.argocd?.[kind] ?? {}));
    return objects.map((object) => stringify(exported(object))).join("---\n");
}

/**
 * `argocd admin import -n <namespace> -`: creates or updates each object of the stream, one
 * line per object `<group>/<Kind> <name> created|updated` (argo-cd, backup.go; unchanged
 * objects are printed only with --verbose), and never deletes without --prune. Imported
 * Applications are reconciled by the controller, so they show synced and healthy again.
 */
export function importInto(cluster: ClusterState, stream: string, at: Date): string[] {
    // argocd logs a fatal error with logrus, whose text format off a terminal is `time=... level=fatal msg=...`.
    const fatal = (message: string) =>
        new ToolFailure(20, `time="${at.toISOString()}" level=fatal msg="${message}"`);
    const argocd = cluster.argocd;
    if (!argocd) {
        throw fatal("the server could not find the requested resource (get applications.argoproj.io)");
    }
    const lines: string[] = [];
    for (const document of parseAllDocuments(stream)) {
        if (document.errors.length > 0) {
            throw fatal(`error converting YAML to JSON: ${document.errors[0].message}`);
        }
        const object = document.toJS() as KubeObject | null;
        const kind = typeof object?.kind === "string" ? object.kind : "";
        const name = ((object?.metadata ?? {}) as { name?: unknown }).name;
        if (!object || !(ARGOCD_KINDS as readonly string[]).includes(kind) || typeof name !== "string") {
            continue;
        }
        const apiVersion = typeof object.apiVersion === "string" ? object.apiVersion : "";
        const group = apiVersion.includes("/") ? apiVersion.split("/")[0] : "";
        const existing = argocd[kind]?.[name];
        const live: KubeObject = {
            ...object,
            metadata: { ...(object.metadata as object), namespace: ARGOCD_NAMESPACE },
            ...(kind === "Application"
                ? { status: { sync: { status: "Synced" }, health: { status: "Healthy" } } }
                : {}),
        };
        const same =
            existing !== undefined && JSON.stringify(exported(existing)) === JSON.stringify(exported(live));
        argocd[kind] = { ...(argocd[kind] ?? {}), [name]: live };
        if (!same) {
            lines.push(`${group}/${kind} ${name} ${existing === undefined ? "created" : "updated"}`);
        }
    }
    return lines;
}

/**
 * A Job made from the export CronJob completes: the export of the cluster's Argo CD is
 * uploaded as `<prefix><UTC stamp>.yaml`, stamped when the export is written (the CronJob's
 * script, components/argocd.ts), to the cluster's artifact bucket (replicated when it is the home one).
 */
export function kubeJobComplete(world: WorldCore, clusterName: string, jobKey: string, at: Date): void {
    const cluster = world.state.clusters[clusterName];
    const job = cluster?.jobs[jobKey];
    if (!cluster || !job || job.completedAt) {
        return;
    }
    job.completedAt = at.toISOString();
    if (job.fromCronJob === EXPORT_CRONJOB_NAME && cluster.argocd) {
        const { side, bucket, prefix } = cluster.exportTo;
        putReplicated(world, side, bucket, `${prefix}${jobStamp(at)}.yaml`, exportOf(cluster), at, false);
    }
}

/** Finished Jobs a CronJob keeps (`successfulJobsHistoryLimit`, "defaults to 3", Kubernetes CronJob documentation). */
const SUCCESSFUL_JOBS_HISTORY_LIMIT = 3;

/**
 * Runs the CronJobs that are due (Kubernetes creates a Job named `<cronjob>-<minutes since
 * the epoch>`, the CronJob controller's naming); a long-idle cluster catches up with one run.
 * Finished Jobs of a CronJob beyond its history limit are removed, as the controller does
 * (Jobs made with `kubectl create job --from=cronjob/...` are owned by the CronJob too).
 */
export function settleCronJobs(world: WorldCore, now: Date): void {
    for (const cluster of Object.values(world.state.clusters)) {
        for (const cron of Object.values(cluster.cronJobs)) {
            // Kubernetes CronJob "Schedule suspension": no Job while suspended; the missed runs
            // are caught up (here: one run) when it is unsuspended without a starting deadline.
            if (cron.suspend === true) {
                continue;
            }
            const period = cron.periodMinutes * 60_000;
            const last = Date.parse(cron.lastScheduleTime);
            const runs = Math.floor((now.getTime() - last) / period);
            if (runs < 1) {
                continue;
            }
            const due = new Date(last + runs * period);
            cron.lastScheduleTime = due.toISOString();
            const name = `${cron.name}-${Math.floor(due.getTime() / 60_000)}`;
            const key = `${cron.namespace}/${name}`;
            cluster.jobs[key] = {
                name,
                namespace: cron.namespace,
                fromCronJob: cron.name,
                createdAt: due.toISOString(),
            };
            world.schedule(
                new Date(due.getTime() + world.backgroundDuration("kubernetes.job", { job: name })),
                {
                    type: "kube-job-complete",
                    cluster: cluster.name,
                    job: key,
                },
            );
        }
        const finished = Object.entries(cluster.jobs)
            .filter(([, job]) => job.completedAt !== undefined)
            .sort(
                ([, a], [, b]) => Date.parse(b.completedAt as string) - Date.parse(a.completedAt as string),
            );
        for (const [key] of finished.slice(SUCCESSFUL_JOBS_HISTORY_LIMIT)) {
            delete cluster.jobs[key];
        }
    }
}
