import * as assert from "assert";
import * as rds from "../../policies/rds";
import { RDS_INSTANCE } from "../../policies/rds";
import { StackResource, violations } from "./stack-harness";

const HOME_KEY = "arn:aws:kms:us-east-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef";
const REPLICA_KEY = "arn:aws:kms:us-west-2:123456789012:key/mrk-0123456789abcdef0123456789abcdef";
const SOURCE = "arn:aws:rds:us-east-1:123456789012:db:webank-db";
const CONFIG = {
    pitrDays: 35,
    replicatedBackupRetentionDays: 14,
    stackRole: "dr",
    disposableStack: false,
    homeRegion: "us-east-1",
};

/** The hot posture's replica as components/database-replica.ts declares it, in the DR region. */
function replica(props: Record<string, unknown> = {}): StackResource {
    return {
        type: RDS_INSTANCE,
        name: "replica",
        region: "us-west-2",
        props: {
            identifier: "webank-db-replica",
            replicateSourceDb: SOURCE,
            backupRetentionPeriod: 35,
            deleteAutomatedBackups: false,
            deletionProtection: true,
            storageEncrypted: true,
            kmsKeyId: REPLICA_KEY,
            skipFinalSnapshot: false,
            finalSnapshotIdentifier: "webank-db-replica-final-20261204t183000z",
            copyTagsToSnapshot: true,
            multiAz: true,
            ...props,
        },
    };
}

describe("policies/rds: the hot posture's read replica", () => {
    const all = Object.values(rds).filter((v): v is typeof rds.rdsInstanceMultiAz => typeof v === "object");

    it("passes the replica, and the promoted replica, as the program declares them, with every policy", () => {
        for (const policy of all) {
            assert.deepStrictEqual(violations(policy, [replica()], CONFIG), [], policy.name);
            assert.deepStrictEqual(
                violations(policy, [replica({ replicateSourceDb: undefined })], CONFIG),
                [],
                `${policy.name} (promoted)`,
            );
        }
    });

    for (const [source, expected] of [
        ["webank-db", /must be the source DB instance's ARN.*"webank-db"/],
        [
            "arn:aws:rds:us-east-1:123456789012:snapshot:webank-db-final",
            /must be the source DB instance's ARN/,
        ],
        ["arn:aws:rds:us-west-2:123456789012:db:webank-db", /home region us-east-1.*it is in us-west-2/],
        ["arn:aws:rds:eu-west-1:123456789012:db:webank-db", /home region us-east-1.*it is in eu-west-1/],
        ["arn:aws:rds:us-east-1:210987654321:db:webank-db", /account 123456789012.*it is in 210987654321/],
    ] as const) {
        it(`rds-instance-replica-source refuses the source ${source}`, () => {
            const found = violations(
                rds.rdsInstanceReplicaSource,
                [replica({ replicateSourceDb: source })],
                CONFIG,
            );
            assert.strictEqual(found.length, 1, found.join("\n"));
            assert.match(found[0], /^replica: replicateSourceDb: /);
            assert.match(found[0], expected);
        });
    }

    it("refuses a source in the replica's own region even when that is the configured home region", () => {
        const found = violations(
            rds.rdsInstanceReplicaSource,
            [replica({ replicateSourceDb: "arn:aws:rds:us-west-2:123456789012:db:webank-db" })],
            { ...CONFIG, homeRegion: "us-west-2" },
        );
        assert.match(found.join(), /another region than the replica's own \(us-west-2\)/);
    });

    it("refuses a key of another region on any RDS instance, replica or not", () => {
        const onReplica = violations(rds.rdsInstanceCustomerKey, [replica({ kmsKeyId: HOME_KEY })], CONFIG);
        assert.match(
            onReplica.join(),
            /^replica: kmsKeyId: must be a key in the resource's own region us-west-2.*in us-east-1/,
        );
        const primary: StackResource = {
            ...replica({ replicateSourceDb: undefined, identifier: "webank-db", kmsKeyId: REPLICA_KEY }),
            name: "db",
            region: "us-east-1",
        };
        assert.match(
            violations(rds.rdsInstanceCustomerKey, [primary], CONFIG).join(),
            /own region us-east-1/,
        );
    });

    it("exempts the replica and the promoted replica from backup replication on dr only, and no other instance", () => {
        const policy = rds.rdsInstanceBackupsReplicated;
        assert.deepStrictEqual(violations(policy, [replica()], CONFIG), []);
        assert.deepStrictEqual(violations(policy, [replica({ replicateSourceDb: undefined })], CONFIG), []);
        const fresh = replica({ replicateSourceDb: undefined, identifier: "webank-db-copy" });
        assert.strictEqual(violations(policy, [fresh], CONFIG).length, 1, "a new database on dr is no copy");
        assert.strictEqual(
            violations(policy, [replica({ replicateSourceDb: undefined })], {
                ...CONFIG,
                stackRole: "primary",
            }).length,
            1,
            "on primary nothing is exempt",
        );
    });
});
