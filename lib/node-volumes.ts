/**
 * Size of each EKS node's encrypted gp3 root volume, in GiB: the cluster's launch template
 * (components/cluster.ts) and the cost of a posture's nodes (automation/bench/costs.ts) read it.
 */
export const NODE_ROOT_VOLUME_GIB = 50;
