import * as assert from "assert";
import { ARGOCD_HA_MIN_NODES, ROOT_APP_NAME } from "../../lib/argocd";
import { primaryDatabaseIdentifier, replicaDatabaseIdentifier } from "../../lib/naming";
import { FAKE_ACCOUNT_ID } from "../../offline/fake-cloud/identifiers";
import { OfflineRun, RecordedResource } from "../../offline/engine";
import { variantOverrides } from "../../offline/stack-variants";
import { instanceDifferences } from "../support/rds-schema";
import { inputsOf, named, ofType, runStack } from "../support/offline";
import { REDIS_HA_PERSISTENCE } from "../../components/argocd-values";

const RDS = "aws:rds/instance:Instance";
const ZONE = {
    "webank:dnsZoneId": "Z0123456789ABCDEFGHIJ",
    "webank:dnsRecordName": "app.webank.example",
    "webank:primaryEndpoint": "primary-alb.us-east-1.elb.amazonaws.com",
    "webank:drEndpoint": "dr-alb.us-west-2.elb.amazonaws.com",
};

/** The one RDS instance of a run (fails when there is none or more than one: never a second database). */
function onlyDatabase(run: OfflineRun): RecordedResource {
    const instances = ofType(run, RDS);
    assert.deepStrictEqual(
        instances.map((i) => i.name),
        [`${replicaDatabaseIdentifier("webank")}-instance`],
        "exactly one database: the replica",
    );
    return instances[0];
}

