import type { StackConfig } from "../../config/stack-config";
import { AnyCommandDefinition, OptionValues } from "../commands/definition";
import type { RecoveryPorts } from "../ports";
import { EXIT, Refusal, UsageError } from "../run/refusal";
import { signalInterrupts, SignalSource, terminalConfirm, TextSink } from "./terminal";
import { clockOf, loadDrConfig, portsOf, workDirOf } from "./wiring";

/*
 * A command line the parser accepted, carried to its end in the order that keeps a refused
 * command harmless: work directory, the dr stack's config, the clock, the command's own
 * parser, and only then the ports (the first thing that may touch anything) and the run.
 */

/** What a run needs from its surroundings; {@link main} fills it from its io options. */
export interface RunSettings {
    /** Results and progress. */
    readonly stdout: TextSink;
    /** Errors, warnings, the SIMULATION banner and the confirmation question. */
    readonly stderr: TextSink;
    /** The work directory given by the caller (tests); else the environment decides. */
    readonly workDir?: string;
    /** The process environment. */
    readonly env: Readonly<Record<string, string | undefined>>;
    /** Where `Pulumi.yaml` and `Pulumi.dr.yaml` are; undefined: the repository root. */
    readonly configRoot?: string;
    /** True when there is a terminal to ask on. */
    readonly isTTY: boolean;
    /** Where answers are read. */
    readonly stdin: NodeJS.ReadableStream;
    /** Where SIGINT and SIGTERM come from. */
    readonly signals: SignalSource;
    /** Ends the process at once (a second interrupt). */
    readonly exit: (code: number) => void;
}

/** The SIMULATION banner: on stderr, so that `status --format json` stays pure JSON on stdout. */
export function simulationBanner(workDir: string): string {
    return `SIMULATION: against the simulated AWS account kept in ${workDir}; nothing real is touched.`;
}

/** Prints a refusal (each problem of a usage error on its own line); returns its exit code. */
export function printRefusal(
    problems: readonly string[],
    stderr: TextSink,
    helpPointer?: string,
): typeof EXIT.refused {
    for (const line of problems) {
        stderr.write(`error: ${line}\n`);
    }
    if (helpPointer !== undefined) {
        stderr.write(`see: ${helpPointer}\n`);
    }
    stderr.write("nothing was changed\n");
    return EXIT.refused;
}

/**
 * Runs `definition` with the `values` the CLI checked. Resolves to the exit code; throws only
 * what nobody expected (main prints it, exit 1).
 */
export async function runCommand(
    definition: AnyCommandDefinition,
    values: OptionValues,
    simulated: boolean,
    settings: RunSettings,
    helpPointer: string,
): Promise<number> {
    const { stdout, stderr } = settings;
    let workDir: string;
    try {
        workDir = await workDirOf(settings.workDir, settings.env);
    } catch (error) {
        return refusalOf(error, stderr);
    }
    const needsPorts = definition.needsPorts !== false;
    const now = needsPorts ? await clockOf(simulated, workDir) : new Date();
    let config: StackConfig;
    try {
        config = await loadDrConfig(settings.configRoot, now);
    } catch (error) {
        // Bad config is the operator's to fix, like a bad flag: refused, no stack trace.
        stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
        stderr.write("nothing was changed\n");
        return EXIT.refused;
    }
    let request: unknown;
    try {
        request = definition.parse(values, { config, now, simulated });
    } catch (error) {
        return refusalOf(error, stderr, helpPointer);
    }

    if (simulated) {
        stderr.write(`${simulationBanner(workDir)}\n`);
    }
    const output = (line: string) => {
        stdout.write(`${line}\n`);
    };
    const wired = needsPorts
        ? await portsOf(simulated, workDir, config, output)
        : { ports: outputOnlyPorts(output), drive: <T>(work: Promise<T>) => work };
    const run = signalInterrupts(settings.signals, settings.exit, (line) => {
        stderr.write(`${line}\n`);
    });
    try {
        return await wired.drive(
            definition.run(request, {
                config,
                ports: wired.ports,
                simulated,
                workDir,
                interrupts: run.interrupts,
                ...(settings.isTTY ? { confirm: terminalConfirm(settings.stdin, stderr) } : {}),
            }),
        );
    } catch (error) {
        return refusalOf(error, stderr);
    } finally {
        run.dispose();
    }
}

/**
 * The ports of a command that reaches nothing (`needsPorts: false`): output and the wall
 * clock; any other port throws, naming it, so such a command can never reach AWS by mistake.
 */
function outputOnlyPorts(output: (line: string) => void): RecoveryPorts {
    const allowed: Partial<RecoveryPorts> = { output, now: () => new Date() };
    return new Proxy(allowed, {
        get: (target, name: string) => {
            if (name in target) {
                return target[name as keyof RecoveryPorts];
            }
            throw new Error(`this command reaches no port, yet asked for ports.${name}`);
        },
    }) as RecoveryPorts;
}

/** Prints a {@link Refusal} and returns its exit code; rethrows anything else. */
function refusalOf(error: unknown, stderr: TextSink, helpPointer?: string): number {
    if (!(error instanceof Refusal)) {
        throw error;
    }
    const problems = error instanceof UsageError ? error.problems : [error.message];
    printRefusal(problems, stderr, error.exitCode === EXIT.refused ? helpPointer : undefined);
    return error.exitCode;
}
