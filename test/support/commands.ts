import * as fs from "fs";
import * as path from "path";
import type { StackConfig } from "../../config/stack-config";
import type { CommandDefinition, InterruptSource, OptionValues } from "../../automation/commands/definition";
import type { RecoveryPorts } from "../../automation/ports";
import { UsageError } from "../../automation/run/refusal";
import type { SimulatedWorld } from "../../automation/simulation/world";

/** No signals: what a test passes when it does not interrupt. */
export const NO_INTERRUPTS: InterruptSource = { onInterrupt: () => () => undefined };

/** Every file under `dir`, relative, sorted: what a run wrote. */
export function filesUnder(dir: string): string[] {
    if (!fs.existsSync(dir)) {
        return [];
    }
    return (fs.readdirSync(dir, { recursive: true }) as string[])
        .filter((name) => fs.statSync(path.join(dir, name)).isFile())
        .sort();
}

/** How {@link runDefinition} runs a command. */
export interface RunOptions {
    /** The simulated account; its `lines` collect the output. */
    readonly world: SimulatedWorld;
    /** The config the command parses and runs with. */
    readonly config: StackConfig;
    /** Where journals and reports go. */
    readonly workDir: string;
    /** The operator's answer; undefined: no terminal. */
    readonly confirm?: (question: string) => Promise<boolean>;
    /** Signals. @default none */
    readonly interrupts?: InterruptSource;
    /** Now for the parser. @default the world's clock */
    readonly now?: Date;
    /** Ports to use instead of the world's own (a test that wraps one). @default `world.ports()` */
    readonly ports?: RecoveryPorts;
}

/**
 * Runs a command as the CLI does after its own checks: the definition's parser (a usage
 * error prints each problem and returns 2), then its run against the simulated account, as
 * a rehearsal (journals under `.journal/simulated/`).
 */
export async function runDefinition<Request>(
    definition: CommandDefinition<Request>,
    values: OptionValues,
    options: RunOptions,
): Promise<number> {
    const ports = options.ports ?? options.world.ports();
    let request: Request;
    try {
        request = definition.parse(values, {
            config: options.config,
            now: options.now ?? ports.now(),
            simulated: true,
        });
    } catch (error) {
        if (error instanceof UsageError) {
            error.problems.forEach((line) => ports.output(`error: ${line}`));
            return 2;
        }
        throw error;
    }
    return definition.run(request, {
        config: options.config,
        ports,
        simulated: true,
        workDir: options.workDir,
        confirm: options.confirm,
        interrupts: options.interrupts ?? NO_INTERRUPTS,
    });
}
