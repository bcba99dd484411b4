import { partitionOf } from "../../lib/regions";
import { ec2Id, FAKE_ACCOUNT_ID, hex, terraformUniqueId, uuid } from "./identifiers";

/*
 * A resource's `id` is what Pulumi keeps in state and what other resources receive when the
 * program passes `resource.id`. For each type the provider fixes it; the source is cited per
 * entry. pulumi-aws documents most of them in the "Import" section of the resource's typings
 * (node_modules/@pulumi/aws/<service>/<resource>.d.ts: "import X using the `id`/`name`/..."),
 * and test/offline/fake-cloud-ids.test.ts checks each id the plan holds against that section.
 */

/**
 * The property Pulumi fills in when the program sets none (Pulumi docs, "Resource names":
 * auto-naming), for the types the program leaves unnamed. The real name is the logical name
 * plus a random suffix; the fake keeps the logical name, so plans stay readable and the same
 * from run to run.
 */
const AUTONAMED: Readonly<Record<string, string>> = {
    "aws:cloudwatch/eventRule:EventRule": "name",
    "aws:cloudwatch/logGroup:LogGroup": "name",
    "aws:cloudwatch/metricAlarm:MetricAlarm": "name",
    "aws:codebuild/project:Project": "name",
    "aws:dynamodb/table:Table": "name",
    "aws:ec2/launchTemplate:LaunchTemplate": "name",
    "aws:ec2/securityGroup:SecurityGroup": "name",
    "aws:eks/nodeGroup:NodeGroup": "nodeGroupName",
    "aws:iam/policy:Policy": "name",
    "aws:iam/role:Role": "name",
    "aws:iam/rolePolicy:RolePolicy": "name",
    "aws:rds/instance:Instance": "identifier",
    "aws:rds/parameterGroup:ParameterGroup": "name",
    "aws:rds/subnetGroup:SubnetGroup": "name",
    "aws:s3/bucket:Bucket": "bucket",
    "aws:secretsmanager/secret:Secret": "name",
    "aws:sns/topic:Topic": "name",
};

/** The name AWS knows the resource by: its name input (or the auto-name Pulumi gives it), else the logical name. */
export function physicalNameOf(type: string, name: string, inputs: Record<string, unknown>): string {
    if (type === "aws:dynamodb/tableReplica:TableReplica" && typeof inputs.globalTableArn === "string") {
        // A replica is the same table in another region.
        return inputs.globalTableArn.split("/").pop() ?? name;
    }
    if (type === "aws-native:resiliencehub:ResiliencyPolicy" && typeof inputs.policyName === "string") {
        return inputs.policyName;
    }
    const explicit = inputs[AUTONAMED[type] ?? "name"] ?? inputs.bucket ?? inputs.identifier ?? inputs.name;
    return typeof explicit === "string" ? explicit : name;
}

/** The auto-named property, as the provider returns it, when the program set none. */
export function autonamedOutputs(
    type: string,
    physicalName: string,
    inputs: Record<string, unknown>,
): Record<string, string> {
    const property = AUTONAMED[type];
    return property && inputs[property] === undefined ? { [property]: physicalName } : {};
}

/**
 * EC2 ids: a prefix and 17 hex characters (EC2 user guide, "Resource IDs"). Each type's prefix
 * is the one its pulumi-aws Import example shows (vpc-a01106c2, subnet-9d4a7b6c, sg-903004f8,
 * rtb-4e616f6d69, igw-c0a643a9, nat-05dba92075d71c408, eipalloc-00a10e96, fl-1a2b3c4d,
 * sgr-02108b27edd666983). A launch template's id is lt-... (EC2 API CreateLaunchTemplate:
 * LaunchTemplateId, e.g. lt-01238c059e3466abc); a route table association's is its
 * AssociationId, rtbassoc-... (terraform-provider-aws ec2/vpc_route_table_association.go sets
 * it, and its importer resolves `subnet-id/rtb-id` to it).
 */
const EC2_PREFIXES: Readonly<Record<string, string>> = {
    "aws:ec2/vpc:Vpc": "vpc",
    "aws:ec2/subnet:Subnet": "subnet",
    "aws:ec2/securityGroup:SecurityGroup": "sg",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "sg",
    "aws:ec2/routeTable:RouteTable": "rtb",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "rtbassoc",
    "aws:ec2/internetGateway:InternetGateway": "igw",
    "aws:ec2/natGateway:NatGateway": "nat",
    "aws:ec2/eip:Eip": "eipalloc",
    "aws:ec2/flowLog:FlowLog": "fl",
    "aws:ec2/launchTemplate:LaunchTemplate": "lt",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr",
};

