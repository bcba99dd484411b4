import * as assert from "assert";
import * as rds from "../../policies/rds";
import { RDS_BACKUP_REPLICATION, RDS_INSTANCE } from "../../policies/rds";
import { findings, StackResource, UNKNOWN_INPUT, violations } from "./stack-harness";

const KEY = "arn:aws:kms:us-east-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef";
const REPLICA_KEY = "arn:aws:kms:us-west-2:123456789012:key/mrk-0123456789abcdef0123456789abcdef";

/** The database as the program declares it (components/database.ts), and its key. */
function database(props: Record<string, unknown> = {}): StackResource {
    return {
        type: RDS_INSTANCE,
        name: "db",
        props: {
            backupRetentionPeriod: 35,
            deleteAutomatedBackups: false,
            deletionProtection: true,
            storageEncrypted: true,
            kmsKeyId: KEY,
            skipFinalSnapshot: false,
            finalSnapshotIdentifier: "webank-db-final-20261203t142359z",
            copyTagsToSnapshot: true,
            multiAz: true,
            ...props,
        },
        inputsFrom: { kmsKeyId: ["key"] },
    };
}
const key: StackResource = { type: "aws:kms/key:Key", name: "key", props: { multiRegion: true } };
const replicaKey: StackResource = {
    type: "aws:kms/replicaKey:ReplicaKey",
    name: "replica-key",
    region: "us-west-2",
};
function replication(props: Record<string, unknown> = {}, region = "us-west-2"): StackResource {
    return {
        type: RDS_BACKUP_REPLICATION,
        name: "replication",
        region,
        props: {
            sourceDbInstanceArn: "arn:aws:rds:us-east-1:123456789012:db:webank-db",
            retentionPeriod: 14,
            kmsKeyId: REPLICA_KEY,
            ...props,
        },
        inputsFrom: { sourceDbInstanceArn: ["db"], kmsKeyId: ["replica-key"] },
    };
}
/** The stack; `null` for no replication (an explicit `undefined` would take the default). */
const stack = (db = database(), rep: StackResource | null = replication()) => [
    key,
    replicaKey,
    db,
    ...(rep ? [rep] : []),
];
const CONFIG = {
    pitrDays: 35,
    replicatedBackupRetentionDays: 14,
    stackRole: "primary",
    disposableStack: false,
};

