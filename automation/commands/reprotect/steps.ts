import type { StackConfig } from "../../../config/stack-config";
import { configKey } from "../../../config/keys";
import type { RecoveryPorts, StackPort } from "../../ports";
import type { Step } from "../../run/steps";
import type { FailbackSetting } from "./source";

/*
 * The steps of `reprotect`: after a failover, a cross-Region read replica of the DR database in
 * the home region, declared by the primary stack (`webank:failback`, components/database-replica.ts
 * ReplicaDatabase), so the writes the DR region takes are in two regions again, and failback has
 * a copy to promote that is seconds behind instead of a restore. Nothing is deleted; the DR
 * database and traffic are not touched.
 */

/** How long the replica may take to be available and replicating after the up, in minutes. */
export const REPLICA_AVAILABLE_MINUTES = 60;

/**
 * How long the lag may take to come within the database RPO, in minutes. A new replica starts
 * from a snapshot of the source and then replays what the source wrote meanwhile ("Working with
 * DB instance read replicas", RDS user guide: RDS takes a snapshot of the source and creates the
 * replica from it), so a busy source may take a while to catch up.
 */
export const LAG_WAIT_MINUTES = 60;

/** Milliseconds between two reads of the replica and its lag: RDS publishes ReplicaLag once a minute. */
export const REPLICA_POLL_MILLISECONDS = 60_000;

/** The CloudWatch window the lag is read over: the newest datapoint of the last 5 minutes. */
const LAG_WINDOW_MINUTES = 5;

/**
 * How many reads fit in `minutes`: the waits count reads rather than compare clocks, so they
 * end on a clock that does not move too (a simulated account whose sleeps return at once).
 */
function looksIn(minutes: number): number {
    return Math.ceil((minutes * 60_000) / REPLICA_POLL_MILLISECONDS);
}

/** The name of the step whose data holds the measured lag. */
export const WAIT_LAG_STEP = "wait-lag";

/** What the steps act on. */
export interface ReprotectTarget {
    /** The primary stack's `webank:failback` this run sets. */
    readonly setting: FailbackSetting;
    /** Identifier of the home replica (lib/naming.ts failbackDatabaseIdentifier). */
    readonly replica: string;
    /** The primary stack. */
    readonly primary: StackPort;
    /** The steps that bring the primary stack up, here or in its deploy runner, after `after`; the last one is named `upStep`. */
    readonly upSteps: (after: string) => Step[];
    /** The name of the last of {@link ReprotectTarget.upSteps}. */
    readonly upStep: string;
}

