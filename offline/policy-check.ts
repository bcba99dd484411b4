import * as path from "path";
import { parseArgs } from "util";
import { runAsMain } from "../lib/run-as-main";
import { CliIo } from "./cli";
import { runOffline } from "./engine";
import { PolicyViolation, ServedPolicyPack } from "./policy-pack-client";
import { PROJECT_ROOT } from "../config/stack-files";
import { ConfigurationRun, resolveConfigurations, runStacksOffline, seconds, UsageError } from "./stack-runs";
import { describeOverrides, isVariant, STACK_VARIANTS, StackConfiguration } from "./stack-variants";

const USAGE = `Usage: npm run policy:check -- [--stack <name>]... [--fixture <program.ts>]

Runs the program for each stack and named configuration under the Pulumi mock engine, serves
the policy pack in policies/ exactly as the Pulumi CLI does (the pack prints its gRPC port;
each resource is sent to Analyze, then all of them to AnalyzeStack), and prints the
violations grouped by policy. The offline equivalent of: pulumi preview --policy-pack policies

Options:
  --stack <name>       Check only this stack or named configuration (repeatable).
                       Default: every Pulumi.<stack>.yaml, then every named configuration.
  --fixture <file>     Check the program exported as \`program\` by <file> instead (stack "fixture").
  --help               Show this help.

Named configurations (the stack file with config overrides, applied in memory):
${STACK_VARIANTS.map((v) => `  ${v.name.padEnd(21)}${v.description}`).join("\n")}

Exit status: 0 no mandatory violation, 1 a mandatory violation or a failed run, 2 bad usage.`;

/** Entry point of `npm run policy:check`. Returns the process exit code. */
export async function main(argv: readonly string[], io: CliIo = {}): Promise<number> {
    const stdout = io.stdout ?? process.stdout;
    const stderr = io.stderr ?? process.stderr;
    let values: { stack?: string[]; fixture?: string; help?: boolean };
    try {
        ({ values } = parseArgs({
            args: [...argv],
            options: {
                stack: { type: "string", multiple: true },
                fixture: { type: "string" },
                help: { type: "boolean", short: "h" },
            },
        }));
    } catch (error) {
        stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
        return 2;
    }
    if (values.help) {
        stdout.write(`${USAGE}\n`);
        return 0;
    }

    let runs: ConfigurationRun[];
    try {
        if (values.fixture) {
            runs = [await runFixture(values.fixture)];
        } else {
            const configurations = resolveConfigurations(values.stack, { variants: true });
            const result = await runStacksOffline(configurations, {
                progress: (line) => stderr.write(`${line}\n`),
            });
            if (result.failures.length > 0) {
                throw new Error(result.failures.join("\n"));
            }
            runs = result.runs;
        }
    } catch (error) {
        stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
        return error instanceof UsageError ? 2 : 1;
    }

    stderr.write("serving the policy pack (policies/) ...\n");
    const pack = await ServedPolicyPack.start(path.join(PROJECT_ROOT, "policies"));
    let mandatory = 0;
    try {
        for (const run of runs) {
            const started = Date.now();
            const violations = await pack.analyze(run.resources);
            stderr.write(`policy pack on ${run.configuration.name}: ${seconds(started)}\n`);
            mandatory += violations.filter((v) => v.enforcement === "mandatory").length;
            stdout.write(`${renderReport(run.configuration, run.resources.length, violations)}\n`);
        }
    } finally {
        pack.stop();
    }
    return mandatory > 0 ? 1 : 0;
}

async function runFixture(file: string): Promise<ConfigurationRun> {
    const module = (await import(path.resolve(file))) as { program?: () => Record<string, unknown> };
    if (typeof module.program !== "function") {
        throw new UsageError(
            `--fixture must name a module that exports a function \`program\`; ${file} does not`,
        );
    }
    const run = await runOffline({
        project: "webank",
        stack: "fixture",
        config: {},
        program: module.program,
    });
    return { ...run, configuration: { name: run.stack, stack: run.stack, overrides: {} } };
}

/** The report of one stack or named configuration: violations grouped by policy, each with the resource's URN. */
export function renderReport(
    configuration: StackConfiguration,
    resourceCount: number,
    violations: readonly PolicyViolation[],
): string {
    const subject = isVariant(configuration)
        ? `${configuration.name} (stack ${configuration.stack}, ${describeOverrides(configuration.overrides)}; `
        : `stack ${configuration.stack} (`;
    const lines = [`Policy pack webank-dr on ${subject}${resourceCount} resources, offline)`];
    if (violations.length === 0) {
        lines.push("  no violations");
        return lines.join("\n");
    }
    const byPolicy = new Map<string, PolicyViolation[]>();
    for (const violation of violations) {
        byPolicy.set(violation.policy, [...(byPolicy.get(violation.policy) ?? []), violation]);
    }
    for (const [policy, found] of [...byPolicy].sort(([a], [b]) => a.localeCompare(b))) {
        lines.push(
            `  ${policy} (${found[0].enforcement}): ${found.length} violation${found.length === 1 ? "" : "s"}`,
        );
        for (const violation of found) {
            lines.push(`    ${violation.urn || "(stack)"}`, `      ${violation.message}`);
        }
    }
    const mandatory = violations.filter((v) => v.enforcement === "mandatory").length;
    lines.push(`  ${violations.length} violations, ${mandatory} mandatory`);
    return lines.join("\n");
}

if (require.main === module) {
    runAsMain((argv) => main(argv));
}
