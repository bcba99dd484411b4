import { ARGOCD_NAMESPACE, exportStaleAlarmName } from "../../../lib/argocd";
import type { StackConfig } from "../../../config/stack-config";
import { activatedTrafficReady, DR_ENDPOINT_RULE } from "../../../config/traffic";
import { currentRunnerBuild, isRunnerBuild, RunnerBuild } from "../../../lib/kubernetes-access";
import { deployRunnerProjectName } from "../../../lib/naming";
import type { RecoveryPorts } from "../../ports";
import { updateKubeconfigArgs } from "../shared/kube-context";
import type { Step } from "../../run/steps";
import { enableExportAlarmArgs, resumeExportsArgs } from "../shared/argocd-exports";

/*
 * The steps every failover posture shares (steps.ts: pilot light and warm, which restore the
 * database; hot-steps.ts: hot, which promotes the read replica): the DR stack and DNS
 * preflights, the lock, refresh and up, the platform wait, the exports and the traffic switch.
 */

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

/** The step whose end means "service restored" in the report. */
export const SERVICE_RESTORED_STEP = "switch-traffic";

/** What the shared steps need of the run. */
export interface SharedRunSettings {
    /** The run id (the journal's). */
    readonly runId: string;
    /** Resource operations `pulumi up` runs at once. Default: Pulumi's own. */
    readonly parallel?: number;
    /** Milliseconds between checks of the DNS answer after the switch. Default {@link DNS_POLL_MILLISECONDS}. */
    readonly dnsPollMilliseconds?: number;
}

/**
 * Why a failover takes no lock unless the dr stack's `webank:kubernetesAccess` is `direct`
 * or the run is inside the dr stack's deploy runner: its `up` applies Argo CD and kubectl then
 * waits for, verifies and resumes it, all through the DR cluster's private API endpoint from
 * where the command runs. From anywhere else with `runner` that `up` leaves Argo CD out of a
 * new cluster, or is refused for a warm standby's existing one (lib/kubernetes-access.ts),
 * and the run would stop after restoring the database, holding the lock. `failover
 * --on-runner` runs the whole failover in the runner instead (on-runner.ts).
 */
export function kubernetesAccessRefusal(access: string, runnerProject: string, drRegion: string): string {
    return (
        `the dr stack's webank:kubernetesAccess is ${access}, and this failover reaches the DR cluster's private API endpoint ` +
        "from where it runs (its up applies Argo CD; kubectl then waits for, verifies and resumes it), which is outside the " +
        `dr stack's deploy runner ${runnerProject} in ${drRegion}. Run it there, with the same arguments: ` +
        "npm run dr -- failover --on-runner. Or run it from a machine that reaches the DR VPC (VPN, Direct Connect, or an address in " +
        "webank:apiPublicAccessCidrs) after: pulumi config set -s dr webank:kubernetesAccess direct. Nothing was changed"
    );
}

/**
 * Where a failover may reach the DR cluster from: `direct` access, or inside the dr stack's
 * deploy runner in the DR region, as CodeBuild's own CODEBUILD_BUILD_ARN names it (no flag:
 * nobody can claim it by passing one). Undefined when it may; else the refusal.
 */
export function kubernetesPlaceRefusal(
    config: Pick<StackConfig, "prefix" | "drRegion">,
    access: string,
    build: RunnerBuild | undefined,
): string | undefined {
    const project = deployRunnerProjectName(config.prefix, "dr");
    if (access === "direct" || isRunnerBuild(build, project, config.drRegion)) {
        return undefined;
    }
    return kubernetesAccessRefusal(access, project, config.drRegion);
}

/** The DR stack. */
function drStackOf(ports: RecoveryPorts) {
    return ports.workspace.selectStack("dr");
}

/** Checks the DR stack answers and is not activated; journals its posture and Kubernetes access. */
export function preflightStackStep(ports: RecoveryPorts): Step {
    return {
        name: "preflight-stack",
        after: [],
        readOnly: true,
        describe: "check the DR stack answers and is not already activated",
        run: async () => {
            const stack = await drStackOf(ports);
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
    };
}

/**
 * Why a run cannot move traffic: the PRIMARY record has no gate over the endpoint check and
 * the tool's switch (automation/traffic-ports.ts), e.g. a primary stack deployed before them.
 */
export function missingSwitch(zoneId: string, recordName: string): string {
    return (
        `the PRIMARY record ${recordName} in zone ${zoneId} has no traffic switch: its health check must be the gate over the ` +
        "home endpoint's check and the switch that components/traffic.ts declares. Deploy it with pulumi up -s primary " +
        "(or, while the home region is down, check the record with: pulumi stack output dnsFailover -s primary). Nothing was changed"
    );
}

/** Checks the DNS failover pair: the DR endpoint is set and the PRIMARY record has its gate and switch. */
export function preflightTrafficStep(config: StackConfig, ports: RecoveryPorts): Step {
    const traffic = config.platform.traffic;
    return {
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
            const state = await ports.traffic.trafficSwitch(traffic.zoneId, traffic.recordName);
            if (!state) {
                throw new Error(missingSwitch(traffic.zoneId, traffic.recordName));
            }
            return `home endpoint check ${state.endpoint.id} is ${state.endpoint.healthy ? "healthy" : "unhealthy"}; traffic switch ${state.switchId} ${state.heldOnDr ? "ALREADY holds traffic on DR" : "is free"}`;
        },
    };
}

