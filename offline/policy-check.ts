import * as path from "path";
import { parseArgs } from "util";
import { runAsMain } from "../lib/run-as-main";
import { CliIo } from "./cli";
import { runOffline } from "./engine";
import { PolicyViolation, ServedPolicyPack } from "./policy-pack-client";
import { PROJECT_ROOT } from "../config/stack-files";
import { policyObjectivesOf, policyPackConfigFor, stackConfigOf } from "./policy-config";
import { ConfigurationRun, resolveConfigurations, runStacksOffline, seconds, UsageError } from "./stack-runs";
import { describeOverrides, isVariant, STACK_VARIANTS, StackConfiguration } from "./stack-variants";

const USAGE = `Usage: npm run policy:check -- [--stack <name>]... [--mode update|preview|both] [--fixture <program.ts>]

Runs the program for each stack and named configuration under the Pulumi mock engine, serves
the policy pack in policies/ exactly as the Pulumi CLI does (the pack prints its gRPC port;
it is configured with the stack's thresholds, from npm run policy:config; each resource is
sent to Analyze, then all of them to AnalyzeStack), and prints the violations grouped by
policy, each with the resource's URN. The offline equivalent of:
pulumi preview --policy-pack policies --policy-pack-config <the stack's thresholds>

Options:
  --stack <name>       Check only this stack or named configuration (repeatable).
                       Default: every Pulumi.<stack>.yaml, then every named configuration.
  --mode <mode>        update: every value known, as pulumi up sees it; preview: every output of a
                       resource being created unknown, as a first pulumi preview sees it; both.
                       Default: both.
  --fixture <file>     Check the program exported as \`program\` by <file> instead (stack "fixture").
  --help               Show this help.

Named configurations (the stack file with config overrides, applied in memory):
${STACK_VARIANTS.map((v) => `  ${v.name.padEnd(21)}${v.description}`).join("\n")}

Exit status: 0 no mandatory violation, 1 a mandatory violation or a failed run, 2 bad usage.`;

/** Entry point of `npm run policy:check`. Returns the process exit code. */
export async function main(argv: readonly string[], io: CliIo = {}): Promise<number> {
    const stdout = io.stdout ?? process.stdout;
    const stderr = io.stderr ?? process.stderr;
    let values: { stack?: string[]; mode?: string; fixture?: string; help?: boolean };
    try {
        ({ values } = parseArgs({
            args: [...argv],
            options: {
                stack: { type: "string", multiple: true },
                mode: { type: "string" },
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

    const mode = values.mode ?? "both";
    if (!(MODES as readonly string[]).includes(mode)) {
        stderr.write(`--mode must be one of ${MODES.join(", ")}; got ${JSON.stringify(mode)}\n\n${USAGE}\n`);
        return 2;
    }
    const runs: CheckedRun[] = [];
    try {
        if (values.fixture) {
            runs.push({ ...(await runFixture(values.fixture)), preview: false });
        } else {
            const configurations = resolveConfigurations(values.stack, { variants: true });
            for (const preview of mode === "both" ? [false, true] : [mode === "preview"]) {
                const result = await runStacksOffline(configurations, {
                    preview,
                    progress: (line) => stderr.write(`${line}\n`),
                });
                if (result.failures.length > 0) {
                    throw new Error(result.failures.join("\n"));
                }
                runs.push(...result.runs.map((run) => ({ ...run, preview })));
            }
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
            // The stack's own thresholds; a fixture has no stack config, so the pack's defaults.
            await pack.configure(
                values.fixture
                    ? {}
                    : policyPackConfigFor(policyObjectivesOf(stackConfigOf(run.configuration))),
            );
            const violations = await pack.analyze(run.resources);
            stderr.write(
                `policy pack on ${run.configuration.name}${run.preview ? " (preview)" : ""}: ${seconds(started)}\n`,
            );
            mandatory += violations.filter((v) => v.enforcement === "mandatory").length;
            stdout.write(
                `${renderReport(run.configuration, run.resources.length, violations, run.preview)}\n`,
            );
        }
    } finally {
        pack.stop();
    }
    return mandatory > 0 ? 1 : 0;
}

/** What `--mode` accepts. */
const MODES = ["update", "preview", "both"] as const;

/** A run to check, and whether it ran as a preview. */
interface CheckedRun extends ConfigurationRun {
    /** True when every output of a resource being created was unknown. */
    readonly preview: boolean;
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

/**
 * The report of one stack or named configuration: violations grouped by policy, each with the
 * resource's URN (the message starts with the property). In a preview, what a policy could not
 * judge yet is its advisory "not judged in this preview" finding.
 */
export function renderReport(
    configuration: StackConfiguration,
    resourceCount: number,
    violations: readonly PolicyViolation[],
    preview = false,
): string {
    const subject = isVariant(configuration)
        ? `${configuration.name} (stack ${configuration.stack}, ${describeOverrides(configuration.overrides)}; `
        : `stack ${configuration.stack} (`;
    const lines = [
        `Policy pack webank-dr on ${subject}${resourceCount} resources, offline, ${preview ? "as a preview" : "as an update"})`,
    ];
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
            // @pulumi/policy sends the policy's description, then the violation, on separate lines.
            lines.push(
                `    ${violation.urn || "(stack)"}`,
                ...violation.message.split("\n").map((line) => `      ${line}`),
            );
        }
    }
    const mandatory = violations.filter((v) => v.enforcement === "mandatory").length;
    lines.push(`  ${violations.length} violations, ${mandatory} mandatory`);
    return lines.join("\n");
}

if (require.main === module) {
    runAsMain((argv) => main(argv));
}
