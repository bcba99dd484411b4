import Ajv, { ErrorObject } from "ajv";
import { closest, distance } from "fastest-levenshtein";
import { InputProblem, InvalidInputError } from "../lib/errors";

/**
 * A policy pack's configuration as `pulumi preview --policy-pack-config` makes it: the types
 * of a config file and of GetAnalyzerInfo's answer, and {@link reconcilePolicyPackConfig}, the
 * CLI's reconciliation and validation of one against the other (pkg/resource/analyzer/config.go).
 */

/** An enforcement level, as a `--policy-pack-config` file spells it. */
export type EnforcementLevelName = "advisory" | "mandatory" | "remediate" | "disabled";

/**
 * The JSON of a `pulumi preview --policy-pack-config <file>`: for each policy name (or `all`),
 * either an enforcement level, or an object of config properties with an optional
 * `enforcementLevel` (pkg/resource/analyzer/config.go, parsePolicyPackConfig).
 */
export type PolicyPackConfig = Readonly<
    Record<string, EnforcementLevelName | Readonly<Record<string, unknown>>>
>;

/** One policy as the pack describes it (GetAnalyzerInfo). */
export interface PolicyInfo {
    /** Policy name. */
    readonly name: string;
    /** Its enforcement level: the policy's own, else the pack's. */
    readonly enforcementLevel: EnforcementLevelName;
    /** Its config schema (JSON schema of each property, and the required ones), when it has one. */
    readonly configSchema?: {
        readonly properties: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
        readonly required: readonly string[];
    };
}

/** What GetAnalyzerInfo says about the pack. */
export interface PolicyPackInfo {
    /** The pack's name (`webank-dr`). */
    readonly name: string;
    /** Whether the pack takes config (every @pulumi/policy pack does). */
    readonly supportsConfig: boolean;
    /** Its policies, in order. */
    readonly policies: readonly PolicyInfo[];
    /** Config the pack set on itself (`new PolicyPack(..., initialConfig)`), by policy. */
    readonly initialConfig: Readonly<Record<string, ReconciledPolicyConfig>>;
}

/** One policy's config as the pack is configured with it: a level and the properties. */
export interface ReconciledPolicyConfig {
    /** The level; empty only for an entry that names no policy (the CLI then refuses it at Configure). */
    readonly enforcementLevel: EnforcementLevelName | "";
    /** The properties, defaults from the schema filled in. */
    readonly properties: Readonly<Record<string, unknown>>;
}

/** apitype.EnforcementLevel.IsValid (sdk/go/common/apitype/policy.go): exactly these four. */
const ENFORCEMENT_LEVELS: readonly EnforcementLevelName[] = [
    "advisory",
    "mandatory",
    "remediate",
    "disabled",
];

/** The name a config entry uses for every policy at once (pkg/resource/analyzer/config.go, applyConfig). */
const ALL_POLICIES = "all";

/** One entry of a config file, parsed: its level (empty: not set) and its properties. */
interface ParsedPolicyConfig {
    readonly enforcementLevel: EnforcementLevelName | "";
    readonly properties: Record<string, unknown>;
}

/** Whether `value` is one of the four enforcement levels. */
function isLevel(value: unknown): value is EnforcementLevelName {
    return typeof value === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(value);
}

const ajv = new Ajv({
    // gojsonschema, the CLI's validator, reports every error and ignores keywords it does not know.
    allErrors: true,
    strict: false,
});

/**
 * The configuration `pulumi preview --policy-pack-config` sends the pack, or an
 * {@link InvalidInputError} with every problem. As the CLI (pkg/resource/analyzer/config.go):
 *
 * - parsePolicyPackConfig: an entry is a level, or an object whose `enforcementLevel`, when
 *   present, must be one of the four levels and is taken out of the properties; an entry with
 *   neither is dropped.
 * - ReconcilePolicyPackConfig: every policy starts at its own level with the `default` of each
 *   schema property, then the pack's initialConfig is applied, then `config`; an `all` entry's
 *   level applies to every policy; properties are merged over the defaults (applyConfig).
 * - validatePolicyPackConfig: each policy's properties are validated as JSON schema against
 *   `{type: "object", properties, required}` of its configSchema (convertSchema), with
 *   `enforcementLevel` added to the properties as the CLI adds it (analyzer_plugin.go
 *   GetAnalyzerInfo), by gojsonschema there and by Ajv here (the same draft-07 keywords:
 *   `type`, `minimum`, `maximum`, `enum`, ...).
 *
 * Stricter than the CLI, which passes both silently to the pack: an entry naming no policy of
 * the pack (the CLI would send it, and fail only when it has no level, with "invalid
 * enforcement level"), and a property the policy's schema does not list (convertSchema sets
 * no `additionalProperties`). Either is a typo that leaves the policy on its default, which a
 * check of a bank's recovery objectives must not pass quietly.
 */
