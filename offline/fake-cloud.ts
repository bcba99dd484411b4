import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { partitionOf } from "../lib/regions";

/**
 * The account id every offline run pretends to be in: a 12-digit number (IAM user guide, "AWS
 * account identifiers"; 123456789012 is the documentation's own example account).
 */
export const FAKE_ACCOUNT_ID = "123456789012";

/** The provider type token of the AWS provider. */
const AWS_PROVIDER_TYPE = "pulumi:providers:aws";

/** The provider type token of the AWS Cloud Control (aws-native) provider. */
const AWS_NATIVE_PROVIDER_TYPE = "pulumi:providers:aws-native";

/** The type token of a StackReference. */
const STACK_REFERENCE_TYPE = "pulumi:pulumi:StackReference";

/** Where a resource is created when no provider says otherwise (only tests without providers). */
const FALLBACK_REGION = "us-east-1";

/**
 * Pulumi mocks that behave like a small, empty AWS account: every resource is created with
 * the inputs it was given plus the computed outputs the program reads (ids, ARNs, names,
 * endpoints). ARNs carry the region of the resource's provider, so cross-region wiring shows
 * up in the plan. StackReferences answer with the outputs of stacks run earlier. Every value
 * invented has the shape, scheme and region the real provider returns, and cites beside it the
 * documentation or source that fixes it (test/offline/fake-cloud.test.ts checks them): a value
 * shaped to fit the program is how IRSA keys in the wrong issuer form went unseen (issue 13).
 */
export class FakeCloud implements pulumi.runtime.Mocks {
    /** Region of every AWS provider created so far, by provider reference (`urn::id`). */
    private readonly providerRegions = new Map<string, string>();
    /** Region of every AWS resource created so far, by id (a VPC's gives its EKS cluster's region). */
    private readonly resourceRegions = new Map<string, string>();

    /** @param stackOutputs Outputs of stacks run earlier, by stack name, for StackReferences. */
    constructor(private readonly stackOutputs: Readonly<Record<string, Record<string, unknown>>> = {}) {}

    /** Region of the provider a resource names, or of its own `region` input. */
    public regionOf(provider: string | undefined, inputs: Record<string, unknown>): string | undefined {
        if (typeof inputs.region === "string") {
            return inputs.region;
        }
        return provider ? this.providerRegions.get(provider) : undefined;
    }

    /** Records a provider's region once the engine knows its reference. */
    public rememberProvider(reference: string, type: string, inputs: Record<string, unknown>): void {
        if (
            (type === AWS_PROVIDER_TYPE || type === AWS_NATIVE_PROVIDER_TYPE) &&
            typeof inputs.region === "string"
        ) {
            this.providerRegions.set(reference, inputs.region);
        }
    }

