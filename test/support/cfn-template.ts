import { execFileSync, ExecFileSyncOptionsWithStringEncoding, spawnSync } from "child_process";
import { OfflineRun, RecordedResource } from "../../offline/engine";
import { FakeCloud } from "../../offline/fake-cloud";

/*
 * The aws-native resources of an offline plan as a CloudFormation template, for cfn-lint.
 * aws-native creates each resource through Cloud Control, which validates the same resource
 * schema a CloudFormation stack does, so the schema cfn-lint checks a template against is the
 * one the resource must satisfy on `pulumi up`. Everything here works from the schemas
 * cfn-lint bundles (1.51: cfnlint/data/schemas/providers/<region>.py maps each type to
 * cfnlint/data/schemas/resources/<hash>.json; read through its PROVIDER_SCHEMA_MANAGER), so
 * the names and constraints are the linter's, not a copy kept here.
 */

/** A JSON Schema fragment of a CloudFormation resource provider schema. */
export interface JsonSchema {
    /** `#/definitions/<name>`, resolved within the same resource schema. */
    readonly $ref?: string;
    /** Named sub-schemas of an object with fixed keys. */
    readonly properties?: Readonly<Record<string, JsonSchema>>;
    /** Sub-schemas by key pattern: a free-form map such as `TagMap`. */
    readonly patternProperties?: Readonly<Record<string, JsonSchema>>;
    /** Names an object must have. */
    readonly required?: readonly string[];
    /** Schema of each item of an array. */
    readonly items?: JsonSchema;
    /** The allowed values. */
    readonly enum?: readonly unknown[];
    /** A regular expression (Python's `re.search`, so unanchored unless it says `^...$`). */
    readonly pattern?: string;
    /** The JSON type. */
    readonly type?: string | readonly string[];
}

/** One resource type's provider schema (the parts used here). */
export interface ResourceSchema extends JsonSchema {
    /** `AWS::<Service>::<Resource>`. */
    readonly typeName: string;
    /** Sub-schemas that `$ref`s name. */
    readonly definitions?: Readonly<Record<string, JsonSchema>>;
    /** `/properties/<Name>` of each attribute only the service sets: what `Fn::GetAtt` reads. */
    readonly readOnlyProperties?: readonly string[];
}

/** What cfn-lint knows of a region: every resource type, and the schemas of the ones asked for. */
export interface CfnSchemas {
    /** Every resource type cfn-lint has a schema for in the region. */
    readonly types: readonly string[];
    /** Schemas by type name. */
    readonly schemas: Readonly<Record<string, ResourceSchema>>;
}

/** A CloudFormation template (the sections rendered here). */
export interface CfnTemplate {
    /** Always `2010-09-09`, the only version. */
    AWSTemplateFormatVersion: "2010-09-09";
    /** Where the template came from. */
    Description: string;
    /** One String parameter per value only another resource's creation gives. */
    Parameters: Record<string, { Type: "String"; Description: string }>;
    /** The rendered resources, by logical id. */
    Resources: Record<
        string,
        { Type: string; Properties: Record<string, unknown>; Metadata: { PulumiUrn: string } }
    >;
}

/**
 * The installed cfn-lint's version (`1.51.0`), or undefined when there is none. The schemas
 * are read through `python3` ({@link cfnLintSchemas}) and the templates linted by the
 * `cfn-lint` command, so both must be there and be the same installation's: a CLI from another
 * Python (pipx) with an older module on `python3` counts as missing.
 */
export function cfnLintVersion(): string | undefined {
    const quietly: ExecFileSyncOptionsWithStringEncoding = {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
    };
    try {
        const cli = execFileSync("cfn-lint", ["--version"], quietly)
            .trim()
            .replace(/^cfn-lint /, "");
        const script = "import cfnlint.version; print(cfnlint.version.__version__)";
        const module = execFileSync("python3", ["-c", script], quietly).trim();
        return cli === module ? cli : undefined;
    } catch {
        return undefined;
    }
}

/**
 * cfn-lint's schemas for `region`: the list of types, and the schema of every type whose
 * resource part (`App` of `AWS::ResilienceHub::App`) is one of `resourceNames`. Only the
 * resource part is filtered on here (a superset); {@link cfnTypeOf} picks the type by the
 * token rule, in one Python start (importing cfn-lint takes most of two seconds).
 */
