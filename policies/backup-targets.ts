import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { BackupResourceKind } from "../lib/backup-rules";
import { referencedBy, regionOf, resourcesOfType } from "./lib/graph";
import { isUnknown, listAt, UNKNOWN, valueAt } from "./lib/values";
import { EKS_CLUSTER, EKS_COMPONENT } from "./eks";
import { RDS_INSTANCE } from "./rds";
import { names, S3_BUCKET_TYPES, S3_REPLICATION } from "./s3-links";
import { ArnShape, kindOfArn, Match, or, Protectable, selectionsOf, selects } from "./backup-selection";

/**
 * What AWS Backup must protect in a stack: its stores (RDS instances, DynamoDB tables, S3
 * buckets other than replicas, EKS clusters) and the EBS volumes its StorageClasses provision, each with its
 * ARN as far as known and its tags; and the kinds of resource each plan backs up, from what
 * its selections select (see backup-selection.ts).
 */

/** The DynamoDB table type. */
export const DYNAMODB_TABLE = "aws:dynamodb/table:Table";
/** The Kubernetes StorageClass type: the EBS volumes it provisions are stores too. */
export const STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass";
/** Provisioners whose StorageClass makes EBS volumes (the EBS CSI driver, and the in-tree one it replaced). */
export const EBS_PROVISIONERS = ["ebs.csi.aws.com", "kubernetes.io/aws-ebs"] as const;

/** The store types, by the kind of resource AWS Backup protects. */
export const STORE_TYPES: Readonly<Record<Exclude<BackupResourceKind, "ebs">, readonly string[]>> = {
    rds: [RDS_INSTANCE],
    dynamodb: [DYNAMODB_TABLE],
    s3: S3_BUCKET_TYPES,
    // Both types a preview shows (policies/eks.ts); either is selected by the cluster's ARN.
    eks: [EKS_COMPONENT, EKS_CLUSTER],
};

function tagsOf(resource: PolicyResource, path = "tags"): Readonly<Record<string, unknown>> | typeof UNKNOWN {
    const own = valueAt(resource.props, path);
    const defaults = valueAt(resource.provider?.props, "defaultTags.tags");
    if (isUnknown(own) || isUnknown(defaults)) {
        return UNKNOWN;
    }
    const record = (value: unknown) =>
        value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
    return { ...record(defaults), ...record(own) };
}

function knownString(props: unknown, path: string): string | undefined {
    const value = valueAt(props, path);
    return typeof value === "string" && value.length > 0 ? value : undefined;
}

function regionName(resource: PolicyResource): string | undefined {
    const region = regionOf(resource);
    return typeof region === "string" ? region : undefined;
}

/** The tags a StorageClass puts on each volume: its `tagSpecification_<n>` parameters, `key=value` (EBS CSI driver, "Tagging"). */
function storageClassTags(storageClass: PolicyResource): Readonly<Record<string, unknown>> | typeof UNKNOWN {
    const parameters = valueAt(storageClass.props, "parameters");
    if (isUnknown(parameters)) {
        return UNKNOWN;
    }
    const tags: Record<string, unknown> = {};
    for (const [key, value] of Object.entries((parameters ?? {}) as Record<string, unknown>)) {
        if (/^tagSpecification_\d+$/i.test(key)) {
            if (isUnknown(value)) {
                return UNKNOWN;
            }
            const [tagKey, ...rest] = String(value).split("=");
            tags[tagKey.trim()] = rest.join("=").trim();
        }
    }
    return tags;
}

/** Whether a StorageClass provisions EBS volumes. */
export function provisionsEbs(storageClass: PolicyResource): boolean {
    const provisioner = valueAt(storageClass.props, "provisioner");
    return isUnknown(provisioner) || (EBS_PROVISIONERS as readonly unknown[]).includes(provisioner);
}

/**
 * Buckets that are replicas: the destination of a replication configuration (linked through
 * its `rules` input, and named by a rule's destination when that is known) that is not itself
 * the source of one. A replica is the copy; it needs no backup of its own.
 */
