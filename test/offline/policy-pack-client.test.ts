import * as assert from "assert";
import * as aws from "@pulumi/aws";
import * as path from "path";
import { OfflineRun, RecordedResource, runOffline } from "../../offline/engine";
import {
    PolicyPackInfo,
    PolicyViolation,
    reconcilePolicyPackConfig,
    ServedPolicyPack,
} from "../../offline/policy-pack-client";
import { InvalidInputError } from "../../lib/errors";

const ROOT = path.resolve(__dirname, "..", "..");
const FIXTURE_PACK = path.join(__dirname, "fixtures", "policy-pack");

/** Two buckets (one untagged) and a backup selection of the untagged one's ARN. */
function program(): Record<string, unknown> {
    const provider = new aws.Provider("home", { region: "us-east-1" });
    const untagged = new aws.s3.Bucket("untagged", { bucket: "webank-untagged" }, { provider });
    new aws.s3.Bucket("tagged", { bucket: "webank-tagged", tags: { owner: "sre", tier: "1" } }, { provider });
    new aws.backup.Selection(
        "selection",
        {
            name: "untagged",
            planId: "plan-id",
            iamRoleArn: "arn:aws:iam::123456789012:role/backup",
            resources: [untagged.arn],
        },
        { provider },
    );
    return {};
}

const run = (preview: boolean) =>
    runOffline({ project: "webank", stack: "test", config: {}, preview, program });

function urnOf(run: OfflineRun, name: string): string {
    const found = run.resources.find((r: RecordedResource) => r.name === name);
    assert.ok(found, `no resource ${name}`);
    return found.urn;
}

/** The violations of `policy`, each message without the description @pulumi/policy puts before it. */
const of = (violations: readonly PolicyViolation[], policy: string) =>
    violations
        .filter((v) => v.policy === policy)
        .map((v) => ({ ...v, message: v.message.split("\n").pop() ?? "" }));