describe("stacks/dr: the hot posture", () => {
    let primary: OfflineRun;
    let hot: OfflineRun;
    let promoted: OfflineRun;
    before(async () => {
        primary = await runStack("primary");
        hot = await runStack("dr", variantOverrides("dr:hot"), { primary: primary.outputs });
        promoted = await runStack("dr", variantOverrides("dr:hot-activated"), { primary: primary.outputs });
    });

    describe("before a failover", () => {
        it("replicates the primary database by its ARN, built from the account and the home region", () => {
            const replica = inputsOf(onlyDatabase(hot));
            assert.strictEqual(replica.identifier, replicaDatabaseIdentifier("webank"));
            assert.strictEqual(
                replica.replicateSourceDb,
                `arn:aws:rds:us-east-1:${FAKE_ACCOUNT_ID}:db:${primaryDatabaseIdentifier("webank")}`,
            );
            // The primary stack's own output: the replica names that very instance, without reading it.
            assert.strictEqual(replica.replicateSourceDb, primary.outputs.dbInstanceArn);
            assert.strictEqual(onlyDatabase(hot).region, "us-west-2");
            assert.strictEqual(
                ofType(hot, "pulumi:pulumi:StackReference").length,
                0,
                "nothing read from primary",
            );
        });

        it("is encrypted with the replica key of the DR region, protected, retained, deletion-protected", () => {
            const resource = onlyDatabase(hot);
            const replica = inputsOf(resource);
            assert.strictEqual(replica.storageEncrypted, true);
            assert.match(String(replica.kmsKeyId), /^arn:aws:kms:us-west-2:\d{12}:key\/mrk-[0-9a-f]{32}$/);
            assert.strictEqual(replica.performanceInsightsKmsKeyId, replica.kmsKeyId);
            assert.strictEqual(replica.deletionProtection, true);
            assert.strictEqual(replica.skipFinalSnapshot, false);
            assert.match(String(replica.finalSnapshotIdentifier), /^webank-db-replica-final-\d{8}t\d{6}z$/);
            assert.strictEqual(replica.deleteAutomatedBackups, false);
            assert.strictEqual(resource.protect, true);
            assert.strictEqual(resource.retainOnDelete, true);
        });

        it("has the primary's class, windows, PITR window, logs, IAM auth and a parameter group of the same family and parameters", () => {
            const replica = inputsOf(onlyDatabase(hot));
            const source = inputsOf(named(primary, RDS, "webank-db-instance"));
            for (const key of [
                "instanceClass",
                "storageType",
                "multiAz",
                "publiclyAccessible",
                "backupRetentionPeriod",
                "backupWindow",
                "maintenanceWindow",
                "copyTagsToSnapshot",
                "iamDatabaseAuthenticationEnabled",
                "enabledCloudwatchLogsExports",
                "performanceInsightsEnabled",
                "autoMinorVersionUpgrade",
            ]) {
                assert.deepStrictEqual(replica[key], source[key], key);
            }
            const params = (run: OfflineRun, name: string) => {
                const { family, parameters } = inputsOf(
                    named(run, "aws:rds/parameterGroup:ParameterGroup", name),
                );
                return { family, parameters };
            };
            assert.deepStrictEqual(
                params(hot, "webank-db-replica-params"),
                params(primary, "webank-db-params"),
            );
        });

        it("leaves to the source what a replica inherits or may not set: engine, master user, database name, password management", () => {
            const replica = inputsOf(onlyDatabase(hot));
            for (const key of [
                "engine",
                "engineVersion",
                "username",
                "dbName",
                "manageMasterUserPassword",
                "password",
            ]) {
                assert.strictEqual(replica[key], undefined, key);
            }
            assert.strictEqual(
                hot.outputs.dbSecretArn,
                undefined,
                "a replica has no master secret of its own",
            );
        });

        it("keeps the cluster warm with enough nodes for Argo CD's HA, Argo CD running its HA values", () => {
            const nodes = inputsOf(
                named(hot, "aws:eks/nodeGroup:NodeGroup", "webank-dr-eks-nodes"),
            ).scalingConfig;
            assert.ok(
                nodes.minSize >= ARGOCD_HA_MIN_NODES && nodes.desiredSize >= ARGOCD_HA_MIN_NODES,
                JSON.stringify(nodes),
            );
            const values = inputsOf(named(hot, "kubernetes:helm.sh/v3:Release", "webank-dr-argocd")).values;
            assert.deepStrictEqual(values["redis-ha"], {
                enabled: true,
                persistentVolume: REDIS_HA_PERSISTENCE,
            });
        });

        it("runs Argo CD's root app synced before the failover, which a warm standby leaves out until it serves", async () => {
            const rootApp = (run: OfflineRun) =>
                ofType(run, "kubernetes:argoproj.io/v1alpha1:Application").map((a) => [
                    a.name,
                    inputsOf(a).metadata?.name,
                    inputsOf(a).spec?.syncPolicy?.automated,
                ]);
            const automated = { prune: false, selfHeal: true };
            assert.deepStrictEqual(rootApp(hot), [["webank-dr-argocd-root-app", ROOT_APP_NAME, automated]]);
            // The activation changes nothing in it: Argo CD has nothing new to sync.
            assert.deepStrictEqual(rootApp(promoted), rootApp(hot));
            const warm = await runStack("dr", variantOverrides("dr:warm"), { primary: primary.outputs });
            assert.deepStrictEqual(rootApp(warm), []);
        });

        it("is no backup target of its own and serves nothing: no heartbeat, no DB backup plan, no SECONDARY record", async () => {
            assert.strictEqual(
                ofType(hot, "aws:backup/plan:Plan").filter((p) => p.name === "webank-db-dr-backup").length,
                0,
            );
            assert.strictEqual(hot.resources.filter((r) => r.name === "webank-dr-heartbeat").length, 0);
            const zoned = await runStack(
                "dr",
                { ...variantOverrides("dr:hot"), ...ZONE },
                { primary: primary.outputs },
            );
            assert.strictEqual(ofType(zoned, "aws:route53/record:Record").length, 0);
        });
    });

    describe("after the failover promoted the replica", () => {
        it("declares the same resource, with the same URN: never a second database, no restore", () => {
            assert.strictEqual(onlyDatabase(promoted).urn, onlyDatabase(hot).urn);
            assert.strictEqual(promoted.resources.filter((r) => /-db-dr-\d+/.test(r.name)).length, 0);
            assert.strictEqual(ofType(promoted, "pulumi:pulumi:StackReference").length, 0);
        });

        it("changes nothing that replaces the instance: only the source goes and password management comes", () => {
            const { differing, replacing } = instanceDifferences(
                inputsOf(onlyDatabase(hot)),
                inputsOf(onlyDatabase(promoted)),
            );
            assert.deepStrictEqual(replacing, [], "no ForceNew argument differs");
            assert.ok(differing.includes("replicateSourceDb"), "the promotion itself is declared");
            assert.strictEqual(inputsOf(onlyDatabase(promoted)).replicateSourceDb, undefined);
            assert.strictEqual(inputsOf(onlyDatabase(promoted)).manageMasterUserPassword, true);
            assert.strictEqual(
                inputsOf(onlyDatabase(promoted)).masterUserSecretKmsKeyId,
                inputsOf(onlyDatabase(hot)).kmsKeyId,
            );
        });

        it("the replacement check catches a ForceNew argument that differs, or one declared on one side only", () => {
            const before = inputsOf(onlyDatabase(hot));
            assert.deepStrictEqual(
                instanceDifferences(before, {
                    ...before,
                    kmsKeyId: "arn:aws:kms:us-west-2:123456789012:key/other",
                }).replacing,
                ["kmsKeyId"],
            );
            const withoutEncryption = { ...before };
            delete withoutEncryption.storageEncrypted;
            assert.deepStrictEqual(instanceDifferences(before, withoutEncryption).replacing, [
                "storageEncrypted",
            ]);
            assert.deepStrictEqual(
                instanceDifferences(before, { ...before, username: "webank_admin" }).replacing,
                ["username"],
            );
        });

        it("writes the heartbeat into the promoted instance with its own master secret in the DR region", () => {
            const heartbeat = promoted.resources.filter((r) => r.name.startsWith("webank-dr-heartbeat"));
            assert.ok(heartbeat.length > 0, "the heartbeat is declared");
            assert.match(
                String(promoted.outputs.dbSecretArn),
                /^arn:aws:secretsmanager:us-west-2:\d{12}:secret:rds!db-/,
            );
            assert.match(
                String(promoted.outputs.dbEndpoint),
                /^webank-db-replica\.[0-9a-f]{12}\.us-west-2\.rds\.amazonaws\.com:5432$/,
            );
            assert.strictEqual(
                promoted.outputs.dbInstanceArn,
                `arn:aws:rds:us-west-2:${FAKE_ACCOUNT_ID}:db:webank-db-replica`,
            );
            assert.match(String(promoted.outputs.dbResourceId), /^db-[0-9A-Z]{26}$/);
            assert.match(
                String(promoted.outputs.dbPromotedFrom),
                /promoted read replica webank-db-replica of webank-db/,
            );
        });

        it("backs the promoted instance up into the DR vault", () => {
            const selection = named(promoted, "aws:backup/selection:Selection", "webank-db-dr-backup");
            assert.deepStrictEqual(inputsOf(selection).resources, [promoted.outputs.dbInstanceArn]);
        });

        it("owns the SECONDARY record", async () => {
            const zoned = await runStack(
                "dr",
                { ...variantOverrides("dr:hot-activated"), ...ZONE },
                { primary: primary.outputs },
            );
            const [record] = ofType(zoned, "aws:route53/record:Record");
            assert.deepStrictEqual(inputsOf(record).failoverRoutingPolicies, [{ type: "SECONDARY" }]);
        });
    });
});
