import { runSimulation } from "@cloud-copilot/iam-simulate";

/**
 * A thin wrapper over `@cloud-copilot/iam-simulate` (AGPL-3.0-or-later, a dev dependency used
 * only by tests): a real IAM evaluator, so the policies the program writes are checked by
 * evaluation (explicit denies, principal matching, condition operators, the KMS key-policy
 * rule that a key's policy must grant access) rather than by reading their JSON.
 */

/** The account of every stack configuration's committed config. */
export const ACCOUNT_ID = "123456789012";

/** An administrator of the account: a role whose identity policy allows everything. */
export const ADMIN_ROLE_ARN = `arn:aws:iam::${ACCOUNT_ID}:role/Admin`;

/** The identity policy of {@link ADMIN_ROLE_ARN}: `*` on `*`. */
export const ALLOW_EVERYTHING = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
};

/** One request and the policies that govern it. */
export interface IamRequest {
    /** ARN of the calling principal. */
    principal: string;
    /** The action, `service:Operation`. */
    action: string;
    /** ARN of the resource the action is authorized on. */
    resource: string;
    /** The resource's policy (key policy, vault access policy...), parsed. */
    resourcePolicy?: unknown;
    /** The caller's identity policies, parsed. Default: none (a service-linked role's own policy is not ours to model). */
    identityPolicies?: unknown[];
    /** Request context keys and their values, as the service would set them. Default: none. */
    context?: Record<string, string | string[]>;
    /** Account that owns the resource. Default: {@link ACCOUNT_ID}. */
    resourceAccount?: string;
}

/** The simulator's decision on a request, and the context keys it dropped as not applicable. */
export interface IamDecision {
    /** "Allowed", "ExplicitlyDenied" or "ImplicitlyDenied". */
    result: string;
    /** Context keys the simulator ignored because its action data does not list them for the action. */
    ignoredContextKeys: string[];
}

/**
 * Evaluates `request` with the simulator in its default (strict) mode. Fails the test when the
 * simulator rejects the input (an unknown action, a resource ARN of no type the action takes, a
 * malformed policy): a request the evaluator cannot read proves nothing about the policy.
 */
export async function evaluate(request: IamRequest): Promise<IamDecision> {
    const response = await runSimulation(
        {
            request: {
                principal: request.principal,
                action: request.action,
                resource: { resource: request.resource, accountId: request.resourceAccount ?? ACCOUNT_ID },
                contextVariables: request.context ?? {},
            },
            identityPolicies: (request.identityPolicies ?? []).map((policy, i) => ({
                name: `identity-${i}`,
                policy,
            })),
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            resourcePolicy: request.resourcePolicy,
        },
        {},
    );
    if (response.resultType === "error") {
        throw new Error(`iam-simulate rejected the request: ${JSON.stringify(response.errors)}`);
    }
    const ignored =
        response.resultType === "single"
            ? (response.result.ignoredContextKeys ?? [])
            : response.results.flatMap((r) => r.ignoredContextKeys ?? []);
    return { result: response.overallResult, ignoredContextKeys: ignored };
}