/**
 * Takes the failover lock after `after` (the preflights), once the DR cluster is reachable:
 * Kubernetes access is direct, or this process runs in the dr stack's deploy runner.
 * @param build the build this process runs in @default read from CODEBUILD_BUILD_ARN
 */
export function lockStep(
    config: StackConfig,
    ports: RecoveryPorts,
    runId: string,
    after: readonly string[],
    build: RunnerBuild | undefined = currentRunnerBuild(),
): Step {
    return {
        name: "lock",
        after,
        describe:
            "take the failover lock (conditional write to the lock table), once Kubernetes access is direct or the run is in the dr stack's deploy runner",
        run: async (context) => {
            const access = String(context.dataOf("preflight-stack")?.access ?? "runner");
            const refusal = kubernetesPlaceRefusal(config, access, build);
            if (refusal) {
                throw new Error(refusal);
            }
            await ports.lock.acquire(runId);
            return `lock held by ${runId}`;
        },
    };
}

/** `pulumi refresh` of the DR stack after `after`. */
export function refreshStep(ports: RecoveryPorts, after: readonly string[]): Step {
    return {
        name: "refresh",
        after,
        describe: "pulumi refresh of the DR stack",
        run: async () => {
            await (await drStackOf(ports)).refresh(ports.output);
            return "refreshed";
        },
    };
}

/** `pulumi up` of the DR stack after `after` (the refresh); journals the database endpoint and the cluster. */
export function upStep(
    ports: RecoveryPorts,
    run: SharedRunSettings,
    describe: string,
    after: readonly string[] = ["refresh"],
): Step {
    return {
        name: "up",
        after,
        describe,
        run: async () => {
            const outputs = await (
                await drStackOf(ports)
            ).up({ onOutput: ports.output, parallel: run.parallel });
            const endpoint = typeof outputs.dbEndpoint === "string" ? outputs.dbEndpoint : "";
            const cluster = typeof outputs.clusterName === "string" ? outputs.clusterName : "";
            return {
                detail: `stack updated; database ${endpoint || "(no endpoint output)"}, cluster ${cluster || "(none)"}`,
                data: { dbEndpoint: endpoint, clusterName: cluster },
            };
        },
    };
}

/** Waits until Argo CD reports every application of the DR cluster healthy. */
export function waitPlatformStep(config: StackConfig, ports: RecoveryPorts): Step {
    return {
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
            await ports.commands.run("aws", updateKubeconfigArgs(config.drRegion, cluster));
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
    };
}

/** Resumes the DR cluster's Argo CD exports once the platform is verified. */
export function resumeExportsStep(config: StackConfig, ports: RecoveryPorts): Step {
    return {
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
    };
}

/**
 * Makes Route 53 answer with the DR endpoint, by inverting the tool's traffic switch (traffic
 * then stays on DR whatever the home endpoint does, until failback releases it), and checks
 * it does.
 */
export function switchTrafficStep(config: StackConfig, ports: RecoveryPorts, run: SharedRunSettings): Step {
    const traffic = config.platform.traffic;
    return {
        name: SERVICE_RESTORED_STEP,
        after: ["verify"],
        describe:
            "hold traffic on DR with the tool's Route 53 switch (whatever the home endpoint does), and check Route 53 answers with the DR endpoint",
        run: async () => {
            if (!traffic) {
                return {
                    detail: "not managed: no hosted zone configured; point clients at the DR endpoint by hand",
                    data: { switched: "false" },
                };
            }
            const state = await ports.traffic.trafficSwitch(traffic.zoneId, traffic.recordName);
            if (!state) {
                throw new Error(missingSwitch(traffic.zoneId, traffic.recordName));
            }
            await ports.traffic.holdOnDr(state.switchId, true);
            const answer = await awaitAnswer(ports, traffic, traffic.drEndpoint ?? "", run);
            return {
                detail: `${traffic.recordName} answers ${answer}; traffic switch ${state.switchId} holds it on DR (home endpoint ${state.endpoint.healthy ? "healthy" : "unhealthy"})`,
                data: { switched: "true" },
            };
        },
    };
}

/**
 * Checks Route 53's answer for the record until it is `expected`, {@link DNS_CHECKS} times
 * {@link DNS_POLL_MILLISECONDS} apart; returns it, or throws saying what to check.
 */
export async function awaitAnswer(
    ports: RecoveryPorts,
    traffic: { zoneId: string; recordName: string },
    expected: string,
    run: SharedRunSettings,
): Promise<string> {
    let answer: string | undefined;
    for (let attempt = 1; attempt <= DNS_CHECKS; attempt++) {
        answer = await ports.traffic.answer(traffic.zoneId, traffic.recordName);
        if (answer === expected) {
            return answer;
        }
        await ports.timers.sleep(run.dnsPollMilliseconds ?? DNS_POLL_MILLISECONDS);
    }
    throw new Error(
        `${traffic.recordName} still answers ${answer ?? "nothing"}, not ${expected}, after ${DNS_CHECKS} checks; ` +
            `check the failover records (pulumi stack output dnsFailover -s primary, and -s dr) and run again`,
    );
}
