import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import {
    checkMappingTypes,
    RESOURCE_MAPPING_TYPES,
    ResourceMapping,
} from "../../components/resilience-template";
import { ProblemCollector } from "../../lib/errors";
import {
    CfnLintFinding,
    cfnLintSchemas,
    cfnLintVersion,
    CfnSchemas,
    CfnTemplate,
    cfnTemplateOf,
    cfnTypeOf,
    JsonSchema,
    resolveSchema,
    ResourceSchema,
    runCfnLint,
} from "../support/cfn-template";
import { runStack } from "../support/offline";
import { requirePeer } from "../support/peers";
import { makeTempDir, removeTempDir } from "../support/temp-dir";

/*
 * cfn-lint over the Resilience Hub resources of the primary plan: the checks Cloud Control
 * makes of them on `pulumi up` (it validates the same schema), made offline. Only the primary
 * stack declares them (stacks/primary.ts is the only stack that creates a ResilienceHubApp), so
 * only its plan is rendered. Every file is linted in ONE cfn-lint run in `before` (a run costs
 * about two seconds, mostly Python starting); the cases read its findings.
 */

const APP_TYPE = "AWS::ResilienceHub::App";
const POLICY_TYPE = "AWS::ResilienceHub::ResiliencyPolicy";

/*
 * Warnings that fail the test although warnings are otherwise only printed: they say the
 * program depends on a service AWS is retiring, which is about the program. Other warnings and
 * all informational findings (I3011 DeletionPolicy, I3042 ARN pseudo parameters, I1022 Sub for
 * Join, limits) are about the form of the template, which this test writes, not about the
 * resources: they are printed, never fatal.
 */
const FATAL_WARNINGS = ["W3696", "W3697"];

/** One value of a rendered resource, with its resolved schema; `path` is from `Properties`. */
interface SchemaNode {
    readonly path: readonly (string | number)[];
    readonly value: unknown;
    readonly schema: JsonSchema | undefined;
}

/** Every node of `value` the schema describes; intrinsics (Ref, Fn::GetAtt) and free-form maps are not walked into. */
function nodesOf(
    value: unknown,
    schema: JsonSchema | undefined,
    root: ResourceSchema,
    at: SchemaNode["path"] = [],
): SchemaNode[] {
    const resolved = resolveSchema(schema, root);
    const here: SchemaNode = { path: at, value, schema: resolved };
    if (Array.isArray(value)) {
        return [here, ...value.flatMap((item, i) => nodesOf(item, resolved?.items, root, [...at, i]))];
    }
    const properties = resolved?.properties;
    if (value === null || typeof value !== "object" || !properties) {
        return [here];
    }
    const entries = Object.entries(value as Record<string, unknown>);
    return [here, ...entries.flatMap(([k, v]) => nodesOf(v, properties[k], root, [...at, k]))];
}

/** A defect planted into a copy of one rendered resource, and the errors cfn-lint must report for it. */
interface Defect {
    /** What was planted, for the failure message. */
    readonly what: string;
    /** Logical id of the rendered resource copied. */
    readonly base: string;
    /** Changes the copy's Properties. */
    readonly plant: (properties: Record<string, unknown>) => void;
    /** `<rule> <path from Properties>` of each error expected, e.g. `E3030 Tier`. */
    readonly expected: readonly string[];
}

/** The object at `at` in `root`. */
function objectAt(root: Record<string, unknown>, at: SchemaNode["path"]): Record<string | number, unknown> {
    return at.reduce<Record<string | number, unknown>>(
        (node, key) => node[key] as Record<string | number, unknown>,
        root,
    );
}

/** `properties` with the value at `at` set to `value`. */
function setAt(properties: Record<string, unknown>, at: SchemaNode["path"], value: unknown): void {
    objectAt(properties, at.slice(0, -1))[at[at.length - 1]] = value;
}

/** Near-misses of an allowed string, each with how it was made: what a typo or a wrong case gives. */
function nearMisses(value: string): { how: string; variant: string }[] {
    const variants = [
        { how: "lower-cased", variant: value.toLowerCase() },
        { how: "upper-cased", variant: value.toUpperCase() },
        { how: "plural", variant: `${value}s` },
        { how: "with ! appended", variant: `${value}!` },
        { how: "with ! prepended", variant: `!${value}` },
    ];
    return variants.filter(({ variant }) => variant !== value);
}

