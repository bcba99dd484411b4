import { ResourceValidationPolicy } from "@pulumi/policy";

/** Types that hold data, or keys without which the data cannot be read. */
export const STATEFUL_TYPES = [
    "aws:rds/instance:Instance",
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
    "aws:dynamodb/table:Table",
    "aws:dynamodb/tableReplica:TableReplica",
    "aws:s3/bucket:Bucket",
    "aws:backup/vault:Vault",
    "aws:kms/key:Key",
    "aws:kms/replicaKey:ReplicaKey",
];

/** Stateful resources protected in Pulumi, so no `pulumi up` or `destroy` can delete them. */
export const statefulResourcesProtected: ResourceValidationPolicy = {
    name: "stateful-resources-protected",
    description: "Checks whether resources that hold data are protected against deletion in Pulumi.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (STATEFUL_TYPES.includes(args.type) && args.opts.protect !== true) {
            reportViolation(
                `${args.type} holds data and must be protected in Pulumi (protect: true, with retainOnDelete).`,
            );
        }
    },
};
