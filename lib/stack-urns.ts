import { failbackDatabaseIdentifier, replicaDatabaseIdentifier, restoredDatabaseIdentifier } from "./naming";

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

/** The component type of a database the program creates or restores (components/database.ts). */
export const DATABASE_TYPE = "webank:database:Database";

/** The provider type of an RDS DB instance (pulumi-aws `aws.rds.Instance`). */
const RDS_INSTANCE_TYPE = "aws:rds/instance:Instance";

/** The provider type of an instance's cross-Region backup replication. */
const BACKUP_REPLICATION_TYPE =
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication";

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
    return childUrn(
        project,
        stack,
        REPLICA_DATABASE_TYPE,
        RDS_INSTANCE_TYPE,
        replicaResourceNames(prefix).instance,
    );
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
    return childUrn(
        project,
        stack,
        REPLICA_DATABASE_TYPE,
        RDS_INSTANCE_TYPE,
        failbackResourceNames(prefix, generation).instance,
    );
}

/** The URN of a resource of type `type` named `name` whose parent is a component of type `parentType`. */
function childUrn(project: string, stack: string, parentType: string, type: string, name: string): string {
    return `urn:pulumi:${stack}::${project}::${parentType}$${type}::${name}`;
}

/** The URN of a component (a child of the stack) of type `type` named `name`. */
function componentUrn(project: string, stack: string, type: string, name: string): string {
    return `urn:pulumi:${stack}::${project}::${type}::${name}`;
}

/** The URN of the failback replica's component of `generation` (its instance and nothing else below it). */
export function failbackComponentUrn(
    project: string,
    stack: string,
    prefix: string,
    generation: number,
): string {
    return componentUrn(
        project,
        stack,
        REPLICA_DATABASE_TYPE,
        failbackResourceNames(prefix, generation).component,
    );
}

/**
 * The primary database's DB instance and its cross-Region backup replication in the primary
 * stack (stacks/primary.ts: the Database component `<prefix>-db`).
 */
export function primaryDatabaseUrns(
    project: string,
    prefix: string,
): { readonly component: string; readonly instance: string; readonly backupReplication: string } {
    const name = `${prefix}-db`;
    const at = (type: string, child: string) =>
        childUrn(project, "primary", DATABASE_TYPE, type, `${name}-${child}`);
    return {
        component: componentUrn(project, "primary", DATABASE_TYPE, name),
        instance: at(RDS_INSTANCE_TYPE, "instance"),
        backupReplication: at(BACKUP_REPLICATION_TYPE, "backup-replication"),
    };
}

/**
 * The URNs of the dr stack's database component and its DB instance: the restore of
 * `generation` (pilot light, warm), or the hot posture's replica.
 */
export function drDatabaseUrns(
    project: string,
    prefix: string,
    hot: boolean,
    generation: number,
): { readonly component: string; readonly instance: string } {
    if (hot) {
        return {
            component: componentUrn(
                project,
                "dr",
                REPLICA_DATABASE_TYPE,
                replicaResourceNames(prefix).component,
            ),
            instance: replicaInstanceUrn(project, "dr", prefix),
        };
    }
    const name = restoredDatabaseIdentifier(prefix, generation);
    return {
        component: componentUrn(project, "dr", DATABASE_TYPE, name),
        instance: childUrn(project, "dr", DATABASE_TYPE, RDS_INSTANCE_TYPE, `${name}-instance`),
    };
}