export function replicaBuckets(args: StackValidationArgs): Set<string> {
    const configs = resourcesOfType(args, S3_REPLICATION);
    const buckets = resourcesOfType(args, ...S3_BUCKET_TYPES);
    const isSource = (bucket: PolicyResource) => configs.some((config) => names(config, bucket));
    const replicas = new Set<string>();
    for (const config of configs) {
        const destinations = listAt(config.props, "rules");
        const named = (bucket: PolicyResource) => {
            if (destinations === UNKNOWN) {
                return true;
            }
            return destinations.some((_, i) =>
                names(config, bucket, `rules[${i}].destination.bucket`, "rules"),
            );
        };
        for (const bucket of buckets) {
            const linked = referencedBy(config, "rules").some((d) => d.urn === bucket.urn);
            if (linked && named(bucket) && !names(config, bucket) && !isSource(bucket)) {
                replicas.add(bucket.urn);
            }
        }
    }
    return replicas;
}

function storeShape(resource: PolicyResource, kind: Exclude<BackupResourceKind, "ebs">): ArnShape {
    switch (kind) {
        case "rds":
            return {
                service: "rds",
                region: regionName(resource),
                prefix: "db:",
                id: knownString(resource.props, "identifier"),
            };
        case "dynamodb":
            return {
                service: "dynamodb",
                region: regionName(resource),
                prefix: "table/",
                id: knownString(resource.props, "name"),
            };
        case "s3":
            return { service: "s3", region: "", prefix: "", id: knownString(resource.props, "bucket") };
        case "eks":
            // arn:aws:eks:<region>:<account>:cluster/<name> (components/cluster.ts clusterArn).
            return {
                service: "eks",
                region: regionName(resource),
                prefix: "cluster/",
                id: knownString(resource.props, "name"),
            };
    }
}

/** Everything in the stack AWS Backup must protect: stores (replica buckets left out unless asked for) and EBS StorageClasses. */
export function protectables(
    args: StackValidationArgs,
    options: { withReplicas?: boolean } = {},
): Protectable[] {
    const replicas = options.withReplicas ? new Set<string>() : replicaBuckets(args);
    const found: Protectable[] = [];
    for (const kind of Object.keys(STORE_TYPES) as Exclude<BackupResourceKind, "ebs">[]) {
        for (const resource of resourcesOfType(args, ...STORE_TYPES[kind])) {
            if (!replicas.has(resource.urn)) {
                found.push({ resource, kind, arn: storeShape(resource, kind), tags: tagsOf(resource) });
            }
        }
    }
    for (const storageClass of resourcesOfType(args, STORAGE_CLASS).filter(provisionsEbs)) {
        found.push({
            resource: storageClass,
            kind: "ebs",
            arn: { service: "ec2", region: undefined, prefix: "volume/", id: undefined },
            tags: storageClassTags(storageClass),
        });
    }
    return found;
}

/**
 * The kinds of resource a plan backs up, each with how sure that is: `yes` (or `maybe`) when
 * a selection of the plan selects a store of that kind, or names an ARN of that kind outside
 * this stack; `unknown` when only an unknown value could make it so.
 */
export function planKinds(args: StackValidationArgs, plan: PolicyResource): Map<BackupResourceKind, Match> {
    const kinds = new Map<BackupResourceKind, Match>();
    const add = (kind: BackupResourceKind, match: Match) => {
        if (match !== "no") {
            kinds.set(kind, or(kinds.get(kind) ?? "no", match === "maybe" ? "yes" : match));
        }
    };
    const targets = protectables(args, { withReplicas: true });
    for (const selection of selectionsOf(args, plan)) {
        targets.forEach((target) => add(target.kind, selects(selection, target)));
        const entries = listAt(selection.props, "resources");
        for (const entry of entries === UNKNOWN ? [] : entries) {
            const kind = typeof entry === "string" && !isUnknown(entry) ? kindOfArn(entry) : undefined;
            if (kind) {
                add(kind, "yes");
            }
        }
    }
    return kinds;
}
