/**
 * The arguments of {@link SourceMirror} and their validation, apart from the resources the
 * component declares, so each file has one responsibility.
 */
import * as pulumi from "@pulumi/pulumi";
import { ProblemCollector } from "../lib/errors";
import { jobPeriodMinutes } from "../lib/schedule";
import { COMPLETE_SECRET_ARN } from "../lib/secret-arn";

/** A GitHub repository as `owner/name`: owner 1–39 letters, digits and single inner hyphens; name 1–100 of `A-Z a-z 0-9 . _ -`. */
const REPOSITORY_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}\/[A-Za-z0-9._-]{1,100}$/;

/**
 * A CodeBuild project name: letters, digits, hyphens and underscores, starting with a letter
 * or digit. At most 55 characters, so that the schedule rule `<projectName>-schedule` fits
 * EventBridge's 64.
 */
const PROJECT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{1,54}$/;

/** An AWS account id: twelve digits. */
const ACCOUNT_ID_PATTERN = /^\d{12}$/;

/** Arguments of {@link SourceMirror}. */
export interface SourceMirrorArgs {
    /**
     * Account of the stack, for the confused-deputy conditions of the trust policies: CodeBuild
     * and EventBridge may assume the mirror's roles only on behalf of this account's project
     * and schedule rule.
     */
    accountId: pulumi.Input<string>;
    /** The GitHub repository to back up, as `owner/name` (without `.git`). */
    repository: string;
    /**
     * Complete ARN (with its six-character suffix) of the Secrets Manager secret whose value
     * is a GitHub token that can read the repository, as a plain string (not JSON). Only the
     * ARN passes through Pulumi: CodeBuild reads the value when a build starts. The secret
     * must be encrypted with the AWS managed key `aws/secretsmanager` or with `kmsKeyArn`.
     */
    tokenSecretArn: pulumi.Input<string>;
    /** Name of the artifact bucket that receives the bundles (home region). */
    artifactBucketName: pulumi.Input<string>;
    /** ARN of the same bucket: the build may write only under its `git-bundles/<repository>/` prefix. */
    artifactBucketArn: pulumi.Input<string>;
    /** KMS key (in the project's region) for the bundles (SSE-KMS), the build logs and the project. */
    kmsKeyArn: pulumi.Input<string>;
    /**
     * Recovery point objective of the repository, in minutes: the mirror runs at the job
     * period derived from it (see `jobPeriodMinutes` in lib/schedule.ts), so at least 10.
     */
    rpoMinutes: number;
    /** SNS topic for the failed-build and missed-schedule alarms. */
    alarmTopicArn: pulumi.Input<string>;
    /**
     * Physical name of the CodeBuild project (2–55 characters), which an operator must find
     * without Pulumi state; the log group is `/aws/codebuild/<projectName>` and the schedule
     * rule `<projectName>-schedule`. Default: the component's name.
     */
    projectName?: string;
}

/** What {@link validateSourceMirrorArgs} derives from valid arguments. */
export interface ValidSourceMirrorArgs {
    /** Physical name of the CodeBuild project: {@link SourceMirrorArgs.projectName} or the component's name. */
    readonly projectName: string;
    /** Minutes between two mirror runs, derived from {@link SourceMirrorArgs.rpoMinutes}. */
    readonly periodMinutes: number;
}

/**
 * Checks the arguments of the {@link SourceMirror} named `name` before it declares anything,
 * and throws one error listing every invalid argument, so an operator fixes them all at once.
 */
export function validateSourceMirrorArgs(name: string, args: SourceMirrorArgs): ValidSourceMirrorArgs {
    const projectName = args.projectName ?? name;
    const problems = new ProblemCollector();
    const repository = args.repository;
    const [, repositoryName = ""] = String(repository).split("/");
    if (
        typeof repository !== "string" ||
        !REPOSITORY_PATTERN.test(repository) ||
        repositoryName === "." ||
        repositoryName === ".." ||
        repositoryName.endsWith(".git")
    ) {
        problems.add(
            `SourceMirror(${name}).repository`,
            'be a GitHub repository as "owner/name" (owner: letters, digits and single hyphens; name: letters, digits, ".", "_" and "-", without ".git")',
            repository,
        );
    }
    if (typeof args.tokenSecretArn === "string" && !COMPLETE_SECRET_ARN.test(args.tokenSecretArn)) {
        problems.add(
            `SourceMirror(${name}).tokenSecretArn`,
            "be the complete ARN of a Secrets Manager secret, including the six-character suffix",
            args.tokenSecretArn,
        );
    }
    if (typeof args.accountId === "string" && !ACCOUNT_ID_PATTERN.test(args.accountId)) {
        problems.add(`SourceMirror(${name}).accountId`, "be a 12-digit AWS account id", args.accountId);
    }
    if (!PROJECT_NAME_PATTERN.test(projectName)) {
        problems.add(
            `SourceMirror(${name}).projectName`,
            "be 2–55 letters, digits, hyphens and underscores, starting with a letter or digit",
            projectName,
        );
    }
    let periodMinutes = 0;
    if (!Number.isInteger(args.rpoMinutes) || args.rpoMinutes < 1) {
        problems.add(
            `SourceMirror(${name}).rpoMinutes`,
            "be a positive whole number of minutes",
            args.rpoMinutes,
        );
    } else {
        try {
            periodMinutes = jobPeriodMinutes(args.rpoMinutes);
        } catch (error) {
            if (!(error instanceof RangeError)) {
                throw error;
            }
            problems.add(
                `SourceMirror(${name}).rpoMinutes`,
                `leave room for a scheduled job (${error.message})`,
                args.rpoMinutes,
            );
        }
    }
    problems.throwIfAny(`Invalid arguments for SourceMirror "${name}"`);
    return { projectName, periodMinutes };
}
