import { ProblemCollector } from "../lib/errors";
import {
    failbackDatabaseIdentifier,
    replicaDatabaseIdentifier,
    restoredDatabaseIdentifier,
} from "../lib/naming";
import { configKey, RawStackConfig } from "./keys";
import type { StackRole } from "./role";
import { jsonObject } from "./values";

/*
 * `webank:failback`, the primary stack's key for re-protection, the first phase of failback:
 * after a failover the DR region's database holds every write and nothing protects it in another
 * region, so the primary stack declares a cross-Region read replica of it in the home region
 * (stacks/primary-failback.ts). The `reprotect` recovery command (automation/) is to set it.
 */

/** The fields of `webank:failback`; any other is refused (a typo would otherwise be ignored). */
const FAILBACK_FIELDS = ["generation", "source"] as const;

/**
 * The largest failback generation: the same bound as a restore's generation (lib/restore-spec.ts),
 * which keeps `<prefix>-db-home-<generation>` well inside RDS's 63 characters.
 */
export const MAX_FAILBACK_GENERATION = 999;

/** What `webank:failback` asks of the primary stack: a home-region replica of the DR database. */
export interface FailbackSettings {
    /**
     * `webank:failback.generation`: part of the replica's identifier (lib/naming.ts
     * failbackDatabaseIdentifier, `<prefix>-db-home-<generation>`), so a second failback never
     * meets the replica of the first. A whole number from 1 to {@link MAX_FAILBACK_GENERATION}; required.
     */
    readonly generation: number;
    /**
     * `webank:failback.source`: RDS identifier of the DR database to replicate, one of this
     * prefix's: a restored `<prefix>-db-dr-<n>` (pilot, warm) or the promoted `<prefix>-db-replica`
     * (hot); required. Never the home primary, nor another prefix's database.
     */
    readonly source: string;
}

/**
 * Parses `webank:failback` (a JSON object, see {@link FailbackSettings}); unset, `undefined`: no
 * failback replica, the default. Set on a dr stack (drills included), it is refused: the replica
 * lives in the home region, which only the primary stack declares into.
 */
export function parseFailback(
    raw: RawStackConfig,
    problems: ProblemCollector,
    role: StackRole | undefined,
    prefix: string,
): FailbackSettings | undefined {
    const key = configKey("failback");
    if (role === "dr" && raw.get("failback") !== undefined) {
        problems.add(
            key,
            "be set only on the primary stack (the failback replica is in the home region, which the dr stack does not declare into)",
            raw.get("failback"),
        );
        return undefined;
    }
    const value = jsonObject(problems, key, raw.get("failback"));
    if (!value) {
        return undefined;
    }
    const before = problems.count;
    for (const field of Object.keys(value)) {
        if (!(FAILBACK_FIELDS as readonly string[]).includes(field)) {
            problems.add(
                `${key}.${field}`,
                `be one of the fields of ${key} (${FAILBACK_FIELDS.join(", ")})`,
                value[field],
            );
        }
    }
    const generation = value.generation;
    if (
        typeof generation !== "number" ||
        !Number.isInteger(generation) ||
        generation < 1 ||
        generation > MAX_FAILBACK_GENERATION
    ) {
        problems.add(
            `${key}.generation`,
            `be a whole number from 1 to ${MAX_FAILBACK_GENERATION} (a JSON number, not a string; required): it names the replica ${failbackDatabaseIdentifier(prefix, 1)}, ${failbackDatabaseIdentifier(prefix, 2)}, ...`,
            generation,
        );
    }
    const source = value.source;
    const requirement = sourceProblem(prefix, source);
    if (requirement) {
        problems.add(`${key}.source`, requirement, source);
    }
    if (problems.count !== before) {
        return undefined;
    }
    return { generation: generation as number, source: source as string };
}

/**
 * What is wrong with `source` as the DR database of `prefix`, or `undefined` when it is one:
 * an RDS identifier (1–63 lowercase letters, digits and single hyphens, starting with a letter:
 * RDS user guide, "Naming constraints in Amazon RDS", DB instance identifier) that is this
 * prefix's restored database (restoredDatabaseIdentifier, some generation) or its hot replica.
 */
function sourceProblem(prefix: string, source: unknown): string | undefined {
    const hot = replicaDatabaseIdentifier(prefix);
    const example = `${restoredDatabaseIdentifier(prefix, 1)} (restored, pilot or warm) or ${hot} (promoted, hot)`;
    if (typeof source !== "string" || !/^[a-z][a-z0-9-]{0,62}$/.test(source) || /--|-$/.test(source)) {
        return `be an RDS DB instance identifier (1–63 lowercase letters, digits and single hyphens, starting with a letter; required): the DR database, e.g. ${example}`;
    }
    if (source === hot || isRestoredIdentifier(prefix, source)) {
        return undefined;
    }
    return `name one of this prefix's DR databases, ${example}: the home region replicates the database the failover made in the DR region, not another`;
}

/** Whether `identifier` is restoredDatabaseIdentifier(prefix, n) for a generation n a restore accepts (1–999). */
function isRestoredIdentifier(prefix: string, identifier: string): boolean {
    const generation = /-([1-9]\d{0,2})$/.exec(identifier)?.[1];
    return generation !== undefined && restoredDatabaseIdentifier(prefix, Number(generation)) === identifier;
}
