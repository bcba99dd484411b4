import * as assert from "assert";
import { parseStackConfig } from "../config/stack-config";
import { RejectionCase, itRejects, problemsOf, raw } from "./support/raw-config";
import { TAG_KEYS } from "../lib/tags";
import { objectivesOf } from "./support/objectives";

describe("config", () => {
    it("parses a valid primary config with the safe defaults", () => {
        const config = parseStackConfig(raw({}));
        assert.strictEqual(config.role, "primary");
        assert.strictEqual(config.stackRegion, "us-east-1");
        assert.strictEqual(config.prefix, "webank");
        assert.strictEqual(config.retention.pitrDays, 35);
        assert.strictEqual(config.retention.noncurrentVersionDays, 90);
        assert.deepStrictEqual(config.objectives.database, { rpoMinutes: 30, rtoMinutes: 240 });
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
                    '{"cluster": {"rpoMinutes": 300}, "database": {"rpoMinutes": 45}, "state": {"rtoMinutes": 30}, "volumes": {"rpoMinutes": 300}}',
            }),
        );
        assert.deepStrictEqual(config.objectives.database, { rpoMinutes: 45, rtoMinutes: 240 });
        assert.deepStrictEqual(config.objectives.state, { rpoMinutes: 15, rtoMinutes: 30 });
        assert.deepStrictEqual(config.objectives.cluster, { rpoMinutes: 300, rtoMinutes: 240 });
        assert.deepStrictEqual(config.objectives.gitops, { rpoMinutes: 15, rtoMinutes: 240 });
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
            title: "a DR region the AWS SDK does not list (it only looks like one)",
            values: { drRegion: "us-east-9" },
            field: "webank:drRegion",
            mentions: '"us-east-9"',
        },
        {
            title: "the aws-global pseudo-region as home region",
            values: { homeRegion: "aws-global" },
            field: "webank:homeRegion",
            mentions:
                'not a pseudo-region (the SDK\'s <partition>-global names sign global endpoints; nothing is stored there); got "aws-global"',
        },
        {
            title: "the aws-us-gov-global pseudo-region as DR region",
            values: { homeRegion: "us-gov-west-1", drRegion: "aws-us-gov-global" },
            field: "webank:drRegion",
            mentions: "pseudo-region",
        },
        {
            title: "a GovCloud home region with a commercial DR region",
            values: { homeRegion: "us-gov-west-1", drRegion: "us-west-2" },
            field: "webank:drRegion",
            mentions:
                '("us-gov-west-1", partition aws-us-gov) so that replication can reach it, not in partition aws; got "us-west-2"',
        },
        {
            title: "a China home region with a commercial DR region",
            values: { homeRegion: "cn-north-1", drRegion: "us-west-2" },
            field: "webank:drRegion",
            mentions: "partition aws-cn",
        },
        {
            title: "an Argo CD HA mode that is not auto, on or off",
            values: { argocdHighAvailability: "yes" },
            field: "webank:argocdHighAvailability",
            mentions: '"yes"',
        },
        {
            title: "an Argo CD HA mode in the wrong case",
            values: { argocdHighAvailability: "ON" },
            field: "webank:argocdHighAvailability",
            mentions: '"ON"',
        },
        {
            title: "a typo of the Argo CD HA key",
            values: { argocdHighAvailablity: "on" },
            field: "webank:argocdHighAvailablity",
            mentions: "did you mean webank:argocdHighAvailability?",
        },
        {
            title: "role primary on the stack named dr",
            values: { role: "primary" },
            stack: "dr",
            field: "webank:role",
            mentions: "must be dr on the stack named dr",
        },
        {
            title: "role dr on the stack named primary",
            values: { role: "dr" },
            stack: "primary",
            field: "webank:role",
            mentions: "must be primary on the stack named primary",
        },
        {
            title: "role primary on a drill stack",
            values: { role: "primary" },
            stack: "dr-drill-d2611250300",
            field: "webank:role",
            mentions: "must be dr on a drill stack",
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
            values: { objectives: '{"volumes": {"rpoMinutes": 300}, "gitops": {"rpoMinutes": 8}}' },
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
        // A typo must not pass for direct: the failover only trusts the exact value.
        ...["Direct", "direkt", "runners", ""].map((value) => ({
            title: `webank:kubernetesAccess ${JSON.stringify(value)}`,
            values: { kubernetesAccess: value },
            field: "webank:kubernetesAccess",
            mentions: JSON.stringify(value),
        })),
        // The mirror refuses a partial ARN later, inside the program; the config check says it first.
        ...[
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:github/mirror",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:github/mirror-AbCdE",
            "arn:aws:secretsmanager:us-east-1:12345678901:secret:github/mirror-AbCdEf",
            "arn:aws:ssm:us-east-1:123456789012:parameter/github/mirror-AbCdEf",
        ].map((arn) => ({
            title: `a token secret ARN that is not a complete Secrets Manager ARN (${arn})`,
            values: { githubTokenSecretArn: arn },
            field: "webank:githubTokenSecretArn",
            mentions: arn,
        })),
    ];
    itRejects(cases);

    it("accepts a complete Secrets Manager ARN as the mirror's token secret", () => {
        const arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:github/mirror-AbCdEf";
        const config = parseStackConfig(raw({ githubTokenSecretArn: arn }, "primary"));
        assert.strictEqual(config.platform.mirror.tokenSecretArn, arn);
    });

    it("accepts region pairs AWS lists in one partition, not only the usual ones", () => {
        for (const [homeRegion, drRegion] of [
            ["mx-central-1", "ca-central-1"],
            ["ap-southeast-5", "ap-southeast-1"],
        ]) {
            const config = parseStackConfig(raw({ homeRegion, drRegion }));
            assert.deepStrictEqual([config.homeRegion, config.drRegion], [homeRegion, drRegion]);
        }
    });

    it("suggests the nearest known key for a typo, instead of listing every key", () => {
        const { fields, message } = problemsOf({ drRegoin: "us-west-2" });
        assert.deepStrictEqual(fields, ["webank:drRegoin"]);
        assert.match(
            message,
            /^ {2}- webank:drRegoin must be one of the known keys; got "drRegoin" \(did you mean webank:drRegion\?\)$/m,
        );
        // Case is not a typo worth a list either.
        assert.match(problemsOf({ DRREGION: "x" }).message, /\(did you mean webank:drRegion\?\)$/m);
    });

    it("lists the known keys when no key is near the unknown one", () => {
        const { message } = problemsOf({ colour: "blue" });
        assert.match(
            message,
            /webank:colour must be one of the known keys declared in Pulumi.yaml \(role, homeRegion, drRegion, /,
        );
        assert.doesNotMatch(message, /did you mean/);
    });

    it("takes role dr from a drill stack's name, and keeps today's rule for other names", () => {
        assert.strictEqual(parseStackConfig(raw({ role: undefined }, "dr-drill-d2611250300")).role, "dr");
        assert.strictEqual(parseStackConfig(raw({ role: "dr" }, "dr-east")).role, "dr");
        assert.strictEqual(parseStackConfig(raw({ role: "primary" }, "sandbox")).role, "primary");
    });

    it("merges the stack's objectives over Pulumi.yaml's default, field by field", () => {
        const projectObjectives =
            '{"cluster": {"rpoMinutes": 300}, "database": {"rpoMinutes": 30, "rtoMinutes": 60}, "state": {"rpoMinutes": 15, "rtoMinutes": 60}, "volumes": {"rpoMinutes": 300, "rtoMinutes": 240}}';
        // The README's example: the program receives the stack's value alone.
        const config = parseStackConfig(
            raw({ objectives: '{"database":{"rpoMinutes":30}}' }, "primary", { projectObjectives }),
        );
        assert.deepStrictEqual(
            config.objectives,
            objectivesOf(
                { rpoMinutes: 15, rtoMinutes: 240 },
                {
                    database: { rpoMinutes: 30, rtoMinutes: 60 },
                    state: { rpoMinutes: 15, rtoMinutes: 60 },
                    volumes: { rpoMinutes: 300, rtoMinutes: 240 },
                    cluster: { rpoMinutes: 300, rtoMinutes: 240 },
                },
            ),
        );
        const tighter = parseStackConfig(
            raw({ objectives: '{"database":{"rtoMinutes":30}}' }, "primary", { projectObjectives }),
        );
        assert.deepStrictEqual(tighter.objectives.database, { rpoMinutes: 30, rtoMinutes: 30 });
    });

    it("refuses objectives that differ from the counterpart stack's, naming the key and both values", () => {
        const counterpart = {
            stack: "dr",
            file: "Pulumi.dr.yaml",
            // What VALID resolves to.
            objectives: objectivesOf(
                { rpoMinutes: 15, rtoMinutes: 240 },
                {
                    database: { rpoMinutes: 30, rtoMinutes: 240 },
                    volumes: { rpoMinutes: 300, rtoMinutes: 240 },
                    cluster: { rpoMinutes: 300, rtoMinutes: 240 },
                },
            ),
        };
        assert.strictEqual(parseStackConfig(raw({}, "primary", { counterpart })).role, "primary");
        const { fields, message } = problemsOf({ rtoMinutes: "120" }, "primary", { counterpart });
        assert.deepStrictEqual(fields, ["webank:rtoMinutes"]);
        assert.match(
            message,
            /webank:rtoMinutes must equal the dr stack's objectives in Pulumi.dr.yaml \(there: cluster RTO 240, gitops RTO 240, database RTO 240, volumes RTO 240, charts RTO 240, state RTO 240, source RTO 240 minutes\): primary's objectives make the backups and dr's judge them, so both stacks must hold the same ones; got 120$/m,
        );
        const override = problemsOf(
            {
                objectives:
                    '{"cluster": {"rpoMinutes": 300}, "database": {"rpoMinutes": 30}, "volumes": {"rpoMinutes": 360}}',
            },
            "primary",
            {
                counterpart,
            },
        );
        assert.deepStrictEqual(override.fields, ["webank:objectives.volumes.rpoMinutes"]);
        assert.match(override.message, /\(there: volumes RPO 300 minutes\).*; got 360$/m);
    });

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
