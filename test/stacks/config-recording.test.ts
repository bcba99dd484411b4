import * as assert from "assert";
import { AUDIT_RECORDED_RESOURCE_TYPES } from "../../components/config-recording";
import { OfflineRun } from "../../offline/engine";
import { ACCOUNT_ID, evaluate } from "../support/iam";
import { inputsOf, named, ofType, policyOf, runStack } from "../support/offline";

const RECORDER = "aws:cfg/recorder:Recorder";
const NAME = "webank-backup-audit";
const HOME = "us-east-1";
const OTHER_ACCOUNT = "210987654321";
const ARTIFACT_BUCKET = `webank-artifacts-${ACCOUNT_ID}-${HOME}`;

/** Any AWS Config resource, or a role AWS Config could assume. */
function configResources(run: OfflineRun): string[] {
    return run.resources
        .filter(
            (r) =>
                r.type.startsWith("aws:cfg/") ||
                (r.type === "aws:iam/role:Role" &&
                    String(inputsOf(r).assumeRolePolicy).includes("config.amazonaws.com")),
        )
        .map((r) => `${r.type} ${r.name}`);
}

/**
 * The AWS Config recording of the primary plan, where the backup audit framework is: its
 * placement, and its role, bucket and key policies evaluated by a real IAM evaluator (the
 * policies come from the plan, so a statement removed from any of them fails a request here).
 */
