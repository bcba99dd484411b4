import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { resourcePolicy, stackPolicy } from "./lib/define";
import { Evaluation } from "./lib/evaluation";
import { parseArn, referencing, regionOf, resourcesOfType } from "./lib/graph";
import { requireCustomerKey } from "./lib/keys";
import { describe, isUnknown, listAt, UNKNOWN, valueAt } from "./lib/values";
import { pick, PolicyObjectives } from "./thresholds";

/** The DynamoDB table type. */
export const DYNAMODB_TABLE = "aws:dynamodb/table:Table";
/** A global-table replica declared as its own resource. */
export const DYNAMODB_TABLE_REPLICA = "aws:dynamodb/tableReplica:TableReplica";
/** The store types these policies judge (the stores policy refuses the types nothing judges). */
export const CHECKED_TYPES: readonly string[] = [DYNAMODB_TABLE, DYNAMODB_TABLE_REPLICA];

/**
 * The recovery window DynamoDB keeps when `recoveryPeriodInDays` is not given: "If no value is
 * provided, the value will default to 35" (DynamoDB API Reference,
 * PointInTimeRecoverySpecification, RecoveryPeriodInDays; valid range 1-35). A TableReplica, or
 * an inline `replicas` entry, takes no period at all, so it always keeps this many days.
 */
export const DYNAMODB_DEFAULT_RECOVERY_PERIOD_DAYS = 35;

/**
 * Point-in-time recovery on, for at least the PITR window. `pointInTimeRecovery.enabled`
 * defaults to false (provider docs, TablePointInTimeRecovery); `recoveryPeriodInDays`, unset,
 * is DynamoDB's {@link DYNAMODB_DEFAULT_RECOVERY_PERIOD_DAYS}.
 */
export const dynamodbTablePitr = resourcePolicy<Pick<PolicyObjectives, "pitrDays">>({
    name: "dynamodb-table-pitr",
    description:
        "Checks whether DynamoDB tables have point-in-time recovery enabled for at least the PITR window.",
    thresholds: pick("pitrDays"),
    types: [DYNAMODB_TABLE],
    validate: (table, evaluation, config) => {
        evaluation.requireEqual(
            table,
            "pointInTimeRecovery.enabled",
            true,
            "without it the table can only be restored from AWS Backup recovery points",
        );
        evaluation.check(table, "pointInTimeRecovery.recoveryPeriodInDays", (days) => {
            const period = days ?? DYNAMODB_DEFAULT_RECOVERY_PERIOD_DAYS;
            return typeof period === "number" && period >= config.pitrDays
                ? undefined
                : `must be at least ${config.pitrDays} (the point-in-time recovery window, webank:pitrRetentionDays; DynamoDB keeps ${DYNAMODB_DEFAULT_RECOVERY_PERIOD_DAYS} days when it is unset); it is ${describe(days)}.`;
        });
    },
});

/** Deletion protection on (the provider's default is off). */
export const dynamodbTableDeletionProtection = resourcePolicy({
    name: "dynamodb-table-deletion-protection",
    description: "Checks whether DynamoDB tables have deletion protection enabled.",
    types: [DYNAMODB_TABLE],
    validate: (table, evaluation) =>
        evaluation.requireEqual(
            table,
            "deletionProtectionEnabled",
            true,
            "DynamoDB refuses to delete a protected table; the provider's default is false",
        ),
});

/**
 * Encrypted with customer managed keys: the table, each TableReplica and each inline replica.
 * With `serverSideEncryption.enabled` false DynamoDB uses an AWS owned key, and with it true
 * but no `kmsKeyArn` the AWS managed `aws/dynamodb` key (provider docs,
 * TableServerSideEncryption); neither is under this project's key policy, nor replicated with
 * the multi-Region key. Judged as a stack policy so that a key ARN unknown in a preview is
 * accepted when it is computed from a key of this stack.
 */
export const dynamodbTableCustomerKey = stackPolicy({
    name: "dynamodb-table-customer-key",
    description:
        "Checks whether DynamoDB tables and their replicas are encrypted with customer managed KMS keys.",
    validate: (args, evaluation) => {
        for (const table of resourcesOfType(args, DYNAMODB_TABLE)) {
            evaluation.requireEqual(
                table,
                "serverSideEncryption.enabled",
                true,
                "disabled, DynamoDB encrypts with an AWS owned key, not the customer managed one",
            );
            requireCustomerKey(
                evaluation,
                table,
                "serverSideEncryption.kmsKeyArn",
                "DynamoDB table encryption",
            );
            const inline = listAt(table.props, "replicas");
            if (inline !== UNKNOWN) {
                inline.forEach((_, i) =>
                    requireCustomerKey(
                        evaluation,
                        table,
                        `replicas[${i}].kmsKeyArn`,
                        "DynamoDB replica encryption",
                    ),
                );
            }
        }
        for (const replica of resourcesOfType(args, DYNAMODB_TABLE_REPLICA)) {
            requireCustomerKey(evaluation, replica, "kmsKeyArn", "DynamoDB replica encryption");
        }
    },
});

