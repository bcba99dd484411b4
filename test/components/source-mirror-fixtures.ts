// Shared fixtures of the SourceMirror tests (source-mirror.test.ts, source-mirror-roles.test.ts,
// source-mirror-validation.test.ts): the arguments, the resource types, and a declared mirror.
import { runComponent } from "../support/component";
import { SourceMirror, SourceMirrorArgs } from "../../components/source-mirror";
import { OfflineRun, RecordedResource } from "../../offline/engine";
import { policyOf } from "../support/offline";

/** The stack's account, which owns the project and the schedule rule. */
export const ACCOUNT = "123456789012";
/** An account other than the stack's, which the trust policies must refuse. */
export const OTHER_ACCOUNT = "210987654321";
/** The artifact bucket the bundles are uploaded to. */
export const BUCKET = "webank-artifacts-123456789012-us-east-1";
/** The artifact bucket's ARN. */
export const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
/** The KMS key of the bucket, the logs and the project. */
export const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/mrk-data";
/** The complete ARN of the secret holding the GitHub token. */
export const SECRET_ARN =
    "arn:aws:secretsmanager:us-east-1:123456789012:secret:webank/github-mirror-token-AbCdEf";
/** The SNS topic the alarms notify. */
export const TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:webank-alerts";

/** The arguments every declared mirror starts from, before its overrides. */
const ARGS: SourceMirrorArgs = {
    repository: "webank/platform",
    tokenSecretArn: SECRET_ARN,
    artifactBucketName: BUCKET,
    artifactBucketArn: BUCKET_ARN,
    kmsKeyArn: KEY_ARN,
    rpoMinutes: 60,
    alarmTopicArn: TOPIC_ARN,
    accountId: ACCOUNT,
};

/** The CodeBuild project type. */
export const PROJECT = "aws:codebuild/project:Project";
/** The IAM role type. */
export const ROLE = "aws:iam/role:Role";
/** The inline IAM role policy type. */
export const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
/** The CloudWatch metric alarm type. */
export const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

/** Declares one SourceMirror named `mirror` (home provider, us-east-1) and returns the run. */
export async function declareMirror(overrides: Partial<SourceMirrorArgs> = {}): Promise<OfflineRun> {
    return runComponent((provider) => {
        const mirror = new SourceMirror("mirror", { ...ARGS, ...overrides }, { provider });
        return {
            projectName: mirror.projectName,
            projectArn: mirror.projectArn,
            scheduleExpression: mirror.scheduleExpression,
            bundlePrefix: mirror.bundlePrefix,
        };
    });
}

/** Every statement of an inline role policy. */
export function statementsOf(policy: RecordedResource): Array<Record<string, unknown>> {
    return policyOf(policy).Statement;
}
