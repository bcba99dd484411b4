import { JavaScriptValue, Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerproto from "@pulumi/pulumi/proto/analyzer_pb";
import { RecordedResource } from "./engine";
import { EnforcementLevelName, PolicyPackInfo, ReconciledPolicyConfig } from "./policy-pack-config";

/**
 * The analyzer protocol's messages (`@pulumi/pulumi/proto/analyzer_pb`) to and from the plain
 * data of this project: recorded resources as the CLI sends them to a policy pack
 * (pkg/resource/plugin/analyzer_plugin.go), and the pack's answers as plain objects.
 */

/** One violation reported by the pack. */
export interface PolicyViolation {
    /** Policy name, e.g. `rds-instance-deletion-protection`. */
    readonly policy: string;
    /** `mandatory`, `advisory`, `remediate` or `disabled`. */
    readonly enforcement: string;
    /**
     * URN of the resource: for a resource policy always the analyzed resource's; for a stack
     * policy the one it reported, empty for stack-wide findings without one.
     */
    readonly urn: string;
    /** The policy's message. */
    readonly message: string;
}

const ENFORCEMENT_NAMES: Record<number, EnforcementLevelName> = {
    [analyzerproto.EnforcementLevel.ADVISORY]: "advisory",
    [analyzerproto.EnforcementLevel.MANDATORY]: "mandatory",
    [analyzerproto.EnforcementLevel.DISABLED]: "disabled",
    [analyzerproto.EnforcementLevel.REMEDIATE]: "remediate",
};

/** Whether the engine records `resource` as a provider, which the CLI does not analyze. */
export function isProvider(resource: RecordedResource): boolean {
    return resource.type.startsWith("pulumi:providers:");
}

/**
 * The `Analyze` request for one resource: its type, name, URN, inputs, options and provider
 * (`byUrn` holds every recorded resource, to find the provider's type, name and inputs).
 */
export function analyzeRequestOf(
    resource: RecordedResource,
    byUrn: ReadonlyMap<string, RecordedResource>,
): analyzerproto.AnalyzeRequest {
    const request = new analyzerproto.AnalyzeRequest();
    request.setType(resource.type);
    request.setName(resource.name);
    request.setUrn(resource.urn);
    request.setProperties(Struct.fromJavaScript(asStruct(resource.inputs)));
    request.setOptions(optionsOf(resource));
    const provider = providerOf(resource, byUrn);
    if (provider) {
        request.setProvider(provider);
    }
    return request;
}

/**
 * One resource of an `AnalyzeStack` request: what {@link analyzeRequestOf} sends, plus its
 * parent, dependencies and property dependencies (`byUrn` as there).
 */
export function analyzerResourceOf(
    resource: RecordedResource,
    byUrn: ReadonlyMap<string, RecordedResource>,
): analyzerproto.AnalyzerResource {
    const entry = new analyzerproto.AnalyzerResource();
    entry.setType(resource.type);
    entry.setName(resource.name);
    entry.setUrn(resource.urn);
    entry.setProperties(Struct.fromJavaScript(asStruct(resource.inputs)));
    entry.setOptions(optionsOf(resource));
    entry.setDependenciesList([...resource.dependencies]);
    // As the CLI sends them: "Skip properties that have no dependencies"
    // (pkg/resource/plugin/analyzer_plugin.go AnalyzeStack, PropertyDependencies).
    const propertyDependencies = entry.getPropertydependenciesMap();
    for (const [property, urns] of Object.entries(resource.propertyDependencies)) {
        if (urns.length > 0) {
            const dependencies = new analyzerproto.AnalyzerPropertyDependencies();
            dependencies.setUrnsList([...urns]);
            propertyDependencies.set(property, dependencies);
        }
    }
    if (resource.parent) {
        entry.setParent(resource.parent);
    }
    const provider = providerOf(resource, byUrn);
    if (provider) {
        entry.setProvider(provider);
    }
    return entry;
}

/** A diagnostic of `Analyze` or `AnalyzeStack` as a violation, with the URN the diagnostic carries. */
export function violationOf(diagnostic: analyzerproto.AnalyzeDiagnostic): PolicyViolation {
    return {
        policy: diagnostic.getPolicyname(),
        enforcement: ENFORCEMENT_NAMES[diagnostic.getEnforcementlevel()] ?? "mandatory",
        urn: diagnostic.getUrn(),
        message: diagnostic.getMessage(),
    };
}

/** GetAnalyzerInfo's answer as plain data (analyzer_plugin.go GetAnalyzerInfo, convertConfigSchema). */
export function packInfoOf(response: analyzerproto.AnalyzerInfo): PolicyPackInfo {
    const initialConfig: Record<string, ReconciledPolicyConfig> = {};
    // convertPolicyConfig (analyzer_plugin.go): each entry's level and properties.
    response.getInitialconfigMap().forEach((entry, policy) => {
        initialConfig[policy] = {
            enforcementLevel: ENFORCEMENT_NAMES[entry.getEnforcementlevel()] ?? "",
            properties: entry.getProperties()?.toJavaScript() ?? {},
        };
    });
    return {
        name: response.getName(),
        supportsConfig: response.getSupportsconfig(),
        initialConfig,
        policies: response.getPoliciesList().map((policy) => {
            const schema = policy.getConfigschema();
            return {
                name: policy.getName(),
                enforcementLevel: ENFORCEMENT_NAMES[policy.getEnforcementlevel()] ?? "advisory",
                ...(schema
                    ? {
                          configSchema: {
                              properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<
                                  string,
                                  Record<string, unknown>
                              >,
                              required: schema.getRequiredList(),
                          },
                      }
                    : {}),
            };
        }),
    };
}

/**
 * The `Configure` request for a reconciled configuration, as analyzer_plugin.go Configure
 * builds it: a PolicyConfig per entry, its level marshalled to the proto enum, its properties
 * as a Struct (structpb.NewStruct: an empty one for none; @pulumi/policy reads
 * `getProperties().toJavaScript()` unconditionally).
 * @throws Error for an entry without a level, which the CLI refuses before sending
 */
export function configureRequestOf(
    reconciled: Readonly<Record<string, ReconciledPolicyConfig>>,
): analyzerproto.ConfigureAnalyzerRequest {
    const request = new analyzerproto.ConfigureAnalyzerRequest();
    for (const [policy, entry] of Object.entries(reconciled)) {
        const policyConfig = new analyzerproto.PolicyConfig();
        policyConfig.setEnforcementlevel(toProtoLevel(entry.enforcementLevel));
        policyConfig.setProperties(Struct.fromJavaScript(asStruct({ ...entry.properties })));
        request.getPolicyconfigMap().set(policy, policyConfig);
    }
    return request;
}

function optionsOf(resource: RecordedResource): analyzerproto.AnalyzerResourceOptions {
    const options = new analyzerproto.AnalyzerResourceOptions();
    options.setProtect(resource.protect);
    options.setIgnorechangesList([...resource.ignoreChanges]);
    if (resource.parent) {
        options.setParent(resource.parent);
    }
    return options;
}

function providerOf(
    resource: RecordedResource,
    byUrn: ReadonlyMap<string, RecordedResource>,
): analyzerproto.AnalyzerProviderResource | undefined {
    if (!resource.provider) {
        return undefined;
    }
    const urn = resource.provider.slice(0, resource.provider.lastIndexOf("::"));
    const recorded = byUrn.get(urn);
    const provider = new analyzerproto.AnalyzerProviderResource();
    provider.setUrn(urn);
    provider.setType(recorded?.type ?? urn.split("::")[2] ?? "");
    provider.setName(recorded?.name ?? urn.split("::").pop() ?? "");
    provider.setProperties(Struct.fromJavaScript(asStruct(recorded?.inputs ?? {})));
    return provider;
}

/** Struct.fromJavaScript takes JSON-like values only. */
function asStruct(value: Record<string, unknown>): Record<string, JavaScriptValue> {
    return JSON.parse(JSON.stringify(value)) as Record<string, JavaScriptValue>;
}

/** marshalEnforcementLevel (analyzer_plugin.go). */
function toProtoLevel(level: EnforcementLevelName | ""): analyzerproto.EnforcementLevel {
    switch (level) {
        case "advisory":
            return analyzerproto.EnforcementLevel.ADVISORY;
        case "mandatory":
            return analyzerproto.EnforcementLevel.MANDATORY;
        case "remediate":
            return analyzerproto.EnforcementLevel.REMEDIATE;
        case "disabled":
            return analyzerproto.EnforcementLevel.DISABLED;
        default:
            // The CLI refuses it before sending: analyzer_plugin.go Configure, "invalid enforcement level".
            throw new Error(`invalid enforcement level ${JSON.stringify(level)}`);
    }
}
