import { stackPolicy } from "./lib/define";

/**
 * No unknown stores. The pack's policies key on type tokens, so a store declared as a type
 * they do not judge (an Aurora cluster instead of an instance, `s3.BucketV2`, an aws-native
 * bucket or table, an EFS file system) would pass with no violation at all. This policy
 * closes that door by default: in a service that holds data, every type must be one the pack
 * judges ({@link CHECKED_STORE_TYPES}) or one it knows holds no data
 * ({@link DATALESS_TYPES}: the stores' settings and wiring). Any other type in those services
 * is refused until a policy for it is written.
 */

/**
 * Services whose resources can hold data, by module of the `aws` provider (`aws:<module>/...`)
 * and of `aws-native` (`aws-native:<module>:...`): databases, object, block and file storage,
 * caches with persistence, streams and queues that retain records, backup vaults, keys (the
 * data is unreadable without them) and image registries.
 */
export const DATA_SERVICES = [
    "rds",
    "docdb",
    "docdbelastic",
    "neptune",
    "neptunegraph",
    "redshift",
    "redshiftserverless",
    "dsql",
    "dynamodb",
    "dax",
    "keyspaces",
    "qldb",
    "timestreamwrite",
    "timestreaminfluxdb",
    "s3",
    "s3express",
    "s3tables",
    "s3outposts",
    "glacier",
    "efs",
    "fsx",
    "ebs",
    "storagegateway",
    "elasticache",
    "memorydb",
    "opensearch",
    "opensearchserverless",
    "elasticsearch",
    "kinesis",
    "msk",
    "mq",
    "sqs",
    "backup",
    "kms",
    "ecr",
    "lightsail",
] as const;

/** Kubernetes types that hold data outside the StorageClass the pack checks (`kubernetes:<group>/<version>:<Kind>`). */
export const KUBERNETES_DATA_KINDS = ["PersistentVolume", "PersistentVolumeClaim", "StatefulSet"] as const;

/** The store types the pack's policies judge by value. */
export const CHECKED_STORE_TYPES: readonly string[] = [
    "aws:rds/instance:Instance",
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
    "aws:dynamodb/table:Table",
    "aws:dynamodb/tableReplica:TableReplica",
    "aws:s3/bucket:Bucket",
    "aws:backup/vault:Vault",
    "aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault",
    "aws:kms/key:Key",
    "aws:kms/replicaKey:ReplicaKey",
    "aws:ecr/repository:Repository",
];

/**
 * Types of those services that hold no data: the settings and wiring of the stores (each read
 * by the policies of its store where it carries a protection), and the backup machinery.
 */
export const DATALESS_TYPES: readonly string[] = [
    "aws:rds/subnetGroup:SubnetGroup",
    "aws:rds/parameterGroup:ParameterGroup",
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    "aws:kms/alias:Alias",
    "aws:ecr/replicationConfiguration:ReplicationConfiguration",
    "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate",
    "aws:ecr/lifecyclePolicy:LifecyclePolicy",
    "aws:ecr/repositoryPolicy:RepositoryPolicy",
    "aws:backup/plan:Plan",
    "aws:backup/selection:Selection",
    "aws:backup/vaultPolicy:VaultPolicy",
    "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
    "aws:backup/vaultNotifications:VaultNotifications",
    "aws:backup/framework:Framework",
    "aws:backup/reportPlan:ReportPlan",
    "aws:backup/restoreTestingPlan:RestoreTestingPlan",
    "aws:backup/restoreTestingSelection:RestoreTestingSelection",
];

/** The data service of a type token, or undefined when the type is not in one. */
export function dataServiceOf(type: string): string | undefined {
    const [pkg, rest] = type.split(":");
    if (pkg === "kubernetes") {
        const kind = type.split(":").pop() ?? "";
        return (KUBERNETES_DATA_KINDS as readonly string[]).includes(kind) ? "kubernetes" : undefined;
    }
    if (pkg !== "aws" && pkg !== "aws-native") {
        return undefined;
    }
    const module = (rest ?? "").split("/")[0];
    return (DATA_SERVICES as readonly string[]).includes(module) ? module : undefined;
}

/** Refuses every type of a data service that the pack neither judges nor knows to hold no data. */
export const storesChecked = stackPolicy({
    name: "stores-checked",
    description:
        "Checks whether every resource of a service that can hold data is of a type the pack judges (or knows to hold no data).",
    validate: (args, evaluation) => {
        for (const resource of args.resources) {
            const service = dataServiceOf(resource.type);
            if (
                service !== undefined &&
                !CHECKED_STORE_TYPES.includes(resource.type) &&
                !DATALESS_TYPES.includes(resource.type)
            ) {
                evaluation.violation(
                    resource,
                    "type",
                    `${resource.type} can hold data (${service}) and no policy of this pack judges its backups, encryption or protection; declare a type the pack checks (${CHECKED_STORE_TYPES.filter((t) => dataServiceOf(t) === service).join(", ") || "none in this service"}) or add policies for it first.`,
                );
            }
        }
    },
});
