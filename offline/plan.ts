import { parseArgs } from "util";
import { runAsMain } from "../lib/run-as-main";
import { CliIo } from "./cli";
import { OFFLINE_NOTE, planDocument, renderStack } from "./render";
import { resolveConfigurations, runStacksOffline } from "./stack-runs";
import { STACK_VARIANTS, StackConfiguration } from "./stack-variants";

const USAGE = `Usage: npm run plan -- [--stack <name>]... [--json]

Runs the real Pulumi program for each stack under the Pulumi mock engine (no cloud, no
Pulumi CLI) and prints every resource it would declare, with the settings that matter for
recovery, then a summary.

Options:
  --stack <name>  Plan only this stack or named configuration (repeatable).
                  Default: every Pulumi.<stack>.yaml as committed.
  --json          Print one JSON document {"stacks": {"<name>": {"stack", "overrides", "resources": [...]}}}.
  --help          Show this help.

Named configurations (the stack file with config overrides, applied in memory):
${STACK_VARIANTS.map((v) => `  ${v.name.padEnd(18)}${v.description}`).join("\n")}

Exit status: 0 planned, 1 invalid config or a failed run, 2 bad usage.`;

/** Where {@link main} reads the project and writes its output; tests pass their own. */
export interface PlanIo extends CliIo {
    /** Directory holding Pulumi.yaml and the stack files. Default: the repository root. */
    readonly root?: string;
}

/** Entry point of `npm run plan`. Returns the process exit code. */
export async function main(argv: readonly string[], io: PlanIo = {}): Promise<number> {
    const stdout = io.stdout ?? process.stdout;
    const stderr = io.stderr ?? process.stderr;
    let values: { stack?: string[]; json?: boolean; help?: boolean };
    try {
        ({ values } = parseArgs({
            args: [...argv],
            options: {
                stack: { type: "string", multiple: true },
                json: { type: "boolean" },
                help: { type: "boolean", short: "h" },
            },
            allowPositionals: false,
        }));
    } catch (error) {
        stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
        return 2;
    }
    if (values.help) {
        stdout.write(`${USAGE}\n`);
        return 0;
    }

    let configurations: StackConfiguration[];
    try {
        configurations = resolveConfigurations(values.stack, { root: io.root });
    } catch (error) {
        stderr.write(`${(error as Error).message}\n`);
        return 2;
    }
    const { runs, failures } = await runStacksOffline(configurations, {
        root: io.root,
        progress: values.json ? undefined : (line) => stderr.write(`${line}\n`),
    });
    if (failures.length > 0) {
        failures.forEach((message) => stderr.write(`error: ${message}\n`));
        return 1;
    }

    if (values.json) {
        stdout.write(`${JSON.stringify(planDocument(runs), null, 2)}\n`);
    } else {
        stdout.write(`${OFFLINE_NOTE}\n\n${runs.map(renderStack).join("\n\n")}\n`);
    }
    return 0;
}

if (require.main === module) {
    runAsMain((argv) => main(argv));
}