/** The EC2 id prefix of `type`, if it is an EC2 resource with one. */
export function ec2PrefixOf(type: string): string | undefined {
    return EC2_PREFIXES[type];
}

/**
 * Ids that are one of the resource's own properties (pulumi-aws Import sections: "import ...
 * using the `<property>`"; where pulumi-aws renames the property, the entry says so).
 */
const ID_PROPERTY: Readonly<Record<string, string>> = {
    "aws:backup/framework:Framework": "name", // "the `id` which corresponds to the name"
    "aws:backup/reportPlan:ReportPlan": "name", // "the `id` which corresponds to the name"
    "aws:backup/restoreTestingPlan:RestoreTestingPlan": "name",
    "aws:backup/vault:Vault": "name",
    // "import Backup vault lock configuration / notifications / policy using the `name`": the vault's.
    "aws:backup/vaultLockConfiguration:VaultLockConfiguration": "backupVaultName",
    "aws:backup/vaultNotifications:VaultNotifications": "backupVaultName",
    "aws:backup/vaultPolicy:VaultPolicy": "backupVaultName",
    "aws:cfg/deliveryChannel:DeliveryChannel": "name",
    "aws:cfg/recorder:Recorder": "name",
    "aws:cfg/recorderStatus:RecorderStatus": "name",
    // An EventBridge rule on the default bus: the rule name alone (terraform-provider-aws
    // events/id.go ruleCreateResourceID omits the default bus).
    "aws:cloudwatch/eventRule:EventRule": "name",
    "aws:cloudwatch/logGroup:LogGroup": "name",
    "aws:cloudwatch/metricAlarm:MetricAlarm": "name", // the alarm's `alarmName`, `name` in pulumi-aws
    // CodeBuild: created projects get their ARN as id (terraform-provider-aws codebuild/project.go:
    // d.SetId(Project.Arn); "Identity Schema: arn").
    "aws:codebuild/project:Project": "arn",
    "aws:dynamodb/table:Table": "name",
    "aws:ecr/replicationConfiguration:ReplicationConfiguration": "registryId",
    "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate": "prefix",
    "aws:iam/policy:Policy": "arn",
    "aws:iam/role:Role": "name",
    "aws:kms/alias:Alias": "name",
    "aws:kms/key:Key": "keyId",
    "aws:kms/replicaKey:ReplicaKey": "keyId",
    // Since AWS provider 5.0 an instance's id is its DBI resource id, not its identifier
    // (terraform-provider-aws CHANGELOG 5.0.0, #31232).
    "aws:rds/instance:Instance": "resourceId",
    "aws:rds/parameterGroup:ParameterGroup": "name",
    "aws:rds/subnetGroup:SubnetGroup": "name",
    "aws:resourcegroups/group:Group": "name",
    "aws:s3/bucket:Bucket": "bucket",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": "bucket",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": "bucket",
    "aws:s3/bucketPolicy:BucketPolicy": "bucket",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "bucket",
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": "bucket",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": "bucket",
    "aws:s3/bucketVersioning:BucketVersioning": "bucket",
    "aws:secretsmanager/secret:Secret": "arn",
    "aws:sns/topic:Topic": "arn",
    "aws:sns/topicPolicy:TopicPolicy": "arn", // the topic's ARN
    "aws:sns/topicSubscription:TopicSubscription": "arn",
    // Cloud Control resources: the id is the type's primary identifier (pulumi-aws-native; the
    // CloudFormation schemas of AWS::ResilienceHub::App and ::ResiliencyPolicy name AppArn and PolicyArn).
    "aws-native:resiliencehub:App": "appArn",
    "aws-native:resiliencehub:ResiliencyPolicy": "policyArn",
};

/** What a resource's id is made of. */
export interface IdContext {
    /** Type token. */
    readonly type: string;
    /** Logical name. */
    readonly name: string;
    /** The resource's region. */
    readonly region: string;
    /** Every property the resource has before its id: inputs, auto-names, computed outputs. */
    readonly state: Record<string, unknown>;
    /** What the id's random part is derived from: the same for the same resource in the same region. */
    readonly seed: string;
}

/** Thrown when a property an id is formed from is missing (unknown in a preview): the id stays a placeholder. */
class MissingProperty extends Error {}

/** A string property of the state; a missing one would make an invented id. */
function property(context: IdContext, key: string): string {
    const value = context.state[key];
    if (typeof value !== "string") {
        throw new MissingProperty(`${context.type} "${context.name}" has no ${key}`);
    }
    return value;
}

