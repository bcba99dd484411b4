import { parseArgs } from "util";
import { runAsMain } from "../lib/run-as-main";
import { CliIo } from "./cli";
import { policyObjectivesOf, policyPackConfigFor, stackConfigOf } from "./policy-config";
import { resolveConfigurations, UsageError } from "./stack-runs";

const USAGE = `Usage: npm run -s policy:config -- --stack <name>

Prints the policy pack's thresholds for a stack or named configuration, derived from its
config (objectives, retention, Vault Lock, role), as the JSON file
pulumi preview --policy-pack policies --policy-pack-config <file> takes.

Exit status: 0 printed, 1 the stack's config is invalid, 2 bad usage.`;

/** Entry point of \`npm run policy:config\`. Returns the process exit code. */
export function main(argv: readonly string[], io: CliIo = {}): Promise<number> {
    const stdout = io.stdout ?? process.stdout;
    const stderr = io.stderr ?? process.stderr;
    let configuration;
    try {
        const { values } = parseArgs({
            args: [...argv],
            options: { stack: { type: "string" }, help: { type: "boolean", short: "h" } },
        });
        if (values.help) {
            stdout.write(`${USAGE}\n`);
            return Promise.resolve(0);
        }
        if (!values.stack) {
            throw new UsageError("--stack is required: the stack whose thresholds to print");
        }
        [configuration] = resolveConfigurations([values.stack], { variants: true });
    } catch (error) {
        stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
        return Promise.resolve(2);
    }
    try {
        const config = policyPackConfigFor(policyObjectivesOf(stackConfigOf(configuration)));
        stdout.write(`${JSON.stringify(config, null, 2)}\n`);
        return Promise.resolve(0);
    } catch (error) {
        stderr.write(`error: ${(error as Error).message}\n`);
        return Promise.resolve(1);
    }
}

if (require.main === module) {
    runAsMain((argv) => main(argv));
}
