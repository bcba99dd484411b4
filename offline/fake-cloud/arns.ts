import { partitionOf } from "../../lib/regions";
import { FAKE_ACCOUNT_ID, kmsKeyId, secretSuffix, uuid } from "./identifiers";

/** What a resource's ARN is made of. */
export interface ArnContext {
    /** Type token. */
    readonly type: string;
    /** The name AWS knows the resource by. */
    readonly physicalName: string;
    /** The resource's region. */
    readonly region: string;
    /** The resource's id, as ids.ts formed it (EC2 ARNs end with it). */
    readonly id: string;
    /** Inputs and the outputs computed before the ARN. */
    readonly state: Record<string, unknown>;
    /** What the ARN's random parts are derived from. */
    readonly seed: string;
}

/**
 * Types whose pulumi-aws class has no `arn` output (their typings declare none): the fake must
 * not invent one. pulumi-aws-native types name their ARNs themselves (appArn, policyArn).
 */
const WITHOUT_ARN = new Set([
    "aws:backup/restoreTestingSelection:RestoreTestingSelection",
    "aws:backup/selection:Selection",
    "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
    "aws:backup/vaultNotifications:VaultNotifications",
    "aws:backup/vaultPolicy:VaultPolicy",
    "aws:cfg/deliveryChannel:DeliveryChannel",
    "aws:cfg/recorder:Recorder",
    "aws:cfg/recorderStatus:RecorderStatus",
    "aws:ec2/natGateway:NatGateway",
    "aws:ec2/routeTableAssociation:RouteTableAssociation",
    "aws:ec2/securityGroupRule:SecurityGroupRule",
    "aws:ecr/replicationConfiguration:ReplicationConfiguration",
    "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate",
    "aws:eks/accessEntry:AccessEntry",
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
    "aws:route53/record:Record",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketVersioning:BucketVersioning",
]);

/**
 * EC2 ARNs: `arn:partition:ec2:region:account:<resource type>/<id>` (Service Authorization
 * Reference, "Resource types defined by Amazon EC2": vpc/${VpcId}, subnet/${SubnetId},
 * security-group/${SecurityGroupId}, route-table/${RouteTableId},
 * internet-gateway/${InternetGatewayId}, elastic-ip/${AllocationId},
 * vpc-flow-log/${VpcFlowLogId}, launch-template/${LaunchTemplateId},
 * security-group-rule/${SecurityGroupRuleId}).
 */
const EC2_ARN_RESOURCE_TYPES: Readonly<Record<string, string>> = {
    "aws:ec2/vpc:Vpc": "vpc",
    "aws:ec2/subnet:Subnet": "subnet",
    "aws:ec2/securityGroup:SecurityGroup": "security-group",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "security-group",
    "aws:ec2/routeTable:RouteTable": "route-table",
    "aws:ec2/internetGateway:InternetGateway": "internet-gateway",
    "aws:ec2/eip:Eip": "elastic-ip",
    "aws:ec2/flowLog:FlowLog": "vpc-flow-log",
    "aws:ec2/launchTemplate:LaunchTemplate": "launch-template",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "security-group-rule",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "security-group-rule",
};

/**
 * The ARN of a resource, in the format of the Service Authorization Reference ("Resource types
 * defined by <service>") and in the resource's region; `undefined` for types without an `arn`
 * output, and for types whose `arn` is an input (an EventBridge target's, a topic policy's).
 * Types not listed get the service's regional prefix and their name, a shape the ARN test
 * (test/offline/fake-cloud-ids.test.ts) flags.
 */
