import { CRON_JOB, HELM_TYPES } from "../../../policies/argocd-export";
import { STORAGE_CLASS } from "../../../policies/kubernetes";
import { MutationRow } from "../row";

const SERVICE = "Kubernetes";
const ENCRYPTED = "kubernetes-storageclass-encrypted";
const RETAIN = "kubernetes-storageclass-retain";
const TAGGED = "kubernetes-storageclass-backup-tag";
const DEFAULT = "kubernetes-storageclass-default";
const SCHEDULE = "kubernetes-cronjob-export-schedule";
const ACTIVE = "kubernetes-cronjob-export-active";
const DEFAULT_ANNOTATION = "storageclass.kubernetes.io/is-default-class";

/** The default StorageClass's and the Argo CD export's protections the README claims. */
export const KUBERNETES_ROWS: readonly MutationRow[] = [
    {
        service: SERVICE,
        protection: "persistent volumes KMS-encrypted with the data key",
        mutation: 'parameters.encrypted "false"',
        apply: (s) => s.set(s.one(STORAGE_CLASS), "parameters.encrypted", "false"),
        policy: ENCRYPTED,
    },
    {
        service: SERVICE,
        protection: "persistent volumes KMS-encrypted with the data key",
        mutation: "parameters.encrypted removed (the EBS CSI driver then does not encrypt)",
        apply: (s) => s.unset(s.one(STORAGE_CLASS), "parameters.encrypted"),
        policy: ENCRYPTED,
    },
    {
        service: SERVICE,
        protection: "persistent volumes KMS-encrypted with the data key",
        mutation: "parameters.kmsKeyId removed (volumes under aws/ebs)",
        apply: (s) => s.unset(s.one(STORAGE_CLASS), "parameters.kmsKeyId"),
        policy: ENCRYPTED,
    },
    {
        service: SERVICE,
        protection: "persistent volumes KMS-encrypted with the data key",
        mutation: "parameters.kmsKeyId the AWS managed alias/aws/ebs",
        apply: (s) => s.set(s.one(STORAGE_CLASS), "parameters.kmsKeyId", "alias/aws/ebs"),
        policy: ENCRYPTED,
    },
    {
        service: SERVICE,
        protection: "persistent volumes KMS-encrypted with the data key",
        mutation: "provisioner the in-tree kubernetes.io/aws-ebs (takes no tags, judged by nothing)",
        apply: (s) => s.set(s.one(STORAGE_CLASS), "provisioner", "kubernetes.io/aws-ebs"),
        policy: ENCRYPTED,
    },
    {
        service: SERVICE,
        protection: "persistent volumes KMS-encrypted with the data key",
        mutation: "a second StorageClass, unencrypted, declared beside the default one",
        apply: (s) => {
            const sc = s.one(STORAGE_CLASS);
            s.resources.push({
                ...sc,
                urn: `${sc.urn}-plain`,
                name: `${sc.name}-plain`,
                inputs: { ...sc.inputs, metadata: { name: "gp3-plain" }, parameters: { type: "gp3" } },
                propertyDependencies: {},
            });
        },
        policy: ENCRYPTED,
    },
    {
        service: SERVICE,
        protection: "persistent volumes KMS-encrypted with the data key",
        configuration: "dr:warm",
        mutation: "parameters.kmsKeyId removed on the warm DR cluster's StorageClass",
        apply: (s) => s.unset(s.one(STORAGE_CLASS), "parameters.kmsKeyId"),
        policy: ENCRYPTED,
    },
    {
        service: SERVICE,
        protection: "reclaimPolicy: Retain",
        mutation: "reclaimPolicy Delete",
        apply: (s) => s.set(s.one(STORAGE_CLASS), "reclaimPolicy", "Delete"),
        policy: RETAIN,
    },
    {
        service: SERVICE,
        protection: "reclaimPolicy: Retain",
        mutation: "reclaimPolicy removed (Kubernetes' default: Delete)",
        apply: (s) => s.unset(s.one(STORAGE_CLASS), "reclaimPolicy"),
        policy: RETAIN,
    },
    {
        service: SERVICE,
        protection: "reclaimPolicy: Retain",
        configuration: "dr:activated",
        mutation: "reclaimPolicy Delete on the activated DR cluster's StorageClass",
        apply: (s) => s.set(s.one(STORAGE_CLASS), "reclaimPolicy", "Delete"),
        policy: RETAIN,
    },
    {
        service: SERVICE,
        protection: "volumes tagged webank:backup=true for AWS Backup",
        mutation: "tagSpecification_1 removed",
        apply: (s) => s.unset(s.one(STORAGE_CLASS), "parameters.tagSpecification_1"),
        policy: TAGGED,
    },
    {
        service: SERVICE,
        protection: "volumes tagged webank:backup=true for AWS Backup",
        mutation: 'tagSpecification_1 "webank:backup=false"',
        apply: (s) => s.set(s.one(STORAGE_CLASS), "parameters.tagSpecification_1", "webank:backup=false"),
        policy: TAGGED,
    },
    {
        service: SERVICE,
        protection: "volumes tagged webank:backup=true for AWS Backup",
        mutation: 'tagSpecification_1 under another key ("backup=true")',
        apply: (s) => s.set(s.one(STORAGE_CLASS), "parameters.tagSpecification_1", "backup=true"),
        policy: TAGGED,
    },
    {
        service: SERVICE,
        protection: "a default StorageClass with these protections",
        mutation: "the StorageClass not declared",
        apply: (s) => s.drop(s.one(STORAGE_CLASS)),
        policy: DEFAULT,
    },
    {
        service: SERVICE,
        protection: "a default StorageClass with these protections",
        mutation: "the is-default-class annotation removed",
        apply: (s) => s.unset(s.one(STORAGE_CLASS), "metadata.annotations"),
        policy: DEFAULT,
    },
    {
        service: SERVICE,
        protection: "a default StorageClass with these protections",
        mutation: 'the is-default-class annotation "false"',
        apply: (s) => {
            const sc = s.one(STORAGE_CLASS);
            s.set(sc, "metadata.annotations", { [DEFAULT_ANNOTATION]: "false" });
        },
        policy: DEFAULT,
    },
    {
        service: SERVICE,
        protection: "Argo CD export at least every gitops RPO",
        mutation: 'schedule hourly ("0 * * * *")',
        apply: (s) => s.set(s.one(CRON_JOB), "spec.schedule", "0 * * * *"),
        policy: SCHEDULE,
    },
    {
        service: SERVICE,
        protection: "Argo CD export at least every gitops RPO",
        mutation: 'schedule daily ("0 3 * * *")',
        apply: (s) => s.set(s.one(CRON_JOB), "spec.schedule", "0 3 * * *"),
        policy: SCHEDULE,
    },
    {
        service: SERVICE,
        protection: "Argo CD export at least every gitops RPO",
        mutation:
            'schedule every 15 minutes ("*/15 * * * *"): plus the 5-minute deadline, past a 15-minute RPO',
        apply: (s) => s.set(s.one(CRON_JOB), "spec.schedule", "*/15 * * * *"),
        policy: SCHEDULE,
    },
    {
        service: SERVICE,
        protection: "Argo CD export at least every gitops RPO",
        mutation: 'schedule that never runs ("0 0 30 2 *")',
        apply: (s) => s.set(s.one(CRON_JOB), "spec.schedule", "0 0 30 2 *"),
        policy: SCHEDULE,
    },
    {
        service: SERVICE,
        protection: "Argo CD export at least every gitops RPO",
        mutation: "schedule not a cron expression",
        apply: (s) => s.set(s.one(CRON_JOB), "spec.schedule", "every 5 minutes"),
        policy: SCHEDULE,
    },
    {
        service: SERVICE,
        protection: "Argo CD export at least every gitops RPO",
        mutation: "activeDeadlineSeconds removed (a hung export blocks every later one)",
        apply: (s) => s.unset(s.one(CRON_JOB), "spec.jobTemplate.spec.activeDeadlineSeconds"),
        policy: SCHEDULE,
    },
    {
        service: SERVICE,
        protection: "Argo CD export at least every gitops RPO",
        mutation: "the export CronJob not declared",
        apply: (s) => s.drop(s.one(CRON_JOB)),
        policy: SCHEDULE,
    },
    {
        service: SERVICE,
        protection: "Argo CD export at least every gitops RPO",
        mutation: "the export renamed and moved out of Argo CD's namespace, then run hourly",
        apply: (s) =>
            s
                .set(s.one(CRON_JOB), "metadata", { name: "config-backup", namespace: "ops" })
                .set(s.one(CRON_JOB), "spec.schedule", "0 * * * *"),
        policy: SCHEDULE,
    },
    {
        service: SERVICE,
        protection: "Argo CD export at least every gitops RPO",
        configuration: "dr:warm-activated",
        mutation: "schedule hourly on the activated warm DR cluster",
        apply: (s) => s.set(s.one(CRON_JOB), "spec.schedule", "0 * * * *"),
        policy: SCHEDULE,
    },
    {
        service: SERVICE,
        protection: "Argo CD export at least every gitops RPO",
        configuration: "dr:warm",
        mutation: "the export CronJob not declared on the warm DR cluster",
        apply: (s) => {
            s.drop(s.one(CRON_JOB));
            if (!s.resources.some((r) => (HELM_TYPES as readonly string[]).includes(r.type))) {
                throw new Error("no Argo CD release to miss its export");
            }
        },
        policy: SCHEDULE,
    },
    {
        service: SERVICE,
        protection: "Argo CD export not suspended",
        mutation: "spec.suspend true",
        apply: (s) => s.set(s.one(CRON_JOB), "spec.suspend", true),
        policy: ACTIVE,
    },
    {
        service: SERVICE,
        protection: "Argo CD export not suspended",
        mutation: "the job template suspended (spec.jobTemplate.spec.suspend true)",
        apply: (s) => s.set(s.one(CRON_JOB), "spec.jobTemplate.spec.suspend", true),
        policy: ACTIVE,
    },
    {
        service: SERVICE,
        protection: "Argo CD export not suspended",
        configuration: "dr:warm-activated",
        mutation: "the job template suspended on the activated warm DR cluster",
        apply: (s) => s.set(s.one(CRON_JOB), "spec.jobTemplate.spec.suspend", true),
        policy: ACTIVE,
    },
];
