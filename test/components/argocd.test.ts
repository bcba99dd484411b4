import * as assert from "assert";
import { OfflineRun } from "../../offline/engine";
import { variantOverrides } from "../../offline/stack-variants";
import { exportStaleAlarmName } from "../../lib/argocd";
import { bothStacksWith, inputsOf, named, ofType, policyOf, runStack } from "../support/offline";

describe("components/argocd: ArgoCd", () => {
    let primary: OfflineRun;
    before(async () => {
        primary = await runStack("primary");
    });

    it("installs the argo-cd chart at the pinned version with HA values and release history", () => {
        const release = inputsOf(named(primary, "kubernetes:helm.sh/v3:Release", "webank-primary-argocd"));
        assert.strictEqual(release.chart, "argo-cd");
        assert.strictEqual(release.version, "9.1.0");
        assert.strictEqual(release.repositoryOpts.repo, "https://argoproj.github.io/argo-helm");
        assert.strictEqual(release.maxHistory, 20);
        assert.strictEqual(release.values["redis-ha"].enabled, true);
        assert.strictEqual(release.values.server.replicas, 2);
        assert.strictEqual(release.values.repoServer.replicas, 2);
    });

    it("points the root app-of-apps at the platform repository, keeping 20 revisions", () => {
        const app = inputsOf(
            named(primary, "kubernetes:argoproj.io/v1alpha1:Application", "webank-primary-argocd-root-app"),
        );
        assert.deepStrictEqual(app.spec.source, {
            repoURL: "https://github.com/webank/platform.git",
            targetRevision: "main",
            path: "apps",
        });
        assert.strictEqual(app.spec.revisionHistoryLimit, 20);
    });

    it("switches the root app to the mirror after a GitHub loss", async () => {
        const run = await runStack("primary", {
            "webank:gitSource": "mirror",
            "webank:mirrorRepoUrl": "https://git-codecommit.us-west-2.amazonaws.com/v1/repos/platform",
        });
        const app = inputsOf(
            named(run, "kubernetes:argoproj.io/v1alpha1:Application", "webank-primary-argocd-root-app"),
        );
        assert.strictEqual(
            app.spec.source.repoURL,
            "https://git-codecommit.us-west-2.amazonaws.com/v1/repos/platform",
        );
    });

    it("takes SSO and repository credentials only from secrets, never in the clear", async () => {
        const run = await runStack(
            "primary",
            {
                "webank:argocdOidc": '{"issuer": "https://login.webank.example", "clientId": "argocd"}',
                "webank:argocdOidcClientSecret": "client-secret-value",
                "webank:platformRepoToken": "repo-token-value",
            },
            {},
            ["webank:argocdOidcClientSecret", "webank:platformRepoToken"],
        );
        const text = JSON.stringify(run);
        assert.ok(
            !text.includes("client-secret-value") && !text.includes("repo-token-value"),
            "no secret in the plan",
        );
        const repo = named(run, "kubernetes:core/v1:Secret", "webank-primary-argocd-repo");
        assert.strictEqual(inputsOf(repo).metadata.labels["argocd.argoproj.io/secret-type"], "repository");
        assert.strictEqual(inputsOf(repo).stringData, "[secret]");
    });

    it("exports on a schedule derived from the Argo CD RPO, uploading with SSE-KMS", async () => {
        const job = inputsOf(named(primary, "kubernetes:batch/v1:CronJob", "webank-primary-argocd-export"));
        assert.strictEqual(job.spec.schedule, "*/5 * * * *", "RPO 15 minutes: every 5");
        const pod = job.spec.jobTemplate.spec.template.spec;
        assert.match(pod.initContainers[0].command.join(" "), /argocd admin export -n argocd/);
        const upload = pod.containers[0].command.join(" ");
        assert.match(
            upload,
            /aws s3 cp \/export\/argocd.yaml "s3:\/\/webank-artifacts-123456789012-us-east-1\/\$key" --sse aws:kms/,
        );
        assert.match(upload, /argocd-exports\/webank-primary\//);
        const hourly = await runStack(
            "primary",
            {},
            {},
            [],
            bothStacksWith({ "webank:objectives": '{"gitops": {"rpoMinutes": 120}}' }),
        );
        const slower = inputsOf(named(hourly, "kubernetes:batch/v1:CronJob", "webank-primary-argocd-export"));
        assert.strictEqual(slower.spec.schedule, "0 */1 * * *", "RPO 2 hours: hourly");
    });

    it("uploads through an IRSA role that may write only its export prefix", () => {
        const policy = policyOf(
            named(primary, "aws:iam/rolePolicy:RolePolicy", "webank-primary-argocd-export"),
        );
        const put = policy.Statement.find((s: { Action: string }) => s.Action === "s3:PutObject");
        assert.strictEqual(
            put.Resource,
            "arn:aws:s3:::webank-artifacts-123456789012-us-east-1/argocd-exports/webank-primary/*",
        );
        const trust = policyOf(
            named(primary, "aws:iam/role:Role", "webank-primary-argocd-export"),
            "assumeRolePolicy",
        );
        assert.ok(
            Object.values(trust.Statement[0].Condition.StringEquals).includes(
                "system:serviceaccount:argocd:argocd-export",
            ),
        );
    });

    it("alarms when no export has succeeded for two periods", () => {
        const [alarm] = ofType(primary, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) =>
            a.name.endsWith("export-stale"),
        );
        const inputs = inputsOf(alarm);
        assert.strictEqual(inputs.treatMissingData, "breaching");
        assert.strictEqual(inputs.period, 600);
        assert.strictEqual(inputs.comparisonOperator, "LessThanThreshold");
        assert.match(inputs.alarmActions[0], /^arn:aws:sns:us-east-1:/);
    });

    it("names the alarm after its cluster and enables its actions where the export job runs", () => {
        const [alarm] = ofType(primary, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) =>
            a.name.endsWith("export-stale"),
        );
        const inputs = inputsOf(alarm);
        assert.strictEqual(inputs.name, exportStaleAlarmName(inputs.dimensions.Cluster));
        assert.strictEqual(inputs.actionsEnabled, true);
        assert.deepStrictEqual(alarm.ignoreChanges, []);
    });

    it("starts a warm standby's alarm with its actions off, and leaves them to the command that resumes the export", async () => {
        // The standby's export job is suspended: an enabled alarm would page every period.
        const warm = await runStack("dr", variantOverrides("dr:warm"));
        const [alarm] = ofType(warm, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) =>
            a.name.endsWith("export-stale"),
        );
        const inputs = inputsOf(alarm);
        assert.strictEqual(inputs.name, exportStaleAlarmName(inputs.dimensions.Cluster));
        assert.strictEqual(inputs.actionsEnabled, false);
        assert.deepStrictEqual(alarm.ignoreChanges, ["actionsEnabled"]);
        const [job] = ofType(warm, "kubernetes:batch/v1:CronJob");
        assert.strictEqual(inputsOf(job).spec.suspend, true);
    });

    it("splits a silence window over a day into day-long periods that must all be silent", async () => {
        // A 2,880-minute gitops RPO exports daily: a two-day window, which one period cannot hold.
        const daily = await runStack(
            "primary",
            {},
            {},
            [],
            bothStacksWith({ "webank:objectives": '{"gitops": {"rpoMinutes": 2880}}' }),
        );
        const [alarm] = ofType(daily, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) =>
            a.name.endsWith("export-stale"),
        );
        const inputs = inputsOf(alarm);
        assert.ok(inputs.period <= 86_400, `period ${inputs.period} s is at most a day`);
        assert.strictEqual(inputs.period * inputs.evaluationPeriods, 2 * 1440 * 60);
        assert.strictEqual(inputs.datapointsToAlarm, inputs.evaluationPeriods);
    });
});
