import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { BACKUP_TAG } from "../lib/tags";
import { resourcePolicy, stackPolicy } from "./lib/define";
import { Subject } from "./lib/evaluation";
import { requireCustomerKey } from "./lib/keys";
import { describe, isUnknown, UNKNOWN, valueAt } from "./lib/values";

/**
 * The Kubernetes side of the cluster's data: the StorageClass every persistent volume comes
 * from, encrypted with the customer key, retained when its claim goes, tagged for AWS Backup.
 * (Argo CD's export CronJob: policies/argocd-export.ts.)
 */

/** The StorageClass, and its older API version: the same object to the API server. */
export const STORAGE_CLASS_TYPES = [
    "kubernetes:storage.k8s.io/v1:StorageClass",
    "kubernetes:storage.k8s.io/v1beta1:StorageClass",
] as const;
/** Server-side-apply patches of a StorageClass: judged on what they set. */
export const STORAGE_CLASS_PATCH_TYPES = [
    "kubernetes:storage.k8s.io/v1:StorageClassPatch",
    "kubernetes:storage.k8s.io/v1beta1:StorageClassPatch",
] as const;
/** The StorageClass type the program declares. */
export const STORAGE_CLASS = STORAGE_CLASS_TYPES[0];
/** Every type these policies judge (for the stores policy, which refuses types nothing judges). */
export const CHECKED_TYPES: readonly string[] = [...STORAGE_CLASS_TYPES, ...STORAGE_CLASS_PATCH_TYPES];

/** The EBS CSI driver, whose StorageClass parameters these policies read (aws-ebs-csi-driver docs/parameters.md). */
export const EBS_CSI_PROVISIONER = "ebs.csi.aws.com";
/** The annotations that make a StorageClass the default (Kubernetes "Change the default StorageClass"; the beta one is still honoured). */
const DEFAULT_CLASS_ANNOTATIONS = [
    "storageclass.kubernetes.io/is-default-class",
    "storageclass.beta.kubernetes.io/is-default-class",
];

const isOneOf = (types: readonly string[], type: string) => types.includes(type);
/** Whether a type is a server-side-apply patch (`<Kind>Patch`), which sets only some fields. */
export const isPatch = (type: string) => type.endsWith("Patch");

/** Whether a StorageClass (or a patch) marks its class the cluster's default. */
function marksDefault(props: unknown): boolean {
    const annotations = valueAt(props, "metadata.annotations");
    return (
        annotations !== null &&
        typeof annotations === "object" &&
        DEFAULT_CLASS_ANNOTATIONS.some((a) => (annotations as Record<string, unknown>)[a] === "true")
    );
}

/**
 * Whether `property` of a StorageClass object is judged: always on a StorageClass, and on a
 * patch when the patch sets it or makes the class the default (the pack cannot see the rest of
 * a class it did not declare, so a patch that makes one the default must carry every protection).
 */
function judged(resource: Subject, property: string): boolean {
    return (
        !isPatch(resource.type) ||
        marksDefault(resource.props) ||
        valueAt(resource.props, property) !== undefined
    );
}

/**
 * Volumes encrypted with the customer managed key. Every StorageClass is judged, not only the
 * default one, since a claim may name any class. The EBS CSI driver encrypts only with
 * `encrypted: "true"`, and without `kmsKeyId` it uses the account's default EBS key, the AWS
 * managed `aws/ebs` (aws-ebs-csi-driver docs/parameters.md, `encrypted`, `kmsKeyId`); another
 * provisioner (the in-tree `kubernetes.io/aws-ebs`, EFS) takes other parameters that no policy
 * here judges, so it is refused.
 */
export const kubernetesStorageClassEncrypted = stackPolicy({
    name: "kubernetes-storageclass-encrypted",
    description:
        "Checks whether every StorageClass provisions EBS volumes through the EBS CSI driver, encrypted with a customer managed KMS key.",
    validate: (args, evaluation) => {
        const classes = args.resources.filter(
            (r) => isOneOf(STORAGE_CLASS_TYPES, r.type) || isOneOf(STORAGE_CLASS_PATCH_TYPES, r.type),
        );
        for (const storageClass of classes) {
            if (judged(storageClass, "provisioner")) {
                evaluation.requireEqual(
                    storageClass,
                    "provisioner",
                    EBS_CSI_PROVISIONER,
                    "only the EBS CSI driver's encryption and tagging parameters are judged by this pack",
                );
            }
            if (judged(storageClass, "parameters.encrypted")) {
                evaluation.requireEqual(
                    storageClass,
                    "parameters.encrypted",
                    "true",
                    "the EBS CSI driver encrypts a volume only when this parameter is the string true",
                );
            }
            if (judged(storageClass, "parameters.kmsKeyId")) {
                requireCustomerKey(evaluation, storageClass, "parameters.kmsKeyId", "EBS volume encryption");
            }
        }
    },
});

