import * as path from "path";
import * as readline from "readline";
import { parseStackConfig, StackConfig } from "../../../config";
import { PROJECT_ROOT, readStackConfig } from "../../../config/stack-files";
import { failoverSteps, SERVICE_RESTORED_STEP } from "./steps";
import { Journal } from "../../run/journal";
import { RecoveryPorts } from "../../ports";
import { stateBucketJournalMirror, writeRunReport } from "../../run/recovery-stores";
import { problemOf } from "../restore/run";
import { parseRestoreTime } from "../restore-time";
import { planWaves, runCommandSteps } from "../../run/steps";

/** Options of `npm run dr -- failover`. */
export interface FailoverCommandOptions {
    /** `latest` or an ISO-8601 instant. */
    readonly restoreTime: string;
    /** When the primary failed (ISO-8601), for the RPO; default the run's start. */
    readonly failureTime?: string;
    /** Print the plan and the projected RPO and RTO; change nothing. */
    readonly dryRun: boolean;
    /** Do not ask before the first change. */
    readonly yes: boolean;
    /** Journal file. Default `.journal/failover.json` in the project. */
    readonly journalFile?: string;
    /** Directory of the report. Default `reports/` in the project. */
    readonly reportDir?: string;
    /** `pulumi up --parallel`. Default: Pulumi's own. */
    readonly parallel?: number;
    /** Milliseconds between DNS checks after the switch. Default 10 s. */
    readonly dnsPollMilliseconds?: number;
}

/** How the command reaches the world; the CLI passes real adapters or the simulation, tests fakes. */
export interface FailoverEnvironment {
    /** The ports. */
    readonly ports: RecoveryPorts;
    /** Asks the operator a yes/no question; undefined when there is no terminal. */
    readonly confirm?: (question: string) => Promise<boolean>;
    /** The dr stack's validated config. Default: read from Pulumi.yaml and Pulumi.dr.yaml. */
    readonly config?: StackConfig;
    /** Projects the RTO of a dry run (the benchmark's model); omitted, the dry run says it did not. */
    readonly projectRto?: (config: StackConfig, posture: string) => Promise<string>;
}

/** The failover command: dry run, confirmation, then the journaled steps and the report. Returns the exit code. */
export async function failoverCommand(
    options: FailoverCommandOptions,
    env: FailoverEnvironment,
): Promise<number> {
    const { ports } = env;
    const out = ports.output;
    const config = env.config ?? drStackConfig();
    const failureTime = options.failureTime === undefined ? undefined : new Date(options.failureTime);
    if (failureTime && Number.isNaN(failureTime.getTime())) {
        out(
            `error: --failure-time must be an ISO-8601 instant such as 2026-11-25T02:58:00Z; got "${options.failureTime}"`,
        );
        return 2;
    }
    const restoreTimeProblem = problemOf(() => parseRestoreTime(options.restoreTime));
    if (restoreTimeProblem) {
        out(`error: ${restoreTimeProblem}`);
        return 2;
    }

    if (options.dryRun) {
        return dryRun(config, options, env, failureTime ?? ports.now());
    }

    const journalFile = options.journalFile ?? path.join(PROJECT_ROOT, ".journal", "failover.json");
    const journal = Journal.open(journalFile, "failover", {
        now: ports.now,
        warn: out,
        mirror: stateBucketJournalMirror(config, ports),
    });
    const request = {
        restoreTime: options.restoreTime,
        runId: journal.runId,
        failureTime: failureTime ?? new Date(journal.startedAt),
        parallel: options.parallel,
        dnsPollMilliseconds: options.dnsPollMilliseconds,
    };
    const steps = failoverSteps(config, request, ports);
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
    out(
        journal.steps.length > 0
            ? `resuming failover run ${journal.runId} after ${journal.steps.length} completed steps (journal ${journalFile})`
            : `failover run ${journal.runId} (journal ${journalFile})`,
    );
    const { timeline, failed } = await runCommandSteps(steps, journal, out, () => ports.now().getTime());
    // The report is written for a failed run too: it is the record of what was done.
    const report = await writeRunReport(config, ports, {
        journal,
        timeline,
        choiceStep: "preflight-restore-point",
        serviceRestoredStep: SERVICE_RESTORED_STEP,
        failureTime: request.failureTime,
        reportDir: options.reportDir,
        objectives: failoverObjectives(config),
    });
    if (report.outcome === "completed") {
        out(
            `failover complete: measured RTO ${report.measuredRtoMinutes ?? "?"} min, achieved RPO ${report.achievedRpoMinutes ?? "?"} min; ` +
                `the lock stays held by ${journal.runId} until failback`,
        );
    }
    return failed ? 1 : 0;
}

/**
 * What a failover is measured against: the database's RPO (the data) and the platform's RTO
 * (service is back when traffic is switched, which needs the cluster as well as the database).
 */
export function failoverObjectives(config: StackConfig): { rpoMinutes: number; rtoMinutes: number } {
    return {
        rpoMinutes: config.objectives.database.rpoMinutes,
        rtoMinutes: config.objectives.cluster.rtoMinutes,
    };
}

/** Prints the plan, runs the read-only preflight checks, projects RPO and RTO; changes nothing. */
async function dryRun(
    config: StackConfig,
    options: FailoverCommandOptions,
    env: FailoverEnvironment,
    failureTime: Date,
): Promise<number> {
    const out = env.ports.output;
    const steps = failoverSteps(
        config,
        { restoreTime: options.restoreTime, runId: "dry-run", failureTime, parallel: options.parallel },
        env.ports,
    );
    out(`DRY RUN: failover of ${config.prefix} to ${config.drRegion}; nothing will be changed.`);
    planWaves(steps).forEach((wave, index) => {
        const together = wave.length > 1 ? " (concurrently)" : "";
        out(
            `  ${index + 1}. ${wave.map((name) => `${name}: ${steps.find((s) => s.name === name)?.describe}`).join(" | ")}${together}`,
        );
    });
    let failed = false;
    let posture = "pilot";
    for (const step of steps.filter((s) => s.name.startsWith("preflight-"))) {
        try {
            const result = await step.run({ dataOf: () => undefined });
            const detail = typeof result === "string" ? result : result.detail;
            if (typeof result !== "string" && result.data?.posture) {
                posture = result.data.posture;
            }
            out(`  ${step.name} now: ${detail}`);
        } catch (error) {
            failed = true;
            out(`  ${step.name} now: FAILS: ${error instanceof Error ? error.message : String(error)}`);
        }
    }
    out(
        env.projectRto
            ? `  projected RTO: ${await env.projectRto(config, posture)} (objective ${config.objectives.cluster.rtoMinutes} min)`
            : "  projected RTO: not projected (npm run bench:failover projects it)",
    );
    out(
        `  objectives: database RPO ${config.objectives.database.rpoMinutes} min, RTO ${config.objectives.database.rtoMinutes} min`,
    );
    if (failed) {
        out("DRY RUN: a real run would stop at the failing preflight above.");
    }
    return failed ? 1 : 0;
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
