import {
    ConcurrentUpdateError,
    Deployment,
    LocalWorkspace,
    OutputMap,
    Stack,
    StackAlreadyExistsError,
    StackNotFoundError,
} from "@pulumi/pulumi/automation";
import { commandRunner, tail } from "./command-runner";
import { CommandPort, StackPort, WorkspacePort } from "../ports";
import { gitDeploySource } from "./deploy-source";

/** What a masked secret output reads as: the value never reaches the operator's screen or a journal. */
export const SECRET_PLACEHOLDER = "[secret]";

/** Pulumi stack names: `name`, `project/name` or `org/project/name`. */
const STACK_NAME_PATTERN = /^[\w.-]+(\/[\w.-]+){0,2}$/;

/** The part of an Automation API {@link Stack} the port uses; tests pass a fake of it. */
export type AutomationStack = Pick<
    Stack,
    | "name"
    | "getAllConfig"
    | "setAllConfig"
    | "removeAllConfig"
    | "refresh"
    | "up"
    | "outputs"
    | "importStack"
    | "destroy"
>;

/** Stack outputs with every secret one replaced by {@link SECRET_PLACEHOLDER}. */
export function maskSecretOutputs(outputs: OutputMap): Record<string, unknown> {
    return Object.fromEntries(
        Object.entries(outputs).map(([key, output]) => [
            key,
            output.secret ? SECRET_PLACEHOLDER : output.value,
        ]),
    );
}

/**
 * Turns the engine's output chunks (which split and join lines arbitrarily) into whole
 * lines for `onLine`; `flush` emits a last line that had no newline.
 */
export function lineSplitter(onLine: (line: string) => void): {
    write: (chunk: string) => void;
    flush: () => void;
} {
    let pending = "";
    return {
        write: (chunk) => {
            const lines = (pending + chunk).split(/\r?\n/);
            pending = lines.pop() ?? "";
            lines.forEach((line) => onLine(line));
        },
        flush: () => {
            if (pending !== "") {
                onLine(pending);
                pending = "";
            }
        },
    };
}

/** True when `error` says another update holds the stack's lock (Pulumi Cloud's 409, or a DIY backend's lock file). */
export function isStackLockedError(error: unknown): boolean {
    if (error instanceof ConcurrentUpdateError) {
        return true;
    }
    const message = error instanceof Error ? error.message : String(error);
    return /the stack is currently locked|another update is currently in progress|\[409\] Conflict/i.test(
        message,
    );
}

/**
 * The error an operator sees when a stack operation fails. A lock held by another update
 * becomes what happened (this operation did not start), who holds the lock when Pulumi
 * says, how to check, how to release a stale lock, and to run again; anything else keeps
 * the end of Pulumi's own message (where the reason is).
 */
export function stackError(stackName: string, operation: string, workDir: string, error: unknown): Error {
    const message = error instanceof Error ? error.message : String(error);
    if (isStackLockedError(error)) {
        const holders = message
            .split("\n")
            .map((line) => /created by (.+)$/.exec(line.trim())?.[1])
            .filter((holder): holder is string => holder !== undefined);
        const heldBy = holders.length > 0 ? ` (held by ${holders.join("; ")})` : "";
        return new Error(
            `pulumi ${operation} of stack ${stackName} did not start: another update is running on the stack${heldBy}. ` +
                `Check it with: pulumi stack --stack ${stackName} --show-urns (in ${workDir}); when it has finished, ` +
                `or if none is really running (a crashed run left its lock), release the lock with: ` +
                `pulumi cancel --stack ${stackName} --yes; then run the same command again to resume`,
            { cause: error },
        );
    }
    return new Error(`pulumi ${operation} of stack ${stackName} failed: ${tail(message)}`, { cause: error });
}

/** Parses the text of `pulumi stack export`; refuses anything else before the stack is touched. */
export function parseDeployment(text: string): Deployment {
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (error) {
        throw new Error(
            `deployment must be the JSON text of pulumi stack export; got text that is not JSON (${(error as Error).message})`,
        );
    }
    const candidate = parsed as Partial<Deployment> | null;
    if (
        typeof candidate !== "object" ||
        candidate === null ||
        typeof candidate.version !== "number" ||
        typeof candidate.deployment !== "object" ||
        candidate.deployment === null
    ) {
        const keys =
            typeof parsed === "object" && parsed !== null ? Object.keys(parsed).join(", ") : typeof parsed;
        throw new Error(
            `deployment must be the JSON text of pulumi stack export (an object with a numeric "version" and a "deployment" object); got JSON with: ${keys || "nothing"}`,
        );
    }
    return { version: candidate.version, deployment: candidate.deployment as unknown };
}

