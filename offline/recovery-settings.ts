/**
 * For each resource type, the input paths that matter for recovery: what the plan prints
 * next to each resource so a reviewer can see versioning, encryption, replication, PITR and
 * deletion protection at a glance. Paths are dotted; `[0]` picks an element, `[*]` all.
 */
export const RECOVERY_SETTINGS: Readonly<Record<string, readonly string[]>> = {
    "pulumi:providers:aws": ["region"],
    "aws:kms/key:Key": ["multiRegion", "enableKeyRotation", "deletionWindowInDays"],
    "aws:kms/replicaKey:ReplicaKey": ["primaryKeyArn", "deletionWindowInDays"],
    "aws:kms/alias:Alias": ["name"],
    "aws:s3/bucket:Bucket": ["bucket", "forceDestroy"],
    "aws:s3/bucketVersioning:BucketVersioning": ["versioningConfiguration.status"],
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": [
        "rules[0].applyServerSideEncryptionByDefault.sseAlgorithm",
        "rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId",
        "rules[0].bucketKeyEnabled",
    ],
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": [
        "blockPublicAcls",
        "blockPublicPolicy",
        "ignorePublicAcls",
        "restrictPublicBuckets",
    ],
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": ["rule.objectOwnership"],
    "aws:s3/bucketPolicy:BucketPolicy": ["policy.Statement[*].Sid"],
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": [
        "rules[*].noncurrentVersionExpiration.noncurrentDays",
        "rules[*].abortIncompleteMultipartUpload.daysAfterInitiation",
    ],
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": [
        "rules[0].status",
        "rules[0].destination.bucket",
        "rules[0].deleteMarkerReplication.status",
        "rules[0].destination.replicationTime.status",
        "rules[0].destination.encryptionConfiguration.replicaKmsKeyId",
    ],
    "aws:dynamodb/table:Table": [
        "name",
        "hashKey",
        "pointInTimeRecovery.enabled",
        "pointInTimeRecovery.recoveryPeriodInDays",
        "deletionProtectionEnabled",
        "serverSideEncryption.enabled",
        "serverSideEncryption.kmsKeyArn",
    ],
    "aws:dynamodb/tableReplica:TableReplica": [
        "pointInTimeRecovery",
        "deletionProtectionEnabled",
        "kmsKeyArn",
    ],
    "aws:ecr/repository:Repository": [
        "name",
        "imageTagMutability",
        "encryptionConfigurations[0].encryptionType",
    ],
    "aws:ecr/replicationConfiguration:ReplicationConfiguration": [
        "replicationConfiguration.rules[0].destinations[*].region",
        "replicationConfiguration.rules[0].repositoryFilters[*].filter",
    ],
    "aws:ec2/vpc:Vpc": ["cidrBlock"],
    "aws:ec2/subnet:Subnet": ["cidrBlock", "availabilityZone", "mapPublicIpOnLaunch"],
    "aws:ec2/flowLog:FlowLog": ["trafficType"],
    "aws:cloudwatch/logGroup:LogGroup": ["retentionInDays", "kmsKeyId"],
    "aws:rds/parameterGroup:ParameterGroup": ["family", "parameters[*].name"],
    "aws:rds/instance:Instance": [
        "identifier",
        "engine",
        "engineVersion",
        "multiAz",
        "storageEncrypted",
        "kmsKeyId",
        "backupRetentionPeriod",
        "deletionProtection",
        "skipFinalSnapshot",
        "deleteAutomatedBackups",
        "manageMasterUserPassword",
        "restoreToPointInTime",
        "snapshotIdentifier",
    ],
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": [
        "sourceDbInstanceArn",
        "retentionPeriod",
        "kmsKeyId",
    ],
    "pulumi:pulumi:StackReference": ["name"],
    "eks:index:Cluster": [
        "name",
        "version",
        "endpointPrivateAccess",
        "endpointPublicAccess",
        "authenticationMode",
        "enabledClusterLogTypes",
        "encryptionConfigKeyArn",
        "createOidcProvider",
        "deletionProtection",
    ],
    "aws:eks/nodeGroup:NodeGroup": ["instanceTypes", "scalingConfig"],
    "aws:eks/addon:Addon": ["addonName"],
    "kubernetes:storage.k8s.io/v1:StorageClass": [
        "metadata.annotations",
        "parameters.type",
        "parameters.encrypted",
        "parameters.tagSpecification_1",
        "reclaimPolicy",
    ],
    "kubernetes:helm.sh/v3:Release": ["chart", "version", "maxHistory"],
    "kubernetes:argoproj.io/v1alpha1:Application": ["spec.source.repoURL", "spec.source.targetRevision"],
    "kubernetes:batch/v1:CronJob": ["spec.schedule"],
    "aws:cloudwatch/metricAlarm:MetricAlarm": ["metricName", "threshold", "treatMissingData"],
    "aws:sns/topic:Topic": ["kmsMasterKeyId"],
    "aws:cloudwatch/eventRule:EventRule": ["scheduleExpression"],
    "aws:codebuild/project:Project": ["environment.environmentVariables[*].type", "encryptionKey"],
    "aws:route53/healthCheck:HealthCheck": [
        "type",
        "fqdn",
        "resourcePath",
        "requestInterval",
        "failureThreshold",
    ],
    "aws:route53/record:Record": [
        "name",
        "type",
        "setIdentifier",
        "failoverRoutingPolicies",
        "ttl",
        "records",
    ],
    "aws:secretsmanager/secret:Secret": ["name", "kmsKeyId"],
    "aws:backup/vault:Vault": ["name", "kmsKeyArn"],
    "aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault": [
        "name",
        "minRetentionDays",
        "maxRetentionDays",
        "encryptionKeyArn",
    ],
    "aws:backup/vaultLockConfiguration:VaultLockConfiguration": [
        "minRetentionDays",
        "maxRetentionDays",
        "changeableForDays",
    ],
    "aws:backup/vaultPolicy:VaultPolicy": ["policy.Statement[*].Sid"],
    "aws:backup/plan:Plan": [
        "rules[*].ruleName",
        "rules[*].schedule",
        "rules[*].enableContinuousBackup",
        "rules[*].lifecycle.deleteAfter",
        "rules[*].copyActions[*].destinationVaultArn",
        "rules[*].copyActions[*].lifecycle.deleteAfter",
    ],
    "aws:backup/selection:Selection": ["resources", "conditions"],
    "aws:backup/framework:Framework": ["controls[*].name"],
    "aws:backup/restoreTestingPlan:RestoreTestingPlan": [
        "scheduleExpression",
        "recoveryPointSelection.algorithm",
    ],
    "aws:backup/restoreTestingSelection:RestoreTestingSelection": ["protectedResourceType"],
    "aws-native:resiliencehub:ResiliencyPolicy": ["tier", "policy"],
    "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate": [
        "prefix",
        "appliedFors",
        "imageTagMutability",
        "encryptionConfigurations[0].encryptionType",
    ],
};

/**
 * Reads `path` from `value`. JSON strings met on the way (IAM and bucket policies) are
 * parsed, so a path can reach inside a policy document. Returns `undefined` when absent.
 */
export function readPath(value: unknown, path: string): unknown {
    const steps = path.match(/[^.[\]]+|\[(\d+|\*)\]/g) ?? [];
    let current: unknown[] = [value];
    let fannedOut = false;
    for (const step of steps) {
        const next: unknown[] = [];
        for (let item of current) {
            if (typeof item === "string" && (item.startsWith("{") || item.startsWith("["))) {
                try {
                    item = JSON.parse(item);
                } catch {
                    // Not JSON after all: leave it as a string.
                }
            }
            if (step === "[*]") {
                fannedOut = true;
                if (Array.isArray(item)) {
                    next.push(...(item as unknown[]));
                }
            } else if (step.startsWith("[")) {
                if (Array.isArray(item)) {
                    next.push(item[Number(step.slice(1, -1))]);
                }
            } else if (item !== null && typeof item === "object") {
                next.push((item as Record<string, unknown>)[step]);
            }
        }
        current = next.filter((v) => v !== undefined);
    }
    if (fannedOut) {
        return current.length > 0 ? current : undefined;
    }
    return current[0];
}
