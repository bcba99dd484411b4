import type { StackConfig } from "../../../config/stack-config";
import { ARGOCD_NAMESPACE, ROOT_APP_NAME } from "../../../lib/argocd";
import { heartbeatSourceOf } from "../../../lib/heartbeat";
import {
    HEARTBEAT_CRONJOB_NAME,
    HEARTBEAT_NAMESPACE,
    WRITER_DEADLINE_SECONDS,
} from "../../../lib/heartbeat-writer";
import type { DataTarget, RecoveryPorts } from "../../ports";
import { updateKubeconfigArgs } from "../shared/kube-context";
import type { Step } from "../../run/steps";
import { PREFLIGHT_REPLICA_STEP, FailbackTarget } from "./preflight";

/*
 * The write freeze of a failback: the DR platform stops writing before its database's last
 * writes are copied home, so the promoted home replica holds every one of them (data lost: 0).
 * Argo CD's automated sync is turned off on every Application first (root app included: it
 * would put its children's sync policy back), because selfHeal reverts a scale that Git does
 * not declare ("Automatic Self-Healing", Argo CD user guide, Automated Sync Policy); then each
 * Application's namespace is scaled to zero and the heartbeat CronJob suspended ("Schedule
 * suspension", Kubernetes CronJob documentation: no new Job while spec.suspend is true; a
 * running Job ends within its activeDeadlineSeconds, lib/heartbeat-writer.ts). The freeze is
 * lifted by what comes after: the home platform takes the writes; the DR platform returns to
 * its posture.
 */

/** The step whose end starts the write freeze; the report measures the freeze from it. */
export const FREEZE_STEP = "freeze-writes";

/** The step that waits for the home replica to hold DR's last write. */
export const CAUGHT_UP_STEP = "wait-caught-up";

/** Milliseconds between two reads of the home replica's newest heartbeat. */
export const CATCH_UP_POLL_MILLISECONDS = 10_000;

/** The merge patch that turns an Application's automated sync off (a null deletes the key: RFC 7386). */
export const AUTOMATED_SYNC_OFF = JSON.stringify({ spec: { syncPolicy: { automated: null } } });

/** The merge patch that suspends a CronJob. */
const SUSPEND_ON = JSON.stringify({ spec: { suspend: true } });

/** The names `kubectl get -o name` prints (`application.argoproj.io/<name>`), without the type. */
function namesOf(stdout: string): string[] {
    return stdout
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line.length > 0)
        .map((line) => line.slice(line.indexOf("/") + 1));
}

/** Stops every writer of the DR platform, after `after`; journals when the freeze began. */
export function freezeStep(
    config: StackConfig,
    ports: RecoveryPorts,
    target: FailbackTarget,
    after: string[],
): Step {
    const cluster = target.drCluster;
    const kubectl = (...args: string[]) => ports.commands.run("kubectl", ["--context", cluster, ...args]);
    return {
        name: FREEZE_STEP,
        after,
        describe: `stop the DR platform's writes on ${cluster}: Argo CD automated sync off, each application's workloads scaled to 0, the heartbeat CronJob suspended`,
        run: async () => {
            await ports.commands.run("aws", updateKubeconfigArgs(config.drRegion, cluster));
            const apps = namesOf(
                (await kubectl("-n", ARGOCD_NAMESPACE, "get", "applications.argoproj.io", "-o", "name"))
                    .stdout,
            );
            // The root app first: while it syncs automatically it restores its children's policy.
            const ordered = [
                ...apps.filter((a) => a === ROOT_APP_NAME),
                ...apps.filter((a) => a !== ROOT_APP_NAME),
            ];
            for (const app of ordered) {
                await kubectl(
                    "-n",
                    ARGOCD_NAMESPACE,
                    "patch",
                    "application",
                    app,
                    "--type=merge",
                    "-p",
                    AUTOMATED_SYNC_OFF,
                );
            }
            const namespaces: string[] = [];
            for (const app of ordered.filter((a) => a !== ROOT_APP_NAME)) {
                const namespace = (
                    await kubectl(
                        "-n",
                        ARGOCD_NAMESPACE,
                        "get",
                        "application",
                        app,
                        "-o",
                        "jsonpath={.spec.destination.namespace}",
                    )
                ).stdout.trim();
                if (namespace && namespace !== ARGOCD_NAMESPACE && !namespaces.includes(namespace)) {
                    namespaces.push(namespace);
                }
            }
            for (const namespace of namespaces) {
                await kubectl("-n", namespace, "scale", "deployment,statefulset", "--all", "--replicas=0");
            }
            await kubectl(
                "-n",
                HEARTBEAT_NAMESPACE,
                "patch",
                "cronjob",
                HEARTBEAT_CRONJOB_NAME,
                "--type=merge",
                "-p",
                SUSPEND_ON,
            );
            const frozenAt = ports.now();
            // A heartbeat Job that started before the suspension ends within its deadline.
            await ports.timers.sleep(WRITER_DEADLINE_SECONDS * 1000);
            return {
                detail:
                    `writes frozen on ${cluster} at ${frozenAt.toISOString()}: automated sync off on ${ordered.length} Argo CD applications, ` +
                    `${namespaces.length ? namespaces.join(", ") : "no namespace"} scaled to 0, ${HEARTBEAT_NAMESPACE}/${HEARTBEAT_CRONJOB_NAME} suspended`,
                data: { frozenAt: frozenAt.toISOString(), namespaces: namespaces.join(",") },
            };
        },
    };
}

