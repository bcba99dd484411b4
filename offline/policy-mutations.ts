import * as path from "path";
import { parseArgs } from "util";
import { PROJECT_ROOT } from "../config/stack-files";
import { runAsMain } from "../lib/run-as-main";
import { CliIo } from "./cli";
import { ServedPolicyPack } from "./policy-pack-client";
import { MUTATION_ROWS } from "./policy-mutations/rows";
import { configurationOf, renderOutcomes, runMutationRows } from "./policy-mutations/suite";
import { resolveConfigurations, runStacksOffline, UsageError } from "./stack-runs";

const USAGE = `Usage: npm run policy:mutations -- [--service <name>]...

Removes each protection the README claims, one row at a time (offline/policy-mutations/rows/),
by changing the recorded inputs of a stack configuration as if the program said otherwise, and
checks that the row's policy reports a mandatory violation the unmutated stack does not have.
The pack is served and configured exactly as npm run policy:check serves it.

Options:
  --service <name>   Only the rows of this service (repeatable): ${[...new Set(MUTATION_ROWS.map((r) => r.service))].join(", ")}.
  --help             Show this help.

Exit status: 0 every row caught, 1 a row missed or a failed run, 2 bad usage.`;

/** Entry point of \`npm run policy:mutations\`. Returns the process exit code. */
export async function main(argv: readonly string[], io: CliIo = {}): Promise<number> {
    const stdout = io.stdout ?? process.stdout;
    const stderr = io.stderr ?? process.stderr;
    let values: { service?: string[]; help?: boolean };
    try {
        ({ values } = parseArgs({
            args: [...argv],
            options: { service: { type: "string", multiple: true }, help: { type: "boolean", short: "h" } },
        }));
        const services = new Set(MUTATION_ROWS.map((r) => r.service));
        const unknown = (values.service ?? []).filter((s) => !services.has(s));
        if (unknown.length > 0) {
            throw new UsageError(
                `--service must be one of ${[...services].join(", ")}; got ${unknown.map((s) => JSON.stringify(s)).join(", ")}`,
            );
        }
    } catch (error) {
        stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
        return 2;
    }
    if (values.help) {
        stdout.write(`${USAGE}\n`);
        return 0;
    }
    const rows = MUTATION_ROWS.filter((r) => !values.service || values.service.includes(r.service));
    const result = await runStacksOffline(
        resolveConfigurations([...new Set(rows.map(configurationOf))], { variants: true }),
        { progress: (line) => stderr.write(`${line}\n`) },
    );
    if (result.failures.length > 0) {
        stderr.write(`error: ${result.failures.join("\n")}\n`);
        return 1;
    }
    stderr.write("serving the policy pack (policies/) ...\n");
    const pack = await ServedPolicyPack.start(path.join(PROJECT_ROOT, "policies"));
    try {
        const started = Date.now();
        const outcomes = await runMutationRows(pack, result.runs, rows, (line) => stderr.write(`${line}\n`));
        stdout.write(`${renderOutcomes(outcomes)}\n`);
        stderr.write(`${outcomes.length} rows in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
        return outcomes.every((o) => o.caught) ? 0 : 1;
    } catch (error) {
        stderr.write(`error: ${(error as Error).message}\n`);
        return 1;
    } finally {
        pack.stop();
    }
}

if (require.main === module) {
    runAsMain((argv) => main(argv));
}
