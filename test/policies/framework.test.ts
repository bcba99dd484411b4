import * as assert from "assert";
import { UnknownValueError } from "../../policies/lib/sdk-internals";
import { resourcePolicy, stackPolicy } from "../../policies/lib/define";
import { UnevaluatedError } from "../../policies/lib/evaluation";
import { isUnknown, listAt, UNKNOWN, valueAt } from "../../policies/lib/values";
import { findings, UNKNOWN_INPUT } from "./stack-harness";

describe("policies/lib: reading inputs with unknowns, reporting on the resource and the property", () => {
    it("reads paths through objects, arrays and JSON-string documents", () => {
        const props = {
            rules: [{ a: { b: 2 } }],
            policy: JSON.stringify({ Statement: [{ Effect: "Deny" }] }),
        };
        assert.strictEqual(valueAt(props, "rules[0].a.b"), 2);
        assert.strictEqual(valueAt(props, "policy.Statement[0].Effect"), "Deny");
        assert.strictEqual(valueAt(props, "rules[1].a"), undefined);
        assert.strictEqual(valueAt(props, "rules[0].a.b.c"), undefined);
        assert.deepStrictEqual(listAt(props, "missing"), []);
        assert.deepStrictEqual(listAt({ one: "x" }, "one"), ["x"]);
    });

    it("treats the engine's unknown sentinel as UNKNOWN, on the value and on the way to it", () => {
        assert.ok(isUnknown(UNKNOWN_INPUT));
        assert.strictEqual(valueAt({ a: UNKNOWN_INPUT }, "a"), UNKNOWN);
        assert.strictEqual(valueAt({ a: UNKNOWN_INPUT }, "a.b[0]"), UNKNOWN);
        assert.strictEqual(listAt({ a: UNKNOWN_INPUT }, "a"), UNKNOWN);
        assert.deepStrictEqual(listAt({ a: [1, UNKNOWN_INPUT] }, "a"), [1, UNKNOWN]);
    });

    const policy = resourcePolicy<{ minimum: number }>({
        name: "test-minimum",
        description: "test",
        thresholds: { minimum: { type: "integer", description: "t", default: 7 } },
        types: ["t:x:X"],
        validate: (resource, evaluation, config) => {
            evaluation.requireAtLeast(resource, "days", config.minimum, "the window");
            evaluation.requireEqual(resource, "flag", true, "it protects");
        },
    });

    it("names the property in every message, with the value found, and uses the threshold's default", () => {
        const found = findings(policy, [{ type: "t:x:X", name: "r", props: { days: 6, flag: true } }]);
        assert.deepStrictEqual(found, [
            { level: "mandatory", resource: "r", message: "days: must be at least 7 (the window); it is 6." },
        ]);
        assert.deepStrictEqual(
            findings(policy, [{ type: "t:x:X", name: "r", props: { days: 7, flag: true } }]),
            [],
        );
        assert.deepStrictEqual(
            findings(policy, [{ type: "t:x:X", name: "r", props: { days: 7, flag: true } }], {
                minimum: 8,
            }).map((f) => f.message),
            ["days: must be at least 8 (the window); it is 7."],
        );
        assert.deepStrictEqual(findings(policy, [{ type: "t:y:Y", name: "other", props: {} }]), []);
    });

    it("judges a literal while another input is unknown, then says what it could not judge", () => {
        const found = findings(policy, [
            { type: "t:x:X", name: "r", props: { days: UNKNOWN_INPUT, flag: false } },
        ]);
        assert.strictEqual(found.length, 2, JSON.stringify(found));
        assert.deepStrictEqual(found[0], {
            level: "mandatory",
            resource: "r",
            message: "flag: must be true (it protects); it is false.",
        });
        assert.strictEqual(found[1].level, "advisory");
        assert.match(found[1].message, /not judged in this preview.*urn:pulumi:test::webank::t:x:X::r days/);
    });

    it("raises its advisory as the SDK's UnknownValueError, which the pack's server reports as advisory", () => {
        assert.ok(new UnevaluatedError(["u p"]) instanceof UnknownValueError);
    });

    it("passes a stack policy its threshold config and reports on the resource's URN", () => {
        const stack = stackPolicy<{ region: string }>({
            name: "test-stack",
            description: "t",
            thresholds: { region: { type: "string", description: "t", default: "us-east-1" } },
            validate: (args, evaluation, config) => {
                for (const r of args.resources) {
                    evaluation.check(r, "region", (v) =>
                        v === config.region ? undefined : `must be ${config.region}`,
                    );
                }
            },
        });
        assert.deepStrictEqual(
            findings(stack, [{ type: "t:x:X", name: "a", props: { region: "eu-west-1" } }], {}).map(
                (f) => `${f.resource}: ${f.message}`,
            ),
            ["a: region: must be us-east-1"],
        );
        assert.deepStrictEqual(
            findings(stack, [{ type: "t:x:X", name: "a", props: { region: "eu-west-1" } }], {
                region: "eu-west-1",
            }),
            [],
        );
    });
});
