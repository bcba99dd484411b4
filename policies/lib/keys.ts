import { PolicyResource } from "@pulumi/policy";
import { Evaluation } from "./evaluation";
import { referencedBy } from "./graph";
import { describe, isUnknown, valueAt } from "./values";

/** Types of the customer managed keys a store may be encrypted with. */
export const CUSTOMER_KEY_TYPES = ["aws:kms/key:Key", "aws:kms/replicaKey:ReplicaKey"] as const;

/**
 * Whether a known key reference names a customer managed key: a key ARN or id, or an alias
 * other than the `alias/aws/...` ones AWS manages for its services ("AWS managed keys ...
 * have aliases in the form aws/service-name", AWS KMS Developer Guide, "AWS managed keys").
 */
function isCustomerKeyReference(value: unknown): boolean {
    if (typeof value !== "string" || value.trim().length === 0) {
        return false;
    }
    return !/(^|:)alias\/aws\//.test(value);
}

/**
 * Judges that the input `property` of `resource` names a customer managed KMS key. Known:
 * a key ARN or id, or a customer alias. Unknown (preview): judged through the resources it
 * was computed from, which must include a customer managed key of this stack; otherwise it
 * is noted as not judged. `whatFor` completes the message ("S3 default encryption").
 */
export function requireCustomerKey(
    evaluation: Evaluation,
    resource: PolicyResource,
    property: string,
    whatFor: string,
): void {
    const value = valueAt(resource.props, property);
    const fromKey = referencedBy(resource, property.split(/[.[]/)[0]).some((d) =>
        (CUSTOMER_KEY_TYPES as readonly string[]).includes(d.type),
    );
    if (isUnknown(value)) {
        if (!fromKey) {
            evaluation.unknown(resource, property);
        }
        return;
    }
    if (!isCustomerKeyReference(value)) {
        evaluation.violation(
            resource,
            property,
            `${whatFor} must use a customer managed KMS key (a key ARN, not an AWS managed alias/aws/* key or the service default); it is ${describe(value)}.`,
        );
    }
}
