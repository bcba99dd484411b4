import {
    DescribeDBInstanceAutomatedBackupsCommand,
    RDSClient,
    waitUntilDBInstanceAvailable,
} from "@aws-sdk/client-rds";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import * as os from "os";
import { FailoverLock } from "./failover-lock";
import { DatabasePort, DrStackPort, LockPort, ReplicatedBackups } from "./ports";

/** The DR stack through the Automation API, from the project directory. */
export async function drStackPort(workDir: string, stackName: string): Promise<DrStackPort> {
    const stack: Stack = await LocalWorkspace.selectStack({ stackName, workDir });
    return {
        getConfig: async (key) => {
            const all = await stack.getAllConfig();
            return all[key]?.value;
        },
        setConfig: async (values) => {
            await stack.setAllConfig(
                Object.fromEntries(Object.entries(values).map(([k, value]) => [k, { value }])),
            );
        },
        refresh: async (onOutput) => {
            await stack.refresh({ onOutput });
        },
        up: async (onOutput) => {
            const result = await stack.up({ onOutput });
            return Object.fromEntries(
                Object.entries(result.outputs).map(([k, v]) => [k, v.secret ? "[secret]" : v.value]),
            );
        },
    };
}

/** RDS in the DR region: the replicated automated backups of `sourceIdentifier`, and the waiter. */
export function databasePort(region: string, sourceIdentifier: string): DatabasePort {
    const rds = new RDSClient({ region, maxAttempts: 8 });
    return {
        replicatedBackups: async (): Promise<ReplicatedBackups | undefined> => {
            const { DBInstanceAutomatedBackups = [] } = await rds.send(
                new DescribeDBInstanceAutomatedBackupsCommand({ DBInstanceIdentifier: sourceIdentifier }),
            );
            const replicated = DBInstanceAutomatedBackups.find(
                (b) =>
                    b.DBInstanceAutomatedBackupsArn &&
                    b.RestoreWindow?.EarliestTime &&
                    b.RestoreWindow.LatestTime,
            );
            if (
                !replicated?.DBInstanceAutomatedBackupsArn ||
                !replicated.RestoreWindow?.EarliestTime ||
                !replicated.RestoreWindow.LatestTime
            ) {
                return undefined;
            }
            return {
                arn: replicated.DBInstanceAutomatedBackupsArn,
                earliest: replicated.RestoreWindow.EarliestTime,
                latest: replicated.RestoreWindow.LatestTime,
            };
        },
        waitAvailable: async (identifier, timeoutMinutes) => {
            const result = await waitUntilDBInstanceAvailable(
                { client: rds, maxWaitTime: timeoutMinutes * 60 },
                { DBInstanceIdentifier: identifier },
            ).catch((error: unknown) => {
                throw new Error(
                    `${identifier} was not available after ${timeoutMinutes} minutes (${String(error)}); ` +
                        `check it with: aws rds describe-db-instances --region ${region} --db-instance-identifier ${identifier}, ` +
                        "then run the failover again to resume",
                );
            });
            if (String(result.state) !== "SUCCESS") {
                throw new Error(
                    `${identifier} did not become available (${result.state}); run the failover again to resume`,
                );
            }
        },
    };
}

/** The failover lock on the lock table's replica in the DR region. */
export function lockPort(region: string, tableName: string): LockPort {
    const lock = new FailoverLock(new DynamoDBClient({ region, maxAttempts: 8 }), tableName);
    return {
        acquire: (owner) =>
            lock.acquire({
                owner,
                since: new Date().toISOString(),
                by: `${os.userInfo().username}@${os.hostname()}`,
            }),
    };
}
