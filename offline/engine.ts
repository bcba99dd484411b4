import * as pulumi from "@pulumi/pulumi";
import * as resproto from "@pulumi/pulumi/proto/resource_pb";
import { serializeProperty, unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { getMonitor } from "@pulumi/pulumi/runtime/settings";
import { FakeCloud } from "./fake-cloud";

/** Shown instead of every secret value in recorded inputs and outputs. */
export const SECRET_PLACEHOLDER = "[secret]";

/**
 * How an unknown value (a preview's computed output, or anything derived from one) arrives in
 * a registration's inputs and stays in {@link RecordedResource.inputs}: Pulumi's wire sentinel
 * (sdk/nodejs/runtime/rpc.ts `unknownValue`). The policy pack's deserializer turns it back
 * into an unknown that policies cannot read (@pulumi/policy deserialize.ts, proxy.ts).
 */
export const UNKNOWN: string = unknownValue;

// Signatures Pulumi uses on the wire for secrets and resource references (sdk/nodejs/runtime/rpc.ts).
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";

/** One resource as the program registered it: what the Pulumi engine (and a policy pack) would see. */
export interface RecordedResource {
    /** The resource's URN. */
    readonly urn: string;
    /** Type token, e.g. `aws:s3/bucket:Bucket`. */
    readonly type: string;
    /** Logical name. */
    readonly name: string;
    /**
     * The id the fake cloud gave it (what other resources receive when they take its `id`), or
     * the id read for a `get`/StackReference; empty for components, which have none.
     */
    readonly id: string;
    /** True for provider-managed (custom) resources, false for components. */
    readonly custom: boolean;
    /** URN of the parent, if any. */
    readonly parent?: string;
    /** Provider reference `urn::id`, for custom resources. */
    readonly provider?: string;
    /** Region of the provider (or of the resource's own `region` input), for AWS resources. */
    readonly region?: string;
    /** Inputs, with secrets replaced by {@link SECRET_PLACEHOLDER} and resource references by their URN. */
    readonly inputs: Record<string, unknown>;
    /** The `protect` option. */
    readonly protect: boolean;
    /** The `retainOnDelete` option. */
    readonly retainOnDelete: boolean;
    /** URNs of explicit and implicit dependencies. */
    readonly dependencies: readonly string[];
    /**
     * For each input property that took an Output, the URNs of the resources it came from, as
     * the program sent them (RegisterResourceRequest.propertyDependencies); empty for reads.
     */
    readonly propertyDependencies: Record<string, string[]>;
    /** The `ignoreChanges` option. */
    readonly ignoreChanges: readonly string[];
}

/** The outcome of one offline run of a stack. */
export interface OfflineRun {
    /** Project name. */
    readonly project: string;
    /** Stack name. */
    readonly stack: string;
    /** Every registered resource, in registration order. */
    readonly resources: readonly RecordedResource[];
    /** Stack outputs, secrets masked. */
    readonly outputs: Record<string, unknown>;
}

/**
 * A program that threw, or a registration the engine refused. Carries the original error and
 * every resource registered before the failure, so a test can show that validation ran
 * before anything was declared.
 */
export class OfflineRunError extends Error {
    /** What the program threw, or the engine's refusals. */
    public readonly cause: unknown;
    /** Resources registered before the failure. */
    public readonly resources: readonly RecordedResource[];

    constructor(stack: string, cause: unknown, resources: readonly RecordedResource[]) {
        super(`stack ${stack}: ${cause instanceof Error ? cause.message : String(cause)}`);
        this.name = "OfflineRunError";
        this.cause = cause;
        this.resources = resources;
    }
}

/** What {@link runOffline} needs. */
export interface OfflineRunOptions {
    /** Project name (`webank`). */
    readonly project: string;
    /** Stack name. */
    readonly stack: string;
    /** Full config map, keys with namespace (`webank:homeRegion`), values as Pulumi passes them (strings). */
    readonly config: Readonly<Record<string, string>>;
    /** Config keys whose values are secrets. */
    readonly secretKeys?: readonly string[];
    /** Packages whose default providers are disabled (`pulumi:disable-default-providers`). */
    readonly disabledDefaultProviders?: readonly string[];
    /** Outputs of stacks run earlier, by stack name, answered to StackReferences. Default: none. */
    readonly stackOutputs?: Readonly<Record<string, Record<string, unknown>>>;
    /** The program: declares resources and returns the stack outputs (or a promise of them). */
    readonly program: () => Record<string, unknown> | Promise<Record<string, unknown>>;
    /**
     * Run as `pulumi preview` of a stack being created: the runtime is in dry-run mode and the
     * fake cloud creates nothing, so every output a provider computes (ids, ARNs, generated
     * names, endpoints) is unknown and arrives in dependents' inputs as {@link UNKNOWN}; reads
     * (StackReferences, `get` functions) and provider functions still answer. Resources the
     * program declares inside an `apply` of an unknown value are not registered.
     * @default false: run as `pulumi up`, every output known
     */
    readonly preview?: boolean;
}

/**
 * Runs a Pulumi program under the mock engine (no cloud, no CLI) and records every resource
 * registration the way the engine receives it. Runs are sequential: each call installs fresh
 * mocks and config.
 */
export async function runOffline(options: OfflineRunOptions): Promise<OfflineRun> {
    const preview = options.preview ?? false;
    const cloud = new FakeCloud(options.stackOutputs, { preview });
    const resources: RecordedResource[] = [];
    const failures: string[] = [];

    pulumi.runtime.setAllConfig({ ...options.config }, [...(options.secretKeys ?? [])]);
    await pulumi.runtime.setMocks(cloud, options.project, options.stack, preview);
    interceptRegistrations(cloud, resources, failures, options.disabledDefaultProviders ?? []);

    let outputs: Record<string, unknown>;
    try {
        outputs = await options.program();
    } catch (error) {
        await settle();
        throw new OfflineRunError(options.stack, error, resources);
    }
    const resolved = await resolveOutputs(outputs);
    await settle();
    if (failures.length > 0) {
        const cause = new Error(failures.join("\n  - "));
        throw new OfflineRunError(options.stack, cause, resources);
    }
    return { project: options.project, stack: options.stack, resources, outputs: resolved };
}

/** Wraps the mock monitor so every registration is recorded once the engine has answered it. */
/** The part of the mock monitor that the recorder wraps (the SDK's generated protobuf types). */
interface RegistrationMonitor {
    registerResource(
        req: resproto.RegisterResourceRequest,
        callback: (err: Error | null, resp?: resproto.RegisterResourceResponse) => void,
    ): unknown;
    readResource(
        req: resproto.ReadResourceRequest,
        callback: (err: Error | null, resp?: resproto.ReadResourceResponse) => void,
    ): unknown;
}

/** Wraps the mock monitor so every registration is recorded once the engine has answered it. */
function interceptRegistrations(
    cloud: FakeCloud,
    resources: RecordedResource[],
    failures: string[],
    disabled: readonly string[],
): void {
    const monitor = getMonitor() as unknown as RegistrationMonitor;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) =>
        register(req, (err, resp) => {
            if (err || !resp) {
                failures.push(`${req.getType()} "${req.getName()}": ${String(err)}`);
            } else {
                const recorded = recordOf(req, resp, cloud);
                // The reference the SDK builds: `${urn}::${id}`, the unknown sentinel for an id it
                // does not know (sdk/nodejs/resource.ts, `|| rpc.unknownValue`).
                cloud.rememberProvider(
                    `${recorded.urn}::${resp.getId() || UNKNOWN}`,
                    recorded.type,
                    recorded.inputs,
                );
                const pkg = recorded.type.split(":")[0];
                if (
                    recorded.custom &&
                    !recorded.provider &&
                    (disabled.includes(pkg) || disabled.includes("*"))
                ) {
                    failures.push(
                        `${recorded.type} "${recorded.name}" uses the default ${pkg} provider, which pulumi:disable-default-providers turns off; pass an explicit provider`,
                    );
                }
                resources.push(recorded);
            }
            callback(err, resp);
        });
    // Reads of existing resources (StackReferences, `get` functions) are recorded too.
    const read = monitor.readResource.bind(monitor);
    monitor.readResource = (req, callback) =>
        read(req, (err, resp) => {
            if (err || !resp) {
                failures.push(`read of ${req.getType()} "${req.getName()}": ${String(err)}`);
            } else {
                resources.push({
                    urn: resp.getUrn(),
                    type: req.getType(),
                    name: req.getName(),
                    id: req.getId(),
                    custom: true,
                    parent: req.getParent() || undefined,
                    provider: req.getProvider() || undefined,
                    inputs: maskWire(req.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
                    protect: false,
                    retainOnDelete: false,
                    dependencies: req.getDependenciesList(),
                    // ReadResourceRequest carries no property dependencies (proto/pulumi/resource.proto).
                    propertyDependencies: {},
                    ignoreChanges: [],
                });
            }
            callback(err, resp);
        });
}

/** What one answered registration tells about a resource. */
function recordOf(
    req: resproto.RegisterResourceRequest,
    resp: resproto.RegisterResourceResponse,
    cloud: FakeCloud,
): RecordedResource {
    const inputs = maskWire(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
    const type = req.getType();
    const isAwsResource = req.getCustom() && (type.startsWith("aws:") || type.startsWith("aws-native:"));
    return {
        urn: resp.getUrn(),
        type,
        name: req.getName(),
        id: resp.getId(),
        custom: req.getCustom(),
        parent: req.getParent() || undefined,
        provider: req.getProvider() || undefined,
        // IAM is a global service: its provider's region says nothing about where it lives.
        region: !isAwsResource
            ? undefined
            : type.startsWith("aws:iam/")
              ? "global"
              : cloud.regionOf(req.getProvider(), inputs),
        inputs,
        protect: req.getProtect() === true,
        retainOnDelete: req.getRetainondelete() === true,
        dependencies: req.getDependenciesList(),
        propertyDependencies: propertyDependenciesOf(req),
        ignoreChanges: req.getIgnorechangesList(),
    };
}

/** RegisterResourceRequest.propertyDependencies as property name -> URNs, in the SDK's order. */
function propertyDependenciesOf(req: resproto.RegisterResourceRequest): Record<string, string[]> {
    const dependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((entry, property) => {
        dependencies[property] = entry.getUrnsList();
    });
    return dependencies;
}

/**
 * Replaces wire-format secrets with the placeholder and resource references with their URN.
 * Unknowns stay the {@link UNKNOWN} sentinel, also inside a secret: an unknown secret has no
 * value to hide, and a policy must see it as unknown rather than as a known string.
 */
export function maskWire(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(maskWire);
    }
    if (value !== null && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (record[SIG_KEY] === SECRET_SIG) {
            return record.value === UNKNOWN ? UNKNOWN : SECRET_PLACEHOLDER;
        }
        if (record[SIG_KEY] === RESOURCE_SIG) {
            return record.urn;
        }
        return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, maskWire(v)]));
    }
    return value;
}

