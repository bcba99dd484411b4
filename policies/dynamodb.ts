import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { dependentsOfType, regionOf, report, resourcesOfType } from "./lib";

const TABLE = "aws:dynamodb/table:Table";

/** Point-in-time recovery on. */
export const dynamodbTablePitr: ResourceValidationPolicy = {
    name: "dynamodb-table-pitr",
    description: "Checks whether DynamoDB tables have point-in-time recovery enabled.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        const pitr = args.props.pointInTimeRecovery as { enabled?: boolean } | undefined;
        if (args.type === TABLE && pitr?.enabled !== true) {
            reportViolation("DynamoDB tables must have pointInTimeRecovery enabled.");
        }
    },
};

/** Deletion protection on. */
export const dynamodbTableDeletionProtection: ResourceValidationPolicy = {
    name: "dynamodb-table-deletion-protection",
    description: "Checks whether DynamoDB tables have deletion protection enabled.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type === TABLE && args.props.deletionProtectionEnabled !== true) {
            reportViolation("DynamoDB tables must have deletionProtectionEnabled true.");
        }
    },
};

/** A global-table replica in another region. */
export const dynamodbTableReplica: StackValidationPolicy = {
    name: "dynamodb-table-replica",
    description: "Checks whether DynamoDB tables have a replica in another region.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        for (const table of resourcesOfType(args, TABLE)) {
            const region = regionOf(table);
            const replicas = dependentsOfType(args, table, "aws:dynamodb/tableReplica:TableReplica");
            const inline = (table.props.replicas as Array<{ regionName?: string }> | undefined) ?? [];
            if (
                !replicas.some((r) => regionOf(r) !== region) &&
                !inline.some((r) => r.regionName !== region)
            ) {
                report(reportViolation, table, "DynamoDB tables must have a replica in another region.");
            }
        }
    },
};
