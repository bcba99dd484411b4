import { PolicyResource } from "@pulumi/policy";
import { CONTROL_PLANE_LOG_TYPES } from "../components/cluster";
import { resourcePolicy, stackPolicy } from "./lib/define";
import { resourcesOfType } from "./lib/graph";
import { requireCustomerKey } from "./lib/keys";
import { describe, isUnknown, valueAt } from "./lib/values";

/**
 * The EKS cluster's DR protections, judged on both types a real preview shows: the pulumi-eks
 * component `eks:index:Cluster` (the inputs the program wrote; the offline recorder sees only
 * this one) and the `aws:eks/cluster:Cluster` it creates in its own plugin (pulumi-eks 4.3.0
 * nodejs/eks/cluster/cluster.ts passes `enabledClusterLogTypes` and `deletionProtection` through
 * and builds `encryptionConfig: { provider: { keyArn }, resources: ["secrets"] }` from
 * `encryptionConfigKeyArn`), or that a program might declare directly instead.
 *
 * Chosen as DR protections from the README's cluster row: secrets encryption (the restored
 * cluster's secrets, and etcd backups, stay readable only with the customer key), all
 * control-plane logs (what happened before a loss), deletion protection. The private endpoint,
 * access entries, IRSA and IMDSv2 are security settings, not judged here.
 */

/** The pulumi-eks component. */
export const EKS_COMPONENT = "eks:index:Cluster";
/** The AWS provider's cluster. */
export const EKS_CLUSTER = "aws:eks/cluster:Cluster";
/** The types these policies judge. */
export const CHECKED_TYPES: readonly string[] = [EKS_COMPONENT, EKS_CLUSTER];

/** Whether `cluster` is the AWS cluster of a pulumi-eks component, whose own inputs are judged too. */
function madeByComponent(cluster: PolicyResource): boolean {
    return cluster.type === EKS_CLUSTER && cluster.parent?.type === EKS_COMPONENT;
}

/**
 * Kubernetes secrets envelope-encrypted with a customer managed key. Unset, EKS (1.28 and
 * later) envelope-encrypts API data with an AWS owned key (EKS User Guide, "Default envelope
 * encryption for all Kubernetes API data"), a key whose policy, rotation and audit trail are
 * AWS's, not this project's. A stack policy so that a key ARN unknown in a preview is
 * accepted when it is computed from a key of this stack; the AWS cluster a component creates,
 * whose whole `encryptionConfig` is unknown in a preview, is then judged by its component's input.
 */
export const eksClusterSecretsEncryption = stackPolicy({
    name: "eks-cluster-secrets-encryption",
    description: "Checks whether EKS clusters encrypt Kubernetes secrets with a customer managed KMS key.",
    validate: (args, evaluation) => {
        for (const cluster of resourcesOfType(args, EKS_COMPONENT)) {
            requireCustomerKey(
                evaluation,
                cluster,
                "encryptionConfigKeyArn",
                "Kubernetes secrets encryption",
            );
        }
        for (const cluster of resourcesOfType(args, EKS_CLUSTER)) {
            if (isUnknown(valueAt(cluster.props, "encryptionConfig")) && madeByComponent(cluster)) {
                continue;
            }
            evaluation.check(cluster, "encryptionConfig.resources", (resources) =>
                Array.isArray(resources) && resources.includes("secrets")
                    ? undefined
                    : `must include "secrets" (the only resource EKS envelope-encrypts); it is ${describe(resources)}.`,
            );
            requireCustomerKey(
                evaluation,
                cluster,
                "encryptionConfig.provider.keyArn",
                "Kubernetes secrets encryption",
            );
        }
    },
});

/**
 * Every control-plane log type sent to CloudWatch (components/cluster.ts
 * CONTROL_PLANE_LOG_TYPES: api, audit, authenticator, controllerManager, scheduler, the five EKS
 * has). Off by default ("By default it is off", pulumi-eks `enabledClusterLogTypes`).
 */
export const eksClusterControlPlaneLogging = resourcePolicy({
    name: "eks-cluster-control-plane-logging",
    description: "Checks whether EKS clusters send all five control-plane log types to CloudWatch.",
    types: [EKS_COMPONENT, EKS_CLUSTER],
    validate: (cluster, evaluation) =>
        evaluation.check(cluster, "enabledClusterLogTypes", (enabled) => {
            const list = Array.isArray(enabled) ? enabled : [];
            if (list.some(isUnknown)) {
                evaluation.unknown(cluster, "enabledClusterLogTypes");
                return undefined;
            }
            const missing = CONTROL_PLANE_LOG_TYPES.filter((t) => !list.includes(t));
            return missing.length === 0
                ? undefined
                : `must enable every control-plane log type (${CONTROL_PLANE_LOG_TYPES.join(", ")}); missing ${missing.join(", ")}; it is ${describe(enabled)}.`;
        }),
});

/**
 * Deletion protection on: EKS refuses to delete the cluster until it is turned off. Both the
 * component's and the AWS provider's input default to false (pulumi-eks `deletionProtection`:
 * "Default: `false`").
 */
export const eksClusterDeletionProtection = resourcePolicy({
    name: "eks-cluster-deletion-protection",
    description: "Checks whether EKS clusters have deletion protection enabled.",
    types: [EKS_COMPONENT, EKS_CLUSTER],
    validate: (cluster, evaluation) =>
        evaluation.requireEqual(
            cluster,
            "deletionProtection",
            true,
            "EKS refuses to delete a protected cluster; the default is false",
        ),
});
