import { ROOT_APP_NAME } from "../../lib/argocd";
import { application, platformApplications } from "./cluster";
import { ClusterState, RootAppSource } from "./state";
import type { WorldCore } from "./world-core";

/*
 * A root app that a later `pulumi up` creates (the activation of a warm standby, a new cluster)
 * is not synced at once: Argo CD must fetch the repository and create the Applications of the
 * app of apps, on its own time (the duration model's `background.argocd.sync`). One that was
 * synced before (a hot standby's, the primary's) is already Synced and Healthy, and a wait for
 * it returns at once.
 */

/**
 * Creates the root app on `cluster` (a root app it already has is left alone): `OutOfSync`
 * and `Missing` until Argo CD has synced it (argo-cd pkg/apis/application/v1alpha1/types.go
 * `SyncStatusCodeOutOfSync = "OutOfSync"`; gitops-engine pkg/health/health.go
 * `HealthStatusMissing = "Missing"`: the resources are not in the cluster yet), then synced
 * with the Applications it creates.
 */
export function createRootApp(world: WorldCore, cluster: ClusterState, source: RootAppSource): void {
    const argocd = cluster.argocd;
    if (!argocd || argocd.Application?.[ROOT_APP_NAME]) {
        return;
    }
    const root = application(ROOT_APP_NAME, source.repoURL, source.revision, source.path);
    root.status = { sync: { status: "OutOfSync" }, health: { status: "Missing" } };
    argocd.Application = { ...(argocd.Application ?? {}), [ROOT_APP_NAME]: root };
    cluster.pendingRootApp = source;
    world.schedule(world.backgroundTime("argocd.sync", { cluster: cluster.name }), {
        type: "argocd-synced",
        cluster: cluster.name,
    });
}

/** Argo CD has synced the root app of `clusterName`: it and the Applications it creates are Synced and Healthy. */
export function rootAppSynced(world: WorldCore, clusterName: string): void {
    const cluster = world.state.clusters[clusterName];
    const source = cluster?.pendingRootApp;
    if (!cluster?.argocd || !source) {
        return;
    }
    const apps = platformApplications({ ...source, repoURL: rootRepoURL(cluster) ?? source.repoURL });
    cluster.argocd.Application = {
        ...(cluster.argocd.Application ?? {}),
        ...Object.fromEntries(apps.map((app) => [(app.metadata as { name: string }).name, app])),
    };
    delete cluster.pendingRootApp;
}

/** Where the root app points now (a repoint while it synced wins). */
function rootRepoURL(cluster: ClusterState): string | undefined {
    const root = cluster.argocd?.Application?.[ROOT_APP_NAME] as
        { spec?: { source?: { repoURL?: string } } } | undefined;
    return root?.spec?.source?.repoURL;
}
