import { defineProgram } from "../program";
import { OfflineRun, runOffline } from "./engine";
import { listStacks, readStackConfig } from "../config/stack-files";

/** Bad command-line input (exit 2), as opposed to a failed run (exit 1). */
export class UsageError extends Error {}

/** The stacks to run: `requested`, or every stack with a Pulumi.<stack>.yaml; unknown names are a {@link UsageError}. */
export function resolveStacks(requested: readonly string[] | undefined, root?: string): string[] {
    const available = listStacks(root);
    const stacks = requested ? [...requested] : available;
    const unknown = stacks.filter((stack) => !available.includes(stack));
    if (unknown.length > 0) {
        throw new UsageError(
            `--stack must name a stack with a Pulumi.<stack>.yaml file (${available.join(", ")}); got ${unknown.map((s) => JSON.stringify(s)).join(", ")}`,
        );
    }
    return stacks;
}

/** What {@link runStacksOffline} produced. */
export interface StackRuns {
    /** Runs of the requested stacks that succeeded, in order. */
    readonly runs: OfflineRun[];
    /** Messages of the runs that failed (each names its stack). */
    readonly failures: string[];
}

/**
 * Runs the real program for `stacks` under the offline engine. The dr stack reads the
 * primary's outputs through a StackReference, so primary runs first (silently, when it was
 * not asked for) and its outputs answer the reference.
 */
export async function runStacksOffline(
    stacks: readonly string[],
    options: { root?: string; progress?: (line: string) => void } = {},
): Promise<StackRuns> {
    const available = listStacks(options.root);
    const order =
        available.includes("primary") && !stacks.includes("primary") ? ["primary", ...stacks] : stacks;
    const stackOutputs: Record<string, Record<string, unknown>> = {};
    const runs: OfflineRun[] = [];
    const failures: string[] = [];
    for (const stack of order) {
        const requested = stacks.includes(stack);
        options.progress?.(`running stack ${stack} offline${requested ? "" : " (for its outputs)"} ...`);
        try {
            const run = await runOffline({
                ...readStackConfig(stack, options.root),
                stackOutputs,
                program: () => defineProgram({ root: options.root }),
            });
            stackOutputs[stack] = run.outputs;
            if (requested) {
                runs.push(run);
            }
        } catch (error) {
            // OfflineRunError messages already name the stack.
            failures.push(error instanceof Error ? error.message : String(error));
        }
    }
    return { runs, failures };
}
