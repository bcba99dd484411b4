import { MutationRow } from "../row";
import { MutableStack } from "../mutable-stack";

const SERVICE = "Pulumi";
const POLICY = "stateful-resources-protected";

/** Unprotects the first resource of `type` (whose name contains `nameContains`). */
const unprotect = (type: string, nameContains?: string) => (s: MutableStack) => {
    s.one(type, nameContains).protect = false;
};

/** What the program protects (lib/resource-options.ts statefulChild), and where. */
const PROTECTED: ReadonlyArray<[string, string, string?, string?]> = [
    ["the lock table", "aws:dynamodb/table:Table"],
    ["the lock table's replica", "aws:dynamodb/tableReplica:TableReplica"],
    ["the data key", "aws:kms/key:Key"],
    ["the replica key", "aws:kms/replicaKey:ReplicaKey"],
    ["the state bucket", "aws:s3/bucket:Bucket", "state-bucket-source"],
    ["the artifact replica bucket", "aws:s3/bucket:Bucket", "artifacts-bucket-replica"],
    ["the state bucket's replication", "aws:s3/bucketReplicationConfig:BucketReplicationConfig"],
    ["the state bucket's versioning", "aws:s3/bucketVersioning:BucketVersioning"],
    [
        "the state bucket's default encryption",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    ],
    ["the state bucket's public access block", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"],
    ["the state bucket's TLS-only policy", "aws:s3/bucketPolicy:BucketPolicy"],
    ["the state bucket's ownership controls", "aws:s3/bucketOwnershipControls:BucketOwnershipControls"],
    [
        "the state bucket's noncurrent-version lifecycle",
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    ],
    ["the home backup vault", "aws:backup/vault:Vault", "home"],
    ["the DR backup vault", "aws:backup/vault:Vault", "dr"],
    ["the vault lock", "aws:backup/vaultLockConfiguration:VaultLockConfiguration"],
    ["the vault policy", "aws:backup/vaultPolicy:VaultPolicy"],
    ["the database", "aws:rds/instance:Instance"],
    [
        "the database's backup replication",
        "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
    ],
    ["the restored DR database", "aws:rds/instance:Instance", undefined, "dr:activated"],
    ["the hot posture's read replica", "aws:rds/instance:Instance", undefined, "dr:hot"],
    ["the promoted read replica", "aws:rds/instance:Instance", undefined, "dr:hot-activated"],
    ["the failback replica", "aws:rds/instance:Instance", "db-home-", "primary:failback"],
];

/** Each resource that holds or guards data, unprotected in Pulumi, once. */
export const PROTECTION_ROWS: readonly MutationRow[] = PROTECTED.map(
    ([what, type, nameContains, configuration]) => ({
        service: SERVICE,
        protection: "stores, their keys, vaults and protecting siblings are protect: true",
        mutation: `${what} without protect`,
        ...(configuration ? { configuration } : {}),
        apply: unprotect(type, nameContains),
        policy: POLICY,
    }),
);