export function reconcilePolicyPackConfig(
    info: PolicyPackInfo,
    config: PolicyPackConfig,
): Record<string, ReconciledPolicyConfig> {
    const problems: InputProblem[] = [];
    if (!info.supportsConfig && Object.keys(config).length > 0) {
        // pkg/engine/update.go: "policy pack %q at %q does not support config".
        problems.push({
            field: info.name,
            requirement: "be a policy pack that supports config",
            received: config,
        });
        throw new InvalidInputError(`policy pack config for ${info.name}`, problems);
    }
    const names = info.policies.map((p) => p.name);
    const parsed: Record<string, ParsedPolicyConfig> = {};
    for (const [policy, value] of Object.entries(config)) {
        if (policy !== ALL_POLICIES && !names.includes(policy)) {
            const hint = nearestName(policy, names);
            problems.push({
                field: policy,
                requirement: `name a policy of the pack ${info.name} (or be "${ALL_POLICIES}")`,
                received: value,
                ...(hint ? { hint: `did you mean ${hint}?` } : {}),
            });
            continue;
        }
        const entry = parseEntry(policy, value, problems);
        if (!entry) {
            continue;
        }
        if (policy === ALL_POLICIES && Object.keys(entry.properties).length > 0) {
            for (const [property, received] of Object.entries(entry.properties)) {
                problems.push({
                    field: `${ALL_POLICIES}.${property}`,
                    requirement: `not be set: "${ALL_POLICIES}" takes an enforcementLevel only`,
                    received,
                });
            }
            continue;
        }
        // "Don't bother including empty configs" (parsePolicyPackConfig).
        if (entry.enforcementLevel !== "" || Object.keys(entry.properties).length > 0) {
            parsed[policy] = entry;
        }
    }
    if (problems.length > 0) {
        throw new InvalidInputError(`policy pack config for ${info.name}`, problems);
    }

    // createConfigWithDefaults, then applyConfig(initialConfig), then applyConfig(config).
    let result: Record<string, ReconciledPolicyConfig> = Object.fromEntries(
        info.policies.map((policy) => [
            policy.name,
            {
                enforcementLevel: policy.enforcementLevel,
                properties: Object.fromEntries(
                    Object.entries(policy.configSchema?.properties ?? {})
                        .filter(([, schema]) => "default" in schema)
                        .map(([property, schema]) => [property, schema.default]),
                ),
            },
        ]),
    );
    result = applyConfig(result, info.initialConfig);
    result = applyConfig(result, parsed);

    for (const policy of info.policies) {
        const properties = result[policy.name]?.properties ?? {};
        const validate = ajv.compile(schemaOf(policy));
        if (!validate(properties)) {
            problems.push(...(validate.errors ?? []).map((error) => problemOf(policy, properties, error)));
        }
    }
    if (problems.length > 0) {
        throw new InvalidInputError(`policy pack config for ${info.name}`, problems);
    }
    return result;
}

/** parsePolicyPackConfig's handling of one entry; undefined (and problems) when it is malformed. */
function parseEntry(
    policy: string,
    value: unknown,
    problems: InputProblem[],
): ParsedPolicyConfig | undefined {
    const levels = ENFORCEMENT_LEVELS.join(", ");
    if (typeof value === "string") {
        if (!isLevel(value)) {
            problems.push({
                field: policy,
                requirement: `be an enforcement level (${levels}) or an object`,
                received: value,
            });
            return undefined;
        }
        return { enforcementLevel: value, properties: {} };
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        problems.push({
            field: policy,
            requirement: `be an enforcement level (${levels}) or an object`,
            received: value,
        });
        return undefined;
    }
    const { enforcementLevel, ...properties } = value as Record<string, unknown>;
    if (enforcementLevel !== undefined && !isLevel(enforcementLevel)) {
        problems.push({
            field: `${policy}.enforcementLevel`,
            requirement: `be one of ${levels}`,
            received: enforcementLevel,
        });
        return undefined;
    }
    return {
        enforcementLevel: enforcementLevel ?? "",
        properties: JSON.parse(JSON.stringify(properties)) as Record<string, unknown>,
    };
}

/** applyConfig (config.go): an `all` level for every policy, then each entry's level and properties over what is there. */
function applyConfig(
    result: Readonly<Record<string, ReconciledPolicyConfig>>,
    config: Readonly<Record<string, ParsedPolicyConfig>>,
): Record<string, ReconciledPolicyConfig> {
    const next: Record<string, ReconciledPolicyConfig> = { ...result };
    const all = config[ALL_POLICIES];
    if (all && all.enforcementLevel !== "") {
        for (const [policy, entry] of Object.entries(next)) {
            next[policy] = { ...entry, enforcementLevel: all.enforcementLevel };
        }
    }
    for (const [policy, given] of Object.entries(config)) {
        const current = next[policy];
        next[policy] = {
            enforcementLevel:
                given.enforcementLevel !== "" ? given.enforcementLevel : (current?.enforcementLevel ?? ""),
            properties: { ...current?.properties, ...given.properties },
        };
    }
    return next;
}

