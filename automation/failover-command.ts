import * as path from "path";
import * as readline from "readline";
import { parseStackConfig, StackConfig } from "../config";
import { lockTableName, primaryDatabaseIdentifier } from "../lib/naming";
import { PROJECT_ROOT, readStackConfig } from "../offline/project-files";
import { failoverSteps, FailoverPorts } from "./failover";
import { Journal } from "./journal";
import { planWaves, runSteps, StepTiming } from "./step-runner";

/** Options of `npm run dr -- failover`. */
export interface FailoverCommandOptions {
    /** `latest` or an ISO-8601 instant. */
    readonly restoreTime: string;
    /** Print the plan and the projected RPO; change nothing. */
    readonly dryRun: boolean;
    /** Do not ask before the first change. */
    readonly yes: boolean;
    /** Journal file. Default `.journal/failover.json` in the project. */
    readonly journalFile?: string;
}

/** How the command reaches the world; the CLI passes real adapters, tests fakes. */
export interface FailoverEnvironment {
    /** Ports (created lazily by the CLI, so `--help` needs no credentials). */
    readonly ports: FailoverPorts;
    /** Asks the operator a yes/no question; undefined when there is no terminal. */
    readonly confirm?: (question: string) => Promise<boolean>;
    /** Now. */
    readonly now?: () => Date;
    /** The dr stack's validated config. Default: read from Pulumi.yaml and Pulumi.dr.yaml. */
    readonly config?: StackConfig;
}

/** The failover command: dry run, confirmation, then the journaled steps. Returns the exit code. */
export async function failoverCommand(
    options: FailoverCommandOptions,
    env: FailoverEnvironment,
): Promise<number> {
    const out = env.ports.output;
    const now = env.now ?? (() => new Date());
    const config = env.config ?? drStackConfig();
    const journalFile = options.journalFile ?? path.join(PROJECT_ROOT, ".journal", "failover.json");

    if (options.dryRun) {
        // A throwaway journal in memory would still write; the plan needs none.
        const steps = failoverSteps(
            config,
            { restoreTime: options.restoreTime, runId: "dry-run", now: now() },
            env.ports,
        );
        out(`DRY RUN: failover of ${config.prefix} to ${config.drRegion}; nothing will be changed.`);
        planWaves(steps).forEach((wave, index) => {
            const together = wave.length > 1 ? " (concurrently)" : "";
            out(
                `  ${index + 1}. ${wave.map((name) => `${name}: ${steps.find((s) => s.name === name)?.describe}`).join(" | ")}${together}`,
            );
        });
        const preflight = steps[0];
        out(`  preflight now: ${await preflight.run()}`);
        out(
            `  objectives: database RPO ${config.objectives.database.rpoMinutes} min, RTO ${config.objectives.database.rtoMinutes} min`,
        );
        return 0;
    }

    const journal = Journal.open(journalFile, "failover", { now, warn: out });
    const steps = failoverSteps(
        config,
        { restoreTime: options.restoreTime, runId: journal.runId, now: now() },
        env.ports,
    );
    if (!options.yes && journal.steps.length === 0) {
        if (!env.confirm) {
            out("error: failover changes the DR stack; pass --yes to run without a terminal to confirm on");
            return 2;
        }
        if (
            !(await env.confirm(
                `Fail over ${config.prefix} to ${config.drRegion}? This activates the DR stack.`,
            ))
        ) {
            out("aborted: nothing was changed");
            return 1;
        }
    }
    out(`failover run ${journal.runId} (journal ${journalFile})`);
    let timeline: StepTiming[];
    try {
        timeline = await runSteps(steps, journal, { progress: out });
    } catch (error) {
        out(`error: ${error instanceof Error ? error.message : String(error)}`);
        return 1;
    }
    const seconds = (timeline[timeline.length - 1].endedAt - timeline[0].startedAt) / 1000;
    out(
        `failover complete in ${seconds.toFixed(0)} s of step time; the lock stays held by ${journal.runId} until failback`,
    );
    return 0;
}

/** The dr stack's config, validated as the program validates it. */
export function drStackConfig(): StackConfig {
    const files = readStackConfig("dr");
    const namespace = `${files.project}:`;
    const keys = Object.keys(files.config).filter((k) => k.startsWith(namespace));
    return parseStackConfig({
        project: files.project,
        stack: "dr",
        get: (key) => files.config[`${namespace}${key}`],
        keysSet: keys.map((k) => k.slice(namespace.length)),
        secretKeys: files.secretKeys.map((k) => k.slice(namespace.length)),
    });
}

/** Asks on the terminal; undefined when stdin is not a terminal. */
export function terminalConfirm(): ((question: string) => Promise<boolean>) | undefined {
    if (!process.stdin.isTTY) {
        return undefined;
    }
    return (question) =>
        new Promise((resolve) => {
            const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
            rl.question(`${question} Type yes to continue: `, (answer) => {
                rl.close();
                resolve(answer.trim() === "yes");
            });
        });
}

/** Names the real adapters need, derived from config. */
export function adapterNames(config: StackConfig): { sourceDatabase: string; lockTable: string } {
    return {
        sourceDatabase: primaryDatabaseIdentifier(config.prefix),
        lockTable: lockTableName(config.prefix),
    };
}
