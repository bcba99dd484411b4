import * as pulumi from "@pulumi/pulumi";

/**
 * The trust policy of an IRSA role: only the named service account of this cluster may
 * assume it. `oidcIssuer` is the issuer without its scheme ({@link Cluster.oidcIssuer}): STS
 * evaluates `oidc.eks.<region>.amazonaws.com/id/<ID>:sub` and `...:aud` (EKS user guide,
 * "Assign IAM roles to Kubernetes service accounts"), so an issuer URL with `https://` is refused
 * rather than written into keys that never match.
 */
export function irsaTrustPolicy(
    oidcProviderArn: pulumi.Input<string>,
    oidcIssuer: pulumi.Input<string>,
    namespace: string,
    serviceAccount: string,
): pulumi.Output<string> {
    return pulumi.all([oidcProviderArn, oidcIssuer]).apply(([arn, issuer]) => {
        if (/^[a-z]+:\/\//i.test(issuer)) {
            throw new Error(
                `irsaTrustPolicy: oidcIssuer must be the issuer without its scheme (pulumi-eks oidcIssuer), got ${JSON.stringify(issuer)}`,
            );
        }
        return JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Principal: { Federated: arn },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: {
                        StringEquals: {
                            [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
                            [`${issuer}:aud`]: "sts.amazonaws.com",
                        },
                    },
                },
            ],
        });
    });
}
