import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";

/** Arguments of {@link BranchProtection}. */
export interface BranchProtectionArgs {
    /** `owner/name` of the platform repository. */
    repository: string;
    /** Branch pattern to protect. Default `main`. */
    branch?: string;
    /** GitHub token with admin rights on the repository, a Pulumi secret. */
    token: pulumi.Output<string>;
    /** Approving reviews a pull request needs. Default 2. */
    requiredApprovals?: number;
}

/**
 * Protection of the platform repository's main branch, the source every cluster is built
 * from: no force pushes, no deletion, linear history, reviews (code owners included) that
 * go stale on new commits, resolved conversations, and the same rules for administrators.
 * A compromised account can then not rewrite what Argo CD deploys without a second person.
 */
export class BranchProtection extends pulumi.ComponentResource {
    /** The protection rule. */
    public readonly rule: github.BranchProtection;

    constructor(name: string, args: BranchProtectionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("webank:source:BranchProtection", name, {}, opts);
        const [owner, repository] = args.repository.split("/");
        const provider = new github.Provider(
            `${name}-github`,
            { owner, token: args.token },
            { parent: this },
        );
        this.rule = new github.BranchProtection(
            name,
            {
                repositoryId: repository,
                pattern: args.branch ?? "main",
                enforceAdmins: true,
                allowsDeletions: false,
                allowsForcePushes: false,
                requiredLinearHistory: true,
                requireConversationResolution: true,
                requiredPullRequestReviews: [
                    {
                        requiredApprovingReviewCount: args.requiredApprovals ?? 2,
                        dismissStaleReviews: true,
                        requireCodeOwnerReviews: true,
                    },
                ],
            },
            { parent: this, provider },
        );
        this.registerOutputs({});
    }
}
