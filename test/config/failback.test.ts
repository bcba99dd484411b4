import * as assert from "assert";
import { parseStackConfig } from "../../config/stack-config";
import { MAX_FAILBACK_GENERATION } from "../../config/failback";
import { replicaDatabaseIdentifier, restoredDatabaseIdentifier } from "../../lib/naming";
import { itRejects, problemsOf, raw } from "../support/raw-config";

/** `webank:failback` as the reprotect command sets it, with `fields` over a valid value. */
function failback(fields: Record<string, unknown> = {}): string {
    return JSON.stringify({ generation: 1, source: restoredDatabaseIdentifier("webank", 1), ...fields });
}

describe("config: webank:failback (the primary stack's home-region replica of the DR database)", () => {
    it("is absent by default: no failback replica", () => {
        const config = parseStackConfig(raw({}));
        assert.strictEqual(config.failback, undefined);
        assert.ok(!("failback" in config), "no key at all, not a key set to undefined");
    });

    it("parses the generation and a restored DR database of this prefix", () => {
        assert.deepStrictEqual(parseStackConfig(raw({ failback: failback() })).failback, {
            generation: 1,
            source: "webank-db-dr-1",
        });
        assert.deepStrictEqual(
            parseStackConfig(raw({ failback: failback({ generation: 2, source: "webank-db-dr-17" }) }))
                .failback,
            { generation: 2, source: "webank-db-dr-17" },
        );
    });

    it("accepts the hot posture's promoted replica, and another prefix's own DR database", () => {
        const hot = replicaDatabaseIdentifier("webank");
        assert.strictEqual(
            parseStackConfig(raw({ failback: failback({ source: hot }) })).failback?.source,
            hot,
        );
        const bank2 = parseStackConfig(
            raw({ prefix: "bank2", failback: failback({ source: restoredDatabaseIdentifier("bank2", 3) }) }),
        );
        assert.deepStrictEqual(bank2.failback, { generation: 1, source: "bank2-db-dr-3" });
    });

    it("accepts the largest generation and refuses the next", () => {
        const largest = failback({ generation: MAX_FAILBACK_GENERATION });
        assert.strictEqual(parseStackConfig(raw({ failback: largest })).failback?.generation, 999);
        const { fields } = problemsOf({ failback: failback({ generation: MAX_FAILBACK_GENERATION + 1 }) });
        assert.deepStrictEqual(fields, ["webank:failback.generation"]);
    });

    it("reports every bad field of one value at once", () => {
        const { fields } = problemsOf({
            failback: JSON.stringify({ generaton: 1, source: "webank-db" }),
        });
        assert.deepStrictEqual(fields, [
            "webank:failback.generaton",
            "webank:failback.generation",
            "webank:failback.source",
        ]);
    });

    itRejects([
        {
            title: "failback set on the dr stack",
            values: { role: "dr", failback: failback() },
            stack: "dr",
            field: "webank:failback",
            mentions: "be set only on the primary stack",
        },
        {
            title: "failback set on a drill's stack (role dr)",
            values: { role: "dr", failback: failback() },
            stack: "dr-drill-d1234",
            field: "webank:failback",
            mentions: '"{\\"generation\\":1',
        },
        {
            title: "a value that is not JSON",
            values: { failback: "generation=1" },
            field: "webank:failback",
            mentions: '"generation=1"',
        },
        {
            title: "a JSON array",
            values: { failback: "[1]" },
            field: "webank:failback",
            mentions: "be a JSON object",
        },
        {
            title: "a misspelt field (generaton)",
            values: { failback: JSON.stringify({ generaton: 1, source: "webank-db-dr-1" }) },
            field: "webank:failback.generaton",
            mentions: "be one of the fields of webank:failback (generation, source)",
        },
        {
            title: "an unknown field beside valid ones",
            values: { failback: failback({ region: "us-east-1" }) },
            field: "webank:failback.region",
            mentions: '"us-east-1"',
        },
        ...[0, -1, 1.5].map((generation) => ({
            title: `generation ${generation}`,
            values: { failback: failback({ generation }) },
            field: "webank:failback.generation",
            mentions: `be a whole number from 1 to ${MAX_FAILBACK_GENERATION}`,
        })),
        {
            title: 'generation "1", a string',
            values: { failback: failback({ generation: "1" }) },
            field: "webank:failback.generation",
            mentions:
                '(a JSON number, not a string; required): it names the replica webank-db-home-1, webank-db-home-2, ...; got "1"',
        },
        {
            title: "no generation",
            values: { failback: JSON.stringify({ source: "webank-db-dr-1" }) },
            field: "webank:failback.generation",
            mentions: "got nothing",
        },
        {
            title: "no source",
            values: { failback: JSON.stringify({ generation: 1 }) },
            field: "webank:failback.source",
            mentions: "be an RDS DB instance identifier",
        },
        ...[
            "Webank-db-dr-1",
            "webank--db-dr-1",
            "webank-db-dr-1-",
            "1webank-db-dr-1",
            "webank_db_dr_1",
            "",
        ].map((source) => ({
            title: `the source ${JSON.stringify(source)}, not an RDS identifier`,
            values: { failback: failback({ source }) },
            field: "webank:failback.source",
            mentions: `be an RDS DB instance identifier (1–63 lowercase letters, digits and single hyphens, starting with a letter; required): the DR database, e.g. webank-db-dr-1 (restored, pilot or warm) or webank-db-replica (promoted, hot); got ${JSON.stringify(source)}`,
        })),
        {
            title: "a source of 64 characters",
            values: { failback: failback({ source: `webank-db-dr-1${"x".repeat(50)}` }) },
            field: "webank:failback.source",
            mentions: "be an RDS DB instance identifier",
        },
        {
            title: "the source as a number",
            values: { failback: failback({ source: 1 }) },
            field: "webank:failback.source",
            mentions: "got 1",
        },
        ...[
            ["webank-db", "the home primary itself"],
            ["bank2-db-dr-1", "another prefix's restored database"],
            ["bank2-db-replica", "another prefix's hot replica"],
            ["webank-db-home-1", "a failback replica, not the DR database"],
            ["webank-db-dr-0", "a restore generation no restore makes (0)"],
            ["webank-db-dr-01", "a generation with a leading zero"],
            ["webank-db-dr-1000", "a restore generation beyond 999"],
            ["webank-db-dr", "a restored name without a generation"],
            ["webank-drill-d1234-db-dr-1", "a drill's disposable copy"],
        ].map(([source, what]) => ({
            title: `the source ${source} (${what})`,
            values: { failback: failback({ source }) },
            field: "webank:failback.source",
            mentions: `name one of this prefix's DR databases, webank-db-dr-1 (restored, pilot or warm) or webank-db-replica (promoted, hot): the home region replicates the database the failover made in the DR region, not another; got "${source}"`,
        })),
    ]);
});
