import { ARGOCD_NAMESPACE, exportStaleAlarmName } from "../../../lib/argocd";
import type { StackConfig } from "../../../config/stack-config";
import { ProblemCollector } from "../../../lib/errors";
import { restoredDatabaseIdentifier } from "../../../lib/naming";
import { activatedTrafficReady, DR_ENDPOINT_RULE } from "../../../config/traffic";
import { parseRestoreSpec } from "../../../lib/restore-spec";
import type { RecoveryPorts } from "../../ports";
import type { Step } from "../../run/steps";
import {
    chooseRestoreSource,
    drVaultRpoMinutes,
    journaledChoice,
    restoreConfigOf,
} from "../shared/restore-source";
import { enableExportAlarmArgs, resumeExportsArgs } from "../shared/argocd-exports";
import { checkRestoredDatabase, waitDatabaseStep } from "../shared/restored-database";
import {
    journaledSourceVersion,
    SOURCE_DATA_STEP,
    sourceDataStep,
    verifyRestoredData,
} from "../shared/restored-data";

/** What the operator asked for. */
export interface FailoverRequest {
    /** `latest`, or an ISO-8601 instant with a zone. */
    readonly restoreTime: string;
    /** The run id (the journal's). */
    readonly runId: string;
    /** When the primary failed, for the projected and achieved RPO. */
    readonly failureTime: Date;
    /** Resource operations `pulumi up` runs at once. Default: Pulumi's own. */
    readonly parallel?: number;
    /** Milliseconds between checks of the DNS answer after the switch. Default 10 s. */
    readonly dnsPollMilliseconds?: number;
}

/** How long Argo CD may take to sync and report every application healthy. */
export const PLATFORM_WAIT_MINUTES = 30;

/**
 * How many times the DNS answer is checked after the switch: Route 53 needs the failure
 * threshold times the interval of the health check (3 x 10 s) to act on it, and resolvers
 * the record's TTL (at most 60 s), so 30 checks 10 s apart leave a wide margin.
 */
export const DNS_CHECKS = 30;

/** Milliseconds between two checks of the DNS answer after the switch. */
export const DNS_POLL_MILLISECONDS = 10_000;

/**
 * Why a failover takes no lock unless the dr stack's `webank:kubernetesAccess` is `direct`:
 * its `up` applies Argo CD and kubectl then waits for, verifies and resumes it, all through
 * the DR cluster's private API endpoint from where the command runs. With `runner` that `up`
 * leaves Argo CD out of a new cluster, or is refused for a warm standby's existing one
 * (lib/kubernetes-access.ts), and the run would stop after restoring the database, holding
 * the lock. Unlike `restore git`, whose only Kubernetes step is an `up`
 * (shared/runner-deploy.ts), the failover's kubectl waits and checks do not go through the
 * deploy runner yet.
 */
export function kubernetesAccessRefusal(access: string): string {
    return (
        `the dr stack's webank:kubernetesAccess is ${access}, and this failover reaches the DR cluster's private API endpoint ` +
        "from where it runs (its up applies Argo CD; kubectl then waits for, verifies and resumes it): it does not go through " +
        "the deploy runner yet. Run it from a machine that reaches the DR VPC (VPN, Direct Connect, or an address in " +
        "webank:apiPublicAccessCidrs) after: pulumi config set -s dr webank:kubernetesAccess direct. Nothing was changed"
    );
}

/** The step whose end means "service restored" in the report. */
export const SERVICE_RESTORED_STEP = "switch-traffic";

/**
 * The failover, as steps. Three independent preflight checks run together (the DR stack, the
 * restore source, the DNS failover pair); then the lock, the DR stack's activation config,
 * refresh and `up` (in which Pulumi restores the database and builds the cluster in parallel:
 * neither depends on the other); then the database and the platform are waited for together,
 * verified, and traffic is switched. Each step is idempotent and nothing is deleted.
 */
