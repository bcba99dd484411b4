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

/**
 * The KMS actions a service needs to use a customer key for encrypted EBS volumes, as the
 * EC2 Auto Scaling guide ("Required AWS KMS key policy for use with encrypted volumes")
 * grants them: given both in the key policy (to Auto Scaling's role) and to the EBS CSI role.
 */
export const KEY_USE_ACTIONS: readonly string[] = [
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
    "kms:DescribeKey",
];

/**
 * The trust policy of a service role that `service` may assume only on behalf of a resource
 * matching `sourceArn` (an ARN or an ARN pattern) in `account`: the confused-deputy conditions
 * (`aws:SourceAccount`, `aws:SourceArn`) of the services that document them for their roles
 * (IAM User Guide, "The confused deputy problem"). Each caller cites its service's page.
 */
export function serviceTrustPolicy(service: string, account: string, sourceArn: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: service },
                Action: "sts:AssumeRole",
                Condition: {
                    StringEquals: { "aws:SourceAccount": account },
                    ArnLike: { "aws:SourceArn": sourceArn },
                },
            },
        ],
    });
}