export function fakeArn(context: ArnContext): string | undefined {
    const { type, physicalName, region, id, state, seed } = context;
    if (WITHOUT_ARN.has(type) || type.startsWith("aws-native:") || typeof state.arn === "string") {
        return undefined;
    }
    const partition = partitionOf(region);
    const service = type.split(":")[1]?.split("/")[0] ?? "unknown";
    const regional = (svc: string) => `arn:${partition}:${svc}:${region}:${FAKE_ACCOUNT_ID}`;
    const ec2Type = EC2_ARN_RESOURCE_TYPES[type];
    if (ec2Type) {
        return `${regional("ec2")}:${ec2Type}/${id}`;
    }
    switch (type) {
        case "aws:s3/bucket:Bucket":
            return `arn:${partition}:s3:::${physicalName}`;
        case "aws:iam/role:Role":
            return `arn:${partition}:iam::${FAKE_ACCOUNT_ID}:role/${physicalName}`;
        case "aws:iam/policy:Policy":
            return `arn:${partition}:iam::${FAKE_ACCOUNT_ID}:policy/${physicalName}`;
        case "aws:kms/key:Key":
        case "aws:kms/replicaKey:ReplicaKey":
            // A replica is the same multi-Region key in the replica's region: same key id.
            return `${regional("kms")}:key/${typeof state.keyId === "string" ? state.keyId : kmsKeyId(seed, false)}`;
        case "aws:kms/alias:Alias":
            return `${regional("kms")}:${physicalName}`;
        case "aws:dynamodb/table:Table":
        case "aws:dynamodb/tableReplica:TableReplica":
            return `${regional("dynamodb")}:table/${physicalName}`;
        case "aws:ecr/repository:Repository":
            return `${regional("ecr")}:repository/${physicalName}`;
        case "aws:eks/nodeGroup:NodeGroup":
            return `${regional("eks")}:nodegroup/${String(state.clusterName)}/${physicalName}/${uuid(seed)}`;
        case "aws:eks/addon:Addon":
            return `${regional("eks")}:addon/${String(state.clusterName)}/${String(state.addonName)}/${uuid(seed)}`;
        case "aws:rds/instance:Instance":
            return `${regional("rds")}:db:${physicalName}`;
        case "aws:rds/subnetGroup:SubnetGroup":
            return `${regional("rds")}:subgrp:${physicalName}`;
        case "aws:rds/parameterGroup:ParameterGroup":
            return `${regional("rds")}:pg:${physicalName}`;
        case "aws:cloudwatch/logGroup:LogGroup":
            // pulumi-aws cloudwatch.LogGroup `arn`: the API's trailing ":*" is removed.
            return `${regional("logs")}:log-group:${physicalName}`;
        case "aws:cloudwatch/metricAlarm:MetricAlarm":
            return `${regional("cloudwatch")}:alarm:${physicalName}`;
        case "aws:cloudwatch/eventRule:EventRule":
            return `${regional("events")}:rule/${physicalName}`;
        case "aws:backup/vault:Vault":
        // An air-gapped vault's ARN has the same `backup-vault:<name>` resource
        // (CreateLogicallyAirGappedBackupVault's BackupVaultArn; the Service Authorization
        // Reference's one `backupVault` resource type for both).
        case "aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault":
            return `${regional("backup")}:backup-vault:${physicalName}`;
        case "aws:backup/plan:Plan":
            return `${regional("backup")}:backup-plan:${id}`;
        case "aws:backup/framework:Framework":
            return `${regional("backup")}:framework:${physicalName}-${uuid(seed)}`;
        case "aws:backup/reportPlan:ReportPlan":
            return `${regional("backup")}:report-plan:${physicalName}-${uuid(seed)}`;
        case "aws:backup/restoreTestingPlan:RestoreTestingPlan":
            return `${regional("backup")}:restore-testing-plan:${physicalName}-${uuid(seed)}`;
        case "aws:codebuild/project:Project":
            return `${regional("codebuild")}:project/${physicalName}`;
        case "aws:sns/topic:Topic":
            return `${regional("sns")}:${physicalName}`;
        case "aws:sns/topicSubscription:TopicSubscription":
            // SNS API Subscribe: SubscriptionArn is the topic's ARN, ":" and a UUID.
            return `${String(state.topic)}:${uuid(seed)}`;
        case "aws:secretsmanager/secret:Secret":
            // Secrets Manager user guide, "Secret ARN": the name, a hyphen and six random characters.
            return `${regional("secretsmanager")}:secret:${physicalName}-${secretSuffix(seed)}`;
        case "aws:resourcegroups/group:Group":
            return `${regional("resource-groups")}:group/${physicalName}`;
        case "aws:route53/healthCheck:HealthCheck":
            // Route 53 is global: arn:aws:route53:::healthcheck/${Id}.
            return `arn:${partition}:route53:::healthcheck/${id}`;
        default:
            return `${regional(service)}:${physicalName}`;
    }
}
