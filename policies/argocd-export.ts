import { PolicyResource } from "@pulumi/policy";
import { ARGOCD_NAMESPACE, EXPORT_CRONJOB_NAME } from "../lib/argocd";
import { isPatch } from "./kubernetes";
import { CronError, worstCaseGapMinutes } from "./lib/cron";
import { resourcePolicy, stackPolicy } from "./lib/define";
import { Evaluation } from "./lib/evaluation";
import { describe, isUnknown, valueAt } from "./lib/values";
import { pick, PolicyObjectives } from "./thresholds";

/**
 * Argo CD's configuration, exported by a CronJob (`argocd admin export`, components/argocd.ts)
 * at least as often as the gitops RPO allows, and never left suspended where it must run.
 */

/** The CronJob, and its older API versions. */
export const CRON_JOB_TYPES = [
    "kubernetes:batch/v1:CronJob",
    "kubernetes:batch/v1beta1:CronJob",
    "kubernetes:batch/v2alpha1:CronJob",
] as const;
/** Server-side-apply patches of a CronJob: judged on what they set. */
export const CRON_JOB_PATCH_TYPES = [
    "kubernetes:batch/v1:CronJobPatch",
    "kubernetes:batch/v1beta1:CronJobPatch",
    "kubernetes:batch/v2alpha1:CronJobPatch",
] as const;
/** The CronJob type the program declares. */
export const CRON_JOB = CRON_JOB_TYPES[0];
/** Helm installs of a chart: a v3 Release, a v3 Chart component, a v4 Chart. */
export const HELM_TYPES = [
    "kubernetes:helm.sh/v3:Release",
    "kubernetes:helm.sh/v3:Chart",
    "kubernetes:helm.sh/v4:Chart",
] as const;
/** The types these policies judge (for the stores policy, which refuses types nothing judges). */
export const CHECKED_TYPES: readonly string[] = [...CRON_JOB_TYPES, ...CRON_JOB_PATCH_TYPES];

const isOneOf = (types: readonly string[], type: string) => types.includes(type);

/** The command lines of a CronJob's job containers, known parts only. */
function commandLines(props: unknown): string[] {
    const pod = "spec.jobTemplate.spec.template.spec";
    return ["containers", "initContainers"].flatMap((list) => {
        const containers = valueAt(props, `${pod}.${list}`);
        if (!Array.isArray(containers)) {
            return [];
        }
        return containers.map((_, i) =>
            ["command", "args"]
                .flatMap((part) => {
                    const value = valueAt(props, `${pod}.${list}[${i}].${part}`);
                    return Array.isArray(value)
                        ? value.filter((v): v is string => typeof v === "string")
                        : [];
                })
                .join(" "),
        );
    });
}

/**
 * Whether a CronJob (or a patch of one) is Argo CD's configuration export. The program sets no
 * label that says so, so it is recognised by what it is, any one of: it runs
 * `argocd admin export`; it has the name the recovery commands run it by
 * (lib/argocd.ts {@link EXPORT_CRONJOB_NAME}); it lives in Argo CD's namespace, where every
 * CronJob exists to serve Argo CD.
 */
export function isArgocdExport(props: unknown): boolean {
    return (
        valueAt(props, "metadata.name") === EXPORT_CRONJOB_NAME ||
        valueAt(props, "metadata.namespace") === ARGOCD_NAMESPACE ||
        commandLines(props).some((line) => /\bargocd\s+admin\s+export\b/.test(line))
    );
}

/** Argo CD installed by Helm (the argo-cd chart, from any repository). */
function isArgocdInstall(resource: PolicyResource): boolean {
    const chart = valueAt(resource.props, "chart");
    return (
        isOneOf(HELM_TYPES, resource.type) &&
        typeof chart === "string" &&
        /(^|\/)argo-cd(-[\w.+-]+\.tgz)?$/.test(chart)
    );
}

/** Time zones without daylight saving time, whose wall clock never jumps. */
const FIXED_ZONE = /^(Etc\/)?(UTC|UCT|GMT|GMT0|Zulu|Universal|Greenwich)$|^Etc\/GMT[+-]\d{1,2}$/;

