import type { StackConfig } from "../../../config/stack-config";
import { configKey } from "../../../config/keys";
import {
    failbackDatabaseIdentifier,
    replicaDatabaseIdentifier,
    restoredDatabaseIdentifier,
} from "../../../lib/naming";
import type { RecoveryPorts, StackPort } from "../../ports";
import { problem, Refusal } from "../../run/refusal";

/*
 * What re-protection reads before it changes anything: the failover it follows (the lock's
 * holder), the DR database that failover made the serving one, and the generation of the home
 * replica. Every refusal here exits before the journal is written.
 */

/** The primary stack's `webank:failback` value: the home replica's generation and its source. */
export interface FailbackSetting {
    /** Generation of the home replica (lib/naming.ts failbackDatabaseIdentifier). */
    readonly generation: number;
    /** RDS identifier of the DR database it replicates. */
    readonly source: string;
}

/** The operation name of the failover runs whose lock re-protection follows (runner run ids start with it). */
const FAILOVER_OPERATION = "failover";

/** Generations tried when looking for the first free home replica name; far above any real count. */
const MAX_GENERATIONS = 100;

/** The failover run that holds the lock; refuses when none does. */
export async function failoverHolder(ports: RecoveryPorts): Promise<{ owner: string; since: string }> {
    const holder = await ports.lock.holder();
    if (!holder) {
        throw new Refusal(
            "no failover holds the failover lock: re-protection follows a failover (npm run dr -- failover), " +
                "and with the lock free the home region is the one serving. Nothing was changed. Check with: npm run dr -- lock status",
            1,
        );
    }
    if (!holder.owner.startsWith(`${FAILOVER_OPERATION}-`)) {
        throw new Refusal(
            `the failover lock is held by ${holder.owner} (since ${holder.since}), which is not a failover run: ` +
                "re-protection follows a failover. Nothing was changed. Check with: npm run dr -- lock status",
            1,
        );
    }
    return holder;
}

/**
 * The DR database the failover left serving, as the dr stack's config declares it: the promoted
 * replica in hot, else the restore of `webank:restore`'s generation. Refuses when dr is not
 * activated (nothing failed over) or its restore config cannot be read.
 */
export async function drDatabaseOf(config: StackConfig, dr: StackPort): Promise<string> {
    const activated = await dr.getConfig(configKey("activated"));
    if (activated !== "true") {
        throw new Refusal(
            `the dr stack is not activated (${configKey("activated")} is ${activated ?? "not set"}): no failover made ` +
                `the DR region serve, so there is nothing to re-protect. Nothing was changed. Check with: pulumi config get ${configKey("activated")} -s dr`,
            1,
        );
    }
    if (config.dr.posture === "hot") {
        return replicaDatabaseIdentifier(config.prefix);
    }
    const raw = await dr.getConfig(configKey("restore"));
    let generation: unknown;
    try {
        generation = (JSON.parse(raw ?? "") as { generation?: unknown }).generation ?? 1;
    } catch {
        generation = undefined;
    }
    if (!Number.isSafeInteger(generation) || (generation as number) < 1) {
        throw new Refusal(
            problem(
                `${configKey("restore")} of the dr stack`,
                "be the JSON object the failover set, with a whole generation of at least 1: it names the DR database",
                raw ?? "not set",
            ) + ". Nothing was changed",
            1,
        );
    }
    return restoredDatabaseIdentifier(config.prefix, generation as number);
}

/**
 * The generation of the home replica: the one the primary stack's `webank:failback` already
 * names for this source (a rerun or a resume), else the first whose name is free in the home
 * region, so a replica of an earlier failback is never reused. Refuses when the key names
 * another source: that re-protection must be finished or undone by a person first.
 */
export async function failbackGeneration(
    config: StackConfig,
    ports: RecoveryPorts,
    primary: StackPort,
    source: string,
): Promise<number> {
    const key = configKey("failback");
    const raw = await primary.getConfig(key);
    if (raw !== undefined) {
        const setting = parseSetting(raw);
        if (setting?.source !== source) {
            throw new Refusal(
                `the primary stack's ${key} is ${raw}, which does not re-protect the DR database ${source}: an earlier ` +
                    `re-protection of another database was never finished. Check it (pulumi config get ${key} -s primary) and the ` +
                    `instance it names in ${config.homeRegion}; remove the key only once that replica is no longer needed. Nothing was changed`,
                1,
            );
        }
        return setting.generation;
    }
    for (let generation = 1; generation <= MAX_GENERATIONS; generation++) {
        const identifier = failbackDatabaseIdentifier(config.prefix, generation);
        if (!(await ports.home.database.describeInstance(identifier))) {
            return generation;
        }
    }
    throw new Refusal(
        `every home replica name up to ${failbackDatabaseIdentifier(config.prefix, MAX_GENERATIONS)} is taken in ${config.homeRegion}; ` +
            "nothing was changed. Check the instances there with: aws rds describe-db-instances --region " +
            config.homeRegion,
        1,
    );
}

/** `webank:failback`'s JSON, or undefined when it is not the shape re-protection writes. */
export function parseSetting(raw: string): FailbackSetting | undefined {
    try {
        const value = JSON.parse(raw) as Partial<FailbackSetting>;
        return typeof value.source === "string" && Number.isSafeInteger(value.generation)
            ? { generation: value.generation!, source: value.source }
            : undefined;
    } catch {
        return undefined;
    }
}
