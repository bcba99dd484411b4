import type { DatabasePort } from "../../ports";
import type { Step } from "../../run/steps";

/** How long the restored database may take to become available before the run stops (RDS restores of a few hundred GiB take well under this). */
export const DATABASE_WAIT_MINUTES = 90;

/** The step that waits for a restored database (after `up`) to be available. */
export function waitDatabaseStep(database: DatabasePort, identifier: string): Step {
    return {
        name: "wait-database",
        after: ["up"],
        describe: `wait until ${identifier} is available`,
        timeoutMinutes: DATABASE_WAIT_MINUTES,
        run: async () => {
            await database.waitAvailable(identifier, DATABASE_WAIT_MINUTES);
            return `${identifier} available`;
        },
    };
}

/**
 * Checks a restored database is available and answers at the endpoint its stack reports.
 * Returns a line for the journal; throws saying what to check.
 */
export async function checkRestoredDatabase(
    database: DatabasePort,
    identifier: string,
    reportedEndpoint: string | undefined,
    stack: string,
): Promise<string> {
    const instance = await database.describeInstance(identifier);
    if (!instance || instance.status !== "available" || !instance.endpoint) {
        throw new Error(
            `${identifier} is ${instance ? instance.status : "missing"} in ${database.region}; ` +
                `check it with: aws rds describe-db-instances --region ${database.region} --db-instance-identifier ${identifier}`,
        );
    }
    if (reportedEndpoint !== instance.endpoint) {
        throw new Error(
            `stack ${stack} reports database ${reportedEndpoint || "(none)"} but ${identifier} answers at ${instance.endpoint}; ` +
                `run pulumi refresh -s ${stack} and run again`,
        );
    }
    return `${identifier} available at ${instance.endpoint}`;
}
