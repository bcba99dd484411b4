import { StackConfig } from "../../config/stack-config";
import { runAsMain } from "../../lib/run-as-main";
import { drStackConfig } from "../commands/dr-config";
import { failoverDurations } from "./duration-model";
import { HotRto, projectHotRto } from "./hot-projection";
import { assumedLines, rpoAndCostLines, TradeRow, tradeLines } from "./posture-report";
import { criticalPath, Posture, upPhases } from "./up-phases";
import { simulateFailover, SimulatedFailover } from "./simulate";

/** The DR postures the benchmark simulates end to end (hot is projected: hot-projection.ts). */
const SIMULATED_POSTURES = ["pilot", "warm"] as const;

/** Minutes, one decimal. */
function minutes(value: number): string {
    return `${value.toFixed(1)} min`;
}

/** The longest chain of phases inside `pulumi up` for a posture (Pulumi runs the rest beside it). */
export function upCriticalChain(posture: Posture): { names: string[]; minutes: number } {
    const phases = upPhases(posture);
    const { minutes, path } = criticalPath(phases);
    const minutesOf = (name: string) =>
        Number((phases.find((p) => p.name === name)?.minutes ?? 0).toFixed(2));
    return { names: path.map((name) => `${name} ${minutesOf(name)} min`), minutes };
}

/** Whether `value` minutes meet the objective, as printed. */
function against(value: number, objective: number): string {
    return `objective ${objective} min: ${value <= objective ? "met" : "MISSED"}`;
}

/** One simulated posture's lines of the benchmark. */
function describe(concurrent: SimulatedFailover, sequential: SimulatedFailover, objective: number): string[] {
    const saved = sequential.minutes - concurrent.minutes;
    const chain = upCriticalChain(concurrent.posture);
    return [
        `posture ${concurrent.posture}`,
        `  projected RTO (concurrent): ${minutes(concurrent.minutes)} (simulated; ${against(concurrent.minutes, objective)})`,
        `  critical path:              ${concurrent.criticalPath.join(" -> ")}`,
        `  inside pulumi up:           ${chain.names.join(" -> ")}`,
        `  same steps one at a time:   ${minutes(sequential.minutes)} (pulumi up --parallel 1, one step at a time)`,
        `  concurrency saves:          ${minutes(saved)} (${((saved / sequential.minutes) * 100).toFixed(0)} %)`,
        "  step timeline (concurrent), minutes from the start:",
        ...concurrent.timeline.map(
            (t) =>
                `    ${t.step.padEnd(24)} ${(t.startedAt / 60_000).toFixed(1).padStart(6)} -> ${(t.endedAt / 60_000).toFixed(1).padStart(6)}`,
        ),
    ];
}

/** A hosted zone to model the DNS switch with when the stacks configure none. */
const EXAMPLE_TRAFFIC = {
    zoneId: "Z0123456789EXAMPLE",
    recordName: "app.webank.example",
    primaryEndpoint: "primary.elb.example",
    drEndpoint: "dr.elb.example",
    healthCheckPath: "/healthz",
} as const;

/** The config to simulate: the one given, with an example zone when none is configured, so the DNS switch counts. */
export function withTraffic(config: StackConfig): { config: StackConfig; note?: string } {
    if (config.platform.traffic?.drEndpoint) {
        return { config };
    }
    return {
        config: { ...config, platform: { ...config.platform, traffic: EXAMPLE_TRAFFIC } },
        note: "No hosted zone is configured: the DNS switch is modelled with an example zone.",
    };
}

/** The hot posture's lines: its RTO, simulated or projected from the duration model, and which. */
function describeHot(hot: HotRto, objective: number): string[] {
    const how =
        hot.source === "simulated"
            ? "simulated: the failover command promoted the replica in the simulated account"
            : "projected from the duration model, not simulated: the warm run with hot's refresh and up";
    return [
        "posture hot",
        `  projected RTO (concurrent): ${minutes(hot.minutes)} (${how}; ${against(hot.minutes, objective)})`,
        ...(hot.whyNotSimulated ? [`  why not simulated:          ${hot.whyNotSimulated}`] : []),
        `  with the promotion at its bound: ${minutes(hot.boundMinutes)} (the RDS waiter's 30 min)`,
        `  critical path:              ${hot.criticalPath.join(" -> ")}`,
        ...assumedLines("hot"),
    ];
}

