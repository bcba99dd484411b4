/**
 * The projected RTO of a hot failover: the simulated hot failover when the failover command and
 * the simulated account run one (it must promote the replica to count), and until they do a
 * projection from the duration model, said to be one.
 */
import { StackConfig } from "../../config/stack-config";
import { DurationModel } from "../simulation/world";
import { DR_STACK_RESOURCES, FAILOVER_DURATIONS } from "./durations";
import { simulateFailover, SimulatedFailover } from "./simulate";
import { criticalPath, upMinutes, upPhases } from "./up-phases";

/** Where a projected hot RTO comes from. */
export type HotRtoSource = "simulated" | "duration model";

/** The projected RTO of a hot failover, and how it was obtained. */
export interface HotRto {
    /** Start of the run to traffic switched, in minutes. */
    readonly minutes: number;
    /** The same with the promotion at its bound (the RDS waiter's 30 minutes) instead of the assumed figure. */
    readonly boundMinutes: number;
    /** Simulated (the failover command ran a hot failover that promoted), or computed from the duration model. */
    readonly source: HotRtoSource;
    /** The chain that decides it, first to last. */
    readonly criticalPath: readonly string[];
    /** Why the simulation was not used, when it was not. */
    readonly whyNotSimulated?: string;
    /** The simulated run, when there is one. */
    readonly simulated?: SimulatedFailover;
}

/** A step of a hot failover that promotes the read replica (the command names its step so). */
const PROMOTION_STEP = /promot/i;

/**
 * The simulated hot failover, if the failover command and the simulated account run one: a
 * run that completes and has a promotion step. Otherwise undefined, with the reason.
 * `simulate` runs it (a parameter so that a test can hand it a run that does not promote).
 */
export async function simulatedHotFailover(
    config: StackConfig,
    durations: DurationModel,
    simulate: typeof simulateFailover = simulateFailover,
): Promise<{ run?: SimulatedFailover; why?: string }> {
    let run: SimulatedFailover;
    try {
        run = await simulate(config, "hot", "concurrent", durations);
    } catch (error) {
        return { why: `the simulated hot failover does not run: ${(error as Error).message}` };
    }
    if (!run.timeline.some((t) => PROMOTION_STEP.test(t.step))) {
        return {
            why:
                "the simulated failover of posture hot has no step that promotes the replica " +
                `(steps: ${run.timeline.map((t) => t.step).join(", ")}): it is not a hot failover yet`,
        };
    }
    return { run };
}

/**
 * The projected RTO of a hot failover. With a simulated hot failover (see
 * {@link simulatedHotFailover}), its length. Without one, the simulated warm failover
 * (`warm`, the same orchestrator and steps) with its two posture-specific parts replaced by the
 * duration model's: the refresh reads the hot stack's resources, and `pulumi up` promotes the
 * replica instead of restoring (upPhases("hot")) while the node group scales up; the steps
 * after `up` (Argo CD's sync, the verification, the DNS switch) are the warm run's. `simulate`
 * is the hot simulation to try (a parameter so that a test can stand in for the one to come).
 */
export async function projectHotRto(
    config: StackConfig,
    durations: DurationModel,
    warm: SimulatedFailover,
    simulate: typeof simulatedHotFailover = simulatedHotFailover,
): Promise<HotRto> {
    const bound = boundMinutes();
    const simulated = await simulate(config, durations);
    if (simulated.run) {
        return {
            minutes: simulated.run.minutes,
            boundMinutes: simulated.run.minutes + bound.extra,
            source: "simulated",
            criticalPath: simulated.run.criticalPath,
            simulated: simulated.run,
        };
    }
    const read = FAILOVER_DURATIONS.pulumiRefreshRead.minutes;
    const hotMinutes =
        warm.minutes -
        upMinutes("warm") +
        upMinutes("hot") -
        (DR_STACK_RESOURCES.warm - DR_STACK_RESOURCES.hot) * read;
    const upChain = criticalPath(upPhases("hot")).path;
    return {
        minutes: hotMinutes,
        boundMinutes: hotMinutes + bound.extra,
        source: "duration model",
        criticalPath: warm.criticalPath.flatMap((step) =>
            step === "up" ? [`up (${upChain.join(" -> ")})`] : [step],
        ),
        whyNotSimulated: simulated.why,
    };
}

/**
 * How much longer a hot failover is with the promotion at its bound (the RDS waiter's 30 min):
 * the promote step is on the critical path on its own (before refresh and up), so all of it.
 */
function boundMinutes(): { extra: number } {
    return {
        extra:
            FAILOVER_DURATIONS.rdsPointInTimeRestore.minutes - FAILOVER_DURATIONS.rdsReplicaPromotion.minutes,
    };
}
