import { EKS_COMPONENT } from "../../../policies/eks";
import { MutationRow } from "../row";
import { SERVICE, dropRule, plan, selection, FREQUENT, LONG_TERM } from "./backup-common";

/*
 * The EKS cluster in AWS Backup: each stack's cluster selected by its ARN (the primary stack's
 * `webank-backup-cluster`, the dr stack's `webank-cluster-dr-backup` wherever it runs a cluster),
 * and every rule of its plan copying to the other region's vault. Removing either is caught.
 */

/** The cluster rows: coverage by ARN and the DR copy, on primary and on the dr stack's postures with a cluster. */
export const BACKUP_CLUSTER_ROWS: readonly MutationRow[] = [
    {
        service: SERVICE,
        protection: "plans per store: the EKS cluster selected by ARN",
        mutation: "the cluster's selection not declared",
        apply: (s) => s.drop(selection(s, "webank-backup-cluster")),
        policy: "backup-stateful-resources-covered",
    },
    {
        service: SERVICE,
        protection: "plans per store: the EKS cluster selected by ARN",
        mutation: "the cluster's selection names another cluster, ordered after it with dependsOn only",
        apply: (s) => {
            const sel = selection(s, "webank-backup-cluster");
            s.set(sel, "resources", ["arn:aws:eks:us-east-1:123456789012:cluster/webank-other"]);
            sel.propertyDependencies.resources = [];
            sel.dependencies.push(s.one(EKS_COMPONENT).urn);
        },
        policy: "backup-stateful-resources-covered",
    },
    {
        service: SERVICE,
        protection: "plans per store: the EKS cluster selected by ARN",
        mutation: "the cluster's selection matching EBS volumes instead of the cluster",
        apply: (s) => {
            const sel = selection(s, "webank-backup-cluster");
            s.set(sel, "resources", ["arn:aws:ec2:*:*:volume/*"]);
            sel.propertyDependencies.resources = [];
        },
        policy: "backup-stateful-resources-covered",
    },
    {
        service: SERVICE,
        protection: "every rule copies to the DR vault: the EKS cluster's",
        mutation: "the cluster's hourly rule without copy actions",
        apply: (s) => s.unset(plan(s, "webank-backup-cluster"), `${FREQUENT}.copyActions`),
        policy: "backup-plan-rule-cross-region-copy",
    },
    {
        service: SERVICE,
        protection: "every rule copies to the DR vault: the EKS cluster's",
        mutation: "the cluster's daily rule without copy actions",
        apply: (s) => s.unset(plan(s, "webank-backup-cluster"), `${LONG_TERM}.copyActions`),
        policy: "backup-plan-rule-cross-region-copy",
    },
    {
        service: SERVICE,
        protection: "each plan delivers its kind's RPO: the EKS cluster (backupRpoMinutes.eks)",
        mutation: "the cluster's hourly rule removed (daily backups alone)",
        apply: (s) => dropRule(s, plan(s, "webank-backup-cluster"), 0),
        policy: "backup-plan-rule-frequency-retention",
    },
    {
        service: SERVICE,
        protection: "plans per store: the DR cluster selected by ARN (warm standby)",
        mutation: "the warm standby's cluster selection not declared",
        configuration: "dr:warm",
        apply: (s) => s.drop(selection(s, "webank-cluster-dr-backup")),
        policy: "backup-stateful-resources-covered",
    },
    {
        service: SERVICE,
        protection: "plans per store: the DR cluster selected by ARN (hot standby)",
        mutation: "the hot standby's cluster selection not declared",
        configuration: "dr:hot",
        apply: (s) => s.drop(selection(s, "webank-cluster-dr-backup")),
        policy: "backup-stateful-resources-covered",
    },
    {
        service: SERVICE,
        protection: "plans per store: the DR cluster selected by ARN (activated pilot)",
        mutation: "the activated pilot's cluster selection not declared",
        configuration: "dr:activated",
        apply: (s) => s.drop(selection(s, "webank-cluster-dr-backup")),
        policy: "backup-stateful-resources-covered",
    },
    {
        service: SERVICE,
        protection: "every rule copies to the home vault: the DR cluster's",
        mutation: "the warm standby cluster's hourly rule without copy actions",
        configuration: "dr:warm",
        apply: (s) => s.unset(plan(s, "webank-cluster-dr-backup"), `${FREQUENT}.copyActions`),
        policy: "backup-plan-rule-cross-region-copy",
    },
];