    /** Creates a resource: its inputs plus the computed outputs the program reads. */
    public newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
        const inputs = (args.inputs ?? {}) as Record<string, unknown>;
        if (args.type.startsWith("pulumi:providers:")) {
            // Opaque: the SDK joins it to the URN as the reference `${providerURN}::${providerID}` (sdk/nodejs/resource.ts).
            return { id: `${args.name}-provider-id`, state: inputs };
        }
        if (args.type === STACK_REFERENCE_TYPE) {
            return this.stackReference(String(inputs.name));
        }
        const region = this.regionOfResource(args, inputs);
        const physicalName = physicalNameOf(args.type, args.name, inputs);
        const computed = computedOutputs(args.type, physicalName, region, inputs);
        // A bucket's and a table's id is its name (pulumi-aws docs, s3.Bucket and dynamodb.Table
        // "Import": by name). Other ids the program only passes back to AWS as opaque references,
        // so they stay readable logical-name placeholders (a documented shape is in `computed`).
        const id =
            args.type.startsWith("aws:s3/bucket:") || args.type.startsWith("aws:dynamodb/table:")
                ? physicalName
                : typeof computed.id === "string"
                  ? computed.id
                  : `${args.name}-id`;
        if (args.type.startsWith("aws:")) {
            this.resourceRegions.set(id, region);
        }
        const arn = /^aws(-native)?:/.test(args.type)
            ? { arn: fakeArn(args.type, physicalName, region, inputs) }
            : {};
        return { id, state: { ...inputs, ...arn, ...computed } };
    }

    /**
     * Where a resource is created: its provider's (or own `region` input's) region. pulumi-eks is
     * a remote component, for which the mock engine passes no provider (its `providers` map stays
     * with the SDK), so an EKS cluster is placed where its VPC is: EKS creates the cluster's
     * network interfaces in the subnets of the VPC it is given, and a VPC lives in one region
     * (EKS user guide, "View Amazon EKS networking requirements for VPC and subnets").
     */
    private regionOfResource(args: pulumi.runtime.MockResourceArgs, inputs: Record<string, unknown>): string {
        const own = this.regionOf(args.provider, inputs);
        if (own) {
            return own;
        }
        if (args.type === "eks:index:Cluster" && typeof inputs.vpcId === "string") {
            const vpcRegion = this.resourceRegions.get(inputs.vpcId);
            if (vpcRegion) {
                return vpcRegion;
            }
        }
        return FALLBACK_REGION;
    }

    /** Answers a provider function call; unknown functions fail loudly rather than return nothing. */
    public call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        const inputs = (args.inputs ?? {}) as Record<string, unknown>;
        const region = this.regionOf(args.provider, inputs) ?? FALLBACK_REGION;
        const partition = partitionOf(region);
        switch (args.token) {
            case "aws:index/getCallerIdentity:getCallerIdentity":
                // IAM user guide, "IAM identifiers": a user's ARN is arn:aws:iam::account:user/name and
                // its unique id starts with AIDA (21 characters). pulumi-aws getCallerIdentity: the
                // data source's id is the account id.
                return {
                    accountId: FAKE_ACCOUNT_ID,
                    arn: `arn:${partition}:iam::${FAKE_ACCOUNT_ID}:user/offline-plan`,
                    userId: `AIDA${hex("user/offline-plan", 17).toUpperCase()}`,
                    id: FAKE_ACCOUNT_ID,
                };
            case "aws:index/getAvailabilityZones:getAvailabilityZones": {
                // EC2 user guide, "Availability Zones": names are the region plus a letter (us-west-2a);
                // AZ ids are the region's short code plus -az<n> (use1-az1, usw2-az2). pulumi-aws
                // getAvailabilityZones: the data source's id is the region.
                const names = ["a", "b", "c"].map((zone) => `${region}${zone}`);
                return {
                    id: region,
                    names,
                    zoneIds: names.map((_, i) => `${zoneIdPrefix(region)}-az${i + 1}`),
                };
            }
            case "aws:kms/getAlias:getAlias": {
                // KMS developer guide, "Key identifiers (KeyId)": alias ARN arn:aws:kms:region:account:alias/name;
                // a multi-Region key id is mrk- followed by 32 hex digits.
                const name = String(inputs.name);
                const keyId = `mrk-${hex(name, 32)}`;
                return {
                    id: name,
                    name,
                    arn: `arn:${partition}:kms:${region}:${FAKE_ACCOUNT_ID}:${name}`,
                    targetKeyId: keyId,
                    targetKeyArn: `arn:${partition}:kms:${region}:${FAKE_ACCOUNT_ID}:key/${keyId}`,
                };
            }
            default:
                throw new Error(
                    `The offline engine has no fake for the function ${args.token}; add one to offline/fake-cloud.ts`,
                );
        }
    }

    /** A StackReference to a stack run earlier, by its full name or its last segment. */
    private stackReference(name: string): pulumi.runtime.MockResourceResult {
        const stack = name.split("/").pop() ?? name;
        const outputs = this.stackOutputs[stack];
        if (!outputs) {
            throw new Error(
                `StackReference "${name}": the offline engine has no outputs for stack "${stack}" ` +
                    `(stacks run before this one: ${Object.keys(this.stackOutputs).join(", ") || "none"})`,
            );
        }
        // The state a StackReference reads: pulumi sdk/nodejs/stackReference.ts (name, outputs, secretOutputNames).
        return { id: name, state: { name, outputs, secretOutputNames: [] } };
    }
}

