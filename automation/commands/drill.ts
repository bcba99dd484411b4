import * as path from "path";
import { StackConfig } from "../../config";
import { restoredDatabaseIdentifier } from "../../lib/naming";
import { PROJECT_ROOT } from "../../config/stack-files";
import {
    checkRestoredDatabase,
    chooseRestoreSource,
    journaledChoice,
    restoreConfigOf,
    waitDatabaseStep,
} from "./failover/steps";
import { Journal } from "../run/journal";
import { RecoveryPorts } from "../ports";
import { stateBucketJournalMirror, writeRunReport } from "../run/recovery-stores";
import { problemOf } from "./restore/run";
import { parseRestoreTime } from "./restore-time";
import { planWaves, runCommandSteps, Step } from "../run/steps";

/** Every drill stack's name starts with this; the drill refuses to destroy any other stack. */
export const DRILL_STACK_PREFIX = "dr-drill-";

/** The step whose end means "service restored" in a drill's report. */
export const DRILL_RESTORED_STEP = "verify";

/** Options of `npm run dr -- drill`. */
export interface DrillOptions {
    /** `latest`, or an ISO-8601 instant inside the replicated window. */
    readonly restoreTime: string;
    /** `database` (default): the restore only; `full`: the cluster and Argo CD too. */
    readonly scope: "database" | "full";
    /** Keep the drill stack after verifying (to inspect it); the output says how to destroy it. */
    readonly keep: boolean;
    /** Print the steps and the restore source; change nothing. */
    readonly dryRun: boolean;
    /** Journal file. Default `.journal/drill.json` in the project. */
    readonly journalFile?: string;
    /** Directory of the report. Default `reports/` in the project. */
    readonly reportDir?: string;
}

/** The drill's id from the run's start: `d` and yymmddHHMM in UTC, unique per minute. */
export function drillId(startedAt: string): string {
    return `d${startedAt.slice(2, 16).replace(/[-T:]/g, "")}`;
}

/**
 * The drill, as steps: choose the restore source exactly as a failover would, create a new
 * uniquely named stack, configure it as an activated DR stack marked as a drill (drill names,
 * a disposable database, no DNS), `up`, wait for and verify the database, then destroy and
 * remove the drill stack. It never selects the dr stack and never touches traffic.
 */
export function drillSteps(
    config: StackConfig,
    request: {
        runId: string;
        startedAt: string;
        restoreTime: string;
        scope: "database" | "full";
        keep: boolean;
    },
    ports: RecoveryPorts,
): Step[] {
    const id = drillId(request.startedAt);
    const stackName = `${DRILL_STACK_PREFIX}${id}`;
    const identifier = restoredDatabaseIdentifier(`${config.prefix}-drill-${id}`, 1);
    const drillStack = async () => {
        const stack = await ports.workspace.selectStack(stackName);
        // The only stack a drill changes is its own, marked as a drill.
        if (!stack.name.startsWith(DRILL_STACK_PREFIX) || !(await stack.getConfig("webank:drill"))) {
            throw new Error(`stack ${stack.name} is not a drill stack; a drill changes nothing else`);
        }
        return stack;
    };
    const steps: Step[] = [
        {
            name: "preflight",
            after: [],
            describe: "find the restore source in the DR region, as a failover would",
            run: async () => {
                const { choice, description } = await chooseRestoreSource(config, request.restoreTime, ports);
                return {
                    detail: `${description}; drill stack ${stackName}`,
                    data: { choice: JSON.stringify(choice) },
                };
            },
        },
        {
            name: "create-stack",
            after: ["preflight"],
            describe: `create the drill stack ${stackName}`,
            run: async () => {
                try {
                    await ports.workspace.selectStack(stackName);
                    return `${stackName} exists (resumed)`;
                } catch {
                    await ports.workspace.createStack(stackName);
                    return `${stackName} created`;
                }
            },
        },
        {
            name: "configure",
            after: ["create-stack"],
            describe: "configure it as an activated DR stack marked as a drill",
            run: async (context) => {
                const choice = journaledChoice(context.dataOf("preflight"));
                const stack = await ports.workspace.selectStack(stackName);
                const values = {
                    "webank:role": "dr",
                    "webank:drill": JSON.stringify({ id, scope: request.scope }),
                    "webank:activated": "true",
                    "webank:restore": JSON.stringify(restoreConfigOf(choice)),
                    "webank:primaryStack": config.dr.primaryStack,
                };
                await stack.setConfig(values);
                return `webank:drill = ${values["webank:drill"]}, webank:restore = ${values["webank:restore"]}`;
            },
        },
        {
            name: "up",
            after: ["configure"],
            describe: "pulumi up of the drill stack: restore the database beside the real DR resources",
            run: async () => {
                const outputs = await (await drillStack()).up({ onOutput: ports.output });
                const endpoint = typeof outputs.dbEndpoint === "string" ? outputs.dbEndpoint : "";
                return {
                    detail: `drill stack updated; database ${endpoint || "(none)"}`,
                    data: { dbEndpoint: endpoint },
                };
            },
        },
        waitDatabaseStep(ports.dr.database, identifier),
        {
            name: DRILL_RESTORED_STEP,
            after: ["wait-database"],
            describe: "check the restored database answers where the drill stack says",
            run: (context) =>
                checkRestoredDatabase(
                    ports.dr.database,
                    identifier,
                    context.dataOf("up")?.dbEndpoint,
                    stackName,
                ),
        },
    ];
    if (request.keep) {
        return steps;
    }
    return [
        ...steps,
        {
            name: "destroy",
            after: [DRILL_RESTORED_STEP],
            describe: `pulumi destroy of ${stackName} (the drill's copy only; the backups are untouched)`,
            run: async () => {
                await (await drillStack()).destroy(ports.output);
                return `${stackName} destroyed`;
            },
        },
        {
            name: "remove-stack",
            after: ["destroy"],
            describe: `remove the empty stack ${stackName}`,
            run: async () => {
                await ports.workspace.removeStack(stackName);
                return `${stackName} removed`;
            },
        },
    ];
}