/** Runs the benchmark for every posture; returns the lines it prints. */
export async function failoverBenchmark(configured: StackConfig): Promise<string[]> {
    const durations = failoverDurations();
    const { config, note } = withTraffic(configured);
    const objective = config.objectives.cluster.rtoMinutes;
    const lines = [
        "Failover benchmark: the real orchestrator against a simulated AWS on a virtual clock.",
        "Durations come from AWS, Argo CD and Helm documentation and published measurements (each cited, with its",
        "kind, in automation/bench/durations.ts); prices from the cited table of automation/bench/prices.ts.",
        ...(note ? [note] : []),
        "",
    ];
    const rows: TradeRow[] = [];
    let warm: SimulatedFailover | undefined;
    for (const posture of SIMULATED_POSTURES) {
        const concurrent = await simulateFailover(config, posture, "concurrent", durations);
        const sequential = await simulateFailover(config, posture, "sequential", durations);
        warm = posture === "warm" ? concurrent : warm;
        lines.push(...describe(concurrent, sequential, objective), ...rpoAndCostLines(config, posture), "");
        rows.push({ posture, rto: `${minutes(concurrent.minutes)} (simulated)` });
    }
    const hot = await projectHotRto(config, durations, warm as SimulatedFailover);
    lines.push(...describeHot(hot, objective), ...rpoAndCostLines(config, "hot"), "");
    rows.push({
        posture: "hot",
        rto: `${minutes(hot.minutes)} (${hot.source === "simulated" ? "simulated" : "projected, not simulated"})`,
    });
    lines.push(...tradeLines(config, rows));
    return lines;
}

/**
 * Projections made in this process, by posture and config (its JSON: a parsed config is plain
 * data). A projection simulates whole failovers from the config alone (the durations are AWS's,
 * not the account's), so the same config always gives the same answer; status, the failover's
 * plan and their tests ask again and again, and simulate it once.
 */
const PROJECTIONS = new Map<string, Promise<{ minutes: number; text: string }>>();

/**
 * Projects a failover's RTO for `posture`, in minutes and as a line for people: the concurrent
 * simulation of pilot or warm; for hot, the simulated hot failover once there is one, else the
 * duration model's projection, and the line says which.
 */
export function projectRtoMinutes(
    config: StackConfig,
    posture: string,
): Promise<{ minutes: number; text: string }> {
    const key = `${posture} ${JSON.stringify(config)}`;
    let projection = PROJECTIONS.get(key);
    if (!projection) {
        projection = simulateProjection(config, posture);
        // A failed projection is not kept: the next call tries again.
        projection.catch(() => PROJECTIONS.delete(key));
        PROJECTIONS.set(key, projection);
    }
    return projection;
}

/** The projection {@link projectRtoMinutes} keeps: the simulated failover of `posture`. */
async function simulateProjection(
    config: StackConfig,
    posture: string,
): Promise<{ minutes: number; text: string }> {
    const simulatedConfig = withTraffic(config).config;
    const durations = failoverDurations();
    if (posture === "hot") {
        const warm = await simulateFailover(simulatedConfig, "warm", "concurrent", durations);
        const hot = await projectHotRto(simulatedConfig, durations, warm);
        const how =
            hot.source === "simulated"
                ? "simulated from documented AWS durations"
                : "projected from the duration model, not simulated";
        return {
            minutes: hot.minutes,
            text: `${minutes(hot.minutes)} for posture hot (${how}; npm run bench:failover for the detail)`,
        };
    }
    const simulated = await simulateFailover(
        simulatedConfig,
        posture === "warm" ? "warm" : "pilot",
        "concurrent",
        durations,
    );
    return {
        minutes: simulated.minutes,
        text: `${minutes(simulated.minutes)} for posture ${simulated.posture} (simulated from documented AWS durations; npm run bench:failover for the detail)`,
    };
}

/** `npm run bench:failover`. */
export async function main(): Promise<number> {
    for (const line of await failoverBenchmark(drStackConfig())) {
        process.stdout.write(`${line}\n`);
    }
    return 0;
}

if (require.main === module) {
    runAsMain(main);
}
