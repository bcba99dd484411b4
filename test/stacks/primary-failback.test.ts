import * as assert from "assert";
import { failbackDatabaseIdentifier, restoredDatabaseIdentifier } from "../../lib/naming";
import { failbackInstanceUrn, failbackResourceNames } from "../../lib/stack-urns";
import { FAKE_ACCOUNT_ID } from "../../offline/fake-cloud/identifiers";
import { OfflineRun, RecordedResource } from "../../offline/engine";
import { variantOverrides } from "../../offline/stack-variants";
import { FAILBACK_NOT_SET } from "../../lib/failback";
import { descendantsOf, inputsOf, named, ofType, runStack } from "../support/offline";

const RDS = "aws:rds/instance:Instance";
const COMPONENT = "webank:database:ReplicaDatabase";
const REPLICA = failbackResourceNames("webank", 1);
/** The DR database the shared configuration names (offline/stack-variants.ts, primary:failback). */
const SOURCE = restoredDatabaseIdentifier("webank", 1);

/** The failback replica's DB instance of a run (fails when there is none). */
function replicaOf(run: OfflineRun): RecordedResource {
    return named(run, RDS, REPLICA.instance);
}

describe("stacks/primary: the failback replica (webank:failback)", () => {
    let primary: OfflineRun;
    let failback: OfflineRun;
    before(async () => {
        // Both shared: the committed stack file, and the named configuration the policy check runs.
        primary = await runStack("primary");
        failback = await runStack("primary", variantOverrides("primary:failback"));
    });

    it("is absent when webank:failback is not set: one database, outputs saying so", () => {
        assert.deepStrictEqual(
            ofType(primary, RDS).map((i) => i.name),
            ["webank-db-instance"],
        );
        assert.strictEqual(ofType(primary, `${COMPONENT}`).length, 0);
        assert.strictEqual(primary.outputs.failbackReplicaIdentifier, FAILBACK_NOT_SET);
        assert.strictEqual(primary.outputs.failbackReplicaArn, FAILBACK_NOT_SET);
        assert.match(FAILBACK_NOT_SET, /^not set: webank:failback is not set/);
    });

    it("replicates the DR database by its ARN in the DR region, into the home region", () => {
        const replica = replicaOf(failback);
        const inputs = inputsOf(replica);
        assert.strictEqual(inputs.identifier, failbackDatabaseIdentifier("webank", 1));
        assert.strictEqual(inputs.identifier, "webank-db-home-1");
        assert.strictEqual(inputs.replicateSourceDb, `arn:aws:rds:us-west-2:${FAKE_ACCOUNT_ID}:db:${SOURCE}`);
        assert.strictEqual(replica.region, "us-east-1");
        assert.strictEqual(
            ofType(failback, "pulumi:pulumi:StackReference").length,
            0,
            "nothing read from the dr stack's state",
        );
    });

    it("is encrypted with the home data key, deletion-protected, with a final snapshot, protected and retained", () => {
        const replica = replicaOf(failback);
        const inputs = inputsOf(replica);
        assert.strictEqual(inputs.storageEncrypted, true);
        assert.strictEqual(inputs.kmsKeyId, failback.outputs.dataKeyArn, "the home region's key");
        assert.match(String(inputs.kmsKeyId), /^arn:aws:kms:us-east-1:\d{12}:key\/mrk-[0-9a-f]{32}$/);
        assert.notStrictEqual(inputs.kmsKeyId, failback.outputs.dataReplicaKeyArn);
        assert.strictEqual(inputs.deletionProtection, true);
        assert.strictEqual(inputs.skipFinalSnapshot, false);
        assert.match(String(inputs.finalSnapshotIdentifier), /^webank-db-home-1-final-\d{8}t\d{6}z$/);
        assert.strictEqual(inputs.deleteAutomatedBackups, false);
        assert.strictEqual(replica.protect, true);
        assert.strictEqual(replica.retainOnDelete, true);
        // Not promoted: no password management of its own (RDS refuses it on a replica).
        assert.strictEqual(inputs.manageMasterUserPassword, undefined);
    });

    it("uses the primary database's provider and settings", () => {
        const replica = replicaOf(failback);
        const own = named(failback, RDS, "webank-db-instance");
        assert.ok(own.provider, "the primary database names its provider");
        assert.strictEqual(replica.provider, own.provider, "the home provider");
        for (const key of [
            "instanceClass",
            "multiAz",
            "backupRetentionPeriod",
            "backupWindow",
            "maintenanceWindow",
        ]) {
            assert.deepStrictEqual(inputsOf(replica)[key], inputsOf(own)[key], key);
        }
    });

    it("sits in the primary database's own subnet group, security group and parameter group", () => {
        // After the failback promotes it, the primary stack's database becomes this instance, and
        // RDS refuses to move an instance to another subnet group of the same VPC ("InvalidVPCNetworkStateFault:
        // You cannot move DB instance db to subnet group db-public. The specified DB subnet group and DB instance
        // are in the same VPC", terraform-provider-aws#512): it must be in the primary's from the start.
        const replica = inputsOf(replicaOf(failback));
        const own = inputsOf(named(failback, RDS, "webank-db-instance"));
        for (const key of ["dbSubnetGroupName", "vpcSecurityGroupIds", "parameterGroupName"]) {
            assert.ok(own[key] !== undefined, key);
            assert.deepStrictEqual(replica[key], own[key], key);
        }
        const component = named(failback, COMPONENT, REPLICA.component);
        assert.deepStrictEqual(
            descendantsOf(failback, component).map((r) => r.type),
            [RDS],
            "no placement of its own",
        );
    });

    it("is named by its generation, at the URN the recovery commands target", () => {
        const replica = replicaOf(failback);
        assert.strictEqual(replica.urn, failbackInstanceUrn("webank", "primary", "webank", 1));
        assert.notStrictEqual(failbackInstanceUrn("webank", "primary", "webank", 2), replica.urn);
        const component = named(failback, COMPONENT, REPLICA.component);
        assert.ok(descendantsOf(failback, component).some((r) => r.urn === replica.urn));
        assert.strictEqual(failback.outputs.failbackReplicaIdentifier, "webank-db-home-1");
        assert.strictEqual(
            failback.outputs.failbackReplicaArn,
            `arn:aws:rds:us-east-1:${FAKE_ACCOUNT_ID}:db:webank-db-home-1`,
        );
    });

    it("leaves the primary's own database and every other resource exactly as they are", () => {
        const replicaUrns = new Set(
            descendantsOf(failback, named(failback, COMPONENT, REPLICA.component)).map((r) => r.urn),
        );
        replicaUrns.add(named(failback, COMPONENT, REPLICA.component).urn);
        const others = failback.resources.filter((r) => !replicaUrns.has(r.urn));
        assert.deepStrictEqual(
            others.map((r) => r.urn).sort(),
            primary.resources.map((r) => r.urn).sort(),
            "only the replica's resources are added",
        );
        const before = named(primary, RDS, "webank-db-instance");
        const after = named(failback, RDS, "webank-db-instance");
        const withoutClock = (r: RecordedResource) => ({
            ...inputsOf(r),
            finalSnapshotIdentifier: undefined,
        });
        assert.deepStrictEqual(withoutClock(after), withoutClock(before));
        assert.strictEqual(inputsOf(after).replicateSourceDb, undefined);
        assert.strictEqual(failback.outputs.dbInstanceArn, primary.outputs.dbInstanceArn);
    });
});
