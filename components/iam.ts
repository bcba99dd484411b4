import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * Attaches AWS managed policies to a role, one RolePolicyAttachment each (the provider's
 * replacement for the deprecated `managedPolicyArns`). Returns the attachments, so what
 * needs the permissions can depend on them.
 */
export function attachManagedPolicies(
    name: string,
    role: aws.iam.Role,
    policyArns: readonly string[],
    opts: pulumi.CustomResourceOptions,
): aws.iam.RolePolicyAttachment[] {
    return policyArns.map(
        (policyArn) =>
            new aws.iam.RolePolicyAttachment(
                `${name}-${policyArn.split("/").pop()}`,
                { role: role.name, policyArn },
                opts,
            ),
    );
}
