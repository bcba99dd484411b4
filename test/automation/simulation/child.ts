/*
 * A second process of a rehearsal, for persistent.test.ts: opens the simulated account of a
 * work directory and does one thing, printing one JSON line.
 *
 *   node -r ts-node/register/transpile-only child.ts <workDir> <action> [args...]
 *
 * restore <target>        a point-in-time restore of webank-db, waited for
 * describe <identifier>   the instance's status, or "missing"
 * lock <owner> <barrier>  writes <barrier>.<owner>.ready, waits until <barrier> exists, then takes the failover lock
 * start-backup <token>    starts a backup job and stops (an interrupted run)
 */
import * as fs from "fs";
import type { StackConfig } from "../../../config/stack-config";
import { FailoverLockedError } from "../../../automation/ports";
import { openSimulation } from "../../../automation/simulation/persistent";
import { seededResources } from "../../../automation/simulation/standard-world";

const START = new Date("2026-11-25T03:00:00Z");

async function main(): Promise<void> {
    const [workDir, action, ...args] = process.argv.slice(2);
    // The parent passes its config: loading the stack files (and Pulumi) again would only slow a test down.
    const config = JSON.parse(process.env.SIMULATION_TEST_CONFIG ?? "") as StackConfig;
    const simulation = openSimulation(workDir, config, { now: START });
    const { ports } = simulation;
    const print = (value: unknown): void => {
        process.stdout.write(`${JSON.stringify(value)}\n`);
    };
    switch (action) {
        case "restore": {
            const like = (await simulation.drive(ports.home.database.describeInstance("webank-db")))!;
            await simulation.drive(
                ports.home.database.restoreToPointInTime("webank-db", args[0], "latest", like),
            );
            await simulation.drive(ports.home.database.waitAvailable(args[0], 90));
            return print({ restored: args[0], at: simulation.now().toISOString() });
        }
        case "describe": {
            const instance = await simulation.drive(ports.home.database.describeInstance(args[0]));
            return print({ status: instance?.status ?? "missing", now: simulation.now().toISOString() });
        }
        case "lock": {
            // Say it is ready (the parent opens the barrier once both racers are), then wait for the start.
            fs.writeFileSync(`${args[1]}.${args[0]}.ready`, "");
            while (!fs.existsSync(args[1])) {
                await new Promise((resolve) => setTimeout(resolve, 2));
            }
            try {
                await simulation.drive(ports.lock.acquire(args[0]));
                return print({ won: true });
            } catch (error) {
                if (error instanceof FailoverLockedError) {
                    return print({ won: false, holder: error.holder.owner });
                }
                throw error;
            }
        }
        case "start-backup": {
            const jobId = await simulation.drive(
                ports.home.backup.startBackupJob({
                    vaultName: "webank-vault",
                    resourceArn: seededResources(config).databaseArn,
                    iamRoleArn: "arn:aws:iam::123456789012:role/webank-backup",
                    idempotencyToken: args[0],
                }),
            );
            return print({ jobId });
        }
        default:
            throw new Error(`unknown action ${action}`);
    }
}

main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
});
