import * as assert from "assert";
import { Policy } from "@pulumi/policy";
import * as ecr from "../../policies/ecr";
import { ECR_REPLICATION, ECR_REPOSITORY, ECR_SCANNING, ECR_TEMPLATE } from "../../policies/ecr";
import { stackPolicy } from "../../policies/lib/define";
import { findings, StackResource, UNKNOWN_INPUT, violations } from "./stack-harness";

const KEY = (region: string) => `arn:aws:kms:${region}:123456789012:key/mrk-0123`;

/** The ECR resources of components/artifact-store.ts: the chart template, registry replication and the replicas' template. */
function compliant(): StackResource[] {
    return [
        { type: "aws:kms/key:Key", name: "key" },
        { type: "aws:kms/replicaKey:ReplicaKey", name: "key-replica", region: "us-west-2" },
        {
            type: ECR_TEMPLATE,
            name: "charts",
            props: {
                prefix: "webank/charts",
                appliedFors: ["CREATE_ON_PUSH"],
                imageTagMutability: "IMMUTABLE",
                encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: KEY("us-east-1") }],
            },
            inputsFrom: { encryptionConfigurations: ["key"] },
        },
        {
            type: ECR_REPLICATION,
            name: "replication",
            props: {
                replicationConfiguration: {
                    rules: [
                        {
                            destinations: [{ region: "us-west-2", registryId: "123456789012" }],
                            repositoryFilters: [{ filter: "webank/", filterType: "PREFIX_MATCH" }],
                        },
                    ],
                },
            },
        },
        {
            type: ECR_TEMPLATE,
            name: "replicas",
            region: "us-west-2",
            props: {
                prefix: "webank",
                appliedFors: ["REPLICATION"],
                imageTagMutability: "IMMUTABLE",
                encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: KEY("us-west-2") }],
            },
            inputsFrom: { encryptionConfigurations: ["key-replica"] },
        },
    ];
}

/** The compliant stack with `name` changed (removed when `change` returns undefined), or with `added` besides. */
function variant(name: string, change: (r: StackResource) => StackResource | undefined): StackResource[] {
    return compliant().flatMap((r) =>
        r.name === name ? [change(r)].filter((c): c is StackResource => !!c) : [r],
    );
}
const withProps = (props: Record<string, unknown>) => (r: StackResource) => ({
    ...r,
    props: { ...r.props, ...props },
});
const rule = (change: Record<string, unknown>) =>
    variant("replication", (r) => ({
        ...r,
        props: {
            replicationConfiguration: {
                rules: [
                    { ...(r.props!.replicationConfiguration as { rules: object[] }).rules[0], ...change },
                ],
            },
        },
    }));
const REPOSITORY: StackResource = {
    type: ECR_REPOSITORY,
    name: "repo",
    props: {
        name: "webank/app",
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: KEY("us-east-1") }],
    },
};

const CASES: Array<[Policy, Array<[string, StackResource[], string, RegExp]>]> = [
    [
        ecr.ecrRepositoryTagImmutability,
        [
            [
                "mutable charts",
                variant("charts", withProps({ imageTagMutability: "MUTABLE" })),
                "charts",
                /^imageTagMutability: must be "IMMUTABLE"/,
            ],
            [
                "replicas left to the default",
                variant("replicas", withProps({ imageTagMutability: undefined })),
                "replicas",
                /unset/,
            ],
            [
                "some tags mutable",
                variant("charts", withProps({ imageTagMutability: "IMMUTABLE_WITH_EXCLUSION" })),
                "charts",
                /IMMUTABLE_WITH_EXCLUSION/,
            ],
            [
                "a mutable repository",
                [
                    ...compliant(),
                    { ...REPOSITORY, props: { ...REPOSITORY.props, imageTagMutability: "MUTABLE" } },
                ],
                "repo",
                /IMMUTABLE/,
            ],
        ],
    ],
    [
        ecr.ecrRepositoryForceDeleteDisabled,
        [
            [
                "forceDelete",
                [...compliant(), { ...REPOSITORY, props: { ...REPOSITORY.props, forceDelete: true } }],
                "repo",
                /^forceDelete: must be false/,
            ],
        ],
    ],
    [
        ecr.ecrRepositoryKmsEncryption,
        [
            [
                "AES256",
                variant("charts", withProps({ encryptionConfigurations: [{ encryptionType: "AES256" }] })),
                "charts",
                /encryptionType: must be "KMS"/,
            ],
            [
                "the AWS managed key",
                variant("charts", withProps({ encryptionConfigurations: [{ encryptionType: "KMS" }] })),
                "charts",
                /kmsKey: ECR encryption must use a customer managed KMS key/,
            ],
            [
                "no encryption on the replicas",
                variant("replicas", withProps({ encryptionConfigurations: undefined })),
                "replicas",
                /^encryptionConfigurations: must hold one/,
            ],
        ],
    ],
    [
        ecr.ecrRegistryReplicated,
        [
            [
                "no replication",
                variant("replication", () => undefined),
                "charts",
                /^aws:ecr\/replicationConfiguration:ReplicationConfiguration: must be declared/,
            ],
            [
                "to the home region",
                rule({ destinations: [{ region: "us-east-1", registryId: "1" }] }),
                "replication",
                /must hold a rule replicating webank\/charts\/\*/,
            ],
            [
                "another namespace",
                rule({ repositoryFilters: [{ filter: "other/", filterType: "PREFIX_MATCH" }] }),
                "replication",
                /webank\/charts/,
            ],
            [
                "a repository outside the filter",
                [...compliant(), { ...REPOSITORY, props: { ...REPOSITORY.props, name: "tools/app" } }],
                "replication",
                /tools\/app\*/,
            ],
        ],
    ],
    [
        ecr.ecrRegistryReplicaTemplate,
        [
            [
                "no template for replicas",
                variant("replicas", () => undefined),
                "replication",
                /^aws:ecr\/repositoryCreationTemplate:RepositoryCreationTemplate: must be declared for the replicas in "us-west-2"/,
            ],
            [
                "the template in the home region",
                variant("replicas", (r) => ({ ...r, region: "us-east-1" })),
                "replication",
                /must be declared/,
            ],
            [
                "the template not for replication",
                variant("replicas", withProps({ appliedFors: ["PULL_THROUGH_CACHE"] })),
                "replication",
                /must be declared/,
            ],
            [
                "the template for another namespace",
                variant("replicas", withProps({ prefix: "other" })),
                "replication",
                /must be declared/,
            ],
        ],
    ],
    [
        ecr.ecrRepositoryScanOnPush,
        [
            [
                "no scan on push",
                [
                    ...compliant(),
                    { ...REPOSITORY, props: { ...REPOSITORY.props, imageScanningConfiguration: undefined } },
                ],
                "repo",
                /^imageScanningConfiguration\.scanOnPush: must be true/,
            ],
        ],
    ],
];