/** Judges how stale the newest export can get: the longest gap between runs plus a run's deadline. */
function judgeSchedule(evaluation: Evaluation, job: PolicyResource, rpoMinutes: number): void {
    const patch = isPatch(job.type);
    const schedule = valueAt(job.props, "spec.schedule");
    if (patch && schedule === undefined) {
        return;
    }
    const properties = ["spec.schedule", "spec.timeZone", "spec.jobTemplate.spec.activeDeadlineSeconds"];
    const unknown = properties.filter((p) => isUnknown(valueAt(job.props, p)));
    if (unknown.length > 0) {
        unknown.forEach((p) => evaluation.unknown(job, p));
        return;
    }
    const zone = valueAt(job.props, "spec.timeZone");
    const deadline =
        valueAt(job.props, "spec.jobTemplate.spec.activeDeadlineSeconds") ?? (patch ? 0 : undefined);
    if (typeof deadline !== "number" || deadline < 0 || (deadline === 0 && !patch)) {
        evaluation.violation(
            job,
            "spec.jobTemplate.spec.activeDeadlineSeconds",
            `must bound each export run (without it a hung export runs forever, and with concurrencyPolicy Forbid no later export starts); it is ${describe(deadline)}.`,
        );
        return;
    }
    let gap: number;
    try {
        gap = typeof schedule === "string" ? worstCaseGapMinutes(schedule) : Infinity;
    } catch (error) {
        if (!(error instanceof CronError)) {
            throw error;
        }
        evaluation.violation(
            job,
            "spec.schedule",
            `must be a schedule the CronJob controller runs: ${error.message}.`,
        );
        return;
    }
    // Where the wall clock jumps (a named zone, or none: the controller manager's own zone), a
    // fall-back night stretches one gap by an hour.
    const shift = typeof zone === "string" && FIXED_ZONE.test(zone) ? 0 : 60;
    const stale = gap + shift + deadline / 60;
    if (stale > rpoMinutes) {
        evaluation.violation(
            job,
            "spec.schedule",
            `must export Argo CD's configuration often enough that the newest export is never more than ${rpoMinutes} minutes old (the gitops RPO, webank:objectives gitops.rpoMinutes): counting the longest gap between runs${shift ? ", an hour for a daylight-saving change (timeZone " + describe(zone) + ")" : ""} and a run's deadline (${deadline / 60} min), ${describe(schedule)} allows ${Number.isFinite(stale) ? `${Math.round(stale)} minutes` : "no bound (it never runs, or almost never)"}.`,
        );
    }
}

/**
 * Argo CD's configuration exported within the gitops RPO: every Argo CD the stack installs has
 * an export CronJob on the same cluster, and each export's worst case (the longest gap its
 * schedule leaves, one hour more where daylight saving can stretch it, plus the run's
 * `activeDeadlineSeconds`: lib/schedule.ts counts a job's run time into what it can lose) stays
 * within `gitopsRpoMinutes`.
 */
export const kubernetesCronJobExportSchedule = stackPolicy<Pick<PolicyObjectives, "gitopsRpoMinutes">>({
    name: "kubernetes-cronjob-export-schedule",
    description:
        "Checks whether every Argo CD installation has an export CronJob whose schedule keeps the newest export within the gitops RPO.",
    thresholds: pick("gitopsRpoMinutes"),
    validate: (args, evaluation, config) => {
        const jobs = args.resources.filter(
            (r) =>
                (isOneOf(CRON_JOB_TYPES, r.type) || isOneOf(CRON_JOB_PATCH_TYPES, r.type)) &&
                isArgocdExport(r.props),
        );
        for (const install of args.resources.filter(isArgocdInstall)) {
            const onCluster = jobs.filter(
                (job) =>
                    !isPatch(job.type) &&
                    (!job.provider || !install.provider || job.provider.urn === install.provider.urn),
            );
            if (onCluster.length === 0) {
                evaluation.violation(
                    install,
                    CRON_JOB,
                    `Argo CD's configuration must be exported by a CronJob running argocd admin export on the same cluster at least every ${config.gitopsRpoMinutes} minutes (the gitops RPO); this installation has none.`,
                );
            }
        }
        for (const job of jobs) {
            judgeSchedule(evaluation, job, config.gitopsRpoMinutes);
        }
    },
});

/**
 * The export is not suspended: `spec.suspend: true` starts no Job, and a job template with
 * `suspend: true` creates Jobs that never start a pod (Kubernetes "CronJob", Schedule
 * suspension; "Jobs", Suspending a Job). On a dr stack the program creates the export
 * suspended on purpose (components/argocd.ts `suspendExport`: an unverified Argo CD must not
 * write the newest export) and `restore argocd` resumes it out of band, so there
 * `spec.suspend` is not judged; the job template's is, everywhere.
 */
export const kubernetesCronJobExportActive = resourcePolicy<Pick<PolicyObjectives, "stackRole">>({
    name: "kubernetes-cronjob-export-active",
    description:
        "Checks whether Argo CD's export CronJob is not suspended (on a dr stack: until its restore resumes it).",
    thresholds: pick("stackRole"),
    types: [...CRON_JOB_TYPES, ...CRON_JOB_PATCH_TYPES],
    validate: (job, evaluation, config) => {
        if (!isArgocdExport(job.props)) {
            return;
        }
        const notSuspended = (why: string) => (value: unknown) =>
            value === true ? `must not be true (${why}); it is true.` : undefined;
        if (config.stackRole === "primary") {
            evaluation.check(job, "spec.suspend", notSuspended("a suspended CronJob starts no export"));
        }
        evaluation.check(
            job,
            "spec.jobTemplate.spec.suspend",
            notSuspended("each Job it creates would stay suspended and export nothing"),
        );
    },
});
