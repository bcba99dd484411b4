/**
 * The arguments of `aws:rds/instance:Instance` whose change replaces the instance: the ForceNew
 * fields of the bridged provider's `aws_db_instance` schema (terraform-provider-aws
 * internal/service/rds/instance.go, ResourceInstance, as forked by pulumi/terraform-provider-aws
 * at 0c2894b8868a3ee891c8d2666e711159c56fcc59), in pulumi-aws's camelCase. pulumi-aws ships no
 * copy of the schema in node_modules (only the typings), so the list is written here, cited.
 * `identifier` is not among them: the provider renames in place (ModifyDBInstance
 * NewDBInstanceIdentifier). `replicateSourceDb`, `manageMasterUserPassword` and
 * `masterUserSecretKmsKeyId` are not ForceNew: a change of the source to "" promotes
 * (resourceInstanceUpdate, PromoteReadReplica), the others are sent in a ModifyDBInstance.
 */
export const RDS_INSTANCE_FORCE_NEW: readonly string[] = [
    "availabilityZone",
    "backupTarget",
    "characterSetName",
    "customIamInstanceProfile",
    "dbName",
    "engine",
    "kmsKeyId",
    "ncharCharacterSetName",
    "restoreToPointInTime",
    "s3Import",
    "snapshotIdentifier",
    "storageEncrypted",
    "timezone",
    "username",
];

/**
 * The inputs that differ between two declarations of an instance, and those of them that would
 * replace it ({@link RDS_INSTANCE_FORCE_NEW}); a property absent from one side differs too.
 */
export function instanceDifferences(
    before: Readonly<Record<string, unknown>>,
    after: Readonly<Record<string, unknown>>,
): { readonly differing: string[]; readonly replacing: string[] } {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    const differing = keys.filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
    return { differing, replacing: differing.filter((key) => RDS_INSTANCE_FORCE_NEW.includes(key)) };
}
