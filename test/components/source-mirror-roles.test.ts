// SourceMirror's IAM roles: the build role's trust and least-privilege inline policy, and both
// service roles' trust policies evaluated by iam-simulate. Shared fixtures: source-mirror-fixtures.ts.
import * as assert from "assert";
import { OfflineRun } from "../../offline/engine";
import { evaluate } from "../support/iam";
import { inputsOf, named, policyOf } from "../support/offline";
import {
    ACCOUNT,
    BUCKET_ARN,
    declareMirror,
    KEY_ARN,
    OTHER_ACCOUNT,
    PROJECT,
    ROLE,
    ROLE_POLICY,
    SECRET_ARN,
    statementsOf,
} from "./source-mirror-fixtures";

describe("components/source-mirror: SourceMirror", () => {
    let run: OfflineRun;
    before(async () => {
        run = await declareMirror();
    });

    describe("the build role (least privilege)", () => {
        // "Allow CodeBuild to interact with other AWS services" (CodeBuild User Guide): the
        // trust policy's aws:SourceAccount is the project's owner, aws:SourceArn its ARN.
        it("is assumed by CodeBuild only, on behalf of this project of the stack's account", () => {
            const trust = policyOf(named(run, ROLE, "mirror-build"), "assumeRolePolicy");
            assert.deepStrictEqual(trust.Statement, [
                {
                    Effect: "Allow",
                    Principal: { Service: "codebuild.amazonaws.com" },
                    Action: "sts:AssumeRole",
                    Condition: {
                        StringEquals: { "aws:SourceAccount": ACCOUNT },
                        ArnLike: { "aws:SourceArn": `arn:aws:codebuild:us-east-1:${ACCOUNT}:project/mirror` },
                    },
                },
            ]);
            // The ARN in the condition is the project's own (formed before the project exists).
            assert.strictEqual(trust.Statement[0].Condition.ArnLike["aws:SourceArn"], run.outputs.projectArn);
            assert.strictEqual(
                inputsOf(named(run, PROJECT, "mirror-project")).serviceRole,
                "arn:aws:iam::123456789012:role/mirror-build",
            );
        });

        it("may write only its own log group", () => {
            const logs = statementsOf(named(run, ROLE_POLICY, "mirror-build")).find(
                (s) => s.Sid === "WriteOwnLogs",
            );
            assert.ok(logs);
            assert.deepStrictEqual(logs.Action, ["logs:CreateLogStream", "logs:PutLogEvents"]);
            const groupArn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/codebuild/mirror";
            assert.deepStrictEqual(logs.Resource, [groupArn, `${groupArn}:*`]);
        });

        it("may only put objects under the repository's git-bundles/ prefix", () => {
            const statements = statementsOf(named(run, ROLE_POLICY, "mirror-build"));
            const s3 = statements.filter((s) => JSON.stringify(s.Action).includes("s3:"));
            assert.deepStrictEqual(s3, [
                {
                    Sid: "WriteBundlesOnly",
                    Effect: "Allow",
                    Action: "s3:PutObject",
                    Resource: `${BUCKET_ARN}/git-bundles/webank/platform/*`,
                },
            ]);
            assert.ok(String(s3[0].Resource).startsWith(`${BUCKET_ARN}/git-bundles/`));
        });

        it("may encrypt with the key, and decrypt only through S3 (multipart uploads) and Secrets Manager", () => {
            const statements = statementsOf(named(run, ROLE_POLICY, "mirror-build"));
            const kms = statements.filter((s) => JSON.stringify(s.Action).includes("kms:"));
            assert.deepStrictEqual(
                kms.map((s) => [s.Action, s.Resource, s.Condition]),
                [
                    [["kms:GenerateDataKey", "kms:Encrypt"], KEY_ARN, undefined],
                    [
                        "kms:Decrypt",
                        KEY_ARN,
                        {
                            StringLike: {
                                "kms:ViaService": ["s3.*.amazonaws.com", "secretsmanager.*.amazonaws.com"],
                            },
                        },
                    ],
                ],
            );
        });

        it("may read only the token secret", () => {
            const statements = statementsOf(named(run, ROLE_POLICY, "mirror-build"));
            const secrets = statements.filter((s) => JSON.stringify(s.Action).includes("secretsmanager:"));
            assert.deepStrictEqual(
                secrets.map((s) => [s.Action, s.Resource]),
                [["secretsmanager:GetSecretValue", SECRET_ARN]],
            );
        });

        it("grants nothing else: no wildcard actions or resources, five statements in all", () => {
            const statements = statementsOf(named(run, ROLE_POLICY, "mirror-build"));
            assert.strictEqual(statements.length, 5);
            for (const statement of statements) {
                assert.strictEqual(statement.Effect, "Allow");
                for (const action of ([] as unknown[]).concat(statement.Action)) {
                    assert.doesNotMatch(String(action), /\*/, `wildcard action ${String(action)}`);
                }
                for (const resource of ([] as unknown[]).concat(statement.Resource)) {
                    assert.notStrictEqual(resource, "*");
                }
            }
        });
    });

    describe("its service roles, evaluated by iam-simulate", () => {
        const projectArn = (account: string, project = "mirror") =>
            `arn:aws:codebuild:us-east-1:${account}:project/${project}`;
        const ruleArn = (account: string, rule = "mirror-schedule") =>
            `arn:aws:events:us-east-1:${account}:rule/${rule}`;
        const assume = (role: string, service: string, sourceAccount: string, sourceArn: string) =>
            evaluate({
                principal: service,
                action: "sts:AssumeRole",
                resource: `arn:aws:iam::${ACCOUNT}:role/${role}`,
                resourcePolicy: policyOf(named(run, ROLE, role), "assumeRolePolicy"),
                context: { "aws:SourceAccount": sourceAccount, "aws:SourceArn": sourceArn },
            });

        it("lets CodeBuild assume the build role for this project of this account only", async () => {
            const allowed = await assume(
                "mirror-build",
                "codebuild.amazonaws.com",
                ACCOUNT,
                projectArn(ACCOUNT),
            );
            assert.strictEqual(allowed.result, "Allowed");
            // Both conditions were evaluated, not dropped as inapplicable to sts:AssumeRole.
            assert.deepStrictEqual(allowed.ignoredContextKeys, []);
            for (const [account, arn] of [
                [OTHER_ACCOUNT, projectArn(OTHER_ACCOUNT)],
                [ACCOUNT, projectArn(ACCOUNT, "someone-else")],
            ]) {
                const denied = await assume("mirror-build", "codebuild.amazonaws.com", account, arn);
                assert.strictEqual(denied.result, "ImplicitlyDenied", `${account} ${arn}`);
            }
        });

        it("lets EventBridge assume the start role for this rule of this account only", async () => {
            const allowed = await assume("mirror-start", "events.amazonaws.com", ACCOUNT, ruleArn(ACCOUNT));
            assert.strictEqual(allowed.result, "Allowed");
            assert.deepStrictEqual(allowed.ignoredContextKeys, []);
            for (const [account, arn] of [
                [OTHER_ACCOUNT, ruleArn(OTHER_ACCOUNT)],
                [ACCOUNT, ruleArn(ACCOUNT, "someone-else")],
            ]) {
                const denied = await assume("mirror-start", "events.amazonaws.com", account, arn);
                assert.strictEqual(denied.result, "ImplicitlyDenied", `${account} ${arn}`);
            }
        });

        it("takes the source account from its accountId argument (the rule's ARN from the rule)", async () => {
            const other = await declareMirror({ accountId: OTHER_ACCOUNT });
            const condition = (role: string) =>
                policyOf(named(other, ROLE, role), "assumeRolePolicy").Statement[0].Condition;
            for (const role of ["mirror-build", "mirror-start"]) {
                assert.deepStrictEqual(condition(role).StringEquals, { "aws:SourceAccount": OTHER_ACCOUNT });
            }
            assert.strictEqual(condition("mirror-build").ArnLike["aws:SourceArn"], projectArn(OTHER_ACCOUNT));
            // The fake cloud's account owns the rule: its ARN is read, not formed.
            assert.strictEqual(condition("mirror-start").ArnLike["aws:SourceArn"], ruleArn(ACCOUNT));
        });
    });
});
