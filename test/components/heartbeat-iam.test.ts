import * as assert from "assert";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { DatabaseHeartbeat, DatabaseHeartbeatArgs } from "../../components/heartbeat";
import { setupPolicy } from "../../components/heartbeat-parts";
import { HEARTBEAT_TABLE } from "../../lib/heartbeat";
import { heartbeatInsertStatement, pgLiteral } from "../../lib/heartbeat-writer";
import { OfflineRun, RecordedResource } from "../../offline/engine";
import { variantOverrides } from "../../offline/stack-variants";
import { runComponent } from "../support/component";
import { envOf, podOf } from "../support/heartbeat-lab";
import { ACCOUNT_ID, evaluate } from "../support/iam";
import { inputsOf, named, policyOf, runStack } from "../support/offline";
import { refusedBeforeDeclaring } from "../support/rejection";

/*
 * The database heartbeat's IAM, exactly and as a real IAM evaluator reads it (its two IRSA
 * roles' policies and trusts, in primary and in an activated dr), and the component's argument
 * checks, which run it alone. Where it is declared, its CronJob, Job and secret:
 * test/components/heartbeat.test.ts.
 */

const COMPONENT = "webank:platform:DatabaseHeartbeat";
const JOB = "kubernetes:batch/v1:Job";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";