/**
 * Waits until the home replica holds the DR platform's newest heartbeat, read from the DR
 * database after the freeze, and checks that heartbeat did not move meanwhile (a writer the
 * freeze missed). Journals both, from which the report gives the data lost.
 */
export function caughtUpStep(config: StackConfig, ports: RecoveryPorts, target: FailbackTarget): Step {
    const { setting, replica } = target;
    const source = heartbeatSourceOf(target.drCluster);
    const objectiveMinutes = config.objectives.database.rpoMinutes;
    const looks = Math.ceil((objectiveMinutes * 60_000) / CATCH_UP_POLL_MILLISECONDS);
    return {
        name: CAUGHT_UP_STEP,
        after: [FREEZE_STEP],
        describe: `wait until ${replica} holds the DR platform's newest heartbeat in ${setting.source} (data lost: 0)`,
        timeoutMinutes: objectiveMinutes + 1,
        run: async (context) => {
            const endpoints = context.dataOf(PREFLIGHT_REPLICA_STEP) ?? {};
            const of = (identifier: string, endpoint: string): DataTarget => ({
                identifier,
                endpoint,
                database: config.database.name,
                heartbeatSource: source,
            });
            const drTarget = of(setting.source, endpoints.sourceEndpoint ?? "");
            const newestOnDr = (await ports.dr.data.read(drTarget)).newestBeat;
            if (!newestOnDr) {
                throw new Error(
                    `${setting.source} holds no heartbeat of ${source}: the failback cannot show that the home replica has the DR region's ` +
                        `last write. Check the heartbeat CronJob on ${target.drCluster} (kubectl -n ${HEARTBEAT_NAMESPACE} get cronjob ${HEARTBEAT_CRONJOB_NAME}); ` +
                        "writes stay frozen; run the same command again to resume here",
                );
            }
            let newestHome: Date | undefined;
            for (let look = 1; look <= looks; look++) {
                newestHome = (await ports.home.data.read(of(replica, endpoints.replicaEndpoint ?? "")))
                    .newestBeat;
                if (newestHome && newestHome.getTime() >= newestOnDr.getTime()) {
                    break;
                }
                await ports.timers.sleep(CATCH_UP_POLL_MILLISECONDS);
            }
            if (!newestHome || newestHome.getTime() < newestOnDr.getTime()) {
                throw new Error(
                    `${replica} holds the DR heartbeat of ${newestHome?.toISOString() ?? "no time"}, not yet ${newestOnDr.toISOString()}, ` +
                        `after ${objectiveMinutes} min: writes stay frozen and nothing was promoted. Check its ReplicaLag (AWS/RDS, ` +
                        `DBInstanceIdentifier ${replica}), then run the same command again: it resumes here`,
                );
            }
            const still = (await ports.dr.data.read(drTarget)).newestBeat;
            if (still && still.getTime() > newestOnDr.getTime()) {
                throw new Error(
                    `${setting.source} took a heartbeat at ${still.toISOString()}, after the freeze: something on ${target.drCluster} still writes. ` +
                        `Nothing was promoted. Check with: kubectl --context ${target.drCluster} -n ${HEARTBEAT_NAMESPACE} get cronjob,jobs; ` +
                        "then run the same command again: it resumes here",
                );
            }
            return {
                detail: `${replica} holds the DR platform's newest heartbeat (${newestOnDr.toISOString()}): nothing written in ${config.drRegion} is missing`,
                data: { drNewestBeat: newestOnDr.toISOString(), homeNewestBeat: newestHome.toISOString() },
            };
        },
    };
}