/**
 * Resolves stack outputs, masking every secret one. In a preview an output may be (or hold)
 * an unknown, whose `apply` never runs (sdk/nodejs/output.ts): it is recorded in wire form,
 * each unknown as {@link UNKNOWN}.
 */
async function resolveOutputs(outputs: Record<string, unknown>): Promise<Record<string, unknown>> {
    const resolved: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(outputs)) {
        const output: pulumi.Output<unknown> = pulumi.output(value);
        if (await pulumi.isSecret(output)) {
            resolved[name] = SECRET_PLACEHOLDER;
            continue;
        }
        const wire: unknown = await serializeProperty(`stack output ${name}`, value, new Set(), {
            keepOutputValues: false,
        });
        resolved[name] = containsUnknown(wire)
            ? maskWire(wire)
            : await new Promise<unknown>((resolve) => output.apply((v) => resolve(v)));
    }
    return resolved;
}

/** Whether a wire-format value is, or holds, an unknown. */
function containsUnknown(value: unknown): boolean {
    if (value === UNKNOWN) {
        return true;
    }
    if (value !== null && typeof value === "object") {
        return Object.values(value).some(containsUnknown);
    }
    return false;
}

/**
 * Waits until the mock engine has answered every outstanding registration, then detaches it
 * (the next run installs its own).
 */
async function settle(): Promise<void> {
    await pulumi.runtime.disconnect();
}
