/**
 * What the RDS adapters ({@link RdsDatabase} for instances, {@link RdsSnapshots} for
 * snapshots) share: the options they are built with, the identifier rule, the command an
 * operator runs to check an instance, and the error of a wait that did not end available.
 * Each is defined here once so the two files cannot drift apart.
 */
import { DBInstance, DescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import { isAwsError, PollDelays } from "./retry";

/** RDS instance and snapshot identifiers: 1–63 letters, digits, hyphens; a letter first; no `--`; no trailing hyphen. */
const IDENTIFIER_PATTERN = /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{0,62}$/;

/** Options of {@link RdsDatabase} (and of the {@link RdsSnapshots} it delegates to). */
export interface RdsDatabaseOptions {
    /** How often the waiters poll. Default {@link DEFAULT_POLL_DELAYS}. */
    readonly pollDelays?: PollDelays;
}

/**
 * Refuses a name RDS would refuse, before any call: the operator gets the rule at once
 * instead of an AWS validation error after part of the work is done.
 */
export function requireIdentifier(field: string, value: string): void {
    if (typeof value !== "string" || !IDENTIFIER_PATTERN.test(value) || value.endsWith("-")) {
        throw new Error(
            `${field} must be an RDS identifier (1-63 letters, digits or hyphens, starting with a letter, no "--", no trailing hyphen); got ${JSON.stringify(value)}`,
        );
    }
}

/** The CLI command an error message offers for checking an instance, so the operator can paste it. */
export function describeInstanceCommand(region: string, identifier: string): string {
    return `aws rds describe-db-instances --region ${region} --db-instance-identifier ${identifier}`;
}

/** The error of a wait that ended without the resource available: what, how long, how to check, how to resume. */
export function waitError(
    resource: string,
    wait: { timeoutMinutes: number; started: number },
    status: string | undefined,
    checkCommand: string,
    cause: unknown,
): Error {
    const waited = Math.round((Date.now() - wait.started) / 6000) / 10;
    const what = isAwsError(cause, "TimeoutError")
        ? `${resource} was not available after ${wait.timeoutMinutes} minutes (status: ${status ?? "not found"})`
        : `${resource} stopped short of available after ${waited} of ${wait.timeoutMinutes} minutes: its status is ${status ?? "not found"}`;
    return new Error(
        `${what}; check it with: ${checkCommand}; once it is available (or the cause is fixed), run the same command again to resume`,
        { cause },
    );
}

/** The instance `identifier` as DescribeDBInstances gives it, or undefined when RDS answers DBInstanceNotFound. */
export async function describeDbInstance(
    rds: RDSClient,
    identifier: string,
): Promise<DBInstance | undefined> {
    try {
        const { DBInstances = [] } = await rds.send(
            new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }),
        );
        return DBInstances[0];
    } catch (error) {
        if (isAwsError(error, "DBInstanceNotFoundFault")) {
            return undefined;
        }
        throw error;
    }
}
