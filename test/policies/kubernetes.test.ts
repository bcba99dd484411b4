/* eslint-disable @typescript-eslint/no-explicit-any -- fixtures are untyped JSON inputs, edited in place by each case */
import * as assert from "assert";
import * as kubernetes from "../../policies/kubernetes";
import { findings, StackResource, UNKNOWN_INPUT, violations } from "./stack-harness";

const KEY = "aws:kms/key:Key";
const SC = kubernetes.STORAGE_CLASS;
const RELEASE = "kubernetes:helm.sh/v3:Release";
const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/mrk-1";

const storageClass = (change: (props: any) => void = () => undefined, name = "sc"): StackResource => {
    const props: any = {
        metadata: {
            name: "gp3-encrypted",
            annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
        },
        provisioner: "ebs.csi.aws.com",
        parameters: {
            type: "gp3",
            encrypted: "true",
            kmsKeyId: KEY_ARN,
            tagSpecification_1: "webank:backup=true",
        },
        reclaimPolicy: "Retain",
        volumeBindingMode: "WaitForFirstConsumer",
    };
    change(props);
    return { type: SC, name, props, inputsFrom: { parameters: ["key"] } };
};
const key: StackResource = { type: KEY, name: "key" };

const argocd: StackResource = {
    type: RELEASE,
    name: "argocd",
    props: { name: "argocd", chart: "argo-cd", version: "9.1.0", namespace: "argocd" },
};