/** The drill command: dry run, or the journaled steps and the report. Returns the exit code. */
export async function drillCommand(
    options: DrillOptions,
    ports: RecoveryPorts,
    config: StackConfig,
): Promise<number> {
    const out = ports.output;
    const restoreTimeProblem = problemOf(() => parseRestoreTime(options.restoreTime));
    if (restoreTimeProblem) {
        out(`error: ${restoreTimeProblem}`);
        return 2;
    }
    if (options.dryRun) {
        const startedAt = ports.now().toISOString();
        const steps = drillSteps(config, { runId: "dry-run", startedAt, ...options }, ports);
        out(
            `DRY RUN: drill of ${config.prefix} in ${config.drRegion} (scope ${options.scope}); nothing will be changed.`,
        );
        planWaves(steps).forEach((wave, index) =>
            out(`  ${index + 1}. ${wave.join(" | ")}: ${steps.find((s) => s.name === wave[0])?.describe}`),
        );
        try {
            const result = await steps[0].run({ dataOf: () => undefined });
            out(`  preflight now: ${typeof result === "string" ? result : result.detail}`);
            return 0;
        } catch (error) {
            out(`  preflight now: FAILS: ${error instanceof Error ? error.message : String(error)}`);
            return 1;
        }
    }
    const journalFile = options.journalFile ?? path.join(PROJECT_ROOT, ".journal", "drill.json");
    const journal = Journal.open(journalFile, "drill", {
        now: ports.now,
        warn: out,
        mirror: stateBucketJournalMirror(config, ports),
    });
    const steps = drillSteps(
        config,
        { runId: journal.runId, startedAt: journal.startedAt, ...options },
        ports,
    );
    out(`drill run ${journal.runId} (journal ${journalFile}); it never touches the dr stack or traffic`);
    const { timeline, failed } = await runCommandSteps(steps, journal, out, () => ports.now().getTime());
    const exitCode = failed ? 1 : 0;
    const report = await writeRunReport(config, ports, {
        journal,
        timeline,
        choiceStep: "preflight",
        serviceRestoredStep: DRILL_RESTORED_STEP,
        failureTime: new Date(journal.startedAt),
        reportDir: options.reportDir,
        // A database drill rehearses the database's recovery; a full one the platform's.
        objectives:
            options.scope === "full"
                ? {
                      rpoMinutes: config.objectives.database.rpoMinutes,
                      rtoMinutes: config.objectives.cluster.rtoMinutes,
                  }
                : config.objectives.database,
    });
    if (exitCode === 0) {
        out(
            `drill complete: measured RTO ${report.measuredRtoMinutes ?? "?"} min, achieved RPO ${report.achievedRpoMinutes ?? "?"} min` +
                (options.keep
                    ? `; the drill stack is kept: destroy it with pulumi destroy -s ${DRILL_STACK_PREFIX}${drillId(journal.startedAt)} then pulumi stack rm`
                    : ""),
        );
    } else {
        out(
            "the drill stack may still hold resources: run the same command again to resume (it destroys the stack at the end)",
        );
    }
    return exitCode;
}