export function cfnLintSchemas(region: string, resourceNames: readonly string[]): CfnSchemas {
    const script = [
        "import json, sys",
        "from cfnlint.schema import PROVIDER_SCHEMA_MANAGER as m",
        "region, names = sys.argv[1], set(sys.argv[2:])",
        "types = sorted(m.get_resource_types(region))",
        "schemas = {t: m.get_resource_schema(region, t).schema for t in types if t.split('::')[-1] in names}",
        "print(json.dumps({'types': types, 'schemas': schemas}))",
    ].join("\n");
    const out = execFileSync("python3", ["-c", script, region, ...resourceNames], {
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(out) as CfnSchemas;
}

/**
 * The aws-native type token of a CloudFormation type: `aws-native:<module>:<Resource>`, the
 * module being the service part lower-cased (`Config` is renamed `Configuration` first), the
 * resource part unchanged (pulumi-aws-native provider/pkg/schema/gen.go, typeToken and
 * moduleName). E.g. AWS::ResilienceHub::App gives aws-native:resiliencehub:App. Undefined for
 * a type that is not `AWS::<Service>::<Resource>`.
 */
export function awsNativeToken(cfnType: string): string | undefined {
    const parts = cfnType.split("::");
    // gen.go asserts three parts; cfn-lint also lists `Module` and Alexa::ASK::Skill, which aws-native has not.
    if (parts.length !== 3 || parts[0] !== "AWS") {
        return undefined;
    }
    const [, service, resource] = parts;
    return `aws-native:${(service === "Config" ? "Configuration" : service).toLowerCase()}:${resource}`;
}

/**
 * The CloudFormation type of an aws-native token: the one type of `types` that
 * {@link awsNativeToken} maps to it. The token lower-cases the service, so its capitals
 * (ResilienceHub) can only come from the list.
 */
export function cfnTypeOf(token: string, types: readonly string[]): string {
    const matches = types.filter((type) => awsNativeToken(type) === token);
    if (matches.length !== 1) {
        throw new Error(
            `${token}: expected one CloudFormation type with that token, found ${matches.join(", ") || "none"}`,
        );
    }
    return matches[0];
}

/** `name` with its first letter upper-cased: pulumi-aws-native's ToPascalCase (provider/pkg/naming/naming.go). */
function upperFirst(name: string): string {
    return name.charAt(0).toUpperCase() + name.slice(1);
}

/**
 * The CloudFormation name of the SDK property `sdkName` among `names` (the schema's). The
 * provider converts back with ToCfnName (provider/pkg/naming/convert.go, SdkToCfn): its table
 * of irreversible names, else the first letter upper-cased. The table holds the names whose
 * SDK form lost capitals (ToSdkName lower-cases acronyms): `AZ` of ResiliencyPolicy's
 * `PolicyMap` is `az` in the SDK, and `Az` would be refused. ToSdkName only changes case, so
 * the table's entry is the one schema name equal to `sdkName` ignoring case. A name the
 * schema lacks is upper-cased anyway, for cfn-lint to report (E3002).
 */
export function cfnName(sdkName: string, names: readonly string[]): string {
    const pascal = upperFirst(sdkName);
    if (names.includes(pascal)) {
        return pascal;
    }
    const folded = names.filter((name) => name.toLowerCase() === sdkName.toLowerCase());
    return folded.length === 1 ? folded[0] : pascal;
}

/** `schema` with `$ref`s to `#/definitions/...` followed, in the resource schema `root`. */
export function resolveSchema(schema: JsonSchema | undefined, root: ResourceSchema): JsonSchema | undefined {
    let current = schema;
    for (let hops = 0; current?.$ref && hops < 32; hops++) {
        current = root.definitions?.[current.$ref.replace(/^#\/definitions\//, "")];
    }
    return current;
}

/**
 * A free-form map: keys chosen by the user, not by the schema (an object with
 * `patternProperties` and no `properties`). In both Resilience Hub schemas that is `Tags`
 * (`TagMap`: patternProperties ".{1,128}"); `Policy` is not one (`PolicyMap` has the fixed
 * properties AZ, Hardware, Region, Software), and `AppTemplateBody` is a JSON *string*
 * (type string), so it is never parsed, let alone renamed. pulumi-aws-native keeps a map's
 * keys too (SdkToCfn: an object with AdditionalProperties is copied key by key).
 */
function isFreeFormMap(schema: JsonSchema | undefined): boolean {
    return schema?.patternProperties !== undefined && schema.properties === undefined;
}

/** A placeholder for a value: what the template says instead of a value the fake cloud invented. */
type Placeholder = (value: string) => unknown;

/** `value` in CloudFormation's names, following `schema` (see {@link cfnName}, {@link isFreeFormMap}). */
function renderValue(
    value: unknown,
    schema: JsonSchema | undefined,
    root: ResourceSchema,
    swap: Placeholder,
): unknown {
    const resolved = resolveSchema(schema, root);
    if (typeof value === "string") {
        return swap(value);
    }
    if (Array.isArray(value)) {
        return value.map((item) => renderValue(item, resolved?.items, root, swap));
    }
    if (value === null || typeof value !== "object") {
        return value;
    }
    const entries = Object.entries(value as Record<string, unknown>);
    if (isFreeFormMap(resolved)) {
        const [valueSchema] = Object.values(resolved?.patternProperties ?? {});
        return Object.fromEntries(entries.map(([k, v]) => [k, renderValue(v, valueSchema, root, swap)]));
    }
    // A nested object the schema does not describe is renamed by the general rule, for cfn-lint to judge.
    const names = Object.keys(resolved?.properties ?? {});
    return Object.fromEntries(
        entries.map(([k, v]) => {
            const name = cfnName(k, names);
            return [name, renderValue(v, resolved?.properties?.[name], root, swap)];
        }),
    );
}

/** A CloudFormation logical id (alphanumeric only) from a Pulumi name: `webank-resilience-app` gives WebankResilienceApp. */
export function logicalIdOf(name: string): string {
    return name
        .split(/[^A-Za-z0-9]+/)
        .filter((part) => part !== "")
        .map(upperFirst)
        .join("");
}

/** Every string in `value` (recursively), with the path of keys that leads to it. */
function stringLeaves(value: unknown, path: string[] = []): { path: string[]; value: string }[] {
    if (typeof value === "string") {
        return [{ path, value }];
    }
    if (value !== null && typeof value === "object") {
        return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
            stringLeaves(v, [...path, k]),
        );
    }
    return [];
}

/** A string output the fake cloud computed for a resource (not one of its inputs passed through). */
interface ComputedOutput {
    /** The output's path in the resource's state (`["policyArn"]`), or `[]` for its id. */
    readonly path: string[];
    /** The invented value. */
    readonly value: string;
}

/**
 * The outputs the fake cloud invented for `resource`: it is created again, from its recorded
 * inputs, by a fresh {@link FakeCloud} told the run's provider regions (its outputs are
 * derived from type, name, region and inputs only). A value among the resource's own inputs
 * is not invented: it is known before the resource exists (a role's fixed name), and stays.
 * The id it gets again must be the recorded one, or the replay is not the run's.
 */
function computedOutputsOf(run: OfflineRun, resource: RecordedResource): ComputedOutput[] {
    const cloud = new FakeCloud();
    for (const provider of run.resources.filter((r) => r.type.startsWith("pulumi:providers:"))) {
        cloud.rememberProvider(`${provider.urn}::${provider.id}`, provider.type, provider.inputs);
    }
    const { type, name, inputs, provider } = resource;
    const created = cloud.newResource({ type, name, inputs, provider, custom: true });
    if (created.id !== resource.id) {
        throw new Error(
            `${resource.urn}: the fake cloud gives id ${created.id} again, not the recorded ${resource.id}`,
        );
    }
    const known = new Set(stringLeaves(resource.inputs).map((leaf) => leaf.value));
    // The id last: an output that is also the id (a policy's ARN) is better named by its attribute.
    return [...stringLeaves(created.state), { path: [], value: created.id ?? "" }].filter(
        (output) => output.value !== "" && !known.has(output.value),
    );
}

/**
 * The aws-native resources of `run` (type tokens `aws-native:<module>:<Resource>`, e.g.
 * `aws-native:resiliencehub:App`) as a CloudFormation template: each under the logical id of
 * its Pulumi name ({@link logicalIdOf}), of the type {@link cfnTypeOf} gives, with its
 * recorded inputs as Properties in CloudFormation's names (`schemas` must hold each type's).
 *
 * An input that is an output the fake cloud invented for a resource it depends on (e.g. the
 * application's `resiliencyPolicyArn`, a made-up policy id) is not copied: it would be a
 * value no deploy ever sends. It becomes, truthfully, what CloudFormation would know: an
 * `Fn::GetAtt` of that attribute when the resource is in the template and its schema lists
 * the attribute as read-only, a `Ref` when it is that resource's id, and otherwise a `Ref` to
 * a String parameter named after the resource and output (no default: the value is unknown
 * until the resource exists). Only whole values are swapped: an output inside a longer string
 * would stay as the fake cloud made it (none is, here). Values from provider functions stay
 * too: the bucket names hold getCallerIdentity's fake account id, which has the real one's
 * format and is replaced by it on a real deploy.
 */
export function cfnTemplateOf(run: OfflineRun, schemas: CfnSchemas): CfnTemplate {
    const rendered = run.resources.filter((r) => r.custom && r.type.startsWith("aws-native:"));
    const logicalIds = new Map(rendered.map((r) => [r.urn, logicalIdOf(r.name)]));
    if (new Set(logicalIds.values()).size !== rendered.length) {
        throw new Error(
            `two aws-native resources share a logical id: ${[...logicalIds.values()].join(", ")}`,
        );
    }
    const template: CfnTemplate = {
        AWSTemplateFormatVersion: "2010-09-09",
        Description: `aws-native resources of the offline plan of stack ${run.stack}, for cfn-lint`,
        Parameters: {},
        Resources: {},
    };
    for (const resource of rendered) {
        const type = cfnTypeOf(resource.type, schemas.types);
        const schema = schemas.schemas[type];
        if (!schema) {
            throw new Error(`${type}: cfn-lint's schema was not loaded`);
        }
        const invented = resource.dependencies
            .map((urn) => run.resources.find((r) => r.urn === urn && r.custom))
            .filter((dependency): dependency is RecordedResource => dependency !== undefined)
            .flatMap((dependency) =>
                computedOutputsOf(run, dependency).map((output) => ({ dependency, output })),
            );
        const swap: Placeholder = (value) => {
            const found = invented.find(({ output }) => output.value === value);
            return found ? placeholder(template, found.dependency, found.output, logicalIds, schemas) : value;
        };
        template.Resources[logicalIdOf(resource.name)] = {
            Type: type,
            Properties: renderValue(resource.inputs, schema, schema, swap) as Record<string, unknown>,
            Metadata: { PulumiUrn: resource.urn },
        };
    }
    return template;
}

/** What the template says for `output` of `dependency` (see {@link cfnTemplateOf}); adds a parameter if needed. */
function placeholder(
    template: CfnTemplate,
    dependency: RecordedResource,
    output: ComputedOutput,
    logicalIds: ReadonlyMap<string, string>,
    schemas: CfnSchemas,
): unknown {
    const logicalId = logicalIds.get(dependency.urn);
    if (logicalId) {
        const schema = schemas.schemas[cfnTypeOf(dependency.type, schemas.types)];
        const attributes = (schema?.readOnlyProperties ?? []).map((p) => p.replace(/^\/properties\//, ""));
        if (output.path.length === 1) {
            const attribute = cfnName(output.path[0], attributes);
            if (attributes.includes(attribute)) {
                return { "Fn::GetAtt": [logicalId, attribute] };
            }
        }
        if (output.path.length === 0) {
            return { Ref: logicalId };
        }
    }
    const name = logicalIdOf([dependency.name, ...(output.path.length ? output.path : ["id"])].join("-"));
    template.Parameters[name] = {
        Type: "String",
        Description: `${output.path.join(".") || "id"} of ${dependency.type} ${dependency.name}: known once it is created`,
    };
    return { Ref: name };
}

/** One finding of cfn-lint's `--format json`. */
export interface CfnLintFinding {
    /** The template file. */
    readonly Filename: string;
    /** `Error`, `Warning` or `Informational`. */
    readonly Level: string;
    /** What is wrong. */
    readonly Message: string;
    /** The rule, e.g. `{ Id: "E3030", ... }`. */
    readonly Rule: { readonly Id: string; readonly ShortDescription: string };
    /** Where: `Path` is the keys from the template's root, e.g. `["Resources", "App", "Properties", "Name"]`. */
    readonly Location: { readonly Path: readonly (string | number)[] };
}

/**
 * Lints `files` in one cfn-lint run against every region of `regions`, informational rules
 * (`I...`) included, and returns the findings. cfn-lint exits with the OR of 2 (errors),
 * 4 (warnings) and 8 (informational); any other status, or output that is not its JSON
 * list, is a failed run and throws.
 */
export function runCfnLint(files: readonly string[], regions: readonly string[]): CfnLintFinding[] {
    const result = spawnSync(
        "cfn-lint",
        ["--format", "json", "--include-checks", "I", "--regions", ...regions, "--", ...files],
        { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
    );
    const status = result.status ?? -1;
    if (result.error || status < 0 || (status & ~14) !== 0) {
        throw new Error(`cfn-lint failed (status ${status}): ${String(result.error ?? "")}${result.stderr}`);
    }
    return JSON.parse(result.stdout || "[]") as CfnLintFinding[];
}
