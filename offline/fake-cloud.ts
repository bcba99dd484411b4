import * as pulumi from "@pulumi/pulumi";
import { partitionOf } from "../lib/regions";

/** The account id every offline run pretends to be in. */
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
 * up in the plan. StackReferences answer with the outputs of stacks run earlier. Values are
 * placeholders: an offline plan shows what would be declared, not what AWS would return.
 */
export class FakeCloud implements pulumi.runtime.Mocks {
    /** Region of every AWS provider created so far, by provider reference (`urn::id`). */
    private readonly providerRegions = new Map<string, string>();

    /**
     * @param stackOutputs Outputs of stacks run earlier, by stack name, for StackReferences.
     */
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
            return { id: `${args.name}-provider-id`, state: inputs };
        }
        if (args.type === STACK_REFERENCE_TYPE) {
            return this.stackReference(String(inputs.name));
        }
        const region = this.regionOf(args.provider, inputs) ?? FALLBACK_REGION;
        const physicalName = physicalNameOf(args.type, args.name, inputs);
        const computed = computedOutputs(args.type, physicalName, region);
        const id =
            args.type.startsWith("aws:s3/bucket:") || args.type.startsWith("aws:dynamodb/table:")
                ? physicalName
                : typeof computed.id === "string"
                  ? computed.id
                  : `${args.name}-id`;
        return { id, state: { ...inputs, arn: fakeArn(args.type, physicalName, region), ...computed } };
    }

    /** Answers a provider function call; unknown functions fail loudly rather than return nothing. */
    public call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        const inputs = (args.inputs ?? {}) as Record<string, unknown>;
        const region = this.regionOf(args.provider, inputs) ?? FALLBACK_REGION;
        const partition = partitionOf(region);
        switch (args.token) {
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return {
                    accountId: FAKE_ACCOUNT_ID,
                    arn: `arn:${partition}:iam::${FAKE_ACCOUNT_ID}:user/offline-plan`,
                    userId: "AIDAOFFLINEPLAN",
                    id: FAKE_ACCOUNT_ID,
                };
            case "aws:index/getAvailabilityZones:getAvailabilityZones": {
                const names = ["a", "b", "c"].map((zone) => `${region}${zone}`);
                return { id: region, names, zoneIds: names.map((_, i) => `${region.slice(0, 3)}az${i + 1}`) };
            }
            case "aws:kms/getAlias:getAlias": {
                const name = String(inputs.name);
                const keyId = `mrk-${name.replace(/^alias\//, "")}`;
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

/** A plausible ARN for a resource of `type`, so policies and IAM documents can be read. */
function fakeArn(type: string, physicalName: string, region: string): string {
    const partition = partitionOf(region);
    const service = type.split(":")[1]?.split("/")[0] ?? "unknown";
    const regional = `arn:${partition}:${service}:${region}:${FAKE_ACCOUNT_ID}`;
    switch (service) {
        case "s3":
            return `arn:${partition}:s3:::${physicalName}`;
        case "iam":
            return `arn:${partition}:iam::${FAKE_ACCOUNT_ID}:role/${physicalName}`;
        case "kms":
            return `${regional}:key/mrk-${physicalName}`;
        case "dynamodb":
            return `${regional}:table/${physicalName}`;
        case "ecr":
            return `${regional}:repository/${physicalName}`;
        case "rds":
            return `${regional}:db:${physicalName}`;
        case "cloudwatch":
            return type === "aws:cloudwatch/logGroup:LogGroup"
                ? `arn:${partition}:logs:${region}:${FAKE_ACCOUNT_ID}:log-group:${physicalName}`
                : `${regional}:${physicalName}`;
        case "backup":
            return type === "aws:backup/vault:Vault"
                ? `${regional}:backup-vault:${physicalName}`
                : `${regional}:${physicalName}`;
        case "codebuild":
            return `${regional}:project/${physicalName}`;
        case "sns":
            return `${regional}:${physicalName}`;
        default:
            return `${regional}:${physicalName}`;
    }
}

/** Computed outputs that specific resource types have and the program reads. */
function computedOutputs(type: string, physicalName: string, region: string): Record<string, unknown> {
    const partition = partitionOf(region);
    switch (type) {
        case "aws:kms/key:Key":
        case "aws:kms/replicaKey:ReplicaKey":
            return { keyId: `mrk-${physicalName}` };
        case "aws:ecr/repository:Repository":
            return {
                repositoryUrl: `${FAKE_ACCOUNT_ID}.dkr.ecr.${region}.amazonaws.com/${physicalName}`,
                registryId: FAKE_ACCOUNT_ID,
            };
        case "aws:s3/bucket:Bucket":
            return { bucket: physicalName, region };
        case "aws:rds/instance:Instance":
            return {
                address: `${physicalName}.c0ffee.${region}.rds.amazonaws.com`,
                endpoint: `${physicalName}.c0ffee.${region}.rds.amazonaws.com:5432`,
                resourceId: `db-${physicalName.toUpperCase().replace(/-/g, "")}`,
                masterUserSecrets: [
                    {
                        secretArn: `arn:${partition}:secretsmanager:${region}:${FAKE_ACCOUNT_ID}:secret:rds!${physicalName}-AbCdEf`,
                        kmsKeyId: "",
                        secretStatus: "active",
                    },
                ],
            };
        case "aws:ec2/launchTemplate:LaunchTemplate":
            return { latestVersion: 1 };
        case "eks:index:Cluster": {
            // The EKS component runs in its own plugin; offline it is one resource with these outputs.
            const issuer = `oidc.eks.${region}.amazonaws.com/id/${physicalName.toUpperCase().replace(/[^A-Z0-9]/g, "")}`;
            return {
                kubeconfigJson: JSON.stringify({
                    apiVersion: "v1",
                    kind: "Config",
                    clusters: [
                        { name: physicalName, cluster: { server: `https://${physicalName}.eks.offline` } },
                    ],
                }),
                oidcProviderArn: `arn:${partition}:iam::${FAKE_ACCOUNT_ID}:oidc-provider/${issuer}`,
                oidcProviderUrl: issuer,
                oidcIssuer: `https://${issuer}`,
            };
        }
        case "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication":
            // Its id is the ARN of the replicated backups in the destination region.
            return {
                id: `arn:${partition}:rds:${region}:${FAKE_ACCOUNT_ID}:auto-backup:ab-${physicalName.replace(/[^a-z0-9]/gi, "")}`,
            };
        case "aws-native:resiliencehub:ResiliencyPolicy":
            return {
                policyArn: `arn:${partition}:resiliencehub:${region}:${FAKE_ACCOUNT_ID}:resiliency-policy/${physicalName}`,
            };
        case "aws-native:resiliencehub:App":
            return {
                appArn: `arn:${partition}:resiliencehub:${region}:${FAKE_ACCOUNT_ID}:app/${physicalName}`,
            };
        default:
            return {};
    }
}
