import { StackConfig } from "../config";
import { restoredDatabaseIdentifier } from "../lib/naming";
import { DatabasePort, DrStackPort, LockPort, ReplicatedBackups } from "./ports";
import { Step } from "./step-runner";

/** What the operator asked for. */
export interface FailoverRequest {
    /** `latest`, or an ISO-8601 instant with a zone. */
    readonly restoreTime: string;
    /** The run id (the journal's). */
    readonly runId: string;
    /** Now, for the projected RPO. */
    readonly now: Date;
}

/** The ports a failover uses. */
export interface FailoverPorts {
    /** The DR stack. */
    readonly stack: DrStackPort;
    /** RDS in the DR region. */
    readonly database: DatabasePort;
    /** The failover lock. */
    readonly lock: LockPort;
    /** Streams progress lines. */
    readonly output: (line: string) => void;
}

/** How long the restored database may take to become available before the run stops (RDS restores of a few hundred GiB take well under this). */
export const DATABASE_WAIT_MINUTES = 90;

/** The point the database is restored to, checked against the replicated backups' window. */
export function chooseRestorePoint(
    backups: ReplicatedBackups | undefined,
    restoreTime: string,
): { time: Date; description: string } {
    if (!backups) {
        throw new Error(
            "no automated backups are replicated into the DR region, so point-in-time restore is impossible; " +
                'restore from the newest DR-vault recovery point instead: set webank:restore to {"source": "recovery-point", "recoveryPointArn": "..."} on the dr stack and run pulumi up',
        );
    }
    const time = restoreTime === "latest" ? backups.latest : new Date(restoreTime);
    if (Number.isNaN(time.getTime())) {
        throw new Error(`--restore-time must be "latest" or an ISO-8601 instant; got "${restoreTime}"`);
    }
    if (time < backups.earliest || time > backups.latest) {
        throw new Error(
            `--restore-time ${time.toISOString()} is outside the restorable window of the replicated backups ` +
                `(${backups.earliest.toISOString()} to ${backups.latest.toISOString()}); choose a time inside it or "latest"`,
        );
    }
    return {
        time,
        description:
            restoreTime === "latest" ? `latest restorable time ${time.toISOString()}` : time.toISOString(),
    };
}

/**
 * The failover, as steps: preflight (the DR stack answers, replicated backups exist, the
 * restore point is inside their window, the projected RPO), the lock, the DR stack's
 * activation config, refresh, `up` (Pulumi creates the database and the cluster in
 * parallel), then the database wait and the verification. Each step is idempotent.
 */
export function failoverSteps(config: StackConfig, request: FailoverRequest, ports: FailoverPorts): Step[] {
    let backups: ReplicatedBackups | undefined;
    let outputs: Record<string, unknown> = {};
    const identifier = restoredDatabaseIdentifier(config.prefix, 1);
    return [
        {
            name: "preflight",
            after: [],
            describe: "check the DR stack, the replicated backups and the restore point",
            run: async () => {
                const posture = (await ports.stack.getConfig("webank:posture")) ?? "pilot";
                backups = await ports.database.replicatedBackups();
                const point = chooseRestorePoint(backups, request.restoreTime);
                const rpoMinutes = Math.max(
                    0,
                    Math.round((request.now.getTime() - point.time.getTime()) / 60000),
                );
                return `DR stack answers (posture ${posture}); restoring to ${point.description}; projected RPO ${rpoMinutes} min (objective ${config.objectives.database.rpoMinutes})`;
            },
        },
        {
            name: "lock",
            after: ["preflight"],
            describe: "take the failover lock (conditional write to the lock table)",
            run: async () => {
                await ports.lock.acquire(request.runId);
                return `lock held by ${request.runId}`;
            },
        },
        {
            name: "activate-config",
            after: ["lock"],
            describe: "set webank:activated and webank:restore on the DR stack",
            run: async () => {
                const restore = {
                    source: "pitr",
                    time: request.restoreTime,
                    automatedBackupsArn: backups?.arn,
                };
                await ports.stack.setConfig({
                    "webank:activated": "true",
                    "webank:restore": JSON.stringify(restore),
                });
                return `webank:restore = ${JSON.stringify(restore)}`;
            },
        },
        {
            name: "refresh",
            after: ["activate-config"],
            describe: "pulumi refresh of the DR stack",
            run: async () => {
                await ports.stack.refresh(ports.output);
                return "refreshed";
            },
        },
        {
            name: "up",
            after: ["refresh"],
            describe: "pulumi up of the DR stack: restore the database, scale the cluster, install Argo CD",
            run: async () => {
                outputs = await ports.stack.up(ports.output);
                const endpoint =
                    typeof outputs.dbEndpoint === "string" ? outputs.dbEndpoint : "(no endpoint output)";
                return `stack updated; database ${endpoint}`;
            },
        },
        {
            name: "wait-database",
            after: ["up"],
            describe: `wait until ${identifier} is available`,
            run: async () => {
                await ports.database.waitAvailable(identifier, DATABASE_WAIT_MINUTES);
                return `${identifier} available`;
            },
        },
        {
            name: "verify",
            after: ["wait-database"],
            describe: "check the DR stack reports a database and a cluster",
            run: () => {
                const missing = ["dbEndpoint", "clusterName"].filter(
                    (key) => !outputs[key] || outputs[key] === "none (pilot light)",
                );
                if (missing.length > 0) {
                    return Promise.reject(
                        new Error(
                            `the DR stack has no ${missing.join(", ")} after up; check its config and run again`,
                        ),
                    );
                }
                return Promise.resolve(
                    `database ${String(outputs.dbEndpoint)}, cluster ${String(outputs.clusterName)}`,
                );
            },
        },
    ];
}
