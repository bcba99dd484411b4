import { OfflineRun, RecordedResource, runOffline } from "../../offline/engine";
import { readStackConfig } from "../../config/stack-files";
import { defineProgram } from "../../program";
import { projectCopy, withConfig } from "../config/project-copy";
import { deepFreeze } from "../../lib/deep-freeze";

/**
 * The runs made so far in this process by {@link runStack}, by their inputs: a stack
 * configuration runs under the mock engine once per test process and every test asking for
 * it shares the result (most files ask for the committed primary or dr stack, several
 * times). Runs from a project copy (`root`) are not shared: the copy's files may change.
 */
const sharedRuns = new Map<string, Promise<OfflineRun>>();

/**
 * The shared mock recorder for tests: runs the real program for `stack` under the offline
 * engine, with the stack's committed config plus `overrides` (a key set to `undefined` is
 * removed), and returns every recorded resource. `stackOutputs` answers StackReferences;
 * `secretKeys` marks overridden keys as Pulumi secrets; `root` reads the stack files from a
 * project copy (objectives must agree between primary and dr, so a test that changes them
 * changes both stacks' files there: see {@link bothStacksWith}). The same inputs give the
 * same run, made once: it is deeply frozen, so a test that tried to change it would throw
 * rather than change what the next test reads; a refused run is shared as its rejection.
 */
export function runStack(
    stack: string,
    overrides: Record<string, string | undefined> = {},
    stackOutputs: Record<string, Record<string, unknown>> = {},
    secretKeys: string[] = [],
    root?: string,
): Promise<OfflineRun> {
    if (root !== undefined) {
        return recordStack(stack, overrides, stackOutputs, secretKeys, root);
    }
    const key = JSON.stringify([stack, overrides, stackOutputs, secretKeys]);
    let run = sharedRuns.get(key);
    if (!run) {
        run = recordStack(stack, overrides, stackOutputs, secretKeys).then(deepFreeze);
        sharedRuns.set(key, run);
    }
    return run;
}

/** Runs the program for `stack` under the offline engine (what {@link runStack} shares). */
async function recordStack(
    stack: string,
    overrides: Record<string, string | undefined>,
    stackOutputs: Record<string, Record<string, unknown>>,
    secretKeys: string[],
    root?: string,
): Promise<OfflineRun> {
    const files = readStackConfig(stack, root);
    const config = { ...files.config };
    for (const [key, value] of Object.entries(overrides)) {
        if (value === undefined) {
            delete config[key];
        } else {
            config[key] = value;
        }
    }
    return runOffline({
        ...files,
        config,
        secretKeys: [...files.secretKeys, ...secretKeys],
        stackOutputs,
        program: () => defineProgram({ root, asRunner: true }),
    });
}

/** `value` with every object and array reachable from it frozen. */

/**
 * A project copy whose primary and dr stack files both set `values`: the way to change an
 * objective in a test, since the two stacks must resolve the same objectives.
 */
export function bothStacksWith(values: Readonly<Record<string, unknown>>): string {
    return projectCopy({ "Pulumi.primary.yaml": withConfig(values), "Pulumi.dr.yaml": withConfig(values) });
}

/** Every recorded resource of `type`. */
export function ofType(run: OfflineRun, type: string): RecordedResource[] {
    return run.resources.filter((r) => r.type === type);
}

/** The one recorded resource of `type` whose name is `name`; fails the test if there is not exactly one. */
export function named(run: OfflineRun, type: string, name: string): RecordedResource {
    const matches = run.resources.filter((r) => r.type === type && r.name === name);
    if (matches.length !== 1) {
        const names = ofType(run, type).map((r) => r.name);
        throw new Error(
            `expected one ${type} named ${name}; found ${matches.length} (names of that type: ${names.join(", ") || "none"})`,
        );
    }
    return matches[0];
}

/** Inputs of a recorded resource, typed loosely for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function inputsOf(resource: RecordedResource): any {
    return resource.inputs;
}

/** Policies are JSON strings in inputs; parse one for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function policyOf(resource: RecordedResource, field = "policy"): any {
    return JSON.parse(String(resource.inputs[field]));
}

/** Every resource below `ancestor` in the parent tree (children, their children, ...). */
export function descendantsOf(run: OfflineRun, ancestor: RecordedResource): RecordedResource[] {
    const below = new Set<string>([ancestor.urn]);
    const found: RecordedResource[] = [];
    // Registration order puts parents before children, so one pass suffices.
    for (const resource of run.resources) {
        if (resource.parent && below.has(resource.parent)) {
            below.add(resource.urn);
            found.push(resource);
        }
    }
    return found;
}
