import { CONTROL_PLANE_LOG_TYPES } from "../../../components/cluster";
import { EKS_CLUSTER, EKS_COMPONENT } from "../../../policies/eks";
import { MutationRow } from "../row";

const SERVICE = "EKS";
const SECRETS = "eks-cluster-secrets-encryption";
const LOGGING = "eks-cluster-control-plane-logging";
const DELETION = "eks-cluster-deletion-protection";

/** The cluster's DR protections the README claims (on primary, and on a warm or activated DR cluster). */
export const EKS_ROWS: readonly MutationRow[] = [
    {
        service: SERVICE,
        protection: "deletion protection",
        mutation: "deletionProtection false",
        apply: (s) => s.set(s.one(EKS_COMPONENT), "deletionProtection", false),
        policy: DELETION,
    },
    {
        service: SERVICE,
        protection: "deletion protection",
        mutation: "deletionProtection removed (pulumi-eks's default: false)",
        apply: (s) => s.unset(s.one(EKS_COMPONENT), "deletionProtection"),
        policy: DELETION,
    },
    {
        service: SERVICE,
        protection: "deletion protection",
        configuration: "dr:warm",
        mutation: "deletionProtection false on the warm DR cluster",
        apply: (s) => s.set(s.one(EKS_COMPONENT), "deletionProtection", false),
        policy: DELETION,
    },
    {
        service: SERVICE,
        protection: "secrets encrypted with the data key",
        mutation: "encryptionConfigKeyArn removed",
        apply: (s) => s.unset(s.one(EKS_COMPONENT), "encryptionConfigKeyArn"),
        policy: SECRETS,
    },
    {
        service: SERVICE,
        protection: "secrets encrypted with the data key",
        mutation: "encryptionConfigKeyArn an AWS managed alias (alias/aws/eks)",
        apply: (s) => s.set(s.one(EKS_COMPONENT), "encryptionConfigKeyArn", "alias/aws/eks"),
        policy: SECRETS,
    },
    {
        service: SERVICE,
        protection: "secrets encrypted with the data key",
        configuration: "dr:activated",
        mutation: "encryptionConfigKeyArn removed on the activated DR cluster",
        apply: (s) => s.unset(s.one(EKS_COMPONENT), "encryptionConfigKeyArn"),
        policy: SECRETS,
    },
    {
        service: SERVICE,
        protection: "secrets encrypted with the data key",
        mutation: "the cluster declared as an aws.eks.Cluster with the same inputs (no encryptionConfig)",
        apply: (s) => s.retype(s.one(EKS_COMPONENT), EKS_CLUSTER),
        policy: SECRETS,
    },
    {
        service: SERVICE,
        protection: "all five control-plane logs",
        mutation: "the audit log type dropped",
        apply: (s) =>
            s.update(s.one(EKS_COMPONENT), "enabledClusterLogTypes", (types) =>
                (types as string[]).filter((t) => t !== "audit"),
            ),
        policy: LOGGING,
    },
    {
        service: SERVICE,
        protection: "all five control-plane logs",
        mutation: "only the api log type",
        apply: (s) => s.set(s.one(EKS_COMPONENT), "enabledClusterLogTypes", [CONTROL_PLANE_LOG_TYPES[0]]),
        policy: LOGGING,
    },
    {
        service: SERVICE,
        protection: "all five control-plane logs",
        mutation: "enabledClusterLogTypes removed (off by default)",
        apply: (s) => s.unset(s.one(EKS_COMPONENT), "enabledClusterLogTypes"),
        policy: LOGGING,
    },
    {
        service: SERVICE,
        protection: "all five control-plane logs",
        configuration: "dr:warm-activated",
        mutation: "the scheduler log type dropped on the activated warm DR cluster",
        apply: (s) =>
            s.update(s.one(EKS_COMPONENT), "enabledClusterLogTypes", (types) =>
                (types as string[]).filter((t) => t !== "scheduler"),
            ),
        policy: LOGGING,
    },
];
