import { ARGOCD_NAMESPACE } from "../../lib/argocd";
import { heartbeatSourceOf } from "../../lib/heartbeat";
import { HEARTBEAT_CRONJOB_NAME, HEARTBEAT_NAMESPACE } from "../../lib/heartbeat-writer";
import { setHeartbeatSuspended } from "./data";
import { ClusterState, KubeObject } from "./state";
import { ToolCall, ToolFailure, ToolResult } from "./tool";

/*
 * The kubectl calls that freeze and thaw a platform's writes (the failback's write freeze):
 * the heartbeat CronJob's `spec.suspend`, an Argo CD Application's automated sync, and
 * `kubectl scale` of a namespace's workloads. Each workload namespace of the simulation holds
 * one Deployment named after its Application (the simulated platform's convention). Output lines
 * are kubectl's: `<resource>.<group>/<name> patched` (`(no change)` when nothing changed),
 * `deployment.apps/<name> scaled` (kubectl reference, kubectl patch and kubectl scale).
 */

/**
 * `kubectl -n webank-dr patch cronjob heartbeat --type=merge -p '{"spec":{"suspend":<bool>}}'`
 * on a cluster running the heartbeat writer; undefined when `namespace/name` is not it.
 */
export function patchHeartbeatCronJob(
    call: ToolCall,
    cluster: ClusterState,
    namespace: string,
    name: string,
    suspend: boolean,
): ToolResult | undefined {
    if (namespace !== HEARTBEAT_NAMESPACE || name !== HEARTBEAT_CRONJOB_NAME) {
        return undefined;
    }
    const changed = setHeartbeatSuspended(
        call.world,
        heartbeatSourceOf(cluster.name),
        suspend,
        call.world.now(),
    );
    if (changed === undefined) {
        return undefined;
    }
    call.world.record(`kubectl patch cronjob ${namespace}/${name} suspend=${suspend} on ${cluster.name}`);
    return { stdout: `cronjob.batch/${name} patched${changed ? "" : " (no change)"}\n` };
}

/** `kubectl -n argocd patch application <name> --type=merge -p '{"spec":{"syncPolicy":{"automated":null}}}'`. */
export function patchApplication(
    call: ToolCall,
    cluster: ClusterState,
    namespace: string,
    name: string | undefined,
    flags: Record<string, string>,
): ToolResult {
    const patch = ((): unknown => {
        try {
            return JSON.parse(flags.p ?? "");
        } catch {
            return undefined;
        }
    })() as { spec?: { syncPolicy?: { automated?: unknown } } } | undefined;
    // A merge patch's null deletes the key (RFC 7386): the one application patch the tool makes.
    if (flags.type !== "merge" || patch?.spec?.syncPolicy?.automated !== null) {
        throw new ToolFailure(
            1,
            `error: the simulated kubectl patches an application only with --type=merge -p '{"spec":{"syncPolicy":{"automated":null}}}' (got ${call.args.join(" ")})`,
        );
    }
    if (namespace !== ARGOCD_NAMESPACE) {
        throw new ToolFailure(
            1,
            `Error from server (NotFound): applications.argoproj.io "${name ?? ""}" not found`,
        );
    }
    const app = name ? cluster.argocd?.Application?.[name] : undefined;
    if (!app) {
        throw new ToolFailure(
            1,
            `Error from server (NotFound): applications.argoproj.io "${name ?? ""}" not found`,
        );
    }
    const policy = (app.spec as { syncPolicy?: { automated?: unknown } }).syncPolicy;
    const changed = policy?.automated !== undefined;
    if (policy) {
        delete policy.automated;
    }
    call.world.record(`kubectl patch application ${name} automated sync off on ${cluster.name}`);
    return { stdout: `application.argoproj.io/${name} patched${changed ? "" : " (no change)"}\n` };
}

/** Whether Argo CD heals `namespace` back to what Git declares: an Application there syncs automatically with selfHeal. */
function selfHealed(cluster: ClusterState, namespace: string): boolean {
    return Object.values(cluster.argocd?.Application ?? {}).some((app: KubeObject) => {
        const spec = app.spec as {
            destination?: { namespace?: string };
            syncPolicy?: { automated?: { selfHeal?: boolean } };
        };
        return spec.destination?.namespace === namespace && spec.syncPolicy?.automated?.selfHeal === true;
    });
}

/**
 * `kubectl -n <ns> scale deployment,statefulset --all --replicas=<n>`: the namespace's one
 * Deployment (named after its Application) scaled. Argo CD's selfHeal puts back a scale that
 * Git does not declare ("Automatic Self-Healing", Argo CD user guide, Automated Sync Policy), so
 * while an Application there still syncs automatically the scale does not hold.
 */
export function scaleWorkloads(
    call: ToolCall,
    cluster: ClusterState,
    namespace: string,
    flags: Record<string, string>,
    rest: readonly string[],
): ToolResult {
    const replicas = Number(flags.replicas);
    if (
        rest[0] !== "deployment,statefulset" ||
        flags.all !== "true" ||
        !Number.isInteger(replicas) ||
        replicas < 0
    ) {
        throw new ToolFailure(
            1,
            `error: the simulated kubectl scales only: deployment,statefulset --all --replicas=<n> (got ${call.args.join(" ")})`,
        );
    }
    const app = Object.values(cluster.argocd?.Application ?? {}).find(
        (a) => (a.spec as { destination?: { namespace?: string } }).destination?.namespace === namespace,
    );
    if (!app) {
        return { stdout: `No resources found in ${namespace} namespace.\n` };
    }
    const scaled = new Set(cluster.scaledToZero ?? []);
    if (replicas === 0 && !selfHealed(cluster, namespace)) {
        scaled.add(namespace);
    } else {
        scaled.delete(namespace);
    }
    cluster.scaledToZero = [...scaled];
    call.world.record(
        `kubectl scale ${namespace} to ${replicas} on ${cluster.name}${replicas === 0 && !scaled.has(namespace) ? " (reverted by Argo CD selfHeal)" : ""}`,
    );
    return { stdout: `deployment.apps/${(app.metadata as { name: string }).name} scaled\n` };
}
