import * as assert from "assert";
import { Policy } from "@pulumi/policy";
import * as kms from "../../policies/kms";
import { KMS_EXTERNAL_KEY, KMS_KEY, KMS_REPLICA_KEY } from "../../policies/kms";
import { findings, StackResource, UNKNOWN_INPUT, violations } from "./stack-harness";

/** The threshold `npm run policy:config` derives (lib/retention.ts KMS_DELETION_WINDOW_DAYS). */
const CONFIG = { kmsDeletionWindowDays: 30 };

/** The data key and its replica as components/keys.ts declares them. */
function compliant(): StackResource[] {
    return [
        {
            type: KMS_KEY,
            name: "key",
            region: "us-east-1",
            props: { multiRegion: true, enableKeyRotation: true, deletionWindowInDays: 30, policy: "{}" },
        },
        {
            type: KMS_REPLICA_KEY,
            name: "replica",
            region: "us-west-2",
            props: {
                primaryKeyArn: "arn:aws:kms:us-east-1:123456789012:key/mrk-0123",
                deletionWindowInDays: 30,
                policy: "{}",
            },
            inputsFrom: { primaryKeyArn: ["key"] },
        },
    ];
}

/** The compliant stack with `name`'s props merged with `props` (and other fields with `rest`). */
function variant(
    name: string,
    props: Record<string, unknown>,
    rest: Partial<StackResource> = {},
): StackResource[] {
    return compliant().map((r) => (r.name === name ? { ...r, ...rest, props: { ...r.props, ...props } } : r));
}

const CASES: Array<[Policy, Array<[string, StackResource[], string, RegExp]>]> = [
    [
        kms.kmsKeyRotationEnabled,
        [
            [
                "rotation off",
                variant("key", { enableKeyRotation: false }),
                "key",
                /^enableKeyRotation: must be true/,
            ],
            ["rotation unset", variant("key", { enableKeyRotation: undefined }), "key", /it is unset/],
        ],
    ],
    [
        kms.kmsKeyDeletionWindow,
        [
            [
                "7 days",
                variant("key", { deletionWindowInDays: 7 }),
                "key",
                /^deletionWindowInDays: must be at least 30/,
            ],
            [
                "the replica's 29 days",
                variant("replica", { deletionWindowInDays: 29 }),
                "replica",
                /at least 30/,
            ],
            [
                "an imported key's 7 days",
                [
                    ...compliant(),
                    { type: KMS_EXTERNAL_KEY, name: "external", props: { deletionWindowInDays: 7 } },
                ],
                "external",
                /at least 30/,
            ],
        ],
    ],
    [
        kms.kmsKeyEnabled,
        [
            [
                "the key disabled",
                variant("key", { isEnabled: false }),
                "key",
                /^isEnabled: must be true or unset/,
            ],
            [
                "the replica disabled",
                variant("replica", { enabled: false }),
                "replica",
                /^enabled: must be true/,
            ],
        ],
    ],
    [
        kms.kmsKeyMultiRegion,
        [
            [
                "single-Region",
                variant("key", { multiRegion: false }),
                "key",
                /^multiRegion: must be true \(it has the replica replica/,
            ],
            ["multiRegion unset", variant("key", { multiRegion: undefined }), "key", /it is unset/],
            [
                "the replica in the key's region",
                variant("replica", {}, { region: "us-east-1" }),
                "replica",
                /^region: must differ/,
            ],
            [
                "a replica of a single-Region key outside the stack",
                variant("replica", { primaryKeyArn: "arn:aws:kms:us-east-1:1:key/1234" }, { inputsFrom: {} }),
                "replica",
                /^primaryKeyArn: must be the ARN of a multi-Region key/,
            ],
        ],
    ],
];

describe("policies: KMS", () => {
    for (const [policy, cases] of CASES) {
        describe(policy.name, () => {
            it("passes the keys components/keys.ts declares", () => {
                assert.deepStrictEqual(findings(policy, compliant(), CONFIG), []);
            });
            for (const [what, stack, culprit, pattern] of cases) {
                it(`fails: ${what}, on ${culprit}`, () => {
                    const found = violations(policy, stack, CONFIG);
                    assert.ok(
                        found.some(
                            (v) => v.startsWith(`${culprit}: `) && pattern.test(v.slice(culprit.length + 2)),
                        ),
                        found.join("\n"),
                    );
                });
            }
            it("is mandatory and named <service>-<resource>-<check>, described as a check", () => {
                assert.strictEqual(policy.enforcementLevel, "mandatory");
                assert.match(policy.name, /^kms-key(-[a-z0-9]+)+$/);
                assert.match(policy.description ?? "", /^Checks whether /);
            });
        });
    }

    it("takes an unset deletion window as the provider's 30 days, and the threshold from config", () => {
        assert.deepStrictEqual(
            violations(kms.kmsKeyDeletionWindow, variant("key", { deletionWindowInDays: undefined }), CONFIG),
            [],
        );
        assert.deepStrictEqual(
            violations(kms.kmsKeyDeletionWindow, variant("key", { deletionWindowInDays: 20 }), {
                kmsDeletionWindowDays: 14,
            }),
            [],
        );
    });

    it("in a preview: judges multiRegion through the replica's propertyDependencies while the ARN is unknown", () => {
        const stack = variant("replica", { primaryKeyArn: UNKNOWN_INPUT });
        assert.deepStrictEqual(findings(kms.kmsKeyMultiRegion, stack), []);
        const single = stack.map((r) =>
            r.name === "key" ? { ...r, props: { ...r.props, multiRegion: false } } : r,
        );
        assert.deepStrictEqual(violations(kms.kmsKeyMultiRegion, single).length, 1);
        const unlinked = stack.map((r) => (r.name === "replica" ? { ...r, inputsFrom: {} } : r));
        assert.deepStrictEqual(
            findings(kms.kmsKeyMultiRegion, unlinked).map((f) => f.level),
            ["advisory"],
        );
    });

    it("in a preview: judges a literal deletion window and notes an unknown one", () => {
        const found = findings(
            kms.kmsKeyDeletionWindow,
            [
                { type: KMS_KEY, name: "a", props: { deletionWindowInDays: 7, policy: UNKNOWN_INPUT } },
                { type: KMS_KEY, name: "b", props: { deletionWindowInDays: UNKNOWN_INPUT } },
            ],
            CONFIG,
        );
        assert.deepStrictEqual(
            found.map((f) => [f.level, f.resource]),
            [
                ["mandatory", "a"],
                ["advisory", "b"],
            ],
        );
    });
});
