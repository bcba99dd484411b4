import { PolicyResource } from "@pulumi/policy";
import { stackPolicy } from "./lib/define";
import { Evaluation } from "./lib/evaluation";
import { describe, isUnknown, listAt, UNKNOWN, parsedJson, valueAt } from "./lib/values";
import { bucketNameOf, bucketsOf, judgeSiblings, requireNoInline, S3_POLICY } from "./s3-links";

/**
 * The TLS-only bucket policy: one statement that denies everyone every S3 action on the
 * bucket and on every object in it whenever the request was not made over TLS, the
 * statement of the s3-bucket-ssl-requests-only rule (AWS Config; AWS Knowledge Center,
 * "s3-bucket-policy-for-config-rule": Effect Deny, Principal "*", Action "s3:*", Resource
 * the bucket ARN and `<arn>/*`, Condition Bool aws:SecureTransport "false"). A narrower
 * statement leaves plaintext requests allowed for what it does not cover.
 */

/** One statement of a policy document, as JSON. */
type Statement = Record<string, unknown>;

/** Whether the IAM pattern `pattern` (`*` and `?` wildcards) matches `value`. */
function globMatches(pattern: string, value: string): boolean {
    const regex = pattern
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".");
    return new RegExp(`^${regex}$`, "i").test(value);
}

/** The values of a policy element that may be one string or a list. */
function strings(value: unknown): string[] {
    return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string");
}

/** Whether the statement's principal is everyone: `"*"` or `{"AWS": "*"}`. */
function everyone(statement: Statement): boolean {
    const principal = statement.Principal;
    if (principal === "*") {
        return true;
    }
    const aws =
        principal !== null && typeof principal === "object"
            ? (principal as Record<string, unknown>).AWS
            : undefined;
    return strings(aws).includes("*");
}

/** Whether the statement's actions cover every S3 action (`s3:*` or `*`). */
function everyAction(statement: Statement): boolean {
    return (
        statement.NotAction === undefined &&
        strings(statement.Action).some((a) => a === "*" || a.toLowerCase() === "s3:*")
    );
}

/**
 * Whether the statement's resources cover the bucket and every object in it. With the name
 * known, its ARN and a sample of object keys must each match some Resource pattern; with the
 * name unknown, some pattern `arn:...:s3:::<x>` must come with `<x>/*` (or broader).
 */
function everyResource(statement: Statement, name: string | undefined): boolean {
    if (statement.NotResource !== undefined) {
        return false;
    }
    const patterns = strings(statement.Resource);
    const covered = (value: string) => patterns.some((p) => globMatches(p, value));
    if (name !== undefined) {
        const arns = ["aws", "aws-cn", "aws-us-gov"].map((partition) => `arn:${partition}:s3:::${name}`);
        const objects = ["/*", "/", "/a", "/state/.pulumi/stacks/p/primary.json", "/x.y"];
        return arns.some((arn) => covered(arn) && objects.every((key) => covered(`${arn}${key}`)));
    }
    return patterns.some((p) => !p.includes("/") && covered(`${p}/*`) && covered(`${p}/a/b`));
}

/** Whether the condition is exactly "the request was not sent over TLS" (any other key narrows the deny). */
function onlyWithoutTls(statement: Statement): boolean {
    const condition = statement.Condition;
    if (condition === null || typeof condition !== "object") {
        return false;
    }
    const entries = Object.entries(condition as Record<string, unknown>);
    if (entries.length !== 1 || !["bool", "boolifexists"].includes(entries[0][0].toLowerCase())) {
        return false;
    }
    const keys = Object.entries((entries[0][1] ?? {}) as Record<string, unknown>);
    if (keys.length !== 1 || keys[0][0].toLowerCase() !== "aws:securetransport") {
        return false;
    }
    const values = Array.isArray(keys[0][1]) ? (keys[0][1] as unknown[]) : [keys[0][1]];
    return (
        values.length > 0 &&
        values.every((v) => v === false || (typeof v === "string" && v.toLowerCase() === "false"))
    );
}

/** What a statement lacks to be the TLS-only deny, in words; empty when it is one. */
function lacks(statement: Statement, name: string | undefined): string[] {
    return [
        statement.Effect === "Deny" ? "" : 'Effect "Deny"',
        everyone(statement) ? "" : 'Principal "*"',
        everyAction(statement) ? "" : 'Action "s3:*" (every S3 action)',
        everyResource(statement, name)
            ? ""
            : "Resource both the bucket ARN and `<bucket ARN>/*` (the bucket and every object)",
        onlyWithoutTls(statement) ? "" : 'Condition exactly {"Bool": {"aws:SecureTransport": "false"}}',
    ].filter((s) => s.length > 0);
}

function judgePolicy(evaluation: Evaluation, document: PolicyResource, name: string | undefined): void {
    const statements = listAt(document.props, "policy.Statement");
    if (statements === UNKNOWN || isUnknown(valueAt(document.props, "policy"))) {
        evaluation.unknown(document, "policy");
        return;
    }
    const known = statements
        .map((s) => parsedJson(s))
        .filter((s): s is Statement => s !== null && typeof s === "object");
    if (known.some((s) => lacks(s, name).length === 0)) {
        return;
    }
    const denies = known.filter((s) => s.Effect === "Deny");
    const closest = [...(denies.length > 0 ? denies : known)].sort(
        (a, b) => lacks(a, name).length - lacks(b, name).length,
    )[0];
    const missing = closest === undefined ? lacks({}, name) : lacks(closest, name);
    evaluation.violation(
        document,
        "policy",
        `must hold a statement that denies every request made without TLS: ${missing.join(", ")} (a narrower deny leaves plaintext requests allowed); its closest statement is ${describe(closest)}.`,
    );
}

/** Every bucket has a bucket policy that denies every request made without TLS, on the bucket and all its objects. */
export const s3BucketTlsOnly = stackPolicy({
    name: "s3-bucket-tls-only",
    description:
        "Checks whether S3 bucket policies deny every request made without TLS, on the bucket and all its objects.",
    validate: (args, evaluation) => {
        for (const bucket of bucketsOf(args)) {
            requireNoInline(evaluation, bucket, "policy", S3_POLICY);
            const name = bucketNameOf(bucket);
            judgeSiblings(
                args,
                evaluation,
                bucket,
                [S3_POLICY],
                'whose policy denies Principal "*" every action "s3:*" on the bucket and `<arn>/*` under Bool aws:SecureTransport "false"',
                (document) => judgePolicy(evaluation, document, name),
            );
        }
    },
});
