/**
 * Where recovery artifacts live inside the artifact bucket: the program writes them there
 * (components/artifact-store.ts, argocd.ts, source-mirror.ts) and the recovery commands read
 * them back, so each key layout is defined once.
 */

/**
 * Key prefixes inside the artifact bucket, one per kind of recovery artifact. Jobs that
 * write artifacts get IAM permissions scoped to their prefix.
 */
export const ARTIFACT_PREFIXES = {
    /** Helm chart tarballs (`helm package` output), for reinstalling a release. */
    helmCharts: "helm-charts/",
    /** `argocd admin export` files, for `argocd admin import`. */
    argocdExports: "argocd-exports/",
    /** `git bundle` files of the platform repository mirror. */
    gitBundles: "git-bundles/",
    /** `pulumi stack export` files of both stacks. */
    stackExports: "stack-exports/",
    /** Reports of failovers, restores and drills (JSON and Markdown), for audit. */
    recoveryReports: "recovery-reports/",
    /** Source archives (`git archive` zips) of this program that the deploy runner deploys. */
    deploySources: "deploy-sources/",
} as const;

/** Where the deploy runner of `stack` reads the program from: `deploy-sources/<stack>.zip` (versioned). */
export function deploySourceKey(stack: string): string {
    return `${ARTIFACT_PREFIXES.deploySources}${stack}.zip`;
}

/**
 * The S3 key prefix under which the bundles of `repository` (`owner/name`) are stored:
 * `git-bundles/<owner>/<name>/`. Each bundle is `<prefix><UTC timestamp>.bundle`.
 */
export function bundlePrefixOf(repository: string): string {
    return `${ARTIFACT_PREFIXES.gitBundles}${repository}/`;
}

/** The key prefix of one cluster's Argo CD exports: `argocd-exports/<cluster>/`. */
export function argocdExportPrefix(cluster: string): string {
    return `${ARTIFACT_PREFIXES.argocdExports}${cluster}/`;
}
