import * as pulumi from "@pulumi/pulumi";
import { partitionOf } from "../lib/regions";

/** The account id every offline run pretends to be in. */
export const FAKE_ACCOUNT_ID = "123456789012";

/** The provider type token of the AWS provider. */
const AWS_PROVIDER_TYPE = "pulumi:providers:aws";

/**
 * Pulumi mocks that behave like a small, empty AWS account: every resource is created with
 * the inputs it was given plus the computed outputs the program reads (ids, ARNs, names,
 * URLs). ARNs carry the region of the resource's provider, so cross-region wiring shows up
 * in the plan. Values are placeholders: an offline plan shows what would be declared, not
 * what AWS would return.
 */
export class FakeCloud implements pulumi.runtime.Mocks {
    /** Region of every AWS provider created so far, by provider reference (`urn::id`). */
    private readonly providerRegions = new Map<string, string>();

    /** Region of the provider a resource names, or of its own `region` input. */
    public regionOf(provider: string | undefined, inputs: Record<string, unknown>): string | undefined {
        if (typeof inputs.region === "string") {
            return inputs.region;
        }
        return provider ? this.providerRegions.get(provider) : undefined;
    }

    /** Records a provider's region once the engine knows its reference. */
    public rememberProvider(reference: string, type: string, inputs: Record<string, unknown>): void {
        if (type === AWS_PROVIDER_TYPE && typeof inputs.region === "string") {
            this.providerRegions.set(reference, inputs.region);
        }
    }

    /** Creates a resource: its inputs plus the computed outputs the program reads. */
    public newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
        const inputs = (args.inputs ?? {}) as Record<string, unknown>;
        if (args.type.startsWith("pulumi:providers:")) {
            return { id: `${args.name}-provider-id`, state: inputs };
        }
        const region = this.regionOf(args.provider, inputs) ?? "us-east-1";
        const physicalName = physicalNameOf(args.type, args.name, inputs);
        const arn = fakeArn(args.type, physicalName, region);
        const id =
            args.type.startsWith("aws:s3/bucket:") || args.type.startsWith("aws:dynamodb/table:")
                ? physicalName
                : `${args.name}-id`;
        return {
            id,
            state: {
                ...inputs,
                arn,
                ...extraOutputs(args.type, physicalName, region),
            },
        };
    }

    /** Answers a provider function call; unknown functions fail loudly rather than return nothing. */
    public call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        switch (args.token) {
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return {
                    accountId: FAKE_ACCOUNT_ID,
                    arn: `arn:aws:iam::${FAKE_ACCOUNT_ID}:user/offline-plan`,
                    userId: "AIDAOFFLINEPLAN",
                    id: FAKE_ACCOUNT_ID,
                };
            default:
                throw new Error(
                    `The offline engine has no fake for the function ${args.token}; add one to offline/fake-cloud.ts`,
                );
        }
    }
}

/** The name AWS would know the resource by: its explicit name input, else the Pulumi name. */
function physicalNameOf(type: string, name: string, inputs: Record<string, unknown>): string {
    if (type === "aws:dynamodb/tableReplica:TableReplica" && typeof inputs.globalTableArn === "string") {
        // A replica is the same table in another region.
        return inputs.globalTableArn.split("/").pop() ?? name;
    }
    const explicit = inputs.bucket ?? inputs.name;
    return typeof explicit === "string" ? explicit : name;
}

/** A plausible ARN for a resource of `type`, so policies and IAM documents can be read. */
function fakeArn(type: string, physicalName: string, region: string): string {
    const partition = partitionOf(region);
    const service = type.split(":")[1]?.split("/")[0] ?? "unknown";
    switch (service) {
        case "s3":
            return `arn:${partition}:s3:::${physicalName}`;
        case "iam":
            return `arn:${partition}:iam::${FAKE_ACCOUNT_ID}:role/${physicalName}`;
        case "kms":
            return `arn:${partition}:kms:${region}:${FAKE_ACCOUNT_ID}:key/mrk-${physicalName}`;
        case "dynamodb":
            return `arn:${partition}:dynamodb:${region}:${FAKE_ACCOUNT_ID}:table/${physicalName}`;
        case "ecr":
            return `arn:${partition}:ecr:${region}:${FAKE_ACCOUNT_ID}:repository/${physicalName}`;
        default:
            return `arn:${partition}:${service}:${region}:${FAKE_ACCOUNT_ID}:${physicalName}`;
    }
}

/** Computed outputs that specific resource types have and the program reads. */
function extraOutputs(type: string, physicalName: string, region: string): Record<string, unknown> {
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
        default:
            return {};
    }
}
