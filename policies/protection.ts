import { resourcePolicy } from "./lib/define";
import { pick, PolicyObjectives } from "./thresholds";

/**
 * Pulumi's `protect` on everything that holds data or guards it. The program gives those
 * resources `protect` and `retainOnDelete` (lib/resource-options.ts `statefulChild`); the pack
 * can judge only `protect`: the engine's analyzer options carry `protect`, `ignoreChanges`,
 * `deleteBeforeReplace`, `additionalSecretOutputs`, `aliases`, `customTimeouts` and `parent`,
 * but not `retainOnDelete` (`@pulumi/pulumi` proto/analyzer_pb.d.ts, AnalyzerResourceOptions;
 * `@pulumi/policy` PolicyResourceOptions likewise). `retainOnDelete` stays a program convention
 * the component tests check.
 */

/** Stores: what holds the data itself. */
export const STORE_TYPES = [
    "aws:rds/instance:Instance",
    "aws:rds/cluster:Cluster",
    "aws:dynamodb/table:Table",
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketV2:BucketV2",
    "aws:ecr/repository:Repository",
    "aws:ebs/volume:Volume",
    "aws:efs/fileSystem:FileSystem",
    "aws:backup/vault:Vault",
    "aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault",
] as const;

/** Keys without which the data cannot be read. */
export const KEY_TYPES = [
    "aws:kms/key:Key",
    "aws:kms/replicaKey:ReplicaKey",
    "aws:kms/externalKey:ExternalKey",
    "aws:kms/replicaExternalKey:ReplicaExternalKey",
] as const;

/**
 * Siblings whose deletion silently removes a protection of their store: the copies in the DR
 * region (table replica, bucket replication, RDS automated-backup replication), the vault's
 * lock and its deny-delete policy, and the bucket settings the README lists (versioning,
 * default encryption, public access block, ownership controls, the TLS-only policy, the
 * noncurrent-version lifecycle).
 */
export const GUARD_TYPES = [
    "aws:dynamodb/tableReplica:TableReplica",
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:s3/bucketVersioningV2:BucketVersioningV2",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
    "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
    "aws:backup/vaultPolicy:VaultPolicy",
] as const;

/** Every type that must be protected in Pulumi. */
export const STATEFUL_TYPES: readonly string[] = [...STORE_TYPES, ...KEY_TYPES, ...GUARD_TYPES];

/**
 * The store types this file's policy judges the settings of: none. It judges one option of
 * {@link STATEFUL_TYPES}, not their backups or encryption, so it makes no type "checked" for
 * the stores policy (policies/stores.ts).
 */
export const CHECKED_TYPES: readonly string[] = [];

/**
 * Stateful resources protected in Pulumi: with `protect`, `pulumi destroy`, a replacement, or
 * the resource's removal from the program fails instead of deleting data or a protection.
 */
export const statefulResourcesProtected = resourcePolicy<Pick<PolicyObjectives, "disposableStack">>({
    name: "stateful-resources-protected",
    description:
        "Checks whether resources that hold data, or guard it, are protected against deletion in Pulumi.",
    thresholds: pick("disposableStack"),
    types: STATEFUL_TYPES,
    validate: (resource, evaluation, config, args) => {
        // A drill's stores are restored copies the drill destroys once verified; its keys and
        // guards, if it declared any, stay protected.
        const disposable =
            config.disposableStack && (STORE_TYPES as readonly string[]).includes(resource.type);
        if (!disposable && args.opts.protect !== true) {
            evaluation.violation(
                resource,
                "protect",
                `must be true (${resource.type} holds data or guards it: unprotected, a destroy, a replacement or its removal from the program deletes it); it is ${String(args.opts.protect)}.`,
            );
        }
    },
});
