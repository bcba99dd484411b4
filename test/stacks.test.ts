import * as assert from "assert";
import { InvalidInputError } from "../lib/errors";
import { OfflineRun, OfflineRunError } from "../offline/engine";
import { alertTopicName, mirrorProjectName } from "../lib/naming";
import { TRAFFIC_SKIPPED } from "../stacks/platform";
import { inputsOf, named, ofType, runStack } from "./support/offline";

const ZONE = {
    "webank:dnsZoneId": "Z0123456789ABCDEFGHIJ",
    "webank:dnsRecordName": "app.webank.example",
    "webank:primaryEndpoint": "primary-alb.us-east-1.elb.amazonaws.com",
};
/** The mirror project's resource name (SourceMirror names its project `<name>-project`). */
const MIRROR_PROJECT = `${mirrorProjectName("webank")}-project`;
const ACTIVATE = { "webank:activated": "true", "webank:restore": '{"source": "pitr", "time": "latest"}' };

describe("stacks: platform wiring", () => {
    let primary: OfflineRun;
    before(async () => {
        primary = await runStack("primary");
    });

    it("backs up the GitHub repository from outside the cluster, with a token only in Secrets Manager", () => {
        // By name: the deploy runner is a CodeBuild project too, and registration order is not a contract.
        const project = named(primary, "aws:codebuild/project:Project", MIRROR_PROJECT);
        assert.strictEqual(project.region, "us-east-1");
        const secret = named(primary, "aws:secretsmanager/secret:Secret", "webank-github-mirror-token");
        assert.strictEqual(inputsOf(secret).name, "webank/github-mirror-token");
        assert.strictEqual(inputsOf(secret).secretString, undefined, "the value is never in state");
        const token = inputsOf(project).environment.environmentVariables.find(
            (v: { name: string }) => v.name === "GITHUB_TOKEN",
        );
        assert.strictEqual(token.type, "SECRETS_MANAGER");
        assert.strictEqual(primary.outputs.mirrorSchedule, "rate(5 minutes)", "source RPO 15 minutes");
        assert.strictEqual(primary.outputs.mirrorBundlePrefix, "git-bundles/webank/platform/");
    });

    it("names the alert topics physically, so recovery commands can notify without any state", () => {
        const topics = ofType(primary, "aws:sns/topic:Topic").map((t) => [t.region, inputsOf(t).name]);
        assert.deepStrictEqual(topics.sort(), [
            ["us-east-1", alertTopicName("webank", "home")],
            ["us-west-2", alertTopicName("webank", "dr")],
        ]);
    });

    it("uses an existing token secret when one is configured", async () => {
        const arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:github/mirror-AbCdEf";
        const run = await runStack("primary", { "webank:githubTokenSecretArn": arn });
        // No token secret of its own; the one secret left is the heartbeat verifier's.
        assert.deepStrictEqual(
            ofType(run, "aws:secretsmanager/secret:Secret").map((s) => s.name),
            ["webank-db-verifier"],
        );
        const project = named(run, "aws:codebuild/project:Project", MIRROR_PROJECT);
        const token = inputsOf(project).environment.environmentVariables.find(
            (v: { name: string }) => v.name === "GITHUB_TOKEN",
        );
        assert.strictEqual(token.value, arn);
    });

    it("protects the main branch only where a GitHub token is configured", async () => {
        assert.strictEqual(ofType(primary, "github:index/branchProtection:BranchProtection").length, 0);
        const run = await runStack("primary", { "webank:githubToken": "ghp_example" }, {}, [
            "webank:githubToken",
        ]);
        const [rule] = ofType(run, "github:index/branchProtection:BranchProtection");
        const inputs = inputsOf(rule);
        assert.deepStrictEqual(
            [
                inputs.repositoryId,
                inputs.pattern,
                inputs.allowsForcePushes,
                inputs.allowsDeletions,
                inputs.enforceAdmins,
            ],
            ["platform", "main", false, false, true],
        );
        assert.strictEqual(inputs.requiredPullRequestReviews[0].requiredApprovingReviewCount, 2);
        const [provider] = ofType(run, "pulumi:providers:github");
        assert.strictEqual(provider.inputs.token, "[secret]");
        assert.ok(!JSON.stringify(run).includes("ghp_example"));
    });

    it("skips DNS failover with a clear note when no hosted zone is configured", () => {
        assert.strictEqual(ofType(primary, "aws:route53/record:Record").length, 0);
        assert.strictEqual(primary.outputs.dnsFailover, TRAFFIC_SKIPPED);
    });

    it("declares the PRIMARY record and its health check when a zone is configured", async () => {
        const run = await runStack("primary", ZONE);
        const [record] = ofType(run, "aws:route53/record:Record");
        assert.deepStrictEqual(inputsOf(record).failoverRoutingPolicies, [{ type: "PRIMARY" }]);
        assert.deepStrictEqual(inputsOf(record).records, ["primary-alb.us-east-1.elb.amazonaws.com"]);
        assert.ok(inputsOf(record).ttl <= 60);
        const [check] = ofType(run, "aws:route53/healthCheck:HealthCheck").filter(
            (c) => inputsOf(c).type === "HTTPS",
        );
        assert.strictEqual(inputsOf(check).fqdn, "primary-alb.us-east-1.elb.amazonaws.com");
        assert.match(
            String(run.outputs.dnsFailover),
            /^PRIMARY app\.webank\.example -> \S+ \(gate \S+ over endpoint check \S+ and traffic switch \S+, TTL \d+s\)$/,
        );
    });

    it("declares the SECONDARY record in dr only once activated", async () => {
        const dr = { ...ZONE, "webank:drEndpoint": "dr-alb.us-west-2.elb.amazonaws.com" };
        const standby = await runStack("dr", dr, { primary: primary.outputs });
        assert.strictEqual(ofType(standby, "aws:route53/record:Record").length, 0);
        const active = await runStack("dr", { ...dr, ...ACTIVATE }, { primary: primary.outputs });
        const [record] = ofType(active, "aws:route53/record:Record");
        assert.deepStrictEqual(inputsOf(record).failoverRoutingPolicies, [{ type: "SECONDARY" }]);
        assert.deepStrictEqual(inputsOf(record).records, ["dr-alb.us-west-2.elb.amazonaws.com"]);
    });

    it("declares a drill beside dr: drill names, a disposable database, no DNS, no backup plan, no cluster", async () => {
        const drill = await runStack(
            "dr",
            {
                ...ZONE,
                "webank:drEndpoint": "dr-alb.us-west-2.elb.amazonaws.com",
                ...ACTIVATE,
                "webank:drill": '{"id": "d1234"}',
            },
            { primary: primary.outputs },
        );
        const [db] = ofType(drill, "aws:rds/instance:Instance");
        assert.strictEqual(inputsOf(db).identifier, "webank-drill-d1234-db-dr-1");
        assert.strictEqual(inputsOf(db).deletionProtection, false);
        assert.strictEqual(inputsOf(db).skipFinalSnapshot, true);
        assert.strictEqual(db.protect, false, "the drill destroys its copy");
        assert.strictEqual(db.retainOnDelete, false);
        assert.strictEqual(ofType(drill, "aws:route53/record:Record").length, 0);
        assert.strictEqual(ofType(drill, "aws:backup/plan:Plan").length, 0);
        assert.strictEqual(ofType(drill, "eks:index:Cluster").length, 0);
        assert.strictEqual(drill.outputs.dnsFailover, "never: a drill does not touch traffic");
    });

    it("refuses to activate dr with DNS failover but no DR endpoint", async () => {
        await assert.rejects(
            () => runStack("dr", { ...ZONE, ...ACTIVATE }, { primary: primary.outputs }),
            (error: unknown) =>
                error instanceof OfflineRunError &&
                error.cause instanceof InvalidInputError &&
                /webank:drEndpoint must be set/.test(error.message),
        );
    });

    it("refuses a secret key set in plain text, without echoing the value", async () => {
        await assert.rejects(
            () => runStack("primary", { "webank:platformRepoToken": "plain-token-value" }),
            (error: unknown) =>
                error instanceof OfflineRunError &&
                /webank:platformRepoToken must be set as a secret/.test(error.message) &&
                !error.message.includes("plain-token-value"),
        );
    });
});
