import * as pulumi from "@pulumi/pulumi";
import { ReplicaDatabase } from "../components/database-replica";
import { Database } from "../components/database";
import { StackConfig } from "../config/stack-config";
import { FAILBACK_NOT_SET } from "../lib/failback";
import { failbackDatabaseIdentifier } from "../lib/naming";
import { partitionOf } from "../lib/regions";
import { failbackResourceNames } from "../lib/stack-urns";

/**
 * Re-protection, the first phase of failback: when `webank:failback` is set, a cross-Region read
 * replica in the home region of the DR database (`failback.source`, in the DR region), named
 * `<prefix>-db-home-<generation>` (lib/naming.ts failbackDatabaseIdentifier). It is the same
 * component as the hot posture's DR replica (components/database-replica.ts), with its protections:
 * deletion protection, a final snapshot, backups kept, Pulumi protect and retain. The primary's
 * own database is untouched. Unset, nothing is declared.
 *
 * `keyArn` is the home region's data key: "If you create an encrypted read replica in a different
 * AWS Region, then you must specify a KMS key identifier for the destination AWS Region. KMS keys
 * are specific to the AWS Region that they are created in" (RDS API Reference,
 * CreateDBInstanceReadReplica, KmsKeyId). The source is named by ARN: "when you create an RDS DB
 * instance read replica, you must supply the ARN for the source DB instance" (RDS user guide,
 * "Amazon Resource Names (ARNs) in Amazon RDS"); pulumi-aws `replicateSourceDb` likewise wants
 * the `arn` of a source in another region. It shares `primary`'s placement (subnet group,
 * security group, parameter group), and `opts` are the primary database's own (the home provider).
 */
export function declareFailbackReplica(
    config: StackConfig,
    primary: Database,
    keyArn: pulumi.Input<string>,
    accountId: pulumi.Output<string>,
    opts: pulumi.ComponentResourceOptions,
): ReplicaDatabase | undefined {
    const failback = config.failback;
    if (!failback) {
        return undefined;
    }
    // Built from the account, the DR region and the source's identifier, as the hot posture's
    // replica builds its source's (stacks/dr-database.ts): nothing is read from the dr stack's state.
    const sourceArn = pulumi.interpolate`arn:${partitionOf(config.drRegion)}:rds:${config.drRegion}:${accountId}:db:${failback.source}`;
    return new ReplicaDatabase(
        failbackResourceNames(config.prefix, failback.generation).component,
        {
            identifier: failbackDatabaseIdentifier(config.prefix, failback.generation),
            settings: config.database,
            // The primary database's subnet group, security group and parameter group: after the
            // failback this instance becomes the primary stack's database, in place.
            sharedPlacement: primary.placement,
            kmsKeyArn: keyArn,
            sourceArn,
            promoted: false,
        },
        opts,
    );
}

/** The stack outputs of the failback replica: its identifier and ARN, or {@link FAILBACK_NOT_SET}. */
export function failbackOutputs(
    config: StackConfig,
    replica: ReplicaDatabase | undefined,
): { failbackReplicaIdentifier: string; failbackReplicaArn: pulumi.Output<string> | string } {
    if (!config.failback || !replica) {
        return { failbackReplicaIdentifier: FAILBACK_NOT_SET, failbackReplicaArn: FAILBACK_NOT_SET };
    }
    return {
        failbackReplicaIdentifier: failbackDatabaseIdentifier(config.prefix, config.failback.generation),
        failbackReplicaArn: replica.instanceArn,
    };
}
