import * as pulumi from "@pulumi/pulumi";

/**
 * Options for a child that holds data or guards it (buckets, tables, keys). `protect` makes
 * `pulumi destroy` and accidental removal from the program fail; `retainOnDelete` keeps the
 * cloud resource even when protection is lifted and the resource is removed on purpose, so
 * no Pulumi operation can delete data. Deleting it is a deliberate act outside Pulumi.
 */
export function statefulChild(
    parent: pulumi.Resource,
    extra: pulumi.CustomResourceOptions = {},
): pulumi.CustomResourceOptions {
    return { ...extra, parent, protect: true, retainOnDelete: true };
}
