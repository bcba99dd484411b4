import * as assert from "assert";
import { adoptInstance, forgetResources } from "../../../../automation/commands/failback/state-edit";
import { failbackInstanceUrn } from "../../../../lib/stack-urns";

/*
 * A primary stack's state as `pulumi stack export` writes it: version 3, a manifest, and
 * ResourceV3 entries (pulumi/pulumi sdk/go/common/apitype/core.go). The RDS ids are
 * DbiResourceIds, `db-` and 26 uppercase letters and digits (RDS API reference, DBInstance
 * DbiResourceId), which pulumi-aws uses as an instance's id.
 */
const STACK = "urn:pulumi:primary::webank::";
const DB_COMPONENT = `${STACK}webank:database:Database::webank-db`;
const DB = `${STACK}webank:database:Database$aws:rds/instance:Instance::webank-db-instance`;
const REPLICATION = `${STACK}webank:database:Database$aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication::webank-db-backup-replication`;
const FB_COMPONENT = `${STACK}webank:database:ReplicaDatabase::webank-db-home-1`;
const FB = failbackInstanceUrn("webank", "primary", "webank", 1);
const HEARTBEAT = `${STACK}webank:platform:DatabaseHeartbeat$kubernetes:batch/v1:CronJob::heartbeat`;
const OLD_ID = "db-ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const PROMOTED_ID = "db-0123456789ABCDEFGHIJKLMNOP";

function exported(): string {
    return JSON.stringify({
        version: 3,
        deployment: {
            manifest: { time: "2026-11-25T03:30:00Z", magic: "", version: "v3.140.0" },
            resources: [
                {
                    urn: `${STACK}pulumi:pulumi:Stack::webank-primary`,
                    custom: false,
                    type: "pulumi:pulumi:Stack",
                },
                {
                    urn: DB_COMPONENT,
                    custom: false,
                    type: "webank:database:Database",
                    parent: `${STACK}pulumi:pulumi:Stack::webank-primary`,
                },
                {
                    urn: DB,
                    custom: true,
                    id: OLD_ID,
                    type: "aws:rds/instance:Instance",
                    parent: DB_COMPONENT,
                    protect: true,
                    outputs: { identifier: "webank-db" },
                },
                {
                    urn: REPLICATION,
                    custom: true,
                    id: "arn:aws:rds:us-west-2:123456789012:auto-backup:ab-abcdefghijklmnopqrstuvwxyz0123",
                    type: "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
                    parent: DB_COMPONENT,
                    protect: true,
                    dependencies: [DB],
                    propertyDependencies: { sourceDbInstanceArn: [DB] },
                },
                {
                    urn: FB_COMPONENT,
                    custom: false,
                    type: "webank:database:ReplicaDatabase",
                    parent: `${STACK}pulumi:pulumi:Stack::webank-primary`,
                },
                {
                    urn: FB,
                    custom: true,
                    id: PROMOTED_ID,
                    type: "aws:rds/instance:Instance",
                    parent: FB_COMPONENT,
                    protect: true,
                },
                {
                    urn: HEARTBEAT,
                    custom: true,
                    id: "webank-dr/heartbeat",
                    type: "kubernetes:batch/v1:CronJob",
                    dependencies: [DB, FB],
                    propertyDependencies: { spec: [DB, FB] },
                    deletedWith: FB,
                },
            ],
        },
    });
}

const resources = (text: string) =>
    (
        JSON.parse(text) as {
            deployment: {
                resources: {
                    urn: string;
                    id?: string;
                    dependencies?: string[];
                    propertyDependencies?: Record<string, string[]>;
                    deletedWith?: string;
                }[];
            };
        }
    ).deployment.resources;

describe("automation/commands/failback/state-edit", () => {
    it("adopts the promoted replica: the database keeps its URN and takes the replica's id; the replica, its component and the old backup replication leave the state", () => {
        const edit = adoptInstance(exported(), {
            keeper: DB,
            donor: FB,
            donorComponent: FB_COMPONENT,
            alsoForget: [REPLICATION],
        });
        const after = resources(edit.deployment);
        assert.strictEqual(after.find((r) => r.urn === DB)?.id, PROMOTED_ID);
        assert.strictEqual(edit.adoptedId, PROMOTED_ID);
        assert.deepStrictEqual([...edit.forgotten].sort(), [FB, FB_COMPONENT, REPLICATION].sort());
        assert.ok(after.every((r) => ![FB, FB_COMPONENT, REPLICATION].includes(r.urn)));
        const heartbeat = after.find((r) => r.urn === HEARTBEAT)!;
        assert.deepStrictEqual(
            heartbeat.dependencies,
            [DB],
            "no dangling dependency for the import to refuse",
        );
        assert.deepStrictEqual(heartbeat.propertyDependencies, { spec: [DB] });
        assert.strictEqual(heartbeat.deletedWith, undefined);
        assert.strictEqual(
            (JSON.parse(edit.deployment) as { deployment: { manifest: unknown } }).deployment.manifest !==
                undefined,
            true,
            "the manifest is kept",
        );
    });

    it("is a no-op once imported: a rerun finds no donor and forgets nothing", () => {
        const first = adoptInstance(exported(), { keeper: DB, donor: FB, donorComponent: FB_COMPONENT });
        const again = adoptInstance(first.deployment, {
            keeper: DB,
            donor: FB,
            donorComponent: FB_COMPONENT,
        });
        assert.deepStrictEqual(again.forgotten, []);
        assert.strictEqual(again.deployment, first.deployment);
        assert.strictEqual(again.adoptedId, undefined);
    });

    it("refuses a state without the keeper, a donor without an id, and text that is no deployment", () => {
        assert.throws(
            () => adoptInstance(exported(), { keeper: `${DB}-typo`, donor: FB }),
            /the state holds no .*webank-db-instance-typo: nothing was imported/,
        );
        const noId = exported().replace(`"id":"${PROMOTED_ID}",`, "");
        assert.throws(() => adoptInstance(noId, { keeper: DB, donor: FB }), /has no id in the state/);
        assert.throws(
            () => adoptInstance(JSON.stringify({ resources: [] }), { keeper: DB, donor: FB }),
            /not a Pulumi deployment/,
        );
    });

    it("forgets a component with every child, and nothing when the URN is gone already", () => {
        const edit = forgetResources(exported(), [FB_COMPONENT]);
        assert.deepStrictEqual([...edit.forgotten].sort(), [FB, FB_COMPONENT].sort());
        assert.deepStrictEqual(forgetResources(edit.deployment, [FB_COMPONENT]).forgotten, []);
        assert.strictEqual(
            resources(edit.deployment).find((r) => r.urn === DB)?.id,
            OLD_ID,
            "the rest untouched",
        );
    });
});
