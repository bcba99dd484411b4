import {
    PolicyResource,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";

const OPTS = {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
};

/** Runs a resource policy on one resource, as the pack does, and returns the messages it reports. */
export function resourceViolations(
    policy: ResourceValidationPolicy,
    type: string,
    props: Record<string, unknown>,
    options: { protect?: boolean; config?: Record<string, unknown> } = {},
): string[] {
    const messages: string[] = [];
    const args = {
        type,
        props,
        urn: `urn:pulumi:test::webank::${type}::r`,
        name: "r",
        opts: { ...OPTS, protect: options.protect ?? false },
        stackTags: new Map<string, string>(),
        isType: () => false,
        asType: () => undefined,
        getConfig: () => options.config ?? {},
        notApplicable: () => {
            throw new Error("not applicable");
        },
    } as unknown as ResourceValidationArgs;
    const validations = Array.isArray(policy.validateResource)
        ? policy.validateResource
        : [policy.validateResource];
    for (const validate of validations) {
        void validate?.(args, (message) => messages.push(message));
    }
    return messages;
}

/** A resource of a small test stack: dependencies by name, region through its provider. */
export interface TestResource {
    /** Type token. */
    type: string;
    /** Name, also its URN's last part. */
    name: string;
    /** Inputs. */
    props?: Record<string, unknown>;
    /** Provider region. Default us-east-1. */
    region?: string;
    /** Names of the resources it depends on. */
    dependsOn?: string[];
}

/** Runs a stack policy on `resources` and returns the messages it reports, with the URN's name. */
export function stackViolations(policy: StackValidationPolicy, resources: TestResource[]): string[] {
    const urnOf = (name: string) => `urn:pulumi:test::webank::t::${name}`;
    const built = new Map<string, PolicyResource>();
    for (const r of resources) {
        built.set(r.name, {
            type: r.type,
            name: r.name,
            urn: urnOf(r.name),
            props: r.props ?? {},
            opts: OPTS,
            provider: {
                type: "pulumi:providers:aws",
                name: "p",
                urn: "p",
                props: { region: r.region ?? "us-east-1" },
            },
            dependencies: [],
            propertyDependencies: {},
            isType: () => false,
            asType: () => undefined,
        });
    }
    for (const r of resources) {
        built.get(r.name)!.dependencies.push(...(r.dependsOn ?? []).map((name) => built.get(name)!));
    }
    const messages: string[] = [];
    const args = {
        resources: [...built.values()],
        stackTags: new Map<string, string>(),
        getConfig: () => ({}),
        notApplicable: () => {
            throw new Error("not applicable");
        },
    } as unknown as StackValidationArgs;
    void policy.validateStack(args, (message, urn) =>
        messages.push(`${urn?.split("::").pop() ?? "stack"}: ${message}`),
    );
    return messages;
}
