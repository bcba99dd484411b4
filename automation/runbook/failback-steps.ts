import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { StackConfig } from "../../config/stack-config";
import { withTraffic } from "../bench/failover-bench";
import { failbackCommand } from "../commands/failback/command";
import type { AnyCommandDefinition, CommandContext } from "../commands/definition";
import { failoverDefinition } from "../commands/failover/definition";
import { reprotectDefinition } from "../commands/reprotect/definition";
import { minuteStamp } from "../commands/restore/database/names";
import { failbackDatabaseIdentifier, restoredDatabaseIdentifier } from "../../lib/naming";
import { VirtualClock } from "../simulation/clock";
import { standardWorld } from "../simulation/standard-world";

/*
 * The runbook's failback section lists the failback command's own steps: the plan the command
 * makes after a simulated failover and re-protection, so the runbook names exactly the steps
 * the command journals and describes them in its own words.
 */

/** One step of the failback, as its plan names and describes it. */
export interface FailbackRunbookStep {
    /** The step's journal name, e.g. `freeze-writes`. */
    readonly name: string;
    /** What it does, the plan's own description. */
    readonly describe: string;
}

/** When the simulated failover starts: any fixed time, so the rendered runbook is stable. */
const SIMULATED_START = new Date("2026-01-05T03:00:00Z");

/**
 * The failback's steps for `config`, in the plan's order: a simulated account fails over and
 * re-protects (the commands themselves, with `--yes`), then the failback command plans.
 * Throws with the commands' output when either does not complete: the runbook is then not
 * generated rather than generated wrong.
 */
export async function failbackRunbookSteps(configured: StackConfig): Promise<FailbackRunbookStep[]> {
    // Failback switches traffic through the tool's Route 53 switch: it needs a zone to plan.
    const { config } = withTraffic(configured);
    const clock = new VirtualClock(SIMULATED_START);
    const world = standardWorld(config, {
        now: SIMULATED_START,
        clock: () => clock.now(),
        sleep: (ms) => clock.sleep(ms),
        every: (ms, tick) => clock.every(ms, tick),
    });
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "webank-runbook-"));
    try {
        const context: CommandContext = {
            config,
            ports: world.ports(),
            simulated: true,
            workDir,
            interrupts: { onInterrupt: () => () => undefined },
        };
        for (const definition of [failoverDefinition, reprotectDefinition] as AnyCommandDefinition[]) {
            const request: unknown = definition.parse(
                { yes: true },
                { config, now: clock.now(), simulated: true },
            );
            const code = await clock.drive(definition.run(request, context));
            if (code !== 0) {
                throw new Error(
                    `the simulated ${definition.path.join(" ")} before the failback exited ${code}:\n${world.lines.join("\n")}`,
                );
            }
        }
        const startedAt = clock.now();
        const plan = await failbackCommand(context).plan({
            runId: "failback-runbook",
            startedAt,
            pins: {},
            resumed: false,
            failures: {},
        });
        // What only this simulated run has in its descriptions reads as what each run has there.
        const placeholders: [string, string][] = [
            [(await context.ports.lock.holder())?.owner ?? "", "<failover run id>"],
            [minuteStamp(startedAt), "<YYYYMMDDHHmm>"],
            [await context.ports.identity.accountId(), "<account id>"],
            [
                failbackDatabaseIdentifier(config.prefix, 1),
                failbackDatabaseIdentifier(config.prefix, 0).replace(/0$/, "<n>"),
            ],
            [
                restoredDatabaseIdentifier(config.prefix, 1),
                restoredDatabaseIdentifier(config.prefix, 0).replace(/0$/, "<generation>"),
            ],
        ];
        const general = (text: string) =>
            placeholders.reduce(
                (out, [concrete, placeholder]) => out.split(concrete).join(placeholder),
                text,
            );
        return plan.steps.map((step) => ({ name: step.name, describe: general(step.describe) }));
    } finally {
        fs.rmSync(workDir, { recursive: true, force: true });
    }
}