/** The steps, in order: two read-only checks, the config, the up, and the two waits. */
export function reprotectSteps(config: StackConfig, ports: RecoveryPorts, target: ReprotectTarget): Step[] {
    const { setting, replica } = target;
    const home = ports.home;
    const describeHome = `aws rds describe-db-instances --region ${home.region} --db-instance-identifier ${replica}`;
    return [
        {
            name: "preflight-source",
            after: [],
            readOnly: true,
            describe: `check the DR database ${setting.source} is available in ${ports.dr.region}`,
            run: async () => {
                const instance = await ports.dr.database.describeInstance(setting.source);
                if (instance?.status !== "available") {
                    throw new Error(
                        `the DR database ${setting.source} is ${instance ? instance.status : "not found"} in ${ports.dr.region}, not available: ` +
                            "a read replica needs an available source. Nothing was changed. Check it with: " +
                            `aws rds describe-db-instances --region ${ports.dr.region} --db-instance-identifier ${setting.source}`,
                    );
                }
                return {
                    detail: `${setting.source} is available (${instance.arn})`,
                    data: { sourceArn: instance.arn },
                };
            },
        },
        {
            name: "preflight-home",
            after: [],
            readOnly: true,
            describe: `check RDS answers in ${home.region} and ${replica} is free or already this replica`,
            run: async () => {
                const existing = await home.replica.describeReplica(replica);
                if (!existing) {
                    return `${replica} does not exist yet in ${home.region}: the up creates it`;
                }
                const source = await ports.dr.database.describeInstance(setting.source);
                if (existing.source === undefined || existing.source !== source?.arn) {
                    throw new Error(
                        `${replica} already exists in ${home.region} and is not a read replica of ${setting.source} ` +
                            `(its source: ${existing.source ?? "none, it is standalone"}); it is kept as it is. Nothing was changed. Check it with: ${describeHome}`,
                    );
                }
                return `${replica} already replicates ${setting.source} (a rerun): the up keeps it`;
            },
        },
        {
            name: "set-config",
            after: ["preflight-source", "preflight-home"],
            describe: `set ${configKey("failback")} on the primary stack: the home replica ${replica} of ${setting.source}`,
            run: async () => {
                const value = JSON.stringify(setting);
                await target.primary.setConfig({ [configKey("failback")]: value });
                return `${configKey("failback")} = ${value}`;
            },
        },
        ...target.upSteps("set-config"),
        {
            name: "wait-replica",
            after: [target.upStep],
            describe: `wait until ${replica} is available and replicating from ${setting.source}`,
            timeoutMinutes: REPLICA_AVAILABLE_MINUTES,
            run: async (context) => {
                const sourceArn = context.dataOf("preflight-source")?.sourceArn ?? "";
                for (let look = 1; ; look++) {
                    const now = await home.replica.describeReplica(replica);
                    if (now?.status === "available" && now.source === sourceArn) {
                        return `${replica} is available in ${home.region}, replicating ${sourceArn} (${now.replicationStatus ?? "status not reported"})`;
                    }
                    if (now && now.source !== sourceArn) {
                        throw new Error(
                            `${replica} is not a read replica of ${sourceArn} (its source: ${now.source ?? "none"}): check it with: ${describeHome}`,
                        );
                    }
                    if (look >= looksIn(REPLICA_AVAILABLE_MINUTES)) {
                        throw new Error(
                            `${replica} was not available after ${REPLICA_AVAILABLE_MINUTES} minutes (${now ? now.status : "not found"}); ` +
                                `check it with: ${describeHome}, then run the same command again: it resumes here`,
                        );
                    }
                    await ports.timers.sleep(REPLICA_POLL_MILLISECONDS);
                }
            },
        },
        {
            name: WAIT_LAG_STEP,
            after: ["wait-replica"],
            describe: `wait until the ReplicaLag of ${replica} is within the database RPO (${config.objectives.database.rpoMinutes} min)`,
            timeoutMinutes: LAG_WAIT_MINUTES,
            run: async () => {
                const objectiveSeconds = config.objectives.database.rpoMinutes * 60;
                let last = "no ReplicaLag datapoint yet";
                for (let look = 1; ; look++) {
                    const lag = await home.replica.replicaLag(replica, LAG_WINDOW_MINUTES);
                    // No datapoint, or RDS's -1 (replication not active), is an unknown lag, never zero.
                    if (lag && lag.seconds >= 0) {
                        last = `ReplicaLag ${lag.seconds} s at ${lag.at.toISOString()}`;
                        if (lag.seconds <= objectiveSeconds) {
                            return {
                                detail: `${replica} is ${lag.seconds} s behind ${setting.source} (${last}; objective ${objectiveSeconds} s)`,
                                data: { lagSeconds: String(lag.seconds), at: lag.at.toISOString() },
                            };
                        }
                    } else if (lag) {
                        last = `ReplicaLag ${lag.seconds} (replication not active) at ${lag.at.toISOString()}`;
                    }
                    if (look >= looksIn(LAG_WAIT_MINUTES)) {
                        throw new Error(
                            `${replica} is not within the database RPO of ${config.objectives.database.rpoMinutes} min after ${LAG_WAIT_MINUTES} minutes ` +
                                `(${last}); check its ReplicaLag in CloudWatch (AWS/RDS, DBInstanceIdentifier ${replica}) and ${describeHome}, ` +
                                "then run the same command again: it resumes here",
                        );
                    }
                    await ports.timers.sleep(REPLICA_POLL_MILLISECONDS);
                }
            },
        },
    ];
}
