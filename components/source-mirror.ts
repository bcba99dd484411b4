import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { FLOW_LOG_RETENTION_DAYS } from "../lib/retention";
import { rateExpression } from "../lib/schedule";
import { silenceAlarmInputs } from "../lib/silence-alarm";
import { bundlePrefixOf } from "../lib/artifacts";
import { SourceMirrorArgs, validateSourceMirrorArgs } from "./source-mirror-args";
import { serviceTrustPolicy } from "./iam";

/** The environment variable the build reads the GitHub token from (filled by CodeBuild from Secrets Manager). */
const TOKEN_VARIABLE = "GITHUB_TOKEN";

/** The CodeBuild image: Amazon Linux with git, bash, coreutils and AWS CLI v2. */
const BUILD_IMAGE = "aws/codebuild/amazonlinux-x86_64-standard:5.0";

/** The longest a mirror build may run or wait in the queue, in minutes (it is also capped by the job period). */
const MAX_BUILD_MINUTES = 60;

/** Period of the failed-build alarm, in seconds: a failed build is reported within five minutes. */
const FAILED_BUILD_ALARM_PERIOD_SECONDS = 300;

/** Re-exported so importers keep taking the arguments from the component they construct. */
export type { SourceMirrorArgs } from "./source-mirror-args";

/**
 * The CodeBuild buildspec of a mirror run: clone the repository with `--mirror` (every
 * branch, tag and ref), pack it into one `git bundle`, verify the bundle, print its SHA-256
 * and upload it SSE-KMS encrypted under `s3://<bucket>/<prefix><UTC timestamp>.bundle`. The
 * whole run is one bash script under `set -euo pipefail`, and the phase aborts on failure,
 * so any failed step fails the build. The token reaches git through a credential helper that
 * reads the environment: it is never in a URL, an argument or the log.
 */
export function mirrorBuildspec(
    repository: string,
    bucketName: string,
    kmsKeyArn: string,
    bundlePrefix: string,
): string {
    const script = [
        "set -euo pipefail",
        "export GIT_TERMINAL_PROMPT=0",
        'work="$(mktemp -d)"',
        'stamp="$(date -u +%Y%m%dT%H%M%SZ)"',
        `key="${bundlePrefix}$stamp.bundle"`,
        // The helper answers git's `get` request from the environment; the token is never echoed.
        "git -c credential.helper= " +
            `-c 'credential.helper=!f() { test "$1" = get || return 0; echo username=x-access-token; echo "password=$${TOKEN_VARIABLE}"; }; f' ` +
            `clone --mirror --quiet "https://github.com/${repository}.git" "$work/repo.git"`,
        'git -C "$work/repo.git" bundle create "$work/repo.bundle" --all',
        'git -C "$work/repo.git" bundle verify "$work/repo.bundle"',
        'sha256="$(sha256sum "$work/repo.bundle" | cut -d " " -f 1)"',
        'echo "bundle sha256: $sha256"',
        `aws s3 cp "$work/repo.bundle" "s3://${bucketName}/$key" --sse aws:kms --sse-kms-key-id "${kmsKeyArn}" ` +
            '--metadata "sha256=$sha256" --only-show-errors',
        `echo "uploaded s3://${bucketName}/$key (sha256 $sha256)"`,
    ].join("\n");
    return stringify(
        {
            version: "0.2",
            env: { shell: "bash" },
            phases: { build: { "on-failure": "ABORT", commands: [script] } },
        },
        { lineWidth: 0 },
    );
}

/**
 * Backs up the GitHub platform repository from outside the cluster, so that it keeps running
 * while EKS is down: an EventBridge schedule derived from the repository's RPO starts a
 * CodeBuild project that mirror-clones the repository with a token from Secrets Manager,
 * writes a verified `git bundle` of every ref to the artifact bucket under
 * `git-bundles/<owner>/<name>/`, encrypted with the stack's key, and prints its SHA-256.
 *
 * The build role can write only that prefix, read only the token secret and write only its
 * own log group. A failed build raises an alarm, and so does a schedule that silently stops:
 * the missed-schedule alarm fires when no build succeeded for twice the job period.
 *
 * Restore: `npm run dr -- restore git --remote <new empty remote>` (branches, tags and notes pushed
 * without force; never `git push --mirror`, which would delete refs on the remote).
 */
