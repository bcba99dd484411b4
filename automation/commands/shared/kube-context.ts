/**
 * The `aws` arguments that write a kube context named after the cluster and make it current
 * (AWS CLI reference, `aws eks update-kubeconfig`: `--alias` names the context), so later
 * kubectl calls can pass `--context <cluster>` whatever the operator's kubeconfig held.
 */
export function updateKubeconfigArgs(region: string, cluster: string): string[] {
    return ["eks", "update-kubeconfig", "--region", region, "--name", cluster, "--alias", cluster];
}