describe("stacks: AWS Config recording for the backup audit framework", function () {
    this.timeout(180_000);
    let primary: OfflineRun;
    before(async () => {
        primary = await runStack("primary");
    });

    it("records the audit's resource types in the framework's region, and turns recording on", () => {
        const framework = named(
            primary,
            "aws:backup/framework:Framework",
            "webank-backup-assurance-framework",
        );
        const recorder = named(primary, RECORDER, `${NAME}-recorder`);
        assert.strictEqual(recorder.region, framework.region);
        assert.strictEqual(recorder.region, HOME);
        assert.deepStrictEqual(inputsOf(recorder).recordingGroup.resourceTypes, [
            ...AUDIT_RECORDED_RESOURCE_TYPES,
        ]);
        const status = named(primary, "aws:cfg/recorderStatus:RecorderStatus", `${NAME}-status`);
        assert.strictEqual(inputsOf(status).isEnabled, true);
        assert.match(String(primary.outputs.configRecording), new RegExp(`^created: recorder ${NAME} `));
    });

    it("delivers to the artifact bucket (KMS, TLS-only, versioned, replicated) under aws-config/", () => {
        const channel = named(primary, "aws:cfg/deliveryChannel:DeliveryChannel", `${NAME}-delivery`);
        assert.strictEqual(inputsOf(channel).s3BucketName, ARTIFACT_BUCKET);
        assert.strictEqual(inputsOf(channel).s3KeyPrefix, "aws-config");
        // Encrypted with the bucket's own default key, so S3 Bucket Keys apply to it as to the rest.
        const encryption = named(
            primary,
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "webank-artifacts-bucket-source-encryption",
        );
        const bucketKey = inputsOf(encryption).rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId;
        assert.match(String(bucketKey), /^arn:aws:kms:us-east-1:123456789012:key\/mrk-/);
        assert.strictEqual(inputsOf(channel).s3KmsKeyArn, bucketKey);
    });

    describe("the role AWS Config assumes", () => {
        const role = () => named(primary, "aws:iam/role:Role", `${NAME}-role`);
        const assume = (context: Record<string, string>) =>
            evaluate({
                principal: "config.amazonaws.com",
                action: "sts:AssumeRole",
                resource: `arn:aws:iam::${ACCOUNT_ID}:role/${NAME}-role`,
                resourcePolicy: policyOf(role(), "assumeRolePolicy"),
                context,
            });

        it("may be assumed by AWS Config for this account's recorder in the home region only", async () => {
            const own = await assume({
                "aws:SourceAccount": ACCOUNT_ID,
                "aws:SourceArn": `arn:aws:config:${HOME}:${ACCOUNT_ID}:config-recorder/${NAME}`,
            });
            assert.deepStrictEqual(own, { result: "Allowed", ignoredContextKeys: [] });
            const others: Array<Record<string, string>> = [
                // Config acting for another account: the confused deputy the condition stops.
                {
                    "aws:SourceAccount": OTHER_ACCOUNT,
                    "aws:SourceArn": `arn:aws:config:${HOME}:${OTHER_ACCOUNT}:config-recorder/default`,
                },
                // This account's Config in another region.
                {
                    "aws:SourceAccount": ACCOUNT_ID,
                    "aws:SourceArn": `arn:aws:config:us-west-2:${ACCOUNT_ID}:config-recorder/default`,
                },
                {},
            ];
            for (const context of others) {
                assert.strictEqual(
                    (await assume(context)).result,
                    "ImplicitlyDenied",
                    JSON.stringify(context),
                );
            }
        });
    });

    describe("delivery into the artifact bucket", () => {
        const roleArn = `arn:aws:iam::${ACCOUNT_ID}:role/${NAME}-role`;
        const rolePolicy = () =>
            policyOf(named(primary, "aws:iam/rolePolicy:RolePolicy", `${NAME}-delivery-access`));
        const bucketPolicy = () =>
            policyOf(
                named(primary, "aws:s3/bucketPolicy:BucketPolicy", "webank-artifacts-bucket-source-tls-only"),
            );
        const history = (account: string) =>
            `aws-config/AWSLogs/${account}/Config/${HOME}/2026/11/25/ConfigHistory/${account}_Config_${HOME}_ConfigHistory_AWS::Backup::RecoveryPoint_20261125T000000Z_20261125T060000Z_1.json.gz`;
        const put = (key: string, context: Record<string, string>) =>
            evaluate({
                principal: roleArn,
                action: "s3:PutObject",
                resource: `arn:aws:s3:::${ARTIFACT_BUCKET}/${key}`,
                identityPolicies: [rolePolicy()],
                resourcePolicy: bucketPolicy(),
                context,
            });
        const delivery = { "aws:SecureTransport": "true", "s3:x-amz-acl": "bucket-owner-full-control" };

        it("lets AWS Config write this account's history, as it sends it (TLS, bucket-owner-full-control)", async () => {
            assert.deepStrictEqual(await put(history(ACCOUNT_ID), delivery), {
                result: "Allowed",
                ignoredContextKeys: [],
            });
        });

        it("refuses history of another account, other prefixes of the bucket, and writes without TLS", async () => {
            assert.strictEqual((await put(history(OTHER_ACCOUNT), delivery)).result, "ImplicitlyDenied");
            assert.strictEqual(
                (await put("helm-charts/webank/app-1.0.0.tgz", delivery)).result,
                "ImplicitlyDenied",
            );
            assert.strictEqual(
                (await put(history(ACCOUNT_ID), { ...delivery, "aws:SecureTransport": "false" })).result,
                "ExplicitlyDenied",
            );
            assert.strictEqual(
                (
                    await put(history(ACCOUNT_ID), {
                        "aws:SecureTransport": "true",
                        "s3:x-amz-acl": "public-read",
                    })
                ).result,
                "ImplicitlyDenied",
            );
        });

        it("lets the role use the data key through S3 in the home region only", async () => {
            const key = named(primary, "aws:kms/key:Key", "webank-data-key");
            const keyArn = String(
                inputsOf(named(primary, "aws:cfg/deliveryChannel:DeliveryChannel", `${NAME}-delivery`))
                    .s3KmsKeyArn,
            );
            const use = (action: string, context: Record<string, string>) =>
                evaluate({
                    principal: roleArn,
                    action,
                    resource: keyArn,
                    identityPolicies: [rolePolicy()],
                    resourcePolicy: policyOf(key),
                    context,
                });
            for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
                const viaS3 = await use(action, { "kms:ViaService": `s3.${HOME}.amazonaws.com` });
                assert.deepStrictEqual(viaS3, { result: "Allowed", ignoredContextKeys: [] }, action);
                assert.strictEqual((await use(action, {})).result, "ImplicitlyDenied", action);
            }
        });
    });

    it("with webank:configRecorder existing, declares nothing for AWS Config and says what the account must record", async () => {
        const existing = await runStack("primary", { "webank:configRecorder": "existing" });
        assert.deepStrictEqual(configResources(existing), []);
        assert.strictEqual(
            existing.outputs.configRecording,
            `existing: the account's recorder must record ${AUDIT_RECORDED_RESOURCE_TYPES.join(", ")} in ${HOME}`,
        );
        // The framework is still declared: it reads the account's own recording.
        assert.strictEqual(ofType(existing, "aws:backup/framework:Framework").length, 1);
    });

    it("declares no recorder in the dr stack, which has no audit framework", async () => {
        const dr = await runStack("dr", {}, { primary: primary.outputs });
        assert.deepStrictEqual(ofType(dr, "aws:backup/framework:Framework"), []);
        assert.deepStrictEqual(configResources(dr), []);
    });
});