/**
 * The JSON schema a policy's properties are validated against: convertSchema's (config.go)
 * `{type: "object", properties, required}` with the `enforcementLevel` property the CLI adds
 * (analyzer_plugin.go GetAnalyzerInfo), and no property beyond those (stricter than the CLI).
 */
function schemaOf(policy: PolicyInfo): Record<string, unknown> {
    const required = policy.configSchema?.required ?? [];
    return {
        type: "object",
        properties: {
            ...policy.configSchema?.properties,
            enforcementLevel: { type: "string", enum: [...ENFORCEMENT_LEVELS] },
        },
        ...(required.length > 0 ? { required: [...required] } : {}),
        additionalProperties: false,
    };
}

/** An Ajv error as a problem in the project's style: `<policy>.<property> must <...>; got <value>`. */
function problemOf(
    policy: PolicyInfo,
    properties: Record<string, unknown>,
    error: ErrorObject,
): InputProblem {
    const declared = Object.keys(policy.configSchema?.properties ?? {});
    if (error.keyword === "additionalProperties") {
        const property = String((error.params as { additionalProperty: string }).additionalProperty);
        const hint = nearestName(property, declared);
        return {
            field: `${policy.name}.${property}`,
            requirement:
                declared.length > 0
                    ? `be a property of the policy's configSchema (${declared.join(", ")})`
                    : "not be set: the policy has no configSchema properties",
            received: properties[property],
            ...(hint ? { hint: `did you mean ${hint}?` } : {}),
        };
    }
    if (error.keyword === "required") {
        const property = String((error.params as { missingProperty: string }).missingProperty);
        return {
            field: `${policy.name}.${property}`,
            requirement: "be set (the configSchema requires it)",
            received: undefined,
        };
    }
    // instancePath is a JSON pointer: /property[/index...].
    const pointer = error.instancePath
        .split("/")
        .slice(1)
        .map((step) => step.replace(/~1/g, "/").replace(/~0/g, "~"));
    let received: unknown = properties;
    for (const step of pointer) {
        received = (received as Record<string, unknown> | undefined)?.[step];
    }
    const field = [policy.name, ...pointer].join(".");
    const schema = pointer.length > 0 ? policy.configSchema?.properties[pointer[0]] : undefined;
    return { field, requirement: requirementOf(error, pointer.length === 1 ? schema : undefined), received };
}

/** JSON schema's type names as a requirement reads them. */
const JSON_TYPES: Readonly<Record<string, string>> = {
    integer: "an integer",
    number: "a number",
    string: "a string",
    boolean: "a boolean",
    array: "an array",
    object: "an object",
    null: "null",
};

/** What an Ajv error says the value must be, after "must": `be an integer from 1 to 35`. */
function requirementOf(error: ErrorObject, schema: Readonly<Record<string, unknown>> | undefined): string {
    if (error.keyword === "type") {
        const types = String((error.params as { type: string | string[] }).type).split(",");
        return `be ${types.map((t) => JSON_TYPES[t] ?? t).join(" or ")}`;
    }
    if (error.keyword === "enum") {
        const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
        return `be one of ${allowed.map((v) => JSON.stringify(v)).join(", ")}`;
    }
    if (schema && (error.keyword === "minimum" || error.keyword === "maximum")) {
        return rangeOf(schema);
    }
    return `${(error.message ?? `satisfy ${error.keyword}`).replace(/^must /, "")} (JSON schema \`${error.keyword}\`)`;
}

/** `be an integer from 1 to 35` from a property schema's type, minimum and maximum. */
function rangeOf(schema: Readonly<Record<string, unknown>>): string {
    const kind = schema.type === "integer" ? "an integer" : "a number";
    const { minimum, maximum } = schema;
    if (typeof minimum === "number" && typeof maximum === "number") {
        return `be ${kind} from ${minimum} to ${maximum}`;
    }
    return typeof minimum === "number"
        ? `be ${kind} of at least ${minimum}`
        : `be ${kind} of at most ${String(maximum)}`;
}

/** The name in `names` that `given` is most likely a typo of (a third of its letters, at least two edits), if any. */
function nearestName(given: string, names: readonly string[]): string | undefined {
    if (names.length === 0) {
        return undefined;
    }
    const best = closest(given, [...names]);
    return distance(given, best) <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}
