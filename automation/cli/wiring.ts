import * as path from "path";
import { Argv } from "yargs";
import { StackConfig } from "../../config";
import { PROJECT_ROOT } from "../../config/stack-files";
import { realPorts } from "../adapters/environment";
import { drStackConfig, terminalConfirm } from "../commands/failover/command";
import { RecoveryPorts } from "../ports";
import { standardWorld } from "../simulation/standard-world";

/* What every command of npm run dr shares: wiring the ports, and the options of changing commands. */

/** Where the commands' ports come from: AWS and Pulumi, or the simulated account. */
export interface Wiring {
    /** The dr stack's validated config. */
    readonly config: StackConfig;
    /** The ports; with `--simulate`, a simulated account seeded as on a normal day. */
    readonly ports: RecoveryPorts;
}

/** Builds the ports only when a command runs, so `--help` needs no credentials. */
export function wire(simulate: boolean, output: (line: string) => void, simulatedNow: Date): Wiring {
    const config = drStackConfig();
    if (simulate) {
        const world = standardWorld(config, { now: simulatedNow });
        const ports = world.ports();
        output(
            "SIMULATION: against an in-memory AWS account seeded as on a normal day; nothing real is touched.",
        );
        return { config, ports: { ...ports, output } };
    }
    return { config, ports: realPorts(config, { output }) };
}

/** Options every changing command shares. */
export function changeOptions<T>(y: Argv<T>) {
    return y
        .option("dry-run", {
            type: "boolean",
            default: false,
            describe: "print the plan and what the read-only checks find; change nothing",
        })
        .option("yes", { type: "boolean", default: false, describe: "do not ask before the first change" })
        .option("journal", { type: "string", describe: "journal file (default .journal/<command>.json)" });
}

/**
 * The journal of a command: `--journal`, or with `--simulate` one under `.journal/simulated/`.
 * A rehearsal must never leave a journal that a real run would resume (and skip steps by).
 */
export function journalOf(
    args: { journal?: string; simulate?: boolean },
    operation: string,
): string | undefined {
    if (args.journal !== undefined || !args.simulate) {
        return args.journal;
    }
    return path.join(PROJECT_ROOT, ".journal", "simulated", `${operation}.json`);
}

/** Where a simulated run's reports go, apart from real ones; undefined: the command's default. */
export function reportDirOf(args: { "report-dir"?: string; simulate?: boolean }): string | undefined {
    return (
        args["report-dir"] ?? (args.simulate ? path.join(PROJECT_ROOT, "reports", "simulated") : undefined)
    );
}

/** The options of {@link changeOptions} as the restore commands take them. */
export function changeArgs(
    args: { yes: boolean; "dry-run": boolean; journal?: string; simulate?: boolean },
    operation: string,
) {
    return {
        yes: args.yes,
        dryRun: args["dry-run"],
        journalFile: journalOf(args, operation),
        confirm: terminalConfirm(),
    };
}
