import * as assert from "assert";
import { OfflineRun, RecordedResource } from "../../offline/engine";
import { inputsOf, named, ofType, runStack } from "../support/offline";

/*
 * The EKS cluster in AWS Backup (lib/backup-rules.ts target `cluster`): the primary stack's
 * cluster selected by its ARN in a plan of its own whose rules come from the cluster objective
 * and copy to the DR vault; the dr stack's cluster, wherever it runs one, selected the same way
 * in the dr stack's own plan, copying back to the home vault. A pilot light has no cluster, so
 * no cluster plan.
 */

/** What activates the dr stack after a pilot-light failover (as test/stacks.test.ts sets it). */
const ACTIVATE = { "webank:activated": "true", "webank:restore": '{"source": "pitr", "time": "latest"}' };

const EKS_ARN = /^arn:aws:eks:(us-east-1|us-west-2):\d{12}:cluster\/webank-(primary|dr)$/;

function clusterSelection(run: OfflineRun, name: string): RecordedResource {
    return named(run, "aws:backup/selection:Selection", name);
}

describe("stacks: the EKS cluster in AWS Backup", () => {
    let primary: OfflineRun;
    before(async () => {
        primary = await runStack("primary");
    });

    it("selects the primary cluster by its ARN, computed from the cluster, in a plan of its own", () => {
        const selection = clusterSelection(primary, "webank-backup-cluster");
        const resources = inputsOf(selection).resources as string[];
        assert.strictEqual(resources.length, 1);
        assert.match(resources[0], EKS_ARN);
        assert.ok(resources[0].endsWith(":cluster/webank-primary"), resources[0]);
        assert.match(resources[0], /:us-east-1:/);
        const cluster = named(primary, "eks:index:Cluster", "webank-primary-eks");
        assert.ok(selection.propertyDependencies.resources.includes(cluster.urn));
        assert.strictEqual(inputsOf(selection).conditions, undefined);
    });

    it("backs it up hourly and daily (cluster RPO 300: an hourly snapshot and its copy), every rule copied to the DR vault", () => {
        const plan = named(primary, "aws:backup/plan:Plan", "webank-backup-cluster");
        const rules = inputsOf(plan).rules as {
            ruleName: string;
            schedule: string;
            enableContinuousBackup: boolean;
            copyActions: { destinationVaultArn: string }[];
        }[];
        assert.deepStrictEqual(
            rules.map((r) => [r.ruleName, r.schedule, r.enableContinuousBackup]),
            [
                ["cluster-eks-snapshot", "cron(0 * ? * * *)", false],
                ["cluster-eks-long-term", "cron(0 5 ? * * *)", false],
            ],
        );
        for (const rule of rules) {
            assert.strictEqual(rule.copyActions[0].destinationVaultArn, primary.outputs.backupDrVaultArn);
        }
    });

    for (const [title, overrides] of [
        ["a warm standby", { "webank:posture": "warm" }],
        ["a hot standby", { "webank:posture": "hot" }],
        ["an activated pilot", ACTIVATE],
    ] as const) {
        it(`selects the DR cluster by its ARN in the dr stack's own plan: ${title}`, async () => {
            const dr = await runStack("dr", { ...overrides }, { primary: primary.outputs });
            const selection = clusterSelection(dr, "webank-cluster-dr-backup");
            const [arn] = inputsOf(selection).resources as string[];
            assert.match(arn, EKS_ARN);
            assert.ok(arn.endsWith(":us-west-2:" + arn.split(":")[4] + ":cluster/webank-dr"), arn);
            assert.strictEqual(selection.region, "us-west-2");
            const plan = named(dr, "aws:backup/plan:Plan", "webank-cluster-dr-backup");
            for (const rule of inputsOf(plan).rules as { copyActions: { destinationVaultArn: string }[] }[]) {
                assert.match(
                    rule.copyActions[0].destinationVaultArn,
                    /^arn:aws:backup:us-east-1:\d{12}:backup-vault:/,
                );
            }
        });
    }

    it("declares no cluster plan in a pilot light, which runs no cluster", async () => {
        const pilot = await runStack("dr", {}, { primary: primary.outputs });
        assert.strictEqual(ofType(pilot, "eks:index:Cluster").length, 0);
        assert.ok(!ofType(pilot, "aws:backup/selection:Selection").some((s) => s.name.includes("cluster")));
    });
});
