import { DYNAMODB_TABLE, DYNAMODB_TABLE_REPLICA } from "../../../policies/dynamodb";
import { MutationRow } from "../row";

const SERVICE = "DynamoDB";
const PITR = "dynamodb-table-pitr";
const KEY = "dynamodb-table-customer-key";
const REPLICA = "dynamodb-table-replica";

/** The lock table's protections the README claims, each removed in every way it can be. */
export const DYNAMODB_ROWS: readonly MutationRow[] = [
    {
        service: SERVICE,
        protection: "lock table PITR on",
        mutation: "pointInTimeRecovery.enabled false",
        apply: (s) => s.set(s.one(DYNAMODB_TABLE), "pointInTimeRecovery.enabled", false),
        policy: PITR,
    },
    {
        service: SERVICE,
        protection: "lock table PITR on",
        mutation: "pointInTimeRecovery block removed (the provider's default: off)",
        apply: (s) => s.unset(s.one(DYNAMODB_TABLE), "pointInTimeRecovery"),
        policy: PITR,
    },
    {
        service: SERVICE,
        protection: "lock table PITR window of webank:pitrRetentionDays (35 days)",
        mutation: "recoveryPeriodInDays 35 to 1",
        apply: (s) => s.set(s.one(DYNAMODB_TABLE), "pointInTimeRecovery.recoveryPeriodInDays", 1),
        policy: PITR,
    },
    {
        service: SERVICE,
        protection: "lock table PITR window of webank:pitrRetentionDays (35 days)",
        mutation: "recoveryPeriodInDays one day below the configured window",
        apply: (s) =>
            s.update(
                s.one(DYNAMODB_TABLE),
                "pointInTimeRecovery.recoveryPeriodInDays",
                (days) => Number(days) - 1,
            ),
        policy: PITR,
    },
    {
        service: SERVICE,
        protection: "lock table deletion protection",
        mutation: "deletionProtectionEnabled false",
        apply: (s) => s.set(s.one(DYNAMODB_TABLE), "deletionProtectionEnabled", false),
        policy: "dynamodb-table-deletion-protection",
    },
    {
        service: SERVICE,
        protection: "lock table deletion protection",
        mutation: "deletionProtectionEnabled removed (the provider's default: false)",
        apply: (s) => s.unset(s.one(DYNAMODB_TABLE), "deletionProtectionEnabled"),
        policy: "dynamodb-table-deletion-protection",
    },
    {
        service: SERVICE,
        protection: "lock table SSE-KMS with the customer managed data key",
        mutation: "serverSideEncryption.enabled false (an AWS owned key)",
        apply: (s) => s.set(s.one(DYNAMODB_TABLE), "serverSideEncryption.enabled", false),
        policy: KEY,
    },
    {
        service: SERVICE,
        protection: "lock table SSE-KMS with the customer managed data key",
        mutation: "serverSideEncryption.kmsKeyArn dropped (DynamoDB would use aws/dynamodb)",
        apply: (s) => s.unset(s.one(DYNAMODB_TABLE), "serverSideEncryption.kmsKeyArn"),
        policy: KEY,
    },
    {
        service: SERVICE,
        protection: "lock table SSE-KMS with the customer managed data key",
        mutation: "serverSideEncryption.kmsKeyArn the AWS managed alias/aws/dynamodb",
        apply: (s) => s.set(s.one(DYNAMODB_TABLE), "serverSideEncryption.kmsKeyArn", "alias/aws/dynamodb"),
        policy: KEY,
    },
    {
        service: SERVICE,
        protection: "lock table serverSideEncryption declared",
        mutation: "serverSideEncryption block removed",
        apply: (s) => s.unset(s.one(DYNAMODB_TABLE), "serverSideEncryption"),
        policy: KEY,
    },
    {
        service: SERVICE,
        protection: "replica encrypted with the replica key",
        mutation: "kmsKeyArn of the TableReplica dropped (aws/dynamodb in the DR region)",
        apply: (s) => s.unset(s.one(DYNAMODB_TABLE_REPLICA), "kmsKeyArn"),
        policy: KEY,
    },
    {
        service: SERVICE,
        protection: "replica encrypted with the replica key",
        mutation: "kmsKeyArn of the TableReplica the AWS managed alias/aws/dynamodb",
        apply: (s) => s.set(s.one(DYNAMODB_TABLE_REPLICA), "kmsKeyArn", "alias/aws/dynamodb"),
        policy: KEY,
    },
    {
        service: SERVICE,
        protection: "global-table replica in the DR region",
        mutation: "the TableReplica not declared",
        apply: (s) => s.drop(s.one(DYNAMODB_TABLE_REPLICA)),
        policy: REPLICA,
    },
    {
        service: SERVICE,
        protection: "global-table replica in the DR region",
        mutation: "the TableReplica declared with the home-region provider",
        apply: (s) => {
            const replica = s.one(DYNAMODB_TABLE_REPLICA);
            const table = s.one(DYNAMODB_TABLE);
            replica.provider = table.provider;
            replica.region = table.region;
        },
        policy: REPLICA,
    },
    {
        service: SERVICE,
        protection: "global-table replica in the DR region",
        mutation: "the TableReplica's own region input set to the home region",
        apply: (s) => s.set(s.one(DYNAMODB_TABLE_REPLICA), "region", s.one(DYNAMODB_TABLE).region),
        policy: REPLICA,
    },
    {
        service: SERVICE,
        protection: "global-table replica in the DR region",
        mutation:
            "the TableReplica replicates another table (globalTableArn not the lock table's), linked only by dependsOn",
        apply: (s) => {
            const replica = s.one(DYNAMODB_TABLE_REPLICA);
            s.update(replica, "globalTableArn", (arn) => String(arn).replace(/table\/.*$/, "table/other"));
            replica.propertyDependencies.globalTableArn = [];
        },
        policy: REPLICA,
    },
    {
        service: SERVICE,
        protection: "global-table replica in the DR region",
        mutation: "the TableReplica replaced by an inline replicas entry in the home region",
        apply: (s) => {
            const table = s.one(DYNAMODB_TABLE);
            const replica = s.one(DYNAMODB_TABLE_REPLICA);
            s.set(table, "replicas", [
                {
                    regionName: table.region,
                    kmsKeyArn: replica.inputs.kmsKeyArn,
                    pointInTimeRecovery: true,
                    deletionProtectionEnabled: true,
                },
            ]).drop(replica);
        },
        policy: REPLICA,
    },
    {
        service: SERVICE,
        protection: "replica with PITR",
        mutation: "pointInTimeRecovery of the TableReplica false",
        apply: (s) => s.set(s.one(DYNAMODB_TABLE_REPLICA), "pointInTimeRecovery", false),
        policy: REPLICA,
    },
    {
        service: SERVICE,
        protection: "replica with PITR",
        mutation: "pointInTimeRecovery of the TableReplica removed (the provider's default: false)",
        apply: (s) => s.unset(s.one(DYNAMODB_TABLE_REPLICA), "pointInTimeRecovery"),
        policy: REPLICA,
    },
    {
        service: SERVICE,
        protection: "replica with PITR",
        mutation: "the TableReplica replaced by an inline DR-region replicas entry without PITR",
        apply: (s) => {
            const replica = s.one(DYNAMODB_TABLE_REPLICA);
            s.set(s.one(DYNAMODB_TABLE), "replicas", [
                {
                    regionName: replica.region,
                    kmsKeyArn: replica.inputs.kmsKeyArn,
                    deletionProtectionEnabled: true,
                },
            ]).drop(replica);
        },
        policy: REPLICA,
    },
    {
        service: SERVICE,
        protection: "replica with deletion protection",
        mutation: "deletionProtectionEnabled of the TableReplica false",
        apply: (s) => s.set(s.one(DYNAMODB_TABLE_REPLICA), "deletionProtectionEnabled", false),
        policy: REPLICA,
    },
    {
        service: SERVICE,
        protection: "replica with deletion protection",
        mutation: "deletionProtectionEnabled of the TableReplica removed (the provider's default: false)",
        apply: (s) => s.unset(s.one(DYNAMODB_TABLE_REPLICA), "deletionProtectionEnabled"),
        policy: REPLICA,
    },
];
