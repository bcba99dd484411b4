import * as assert from "assert";
import { PlanDocument } from "../../offline/render";
import { main } from "../../offline/plan";
import { STACK_VARIANTS } from "../../offline/stack-variants";
import { projectCopy, removeProjectCopies, withConfig } from "../config/project-copy";
import { bothStacksWith } from "../support/offline";

/** Runs the plan CLI in-process and captures what it prints. */
async function plan(
    argv: string[],
    root?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const code = await main(argv, {
        root,
        stdout: { write: (t: string) => (stdout += t) },
        stderr: { write: (t: string) => (stderr += t) },
    });
    return { code, stdout, stderr };
}

after(removeProjectCopies);

/** A project copy whose `Pulumi.<stack>.yaml` sets `config` (full keys). */
function stackCopy(stack: string, config: Record<string, string>): string {
    return projectCopy({ [`Pulumi.${stack}.yaml`]: withConfig(config) });
}

describe("npm run plan", () => {
    it("plans both stacks, saying plainly that it is offline", async () => {
        const { code, stdout } = await plan([]);
        assert.strictEqual(code, 0);
        assert.match(stdout, /^OFFLINE PLAN/);
        assert.match(stdout, /Stack primary/);
        assert.match(stdout, /Stack dr/);
        assert.match(
            stdout,
            /aws:dynamodb\/tableReplica:TableReplica {2}webank-state-lock-replica {2}\[us-west-2\]/,
        );
        assert.match(stdout, /Summary of primary: \d+ cloud resources/);
    });

    it("plans one stack with --stack", async () => {
        const { code, stdout } = await plan(["--stack", "dr"]);
        assert.strictEqual(code, 0);
        assert.doesNotMatch(stdout, /Stack primary/);
        assert.match(stdout, /Stack dr/);
    });

    it("prints one JSON document with --json", async () => {
        const { code, stdout } = await plan(["--json"]);
        assert.strictEqual(code, 0);
        const document = JSON.parse(stdout) as PlanDocument;
        assert.deepStrictEqual(Object.keys(document.stacks), ["primary", "dr"]);
        const table = document.stacks.primary.resources.find((r) => r.type === "aws:dynamodb/table:Table");
        assert.ok(table);
        for (const field of ["urn", "type", "name", "parent", "provider", "inputs"]) {
            assert.ok(field in table, `resource has ${field}`);
        }
        assert.match(String(table.provider), /pulumi:providers:aws::webank-us-east-1$/);
        assert.match(String(table.parent), /webank:state:StateBackend::webank-state$/);
    });

    it("exits 1 naming the key when the DR region equals the home region", async () => {
        const root = stackCopy("primary", { "webank:drRegion": "us-east-1" });
        const { code, stderr, stdout } = await plan([], root);
        assert.strictEqual(code, 1);
        assert.match(stderr, /webank:drRegion must differ from webank:homeRegion/);
        assert.match(stderr, /got "us-east-1"/);
        assert.strictEqual(stdout, "", "nothing is planned");
    });

    it("shows the primary database and its backup replication into the DR region", async () => {
        const { code, stdout } = await plan(["--json", "--stack", "primary"]);
        assert.strictEqual(code, 0);
        const resources = (JSON.parse(stdout) as PlanDocument).stacks.primary.resources;
        const db = resources.find((r) => r.type === "aws:rds/instance:Instance");
        assert.ok(db, "an RDS instance");
        assert.strictEqual(db.inputs.engine, "postgres");
        assert.strictEqual(db.inputs.multiAz, true);
        assert.strictEqual(db.inputs.storageEncrypted, true);
        assert.strictEqual(db.inputs.deletionProtection, true);
        assert.ok(Number(db.inputs.backupRetentionPeriod) >= 7);
        assert.strictEqual(db.inputs.password, undefined);
        const replication = resources.find(
            (r) =>
                r.type === "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
        );
        assert.strictEqual(replication?.region, "us-west-2");
    });

    it("shows a restored database in dr only when activated with a restore", async () => {
        const dbIn = async (root?: string) => {
            const { code, stdout } = await plan(["--json", "--stack", "dr"], root);
            assert.strictEqual(code, 0);
            return (JSON.parse(stdout) as PlanDocument).stacks.dr.resources.filter(
                (r) => r.type === "aws:rds/instance:Instance",
            );
        };
        assert.strictEqual((await dbIn()).length, 0, "pilot light: no database");
        const root = stackCopy("dr", {
            "webank:activated": "true",
            "webank:restore": '{"source": "pitr", "time": "latest"}',
        });
        const restored = await dbIn(root);
        assert.strictEqual(restored.length, 1);
        assert.strictEqual(restored[0].region, "us-west-2");
        assert.deepStrictEqual(Object.keys(restored[0].inputs.restoreToPointInTime as object).sort(), [
            "sourceDbInstanceAutomatedBackupsArn",
            "useLatestRestorableTime",
        ]);
    });

    it("shows the platform in primary, and the PRIMARY record once a zone is configured", async () => {
        const types = async (root?: string) => {
            const { code, stdout } = await plan(["--json", "--stack", "primary"], root);
            assert.strictEqual(code, 0);
            return (JSON.parse(stdout) as PlanDocument).stacks.primary.resources.map((r) => r.type);
        };
        const plain = await types();
        for (const type of [
            "eks:index:Cluster",
            "kubernetes:helm.sh/v3:Release",
            "kubernetes:batch/v1:CronJob",
            "kubernetes:storage.k8s.io/v1:StorageClass",
            "aws:codebuild/project:Project",
            "aws:cloudwatch/eventRule:EventRule",
        ]) {
            assert.ok(plain.includes(type), `primary plan has ${type}`);
        }
        assert.ok(!plain.includes("aws:route53/record:Record"), "no zone configured: no record");
        const root = stackCopy("primary", {
            "webank:dnsZoneId": "Z0123456789ABCDEFGHIJ",
            "webank:dnsRecordName": "app.webank.example",
            "webank:primaryEndpoint": "primary-alb.us-east-1.elb.amazonaws.com",
        });
        const zoned = await types(root);
        assert.ok(
            zoned.includes("aws:route53/record:Record") &&
                zoned.includes("aws:route53/healthCheck:HealthCheck"),
        );
    });

    it("shows the vaults, the plans with DR copies, the restore testing, the audit and Resilience Hub", async () => {
        const { stdout } = await plan(["--json", "--stack", "primary"]);
        const resources = (JSON.parse(stdout) as PlanDocument).stacks.primary.resources;
        const ofType = (type: string) => resources.filter((r) => r.type === type);
        assert.deepStrictEqual(
            ofType("aws:backup/vault:Vault")
                .map((v) => v.region)
                .sort(),
            ["us-east-1", "us-west-2"],
        );
        assert.strictEqual(ofType("aws:backup/vaultLockConfiguration:VaultLockConfiguration").length, 2);
        const rules = ofType("aws:backup/plan:Plan").flatMap(
            (p) => p.inputs.rules as Array<{ copyActions: unknown[] }>,
        );
        // Every rule copies to the DR vault; the daily ones to the air-gapped vault as well.
        assert.ok(rules.length >= 5 && rules.every((r) => [1, 2].includes(r.copyActions.length)));
        assert.ok(rules.some((r) => r.copyActions.length === 2));
        assert.ok(ofType("aws:backup/selection:Selection").length >= 5);
        assert.strictEqual(ofType("aws:backup/restoreTestingPlan:RestoreTestingPlan").length, 1);
        const [framework] = ofType("aws:backup/framework:Framework");
        assert.strictEqual((framework.inputs.controls as unknown[]).length, 9);
        assert.strictEqual(ofType("aws-native:resiliencehub:ResiliencyPolicy").length, 1);
        assert.strictEqual(ofType("aws-native:resiliencehub:App").length, 1);
    });

    it("changes the backup schedule when rpoMinutes changes in both stack files", async () => {
        const artifactRules = async (root?: string) => {
            const { code, stdout } = await plan(["--json", "--stack", "primary"], root);
            assert.strictEqual(code, 0);
            const [artifacts] = (JSON.parse(stdout) as PlanDocument).stacks.primary.resources.filter(
                (r) => r.type === "aws:backup/plan:Plan" && r.name === "webank-backup-artifact-bucket",
            );
            return (
                artifacts.inputs.rules as Array<{ schedule: string; enableContinuousBackup: boolean }>
            ).map((r) => `${r.schedule}${r.enableContinuousBackup ? " continuous" : ""}`);
        };
        assert.deepStrictEqual(await artifactRules(), ["cron(0 * ? * * *) continuous", "cron(0 5 ? * * *)"]);
        const root = bothStacksWith({ "webank:rpoMinutes": 360 });
        assert.deepStrictEqual(await artifactRules(root), ["cron(0 0/6 ? * * *)", "cron(0 5 ? * * *)"]);
    });

    it("says in the plan when DNS failover is skipped", async () => {
        const { stdout } = await plan(["--stack", "primary"]);
        assert.match(stdout, /dnsFailover: skipped: webank:dnsZoneId is not set/);
    });

    it("plans a named configuration: the dr stack file with its overrides, keyed by the configuration's name", async () => {
        const { code, stdout } = await plan(["--json", "--stack", "dr", "--stack", "dr:warm"]);
        assert.strictEqual(code, 0);
        const document = JSON.parse(stdout) as PlanDocument;
        assert.deepStrictEqual(Object.keys(document.stacks), ["dr", "dr:warm"]);
        const warm = document.stacks["dr:warm"];
        assert.strictEqual(warm.stack, "dr");
        assert.deepStrictEqual(warm.overrides, { "webank:posture": "warm" });
        assert.deepStrictEqual(document.stacks.dr.overrides, {});
        // The overrides reach the program: a warm standby runs a cluster, a pilot light does not.
        const clusters = (entry: PlanDocument["stacks"][string]) =>
            entry.resources.filter((r) => r.type === "eks:index:Cluster").length;
        assert.strictEqual(clusters(document.stacks.dr), 0);
        assert.strictEqual(clusters(warm), 1);
        assert.ok(warm.resources.every((r) => r.urn.startsWith("urn:pulumi:dr::webank::")));
    });

    it("names the configuration in the text plan", async () => {
        const { code, stdout } = await plan(["--stack", "dr:activated"]);
        assert.strictEqual(code, 0);
        assert.match(
            stdout,
            /Stack dr {2}\(project webank; configuration dr:activated: webank:activated=true, /,
        );
        assert.match(stdout, /Summary of dr:activated: /);
    });

    it("refuses an unknown configuration, naming the value and every valid one, before running anything", async () => {
        const { code, stdout, stderr } = await plan(["--stack", "dr:tepid"]);
        assert.strictEqual(code, 2);
        assert.strictEqual(stdout, "");
        assert.match(stderr, /--stack/);
        assert.match(stderr, /got "dr:tepid"/);
        for (const name of ["primary", "dr", ...STACK_VARIANTS.map((v) => v.name)]) {
            assert.ok(stderr.includes(name), `lists ${name}: ${stderr}`);
        }
        assert.doesNotMatch(stderr, /running stack/, "nothing ran");
    });

    it("exits 2 on an unknown stack or option", async () => {
        assert.strictEqual((await plan(["--stack", "staging"])).code, 2);
        assert.strictEqual((await plan(["--verbose"])).code, 2);
    });
});
