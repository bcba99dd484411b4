import { PolicyResource } from "@pulumi/policy";
import { stackPolicy } from "./lib/define";
import { referencedBy, resourcesOfType } from "./lib/graph";
import { isUnknown, valueAt } from "./lib/values";
import { isCrossRegionReplica, RDS_INSTANCE } from "./rds";
import { pick, PolicyObjectives } from "./thresholds";

/** A DB subnet group. */
const RDS_SUBNET_GROUP = "aws:rds/subnetGroup:SubnetGroup";

/** Where an instance's `dbSubnetGroupName` comes from: the subnet groups it was computed from, else its value. */
function subnetGroupOf(instance: PolicyResource): { groups: string[]; value: unknown } {
    return {
        groups: referencedBy(instance, "dbSubnetGroupName")
            .filter((r) => r.type === RDS_SUBNET_GROUP)
            .map((r) => r.urn),
        value: valueAt(instance.props, "dbSubnetGroupName"),
    };
}

/**
 * The failback replica on primary (a cross-Region replica of the DR database,
 * stacks/primary-failback.ts) sits in the primary database's own DB subnet group: failback makes
 * it the primary stack's database in place, and RDS refuses to move an instance to another subnet
 * group of the same VPC ("InvalidVPCNetworkStateFault: ... The specified DB subnet group and DB
 * instance are in the same VPC", terraform-provider-aws#512), so a replica placed anywhere else
 * could never become the home database without a replacement.
 */
export const rdsFailbackReplicaPlacement = stackPolicy<Pick<PolicyObjectives, "stackRole">>({
    name: "rds-failback-replica-placement",
    description:
        "Checks whether the primary stack's cross-Region read replicas (the failback replica) are in the primary database's own DB subnet group, so failback can make them the home database in place.",
    thresholds: pick("stackRole"),
    validate: (args, evaluation, config) => {
        if (config.stackRole !== "primary") {
            return;
        }
        const instances = resourcesOfType(args, RDS_INSTANCE);
        const primaries = instances.filter((i) => {
            const source = valueAt(i.props, "replicateSourceDb");
            return source === undefined || source === "";
        });
        for (const replica of instances.filter(isCrossRegionReplica)) {
            const own = subnetGroupOf(replica);
            if (own.groups.length === 0 && isUnknown(own.value)) {
                evaluation.unknown(replica, "dbSubnetGroupName");
                continue;
            }
            const shared = primaries.some((primary) => {
                const theirs = subnetGroupOf(primary);
                return (
                    own.groups.some((g) => theirs.groups.includes(g)) ||
                    (own.groups.length === 0 &&
                        theirs.groups.length === 0 &&
                        typeof own.value === "string" &&
                        !isUnknown(own.value) &&
                        own.value === theirs.value)
                );
            });
            if (!shared) {
                evaluation.violation(
                    replica,
                    "dbSubnetGroupName",
                    "must be the primary database's own DB subnet group (ReplicaDatabase sharedPlacement): failback makes this replica " +
                        "the home database in place, and RDS refuses to move an instance to another subnet group of the same VPC (InvalidVPCNetworkStateFault).",
                );
            }
        }
    },
});
