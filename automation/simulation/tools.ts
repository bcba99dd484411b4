import { formatCommandLine } from "../../lib/command-line";
import { tail } from "../adapters/command-runner";
import { CommandPort, CommandResult } from "../ports";
import { argocd } from "./argocd";
import { git } from "./git";
import { helm } from "./helm";
import { awsCli, kubectl } from "./kubectl";
import { Tool, ToolFailure } from "./tool";
import type { WorldCore } from "./world-core";

/** The simulated tools by command name, each answering from the world's data. */
export const TOOLS: Readonly<Record<string, Tool>> = { kubectl, helm, git, argocd, aws: awsCli };

/** A failed command as the real runner reports it (automation/adapters/command-runner.ts): the line, the exit, the end of stderr. */
function failure(command: string, args: readonly string[], exitCode: number, stderr: string): Error {
    const errorTail = tail(stderr);
    return new Error(
        `${formatCommandLine(command, args)} failed (exit code ${exitCode})${errorTail ? `:\n${errorTail}` : ""}`,
    );
}

/**
 * The external tools. A handler in {@link WorldCore.commandHandlers} whose prefix the
 * command line starts with (the longest wins) answers first: tests inject odd output that
 * way. Otherwise the data-driven tool answers, inside one transaction per look (a waiting
 * command looks again when what it waits for is due). Every line answered is recorded in
 * {@link WorldCore.commandsRun}.
 */
export function commandPort(world: WorldCore): CommandPort {
    return {
        run: async (command, args, options = {}): Promise<CommandResult> => {
            const line = [command, ...args].join(" ");
            await world.enter(`command.${command}`, { args });
            const handler = [...world.commandHandlers.entries()]
                .filter(([prefix]) => line === prefix || line.startsWith(`${prefix} `))
                .sort((a, b) => b[0].length - a[0].length)[0];
            const tool = TOOLS[command];
            if (!handler && !tool) {
                throw new Error(
                    `${formatCommandLine(command, args)}: ${command} is not a tool of the simulation (${Object.keys(TOOLS).join(", ")})`,
                );
            }
            world.commandsRun.push(line);
            if (handler) {
                return { stdout: world.transact(() => handler[1](args, options.stdin)) };
            }
            const startedAt = world.now();
            let result;
            try {
                result = await world.poll((now) => {
                    const outcome = tool({
                        world,
                        args,
                        stdin: options.stdin,
                        cwd: options.cwd,
                        env: options.env,
                        startedAt,
                        now,
                    });
                    return "until" in outcome
                        ? { done: false, until: outcome.until }
                        : { done: true, value: outcome };
                });
            } catch (error) {
                if (error instanceof ToolFailure) {
                    throw failure(command, args, error.exitCode, error.stderr);
                }
                throw error;
            }
            if (result.exitCode !== undefined && result.exitCode !== 0) {
                throw failure(command, args, result.exitCode, result.stderr ?? "");
            }
            return { stdout: result.stdout };
        },
    };
}
