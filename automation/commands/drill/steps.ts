import type { StackConfig } from "../../../config/stack-config";
import { restoredDatabaseIdentifier } from "../../../lib/naming";
import { DRILL_STACK_PREFIX } from "../../../config/role";
import type { RecoveryPorts } from "../../ports";
import type { Step } from "../../run/steps";
import { chooseRestoreSource, journaledChoice, restoreConfigOf } from "../shared/restore-source";
import { checkRestoredDatabase, waitDatabaseStep } from "../shared/restored-database";
import {
    journaledSourceVersion,
    SOURCE_DATA_STEP,
    sourceDataStep,
    verifyRestoredData,
} from "../shared/restored-data";

/** The step whose end means "service restored" in a drill's report. */
export const DRILL_RESTORED_STEP = "verify";

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
            readOnly: true,
            describe: "find the restore source in the DR region, as a failover would",
            run: async () => {
                const { choice, description } = await chooseRestoreSource(config, request.restoreTime, ports);
                return {
                    detail: `${description}; drill stack ${stackName}`,
                    data: { choice: JSON.stringify(choice) },
                };
            },
        },
        sourceDataStep(config, ports.home),
        {
            name: "create-stack",
            after: ["preflight", SOURCE_DATA_STEP],
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
            describe:
                "check the restored database answers where the drill stack says, then open it and check its data: the newest heartbeat against the restore point, the critical tables, the migration version",
            run: async (context) => {
                const endpoint = context.dataOf("up")?.dbEndpoint;
                const answers = await checkRestoredDatabase(
                    ports.dr.database,
                    identifier,
                    endpoint,
                    stackName,
                );
                const data = await verifyRestoredData({
                    data: ports.dr.data,
                    config,
                    identifier,
                    endpoint: endpoint ?? "",
                    point: new Date(journaledChoice(context.dataOf("preflight")).point),
                    sourceMigrationVersion: journaledSourceVersion(context.dataOf(SOURCE_DATA_STEP)),
                    latest: request.restoreTime === "latest",
                    heldBack: `The drill stack ${stackName} is kept (not destroyed) so its copy can be examined`,
                });
                return { detail: `${answers}; ${data.detail}`, data: data.data };
            },
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