export function failoverSteps(config: StackConfig, request: FailoverRequest, ports: RecoveryPorts): Step[] {
    const identifier = restoredDatabaseIdentifier(config.prefix, 1);
    const traffic = config.platform.traffic;
    const drStack = () => ports.workspace.selectStack("dr");
    return [
        {
            name: "preflight-stack",
            after: [],
            readOnly: true,
            describe: "check the DR stack answers and is not already activated",
            run: async () => {
                const stack = await drStack();
                const posture = (await stack.getConfig("webank:posture")) ?? "pilot";
                if ((await stack.getConfig("webank:activated")) === "true") {
                    throw new Error(
                        "the dr stack is already activated (webank:activated is true): a failover has run. " +
                            "To restore again use a new generation in webank:restore (see the README), never this command",
                    );
                }
                const access = (await stack.getConfig("webank:kubernetesAccess")) ?? "runner";
                // Refused by the lock step, the first change: the checks before it still report.
                return {
                    detail: `dr stack answers (posture ${posture}, Kubernetes access ${access})`,
                    data: { posture, access },
                };
            },
        },
        {
            name: "preflight-restore-point",
            after: [],
            readOnly: true,
            describe: "find the restore source in the DR region and project the RPO",
            run: async () => {
                const { choice, description } = await chooseRestoreSource(
                    config,
                    request.restoreTime,
                    ports,
                    request.failureTime,
                );
                const problems = new ProblemCollector();
                parseRestoreSpec(problems, "webank:restore", restoreConfigOf(choice), {
                    drRegion: config.drRegion,
                    now: ports.now(),
                    replicatedBackupRetentionDays: config.database.replicatedBackupRetentionDays,
                });
                problems.throwIfAny("the restore the failover would set");
                const rpo = Math.max(
                    0,
                    Math.round((request.failureTime.getTime() - new Date(choice.point).getTime()) / 60_000),
                );
                const objective = config.objectives.database.rpoMinutes;
                const warning = rpo > objective ? ` (MORE than the objective of ${objective} min)` : "";
                // A DR-vault point is bounded by the copy period, not by the objective: say which.
                const bound =
                    choice.source === "recovery-point"
                        ? `; the DR-vault fallback gives up to ${drVaultRpoMinutes(config)} min`
                        : "";
                return {
                    detail: `${description}; projected RPO ${rpo} min (objective ${objective}${bound})${warning}`,
                    data: { choice: JSON.stringify(choice) },
                };
            },
        },
        {
            name: "preflight-traffic",
            after: [],
            readOnly: true,
            describe: "check the DNS failover pair",
            run: async () => {
                if (!traffic) {
                    return "DNS failover not managed (no hosted zone configured): clients must be pointed at the DR endpoint by hand";
                }
                // The activated stack's up would refuse this config after the lock is taken.
                if (!activatedTrafficReady(traffic)) {
                    throw new Error(
                        `webank:drEndpoint must ${DR_ENDPOINT_RULE}, and the dr stack has none: its up would be refused once activated. ` +
                            "Set the DNS name the DR load balancer answers to first: pulumi config set -s dr webank:drEndpoint <DNS name>. Nothing was changed",
                    );
                }
                const check = await ports.traffic.primaryHealthCheck(traffic.zoneId, traffic.recordName);
                if (!check) {
                    throw new Error(
                        `the PRIMARY record ${traffic.recordName} in zone ${traffic.zoneId} has no health check; ` +
                            "check the primary stack's TrafficFailover (pulumi stack output dnsFailover -s primary)",
                    );
                }
                return `PRIMARY health check ${check.id} is ${check.healthy ? "healthy" : "unhealthy"}${check.inverted ? " (inverted)" : ""}`;
            },
        },
        sourceDataStep(config, ports.home),
        {
            name: "lock",
            after: ["preflight-stack", "preflight-restore-point", "preflight-traffic", SOURCE_DATA_STEP],
            describe:
                "take the failover lock (conditional write to the lock table), once Kubernetes access is direct",
            run: async (context) => {
                const access = String(context.dataOf("preflight-stack")?.access ?? "runner");
                if (access !== "direct") {
                    throw new Error(kubernetesAccessRefusal(access));
                }
                await ports.lock.acquire(request.runId);
                return `lock held by ${request.runId}`;
            },
        },
        {
            name: "activate-config",
            after: ["lock"],
            describe: "set webank:activated and webank:restore on the DR stack",
            run: async (context) => {
                const choice = journaledChoice(context.dataOf("preflight-restore-point"));
                const restore = JSON.stringify(restoreConfigOf(choice));
                await (await drStack()).setConfig({ "webank:activated": "true", "webank:restore": restore });
                return `webank:restore = ${restore}`;
            },
        },
        {
            name: "refresh",
            after: ["activate-config"],
            describe: "pulumi refresh of the DR stack",
            run: async () => {
                await (await drStack()).refresh(ports.output);
                return "refreshed";
            },
        },
        {
            name: "up",
            after: ["refresh"],
            describe: "pulumi up of the DR stack: restore the database and build the platform, in parallel",
            run: async () => {
                const outputs = await (
                    await drStack()
                ).up({ onOutput: ports.output, parallel: request.parallel });
                const endpoint = typeof outputs.dbEndpoint === "string" ? outputs.dbEndpoint : "";
                const cluster = typeof outputs.clusterName === "string" ? outputs.clusterName : "";
                return {
                    detail: `stack updated; database ${endpoint || "(no endpoint output)"}, cluster ${cluster || "(none)"}`,
                    data: { dbEndpoint: endpoint, clusterName: cluster },
                };
            },
        },
        waitDatabaseStep(ports.dr.database, identifier),
        {
            name: "wait-platform",
            after: ["up"],
            describe: "wait until Argo CD reports every application healthy",
            timeoutMinutes: PLATFORM_WAIT_MINUTES,
            run: async (context) => {
                const cluster = context.dataOf("up")?.clusterName ?? "";
                if (!cluster || cluster.startsWith("none")) {
                    throw new Error(
                        "the DR stack has no cluster after up; check its config (webank:activated) and run again",
                    );
                }
                await ports.commands.run("aws", [
                    "eks",
                    "update-kubeconfig",
                    "--region",
                    config.drRegion,
                    "--name",
                    cluster,
                    "--alias",
                    cluster,
                ]);
                await ports.commands.run("kubectl", [
                    "--context",
                    cluster,
                    "-n",
                    ARGOCD_NAMESPACE,
                    "wait",
                    "--for=jsonpath={.status.health.status}=Healthy",
                    "applications.argoproj.io",
                    "--all",
                    `--timeout=${PLATFORM_WAIT_MINUTES * 60}s`,
                ]);
                return `every Argo CD application on ${cluster} is healthy`;
            },
        },
        {
            name: "verify",
            after: ["wait-database", "wait-platform"],
            describe:
                "check the restored database answers at the endpoint the stack reports, then open it and check its data: the newest heartbeat against the restore point, the critical tables, the migration version",
            run: async (context) => {
                const endpoint = context.dataOf("up")?.dbEndpoint;
                const answers = await checkRestoredDatabase(ports.dr.database, identifier, endpoint, "dr");
                const choice = journaledChoice(context.dataOf("preflight-restore-point"));
                const data = await verifyRestoredData({
                    data: ports.dr.data,
                    config,
                    identifier,
                    endpoint: endpoint ?? "",
                    point: new Date(choice.point),
                    sourceMigrationVersion: journaledSourceVersion(context.dataOf(SOURCE_DATA_STEP)),
                    latest: request.restoreTime === "latest",
                    heldBack: "Traffic was NOT switched and the Argo CD exports stay suspended",
                });
                return { detail: `${answers}; ${data.detail}`, data: data.data };
            },
        },
        {
            name: "resume-exports",
            after: ["verify"],
            describe:
                "unsuspend the DR cluster's Argo CD export CronJob (kubectl patch) and enable its stale-export alarm: the platform it exports is verified now",
            run: async (context) => {
                const cluster = context.dataOf("up")?.clusterName ?? "";
                await ports.commands.run("kubectl", resumeExportsArgs(cluster));
                await ports.commands.run("aws", enableExportAlarmArgs(cluster, config.drRegion));
                return `the Argo CD exports of ${cluster} run on their schedule again, watched by ${exportStaleAlarmName(cluster)}`;
            },
        },
        {
            name: SERVICE_RESTORED_STEP,
            after: ["verify"],
            describe: "make Route 53 answer with the DR endpoint, and check it does",
            run: async () => {
                if (!traffic) {
                    return {
                        detail: "not managed: no hosted zone configured; point clients at the DR endpoint by hand",
                        data: { switched: "false" },
                    };
                }
                const check = await ports.traffic.primaryHealthCheck(traffic.zoneId, traffic.recordName);
                if (!check) {
                    throw new Error(`the PRIMARY record ${traffic.recordName} has no health check any more`);
                }
                // Inverting the PRIMARY's health check is the switch when the home region is
                // only partly down and still answers; when it is down the check already fails.
                const forced = check.healthy && !check.inverted;
                if (forced) {
                    await ports.traffic.invertHealthCheck(check.id, true);
                }
                const expected = traffic.drEndpoint ?? "";
                let answer: string | undefined;
                for (let attempt = 1; attempt <= DNS_CHECKS; attempt++) {
                    answer = await ports.traffic.answer(traffic.zoneId, traffic.recordName);
                    if (answer === expected) {
                        return {
                            detail: `${traffic.recordName} answers ${answer}${forced ? ` (PRIMARY health check ${check.id} inverted)` : " (PRIMARY already unhealthy)"}`,
                            data: { switched: "true" },
                        };
                    }
                    await ports.timers.sleep(request.dnsPollMilliseconds ?? DNS_POLL_MILLISECONDS);
                }
                throw new Error(
                    `${traffic.recordName} still answers ${answer ?? "nothing"}, not ${expected}, after ${DNS_CHECKS} checks; ` +
                        `check the SECONDARY record (pulumi stack output dnsFailover -s dr) and run again`,
                );
            },
        },
    ];
}
