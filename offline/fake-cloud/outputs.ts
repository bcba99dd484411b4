import { partitionOf } from "../../lib/regions";
import { ec2Id, FAKE_ACCOUNT_ID, hex, kmsKeyId, secretSuffix, terraformUniqueId, uuid } from "./identifiers";
import { ec2PrefixOf } from "./ids";

/** What a resource's computed outputs are made of. */
export interface OutputContext {
    /** Type token. */
    readonly type: string;
    /** The name AWS knows the resource by. */
    readonly physicalName: string;
    /** The resource's region. */
    readonly region: string;
    /** The program's inputs. */
    readonly inputs: Record<string, unknown>;
    /** What random parts are derived from: the same for the same resource in the same region. */
    readonly seed: string;
}

/** A replica key's id: its primary key's (KMS developer guide, "Multi-Region keys": related keys share a key id). */
function replicaKeyId(inputs: Record<string, unknown>, seed: string): string {
    return typeof inputs.primaryKeyArn === "string"
        ? (inputs.primaryKeyArn.split("/").pop() ?? kmsKeyId(seed, true))
        : kmsKeyId(seed, true);
}

/**
 * Computed outputs that specific resource types have and the program reads (ids, names and
 * ARNs are added by ids.ts and arns.ts). Each value has the format its provider documents.
 */
export function computedOutputs(context: OutputContext): Record<string, unknown> {
    const { type, physicalName, region, inputs, seed } = context;
    const partition = partitionOf(region);
    switch (type) {
        case "aws:kms/key:Key":
            return { keyId: kmsKeyId(seed, inputs.multiRegion === true) };
        case "aws:kms/replicaKey:ReplicaKey":
            return { keyId: replicaKeyId(inputs, seed) };
        case "aws:ecr/repository:Repository":
            // ECR user guide, "Private repository concepts": aws_account_id.dkr.ecr.region.amazonaws.com/name.
            return {
                repositoryUrl: `${FAKE_ACCOUNT_ID}.dkr.ecr.${region}.amazonaws.com/${physicalName}`,
                registryId: FAKE_ACCOUNT_ID,
            };
        case "aws:ecr/replicationConfiguration:ReplicationConfiguration":
        case "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate":
            // pulumi-aws: "The registry ID where the configuration was created" (ECR user guide,
            // "Private registry concepts": a private registry's id is the account id).
            return { registryId: FAKE_ACCOUNT_ID };
        case "aws:s3/bucket:Bucket":
            // pulumi-aws s3.Bucket: `bucket` is the name, `region` the provider's region.
            return { bucket: physicalName, region };
        case "aws:rds/instance:Instance": {
            // RDS user guide: endpoint identifier.<12 chars per account and region>.region.rds.amazonaws.com
            // ("Finding the connection information"), managed secret rds!db-<uuid> ("Password management
            // with AWS Secrets Manager"); DbiResourceId db-<26 upper-case alphanumerics>; endpoint address:port.
            // A read replica (cross-Region: in its own region, its own endpoint) has no managed secret
            // of its own: RDS cannot manage a replica's master password ("Limitations for Secrets
            // Manager integration with Amazon RDS"), so DescribeDBInstances returns no MasterUserSecret
            // and the provider reads master_user_secret as empty (rds/instance.go resourceInstanceRead).
            // Without manageMasterUserPassword there is none either; with it, RDS's secret in the
            // instance's region, encrypted with masterUserSecretKmsKeyId.
            const address = `${physicalName}.${hex(`${FAKE_ACCOUNT_ID}/${region}`, 12)}.${region}.rds.amazonaws.com`;
            const secretName = `rds!db-${uuid(seed)}`;
            const managed = inputs.manageMasterUserPassword === true && !inputs.replicateSourceDb;
            return {
                address,
                endpoint: `${address}:5432`,
                resourceId: `db-${hex(seed, 26).toUpperCase()}`,
                masterUserSecrets: managed
                    ? [
                          {
                              secretArn: `arn:${partition}:secretsmanager:${region}:${FAKE_ACCOUNT_ID}:secret:${secretName}-${secretSuffix(seed)}`,
                              kmsKeyId:
                                  typeof inputs.masterUserSecretKmsKeyId === "string"
                                      ? inputs.masterUserSecretKmsKeyId
                                      : "",
                              secretStatus: "active",
                          },
                      ]
                    : [],
            };
        }
        case "aws:ec2/launchTemplate:LaunchTemplate":
            // EC2 CreateLaunchTemplate: a new template's first version is 1.
            return { latestVersion: 1 };
        case "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":
        case "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule":
            // pulumi-aws: "The ID of the security group rule", the resource's id (sgr-...).
            return { securityGroupRuleId: ec2Id(ec2PrefixOf(type) ?? "sgr", seed) };
        case "aws:cloudwatch/eventTarget:EventTarget":
            // terraform-provider-aws events/target.go: without target_id, id.UniqueId() (terraform-<26>).
            return inputs.targetId === undefined ? { targetId: terraformUniqueId("terraform-", seed) } : {};
        case "eks:index:Cluster":
            return eksClusterOutputs(physicalName, region);
        case "aws-native:resiliencehub:ResiliencyPolicy":
            // Service Authorization Reference, AWS Resilience Hub: resiliency-policy/${ResiliencyPolicyId} (a UUID).
            return {
                policyArn: `arn:${partition}:resiliencehub:${region}:${FAKE_ACCOUNT_ID}:resiliency-policy/${uuid(seed)}`,
            };
        case "aws-native:resiliencehub:App":
            // Service Authorization Reference, AWS Resilience Hub: app/${AppId} (a UUID).
            return {
                appArn: `arn:${partition}:resiliencehub:${region}:${FAKE_ACCOUNT_ID}:app/${uuid(seed)}`,
            };
        default:
            return {};
    }
}