export class SourceMirror extends pulumi.ComponentResource {
    /** The CodeBuild project that runs the mirror. */
    public readonly project: aws.codebuild.Project;
    /** Physical name of the CodeBuild project. */
    public readonly projectName: pulumi.Output<string>;
    /** ARN of the CodeBuild project. */
    public readonly projectArn: pulumi.Output<string>;
    /** EventBridge schedule of the mirror, e.g. `rate(30 minutes)`. */
    public readonly scheduleExpression: string;
    /** Key prefix of this repository's bundles in the artifact bucket, e.g. `git-bundles/acme/platform/`. */
    public readonly bundlePrefix: string;

    constructor(name: string, args: SourceMirrorArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webank:source:SourceMirror", name, {}, opts);
        const { projectName, periodMinutes } = validateSourceMirrorArgs(name, args);
        const repository = args.repository;

        this.scheduleExpression = rateExpression(periodMinutes);
        this.bundlePrefix = bundlePrefixOf(repository);
        const buildMinutes = Math.min(periodMinutes, MAX_BUILD_MINUTES);

        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            {
                name: `/aws/codebuild/${projectName}`,
                retentionInDays: FLOW_LOG_RETENTION_DAYS,
                kmsKeyId: args.kmsKeyArn,
            },
            { parent: this },
        );

        const buildRole = new aws.iam.Role(
            `${name}-build`,
            {
                description: `Mirrors github.com/${repository} to the artifact bucket (CodeBuild ${projectName})`,
                // Only CodeBuild building this project of this account may assume it: the
                // CodeBuild User Guide ("Allow CodeBuild to interact with other AWS services")
                // recommends aws:SourceAccount (the project's owner) and aws:SourceArn (the
                // project's ARN) in the service role's trust policy against the confused deputy,
                // as components/deploy-runner.ts does. The project needs this role first, so its
                // ARN is formed from the log group's partition and region, not read from it.
                assumeRolePolicy: pulumi
                    .all([args.accountId, logGroup.arn])
                    .apply(([account, logGroupArn]) => {
                        const [, partition, , region] = logGroupArn.split(":");
                        return serviceTrustPolicy(
                            "codebuild.amazonaws.com",
                            account,
                            `arn:${partition}:codebuild:${region}:${account}:project/${projectName}`,
                        );
                    }),
            },
            { parent: this },
        );
        const buildPolicy = new aws.iam.RolePolicy(
            `${name}-build`,
            {
                role: buildRole.id,
                policy: pulumi
                    .all([logGroup.arn, args.artifactBucketArn, args.kmsKeyArn, args.tokenSecretArn])
                    .apply(([logArn, bucketArn, keyArn, secretArn]) =>
                        JSON.stringify({
                            Version: "2012-10-17",
                            Statement: [
                                {
                                    Sid: "WriteOwnLogs",
                                    Effect: "Allow",
                                    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                                    Resource: [logArn, `${logArn}:*`],
                                },
                                {
                                    Sid: "WriteBundlesOnly",
                                    Effect: "Allow",
                                    Action: "s3:PutObject",
                                    Resource: `${bucketArn}/${this.bundlePrefix}*`,
                                },
                                {
                                    Sid: "EncryptBundles",
                                    Effect: "Allow",
                                    Action: ["kms:GenerateDataKey", "kms:Encrypt"],
                                    Resource: keyArn,
                                },
                                {
                                    // S3 decrypts the parts of a multipart upload to complete it, and
                                    // Secrets Manager decrypts the token if the secret uses this key.
                                    // Only through those services: the role cannot read any object.
                                    Sid: "DecryptThroughS3AndSecretsManagerOnly",
                                    Effect: "Allow",
                                    Action: "kms:Decrypt",
                                    Resource: keyArn,
                                    Condition: {
                                        StringLike: {
                                            "kms:ViaService": [
                                                "s3.*.amazonaws.com",
                                                "secretsmanager.*.amazonaws.com",
                                            ],
                                        },
                                    },
                                },
                                {
                                    Sid: "ReadGitHubToken",
                                    Effect: "Allow",
                                    Action: "secretsmanager:GetSecretValue",
                                    Resource: secretArn,
                                },
                            ],
                        }),
                    ),
            },
            { parent: this },
        );

