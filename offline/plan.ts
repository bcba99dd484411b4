import { parseArgs } from "util";
import { defineProgram } from "../program";
import { CliIo, runAsMain } from "./cli";
import { OfflineRun, runOffline } from "./engine";
import { listStacks, readStackConfig } from "./project-files";
import { OFFLINE_NOTE, planDocument, renderStack } from "./render";

const USAGE = `Usage: npm run plan -- [--stack <name>]... [--json]

Runs the real Pulumi program for each stack under the Pulumi mock engine (no cloud, no
Pulumi CLI) and prints every resource it would declare, with the settings that matter for
recovery, then a summary.

Options:
  --stack <name>  Plan only this stack (repeatable). Default: every Pulumi.<stack>.yaml.
  --json          Print one JSON document {"stacks": {"<stack>": {"resources": [...]}}}.
  --help          Show this help.

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

    const available = listStacks(io.root);
    const stacks = values.stack ?? available;
    const unknown = stacks.filter((stack) => !available.includes(stack));
    if (unknown.length > 0) {
        stderr.write(
            `--stack must name a stack with a Pulumi.<stack>.yaml file (${available.join(", ")}); got ${unknown.map((s) => JSON.stringify(s)).join(", ")}\n`,
        );
        return 2;
    }

    const runs: OfflineRun[] = [];
    // The dr stack reads the primary's outputs through a StackReference: plan primary first
    // (silently, when it was not asked for) so the reference has something to read.
    const order =
        available.includes("primary") && !stacks.includes("primary") ? ["primary", ...stacks] : stacks;
    const stackOutputs: Record<string, Record<string, unknown>> = {};
    let failed = false;
    for (const stack of order) {
        const requested = stacks.includes(stack);
        if (!values.json) {
            stderr.write(`planning stack ${stack} offline${requested ? "" : " (for its outputs)"}...\n`);
        }
        try {
            const run = await runOffline({
                ...readStackConfig(stack, io.root),
                stackOutputs,
                program: defineProgram,
            });
            stackOutputs[stack] = run.outputs;
            if (requested) {
                runs.push(run);
            }
        } catch (error) {
            failed = true;
            // OfflineRunError messages already name the stack.
            stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
        }
    }
    if (failed) {
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