/**
 * The outputs of pulumi-eks's Cluster the program reads. The component runs in its own plugin;
 * offline it is one resource. pulumi-eks 4.3.0 nodejs/eks/cluster/cluster.ts:2168-2211:
 * `oidcProviderUrl` is `identities[0].oidcs[0].issuer`, the issuer URL as DescribeCluster returns
 * it, with its scheme (EKS user guide, "Create an IAM OIDC provider for your cluster":
 * `https://oidc.eks.region-code.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`, a 32-character
 * upper-case hex id); `oidcIssuer` is that URL with "https://" removed; `oidcProviderArn` is the
 * ARN of the IAM OIDC provider created for that URL (cluster.ts:1255), which IAM names
 * arn:aws:iam::account:oidc-provider/<issuer without scheme> (EKS user guide, "Assign IAM roles to
 * Kubernetes service accounts"). The kubeconfig's server is the cluster endpoint, as DescribeCluster
 * returns it (EKS API reference, Cluster.endpoint: example https://A0DCCD80A04F01705DD065655C30CC3D.yl4.us-west-2.eks.amazonaws.com).
 * `clusterSecurityGroupId` is "the cluster security group ID of the EKS cluster" (pulumi-eks
 * cluster.d.ts): the id of a security group in the cluster's region, sg-<17 hex> (EC2 user
 * guide, "Resource IDs").
 */
function eksClusterOutputs(clusterName: string, region: string): Record<string, unknown> {
    const partition = partitionOf(region);
    const seed = `${FAKE_ACCOUNT_ID}/${region}/eks/${clusterName}`;
    const id = hex(seed, 32).toUpperCase();
    const oidcIssuer = `oidc.eks.${region}.amazonaws.com/id/${id}`;
    return {
        kubeconfigJson: JSON.stringify({
            apiVersion: "v1",
            kind: "Config",
            clusters: [
                {
                    name: clusterName,
                    cluster: { server: `https://${id}.yl4.${region}.eks.amazonaws.com` },
                },
            ],
        }),
        oidcProviderArn: `arn:${partition}:iam::${FAKE_ACCOUNT_ID}:oidc-provider/${oidcIssuer}`,
        oidcProviderUrl: `https://${oidcIssuer}`,
        oidcIssuer,
        clusterSecurityGroupId: ec2Id("sg", `${seed}/cluster-security-group`),
    };
}