describe("policies: ECR", () => {
    for (const [policy, cases] of CASES) {
        describe(policy.name, () => {
            it("passes what components/artifact-store.ts declares, and a compliant repository", () => {
                assert.deepStrictEqual(findings(policy, compliant()), []);
                assert.deepStrictEqual(findings(policy, [...compliant(), REPOSITORY]), []);
            });
            for (const [what, stack, culprit, pattern] of cases) {
                it(`fails: ${what}, on ${culprit}`, () => {
                    const found = violations(policy, stack);
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
                assert.match(policy.name, /^ecr-(repository|registry)(-[a-z0-9]+)+$/);
                assert.match(policy.description ?? "", /^Checks whether /);
            });
        });
    }

    it("accepts a repository scanned by a registry rule in its region, and judges templates' repositories by that rule", () => {
        const scanning: StackResource = {
            type: ECR_SCANNING,
            name: "scanning",
            props: {
                scanType: "BASIC",
                rules: [
                    {
                        scanFrequency: "SCAN_ON_PUSH",
                        repositoryFilters: [{ filter: "webank/*", filterType: "WILDCARD" }],
                    },
                ],
            },
        };
        const repo = { ...REPOSITORY, props: { ...REPOSITORY.props, imageScanningConfiguration: undefined } };
        assert.deepStrictEqual(violations(ecr.ecrRepositoryScanOnPush, [repo, scanning]), []);
        assert.strictEqual(
            violations(ecr.ecrRepositoryScanOnPush, [repo, { ...scanning, region: "us-west-2" }]).length,
            1,
        );
        const templates = stackPolicy({
            name: "t-t-t",
            description: "d",
            validate: (args, e) => ecr.judgeCreateOnPushScanning(args, e),
        });
        assert.deepStrictEqual(violations(templates, [...compliant(), scanning]), []);
        assert.deepStrictEqual(violations(templates, compliant()), [
            'charts: aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration: must be declared: a RegistryScanningConfiguration in this template\'s region with a SCAN_ON_PUSH rule whose filter matches "webank/charts/*" (a creation template cannot turn scanning on for the repositories it creates).',
        ]);
    });

    it("in a preview: accepts an unknown key computed from a key of the stack, and judges the literals around it", () => {
        const unknownKeys = compliant().map((r) =>
            r.type === ECR_TEMPLATE
                ? {
                      ...r,
                      props: {
                          ...r.props,
                          encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: UNKNOWN_INPUT }],
                      },
                  }
                : r,
        );
        assert.deepStrictEqual(findings(ecr.ecrRepositoryKmsEncryption, unknownKeys), []);
        const aes = unknownKeys.map((r) =>
            r.name === "charts"
                ? {
                      ...r,
                      props: {
                          ...r.props,
                          encryptionConfigurations: [{ encryptionType: "AES256", kmsKey: UNKNOWN_INPUT }],
                      },
                  }
                : r,
        );
        assert.strictEqual(violations(ecr.ecrRepositoryKmsEncryption, aes).length, 1);
        const unlinked = unknownKeys.map((r) => (r.name === "charts" ? { ...r, inputsFrom: {} } : r));
        assert.deepStrictEqual(
            findings(ecr.ecrRepositoryKmsEncryption, unlinked).map((f) => f.level),
            ["advisory"],
        );
    });
});
