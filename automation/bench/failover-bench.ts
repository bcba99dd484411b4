import { StackConfig } from "../../config/stack-config";
import { runAsMain } from "../../lib/run-as-main";
import { drStackConfig } from "../commands/dr-config";
import { failoverDurations } from "./duration-model";
import { criticalPath, upPhases } from "./up-phases";
import { simulateFailover, SimulatedFailover } from "./simulate";

/** The DR postures the benchmark compares. */
const POSTURES = ["pilot", "warm"] as const;

/** Minutes, one decimal. */
function minutes(value: number): string {
    return `${value.toFixed(1)} min`;
}

/** The longest chain of phases inside `pulumi up` for a posture (Pulumi runs the rest beside it). */
export function upCriticalChain(posture: "pilot" | "warm"): { names: string[]; minutes: number } {
    const phases = upPhases(posture);
    const { minutes, path } = criticalPath(phases);
    const minutesOf = (name: string) =>
        Number((phases.find((p) => p.name === name)?.minutes ?? 0).toFixed(2));
    return { names: path.map((name) => `${name} ${minutesOf(name)} min`), minutes };
}

/** One posture's lines of the benchmark. */
function describe(concurrent: SimulatedFailover, sequential: SimulatedFailover, objective: number): string[] {
    const saved = sequential.minutes - concurrent.minutes;
    const chain = upCriticalChain(concurrent.posture);
    return [
        `posture ${concurrent.posture}`,
        `  projected RTO (concurrent): ${minutes(concurrent.minutes)} (objective ${objective} min: ${concurrent.minutes <= objective ? "met" : "MISSED"})`,
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
function withTraffic(config: StackConfig): { config: StackConfig; note?: string } {
    if (config.platform.traffic?.drEndpoint) {
        return { config };
    }
    return {
        config: { ...config, platform: { ...config.platform, traffic: EXAMPLE_TRAFFIC } },
        note: "No hosted zone is configured: the DNS switch is modelled with an example zone.",
    };
}

/** Runs the benchmark for both postures; returns the lines it prints. */
export async function failoverBenchmark(configured: StackConfig): Promise<string[]> {
    const durations = failoverDurations();
    const { config, note } = withTraffic(configured);
    const lines = [
        "Failover benchmark: the real orchestrator against a simulated AWS on a virtual clock.",
        "Durations come from AWS and Argo CD documentation (each cited in automation/bench/durations.ts).",
        ...(note ? [note] : []),
        "",
    ];
    for (const posture of POSTURES) {
        const concurrent = await simulateFailover(config, posture, "concurrent", durations);
        const sequential = await simulateFailover(config, posture, "sequential", durations);
        lines.push(...describe(concurrent, sequential, config.objectives.cluster.rtoMinutes), "");
    }
    return lines;
}

/** Projects a failover's RTO: the concurrent simulation of the posture, in minutes and as a line for people. */
export async function projectRtoMinutes(
    config: StackConfig,
    posture: string,
): Promise<{ minutes: number; text: string }> {
    const simulated = await simulateFailover(
        withTraffic(config).config,
        posture === "warm" ? "warm" : "pilot",
        "concurrent",
        failoverDurations(),
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
