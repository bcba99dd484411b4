import * as assert from "assert";
import { OfflineRun } from "../../offline/engine";
import { ACCOUNT_ID, ADMIN_ROLE_ARN, ALLOW_EVERYTHING, evaluate } from "../support/iam";
import { inputsOf, named, ofType, policyOf, runStack } from "../support/offline";

/** The EC2 Auto Scaling service-linked role, which launches the node group's instances. */
const AUTOSCALING_ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;

/**
 * Key, vault and trust policies from the primary plan (which holds both regions' keys and vaults),
 * evaluated by a real IAM evaluator. A request that must be allowed fails the test when a
 * statement it needs is removed; one that must be denied fails it when the denial is.
 */
describe("IAM policies of the plan, evaluated by iam-simulate", () => {
    let run: OfflineRun;
    before(async () => {
        run = await runStack("primary");
    });

    const keyArn = (region: string) =>
        `arn:aws:kms:${region}:${ACCOUNT_ID}:key/mrk-1234abcd12ab34cd56ef1234567890ab`;

    /** Both data keys: the home-region key and its DR-region replica. */
    for (const key of [
        { what: "home data key", type: "aws:kms/key:Key", name: "webank-data-key", region: "us-east-1" },
        {
            what: "DR replica key",
            type: "aws:kms/replicaKey:ReplicaKey",
            name: "webank-data-replica",
            region: "us-west-2",
        },
    ]) {
        describe(key.what, () => {
            const policy = () => {
                const resource = named(run, key.type, key.name);
                assert.strictEqual(resource.region, key.region);
                return policyOf(resource);
            };
            it("lets the Auto Scaling role create grants for AWS resources (the EBS volumes), and only those", async () => {
                const grant = (forAwsResource: string) =>
                    evaluate({
                        principal: AUTOSCALING_ROLE,
                        action: "kms:CreateGrant",
                        resource: keyArn(key.region),
                        resourcePolicy: policy(),
                        context: { "kms:GrantIsForAWSResource": forAwsResource },
                    });
                const allowed = await grant("true");
                assert.strictEqual(allowed.result, "Allowed");
                // The condition was evaluated, not dropped as inapplicable to the action.
                assert.deepStrictEqual(allowed.ignoredContextKeys, []);
                assert.strictEqual((await grant("false")).result, "ImplicitlyDenied");
            });

            it("lets the Auto Scaling role generate and decrypt the volumes' data keys", async () => {
                for (const action of [
                    "kms:GenerateDataKeyWithoutPlaintext",
                    "kms:Decrypt",
                    "kms:DescribeKey",
                ]) {
                    const decision = await evaluate({
                        principal: AUTOSCALING_ROLE,
                        action,
                        resource: keyArn(key.region),
                        resourcePolicy: policy(),
                    });
                    assert.strictEqual(decision.result, "Allowed", action);
                }
            });

            it("gives the Auto Scaling role nothing beyond using the key (no key administration)", async () => {
                for (const action of ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey"]) {
                    const decision = await evaluate({
                        principal: AUTOSCALING_ROLE,
                        action,
                        resource: keyArn(key.region),
                        resourcePolicy: policy(),
                    });
                    assert.strictEqual(decision.result, "ImplicitlyDenied", action);
                }
            });
        });
    }

    /**
     * Trust policies of the service roles whose service documents the confused-deputy keys for
     * assuming the role (the conditions and their sources: components/source-mirror.ts). The
     * request carries the keys the service sets: the stack's account and the calling resource.
     */
    describe("service-role trust policies", () => {
        const OTHER_ACCOUNT = "210987654321";
        for (const role of [
            {
                name: "webank-source-mirror-build",
                service: "codebuild.amazonaws.com",
                sourceArn: (account: string) =>
                    `arn:aws:codebuild:us-east-1:${account}:project/webank-source-mirror`,
            },
            {
                name: "webank-source-mirror-start",
                service: "events.amazonaws.com",
                sourceArn: (account: string) =>
                    `arn:aws:events:us-east-1:${account}:rule/webank-source-mirror-schedule`,
            },
        ]) {
            const assume = (sourceAccount: string, sourceArn: string) =>
                evaluate({
                    principal: role.service,
                    action: "sts:AssumeRole",
                    resource: `arn:aws:iam::${ACCOUNT_ID}:role/${role.name}`,
                    resourcePolicy: policyOf(named(run, "aws:iam/role:Role", role.name), "assumeRolePolicy"),
                    context: { "aws:SourceAccount": sourceAccount, "aws:SourceArn": sourceArn },
                });
            it(`${role.name}: ${role.service} may assume it for the stack's account, not for another`, async () => {
                const allowed = await assume(ACCOUNT_ID, role.sourceArn(ACCOUNT_ID));
                assert.strictEqual(allowed.result, "Allowed");
                assert.deepStrictEqual(allowed.ignoredContextKeys, []);
                assert.strictEqual(
                    (await assume(OTHER_ACCOUNT, role.sourceArn(OTHER_ACCOUNT))).result,
                    "ImplicitlyDenied",
                );
                // Another account's resource, even with this account claimed as the source.
                assert.strictEqual(
                    (await assume(ACCOUNT_ID, role.sourceArn(OTHER_ACCOUNT))).result,
                    "ImplicitlyDenied",
                );
            });
        }
    });

    /**
     * Service roles whose service documents no confused-deputy key for assuming them (the
     * sources are beside each trust policy): a condition on a key the service does not send
     * would deny every request, so the service's plain AssumeRole must stay allowed.
     */
    describe("trust policies of services that send no source keys", () => {
        for (const [name, service] of [
            ["webank-state-bucket-replication", "s3.amazonaws.com"],
            ["webank-artifacts-bucket-replication", "s3.amazonaws.com"],
            ["webank-artifacts-ecr-repository-creation", "ecr.amazonaws.com"],
            ["webank-backup-role", "backup.amazonaws.com"],
            ["webank-primary-eks-nodes", "ec2.amazonaws.com"],
        ]) {
            it(`${name}: ${service} may assume it without aws:SourceAccount, and no other principal may`, async () => {
                const resourcePolicy = policyOf(named(run, "aws:iam/role:Role", name), "assumeRolePolicy");
                const assume = (principal: string) =>
                    evaluate({
                        principal,
                        action: "sts:AssumeRole",
                        resource: `arn:aws:iam::${ACCOUNT_ID}:role/${name}`,
                        resourcePolicy,
                    });
                assert.strictEqual((await assume(service)).result, "Allowed");
                assert.strictEqual((await assume("lambda.amazonaws.com")).result, "ImplicitlyDenied");
            });
        }
    });

    describe("backup vault access policies", () => {
        /** Each vault with its access policy and the ARNs a request names. */
        const vaults = () =>
            ofType(run, "aws:backup/vault:Vault").map((vault) => {
                const region = String(vault.region);
                const [policy] = ofType(run, "aws:backup/vaultPolicy:VaultPolicy").filter(
                    (p) => p.region === region,
                );
                assert.ok(policy, `${vault.name}: no vault policy in ${region}`);
                return {
                    name: vault.name,
                    policy: policyOf(policy),
                    vaultArn: `arn:aws:backup:${region}:${ACCOUNT_ID}:backup-vault:${String(inputsOf(vault).name)}`,
                    // A recovery point's ARN, the resource its actions are authorized on.
                    recoveryPointArn: `arn:aws:backup:${region}:${ACCOUNT_ID}:recovery-point:continuous:db-ABCDEFGHIJKLMNOP-1a2b3c4d`,
                };
            });
        const byAdmin = (action: string, resource: string, resourcePolicy: unknown) =>
            evaluate({
                principal: ADMIN_ROLE_ARN,
                action,
                resource,
                resourcePolicy,
                identityPolicies: [ALLOW_EVERYTHING],
            });

        it("covers both regions' vaults", () => {
            assert.deepStrictEqual(
                vaults()
                    .map((v) => v.vaultArn.split(":")[3])
                    .sort(),
                ["us-east-1", "us-west-2"],
            );
        });

        it("denies an administrator deleting a recovery point or changing its lifecycle", async () => {
            for (const vault of vaults()) {
                for (const action of ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"]) {
                    const decision = await byAdmin(action, vault.recoveryPointArn, vault.policy);
                    assert.strictEqual(decision.result, "ExplicitlyDenied", `${vault.name}: ${action}`);
                }
            }
        });

        it("denies an administrator replacing or removing the vault policy, or deleting the vault", async () => {
            for (const vault of vaults()) {
                for (const action of [
                    "backup:PutBackupVaultAccessPolicy",
                    "backup:DeleteBackupVaultAccessPolicy",
                    "backup:DeleteBackupVault",
                ]) {
                    const decision = await byAdmin(action, vault.vaultArn, vault.policy);
                    assert.strictEqual(decision.result, "ExplicitlyDenied", `${vault.name}: ${action}`);
                }
            }
        });

        it("still lets copies arrive and the recovery commands copy and restore", async () => {
            for (const vault of vaults()) {
                for (const [action, resource] of [
                    ["backup:CopyIntoBackupVault", vault.vaultArn],
                    ["backup:StartCopyJob", vault.recoveryPointArn],
                    ["backup:StartRestoreJob", vault.recoveryPointArn],
                    ["backup:DescribeRecoveryPoint", vault.recoveryPointArn],
                ]) {
                    const decision = await byAdmin(action, resource, vault.policy);
                    assert.strictEqual(decision.result, "Allowed", `${vault.name}: ${action}`);
                }
            }
        });
    });
});
