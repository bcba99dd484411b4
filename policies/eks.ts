import { ResourceValidationPolicy } from "@pulumi/policy";
import { CONTROL_PLANE_LOG_TYPES } from "../components/cluster";

const EKS_COMPONENT = "eks:index:Cluster";
const EKS_CLUSTER = "aws:eks/cluster:Cluster";

/** Kubernetes secrets encrypted with a KMS key. */
export const eksClusterSecretsEncryption: ResourceValidationPolicy = {
    name: "eks-cluster-secrets-encryption",
    description: "Checks whether EKS clusters encrypt Kubernetes secrets with a KMS key.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type === EKS_COMPONENT && !args.props.encryptionConfigKeyArn) {
            reportViolation("EKS clusters must encrypt secrets with a KMS key (encryptionConfigKeyArn).");
        }
        if (args.type === EKS_CLUSTER) {
            const config = args.props.encryptionConfig as { resources?: string[] } | undefined;
            if (!config?.resources?.includes("secrets")) {
                reportViolation("EKS clusters must encrypt secrets with a KMS key (encryptionConfig).");
            }
        }
    },
};

/** All five control-plane log types on. */
export const eksClusterControlPlaneLogging: ResourceValidationPolicy = {
    name: "eks-cluster-control-plane-logging",
    description: "Checks whether EKS clusters send all five control-plane log types to CloudWatch.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== EKS_COMPONENT && args.type !== EKS_CLUSTER) {
            return;
        }
        const enabled = (args.props.enabledClusterLogTypes as string[] | undefined) ?? [];
        const missing = CONTROL_PLANE_LOG_TYPES.filter((t) => !enabled.includes(t));
        if (missing.length > 0) {
            reportViolation(
                `EKS clusters must enable every control-plane log type; missing: ${missing.join(", ")}.`,
            );
        }
    },
};
