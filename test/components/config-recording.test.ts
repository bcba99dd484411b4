import * as assert from "assert";
import { PROTECTED_RESOURCE_TYPES } from "../../components/backup-assurance";
import {
    AUDIT_RECORDED_RESOURCE_TYPES,
    ConfigRecording,
    ConfigRecordingArgs,
    configRecordingFor,
} from "../../components/config-recording";
import { OfflineRun } from "../../offline/engine";
import { refusedBeforeDeclaring } from "../support/rejection";
import { inputsOf, named, ofType } from "../support/offline";
import { runComponent } from "../support/component";

const RECORDER = "aws:cfg/recorder:Recorder";
const CHANNEL = "aws:cfg/deliveryChannel:DeliveryChannel";
const STATUS = "aws:cfg/recorderStatus:RecorderStatus";
const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const NAME = "webank-backup-audit";

/**
 * What Backup Audit Manager needs AWS Config to record for the framework's controls, written
 * out from the documentation rather than imported, so a type dropped from the program fails
 * here: every control needs AWS::Config::ResourceCompliance; the plan, vault and recovery-point
 * controls need the AWS Backup types (AWS Backup Developer Guide, "Choosing your controls");
 * the controls scoped to RDS, EBS, DynamoDB and S3 run as AWS Config rules on the protected
 * resources themselves (AWS Config Developer Guide: rds-, ebs-, dynamodb- and
 * s3-resources-protected-by-backup-plan, "Resource Types").
 */
const REQUIRED_TYPES = [
    "AWS::Backup::BackupPlan",
    "AWS::Backup::BackupSelection",
    "AWS::Backup::BackupVault",
    "AWS::Backup::RecoveryPoint",
    "AWS::Config::ResourceCompliance",
    "AWS::RDS::DBInstance",
    "AWS::EC2::Volume",
    "AWS::DynamoDB::Table",
    "AWS::S3::Bucket",
];

const ARGS: ConfigRecordingArgs = {
    accountId: "123456789012",
    region: "us-east-1",
    bucketName: "webank-artifacts-123456789012-us-east-1",
    bucketArn: "arn:aws:s3:::webank-artifacts-123456789012-us-east-1",
    kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab",
};

/** Declares one ConfigRecording (home provider) and returns the run. */
function declareRecording(overrides: Partial<ConfigRecordingArgs> = {}): Promise<OfflineRun> {
    return runComponent((provider) => {
        const recording = new ConfigRecording(NAME, { ...ARGS, ...overrides }, { provider });
        return { recorderName: recording.recorderName, summary: recording.summary };
    });
}

