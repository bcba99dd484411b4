import * as pulumi from "@pulumi/pulumi";
import { isUnknown } from "@pulumi/pulumi/output";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { fakeArn } from "./arns";
import { callFunction } from "./functions";
import { autonamedOutputs, physicalNameOf, placeholderId, resourceId } from "./ids";
import { computedOutputs } from "./outputs";

export { FAKE_ACCOUNT_ID } from "./identifiers";

/** The provider type token of the AWS provider. */
const AWS_PROVIDER_TYPE = "pulumi:providers:aws";

/** The provider type token of the AWS Cloud Control (aws-native) provider. */
const AWS_NATIVE_PROVIDER_TYPE = "pulumi:providers:aws-native";

/** The type token of a StackReference. */
const STACK_REFERENCE_TYPE = "pulumi:pulumi:StackReference";

/** Where a resource is created when no provider says otherwise (only tests without providers). */
const FALLBACK_REGION = "us-east-1";

/** How the fake cloud answers. */
export interface FakeCloudOptions {
    /**
     * Answer as the providers answer `pulumi preview` of a stack being created: nothing is
     * created, so every new resource's state is its inputs and its id is empty.
     * @default false: answer as `pulumi up`, with every computed output
     */
    readonly preview?: boolean;
}

/**
 * Pulumi mocks that behave like a small, empty AWS account: every resource is created with
 * the inputs it was given plus the outputs its provider computes (ids, names, ARNs,
 * endpoints). ARNs carry the region of the resource's provider, so cross-region wiring shows
 * up in the plan. StackReferences answer with the outputs of stacks run earlier. Every value
 * invented has the shape, scheme and region the real provider returns, and cites beside it the
 * documentation or source that fixes it: ids in ids.ts, ARNs in arns.ts, other outputs in
 * outputs.ts, provider functions in functions.ts (test/offline/fake-cloud*.test.ts check them
 * against the providers' own typings). A value shaped to fit the program is how IRSA keys in
 * the wrong issuer form went unseen (issue 13).
 */
export class FakeCloud implements pulumi.runtime.Mocks {
    /** Region of every AWS provider created so far, by provider reference (`urn::id`). */
    private readonly providerRegions = new Map<string, string>();
    /** Region of every AWS resource created so far, by id (a VPC's gives its EKS cluster's region). */
    private readonly resourceRegions = new Map<string, string>();

    /** Whether the cloud answers as in a preview ({@link FakeCloudOptions.preview}). */
    private readonly preview: boolean;

    /**
     * @param stackOutputs Outputs of stacks run earlier, by stack name, for StackReferences.
     * @param options How to answer: as `pulumi up` (the default) or as `pulumi preview`.
     */
    constructor(
        private readonly stackOutputs: Readonly<Record<string, Record<string, unknown>>> = {},
        options: FakeCloudOptions = {},
    ) {
        this.preview = options.preview ?? false;
    }

    /**
     * Region of the provider a resource names, or of its own `region` input. A `region` input
     * that is unknown (in a preview) gives no region: where the resource goes is not known.
     */
    public regionOf(provider: string | undefined, inputs: Record<string, unknown>): string | undefined {
        // Unknown on the wire (the sentinel) or as the mock monitor hands it over (sdk/nodejs/output.ts `unknown`).
        if (inputs.region === unknownValue || isUnknown(inputs.region)) {
            return undefined;
        }
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

    /**
     * Creates a resource: its inputs plus the outputs its provider computes. Also answers reads
     * (`get` functions, StackReferences: `args.id` set), which a preview performs too.
     */
    public newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
        const inputs = (args.inputs ?? {}) as Record<string, unknown>;
        if (args.type.startsWith("pulumi:providers:")) {
            // A preview configures a new provider with the distinguished UnknownID as its id and
            // answers its inputs as state (pkg/resource/deploy/providers/registry.go, Registry.Create:
            // `id := resource.ID(UnknownID); if !req.Preview { id = uuid }`, UnknownID =
            // plugin.UnknownStringValue, the sentinel). Otherwise opaque: the SDK joins it to the URN
            // as the reference `${providerURN}::${providerID}` (sdk/nodejs/resource.ts).
            return { id: this.preview ? unknownValue : `${args.name}-provider-id`, state: inputs };
        }
        if (this.preview && args.id === unknownValue) {
            // A read whose id is unknown: "Unlike most steps, Read steps run during previews. The only
            // time we can't run is if the ID we are given is unknown", and then its outputs are empty
            // (pkg/resource/deploy/step.go, ReadStep.Apply).
            return { id: "", state: {} };
        }
        if (args.type === STACK_REFERENCE_TYPE) {
            return this.stackReference(String(inputs.name));
        }
        if (this.preview && !args.id) {
            return this.previewCreate(inputs);
        }
        const { type, name } = args;
        const region = this.regionOfResource(args, inputs);
        const physicalName = physicalNameOf(type, name, inputs);
        const seed = `${region}/${type}/${name}`;
        const state: Record<string, unknown> = {
            ...inputs,
            ...autonamedOutputs(type, physicalName, inputs),
            ...computedOutputs({ type, physicalName, region, inputs, seed }),
        };
        const id = resourceId({ type, name, region, state, seed }) ?? placeholderId(name);
        const arn = fakeArn({ type, physicalName, region, id, state, seed });
        if (type.startsWith("aws:")) {
            this.resourceRegions.set(id, region);
        }
        return { id, state: arn === undefined ? state : { ...state, arn } };
    }

    /**
     * What a preview of a create returns: the inputs as state and no id. The engine's Create
     * returns "the inputs as the state" when the provider does no preview of its own, and takes
     * an empty id only in a preview ("plugin returned empty resource.ID from create" otherwise)
     * (pkg/resource/plugin/provider_plugin.go, provider.Create). The SDK then resolves every
     * output absent from the state as unknown in a dry run, and an empty id as an unknown id
     * (sdk/nodejs/runtime/rpc.ts resolveProperties; runtime/resource.ts `resp.getId() || undefined`):
     * "when pulumi preview runs, the outputs for a new resource do not yet have any possible
     * values" (Pulumi docs, Concepts, Inputs & outputs, "Accessing single outputs with Apply").
     * A provider with previews of its own (the bridged AWS provider) also fills schema defaults
     * in Check; those stay unknown here too, the conservative side. Components, local (whose
     * outputs come from registerOutputs, not from this state) and remote (pulumi-eks: its
     * outputs derive from the EKS cluster it creates), are answered the same way.
     */
    private previewCreate(inputs: Record<string, unknown>): pulumi.runtime.MockResourceResult {
        return { id: "", state: inputs };
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

    /** Answers a provider function call (functions.ts); unknown functions fail loudly rather than return nothing. */
    public call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        const inputs = (args.inputs ?? {}) as Record<string, unknown>;
        return callFunction(args.token, this.regionOf(args.provider, inputs) ?? FALLBACK_REGION, inputs);
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
