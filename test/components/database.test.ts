import * as assert from "assert";
import { OfflineRun, RecordedResource } from "../../offline/engine";
import { inputsOf, named, ofType, runStack } from "../support/offline";

const DR_BACKUPS = "arn:aws:rds:us-west-2:123456789012:auto-backup:ab-explicit0123";
const SNAPSHOT = "arn:aws:rds:us-west-2:123456789012:snapshot:webank-db-before-release";
const RECOVERY_POINT =
    "arn:aws:rds:us-west-2:123456789012:snapshot:awsbackup:job-1a2b3c4d-0000-1111-2222-333344445555";

/** The one RDS instance of a run, failing if there is not exactly one. */
function instanceOf(run: OfflineRun): RecordedResource {
    const instances = ofType(run, "aws:rds/instance:Instance");
    assert.strictEqual(instances.length, 1, `expected one database, found ${instances.length}`);
    return instances[0];
}

/** The protections every database must have, whatever it was restored from. */
function assertProtected(instance: RecordedResource, keyRegion: string): void {
    const db = inputsOf(instance);
    assert.strictEqual(db.engine, "postgres");
    assert.strictEqual(db.multiAz, true);
    assert.strictEqual(db.storageEncrypted, true);
    assert.match(db.kmsKeyId, new RegExp(`^arn:aws:kms:${keyRegion}:`));
    assert.strictEqual(db.deletionProtection, true);
    assert.strictEqual(db.skipFinalSnapshot, false);
    // One snapshot name per generation of the instance: a fixed "<id>-final" would make the
    // deletion of a second instance of the same identifier fail (DBSnapshotAlreadyExists).
    // RDS: 1-255 letters, digits and hyphens, a letter first, no "--", no trailing hyphen.
    assert.match(db.finalSnapshotIdentifier, new RegExp(`^${db.identifier}-final-\\d{8}t\\d{6}z$`));
    assert.match(db.finalSnapshotIdentifier, /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{0,254}$/);
    assert.ok(!db.finalSnapshotIdentifier.endsWith("-"));
    assert.ok(
        instance.ignoreChanges.includes("finalSnapshotIdentifier"),
        "the name is fixed at creation: later updates keep it",
    );
    assert.strictEqual(db.deleteAutomatedBackups, false);
    assert.strictEqual(db.copyTagsToSnapshot, true);
    assert.ok(db.backupRetentionPeriod >= 7 && db.backupRetentionPeriod <= 35);
    assert.strictEqual(db.manageMasterUserPassword, true);
    assert.strictEqual(db.password, undefined, "no password in config or state");
    assert.strictEqual(db.iamDatabaseAuthenticationEnabled, true);
    assert.strictEqual(db.publiclyAccessible, false);
    assert.deepStrictEqual(db.enabledCloudwatchLogsExports, ["postgresql", "upgrade"]);
    assert.ok(instance.protect && instance.retainOnDelete);
    assert.ok(instance.ignoreChanges.includes("restoreToPointInTime"));
    assert.ok(instance.ignoreChanges.includes("snapshotIdentifier"));
}