        this.project = new aws.codebuild.Project(
            `${name}-project`,
            {
                name: projectName,
                description: `Mirrors github.com/${repository} to a verified git bundle under ${this.bundlePrefix} every ${periodMinutes} minutes (RPO ${args.rpoMinutes} minutes)`,
                serviceRole: buildRole.arn,
                source: {
                    type: "NO_SOURCE",
                    buildspec: pulumi
                        .all([args.artifactBucketName, args.kmsKeyArn])
                        .apply(([bucketName, keyArn]) =>
                            mirrorBuildspec(repository, bucketName, keyArn, this.bundlePrefix),
                        ),
                },
                artifacts: { type: "NO_ARTIFACTS" },
                environment: {
                    type: "LINUX_CONTAINER",
                    computeType: "BUILD_GENERAL1_SMALL",
                    image: BUILD_IMAGE,
                    imagePullCredentialsType: "CODEBUILD",
                    environmentVariables: [
                        // CodeBuild resolves the ARN when a build starts: the token is never an input.
                        { name: TOKEN_VARIABLE, type: "SECRETS_MANAGER", value: args.tokenSecretArn },
                    ],
                },
                encryptionKey: args.kmsKeyArn,
                logsConfig: {
                    cloudwatchLogs: { status: "ENABLED", groupName: logGroup.name },
                    s3Logs: { status: "DISABLED" },
                },
                // A run must end before the next one is due; runs never overlap.
                buildTimeout: buildMinutes,
                queuedTimeout: buildMinutes,
                concurrentBuildLimit: 1,
            },
            { parent: this, dependsOn: [buildPolicy] },
        );
        this.projectName = this.project.name;
        this.projectArn = this.project.arn;

        const rule = new aws.cloudwatch.EventRule(
            `${name}-schedule`,
            {
                name: `${projectName}-schedule`,
                description: `Starts the mirror of github.com/${repository} (RPO ${args.rpoMinutes} minutes)`,
                scheduleExpression: this.scheduleExpression,
                state: "ENABLED",
            },
            { parent: this },
        );
        const startRole = new aws.iam.Role(
            `${name}-start`,
            {
                description: `Lets EventBridge start the CodeBuild project ${projectName}`,
                // Only this schedule rule of this account may assume it: "For EventBridge event
                // bus rule targets, the value of aws:SourceArn must be the rule ARN", and
                // aws:SourceAccount is the rule's account ("Cross-service confused deputy
                // prevention in Amazon EventBridge"; "Using IAM policy conditions in Amazon
                // EventBridge", EventBridge User Guide).
                assumeRolePolicy: pulumi
                    .all([args.accountId, rule.arn])
                    .apply(([account, ruleArn]) =>
                        serviceTrustPolicy("events.amazonaws.com", account, ruleArn),
                    ),
            },
            { parent: this },
        );
        const startPolicy = new aws.iam.RolePolicy(
            `${name}-start`,
            {
                role: startRole.id,
                policy: this.project.arn.apply((arn) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Sid: "StartMirrorBuild",
                                Effect: "Allow",
                                Action: "codebuild:StartBuild",
                                Resource: arn,
                            },
                        ],
                    }),
                ),
            },
            { parent: this },
        );
        new aws.cloudwatch.EventTarget(
            `${name}-schedule`,
            { rule: rule.name, arn: this.project.arn, roleArn: startRole.arn },
            { parent: this, dependsOn: [startPolicy] },
        );

        const dimensions = { ProjectName: this.project.name };
        new aws.cloudwatch.MetricAlarm(
            `${name}-failed`,
            {
                alarmDescription: `A mirror build of github.com/${repository} failed: the newest git bundle is getting older than the RPO. See the build log in /aws/codebuild/${projectName}.`,
                namespace: "AWS/CodeBuild",
                metricName: "FailedBuilds",
                dimensions,
                statistic: "Sum",
                period: FAILED_BUILD_ALARM_PERIOD_SECONDS,
                evaluationPeriods: 1,
                threshold: 1,
                comparisonOperator: "GreaterThanOrEqualToThreshold",
                treatMissingData: "notBreaching",
                alarmActions: [args.alarmTopicArn],
                okActions: [args.alarmTopicArn],
            },
            { parent: this },
        );
        new aws.cloudwatch.MetricAlarm(
            `${name}-silent`,
            {
                alarmDescription: `No mirror build of github.com/${repository} succeeded for two job periods (${2 * periodMinutes} minutes): the schedule stopped or every run fails. Newest bundles are under ${this.bundlePrefix}.`,
                namespace: "AWS/CodeBuild",
                metricName: "SucceededBuilds",
                dimensions,
                statistic: "Sum",
                // Twice the period, split into periods of at most a day (lib/silence-alarm.ts).
                ...silenceAlarmInputs(periodMinutes),
                threshold: 1,
                comparisonOperator: "LessThanThreshold",
                // No data means no build ran at all: exactly what this alarm is for.
                treatMissingData: "breaching",
                alarmActions: [args.alarmTopicArn],
                okActions: [args.alarmTopicArn],
            },
            { parent: this },
        );

        this.registerOutputs({
            projectName: this.projectName,
            projectArn: this.projectArn,
            scheduleExpression: this.scheduleExpression,
            bundlePrefix: this.bundlePrefix,
        });
    }
}