/** {@link StackPort} over an Automation API stack. */
export function stackPort(
    stack: AutomationStack,
    workDir: string,
    commands: CommandPort = commandRunner(),
): StackPort {
    const guard = async <T>(operation: string, run: () => Promise<T>): Promise<T> => {
        try {
            return await run();
        } catch (error) {
            throw stackError(stack.name, operation, workDir, error);
        }
    };
    const streamed = async <T>(
        operation: string,
        onOutput: (line: string) => void,
        run: (onChunk: (chunk: string) => void) => Promise<T>,
    ): Promise<T> => {
        const lines = lineSplitter(onOutput);
        try {
            return await guard(operation, () => run(lines.write));
        } finally {
            lines.flush();
        }
    };
    return {
        name: stack.name,
        getConfig: (key) => guard("config", async () => (await stack.getAllConfig())[key]?.value),
        setConfig: (values) =>
            guard("config set", () =>
                stack.setAllConfig(
                    Object.fromEntries(
                        Object.entries(values).map(([key, value]) => [key, { value, secret: false }]),
                    ),
                ),
            ),
        // Automation API Stack.removeAllConfig: `pulumi config rm-all` of the keys.
        removeConfig: (keys) => guard("config rm", () => stack.removeAllConfig([...keys])),
        refresh: (onOutput, options = {}) =>
            streamed("refresh", onOutput, async (onChunk) => {
                await stack.refresh({
                    onOutput: onChunk,
                    color: "never",
                    ...(options.targets ? { target: [...options.targets] } : {}),
                });
            }),
        up: (options) =>
            streamed("up", options.onOutput, async (onChunk) => {
                const result = await stack.up({
                    onOutput: onChunk,
                    color: "never",
                    ...(options.parallel !== undefined ? { parallel: options.parallel } : {}),
                });
                return maskSecretOutputs(result.outputs);
            }),
        outputs: () => guard("stack output", async () => maskSecretOutputs(await stack.outputs())),
        // The Automation API's exportStack always passes --show-secrets; an export must keep
        // its secrets encrypted (it is stored in S3 and kept as a backup), so call the CLI.
        exportState: () =>
            guard("stack export", async () => {
                const { stdout } = await commands.run("pulumi", [
                    "stack",
                    "export",
                    "--stack",
                    stack.name,
                    "--cwd",
                    workDir,
                ]);
                return JSON.stringify(JSON.parse(stdout), null, 4);
            }),
        importState: async (deployment) => {
            const parsed = parseDeployment(deployment);
            await guard("stack import", () => stack.importStack(parsed));
        },
        destroy: (onOutput) =>
            streamed("destroy", onOutput, async (onChunk) => {
                await stack.destroy({ onOutput: onChunk, color: "never" });
            }),
    };
}

/**
 * {@link WorkspacePort} over the Pulumi CLI through `LocalWorkspace`, in `workDir` (the
 * project root, where Pulumi.yaml is). Needs the Pulumi CLI on PATH and a login to the
 * state backend; nothing runs until a stack is selected or created.
 */
export function pulumiWorkspace(
    workDir: string,
    options: {
        /** Secrets provider of stacks this port creates (drill stacks), e.g. `awskms://alias/webank-bootstrap?region=us-west-2`. Default Pulumi's. */
        secretsProvider?: string;
    } = {},
): WorkspacePort {
    const requireName = (name: string) => {
        if (typeof name !== "string" || !STACK_NAME_PATTERN.test(name)) {
            throw new Error(
                `stack must be a Pulumi stack name ([org/][project/]name); got ${JSON.stringify(name)}`,
            );
        }
    };
    const reach = (name: string, error: unknown): Error => {
        if (error instanceof StackNotFoundError) {
            return new Error(
                `stack ${name} does not exist in the Pulumi backend of ${workDir}; list the stacks with: pulumi stack ls (in ${workDir})`,
                { cause: error },
            );
        }
        if (error instanceof StackAlreadyExistsError) {
            return new Error(`stack ${name} already exists; nothing was changed. Choose another name`, {
                cause: error,
            });
        }
        const message = error instanceof Error ? error.message : String(error);
        return new Error(
            `stack ${name} cannot be reached from ${workDir}: ${tail(message)}; check that the Pulumi CLI is installed ` +
                "and logged in to the state backend (pulumi whoami -v), then run the same command again",
            { cause: error },
        );
    };
    return {
        selectStack: async (name) => {
            requireName(name);
            const stack = await LocalWorkspace.selectStack({ stackName: name, workDir }).catch(
                (error: unknown) => {
                    throw reach(name, error);
                },
            );
            return stackPort(stack, workDir);
        },
        createStack: async (name) => {
            requireName(name);
            const stack = await LocalWorkspace.createStack(
                { stackName: name, workDir },
                options.secretsProvider ? { secretsProvider: options.secretsProvider } : {},
            ).catch((error: unknown) => {
                throw reach(name, error);
            });
            return stackPort(stack, workDir);
        },
        removeStack: async (name) => {
            requireName(name);
            // Without `force`, Pulumi refuses to remove a stack that still has resources.
            const workspace = await LocalWorkspace.create({ workDir }).catch((error: unknown) => {
                throw reach(name, error);
            });
            await workspace.removeStack(name).catch((error: unknown) => {
                throw stackError(name, "stack rm", workDir, error);
            });
        },
        deploySource: (name) => {
            requireName(name);
            return gitDeploySource(commandRunner(), workDir, name);
        },
    };
}
