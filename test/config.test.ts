import * as assert from "assert";
import { parseStackConfig } from "../config";
import { RejectionCase, itRejects, problemsOf, raw } from "./support/raw-config";
import { TAG_KEYS } from "../lib/tags";

describe("config", () => {
    it("parses a valid primary config with the safe defaults", () => {
        const config = parseStackConfig(raw({}));
        assert.strictEqual(config.role, "primary");
        assert.strictEqual(config.stackRegion, "us-east-1");
        assert.strictEqual(config.prefix, "webank");
        assert.strictEqual(config.retention.pitrDays, 35);
        assert.strictEqual(config.retention.noncurrentVersionDays, 90);
        assert.deepStrictEqual(config.objectives.database, { rpoMinutes: 15, rtoMinutes: 240 });
        assert.strictEqual(config.tags[TAG_KEYS.role], "primary");
    });

    it("puts the dr stack in the DR region", () => {
        const config = parseStackConfig(raw({ role: "dr" }, "dr"));
        assert.strictEqual(config.stackRegion, "us-west-2");
    });

    it("takes the role from the stack name when webank:role is not set", () => {
        assert.strictEqual(parseStackConfig(raw({ role: undefined }, "dr")).role, "dr");
    });

    it("applies per-asset-class objective overrides", () => {
        const config = parseStackConfig(
            raw({
                objectives:
                    '{"database": {"rpoMinutes": 5}, "state": {"rtoMinutes": 30}, "volumes": {"rpoMinutes": 60}}',
            }),
        );
        assert.deepStrictEqual(config.objectives.database, { rpoMinutes: 5, rtoMinutes: 240 });
        assert.deepStrictEqual(config.objectives.state, { rpoMinutes: 15, rtoMinutes: 30 });
        assert.deepStrictEqual(config.objectives.cluster, { rpoMinutes: 15, rtoMinutes: 240 });
    });

    it("adds user tags next to the project's own", () => {
        const config = parseStackConfig(raw({ tags: '{"cost-center": "platform"}' }));
        assert.strictEqual(config.tags["cost-center"], "platform");
        assert.strictEqual(config.tags[TAG_KEYS.managedBy], "pulumi");
    });

    const cases: RejectionCase[] = [
        {
            title: "a DR region equal to the home region",
            values: { drRegion: "us-east-1" },
            field: "webank:drRegion",
            mentions: '"us-east-1"',
        },
        {
            title: "a malformed home region",
            values: { homeRegion: "us-east" },
            field: "webank:homeRegion",
            mentions: '"us-east"',
        },
        {
            title: "a malformed DR region",
            values: { drRegion: "US_WEST_2" },
            field: "webank:drRegion",
            mentions: '"US_WEST_2"',
        },
        {
            title: "regions in different partitions",
            values: { drRegion: "us-gov-west-1" },
            field: "webank:drRegion",
            mentions: "partition",
        },
        {
            title: "an unknown role",
            values: { role: "staging" },
            field: "webank:role",
            mentions: '"staging"',
        },
        {
            title: "an unknown role from the stack name",
            values: { role: undefined },
            stack: "staging",
            field: "webank:role (taken from the stack name)",
            mentions: '"staging"',
        },
        {
            title: "a non-numeric RPO",
            values: { rpoMinutes: "fifteen" },
            field: "webank:rpoMinutes",
            mentions: '"fifteen"',
        },
        { title: "a zero RPO", values: { rpoMinutes: "0" }, field: "webank:rpoMinutes", mentions: '"0"' },
        {
            title: "a negative RTO",
            values: { rtoMinutes: "-5" },
            field: "webank:rtoMinutes",
            mentions: '"-5"',
        },
        {
            title: "a fractional RTO",
            values: { rtoMinutes: "1.5" },
            field: "webank:rtoMinutes",
            mentions: '"1.5"',
        },
        {
            title: "a PITR retention of 0 days",
            values: { pitrRetentionDays: "0" },
            field: "webank:pitrRetentionDays",
            mentions: "from 1 to 35",
        },
        {
            title: "a PITR retention of 36 days",
            values: { pitrRetentionDays: "36" },
            field: "webank:pitrRetentionDays",
            mentions: '"36"',
        },
        {
            title: "a non-numeric noncurrent-version retention",
            values: { noncurrentVersionRetentionDays: "forever" },
            field: "webank:noncurrentVersionRetentionDays",
            mentions: '"forever"',
        },
        {
            title: "a missing home region",
            values: { homeRegion: undefined },
            field: "webank:homeRegion",
            mentions: "required",
        },
        {
            title: "a missing DR region",
            values: { drRegion: undefined },
            field: "webank:drRegion",
            mentions: "required",
        },
        {
            title: "a missing RPO",
            values: { rpoMinutes: undefined },
            field: "webank:rpoMinutes",
            mentions: "required",
        },
        {
            title: "a missing RTO",
            values: { rtoMinutes: undefined },
            field: "webank:rtoMinutes",
            mentions: "required",
        },
        {
            title: "an unknown key (a typo)",
            values: { rpoMinute: "5" },
            field: "webank:rpoMinute",
            mentions: "known keys",
        },
        {
            title: "an objectives override for an unknown asset class",
            values: { objectives: '{"databse": {"rpoMinutes": 5}}' },
            field: "webank:objectives.databse",
            mentions: "asset class",
        },
        {
            title: "an objectives override with a non-positive RPO",
            values: { objectives: '{"database": {"rpoMinutes": 0}}' },
            field: "webank:objectives.database.rpoMinutes",
            mentions: '"0"',
        },
        {
            title: "a gitops RPO too short for a scheduled export",
            values: { objectives: '{"volumes": {"rpoMinutes": 60}, "gitops": {"rpoMinutes": 8}}' },
            field: "webank:objectives.gitops.rpoMinutes",
            mentions: "be at least 10 for gitops",
        },
        {
            title: "objectives that are not JSON",
            values: { objectives: "database=5" },
            field: "webank:objectives",
            mentions: "JSON object",
        },
        {
            title: "a tag with a reserved key",
            values: { tags: '{"aws:owner": "me"}' },
            field: "webank:tags.aws:owner",
            mentions: "aws:",
        },
        {
            title: "an invalid naming prefix",
            values: { prefix: "WeBank_" },
            field: "webank:prefix",
            mentions: '"WeBank_"',
        },
    ];
    itRejects(cases);

    it("reports every bad key at once", () => {
        const { fields } = problemsOf({
            drRegion: "us-east-1",
            rpoMinutes: "x",
            pitrRetentionDays: "99",
            role: "qa",
        });
        assert.deepStrictEqual([...fields].sort(), [
            "webank:drRegion",
            "webank:pitrRetentionDays",
            "webank:role",
            "webank:rpoMinutes",
        ]);
    });
});