/**
 * Volumes kept when their claim is deleted: `reclaimPolicy` defaults to `Delete` (Kubernetes
 * "Storage Classes", Reclaim policy), which deletes the EBS volume, and its data, with the
 * PersistentVolumeClaim.
 */
export const kubernetesStorageClassRetain = resourcePolicy({
    name: "kubernetes-storageclass-retain",
    description: "Checks whether every StorageClass retains its volumes when their claims are deleted.",
    types: [...STORAGE_CLASS_TYPES, ...STORAGE_CLASS_PATCH_TYPES],
    validate: (storageClass, evaluation) => {
        if (judged(storageClass, "reclaimPolicy")) {
            evaluation.requireEqual(
                storageClass,
                "reclaimPolicy",
                "Retain",
                "the default, Delete, deletes the EBS volume and its data with the claim",
            );
        }
    },
});

/** The `tagSpecification_<n>` parameters of a StorageClass, by name; UNKNOWN when the parameters are. */
function tagSpecifications(props: unknown): Array<[string, unknown]> | typeof UNKNOWN {
    const parameters = valueAt(props, "parameters");
    if (isUnknown(parameters)) {
        return UNKNOWN;
    }
    if (parameters === null || typeof parameters !== "object") {
        return [];
    }
    return Object.keys(parameters)
        .filter((key) => /^tagSpecification_\d+$/.test(key))
        .map((key) => [key, valueAt(props, `parameters.${key}`)]);
}

/**
 * Volumes tagged so AWS Backup selects them: the backup plan selects EBS volumes by
 * {@link BACKUP_TAG} (lib/tags.ts), and the EBS CSI driver tags each volume it creates with
 * every `tagSpecification_<n>: "key=value"` parameter (aws-ebs-csi-driver docs/tagging.md).
 */
export const kubernetesStorageClassBackupTag = resourcePolicy({
    name: "kubernetes-storageclass-backup-tag",
    description:
        "Checks whether every StorageClass tags its volumes with the tag AWS Backup selects them by.",
    types: [...STORAGE_CLASS_TYPES, ...STORAGE_CLASS_PATCH_TYPES],
    validate: (storageClass, evaluation) => {
        if (!judged(storageClass, "parameters")) {
            return;
        }
        const wanted = `${BACKUP_TAG.key}=${BACKUP_TAG.value}`;
        const tags = tagSpecifications(storageClass.props);
        if (tags === UNKNOWN) {
            evaluation.unknown(storageClass, "parameters");
            return;
        }
        const matches = (value: unknown) =>
            typeof value === "string" &&
            value
                .split("=")
                .map((s) => s.trim())
                .join("=") === wanted;
        if (tags.some(([, value]) => matches(value))) {
            return;
        }
        const unknown = tags.filter(([, value]) => isUnknown(value));
        if (unknown.length > 0) {
            unknown.forEach(([key]) => evaluation.unknown(storageClass, `parameters.${key}`));
            return;
        }
        evaluation.violation(
            storageClass,
            "parameters.tagSpecification_1",
            `a tagSpecification_<n> parameter must be "${wanted}" (AWS Backup selects the volumes by that tag; untagged volumes are never backed up); the tags are ${describe(Object.fromEntries(tags))}.`,
        );
    },
});

/** Resources that are applied to a cluster: any Kubernetes resource but a provider. */
function kubernetesResources(args: StackValidationArgs): PolicyResource[] {
    return args.resources.filter((r) => r.type.startsWith("kubernetes:"));
}

/**
 * A default StorageClass declared wherever the stack applies Kubernetes resources: a claim
 * that names no class gets the default one, and without this program's default it gets a class
 * nothing here judges (one the cluster came with, or a later default) or none at all.
 */
export const kubernetesStorageClassDefault = stackPolicy({
    name: "kubernetes-storageclass-default",
    description:
        "Checks whether a stack that applies Kubernetes resources declares the cluster's default StorageClass.",
    validate: (args, evaluation) => {
        const applied = kubernetesResources(args);
        if (applied.length === 0) {
            return;
        }
        const classes = args.resources.filter((r) => isOneOf(STORAGE_CLASS_TYPES, r.type));
        if (classes.some((c) => marksDefault(c.props))) {
            return;
        }
        const undecided = classes.filter((c) => isUnknown(valueAt(c.props, "metadata.annotations")));
        if (undecided.length > 0) {
            undecided.forEach((c) => evaluation.unknown(c, "metadata.annotations"));
            return;
        }
        evaluation.violation(
            classes[0] ?? applied[0],
            classes[0] ? "metadata.annotations" : STORAGE_CLASS,
            `the stack must declare its cluster's default StorageClass (annotation ${DEFAULT_CLASS_ANNOTATIONS[0]}: "true"), so that claims naming no class get encrypted, retained, backed-up volumes; ${classes.length} StorageClass(es) declared, none the default.`,
        );
    },
});
