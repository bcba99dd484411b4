import { defineProgram } from "../program";
import { OfflineRun, runOffline } from "./engine";
import { listStacks, readStackConfig } from "../config/stack-files";
import { describeOverrides, isVariant, STACK_VARIANTS, StackConfiguration } from "./stack-variants";

/** Bad command-line input (exit 2), as opposed to a failed run (exit 1). */
export class UsageError extends Error {}

/** The stack that every other one reads outputs from through a StackReference. */
const PRIMARY_STACK = "primary";

/**
 * Every configuration the offline tools can run here: each stack with a `Pulumi.<stack>.yaml`
 * as committed, then each named configuration whose stack file exists.
 */
export function availableConfigurations(root?: string): StackConfiguration[] {
    const stacks = listStacks(root);
    return [
        ...stacks.map((stack) => ({ name: stack, stack, overrides: {} })),
        ...STACK_VARIANTS.filter((variant) => stacks.includes(variant.stack)),
    ];
}

/**
 * The configurations to run: `requested` (stack or configuration names, in that order), or
 * by default every committed stack file, plus every named configuration when `variants` is
 * set. An unknown name is a {@link UsageError} naming it and every valid one.
 */
export function resolveConfigurations(
    requested: readonly string[] | undefined,
    options: {
        /** Directory holding the stack files. @default the repository root */
        readonly root?: string;
        /** Whether the default includes the named configurations. @default false: committed stack files only */
        readonly variants?: boolean;
    } = {},
): StackConfiguration[] {
    const available = availableConfigurations(options.root);
    if (!requested) {
        return available.filter((configuration) => options.variants || !isVariant(configuration));
    }
    const unknown = requested.filter((name) => !available.some((c) => c.name === name));
    if (unknown.length > 0) {
        throw new UsageError(
            `--stack must name a stack with a Pulumi.<stack>.yaml file or a named configuration ` +
                `(${available.map((c) => c.name).join(", ")}); got ${unknown.map((s) => JSON.stringify(s)).join(", ")}`,
        );
    }
    return [...new Set(requested)].map(
        (name) => available.find((c) => c.name === name) as StackConfiguration,
    );
}

/** One run of a configuration: what the engine recorded, and which configuration it ran. */
export interface ConfigurationRun extends OfflineRun {
    /** The configuration run: the stack file, and the overrides set over it. */
    readonly configuration: StackConfiguration;
}

/** What {@link runStacksOffline} produced. */
export interface StackRuns {
    /** Runs of the requested configurations that succeeded, in order. */
    readonly runs: ConfigurationRun[];
    /** Messages of the runs that failed (each names its stack). */
    readonly failures: string[];
}

/** How a configuration is named in progress lines and reports: `stack dr`, or `dr:warm (stack dr, ...)`. */
export function describeConfiguration(configuration: StackConfiguration): string {
    return isVariant(configuration)
        ? `${configuration.name} (stack ${configuration.stack}, ${describeOverrides(configuration.overrides)})`
        : `stack ${configuration.stack}`;
}

/**
 * Runs the real program for each configuration under the offline engine. The dr stack reads
 * the primary's outputs through a StackReference, so primary runs first (silently, when it was
 * not asked for), once, and its outputs answer the reference of every dr configuration. Each
 * run's duration goes to `progress`.
 */
export async function runStacksOffline(
    configurations: readonly StackConfiguration[],
    options: {
        /** Directory holding the stack files. @default the repository root */
        readonly root?: string;
        /** Receives one line per step. @default none: silent */
        readonly progress?: (line: string) => void;
    } = {},
): Promise<StackRuns> {
    const primary = { name: PRIMARY_STACK, stack: PRIMARY_STACK, overrides: {} };
    const requestsPrimary = configurations.some((c) => c.name === PRIMARY_STACK);
    const order = [
        ...(requestsPrimary || listStacks(options.root).includes(PRIMARY_STACK) ? [primary] : []),
        ...configurations.filter((c) => c.name !== PRIMARY_STACK),
    ];
    const stackOutputs: Record<string, Record<string, unknown>> = {};
    const runs: ConfigurationRun[] = [];
    const failures: string[] = [];
    for (const configuration of order) {
        const requested = configuration !== primary || requestsPrimary;
        const described = describeConfiguration(configuration);
        options.progress?.(`running ${described} offline${requested ? "" : " (for its outputs)"} ...`);
        const started = Date.now();
        try {
            const run = await runConfiguration(configuration, stackOutputs, options.root);
            options.progress?.(`${described}: ${run.resources.length} resources in ${seconds(started)}`);
            // Only a stack file as committed answers StackReferences: a variant is not the stack's state.
            if (!isVariant(configuration)) {
                stackOutputs[configuration.stack] = run.outputs;
            }
            if (requested) {
                runs.push({ ...run, configuration });
            }
        } catch (error) {
            // OfflineRunError messages already name the stack.
            const message = error instanceof Error ? error.message : String(error);
            failures.push(isVariant(configuration) ? `${configuration.name}: ${message}` : message);
        }
    }
    return { runs, failures };
}

/** One run of the program for `configuration`: its stack file with the overrides set over it. */
async function runConfiguration(
    configuration: StackConfiguration,
    stackOutputs: Record<string, Record<string, unknown>>,
    root: string | undefined,
): Promise<OfflineRun> {
    const files = readStackConfig(configuration.stack, root);
    return runOffline({
        ...files,
        config: { ...files.config, ...configuration.overrides },
        stackOutputs,
        program: () => defineProgram({ root, asRunner: true }),
    });
}

/** Seconds since `started`, to a tenth: `1.4 s`. */
export function seconds(started: number): string {
    return `${((Date.now() - started) / 1000).toFixed(1)} s`;
}