describe("offline/policy-pack-client: a pack served as the CLI serves it", function () {
    this.timeout(180_000);
    let pack: ServedPolicyPack;
    let update: OfflineRun;
    let preview: OfflineRun;
    before(async () => {
        update = await run(false);
        preview = await run(true);
        pack = await ServedPolicyPack.start(FIXTURE_PACK, { tsconfig: path.join(ROOT, "tsconfig.json") });
    });
    after(() => pack?.stop());
    // Every test starts from the pack's defaults, as a fresh `pulumi preview` would.
    beforeEach(() => pack.configure({}));

    it("reports a resource policy's violation against the analyzed resource's URN", async () => {
        const found = of(await pack.analyze(update.resources), "fixture-bucket-tags");
        assert.deepStrictEqual(
            found.map((v) => [v.urn, v.enforcement, v.message]),
            [[urnOf(update, "untagged"), "mandatory", "must carry at least 1 tags; it has 0"]],
        );
    });

    it("sends property dependencies to AnalyzeStack, without the properties that have none", async () => {
        for (const mode of [update, preview]) {
            const found = of(await pack.analyze(mode.resources), "fixture-selection-sources");
            assert.deepStrictEqual(
                found.map((v) => [v.urn, v.message]),
                [
                    [
                        urnOf(mode, "selection"),
                        "resources from [untagged]; properties with sources [resources]",
                    ],
                ],
            );
        }
    });

    it("hands the pack a preview's unknowns as unknown: a policy reading one cannot run", async () => {
        assert.deepStrictEqual(of(await pack.analyze(update.resources), "fixture-selection-arns"), []);
        const found = of(await pack.analyze(preview.resources), "fixture-selection-arns");
        assert.strictEqual(found.length, 1);
        assert.strictEqual(found[0].urn, urnOf(preview, "selection"));
        assert.strictEqual(found[0].enforcement, "advisory");
        assert.match(
            found[0].message,
            /^can't run policy 'fixture-selection-arns' from policy pack .* during preview/,
        );
    });

    it("with analyzeOnly, runs resource policies on those resources only, stack policies on all", async () => {
        const untagged = urnOf(update, "untagged");
        const selection = urnOf(update, "selection");
        const sources = [[selection, "resources from [untagged]; properties with sources [resources]"]];

        // Outside the set: the untagged bucket's violation is not reported...
        let found = await pack.analyze(update.resources, {
            analyzeOnly: new Set([urnOf(update, "tagged"), selection]),
        });
        assert.deepStrictEqual(of(found, "fixture-bucket-tags"), []);
        // ...while the stack policy still sees every resource, the untagged bucket included.
        assert.deepStrictEqual(
            of(found, "fixture-selection-sources").map((v) => [v.urn, v.message]),
            sources,
        );

        // Inside the set: reported as without the option.
        found = await pack.analyze(update.resources, { analyzeOnly: new Set([untagged]) });
        assert.deepStrictEqual(
            of(found, "fixture-bucket-tags").map((v) => [v.urn, v.message]),
            [[untagged, "must carry at least 1 tags; it has 0"]],
        );
        assert.deepStrictEqual(
            of(found, "fixture-selection-sources").map((v) => [v.urn, v.message]),
            sources,
        );

        // An empty set sends no Analyze at all: a preview's selection, whose unknown ARN makes
        // its resource policy unrunnable, then gets no such advisory; AnalyzeStack still runs.
        found = await pack.analyze(preview.resources, { analyzeOnly: new Set() });
        assert.deepStrictEqual(
            found.map((v) => [v.policy, v.urn]),
            [["fixture-selection-sources", urnOf(preview, "selection")]],
        );
        found = await pack.analyze(preview.resources, {
            analyzeOnly: new Set([urnOf(preview, "selection")]),
        });
        assert.deepStrictEqual(
            of(found, "fixture-selection-arns").map((v) => v.urn),
            [urnOf(preview, "selection")],
        );
    });

    it("describes the pack's policies and their config schemas (GetAnalyzerInfo)", async () => {
        const info = await pack.describe();
        assert.strictEqual(info.name, "webank-fixture");
        assert.strictEqual(info.supportsConfig, true);
        assert.deepStrictEqual(
            info.policies.map((p) => [
                p.name,
                p.enforcementLevel,
                Object.keys(p.configSchema?.properties ?? {}),
            ]),
            [
                ["fixture-bucket-tags", "mandatory", ["minimumTags", "requiredTag"]],
                ["fixture-selection-arns", "advisory", []],
                ["fixture-selection-sources", "advisory", []],
            ],
        );
    });

    it("configures a threshold, and a second configure replaces the first", async () => {
        await pack.configure({ "fixture-bucket-tags": { minimumTags: 3 } });
        let found = of(await pack.analyze(update.resources), "fixture-bucket-tags");
        assert.deepStrictEqual(
            found.map((v) => [v.urn, v.message]),
            [
                [urnOf(update, "untagged"), "must carry at least 3 tags; it has 0"],
                [urnOf(update, "tagged"), "must carry at least 3 tags; it has 2"],
            ],
        );
        await pack.configure({ "fixture-bucket-tags": { minimumTags: 0 } });
        assert.deepStrictEqual(of(await pack.analyze(update.resources), "fixture-bucket-tags"), []);
        // Back to the schema default (1), as if never configured.
        await pack.configure({});
        found = of(await pack.analyze(update.resources), "fixture-bucket-tags");
        assert.deepStrictEqual(
            found.map((v) => v.urn),
            [urnOf(update, "untagged")],
        );
    });

    it("configures enforcement levels: a level alone, inside an object, and for all policies", async () => {
        await pack.configure({ "fixture-bucket-tags": "disabled" });
        assert.deepStrictEqual(of(await pack.analyze(update.resources), "fixture-bucket-tags"), []);
        await pack.configure({ "fixture-bucket-tags": { enforcementLevel: "advisory", minimumTags: 2 } });
        let found = of(await pack.analyze(update.resources), "fixture-bucket-tags");
        assert.deepStrictEqual(
            found.map((v) => [v.enforcement, v.message]),
            [["advisory", "must carry at least 2 tags; it has 0"]],
        );
        await pack.configure({ all: "disabled" });
        assert.deepStrictEqual(await pack.analyze(update.resources), []);
        await pack.configure({ all: "advisory", "fixture-bucket-tags": "mandatory" });
        found = await pack.analyze(update.resources);
        assert.deepStrictEqual([...new Set(found.map((v) => `${v.policy} ${v.enforcement}`))].sort(), [
            "fixture-bucket-tags mandatory",
            "fixture-selection-sources advisory",
        ]);
    });

    it("refuses a bad configuration, naming policy, property and value, and keeps the previous one", async () => {
        await pack.configure({ "fixture-bucket-tags": { minimumTags: 0 } });
        const refusals: [Record<string, unknown>, RegExp][] = [
            [
                { "fixture-bucket-tag": { minimumTags: 2 } },
                /fixture-bucket-tag must name a policy of the pack webank-fixture \(or be "all"\); got \{"minimumTags":2\} \(did you mean fixture-bucket-tags\?\)/,
            ],
            [
                { "fixture-bucket-tags": { minimumTag: 2 } },
                /fixture-bucket-tags\.minimumTag must be a property of the policy's configSchema \(minimumTags, requiredTag\); got 2 \(did you mean minimumTags\?\)/,
            ],
            [
                { "fixture-bucket-tags": { minimumTags: "two" } },
                /fixture-bucket-tags\.minimumTags must be an integer; got "two"/,
            ],
            [
                { "fixture-bucket-tags": { minimumTags: 11 } },
                /fixture-bucket-tags\.minimumTags must be an integer from 0 to 10; got 11/,
            ],
            [
                { "fixture-bucket-tags": { minimumTags: 2.5 } },
                /fixture-bucket-tags\.minimumTags must be an integer; got 2\.5/,
            ],
            [
                { "fixture-selection-arns": { anything: true } },
                /fixture-selection-arns\.anything must not be set: the policy has no configSchema properties; got true/,
            ],
            [
                { "fixture-bucket-tags": "strict" },
                /fixture-bucket-tags must be an enforcement level \(advisory, mandatory, remediate, disabled\) or an object; got "strict"/,
            ],
            [
                { "fixture-bucket-tags": { enforcementLevel: "warn" } },
                /fixture-bucket-tags\.enforcementLevel must be one of advisory, mandatory, remediate, disabled; got "warn"/,
            ],
        ];
        for (const [config, message] of refusals) {
            await assert.rejects(
                () => pack.configure(config as never),
                (error: unknown) => error instanceof InvalidInputError && message.test(error.message),
                JSON.stringify(config),
            );
        }
        // Still configured with minimumTags 0: no violation.
        assert.deepStrictEqual(of(await pack.analyze(update.resources), "fixture-bucket-tags"), []);
    });
});

