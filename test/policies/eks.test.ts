/* eslint-disable @typescript-eslint/no-explicit-any -- fixtures are untyped JSON inputs, edited in place by each case */
import * as assert from "assert";
import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { CONTROL_PLANE_LOG_TYPES } from "../../components/cluster";
import * as eks from "../../policies/eks";
import { UnevaluatedError } from "../../policies/lib/evaluation";
import { findings, StackResource, UNKNOWN_INPUT, violations } from "./stack-harness";

const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/mrk-1";
const key: StackResource = { type: "aws:kms/key:Key", name: "key" };

const component = (change: (props: any) => void = () => undefined): StackResource => {
    const props: any = {
        name: "webank-primary",
        endpointPrivateAccess: true,
        endpointPublicAccess: false,
        enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
        encryptionConfigKeyArn: KEY_ARN,
        deletionProtection: true,
    };
    change(props);
    return { type: eks.EKS_COMPONENT, name: "eks", props, inputsFrom: { encryptionConfigKeyArn: ["key"] } };
};
const awsCluster = (change: (props: any) => void = () => undefined): StackResource => {
    const props: any = {
        name: "webank-primary",
        enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
        encryptionConfig: { provider: { keyArn: KEY_ARN }, resources: ["secrets"] },
        deletionProtection: true,
    };
    change(props);
    return { type: eks.EKS_CLUSTER, name: "cluster", props, inputsFrom: { encryptionConfig: ["key"] } };
};

describe("policies/eks: both the pulumi-eks component and the AWS cluster", () => {
    const policies = [
        eks.eksClusterSecretsEncryption,
        eks.eksClusterControlPlaneLogging,
        eks.eksClusterDeletionProtection,
    ];

    it("passes the cluster the program declares, and the AWS cluster pulumi-eks makes of it", () => {
        for (const policy of policies) {
            assert.deepStrictEqual(findings(policy, [key, component(), awsCluster()]), [], policy.name);
        }
    });

    const broken: Array<[string, StackResource, string, RegExp]> = [
        [
            "no secrets key on the component",
            component((p) => delete p.encryptionConfigKeyArn),
            "eks-cluster-secrets-encryption",
            /^eks: encryptionConfigKeyArn: Kubernetes secrets encryption must use a customer managed KMS key.*it is unset/,
        ],
        [
            "an AWS managed alias",
            component((p) => (p.encryptionConfigKeyArn = "alias/aws/eks")),
            "eks-cluster-secrets-encryption",
            /^eks: encryptionConfigKeyArn:/,
        ],
        [
            "no encryptionConfig on the AWS cluster",
            awsCluster((p) => delete p.encryptionConfig),
            "eks-cluster-secrets-encryption",
            /^cluster: encryptionConfig.resources: must include "secrets"/,
        ],
        [
            "encryptionConfig without secrets",
            awsCluster((p) => (p.encryptionConfig.resources = [])),
            "eks-cluster-secrets-encryption",
            /^cluster: encryptionConfig.resources:/,
        ],
        [
            "the audit log off",
            component(
                (p) =>
                    (p.enabledClusterLogTypes = p.enabledClusterLogTypes.filter(
                        (t: string) => t !== "audit",
                    )),
            ),
            "eks-cluster-control-plane-logging",
            /^eks: enabledClusterLogTypes: must enable every control-plane log type .*missing audit/,
        ],
        [
            "logging unset on the AWS cluster",
            awsCluster((p) => delete p.enabledClusterLogTypes),
            "eks-cluster-control-plane-logging",
            /^cluster: enabledClusterLogTypes: .*it is unset/,
        ],
        [
            "deletion protection off",
            component((p) => (p.deletionProtection = false)),
            "eks-cluster-deletion-protection",
            /^eks: deletionProtection: must be true .*it is false/,
        ],
        [
            "deletion protection unset on the AWS cluster",
            awsCluster((p) => delete p.deletionProtection),
            "eks-cluster-deletion-protection",
            /^cluster: deletionProtection: .*it is unset/,
        ],
    ];
    for (const [what, cluster, name, message] of broken) {
        it(`${name} fails: ${what}`, () => {
            const policy = policies.find((p) => p.name === name)!;
            const found = violations(policy, [key, cluster]);
            assert.ok(found.length >= 1 && message.test(found[0]), JSON.stringify(found));
        });
    }

    it("in a preview: accepts the component's key computed from this stack's key, notes one that is not", () => {
        const preview = component((p) => (p.encryptionConfigKeyArn = UNKNOWN_INPUT));
        assert.deepStrictEqual(findings(eks.eksClusterSecretsEncryption, [key, preview]), []);
        const found = findings(eks.eksClusterSecretsEncryption, [{ ...preview, inputsFrom: {} }]);
        assert.deepStrictEqual(
            found.map((f) => f.level),
            ["advisory"],
        );
    });

    it("in a preview: judges deletion protection while the key is unknown", () => {
        const preview = component((p) => {
            p.encryptionConfigKeyArn = UNKNOWN_INPUT;
            p.deletionProtection = false;
        });
        assert.deepStrictEqual(
            findings(eks.eksClusterDeletionProtection, [preview]).map((f) => f.level),
            ["mandatory"],
        );
        const logs = component((p) => (p.enabledClusterLogTypes = UNKNOWN_INPUT));
        assert.deepStrictEqual(
            findings(eks.eksClusterControlPlaneLogging, [logs]).map((f) => f.level),
            ["advisory"],
        );
    });

    it("judges the AWS cluster of a component by the component's input while its encryptionConfig is unknown", () => {
        const parent = { type: eks.EKS_COMPONENT, urn: "urn:c", props: { encryptionConfigKeyArn: KEY_ARN } };
        const child = (parentResource?: unknown) =>
            ({
                type: eks.EKS_CLUSTER,
                urn: "urn:child",
                name: "child",
                props: { encryptionConfig: UNKNOWN_INPUT },
                propertyDependencies: {},
                dependencies: [],
                parent: parentResource,
            }) as unknown as PolicyResource;
        const run = (resources: PolicyResource[]) => {
            const reported: string[] = [];
            const args = { resources, getConfig: () => ({}) } as unknown as StackValidationArgs;
            try {
                void eks.eksClusterSecretsEncryption.validateStack(args, (m) => reported.push(m));
            } catch (error) {
                return [...reported, (error as Error).name];
            }
            return reported;
        };
        assert.deepStrictEqual(run([child(parent)]), []);
        assert.deepStrictEqual(run([child()]), [new UnevaluatedError([]).name]);
    });

    it("names every policy eks-cluster-<check>, mandatory, described as a check", () => {
        for (const policy of policies) {
            assert.strictEqual(policy.enforcementLevel, "mandatory");
            assert.match(policy.name, /^eks-cluster(-[a-z0-9]+)+$/);
            assert.match(policy.description, /^Checks whether /);
        }
    });
});