/** The name AWS would know the resource by: its explicit name input, else the Pulumi name. */
function physicalNameOf(type: string, name: string, inputs: Record<string, unknown>): string {
    if (type === "aws:dynamodb/tableReplica:TableReplica" && typeof inputs.globalTableArn === "string") {
        // A replica is the same table in another region.
        return inputs.globalTableArn.split("/").pop() ?? name;
    }
    if (type === "aws-native:resiliencehub:ResiliencyPolicy" && typeof inputs.policyName === "string") {
        return inputs.policyName;
    }
    const explicit = inputs.bucket ?? inputs.identifier ?? inputs.name;
    return typeof explicit === "string" ? explicit : name;
}

/** Hex digits derived from `seed`: ids of the real length and alphabet, the same on every run. */
function hex(seed: string, length: number): string {
    return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

/** A UUID-shaped id (8-4-4-4-12 lower-case hex) derived from `seed`. */
function uuid(seed: string): string {
    const h = hex(seed, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A region's code in AZ ids (EC2 user guide examples): us-east-1 -> use1, ap-southeast-2 -> apse2, us-gov-west-1 -> usgw1. */
function zoneIdPrefix(region: string): string {
    const parts = region.split("-");
    const middle = parts.slice(1, -1).map(
        (word) =>
            /^(north|south)(east|west)$/
                .exec(word)
                ?.slice(1)
                .map((w) => w[0])
                .join("") ?? word[0],
    );
    return `${parts[0]}${middle.join("")}${parts[parts.length - 1]}`;
}

/** The key id of a KMS key: mrk- and 32 hex digits if multi-Region, else a UUID (KMS developer guide, "Key identifiers (KeyId)"). */
function kmsKeyId(seed: string, multiRegion: boolean): string {
    return multiRegion ? `mrk-${hex(seed, 32)}` : uuid(seed);
}

/**
 * The ARN of a resource of `type`, in the format of the Service Authorization Reference
 * ("Resource types defined by <service>") and in the resource's region. Types whose ARN the
 * program never reads get the service's regional prefix and their name.
 */
function fakeArn(
    type: string,
    physicalName: string,
    region: string,
    inputs: Record<string, unknown>,
): string {
    const partition = partitionOf(region);
    const service = type.split(":")[1]?.split("/")[0] ?? "unknown";
    const regional = `arn:${partition}:${service}:${region}:${FAKE_ACCOUNT_ID}`;
    const seed = `${region}/${type}/${physicalName}`;
    switch (type) {
        case "aws:s3/bucket:Bucket":
            return `arn:${partition}:s3:::${physicalName}`;
        case "aws:iam/role:Role":
            return `arn:${partition}:iam::${FAKE_ACCOUNT_ID}:role/${physicalName}`;
        case "aws:iam/policy:Policy":
            return `arn:${partition}:iam::${FAKE_ACCOUNT_ID}:policy/${physicalName}`;
        case "aws:kms/key:Key":
            return `${regional}:key/${kmsKeyId(seed, inputs.multiRegion === true)}`;
        case "aws:kms/replicaKey:ReplicaKey":
            // A replica is the same multi-Region key, in the replica's region.
            return `${regional}:key/${replicaKeyId(inputs, seed)}`;
        case "aws:kms/alias:Alias":
            return `${regional}:${physicalName}`;
        case "aws:dynamodb/table:Table":
        case "aws:dynamodb/tableReplica:TableReplica":
            return `${regional}:table/${physicalName}`;
        case "aws:ecr/repository:Repository":
            return `${regional}:repository/${physicalName}`;
        case "aws:rds/instance:Instance":
            return `${regional}:db:${physicalName}`;
        case "aws:rds/subnetGroup:SubnetGroup":
            return `${regional}:subgrp:${physicalName}`;
        case "aws:rds/parameterGroup:ParameterGroup":
            return `${regional}:pg:${physicalName}`;
        case "aws:cloudwatch/logGroup:LogGroup":
            // pulumi-aws cloudwatch.LogGroup `arn`: the API's trailing ":*" is removed.
            return `arn:${partition}:logs:${region}:${FAKE_ACCOUNT_ID}:log-group:${physicalName}`;
        case "aws:cloudwatch/metricAlarm:MetricAlarm":
            return `${regional}:alarm:${physicalName}`;
        case "aws:cloudwatch/eventRule:EventRule":
            return `arn:${partition}:events:${region}:${FAKE_ACCOUNT_ID}:rule/${physicalName}`;
        case "aws:backup/vault:Vault":
            return `${regional}:backup-vault:${physicalName}`;
        case "aws:backup/plan:Plan":
            return `${regional}:backup-plan:${uuid(seed)}`;
        case "aws:backup/framework:Framework":
            return `${regional}:framework:${physicalName}-${uuid(seed)}`;
        case "aws:backup/reportPlan:ReportPlan":
            return `${regional}:report-plan:${physicalName}-${uuid(seed)}`;
        case "aws:backup/restoreTestingPlan:RestoreTestingPlan":
            return `${regional}:restore-testing-plan:${physicalName}-${uuid(seed)}`;
        case "aws:codebuild/project:Project":
            return `${regional}:project/${physicalName}`;
        case "aws:sns/topic:Topic":
            return `${regional}:${physicalName}`;
        case "aws:secretsmanager/secret:Secret":
            // Secrets Manager user guide, "Secret ARN": the name, a hyphen and six random characters.
            return `${regional}:secret:${physicalName}-${secretSuffix(seed)}`;
        case "aws:resourcegroups/group:Group":
            return `arn:${partition}:resource-groups:${region}:${FAKE_ACCOUNT_ID}:group/${physicalName}`;
        default:
            return `${regional}:${physicalName}`;
    }
}

/** Six characters of [A-Za-z0-9], as Secrets Manager appends to a secret's name in its ARN. */
function secretSuffix(seed: string): string {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    return [...hex(seed, 12).matchAll(/../g)].map(([pair]) => alphabet[parseInt(pair, 16) % 62]).join("");
}

/** A replica key's id: its primary key's (KMS developer guide, "Multi-Region keys": related keys share a key id). */
function replicaKeyId(inputs: Record<string, unknown>, seed: string): string {
    return typeof inputs.primaryKeyArn === "string"
        ? (inputs.primaryKeyArn.split("/").pop() ?? kmsKeyId(seed, true))
        : kmsKeyId(seed, true);
}

/** Computed outputs that specific resource types have and the program reads. */
function computedOutputs(
    type: string,
    physicalName: string,
    region: string,
    inputs: Record<string, unknown>,
): Record<string, unknown> {
    const partition = partitionOf(region);
    const seed = `${region}/${type}/${physicalName}`;
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
        case "aws:s3/bucket:Bucket":
            // pulumi-aws s3.Bucket: `bucket` is the name, `region` the provider's region.
            return { bucket: physicalName, region };
        case "aws:rds/instance:Instance": {
            // RDS user guide: endpoint identifier.<12 chars per account and region>.region.rds.amazonaws.com
            // ("Finding the connection information"), managed secret rds!db-<uuid> ("Password management
            // with AWS Secrets Manager"); DbiResourceId db-<26 upper-case alphanumerics>; endpoint address:port.
            const address = `${physicalName}.${hex(`${FAKE_ACCOUNT_ID}/${region}`, 12)}.${region}.rds.amazonaws.com`;
            const secretName = `rds!db-${uuid(seed)}`;
            return {
                address,
                endpoint: `${address}:5432`,
                resourceId: `db-${hex(seed, 26).toUpperCase()}`,
                masterUserSecrets: [
                    {
                        secretArn: `arn:${partition}:secretsmanager:${region}:${FAKE_ACCOUNT_ID}:secret:${secretName}-${secretSuffix(seed)}`,
                        kmsKeyId: "",
                        secretStatus: "active",
                    },
                ],
            };
        }
        case "aws:ec2/launchTemplate:LaunchTemplate":
            // EC2 CreateLaunchTemplate: a new template's first version is 1.
            return { latestVersion: 1 };
        case "eks:index:Cluster":
            return eksClusterOutputs(physicalName, region);
        case "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication":
            // id: the replicated backups' ARN in the destination region (pulumi-aws docs), auto-backup:ab-<26
            // lower-case alphanumerics> (RDS user guide, "Replicating automated backups to another AWS Region").
            return {
                id: `arn:${partition}:rds:${region}:${FAKE_ACCOUNT_ID}:auto-backup:ab-${hex(seed, 26)}`,
            };
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
 */
function eksClusterOutputs(clusterName: string, region: string): Record<string, unknown> {
    const partition = partitionOf(region);
    const id = hex(`${FAKE_ACCOUNT_ID}/${region}/eks/${clusterName}`, 32).toUpperCase();
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
    };
}