describe("policies/kubernetes: the StorageClass", () => {
    it("passes the class the program declares", () => {
        for (const policy of [
            kubernetes.kubernetesStorageClassEncrypted,
            kubernetes.kubernetesStorageClassRetain,
            kubernetes.kubernetesStorageClassBackupTag,
            kubernetes.kubernetesStorageClassDefault,
        ]) {
            assert.deepStrictEqual(findings(policy, [key, storageClass()]), [], policy.name);
        }
    });

    const broken: Array<[string, (p: any) => void, string, RegExp]> = [
        [
            "encryption off",
            (p) => (p.parameters.encrypted = "false"),
            "kubernetes-storageclass-encrypted",
            /^sc: parameters.encrypted: must be "true"/,
        ],
        [
            "encryption removed",
            (p) => delete p.parameters.encrypted,
            "kubernetes-storageclass-encrypted",
            /parameters.encrypted: .*it is unset/,
        ],
        [
            "no customer key",
            (p) => delete p.parameters.kmsKeyId,
            "kubernetes-storageclass-encrypted",
            /parameters.kmsKeyId: EBS volume encryption must use a customer managed KMS key/,
        ],
        [
            "the AWS managed key",
            (p) => (p.parameters.kmsKeyId = "alias/aws/ebs"),
            "kubernetes-storageclass-encrypted",
            /parameters.kmsKeyId:/,
        ],
        [
            "in-tree provisioner",
            (p) => (p.provisioner = "kubernetes.io/aws-ebs"),
            "kubernetes-storageclass-encrypted",
            /provisioner: must be "ebs.csi.aws.com"/,
        ],
        [
            "Delete",
            (p) => (p.reclaimPolicy = "Delete"),
            "kubernetes-storageclass-retain",
            /^sc: reclaimPolicy: must be "Retain" .*it is "Delete"/,
        ],
        [
            "reclaimPolicy unset",
            (p) => delete p.reclaimPolicy,
            "kubernetes-storageclass-retain",
            /reclaimPolicy: .*it is unset/,
        ],
        [
            "tag removed",
            (p) => delete p.parameters.tagSpecification_1,
            "kubernetes-storageclass-backup-tag",
            /parameters.tagSpecification_1: a tagSpecification_<n> parameter must be "webank:backup=true"/,
        ],
        [
            "tag value changed",
            (p) => (p.parameters.tagSpecification_1 = "webank:backup=false"),
            "kubernetes-storageclass-backup-tag",
            /must be "webank:backup=true"/,
        ],
        [
            "default annotation removed",
            (p) => delete p.metadata.annotations,
            "kubernetes-storageclass-default",
            /^sc: metadata.annotations: the stack must declare its cluster's default StorageClass/,
        ],
    ];
    const byName = Object.fromEntries(
        Object.values(kubernetes)
            .filter((v): v is any => typeof v === "object" && v !== null && "enforcementLevel" in v)
            .map((p) => [p.name, p]),
    );
    for (const [what, change, policy, message] of broken) {
        it(`${policy} fails: ${what}`, () => {
            const found = violations(byName[policy], [key, storageClass(change)]);
            assert.strictEqual(found.length, 1, JSON.stringify(found));
            assert.match(found[0], message);
        });
    }

    it("accepts a tag among others, in any tagSpecification_<n>", () => {
        const sc = storageClass((p) => {
            p.parameters.tagSpecification_1 = "team=platform";
            p.parameters.tagSpecification_2 = " webank:backup = true ";
        });
        assert.deepStrictEqual(findings(kubernetes.kubernetesStorageClassBackupTag, [sc]), []);
    });

    it("judges every class, not only the default one", () => {
        const other = storageClass((p) => {
            p.metadata = { name: "scratch" };
            p.reclaimPolicy = "Delete";
            p.parameters = { type: "gp3" };
        }, "scratch");
        assert.deepStrictEqual(
            violations(kubernetes.kubernetesStorageClassRetain, [storageClass(), other]).length,
            1,
        );
        assert.strictEqual(
            violations(kubernetes.kubernetesStorageClassBackupTag, [storageClass(), other]).length,
            1,
        );
        assert.strictEqual(
            violations(kubernetes.kubernetesStorageClassEncrypted, [key, storageClass(), other]).length,
            2,
        );
    });

    it("requires a default class where the stack applies Kubernetes resources, and not elsewhere", () => {
        assert.deepStrictEqual(
            violations(kubernetes.kubernetesStorageClassDefault, [argocd]).map((v) =>
                v.split(": ").slice(0, 2).join(": "),
            ),
            [`argocd: ${SC}`],
        );
        assert.deepStrictEqual(violations(kubernetes.kubernetesStorageClassDefault, [key]), []);
    });

    it("judges a patch on what it sets, and a patch that makes a class the default on everything", () => {
        const patch = (props: any): StackResource => ({
            type: "kubernetes:storage.k8s.io/v1:StorageClassPatch",
            name: "patch",
            props,
        });
        assert.deepStrictEqual(
            violations(kubernetes.kubernetesStorageClassRetain, [patch({ metadata: { name: "x" } })]),
            [],
        );
        assert.strictEqual(
            violations(kubernetes.kubernetesStorageClassRetain, [patch({ reclaimPolicy: "Delete" })]).length,
            1,
        );
        const makesDefault = patch({
            metadata: { name: "gp2", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
        });
        assert.strictEqual(violations(kubernetes.kubernetesStorageClassRetain, [makesDefault]).length, 1);
        assert.strictEqual(violations(kubernetes.kubernetesStorageClassBackupTag, [makesDefault]).length, 1);
        assert.strictEqual(violations(kubernetes.kubernetesStorageClassEncrypted, [makesDefault]).length, 3);
    });

    it("in a preview: accepts a key computed from this stack's key, judges the literals, notes the rest", () => {
        const preview = storageClass((p) => (p.parameters.kmsKeyId = UNKNOWN_INPUT));
        assert.deepStrictEqual(findings(kubernetes.kubernetesStorageClassEncrypted, [key, preview]), []);
        const unlinked = {
            ...storageClass((p) => {
                p.parameters.kmsKeyId = UNKNOWN_INPUT;
                p.parameters.encrypted = "false";
            }),
            inputsFrom: {},
        };
        const found = findings(kubernetes.kubernetesStorageClassEncrypted, [unlinked]);
        assert.deepStrictEqual(
            found.map((f) => f.level),
            ["mandatory", "advisory"],
        );
        assert.match(found[0].message, /^parameters.encrypted:/);
        assert.match(found[1].message, /not judged in this preview.*parameters.kmsKeyId/);
        const unknownTags = storageClass((p) => (p.parameters = UNKNOWN_INPUT));
        const tagFindings = findings(kubernetes.kubernetesStorageClassBackupTag, [unknownTags]);
        assert.deepStrictEqual(
            tagFindings.map((f) => f.level),
            ["advisory"],
        );
    });
});

describe("policies/kubernetes: every policy", () => {
    for (const policy of Object.values(kubernetes).filter(
        (v): v is any => typeof v === "object" && v !== null && "enforcementLevel" in v,
    )) {
        it(`${policy.name} is mandatory, named kubernetes-<resource>-<check>, described as a check`, () => {
            assert.strictEqual(policy.enforcementLevel, "mandatory");
            assert.match(policy.name, /^kubernetes(-[a-z0-9]+){2,}$/);
            assert.match(policy.description, /^Checks whether /);
        });
    }
});
