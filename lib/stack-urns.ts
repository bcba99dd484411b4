import { failbackDatabaseIdentifier, replicaDatabaseIdentifier } from "./naming";

/*
 * URNs of the resources a recovery command names to the Pulumi engine (`pulumi refresh
 * --target <URN>`). A URN is `urn:pulumi:<stack>::<project>::<qualified type>::<name>`, the
 * qualified type being the parents' component types and the resource's own, joined by `$`
 * (Pulumi docs, "Resource names": "urn:pulumi:production::acmecorp-website::
 * custom:resources:Resource$aws:s3/bucket:Bucket::my-bucket"). The program's components
 * declare their type and names from the same constants, and test/lib/stack-urns.test.ts
 * checks each URN against the one the mock engine records for the program.
 */

/** The component type of the hot posture's read replica (components/database-replica.ts). */
export const REPLICA_DATABASE_TYPE = "webank:database:ReplicaDatabase";

/** The provider type of an RDS DB instance (pulumi-aws `aws.rds.Instance`). */
const RDS_INSTANCE_TYPE = "aws:rds/instance:Instance";

/** The names the dr stack gives the read replica's component and its DB instance. */
export function replicaResourceNames(prefix: string): {
    readonly component: string;
    readonly instance: string;
} {
    const component = replicaDatabaseIdentifier(prefix);
    return { component, instance: `${component}-instance` };
}

/** The URN of the hot posture's read replica's DB instance in stack `stack` of project `project`. */
export function replicaInstanceUrn(project: string, stack: string, prefix: string): string {
    return `urn:pulumi:${stack}::${project}::${REPLICA_DATABASE_TYPE}$${RDS_INSTANCE_TYPE}::${replicaResourceNames(prefix).instance}`;
}

/**
 * The names the primary stack gives the failback replica's component and its DB instance
 * (stacks/primary-failback.ts): its identifier, generation included, so each generation is a
 * resource of its own and a new one never replaces the last.
 */
export function failbackResourceNames(
    prefix: string,
    generation: number,
): { readonly component: string; readonly instance: string } {
    const component = failbackDatabaseIdentifier(prefix, generation);
    return { component, instance: `${component}-instance` };
}

/** The URN of the failback replica's DB instance of `generation` in stack `stack` of project `project`. */
export function failbackInstanceUrn(
    project: string,
    stack: string,
    prefix: string,
    generation: number,
): string {
    return `urn:pulumi:${stack}::${project}::${REPLICA_DATABASE_TYPE}$${RDS_INSTANCE_TYPE}::${failbackResourceNames(prefix, generation).instance}`;
}