/** `<rule> <path>`, as {@link Defect.expected} writes an error. */
function expectation(rule: string, at: SchemaNode["path"]): string {
    return `${rule} ${at.join("/")}`;
}

/** Where a node is in the schema: its path with array indices folded, so one item of a list stands for all. */
function schemaLocation(base: string, at: SchemaNode["path"], variant: string): string {
    return [base, ...at.map((key) => (typeof key === "number" ? "*" : key)), variant].join("/");
}

/** Defects derived from the schema for every node of every rendered resource that `derive` finds one for. */
function defectsOf(
    template: CfnTemplate,
    schemas: CfnSchemas,
    derive: (node: SchemaNode, base: string) => Defect[],
): Defect[] {
    // Keyed by schema location (`what`): the four resource mappings would plant the same defects four times.
    const unique = new Map<string, Defect>();
    for (const [base, resource] of Object.entries(template.Resources)) {
        const schema = schemas.schemas[resource.Type];
        for (const defect of nodesOf(resource.Properties, schema, schema).flatMap((node) =>
            derive(node, base),
        )) {
            unique.set(defect.what, unique.get(defect.what) ?? defect);
        }
    }
    return [...unique.values()];
}

/** Each enum-valued property set to each near-miss of its value that the enum does not allow: E3030. */
function enumDefects(node: SchemaNode, base: string): Defect[] {
    const allowed = node.schema?.enum;
    if (typeof node.value !== "string" || !allowed) {
        return [];
    }
    return nearMisses(node.value)
        .filter(({ variant }) => !allowed.includes(variant))
        .map(({ how, variant }) => ({
            what: schemaLocation(base, node.path, how),
            base,
            plant: (properties) => setAt(properties, node.path, variant),
            expected: [expectation("E3030", node.path)],
        }));
}

/**
 * Each pattern-constrained property set to each near-miss its pattern rejects: E3031. The
 * pattern is Python's, applied with re.search; JavaScript reads these patterns the same way
 * (no flags, no Python-only syntax), which a disagreement here would show.
 */
function patternDefects(node: SchemaNode, base: string): Defect[] {
    const pattern = node.schema?.pattern;
    if (typeof node.value !== "string" || pattern === undefined || node.schema?.enum) {
        return [];
    }
    const regex = new RegExp(pattern);
    return nearMisses(node.value)
        .filter(({ variant }) => !regex.test(variant))
        .map(({ how, variant }) => ({
            what: schemaLocation(base, node.path, how),
            base,
            plant: (properties) => setAt(properties, node.path, variant),
            expected: [expectation("E3031", node.path)],
        }));
}

/** Each required property that is set, removed: E3003 on the object that lacks it. */
function requiredDefects(node: SchemaNode, base: string): Defect[] {
    const value = node.value as Record<string, unknown>;
    return (node.schema?.required ?? [])
        .filter((name) => value !== null && typeof value === "object" && name in value)
        .map((name) => ({
            what: schemaLocation(base, [...node.path, name], "removed"),
            base,
            plant: (properties) => delete objectAt(properties, node.path)[name],
            expected: [expectation("E3003", node.path)],
        }));
}

/**
 * Each property left under its SDK name, as the recorded inputs have it (first letter
 * lower-cased, an all-capitals name such as AZ all lower-cased): E3002, and E3003 too if the
 * schema requires it. The renaming is what makes the template pass, so it is checked too.
 */
function nameDefects(node: SchemaNode, base: string): Defect[] {
    const value = node.value as Record<string, unknown>;
    const properties = node.schema?.properties;
    if (!properties || value === null || typeof value !== "object" || Array.isArray(value)) {
        return [];
    }
    return Object.keys(value).map((name) => {
        const sdkName =
            name === name.toUpperCase() ? name.toLowerCase() : name.charAt(0).toLowerCase() + name.slice(1);
        const required = node.schema?.required?.includes(name) ?? false;
        return {
            what: schemaLocation(base, [...node.path, name], `as ${sdkName}`),
            base,
            plant: (copy: Record<string, unknown>) => {
                const object = objectAt(copy, node.path);
                object[sdkName] = object[name];
                delete object[name];
            },
            expected: [
                expectation("E3002", [...node.path, sdkName]),
                ...(required ? [expectation("E3003", node.path)] : []),
            ],
        };
    });
}

