import * as path from "path";
import { defineProgram } from "../program";
import { OfflineRun, runOffline } from "./engine";
import { listStacks, PROJECT_ROOT, readStackConfig } from "../config/stack-files";
import { deepFreeze } from "../lib/deep-freeze";
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
 *
 * With `preview`, every requested configuration runs as `pulumi preview` of a stack being
 * created (`runOffline`'s `preview`). A StackReference reads the referenced stack's
 * state, which a preview does not change (the engine reads during a preview: pkg/resource/deploy/step.go
 * ReadStep.Apply), so primary's outputs come from a run of primary as `pulumi up` had deployed
 * it; primary then runs a second time, as a preview, when it was asked for.
 */
export async function runStacksOffline(
    configurations: readonly StackConfiguration[],
    options: {
        /** Directory holding the stack files. @default the repository root */
        readonly root?: string;
        /** Receives one line per step. @default none: silent */
        readonly progress?: (line: string) => void;
        /** Run the requested configurations as `pulumi preview` of a new stack. @default false: as `pulumi up` */
        readonly preview?: boolean;
    } = {},
): Promise<StackRuns> {
    const preview = options.preview ?? false;
    const primary = { name: PRIMARY_STACK, stack: PRIMARY_STACK, overrides: {} };
    const requestsPrimary = configurations.some((c) => c.name === PRIMARY_STACK);
    const others = configurations.filter((c) => c.name !== PRIMARY_STACK);
    const hasPrimary = requestsPrimary || listStacks(options.root).includes(PRIMARY_STACK);
    const steps: { configuration: StackConfiguration; requested: boolean; preview: boolean }[] = [
        // In a preview, primary's outputs come from an update run; it is previewed after, if asked for.
        ...(hasPrimary && (!preview || others.length > 0)
            ? [{ configuration: primary, requested: requestsPrimary && !preview, preview: false }]
            : []),
        ...(requestsPrimary && preview ? [{ configuration: primary, requested: true, preview: true }] : []),
        ...others.map((configuration) => ({ configuration, requested: true, preview })),
    ];
    const stackOutputs: Record<string, Record<string, unknown>> = {};
    const runs: ConfigurationRun[] = [];
    const failures: string[] = [];
    for (const step of steps) {
        const { configuration, requested } = step;
        const described = describeConfiguration(configuration);
        const mode = step.preview ? " as a preview" : "";
        options.progress?.(`running ${described} offline${mode}${requested ? "" : " (for its outputs)"} ...`);
        const started = Date.now();
        try {
            const run = await runConfiguration(configuration, stackOutputs, options.root, step.preview);
            options.progress?.(`${described}: ${run.resources.length} resources in ${seconds(started)}`);
            // Only a stack file as committed, deployed (not previewed), answers StackReferences:
            // a variant is not the stack's state, and a preview leaves the state as it was.
            if (!isVariant(configuration) && !step.preview) {
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

/**
 * Runs of the repository's own stack files in this process, by configuration, the outputs it
 * was given and mode: the same inputs run the same program to the same result (the mock engine
 * is deterministic and the files do not change under a running process), so the plan, the
 * policy check and the mutation suite, and their tests in one process, share each run, frozen.
 * Another root (a project copy, a fixture) runs afresh: its files may have changed.
 */
const REPOSITORY_RUNS = new Map<string, Promise<OfflineRun>>();

/** One run of the program for `configuration`: its stack file with the overrides set over it. */
function runConfiguration(
    configuration: StackConfiguration,
    stackOutputs: Record<string, Record<string, unknown>>,
    root: string | undefined,
    preview: boolean,
): Promise<OfflineRun> {
    if (root !== undefined && path.resolve(root) !== PROJECT_ROOT) {
        return runConfigurationAfresh(configuration, stackOutputs, root, preview);
    }
    const key = JSON.stringify([configuration, stackOutputs, preview]);
    let run = REPOSITORY_RUNS.get(key);
    if (!run) {
        run = runConfigurationAfresh(configuration, stackOutputs, root, preview).then(deepFreeze);
        // A failed run is not kept: the next caller sees the failure afresh.
        run.catch(() => REPOSITORY_RUNS.delete(key));
        REPOSITORY_RUNS.set(key, run);
    }
    return run;
}

/** {@link runConfiguration} without sharing. */
async function runConfigurationAfresh(
    configuration: StackConfiguration,
    stackOutputs: Record<string, Record<string, unknown>>,
    root: string | undefined,
    preview: boolean,
): Promise<OfflineRun> {
    const files = readStackConfig(configuration.stack, root);
    return runOffline({
        ...files,
        // A drill's stack starts from dr's file under its own name (its URNs and role checks).
        stack: configuration.stackName ?? configuration.stack,
        config: { ...files.config, ...configuration.overrides },
        stackOutputs,
        preview,
        program: () => defineProgram({ root, asRunner: true }),
    });
}

/** Seconds since `started`, to a tenth: `1.4 s`. */
export function seconds(started: number): string {
    return `${((Date.now() - started) / 1000).toFixed(1)} s`;
}