describe("components/heartbeat: DatabaseHeartbeat, IAM and arguments", () => {
    let primary: OfflineRun;
    let activated: OfflineRun;
    before(async () => {
        primary = await runStack("primary");
        activated = await runStack("dr", variantOverrides("dr:activated"), { primary: primary.outputs });
    });

    describe("IAM", () => {
        const connectArn = (region: string, resourceId: unknown) =>
            `arn:aws:rds-db:${region}:${ACCOUNT_ID}:dbuser:${String(resourceId)}/webank_dr_heartbeat`;

        it("the writer may rds-db:connect as webank_dr_heartbeat of its instance, exactly", () => {
            for (const [run, name, region] of [
                [primary, "webank-primary-heartbeat-writer", "us-east-1"],
                [activated, "webank-dr-heartbeat-writer", "us-west-2"],
            ] as const) {
                assert.deepStrictEqual(policyOf(named(run, ROLE_POLICY, name)), {
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "ConnectAsTheHeartbeatWriterOnly",
                            Effect: "Allow",
                            Action: "rds-db:connect",
                            Resource: connectArn(region, run.outputs.dbResourceId),
                        },
                    ],
                });
            }
        });

        it("primary's setup role reads both secrets, stores only the verifier's, uses the key only through Secrets Manager", () => {
            assert.deepStrictEqual(policyOf(named(primary, ROLE_POLICY, "webank-primary-heartbeat-setup")), {
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "ReadMasterAndVerifierSecrets",
                        Effect: "Allow",
                        Action: "secretsmanager:GetSecretValue",
                        Resource: [primary.outputs.dbSecretArn, primary.outputs.dbVerifierSecretArn],
                    },
                    {
                        Sid: "StoreTheVerifierPasswordOnly",
                        Effect: "Allow",
                        Action: "secretsmanager:PutSecretValue",
                        Resource: primary.outputs.dbVerifierSecretArn,
                    },
                    {
                        Sid: "GenerateThePassword",
                        Effect: "Allow",
                        Action: "secretsmanager:GetRandomPassword",
                        Resource: "*",
                    },
                    {
                        Sid: "UseTheKeyThroughSecretsManagerOnly",
                        Effect: "Allow",
                        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                        Resource: primary.outputs.dataKeyArn,
                        Condition: {
                            StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" },
                        },
                    },
                ],
            });
        });

        it("dr's setup role only reads: the restored instance's master secret and the replica, found by name", () => {
            const policy = policyOf(named(activated, ROLE_POLICY, "webank-dr-heartbeat-setup"));
            const drKey = inputsOf(
                named(activated, "aws:rds/instance:Instance", "webank-db-dr-1-instance"),
            ).kmsKeyId;
            assert.deepStrictEqual(policy, {
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "ReadMasterAndVerifierSecrets",
                        Effect: "Allow",
                        Action: "secretsmanager:GetSecretValue",
                        Resource: [
                            activated.outputs.dbSecretArn,
                            `arn:aws:secretsmanager:us-west-2:${ACCOUNT_ID}:secret:webank/db-verifier-??????`,
                        ],
                    },
                    {
                        Sid: "UseTheKeyThroughSecretsManagerOnly",
                        Effect: "Allow",
                        Action: "kms:Decrypt",
                        Resource: drKey,
                        Condition: {
                            StringEquals: { "kms:ViaService": "secretsmanager.us-west-2.amazonaws.com" },
                        },
                    },
                ],
            });
            assert.match(String(activated.outputs.dbSecretArn), /:us-west-2:.*:secret:rds!db-/);
            const fetch = envOf(podOf(named(activated, JOB, "webank-dr-heartbeat-setup")).initContainers[0]);
            assert.strictEqual(fetch.VERIFIER_SECRET_ID, "webank/db-verifier");
            assert.strictEqual(fetch.VERIFIER_SECRET_WRITABLE, "false");
            assert.strictEqual(fetch.MASTER_SECRET_ID, activated.outputs.dbSecretArn);
        });

        it("as evaluated: the writer connects as its user only; the dr setup role cannot write the replica", async () => {
            const writer = policyOf(named(activated, ROLE_POLICY, "webank-dr-heartbeat-writer"));
            const role = `arn:aws:iam::${ACCOUNT_ID}:role/webank-dr-heartbeat-writer`;
            const connect = (resource: string) =>
                evaluate({ principal: role, action: "rds-db:connect", resource, identityPolicies: [writer] });
            const resourceId = activated.outputs.dbResourceId;
            assert.strictEqual((await connect(connectArn("us-west-2", resourceId))).result, "Allowed");
            for (const other of [
                `arn:aws:rds-db:us-west-2:${ACCOUNT_ID}:dbuser:${String(resourceId)}/webank_admin`,
                `arn:aws:rds-db:us-west-2:${ACCOUNT_ID}:dbuser:${String(resourceId)}/webank_dr_verifier`,
                connectArn("us-west-2", "db-ANOTHERINSTANCE0000000000"),
            ]) {
                assert.strictEqual((await connect(other)).result, "ImplicitlyDenied", other);
            }

            const setup = policyOf(named(activated, ROLE_POLICY, "webank-dr-heartbeat-setup"));
            const setupRole = `arn:aws:iam::${ACCOUNT_ID}:role/webank-dr-heartbeat-setup`;
            const replica = `arn:aws:secretsmanager:us-west-2:${ACCOUNT_ID}:secret:webank/db-verifier-AbC123`;
            // KMS also needs the key's policy to allow: the DR replica key's, from the primary plan.
            const keyPolicy = policyOf(
                named(primary, "aws:kms/replicaKey:ReplicaKey", "webank-data-replica"),
            );
            const ask = (action: string, resource: string, context?: Record<string, string>) =>
                evaluate({
                    principal: setupRole,
                    action,
                    resource,
                    identityPolicies: [setup],
                    resourcePolicy: action.startsWith("kms:") ? keyPolicy : undefined,
                    context,
                });
            assert.strictEqual((await ask("secretsmanager:GetSecretValue", replica)).result, "Allowed");
            for (const [action, resource] of [
                ["secretsmanager:PutSecretValue", replica],
                ["secretsmanager:GetRandomPassword", "*"],
                // A longer name that merely starts the same is not matched by -??????.
                [
                    "secretsmanager:GetSecretValue",
                    `arn:aws:secretsmanager:us-west-2:${ACCOUNT_ID}:secret:webank/db-verifier-old-AbC123`,
                ],
            ]) {
                assert.strictEqual(
                    (await ask(action, resource)).result,
                    "ImplicitlyDenied",
                    `${action} ${resource}`,
                );
            }
            const key = (setup.Statement as { Sid: string; Resource: string }[]).find(
                (s) => s.Sid === "UseTheKeyThroughSecretsManagerOnly",
            )!.Resource;
            const viaSecretsManager = await ask("kms:Decrypt", key, {
                "kms:ViaService": "secretsmanager.us-west-2.amazonaws.com",
            });
            assert.strictEqual(viaSecretsManager.result, "Allowed");
            assert.deepStrictEqual(viaSecretsManager.ignoredContextKeys, []);
            assert.strictEqual((await ask("kms:Decrypt", key)).result, "ImplicitlyDenied", "not directly");
        });

        it("only each service account of webank-dr may assume its role", () => {
            for (const [account, name] of [
                ["heartbeat-writer", "webank-primary-heartbeat-writer"],
                ["heartbeat-setup", "webank-primary-heartbeat-setup"],
            ]) {
                const trust = policyOf(named(primary, "aws:iam/role:Role", name), "assumeRolePolicy");
                const [statement] = trust.Statement;
                const issuer = Object.keys(statement.Condition.StringEquals)[0].replace(/:sub$/, "");
                assert.deepStrictEqual(statement.Condition.StringEquals, {
                    [`${issuer}:sub`]: `system:serviceaccount:webank-dr:${account}`,
                    [`${issuer}:aud`]: "sts.amazonaws.com",
                });
                const sa = inputsOf(named(primary, "kubernetes:core/v1:ServiceAccount", name));
                assert.deepStrictEqual([sa.metadata.name, sa.metadata.namespace], [account, "webank-dr"]);
            }
        });
    });

    describe("arguments", () => {
        const MASTER = `arn:aws:secretsmanager:us-east-1:${ACCOUNT_ID}:secret:rds!db-0a1b-AbCdEf`;
        const VERIFIER = `arn:aws:secretsmanager:us-east-1:${ACCOUNT_ID}:secret:webank/db-verifier-AbCdEf`;
        const DATABASE = {
            address: "webank-db.abcdefghijkl.us-east-1.rds.amazonaws.com",
            resourceId: "db-ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            name: "webank",
            masterSecretArn: MASTER,
        };
        /** Arguments that work, with `overrides`; called inside a run (it declares providers). */
        const args = (overrides: Partial<DatabaseHeartbeatArgs>): DatabaseHeartbeatArgs => ({
            provider: new k8s.Provider("k8s", { kubeconfig: "{}" }),
            awsProvider: new aws.Provider("home", { region: "us-east-1" }),
            clusterName: "webank-primary",
            region: "us-east-1",
            accountId: ACCOUNT_ID,
            oidcProviderArn: `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC`,
            oidcIssuer: "oidc.eks.us-east-1.amazonaws.com/id/ABC",
            database: DATABASE,
            verifierSecret: { secretId: VERIFIER, arn: VERIFIER, writable: true },
            kmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT_ID}:key/mrk-0123`,
            ...overrides,
        });
        const declare = (overrides: Partial<DatabaseHeartbeatArgs>) =>
            runComponent(() => {
                new DatabaseHeartbeat("hb", args(overrides));
                return {};
            });
        const child = (r: RecordedResource) => r.type !== COMPONENT && r.name.startsWith("hb-");

        it("refuses a region outside the aws partition and an unquotable database name, before declaring anything", async () => {
            await assert.rejects(
                declare({ region: "cn-north-1" }),
                refusedBeforeDeclaring(
                    "DatabaseHeartbeat(hb).region",
                    "be a region of the aws partition",
                    '"cn-north-1"',
                    child,
                ),
            );
            await assert.rejects(
                declare({ database: { ...DATABASE, name: "Web-Bank" } }),
                refusedBeforeDeclaring(
                    "DatabaseHeartbeat(hb).database.name",
                    "be 1 to 63",
                    '"Web-Bank"',
                    child,
                ),
            );
        });

        it("refuses a database without an RDS-managed master secret, and a verifier secret that is not one", () => {
            const target = {
                owner: "DatabaseHeartbeat(hb)",
                region: "us-east-1",
                masterSecretArn: MASTER,
                verifierSecretArn: VERIFIER,
                kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/mrk-0123",
                writable: false,
            };
            assert.doesNotThrow(() => setupPolicy(target));
            assert.throws(
                () => setupPolicy({ ...target, masterSecretArn: undefined }),
                /DatabaseHeartbeat\(hb\)\.database\.masterSecretArn must be the complete ARN .*; got undefined/,
            );
            assert.throws(
                () =>
                    setupPolicy({
                        ...target,
                        verifierSecretArn: "arn:aws:secretsmanager:us-east-1:1:secret:x-*",
                    }),
                /verifierSecret\.arn must be a complete secret ARN or its <name>-\?\?\?\?\?\? pattern/,
            );
        });

        it("quotes the source as a PostgreSQL literal, whatever it holds", () => {
            assert.strictEqual(pgLiteral("it's"), "'it''s'");
            assert.strictEqual(
                heartbeatInsertStatement("a'b"),
                `INSERT INTO ${HEARTBEAT_TABLE} (source) VALUES ('a''b')`,
            );
            assert.throws(() => pgLiteral("a\0b"), /NUL/);
        });
    });
});
