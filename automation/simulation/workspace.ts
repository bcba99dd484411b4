import { StackPort, WorkspacePort } from "../ports";
import { simulatedDeploySource } from "./deploy-runner";
import type { WorldCore } from "./world-core";

/**
 * The Pulumi workspace: stacks by name. Messages follow the Automation API's: selecting a
 * missing stack fails with `no stack named '<name>' found` (the Pulumi CLI's message, which
 * `LocalWorkspace.selectStack` passes on), creating an existing one with `stack '<name>' already exists`.
 */
export function workspacePort(world: WorldCore): WorkspacePort {
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
            removeConfig: async (keys) => {
                await world.enter(op("removeConfig"));
                world.transact(() => {
                    const config = stackOf(name).config;
                    const present = keys.filter((key) => key in config);
                    present.forEach((key) => delete config[key]);
                    if (present.length > 0) {
                        world.record(`stack ${name} config rm ${present.join(" ")}`);
                    }
                });
            },
            refresh: async (onOutput, options = {}) => {
                await world.enter(op("refresh"), {
                    config: world.transact(() => ({ ...stackOf(name).config })),
                    ...(options.targets ? { targets: [...options.targets] } : {}),
                });
                const targets = options.targets ? ` --target ${options.targets.join(" --target ")}` : "";
                world.transact(() => {
                    stackOf(name);
                    world.record(`stack ${name} refresh${targets}`);
                });
                onOutput(`refresh of ${name}${targets}: no changes`);
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
