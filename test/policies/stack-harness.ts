import {
    Policy,
    PolicyResource,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { UNKNOWN_STRING, unknownCheckingProxy, UnknownValueError } from "../../policies/lib/sdk-internals";

/**
 * Runs policies on small hand-built stacks the way `@pulumi/policy`'s server runs them
 * (server.js): props behind the unknown-checking proxy, dependencies and propertyDependencies
 * as resource objects, config from `getConfig`, and an `UnknownValueError` turned into an
 * advisory "can't run policy during preview" finding after the mandatory ones already reported.
 */

/** Pulumi's unknown sentinel, as the engine sends an unknown input in a preview. */
export const UNKNOWN_INPUT = UNKNOWN_STRING;

/** A resource of a test stack. */
export interface StackResource {
    /** Type token. */
    readonly type: string;
    /** Name, unique in the stack; also the URN's last part. */
    readonly name: string;
    /** Inputs; use {@link UNKNOWN_INPUT} for a value unknown in preview. @default {} */
    readonly props?: Record<string, unknown>;
    /** Region of its provider. @default "us-east-1" */
    readonly region?: string;
    /** `protect`. @default false */
    readonly protect?: boolean;
    /** Input name → names of the resources that input was computed from. @default {} */
    readonly inputsFrom?: Readonly<Record<string, readonly string[]>>;
    /** Names of resources it depends on only through dependsOn. @default [] */
    readonly dependsOn?: readonly string[];
}

/** One finding: the policy's level, the resource's name (from its URN), the message. */
export interface Finding {
    /** `mandatory`, or `advisory` for what a preview could not judge. */
    readonly level: "mandatory" | "advisory";
    /** The resource's name, or `stack` without a URN. */
    readonly resource: string;
    /** The message. */
    readonly message: string;
}

const urnOf = (resource: StackResource) => `urn:pulumi:test::webank::${resource.type}::${resource.name}`;

function options(resource: StackResource) {
    return {
        protect: resource.protect ?? false,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
    };
}

function provider(resource: StackResource) {
    return {
        type: "pulumi:providers:aws",
        name: "p",
        urn: "urn:pulumi:test::webank::pulumi:providers:aws::p",
        props: { region: resource.region ?? "us-east-1" },
    };
}

function nameOf(urn: string | undefined): string {
    return urn ? (urn.split("::").pop() ?? urn) : "stack";
}

/** Runs `policy` (resource or stack) on `resources` with `config`, and returns its findings. */
export function findings(
    policy: Policy,
    resources: readonly StackResource[],
    config: Record<string, unknown> = {},
): Finding[] {
    const found: Finding[] = [];
    const report = (message: string, urn?: string) =>
        found.push({ level: "mandatory", resource: nameOf(urn), message });
    const advise = (error: unknown, urn?: string) => {
        if (!(error instanceof UnknownValueError)) {
            throw error;
        }
        found.push({ level: "advisory", resource: nameOf(urn), message: error.message });
    };
    if ("validateStack" in policy) {
        const built = new Map<string, PolicyResource>();
        for (const r of resources) {
            built.set(r.name, {
                type: r.type,
                name: r.name,
                urn: urnOf(r),
                props: unknownCheckingProxy(JSON.parse(JSON.stringify(r.props ?? {}))),
                opts: options(r),
                provider: provider(r),
                dependencies: [],
                propertyDependencies: {},
                isType: () => false,
                asType: () => undefined,
            } as PolicyResource);
        }
        const get = (name: string) => {
            const resource = built.get(name);
            if (!resource) {
                throw new Error(`no resource named ${name} in the test stack`);
            }
            return resource;
        };
        for (const r of resources) {
            const resource = get(r.name);
            const from = Object.entries(r.inputsFrom ?? {});
            for (const [input, names] of from) {
                resource.propertyDependencies[input] = names.map(get);
            }
            resource.dependencies.push(
                ...new Set([...from.flatMap(([, n]) => n), ...(r.dependsOn ?? [])].map(get)),
            );
        }
        const args = {
            resources: [...built.values()],
            stackTags: new Map<string, string>(),
            getConfig: () => config,
            notApplicable: () => {
                throw new Error("not applicable");
            },
        } as unknown as StackValidationArgs;
        try {
            void (policy as StackValidationPolicy).validateStack(args, report);
        } catch (error) {
            advise(error);
        }
        return found;
    }
    const validations = [(policy as ResourceValidationPolicy).validateResource].flat();
    for (const r of resources) {
        const args = {
            type: r.type,
            props: unknownCheckingProxy(JSON.parse(JSON.stringify(r.props ?? {}))),
            urn: urnOf(r),
            name: r.name,
            opts: options(r),
            provider: provider(r),
            stackTags: new Map<string, string>(),
            isType: () => false,
            asType: () => undefined,
            getConfig: () => config,
            notApplicable: () => {
                throw new Error("not applicable");
            },
        } as unknown as ResourceValidationArgs;
        for (const validate of validations) {
            try {
                void validate?.(args, (message, urn) => report(message, urn ?? args.urn));
            } catch (error) {
                advise(error, args.urn);
            }
        }
    }
    return found;
}

/** The mandatory findings as `resource: message` lines, for deepStrictEqual and match. */
export function violations(
    policy: Policy,
    resources: readonly StackResource[],
    config?: Record<string, unknown>,
): string[] {
    return findings(policy, resources, config)
        .filter((f) => f.level === "mandatory")
        .map((f) => `${f.resource}: ${f.message}`);
}
