import * as path from "path";
import type { StackConfig } from "../../config/stack-config";
import type { RecoveryPorts } from "../ports";
import { problem, UsageError } from "../run/refusal";

/*
 * Where a parsed command's world comes from: the dr stack's config, the clock, and the ports
 * (AWS and Pulumi, or the persistent simulated account under --simulate). Everything behind
 * these functions is imported lazily, so that `--help` and a refused command line load
 * neither an SDK nor the simulation.
 */

/** The environment variable that moves `.journal/` and `reports/` away from the repository. */
export const WORK_DIR_VARIABLE = "WEBANK_DR_WORK_DIR";

/**
 * Where `.journal/` and `reports/` (and the simulated account) live: `explicit` (tests),
 * else `$WEBANK_DR_WORK_DIR`, else the repository root. An empty variable is refused rather
 * than read as the current directory.
 * @default PROJECT_ROOT of config/stack-files.ts
 */
export async function workDirOf(
    explicit: string | undefined,
    env: Readonly<Record<string, string | undefined>>,
): Promise<string> {
    if (explicit !== undefined) {
        return path.resolve(explicit);
    }
    const fromEnv = env[WORK_DIR_VARIABLE];
    if (fromEnv === undefined) {
        // Imported here: config/ loads @pulumi/pulumi, which --help has no use for.
        return (await import("../../config/stack-files")).PROJECT_ROOT;
    }
    if (fromEnv.trim() === "") {
        throw new UsageError(problem(WORK_DIR_VARIABLE, "be a directory when it is set", fromEnv));
    }
    return path.resolve(fromEnv);
}

/**
 * The dr stack's validated config, from the Pulumi.yaml and Pulumi.dr.yaml in `root` (and
 * the objectives of its counterpart, which the dr stack's must equal), checked at `now` (the
 * simulated clock under --simulate). The one place the CLI loads config: to change the
 * loader, change this function.
 * @default root: PROJECT_ROOT of config/stack-files.ts
 */
export async function loadDrConfig(root: string | undefined, now: Date): Promise<StackConfig> {
    const { stackConfigFromFiles } = await import("../../config/stack-files");
    return stackConfigFromFiles("dr", { ...(root === undefined ? {} : { root }), now });
}

/** A command's ports, and how its run is driven (the simulation advances its clock). */
export interface CommandPorts {
    /** The ports the command reaches the world through. */
    readonly ports: RecoveryPorts;
    /** Runs the command's promise to its end: as is, or driven by the simulated clock. */
    drive<T>(run: Promise<T>): Promise<T>;
}

/** Now, for the command's parser: the wall clock, or the simulated account's clock. */
export async function clockOf(simulate: boolean, workDir: string): Promise<Date> {
    return simulate ? (await import("../simulation/persistent")).simulatedNow(workDir) : new Date();
}

/** The ports of a run: the real adapters, or the simulated account kept in `workDir`. */
export async function portsOf(
    simulate: boolean,
    workDir: string,
    config: StackConfig,
    output: (line: string) => void,
): Promise<CommandPorts> {
    if (simulate) {
        return (await import("../simulation/persistent")).openSimulation(workDir, config, { output });
    }
    const { realPorts } = await import("../adapters/environment");
    return { ports: realPorts(config, { output }), drive: (run) => run };
}