/** Ids composed of several properties, each with its source. */
const COMPOSED: Readonly<Record<string, (context: IdContext) => string>> = {
    // pulumi-aws Import: `role_name:role_policy_name`.
    "aws:iam/rolePolicy:RolePolicy": (c) => `${property(c, "role")}:${property(c, "name")}`,
    // terraform-provider-aws iam/role_policy_attachment.go: PrefixedUniqueId("<role>-").
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (c) =>
        terraformUniqueId(`${property(c, "role")}-`, c.seed),
    // pulumi-aws Import: `clusterName` and `nodeGroupName` separated by a colon.
    "aws:eks/nodeGroup:NodeGroup": (c) => `${property(c, "clusterName")}:${property(c, "nodeGroupName")}`,
    // terraform-provider-aws eks/addon.go: AddonCreateResourceID joins cluster and add-on names with ":".
    "aws:eks/addon:Addon": (c) => `${property(c, "clusterName")}:${property(c, "addonName")}`,
    // pulumi-aws Import: `clusterName` and `principalArn` separated by a colon.
    "aws:eks/accessEntry:AccessEntry": (c) => `${property(c, "clusterName")}:${property(c, "principalArn")}`,
    // pulumi-aws Import: `clusterName`, `principalArn` and `policyArn` separated by `#`.
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": (c) =>
        `${property(c, "clusterName")}#${property(c, "principalArn")}#${property(c, "policyArn")}`,
    // pulumi-aws Import: `table-name:main-region`, the region of the global table's first table.
    "aws:dynamodb/tableReplica:TableReplica": (c) => {
        const [, , , mainRegion, , table] = property(c, "globalTableArn").split(/[:/]/);
        return `${table}:${mainRegion}`;
    },
    // pulumi-aws Import: `name:restore_testing_plan_name`.
    "aws:backup/restoreTestingSelection:RestoreTestingSelection": (c) =>
        `${property(c, "name")}:${property(c, "restoreTestingPlanName")}`,
    // terraform-provider-aws events/target.go targetCreateResourceID: rule and target id joined
    // by "-" on the default bus (the importer alone reads "rule/target-id").
    "aws:cloudwatch/eventTarget:EventTarget": (c) => `${property(c, "rule")}-${property(c, "targetId")}`,
    // AWS Backup returns the ids of plans and selections (CreateBackupPlan BackupPlanId,
    // CreateBackupSelection SelectionId, which terraform-provider-aws backup/selection.go sets as
    // the id; its importer splits `planId|id`); both are UUIDs in AWS's responses.
    "aws:backup/plan:Plan": (c) => uuid(c.seed),
    "aws:backup/selection:Selection": (c) => uuid(c.seed),
    // Route 53 API HealthCheck.Id: a UUID (pulumi-aws Import example abcdef11-2222-3333-4444-555555fedcba).
    "aws:route53/healthCheck:HealthCheck": (c) => uuid(c.seed),
    // The replicated backups' ARN in the destination region (pulumi-aws Import: "using the `arn`"):
    // auto-backup:ab-<lower-case alphanumerics> (RDS user guide, "Replicating automated backups to
    // another AWS Region", whose example id has 26 characters after ab-).
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": (c) =>
        `arn:${partitionOf(c.region)}:rds:${c.region}:${FAKE_ACCOUNT_ID}:auto-backup:ab-${hex(c.seed, 26)}`,
    // pulumi-aws Import: zone id, record name and type (and set identifier) separated by "_".
    "aws:route53/record:Record": (c) =>
        [property(c, "zoneId"), property(c, "name"), property(c, "type"), c.state.setIdentifier]
            .filter((part) => typeof part === "string")
            .join("_"),
};

/**
 * The id the provider gives a resource of `context.type`, or `undefined` for types this fake
 * does not know and for ids whose parts are unknown (the engine then uses a placeholder, which
 * the id test flags).
 */
export function resourceId(context: IdContext): string | undefined {
    const prefix = EC2_PREFIXES[context.type];
    if (prefix) {
        return ec2Id(prefix, context.seed);
    }
    const composed = COMPOSED[context.type];
    const key = ID_PROPERTY[context.type];
    try {
        return composed ? composed(context) : key ? property(context, key) : undefined;
    } catch (error) {
        if (error instanceof MissingProperty) {
            return undefined;
        }
        throw error;
    }
}

/** The id every resource of an unknown type gets: plainly a placeholder, never an AWS shape. */
export function placeholderId(name: string): string {
    return `${name}-id`;
}