describe("ConfigRecording", () => {
    let run: OfflineRun;
    before(async () => {
        run = await declareRecording();
    });
    const recorder = () => named(run, RECORDER, `${NAME}-recorder`);
    const channel = () => named(run, CHANNEL, `${NAME}-delivery`);

    it("records exactly the types the audit controls evaluate, and not every supported type", () => {
        const group = inputsOf(recorder()).recordingGroup;
        assert.strictEqual(group.allSupported, false);
        assert.deepStrictEqual(group.recordingStrategies, [{ useOnly: "INCLUSION_BY_RESOURCE_TYPES" }]);
        assert.deepStrictEqual([...group.resourceTypes].sort(), [...REQUIRED_TYPES].sort());
        assert.deepStrictEqual([...AUDIT_RECORDED_RESOURCE_TYPES].sort(), [...REQUIRED_TYPES].sort());
    });

    it("has a recorded type for every resource kind the controls are scoped to", () => {
        // Five types every framework needs, then one per protected kind: a kind added to the
        // controls' scope without its AWS Config type would be evaluated on nothing.
        assert.strictEqual(AUDIT_RECORDED_RESOURCE_TYPES.length, 5 + PROTECTED_RESOURCE_TYPES.length);
    });

    it("records changes as they happen, so a new recovery point is evaluated the day it is made", () => {
        assert.deepStrictEqual(inputsOf(recorder()).recordingMode, { recordingFrequency: "CONTINUOUS" });
    });

    it("records one region: the recorder, channel and status are all in the framework's region", () => {
        for (const type of [RECORDER, CHANNEL, STATUS]) {
            assert.deepStrictEqual(
                ofType(run, type).map((r) => r.region),
                ["us-east-1"],
            );
        }
    });

    it("delivers under its prefix to the given bucket, encrypted with the customer key", () => {
        const inputs = inputsOf(channel());
        assert.strictEqual(inputs.s3BucketName, ARGS.bucketName);
        assert.strictEqual(inputs.s3KeyPrefix, "aws-config");
        assert.strictEqual(inputs.s3KmsKeyArn, ARGS.kmsKeyArn);
    });

    it("turns recording on, only once the delivery channel exists", () => {
        const status = named(run, STATUS, `${NAME}-status`);
        assert.strictEqual(inputsOf(status).isEnabled, true);
        assert.strictEqual(inputsOf(status).name, inputsOf(recorder()).name);
        assert.ok(status.dependencies.includes(channel().urn), "the status must depend on the channel");
    });

    it("creates the channel after the recorder and after the role may write to the bucket", () => {
        // PutDeliveryChannel needs a recorder and checks that it can write to the bucket.
        const access = named(run, ROLE_POLICY, `${NAME}-delivery-access`);
        assert.ok(channel().dependencies.includes(recorder().urn));
        assert.ok(channel().dependencies.includes(access.urn));
    });

    it("gives the role AWS_ConfigRole, which AWS keeps current with every type Config records", () => {
        const attachments = ofType(run, ATTACHMENT).map((a) => inputsOf(a).policyArn);
        assert.deepStrictEqual(attachments, ["arn:aws:iam::aws:policy/service-role/AWS_ConfigRole"]);
        const role = named(run, ROLE, `${NAME}-role`);
        assert.ok(recorder().dependencies.includes(role.urn));
    });

    it("summarizes what it records and where, for the stack outputs", () => {
        assert.strictEqual(
            run.outputs.summary,
            `created: recorder ${NAME} records ${REQUIRED_TYPES.length} resource types in us-east-1 for the backup audit framework`,
        );
    });

    describe("with webank:configRecorder existing", () => {
        it("declares no AWS Config resource or role, and says what the account's recorder must record", async () => {
            const existing = await runComponent((provider) => ({
                summary: configRecordingFor("existing", NAME, ARGS, { provider }),
            }));
            assert.deepStrictEqual(
                existing.resources.filter((r) => r.custom && r.type.startsWith("aws:")).map((r) => r.type),
                [],
            );
            assert.match(
                String(existing.outputs.summary),
                /^existing: the account's recorder must record AWS::Backup::BackupPlan, .*AWS::S3::Bucket in us-east-1$/,
            );
        });

        it("declares the recording with create", async () => {
            const created = await runComponent((provider) => ({
                summary: configRecordingFor("create", NAME, ARGS, { provider }),
            }));
            assert.strictEqual(ofType(created, RECORDER).length, 1);
        });
    });

    describe("validation", () => {
        const cases: Array<[string, Partial<ConfigRecordingArgs>, string, string]> = [
            ["region", { region: "us-east" }, "be an AWS region name", '"us-east"'],
            ["keyPrefix", { keyPrefix: "/config" }, "be an S3 key prefix", '"/config"'],
            ["keyPrefix", { keyPrefix: "aws config/" }, "be an S3 key prefix", '"aws config/"'],
        ];
        for (const [field, overrides, requirement, received] of cases) {
            it(`refuses ${field} ${received} before declaring any child, naming the argument and the value`, async () => {
                await assert.rejects(
                    () => declareRecording(overrides),
                    refusedBeforeDeclaring(
                        `ConfigRecording(${NAME}).${field}`,
                        requirement,
                        received,
                        (r) => r.type.startsWith("aws:cfg/") || r.type.startsWith("aws:iam/"),
                    ),
                );
            });
        }
    });
});