/** `template` with a copy of a resource per defect (logical id `<base>Defect<n>`), and each copy's expected errors. */
function withDefects(
    template: CfnTemplate,
    defects: readonly Defect[],
): { template: CfnTemplate; expected: Map<string, Defect> } {
    const planted: CfnTemplate = structuredClone(template);
    const expected = new Map<string, Defect>();
    defects.forEach((defect, i) => {
        const copy = structuredClone(template.Resources[defect.base]);
        defect.plant(copy.Properties);
        const id = `${defect.base}Defect${i}`;
        planted.Resources[id] = copy;
        expected.set(id, defect);
    });
    return { template: planted, expected };
}

/** `<rule> <path from Properties>` of each error cfn-lint reported on resource `id`. */
function errorsOn(findings: readonly CfnLintFinding[], id: string): string[] {
    return findings
        .filter((f) => f.Level === "Error" && f.Location.Path[1] === id)
        .map((f) => expectation(f.Rule.Id, f.Location.Path.slice(3)))
        .sort();
}

/** One line per finding, for the log and for failure messages. */
function lines(findings: readonly CfnLintFinding[]): string[] {
    return findings.map((f) => `${f.Level} ${f.Rule.Id} ${f.Location.Path.join("/")}: ${f.Message}`);
}

describe("components/resilience: the Resilience Hub resources of the primary plan under cfn-lint", () => {
    let dir: string | undefined;
    let schemas: CfnSchemas;
    let template: CfnTemplate;
    const planted = new Map<string, { file: string; expected: Map<string, Defect> }>();
    const findings = new Map<string, CfnLintFinding[]>();

    before(async function () {
        requirePeer(this, "cfn-lint", cfnLintVersion());
        // This file's one mock-engine run of the primary stack, shared by every case below.
        const run = await runStack("primary");
        const natives = run.resources.filter((r) => r.custom && r.type.startsWith("aws-native:"));
        const region = natives[0]?.region ?? "us-east-1";
        schemas = cfnLintSchemas(region, [...new Set(natives.map((r) => r.type.split(":")[2]))]);
        template = cfnTemplateOf(run, schemas);
        dir = makeTempDir("webank-cfn-lint-");
        const files = [path.join(dir, "plan.json")];
        fs.writeFileSync(files[0], JSON.stringify(template, null, 2));
        const kinds = {
            enum: enumDefects,
            pattern: patternDefects,
            required: requiredDefects,
            names: nameDefects,
        };
        for (const [kind, derive] of Object.entries(kinds)) {
            const { template: copy, expected } = withDefects(template, defectsOf(template, schemas, derive));
            const file = path.join(dir, `${kind}.json`);
            fs.writeFileSync(file, JSON.stringify(copy, null, 2));
            planted.set(kind, { file, expected });
            files.push(file);
        }
        // us-east-1 as well as the stack's region: cfn-lint's schemas differ by region.
        for (const finding of runCfnLint(files, [...new Set(["us-east-1", region])])) {
            findings.set(finding.Filename, [...(findings.get(finding.Filename) ?? []), finding]);
        }
    });

    after(() => dir && removeTempDir(dir));

    it("renders the policy and the application under their CloudFormation types and names", () => {
        assert.deepStrictEqual(
            Object.values(template.Resources).map((r) => r.Type),
            [POLICY_TYPE, APP_TYPE],
        );
        assert.strictEqual(cfnTypeOf("aws-native:resiliencehub:App", schemas.types), APP_TYPE);
        const policy = Object.values(template.Resources).find((r) => r.Type === POLICY_TYPE);
        // `az` is the SDK's name for AZ (irreversible: `Az` would be refused); tag keys are kept.
        const policyMap = Object.keys(policy?.Properties.Policy as object).sort();
        assert.deepStrictEqual(policyMap, ["AZ", "Hardware", "Region", "Software"]);
        assert.deepStrictEqual(policy?.Properties.Tags, { "webank:stack": "primary" });
    });

    it("takes the application's policy ARN from the policy (Fn::GetAtt), not the fake cloud's made-up ARN", () => {
        const app = Object.values(template.Resources).find((r) => r.Type === APP_TYPE);
        const [policyId] = Object.entries(template.Resources).find(([, r]) => r.Type === POLICY_TYPE) ?? [];
        const getAtt = { "Fn::GetAtt": [policyId, "PolicyArn"] };
        assert.deepStrictEqual(app?.Properties.ResiliencyPolicyArn, getAtt);
        assert.doesNotMatch(JSON.stringify(template), /resiliency-policy\//);
    });

    it("passes cfn-lint: no errors (warnings and informational findings are printed)", () => {
        const ours = findings.get(path.join(dir ?? "", "plan.json")) ?? [];
        const advisories = ours.filter((f) => f.Level !== "Error" && !FATAL_WARNINGS.includes(f.Rule.Id));
        if (advisories.length > 0) {
            process.stdout.write(
                `cfn-lint advisories on the primary plan:\n${lines(advisories).join("\n")}\n`,
            );
        }
        const fatal = ours.filter((f) => f.Level === "Error" || FATAL_WARNINGS.includes(f.Rule.Id));
        assert.deepStrictEqual(lines(fatal), [], "cfn-lint on the primary plan");
    });

    for (const [kind, title] of [
        ["enum", "reports each enum property set to a near-miss (E3030): schedule, tier, permission type"],
        [
            "pattern",
            "reports each pattern property set to a near-miss it rejects (E3031): mapping type, names",
        ],
        ["required", "reports each required property removed, at every level (E3003)"],
        ["names", "reports each property left under its SDK name (E3002): the renaming is needed"],
    ] as const) {
        it(title, () => {
            const { file, expected } = planted.get(kind) ?? assert.fail(`no ${kind} defects planted`);
            assert.ok(expected.size > 0, `the schema gave no ${kind} defects to plant`);
            const reported = findings.get(file) ?? [];
            for (const [id, defect] of expected) {
                assert.deepStrictEqual(
                    errorsOn(reported, id),
                    [...defect.expected].sort(),
                    `${defect.what} (${id})`,
                );
            }
            // The unchanged originals in the same file stay clean: each error is a planted one.
            const stray = reported.filter(
                (f) => f.Level === "Error" && !expected.has(String(f.Location.Path[1])),
            );
            assert.deepStrictEqual(lines(stray), []);
        });
    }

    /** cfn-lint's pattern of `ResourceMapping.MappingType`. */
    const mappingTypePattern = () =>
        resolveSchema({ $ref: "#/definitions/ResourceMapping" }, schemas.schemas[APP_TYPE])?.properties
            ?.MappingType.pattern ?? "";

    it("has the component's mapping types as exactly the alternatives of cfn-lint's MappingType pattern", () => {
        assert.deepStrictEqual(mappingTypePattern().split("|"), [...RESOURCE_MAPPING_TYPES]);
    });

    it("leaves to the component the mapping types the unanchored pattern lets through (Resources, ResourceGroup)", () => {
        const pattern = new RegExp(mappingTypePattern());
        // Superstrings of a documented type: cfn-lint's pattern (re.search) accepts them, the API does not.
        const slipping = RESOURCE_MAPPING_TYPES.flatMap((type) => [`${type}s`, `${type}Group`, `x${type}`]);
        assert.ok(slipping.every((type) => pattern.test(type)));
        const mappings: ResourceMapping[] = slipping.map((mappingType) => ({
            mappingType,
            resourceName: "database",
            physicalResourceId: { identifier: "webank-db", type: "Native" },
        }));
        const problems = new ProblemCollector();
        checkMappingTypes(problems, "m", mappings);
        assert.strictEqual(problems.count, slipping.length, "the component refuses every one of them");
    });

    it("renders every stack that declares aws-native resources: only the primary does", () => {
        // No shared run of another stack exists to render, so the claim is checked on the sources:
        // whatever declares aws-native resources imports the provider or the resilience component.
        const root = path.join(__dirname, "..", "..");
        const declaring = ["stacks", "components", "lib"]
            .flatMap((folder) =>
                fs
                    .readdirSync(path.join(root, folder), { recursive: true })
                    .map((f) => `${folder}/${String(f)}`),
            )
            .concat(["program.ts", "index.ts"])
            .filter((file) => file.endsWith(".ts"))
            .filter((file) =>
                /from "[^"]*(@pulumi\/aws-native|\/resilience)"/.test(
                    fs.readFileSync(path.join(root, file), "utf8"),
                ),
            );
        assert.deepStrictEqual(declaring.sort(), ["components/resilience.ts", "stacks/primary.ts"]);
    });
});