describe("components/database: Database", () => {
    let primary: OfflineRun;
    const dr = (overrides: Record<string, string>) => runStack("dr", overrides, { primary: primary.outputs });
    before(async () => {
        primary = await runStack("primary");
    });

    describe("in the primary stack", () => {
        it("is a protected, encrypted, Multi-AZ PostgreSQL with PITR for the configured window", () => {
            const instance = instanceOf(primary);
            assert.strictEqual(instance.region, "us-east-1");
            assertProtected(instance, "us-east-1");
            const db = inputsOf(instance);
            assert.strictEqual(db.identifier, "webank-db");
            assert.strictEqual(db.engineVersion, "16");
            assert.strictEqual(db.instanceClass, "db.r6g.large");
            assert.strictEqual(db.backupRetentionPeriod, 35);
            assert.strictEqual(db.backupWindow, "03:00-03:30");
            assert.strictEqual(db.username, "webank_admin");
            // The heartbeat lives in the application database, which a new instance creates.
            assert.strictEqual(db.dbName, "webank");
            assert.ok(instance.ignoreChanges.includes("dbName"), "a later dbName change must not replace it");
            assert.match(db.masterUserSecretKmsKeyId, /^arn:aws:kms:us-east-1:/);
            assert.strictEqual(db.restoreToPointInTime, undefined);
        });

        it("forces TLS through its parameter group", () => {
            const [params] = ofType(primary, "aws:rds/parameterGroup:ParameterGroup");
            assert.strictEqual(inputsOf(params).family, "postgres16");
            assert.deepStrictEqual(
                inputsOf(params).parameters.find((p: { name: string }) => p.name === "rds.force_ssl"),
                { name: "rds.force_ssl", value: "1" },
            );
        });

        it("is reachable only from inside the VPC, from private subnets", () => {
            const [sg] = ofType(primary, "aws:ec2/securityGroup:SecurityGroup").filter((s) =>
                s.name.startsWith("webank-db"),
            );
            assert.deepStrictEqual(
                inputsOf(sg).ingress.map((r: { cidrBlocks: string[] }) => r.cidrBlocks),
                [["10.10.0.0/16"]],
            );
            const [group] = ofType(primary, "aws:rds/subnetGroup:SubnetGroup");
            const privateIds = ofType(primary, "aws:ec2/subnet:Subnet")
                .filter((s) => s.name.includes("-private-"))
                .map((s) => s.id);
            assert.deepStrictEqual([...inputsOf(group).subnetIds].sort(), privateIds.sort());
        });

        it("replicates its automated backups to the DR region with the replica key and their own retention", () => {
            const replication = named(
                primary,
                "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
                "webank-db-backup-replication",
            );
            assert.strictEqual(replication.region, "us-west-2");
            assert.strictEqual(
                inputsOf(replication).sourceDbInstanceArn,
                "arn:aws:rds:us-east-1:123456789012:db:webank-db",
            );
            assert.match(inputsOf(replication).kmsKeyId, /^arn:aws:kms:us-west-2:/);
            assert.strictEqual(inputsOf(replication).retentionPeriod, 14);
            assert.ok(replication.protect && replication.retainOnDelete);
        });

        it("outputs the endpoint, ARNs and the secret's ARN, never the secret", () => {
            assert.match(String(primary.outputs.dbEndpoint), /^webank-db\..*:5432$/);
            assert.match(
                String(primary.outputs.dbInstanceArn),
                /^arn:aws:rds:us-east-1:\d{12}:db:webank-db$/,
            );
            assert.match(
                String(primary.outputs.dbReplicatedBackupsArn),
                /^arn:aws:rds:us-west-2:\d{12}:auto-backup:ab-/,
            );
            assert.match(String(primary.outputs.dbSecretArn), /^arn:aws:secretsmanager:us-east-1:/);
            assert.ok(primary.outputs.dbResourceId);
        });

        it("follows the database config keys", async () => {
            const run = await runStack("primary", {
                "webank:dbEngineVersion": "15.7",
                "webank:dbInstanceClass": "db.m7g.xlarge",
                "webank:pitrRetentionDays": "14",
                "webank:replicatedBackupRetentionDays": "7",
            });
            const db = inputsOf(instanceOf(run));
            assert.deepStrictEqual(
                [db.engineVersion, db.instanceClass, db.backupRetentionPeriod],
                ["15.7", "db.m7g.xlarge", 14],
            );
            assert.strictEqual(
                inputsOf(ofType(run, "aws:rds/parameterGroup:ParameterGroup")[0]).family,
                "postgres15",
            );
            const [replication] = ofType(
                run,
                "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
            );
            assert.strictEqual(inputsOf(replication).retentionPeriod, 7);
        });
    });

    describe("in the dr stack", () => {
        it("does not exist while the DR region is not activated (pilot light)", async () => {
            const run = await dr({});
            assert.strictEqual(ofType(run, "aws:rds/instance:Instance").length, 0);
            assert.strictEqual(run.outputs.activated, false);
            assert.strictEqual(run.outputs.posture, "pilot");
        });

        it("does not exist when a restore is prepared but not activated", async () => {
            const run = await dr({ "webank:restore": '{"source": "pitr", "time": "latest"}' });
            assert.strictEqual(ofType(run, "aws:rds/instance:Instance").length, 0);
        });

        it("restores to the latest restorable time from the primary's replicated backups", async () => {
            const run = await dr({
                "webank:activated": "true",
                "webank:restore": '{"source": "pitr", "time": "latest"}',
            });
            const instance = instanceOf(run);
            assert.strictEqual(instance.region, "us-west-2");
            assertProtected(instance, "us-west-2");
            const db = inputsOf(instance);
            assert.deepStrictEqual(db.restoreToPointInTime, {
                sourceDbInstanceAutomatedBackupsArn: primary.outputs.dbReplicatedBackupsArn,
                useLatestRestorableTime: true,
            });
            // A restore keeps the source's databases: RDS takes no DBName on a PostgreSQL restore.
            assert.strictEqual(db.dbName, undefined);
            assert.strictEqual(db.identifier, "webank-db-dr-1");
            assert.strictEqual(db.username, undefined, "a restore inherits the master user");
            assert.ok(
                ofType(run, "pulumi:pulumi:StackReference").length === 1,
                "read from the primary stack",
            );
            assert.match(String(run.outputs.dbRestoredFrom), /point in time latest/);
        });

        it("restores to a given time, from an explicit backups ARN without reading the primary's state", async () => {
            const time = new Date(Date.now() - 60 * 60 * 1000).toISOString();
            const run = await dr({
                "webank:activated": "true",
                "webank:restore": JSON.stringify({ source: "pitr", time, automatedBackupsArn: DR_BACKUPS }),
            });
            const db = inputsOf(instanceOf(run));
            assert.deepStrictEqual(db.restoreToPointInTime, {
                sourceDbInstanceAutomatedBackupsArn: DR_BACKUPS,
                restoreTime: time,
            });
            assert.strictEqual(ofType(run, "pulumi:pulumi:StackReference").length, 0);
        });

        it("restores from a snapshot in the DR region", async () => {
            const run = await dr({
                "webank:activated": "true",
                "webank:restore": JSON.stringify({ source: "snapshot", snapshotArn: SNAPSHOT }),
            });
            const instance = instanceOf(run);
            assertProtected(instance, "us-west-2");
            assert.strictEqual(inputsOf(instance).snapshotIdentifier, SNAPSHOT);
            assert.strictEqual(inputsOf(instance).restoreToPointInTime, undefined);
        });

        it("restores from an AWS Backup recovery point", async () => {
            const run = await dr({
                "webank:activated": "true",
                "webank:restore": JSON.stringify({
                    source: "recovery-point",
                    recoveryPointArn: RECOVERY_POINT,
                }),
            });
            const instance = instanceOf(run);
            assertProtected(instance, "us-west-2");
            assert.strictEqual(inputsOf(instance).snapshotIdentifier, RECOVERY_POINT);
        });

        it("names a deliberate re-restore by its generation, so it never replaces the first", async () => {
            const run = await dr({
                "webank:activated": "true",
                "webank:restore": JSON.stringify({
                    source: "snapshot",
                    snapshotArn: SNAPSHOT,
                    generation: 2,
                }),
            });
            const instance = instanceOf(run);
            assert.strictEqual(instance.name, "webank-db-dr-2-instance");
            assert.strictEqual(inputsOf(instance).identifier, "webank-db-dr-2");
        });

        it("is backed up into the DR vault once restored, copying back to the home vault", async () => {
            const run = await dr({
                "webank:activated": "true",
                "webank:restore": '{"source": "pitr", "time": "latest"}',
            });
            const plan = named(run, "aws:backup/plan:Plan", "webank-db-dr-backup");
            assert.strictEqual(plan.region, "us-west-2");
            for (const rule of inputsOf(plan).rules) {
                assert.strictEqual(rule.targetVaultName, "webank-vault");
                assert.strictEqual(
                    rule.copyActions[0].destinationVaultArn,
                    "arn:aws:backup:us-east-1:123456789012:backup-vault:webank-vault",
                );
            }
            const selection = named(run, "aws:backup/selection:Selection", "webank-db-dr-backup");
            assert.deepStrictEqual(inputsOf(selection).resources, [
                "arn:aws:rds:us-west-2:123456789012:db:webank-db-dr-1",
            ]);
            assert.strictEqual(
                inputsOf(selection).iamRoleArn,
                "arn:aws:iam::123456789012:role/webank-backup",
            );
        });

        it("has no backup replication of its own", async () => {
            const run = await dr({
                "webank:activated": "true",
                "webank:restore": '{"source": "pitr", "time": "latest"}',
            });
            assert.strictEqual(
                ofType(run, "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication")
                    .length,
                0,
            );
        });
    });
});
