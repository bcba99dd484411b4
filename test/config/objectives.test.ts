import * as assert from "assert";
import { parseStackConfig } from "../../config/stack-config";
import { itRejects, problemsOf, raw, RejectionCase } from "../support/raw-config";

/** Pulumi.yaml's default of webank:objectives, as written there. */
const PROJECT_OBJECTIVES =
    '{"cluster": {"rpoMinutes": 300}, "database": {"rpoMinutes": 30, "rtoMinutes": 60}, "state": {"rpoMinutes": 15, "rtoMinutes": 60}, "volumes": {"rpoMinutes": 300, "rtoMinutes": 240}}';
const fromFiles = { projectObjectives: PROJECT_OBJECTIVES };

describe("config: objectives merged over Pulumi.yaml's default", () => {
    it("keeps the default's volumes RPO when a stack overrides only the database (the README example)", () => {
        const config = parseStackConfig(
            raw({ objectives: '{"database":{"rpoMinutes":30}}' }, "primary", fromFiles),
        );
        assert.deepStrictEqual(config.objectives.volumes, { rpoMinutes: 300, rtoMinutes: 240 });
        assert.deepStrictEqual(config.objectives.state, { rpoMinutes: 15, rtoMinutes: 60 });
    });

    it("uses the default alone when the stack value is the default itself (what Pulumi passes when unset)", () => {
        const config = parseStackConfig(raw({ objectives: PROJECT_OBJECTIVES }, "primary", fromFiles));
        assert.deepStrictEqual(config.objectives.database, { rpoMinutes: 30, rtoMinutes: 60 });
        const unset = parseStackConfig(raw({ objectives: undefined }, "primary", fromFiles));
        assert.deepStrictEqual(unset.objectives, config.objectives);
    });

    const cases: RejectionCase[] = [
        {
            title: "a stack override naming an unknown class over the default",
            values: { objectives: '{"databse": {"rpoMinutes": 5}}' },
            fromFiles,
            field: "webank:objectives.databse",
            mentions: "name an asset class",
        },
        {
            title: "a stack override with an unknown field over the default",
            values: { objectives: '{"database": {"rpo": 5}}' },
            fromFiles,
            field: "webank:objectives.database.rpo",
            mentions: "be rpoMinutes or rtoMinutes",
        },
        {
            title: "a stack override with a zero RTO over the default",
            values: { objectives: '{"state": {"rtoMinutes": 0}}' },
            fromFiles,
            field: "webank:objectives.state.rtoMinutes",
            mentions: '"0"',
        },
        {
            title: "a stack volumes RPO EBS cannot meet, over the default's 60",
            values: { objectives: '{"volumes": {"rpoMinutes": 30}}' },
            fromFiles,
            field: "webank:objectives.volumes.rpoMinutes",
            mentions: "be achievable",
        },
        {
            title: "a stack-wide RPO too short for the Git mirror, with the default not overriding source",
            values: { rpoMinutes: "8" },
            fromFiles,
            field: "webank:rpoMinutes",
            mentions: "be at least 10 for source",
        },
        {
            title: "a bad class in Pulumi.yaml's default, saying it is there",
            values: { objectives: '{"database": {"rpoMinutes": 45}}' },
            fromFiles: { projectObjectives: '{"volume": {"rpoMinutes": 300}}' },
            field: "webank:objectives.volume (the default in Pulumi.yaml)",
            mentions: '"volume"',
        },
    ];
    itRejects(cases);

    it("reports a bad default once, not once as the default and once as the stack's value", () => {
        const bad =
            '{"cluster": {"rpoMinutes": 300}, "database": {"rpoMinutes": "soon"}, "volumes": {"rpoMinutes": 300}}';
        const { fields } = problemsOf({ objectives: bad }, "primary", { projectObjectives: bad });
        assert.deepStrictEqual(fields, [
            "webank:objectives.database.rpoMinutes (the default in Pulumi.yaml)",
        ]);
    });

    it("without the merge, the README example would leave volumes at the stack-wide 15 minutes, which EBS cannot meet", () => {
        // What happened before: a stack value replaced the default outright.
        const { fields } = problemsOf({ objectives: '{"database":{"rpoMinutes":30}}' });
        assert.deepStrictEqual(fields, ["webank:rpoMinutes"]);
    });
});