/**
 * The TableReplicas of `table`: those whose `globalTableArn` was computed from it, and those
 * whose known `globalTableArn` names it (a table of the same name in the table's region).
 */
function replicasOf(args: StackValidationArgs, table: PolicyResource): PolicyResource[] {
    const linked = referencing(args, table, DYNAMODB_TABLE_REPLICA, "globalTableArn");
    const name = valueAt(table.props, "name");
    const region = regionOf(table);
    const named = resourcesOfType(args, DYNAMODB_TABLE_REPLICA).filter((replica) => {
        const arn = parseArn(valueAt(replica.props, "globalTableArn"));
        return (
            arn !== undefined &&
            typeof name === "string" &&
            arn.service === "dynamodb" &&
            arn.resource === `table/${name}` &&
            arn.region === region
        );
    });
    return [...new Set([...linked, ...named])];
}

/** Whether `where` is known to differ from `home`; UNKNOWN when either is unknown. */
function elsewhere(where: unknown, home: unknown): boolean | typeof UNKNOWN {
    if (isUnknown(where) || isUnknown(home)) {
        return UNKNOWN;
    }
    return typeof where === "string" && typeof home === "string" && where !== home;
}

/** Judges one replica's own protections: PITR and deletion protection, both off by default. */
function judgeReplicaSettings(evaluation: Evaluation, subject: PolicyResource, prefix: string): void {
    evaluation.requireEqual(
        subject,
        `${prefix}pointInTimeRecovery`,
        true,
        `the replica must be restorable to a point in time after a failover (${DYNAMODB_DEFAULT_RECOVERY_PERIOD_DAYS} days, DynamoDB's default period); the provider's default is false`,
    );
    evaluation.requireEqual(
        subject,
        `${prefix}deletionProtectionEnabled`,
        true,
        "the replica is the copy that survives the home region; the provider's default is false",
    );
}

/**
 * A global-table replica in another region, itself protected: a TableReplica whose
 * `globalTableArn` is the table's (or an inline `replicas` entry), in a region other than the
 * table's, with point-in-time recovery and deletion protection on (its customer key is judged
 * by `dynamodb-table-customer-key`). A replica in the table's own region is refused: it does
 * not survive the loss of that region.
 */
export const dynamodbTableReplica = stackPolicy({
    name: "dynamodb-table-replica",
    description:
        "Checks whether DynamoDB tables have a replica in another region with point-in-time recovery and deletion protection.",
    validate: (args, evaluation) => {
        for (const table of resourcesOfType(args, DYNAMODB_TABLE)) {
            const home = regionOf(table);
            const places: Array<boolean | typeof UNKNOWN> = [];
            const count = (where: boolean | typeof UNKNOWN) => places.push(where);
            for (const replica of replicasOf(args, table)) {
                const where = elsewhere(regionOf(replica), home);
                count(where);
                if (where === UNKNOWN) {
                    evaluation.unknown(replica, "region");
                } else if (!where) {
                    evaluation.violation(
                        replica,
                        "region",
                        `must be a region other than the table's (${describe(home)}): a replica in the same region does not survive its loss; it is ${describe(regionOf(replica))}.`,
                    );
                }
                judgeReplicaSettings(evaluation, replica, "");
            }
            const inline = listAt(table.props, "replicas");
            if (inline === UNKNOWN) {
                evaluation.unknown(table, "replicas");
                count(UNKNOWN);
            } else {
                inline.forEach((_, i) => {
                    const where = elsewhere(valueAt(table.props, `replicas[${i}].regionName`), home);
                    count(where);
                    if (where === UNKNOWN) {
                        evaluation.unknown(table, `replicas[${i}].regionName`);
                    } else if (!where) {
                        evaluation.violation(
                            table,
                            `replicas[${i}].regionName`,
                            `must be a region other than the table's (${describe(home)}); it is ${describe(valueAt(table.props, `replicas[${i}].regionName`))}.`,
                        );
                    }
                    judgeReplicaSettings(evaluation, table, `replicas[${i}].`);
                });
            }
            if (!places.includes(true) && !places.includes(UNKNOWN)) {
                evaluation.violation(
                    table,
                    DYNAMODB_TABLE_REPLICA,
                    `the table must have a replica in a region other than ${describe(home)} (a TableReplica whose globalTableArn is this table's ARN, declared with the DR provider, or a replicas entry).`,
                );
            }
        }
    },
});
