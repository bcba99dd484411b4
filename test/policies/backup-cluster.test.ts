import * as assert from "assert";
import * as coverage from "../../policies/backup-coverage";
import * as plans from "../../policies/backup-plans";
import { CONFIG, HOME, primaryStack, rules } from "./backup-fixture";
import { StackResource, violations } from "./stack-harness";

/*
 * EKS clusters as stores of the policy pack (policies/backup-targets.ts): a cluster, the AWS
 * provider's type as a real preview shows it, must be selected by its ARN
 * (`arn:aws:eks:<region>:<account>:cluster/<name>`) in a plan of the stack, and that plan must
 * deliver the EKS RPO (`backupRpoMinutes.eks`).
 */

const CLUSTER_ARN = `arn:aws:eks:${HOME}:123456789012:cluster/webank-primary`;
const EKS_CONFIG = { ...CONFIG, backupRpoMinutes: { ...CONFIG.backupRpoMinutes, eks: 60 } };

/** The primary fixture with an EKS cluster and, unless `selected` is undefined, a plan selecting `selected`. */
function withCluster(
    selected: string | undefined,
    planRules: unknown = rules("eks", false),
): StackResource[] {
    const cluster: StackResource = {
        type: "aws:eks/cluster:Cluster",
        name: "eks",
        props: { name: "webank-primary" },
    };
    if (selected === undefined) {
        return [...primaryStack(), cluster];
    }
    return [
        ...primaryStack(),
        cluster,
        {
            type: "aws:backup/plan:Plan",
            name: "plan-cluster",
            props: { name: "cluster", rules: planRules },
            inputsFrom: { rules: ["vault-home", "vault-dr"] },
        },
        {
            type: "aws:backup/selection:Selection",
            name: "sel-cluster",
            props: {
                name: "cluster",
                planId: "id-cluster",
                iamRoleArn: "arn:aws:iam::123456789012:role/backup",
                resources: [selected],
            },
            inputsFrom: { planId: ["plan-cluster"] },
        },
    ];
}

describe("policies: EKS clusters in AWS Backup", () => {
    const covered = coverage.backupStatefulResourcesCovered;
    it("passes a cluster selected by its ARN", () => {
        assert.deepStrictEqual(violations(covered, withCluster(CLUSTER_ARN), EKS_CONFIG), []);
    });
    it("fails a cluster no selection selects, on the cluster", () => {
        const found = violations(covered, withCluster(undefined), EKS_CONFIG);
        assert.strictEqual(found.length, 1, found.join("\n"));
        assert.match(found[0], /^eks: .*this Cluster must be selected by an AWS Backup selection/);
    });
    it("fails a selection of another cluster, or of another region's", () => {
        for (const other of [
            `arn:aws:eks:${HOME}:123456789012:cluster/webank-other`,
            "arn:aws:eks:us-west-2:123456789012:cluster/webank-primary",
        ]) {
            assert.strictEqual(violations(covered, withCluster(other), EKS_CONFIG).length, 1, other);
        }
    });
    it("fails the cluster's plan when it delivers less than the EKS RPO (daily backups alone)", () => {
        const daily = (rules("eks", false) as unknown[]).slice(1);
        const found = violations(
            plans.backupPlanRuleFrequencyAndRetention,
            withCluster(CLUSTER_ARN, daily),
            EKS_CONFIG,
        );
        assert.ok(
            found.some((f) =>
                /^plan-cluster: .*must deliver an RPO of at most 60 minutes for EKS \(backupRpoMinutes\.eks/.test(
                    f,
                ),
            ),
            found.join("\n"),
        );
    });
});