describe("offline/policy-pack-client: reconcilePolicyPackConfig", () => {
    const info: PolicyPackInfo = {
        name: "pack",
        supportsConfig: true,
        policies: [
            {
                name: "retention",
                enforcementLevel: "mandatory",
                configSchema: {
                    properties: {
                        days: { type: "integer", default: 7, minimum: 1, maximum: 35 },
                        regions: { type: "array", items: { type: "string" } },
                    },
                    required: ["days"],
                },
            },
            { name: "plain", enforcementLevel: "advisory" },
        ],
        initialConfig: { plain: { enforcementLevel: "disabled", properties: {} } },
    };

    it("fills defaults from the schema, then the pack's initial config, then the given one", () => {
        assert.deepStrictEqual(reconcilePolicyPackConfig(info, {}), {
            retention: { enforcementLevel: "mandatory", properties: { days: 7 } },
            plain: { enforcementLevel: "disabled", properties: {} },
        });
        assert.deepStrictEqual(
            reconcilePolicyPackConfig(info, { retention: { regions: ["us-west-2"] }, plain: "advisory" }),
            {
                retention: { enforcementLevel: "mandatory", properties: { days: 7, regions: ["us-west-2"] } },
                plain: { enforcementLevel: "advisory", properties: {} },
            },
        );
    });

    it("applies an `all` level to every policy and passes it on, as the CLI does", () => {
        const result = reconcilePolicyPackConfig(info, { all: "advisory" });
        assert.deepStrictEqual(
            Object.entries(result).map(([name, c]) => [name, c.enforcementLevel]),
            [
                ["retention", "advisory"],
                ["plain", "advisory"],
                ["all", "advisory"],
            ],
        );
    });

    it("collects every problem before refusing, and does not change the caller's object", () => {
        const config = {
            retention: { days: 0, regions: ["ok", 3], enforcementLevel: "mandatory" },
            all: { x: 1 },
        };
        assert.throws(
            () => reconcilePolicyPackConfig(info, config),
            (error: unknown) =>
                error instanceof InvalidInputError &&
                /all\.x must not be set: "all" takes an enforcementLevel only; got 1/.test(error.message),
        );
        assert.throws(
            () => reconcilePolicyPackConfig(info, { retention: config.retention }),
            (error: unknown) =>
                error instanceof InvalidInputError &&
                error.problems.length === 2 &&
                /retention\.days must be an integer from 1 to 35; got 0/.test(error.message) &&
                /retention\.regions\.1 must be a string; got 3/.test(error.message),
        );
        assert.strictEqual(config.retention.enforcementLevel, "mandatory");
    });

    it("refuses config for a pack that takes none", () => {
        assert.throws(
            () => reconcilePolicyPackConfig({ ...info, supportsConfig: false }, { plain: "advisory" }),
            /pack must be a policy pack that supports config/,
        );
    });
});
