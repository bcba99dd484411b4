import type { RunnerBuild } from "../../lib/kubernetes-access";
import { StackPort, WorkspacePort } from "../ports";
import { simulatedDeploySource } from "./deploy-runner";
import type { SimulatedWorld } from "./world";

/** Where a program runs: the operator's machine (no build), or a deploy runner's CodeBuild build. */
export interface ProgramRun {
    /** The stack's name (WEBANK_STACK in a runner). */
    readonly stackName: string;
    /** The build it runs in, as the program reads it from CODEBUILD_BUILD_ARN; undefined outside CodeBuild. */
    readonly build?: RunnerBuild;
}

/**
 * What a simulated stack's `pulumi up` and `pulumi destroy` do to the world: the simulated
 * counterpart of its Pulumi program. Programs are code, registered by name in
 * {@link SimulatedWorld.programs}; a stack names its program, so a stack loaded from
 * `world.json` runs the same program.
 */
export interface StackProgram {
    /** Changes the world as the program's `up` would, run where `run` says, and returns the stack's new outputs. */
    readonly up: (stack: SimulatedStack, world: SimulatedWorld, run: ProgramRun) => Record<string, unknown>;
    /** Removes from the world what the program's `up` created. */
    readonly destroy?: (stack: SimulatedStack, world: SimulatedWorld) => void;
}

/** A simulated stack: config, outputs, and its exported deployment. */
export interface SimulatedStack {
    /** Config values by full key (`webank:activated`). */
    config: Record<string, string>;
    /** Outputs after the last up. */
    outputs: Record<string, unknown>;
    /** The deployment `pulumi stack export` returns. */
    deployment: string;
    /** The name of its program in {@link SimulatedWorld.programs}; without one (and without `onUp`), `up` keeps the outputs. */
    program?: string;
    /** Computes the outputs an `up` produces; wins over `program` (a test's own stack). */
    onUp?: (stack: SimulatedStack, world: SimulatedWorld, run: ProgramRun) => Record<string, unknown>;
    /** Removes from the world what the stack's `up` created (a destroy); wins over `program`. */
    onDestroy?: (stack: SimulatedStack, world: SimulatedWorld) => void;
}

/**
 * The Pulumi workspace: stacks by name. Messages follow the Automation API's: selecting a
 * missing stack fails with `no stack named '<name>' found` (the Pulumi CLI's message, which
 * `LocalWorkspace.selectStack` passes on), creating an existing one with `stack '<name>' already exists`.
 */
export function workspacePort(world: SimulatedWorld): WorkspacePort {
    const stackOf = (name: string) => {
        const found = world.stacks.get(name);
        if (!found) {
            throw new Error(`no stack named '${name}' found`);
        }
        return found;
    };
    const portOf = (name: string): StackPort => {
        const op = (operation: string) => `stack.${name}.${operation}`;
        return {
            name,
            getConfig: async (key) => {
                await world.enter(op("getConfig"));
                return world.transact(() => stackOf(name).config[key]);
            },
            setConfig: async (values) => {
                await world.enter(op("setConfig"));
                world.transact(() => {
                    Object.assign(stackOf(name).config, values);
                    world.record(`stack ${name} config ${JSON.stringify(values)}`);
                });
            },
            refresh: async (onOutput) => {
                await world.enter(op("refresh"), {
                    config: world.transact(() => ({ ...stackOf(name).config })),
                });
                world.transact(() => {
                    stackOf(name);
                    world.record(`stack ${name} refresh`);
                });
                onOutput(`refresh of ${name}: no changes`);
            },
            up: async (options) => {
                const config = world.transact(() => ({ ...stackOf(name).config }));
                await world.enter(op("up"), { config, parallel: options.parallel });
                const outputs = world.transact(() => {
                    const current = stackOf(name);
                    const run =
                        current.onUp ??
                        (current.program ? world.programs.get(current.program)?.up : undefined);
                    // The operator's machine: never inside a CodeBuild build.
                    current.outputs = run ? run(current, world, { stackName: name }) : current.outputs;
                    world.record(`stack ${name} up`);
                    return { ...current.outputs };
                });
                options.onOutput(`update of ${name}: done`);
                return outputs;
            },
            outputs: async () => {
                await world.enter(op("outputs"));
                return world.transact(() => ({ ...stackOf(name).outputs }));
            },
            exportState: async () => {
                await world.enter(op("exportState"));
                return world.transact(() => stackOf(name).deployment);
            },
            importState: async (deployment) => {
                await world.enter(op("importState"));
                world.transact(() => {
                    stackOf(name).deployment = deployment;
                    world.record(`stack ${name} import`);
                });
            },
            destroy: async (onOutput) => {
                await world.enter(op("destroy"));
                world.transact(() => {
                    const current = stackOf(name);
                    const run =
                        current.onDestroy ??
                        (current.program ? world.programs.get(current.program)?.destroy : undefined);
                    run?.(current, world);
                    current.outputs = {};
                    world.record(`stack ${name} destroy`);
                });
                onOutput(`destroy of ${name}: done`);
            },
        };
    };
    return {
        selectStack: async (name) => {
            await world.enter("workspace.selectStack", { name });
            world.transact(() => stackOf(name));
            return portOf(name);
        },
        createStack: async (name) => {
            await world.enter("workspace.createStack", { name });
            world.transact(() => {
                if (world.stacks.has(name)) {
                    throw new Error(`stack '${name}' already exists`);
                }
                world.stacks.set(name, world.newStack(name));
                world.record(`workspace create ${name}`);
            });
            return portOf(name);
        },
        deploySource: async (name) => {
            await world.enter("workspace.deploySource", { name });
            return world.transact(() => simulatedDeploySource(name, stackOf(name)));
        },
        removeStack: async (name) => {
            await world.enter("workspace.removeStack", { name });
            world.transact(() => {
                const stack = stackOf(name);
                if (Object.keys(stack.outputs).length > 0) {
                    // `pulumi stack rm` refuses a stack that still has resources.
                    throw new Error(
                        `'${name}' still has resources; removal rejected. Possible actions:\n` +
                            `- Make sure that '${name}' is the stack that you want to destroy\n` +
                            `- Run \`pulumi destroy\` to delete the resources, then run \`pulumi stack rm\``,
                    );
                }
                world.stacks.delete(name);
                world.record(`workspace remove ${name}`);
            });
        },
    };
}
