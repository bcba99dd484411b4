import * as assert from "assert";
import * as rds from "../../policies/rds";
import { RDS_INSTANCE } from "../../policies/rds";
import { backupDatabaseRpoDelivered, backupStatefulResourcesCovered } from "../../policies/backup-coverage";
import { backupRestoreTestingWeekly } from "../../policies/backup-assurance";
import { StackResource, violations } from "./stack-harness";

const HOME_KEY = "arn:aws:kms:us-east-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef";
/** The DR database the failback replica copies: restored in the DR region (lib/naming.ts). */
const DR_SOURCE = "arn:aws:rds:us-west-2:123456789012:db:webank-db-dr-1";
const PRIMARY = {
    pitrDays: 35,
    replicatedBackupRetentionDays: 14,
    stackRole: "primary",
    disposableStack: false,
    homeRegion: "us-east-1",
    drRegion: "us-west-2",
    backupRpoMinutes: { rds: 5, ebs: 60, dynamodb: 15, s3: 15 },
};
const DR = { ...PRIMARY, stackRole: "dr" };

/** The failback replica as stacks/primary-failback.ts declares it, in the home region. */
function failbackReplica(props: Record<string, unknown> = {}): StackResource {
    return {
        type: RDS_INSTANCE,
        name: "failback",
        region: "us-east-1",
        props: {
            identifier: "webank-db-home-1",
            replicateSourceDb: DR_SOURCE,
            backupRetentionPeriod: 35,
            deleteAutomatedBackups: false,
            deletionProtection: true,
            storageEncrypted: true,
            kmsKeyId: HOME_KEY,
            skipFinalSnapshot: false,
            finalSnapshotIdentifier: "webank-db-home-1-final-20261205t170000z",
            copyTagsToSnapshot: true,
            multiAz: true,
            ...props,
        },
    };
}

describe("policies: the primary stack's failback replica of the DR database", () => {
    const all = Object.values(rds).filter((v): v is typeof rds.rdsInstanceMultiAz => typeof v === "object");

    it("passes every RDS policy as the program declares it", () => {
        for (const policy of all) {
            assert.deepStrictEqual(violations(policy, [failbackReplica()], PRIMARY), [], policy.name);
        }
    });

    it("rds-instance-replica-source wants the source in the DR region on primary, in the home region on dr", () => {
        const policy = rds.rdsInstanceReplicaSource;
        const homeSource = failbackReplica({
            replicateSourceDb: "arn:aws:rds:us-east-1:123456789012:db:webank-db",
        });
        assert.match(
            violations(policy, [homeSource], PRIMARY).join(),
            /^failback: replicateSourceDb: must name a database in the DR region us-west-2 \(webank:drRegion\); it is in us-east-1\.$/,
        );
        const elsewhere = failbackReplica({
            replicateSourceDb: "arn:aws:rds:eu-west-1:123456789012:db:webank-db-dr-1",
        });
        assert.match(
            violations(policy, [elsewhere], PRIMARY).join(),
            /DR region us-west-2.*it is in eu-west-1/,
        );
        // The same instance on a dr stack: its source must be at home, whatever it replicates.
        assert.match(
            violations(policy, [failbackReplica()], DR).join(),
            /home region us-east-1 \(webank:homeRegion\); it is in us-west-2/,
        );
        assert.match(
            violations(policy, [failbackReplica({ replicateSourceDb: "webank-db-dr-1" })], PRIMARY).join(),
            /must be the source DB instance's ARN/,
        );
    });

    it("rds-instance-customer-key refuses the DR replica key on the home-region replica", () => {
        const drKey = HOME_KEY.replace("us-east-1", "us-west-2");
        assert.match(
            violations(rds.rdsInstanceCustomerKey, [failbackReplica({ kmsKeyId: drKey })], PRIMARY).join(),
            /own region us-east-1.*in us-west-2/,
        );
    });

    it("exempts a cross-Region replica on primary from backup replication, backup plans and restore tests; not a same-region one", () => {
        const sameRegion = failbackReplica({
            replicateSourceDb: "arn:aws:rds:us-east-1:123456789012:db:webank-db",
        });
        const promoted = failbackReplica({ replicateSourceDb: undefined });
        for (const policy of [
            rds.rdsInstanceBackupsReplicated,
            backupStatefulResourcesCovered,
            backupDatabaseRpoDelivered,
            backupRestoreTestingWeekly,
        ]) {
            assert.deepStrictEqual(violations(policy, [failbackReplica()], PRIMARY), [], policy.name);
            assert.strictEqual(
                violations(policy, [sameRegion], PRIMARY).length,
                1,
                `${policy.name}: a replica in its source's region is no copy elsewhere`,
            );
            assert.strictEqual(
                violations(policy, [promoted], PRIMARY).length,
                1,
                `${policy.name}: once promoted it is a database of primary like any other`,
            );
        }
    });

    it("judges a replica whose region is unknown as a database, not a copy", () => {
        const policy = rds.rdsInstanceBackupsReplicated;
        assert.ok(rds.isCrossRegionReplica({ ...asPolicyResource(failbackReplica()) }));
        assert.ok(!rds.isCrossRegionReplica(asPolicyResource(failbackReplica({ replicateSourceDb: "" }))));
        assert.strictEqual(violations(policy, [{ ...failbackReplica(), region: "" }], PRIMARY).length, 1);
    });
});

/** The few fields isCrossRegionReplica reads, as the analyzer hands them over. */
function asPolicyResource(resource: StackResource): Parameters<typeof rds.isCrossRegionReplica>[0] {
    return {
        type: resource.type,
        name: resource.name,
        urn: `urn:pulumi:test::webank::${resource.type}::${resource.name}`,
        props: { ...resource.props, region: resource.region },
        isType: () => false,
        asType: () => undefined,
        dependencies: [],
        propertyDependencies: {},
    } as unknown as Parameters<typeof rds.isCrossRegionReplica>[0];
}
