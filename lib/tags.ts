/**
 * Tag keys the project sets on every resource. AWS Backup selections, cost reports and the
 * runbook find resources by these keys, so they are spelled in this one place.
 */
export const TAG_KEYS = {
    /** The Pulumi project that owns the resource. */
    project: "webank:project",
    /** The Pulumi stack that owns the resource. */
    stack: "webank:stack",
    /** The role of that stack: `primary` or `dr`. */
    role: "webank:role",
    /** Always `pulumi`: tells an operator not to change the resource by hand. */
    managedBy: "webank:managed-by",
    /** The asset class whose objectives apply to the resource's data (see lib/objectives.ts). */
    assetClass: "webank:asset-class",
} as const;

/** Tag key prefix that AWS reserves; user tags may not use it. */
export const RESERVED_TAG_PREFIX = "aws:";

/** Longest tag key AWS accepts. */
export const MAX_TAG_KEY_LENGTH = 128;

/** Longest tag value AWS accepts. */
export const MAX_TAG_VALUE_LENGTH = 256;

/**
 * The tag AWS Backup selects resources by: every EBS volume the cluster's StorageClass
 * creates carries it, and the backup plan's tag selection matches it.
 */
export const BACKUP_TAG = { key: "webank:backup", value: "true" } as const;

/**
 * The AWS Backup selection of every EBS volume that carries {@link BACKUP_TAG} (the cluster's
 * StorageClass tags each volume it provisions), in any zone of the plan's region: one rule
 * for the primary's plan and the activated DR stack's, so a volume made after a failover is
 * backed up as one made at home.
 */
export function taggedVolumeSelection(partition: string): {
    resources: string[];
    conditions: { stringEquals: { key: string; value: string }[] }[];
} {
    return {
        resources: [`arn:${partition}:ec2:*:*:volume/*`],
        conditions: [
            { stringEquals: [{ key: `aws:ResourceTag/${BACKUP_TAG.key}`, value: BACKUP_TAG.value }] },
        ],
    };
}