describe("policies/rds: the database's protections, by value", () => {
    const all = Object.values(rds).filter((v): v is typeof rds.rdsInstanceMultiAz => typeof v === "object");

    it("passes the database as the program declares it, with every policy", () => {
        for (const policy of all) {
            assert.deepStrictEqual(violations(policy, stack(), CONFIG), [], policy.name);
        }
    });

    for (const [policy, change, expected] of [
        [
            rds.rdsInstanceBackupRetention,
            { backupRetentionPeriod: 34 },
            /backupRetentionPeriod: must be at least 35 .*it is 34/,
        ],
        [
            rds.rdsInstanceBackupRetention,
            { deleteAutomatedBackups: true },
            /deleteAutomatedBackups: must be false/,
        ],
        [
            rds.rdsInstanceBackupRetention,
            { deleteAutomatedBackups: undefined },
            /deleteAutomatedBackups: must be false.*it is unset/,
        ],
        [
            rds.rdsInstanceDeletionProtection,
            { deletionProtection: false },
            /deletionProtection: must be true/,
        ],
        [rds.rdsInstanceStorageEncrypted, { storageEncrypted: undefined }, /storageEncrypted: must be true/],
        [
            rds.rdsInstanceCustomerKey,
            { kmsKeyId: undefined },
            /kmsKeyId: .*customer managed KMS key.*it is unset/,
        ],
        [rds.rdsInstanceCustomerKey, { kmsKeyId: "alias/aws/rds" }, /kmsKeyId: .*"alias\/aws\/rds"/],
        [rds.rdsInstanceFinalSnapshot, { skipFinalSnapshot: true }, /skipFinalSnapshot: must be false/],
        [rds.rdsInstanceFinalSnapshot, { finalSnapshotIdentifier: "" }, /finalSnapshotIdentifier: must name/],
        [
            rds.rdsInstanceCopyTagsToSnapshot,
            { copyTagsToSnapshot: false },
            /copyTagsToSnapshot: must be true/,
        ],
        [rds.rdsInstanceMultiAz, { multiAz: false }, /multiAz: must be true/],
    ] as const) {
        it(`${policy.name} catches ${JSON.stringify(change)}, naming the database and the property`, () => {
            const found = violations(policy, stack(database(change)), CONFIG);
            assert.strictEqual(found.length, 1, found.join("\n"));
            assert.match(found[0], /^db: /);
            assert.match(found[0], expected);
        });
    }

    it("reads the PITR window from the stack's config, not a floor", () => {
        const db = database({ backupRetentionPeriod: 14 });
        assert.deepStrictEqual(violations(rds.rdsInstanceBackupRetention, [db], { pitrDays: 14 }), []);
        assert.strictEqual(violations(rds.rdsInstanceBackupRetention, [db], { pitrDays: 15 }).length, 1);
    });

    it("requires the backups replicated to another region, linked through sourceDbInstanceArn", () => {
        const policy = rds.rdsInstanceBackupsReplicated;
        assert.match(
            violations(policy, stack(database(), null), CONFIG).join(),
            /^db: aws:rds\/instanceAutomatedBackupsReplication/,
        );
        assert.strictEqual(
            violations(policy, stack(database(), replication({}, "us-east-1")), CONFIG).length,
            1,
        );
        // Linked only by dependsOn: it replicates some other database.
        const unlinked = { ...replication(), inputsFrom: {}, dependsOn: ["db"] };
        assert.strictEqual(violations(policy, stack(database(), unlinked), CONFIG).length, 1);
        assert.match(
            violations(policy, stack(database(), replication({ retentionPeriod: 1 })), CONFIG).join(),
            /^replication: retentionPeriod: must be at least 14/,
        );
        assert.match(
            violations(
                rds.rdsInstanceCustomerKey,
                stack(database(), replication({ kmsKeyId: undefined })),
                CONFIG,
            ).join(),
            /^replication: kmsKeyId/,
        );
    });

    it("exempts a restored database only on a dr stack: on primary a snapshotIdentifier excuses nothing", () => {
        const restored = database({ snapshotIdentifier: "webank-db-final" });
        const policy = rds.rdsInstanceBackupsReplicated;
        assert.strictEqual(violations(policy, stack(restored, null), CONFIG).length, 1);
        assert.deepStrictEqual(violations(policy, stack(restored, null), { ...CONFIG, stackRole: "dr" }), []);
        assert.strictEqual(
            violations(policy, stack(database(), null), { ...CONFIG, stackRole: "dr" }).length,
            1,
        );
    });

    it("on a drill's disposable stack drops deletion protection and the final snapshot, nothing else", () => {
        const throwaway = database({
            deletionProtection: false,
            skipFinalSnapshot: true,
            finalSnapshotIdentifier: undefined,
        });
        const drill = { ...CONFIG, stackRole: "dr", disposableStack: true };
        assert.deepStrictEqual(violations(rds.rdsInstanceDeletionProtection, [throwaway], drill), []);
        assert.deepStrictEqual(violations(rds.rdsInstanceFinalSnapshot, [throwaway], drill), []);
        assert.strictEqual(
            violations(rds.rdsInstanceMultiAz, [database({ multiAz: false })], drill).length,
            1,
        );
        assert.strictEqual(violations(rds.rdsInstanceDeletionProtection, [throwaway], CONFIG).length, 1);
    });

    it("in a preview judges the literals and the key through the resource it comes from", () => {
        const previewed = database({ kmsKeyId: UNKNOWN_INPUT, multiAz: false });
        assert.deepStrictEqual(findings(rds.rdsInstanceCustomerKey, [key, previewed], CONFIG), []);
        assert.match(violations(rds.rdsInstanceMultiAz, [previewed], CONFIG).join(), /multiAz: must be true/);
        // Unknown and not computed from a key of this stack: not judged, and said so.
        const elsewhere = { ...database({ kmsKeyId: UNKNOWN_INPUT }), inputsFrom: {} };
        const found = findings(rds.rdsInstanceCustomerKey, [elsewhere], CONFIG);
        assert.deepStrictEqual(
            found.map((f) => f.level),
            ["advisory"],
        );
        assert.match(found[0].message, /db kmsKeyId/);
    });
});
