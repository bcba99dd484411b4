import { ARGOCD_NAMESPACE } from "../../../../lib/argocd";
import { HEARTBEAT_CRONJOB_NAME, HEARTBEAT_NAMESPACE } from "../../../../lib/heartbeat-writer";
import { backupRoleName, backupVaultName, clusterName } from "../../../../lib/naming";
import { partitionOf } from "../../../../lib/regions";
import type { ClusterRecoveryPoint } from "../../../cluster-restore-ports";
import type { JournalDocument } from "../../../run/journal";
import { problem, Refusal, UsageError } from "../../../run/refusal";
import { Measurements } from "../../../run/report";
import type { ChangingCommand, PlanContext, RunPlan } from "../../../run/runner";
import type { Step } from "../../../run/steps";
import { artifactReportStore } from "../../../run/stores";
import type { CommandContext } from "../../definition";
import { runInContext } from "../../run-in-context";
import { updateKubeconfigArgs } from "../../shared/kube-context";
import { copyAgeRpo, journaledData, rtoToStep } from "../runs";
import type { RestoreClusterRequest } from "./request";

/** The journal's and the report's operation. */
export const RESTORE_CLUSTER_OPERATION = "restore-cluster";

/**
 * How long the restore job may run. AWS Backup gives no restore-time SLA ("AWS Backup does not
 * provide any service-level agreements (SLAs) for a restore time", restoring-a-backup.html);
 * 180 minutes is this project's bound, under the cluster RTO of 240 with room for the checks.
 */
export const CLUSTER_RESTORE_WAIT_MINUTES = 180;

/** Seconds between two DescribeRestoreJob polls (each poll prints a progress line). */
export const CLUSTER_RESTORE_POLL_SECONDS = 30;

/** The one statement of the decision which vault: see {@link restoreClusterCommand}. */
const VAULT_CHOICE =
    "the DR vault: a restore job runs in its recovery point's region and restores into a cluster there, and the DR cluster is in the DR region";

/** The context of a run: names, ARNs, where. */
interface Place {
    readonly region: string;
    readonly vault: string;
    readonly sourceArn: string;
    readonly target: string;
    readonly roleArn: string;
}

async function placeOf(context: CommandContext): Promise<Place> {
    const { config, ports } = context;
    const account = await ports.identity.accountId();
    const partition = partitionOf(config.drRegion);
    return {
        region: config.drRegion,
        vault: backupVaultName(config.prefix),
        sourceArn: `arn:${partition}:eks:${config.homeRegion}:${account}:cluster/${clusterName(config.prefix, "primary")}`,
        target: clusterName(config.prefix, "dr"),
        roleArn: `arn:${partition}:iam::${account}:role/${backupRoleName(config.prefix)}`,
    };
}

/** The read-only checks: a DR cluster to restore into, the vault, the recovery point, its volumes. */
async function inspect(
    request: RestoreClusterRequest,
    context: CommandContext,
    place: Place,
): Promise<{ detail: string; data: Record<string, string> }> {
    const { config, ports } = context;
    const backup = ports.dr.clusterRestore;
    if (!config.dr.activated && config.dr.posture === "pilot") {
        throw new Refusal(
            `the dr stack runs no cluster (pilot light, not activated), so there is no ${place.target} to restore into; fail over first (npm run dr -- failover), which builds it`,
            2,
        );
    }
    if (!(await backup.vaultExists(place.vault))) {
        throw new Refusal(
            `backup vault ${place.vault} does not exist in ${place.region}; check it with: aws backup describe-backup-vault --region ${place.region} --backup-vault-name ${place.vault}`,
            1,
        );
    }
    const points = await backup.compositeRecoveryPoints(place.vault, place.sourceArn);
    let chosen: ClusterRecoveryPoint | undefined;
    if (request.recoveryPoint !== undefined) {
        chosen = points.find((p) => p.arn === request.recoveryPoint);
        if (!chosen || chosen.status !== "COMPLETED") {
            throw new UsageError(
                problem(
                    "--recovery-point",
                    `name a COMPLETED composite recovery point of ${place.sourceArn} in ${place.vault} (${place.region})${chosen ? `; it is ${chosen.status}` : "; it is not there"}`,
                    request.recoveryPoint,
                ),
            );
        }
    } else {
        chosen = points.find((p) => p.status === "COMPLETED");
        if (!chosen) {
            throw new Refusal(
                `no COMPLETED composite recovery point of ${place.sourceArn} in ${place.vault} (${place.region}): the cluster's DR copies have not landed yet; list them with: aws backup list-recovery-points-by-backup-vault --region ${place.region} --backup-vault-name ${place.vault} --by-resource-type EKS`,
                1,
            );
        }
    }
    const children = await backup.childRecoveryPoints(place.vault, chosen.arn);
    const volumes = children.filter((c) => c.resourceType === "EBS");
    if (volumes.length > 0 && !request.manifestsOnly && request.volumesAz === undefined) {
        throw new UsageError(
            problem(
                "--volumes-az",
                `be given: ${chosen.arn} holds ${volumes.length} EBS volume(s), which AWS Backup restores in a zone you name (one where ${place.target} has nodes); or give --manifests-only`,
                undefined,
            ),
        );
    }
    const ageMinutes = Math.round((ports.now().getTime() - chosen.createdAt.getTime()) / 60_000);
    return {
        detail:
            `restore ${chosen.arn} (taken ${chosen.createdAt.toISOString()}, ${ageMinutes} min ago; objective ${config.objectives.cluster.rpoMinutes} min) ` +
            `into ${place.target} in ${place.region}: ${request.namespaces ? `namespaces ${request.namespaces.join(", ")}` : "the whole cluster"}, ` +
            `${request.manifestsOnly ? "manifests only" : `${volumes.length} EBS volume(s)${volumes.length > 0 ? ` in ${request.volumesAz}` : ""}`}; existing objects are not overwritten`,
        data: {
            point: chosen.arn,
            createdAt: chosen.createdAt.toISOString(),
            volumes: request.manifestsOnly ? "" : volumes.map((v) => v.arn).join(","),
        },
    };
}

/**
 * The StartRestoreJob metadata of an existing-cluster restore ("Restore an Amazon EKS cluster",
 * AWS CLI, restoring-eks.html): `clusterName` (mandatory), `newCluster` "false", a
 * namespace-level restore's `namespaceLevelRestore` and `namespaces` (a JSON list in a string),
 * `restoreKubernetesManifestsOnly`, and `nestedRestoreJobs`: a JSON map, in a string, of each
 * EBS child recovery point to its own restore metadata, the Availability Zone ("For Amazon EBS
 * Snapshots you are required to provide an Availability Zone"; key spelling as the guide's EBS
 * restore metadata, `availabilityZone`: "key values are not case sensitive",
 * restore-testing-inferred-metadata.html).
 */
export function restoreMetadata(
    request: RestoreClusterRequest,
    target: string,
    volumes: readonly string[],
): Record<string, string> {
    return {
        clusterName: target,
        newCluster: "false",
        ...(request.namespaces
            ? { namespaceLevelRestore: "true", namespaces: JSON.stringify(request.namespaces) }
            : {}),
        ...(request.manifestsOnly ? { restoreKubernetesManifestsOnly: "true" } : {}),
        ...(volumes.length > 0 && request.volumesAz
            ? {
                  nestedRestoreJobs: JSON.stringify(
                      Object.fromEntries(
                          volumes.map((v) => [v, JSON.stringify({ availabilityZone: request.volumesAz })]),
                      ),
                  ),
              }
            : {}),
    };
}

/** What a run measured: RPO, the age of the restored point; RTO, run start to a verified cluster. */
function measure(journal: JournalDocument, context: CommandContext): Measurements {
    const objectives = context.config.objectives.cluster;
    const preflight = journaledData(journal, "preflight");
    const rto = rtoToStep(
        journal,
        "verify",
        "the cluster state restored and verified",
        objectives.rtoMinutes,
    );
    const rpo = preflight?.createdAt
        ? copyAgeRpo(
              journal,
              "the composite recovery point",
              new Date(preflight.createdAt),
              objectives.rpoMinutes,
          )
        : undefined;
    return {
        ...(rto ? { rto } : {}),
        ...(rpo ? { rpo } : {}),
        notes: rto ? [] : ["no RTO: the restored cluster was not verified"],
    };
}

function steps(
    request: RestoreClusterRequest,
    context: CommandContext,
    place: Place,
    token: string,
    preflight: () => Promise<{ detail: string; data: Record<string, string> }>,
): Step[] {
    const { ports } = context;
    const backup = ports.dr.clusterRestore;
    const check = (job: string) =>
        `aws backup describe-restore-job --region ${place.region} --restore-job-id ${job}`;
    return [
        {
            name: "preflight",
            after: [],
            readOnly: true,
            describe: "choose the recovery point and check what it holds",
            run: preflight,
        },
        {
            name: "restore",
            after: ["preflight"],
            describe: `start the AWS Backup restore job into ${place.target} (non-destructive: existing objects are kept)`,
            run: async (step) => {
                const data = step.dataOf("preflight") ?? {};
                const volumes = (data.volumes ?? "").split(",").filter(Boolean);
                const job = await backup.startRestoreJob({
                    recoveryPointArn: data.point ?? "",
                    iamRoleArn: place.roleArn,
                    metadata: restoreMetadata(request, place.target, volumes),
                    idempotencyToken: token,
                });
                return { detail: `restore job ${job} started (${check(job)})`, data: { job } };
            },
        },
        {
            name: "wait-restore",
            after: ["restore"],
            timeoutMinutes: CLUSTER_RESTORE_WAIT_MINUTES,
            describe: "wait for the restore job to complete",
            run: async (step) => {
                const job = step.dataOf("restore")?.job ?? "";
                const deadline = ports.now().getTime() + CLUSTER_RESTORE_WAIT_MINUTES * 60_000;
                for (;;) {
                    const state = await backup.describeRestoreJob(job);
                    if (state.status === "COMPLETED") {
                        const warning = state.statusMessage
                            ? `; WARNING: ${state.statusMessage} (the vault's RESTORE_JOB_COMPLETED notification lists them)`
                            : "";
                        return `restore job ${job} COMPLETED into ${state.createdResourceArn ?? place.target}${warning}`;
                    }
                    if (state.status === "FAILED" || state.status === "ABORTED") {
                        throw new Error(
                            `restore job ${job} ended ${state.status}${state.statusMessage ? `: ${state.statusMessage}` : ""}; check it with: ${check(job)}; fix the cause, then run a new restore`,
                        );
                    }
                    if (ports.now().getTime() >= deadline) {
                        throw new Error(
                            `restore job ${job} was not complete after ${CLUSTER_RESTORE_WAIT_MINUTES} minutes (${state.status}); check it with: ${check(job)}; resume to wait again`,
                        );
                    }
                    ports.output(`...   restore job ${job}: ${state.status} ${state.percentDone ?? "?"}%`);
                    await ports.timers.sleep(CLUSTER_RESTORE_POLL_SECONDS * 1000);
                }
            },
        },
        {
            name: "verify",
            after: ["wait-restore"],
            describe: `check on ${place.target} that Argo CD's applications and the heartbeat CronJob are there`,
            run: async () => {
                await ports.commands.run("aws", updateKubeconfigArgs(place.region, place.target));
                const kubectl = (args: string[]) =>
                    ports.commands.run("kubectl", ["--context", place.target, ...args]);
                const found: string[] = [];
                const wants = (namespace: string) =>
                    !request.namespaces || request.namespaces.includes(namespace);
                if (wants(ARGOCD_NAMESPACE)) {
                    const apps = (
                        await kubectl(["-n", ARGOCD_NAMESPACE, "get", "applications", "-o", "name"])
                    ).stdout.trim();
                    if (apps === "") {
                        throw new Error(
                            `no Argo CD application on ${place.target} after the restore; check: kubectl --context ${place.target} -n ${ARGOCD_NAMESPACE} get applications`,
                        );
                    }
                    found.push(`${apps.split("\n").length} Argo CD application(s)`);
                }
                if (wants(HEARTBEAT_NAMESPACE)) {
                    await kubectl([
                        "-n",
                        HEARTBEAT_NAMESPACE,
                        "get",
                        "cronjob",
                        HEARTBEAT_CRONJOB_NAME,
                        "-o",
                        "name",
                    ]);
                    found.push(`CronJob ${HEARTBEAT_NAMESPACE}/${HEARTBEAT_CRONJOB_NAME}`);
                }
                return `${place.target}: ${found.join(", ") || "nothing checked (no verified namespace restored)"}`;
            },
        },
    ];
}

async function plan(
    request: RestoreClusterRequest,
    context: CommandContext,
    run: PlanContext,
): Promise<RunPlan> {
    const place = await placeOf(context);
    const checked = run.resumed ? undefined : await inspect(request, context, place);
    const preflight = () => (checked ? Promise.resolve(checked) : inspect(request, context, place));
    const token =
        run.pins.token ??
        `restore-cluster-${run.startedAt
            .toISOString()
            .replace(/[^0-9]/g, "")
            .slice(0, 14)}`;
    return {
        summary: `the primary cluster's state restored from ${VAULT_CHOICE.split(":")[0]} into ${place.target}`,
        findings: checked ? [checked.detail] : ["resumed: the recovery point is the one the journal names"],
        question: `${checked?.detail ?? `Resume the restore into ${place.target}`}. Restore now?`,
        steps: steps(request, context, place, token, preflight),
        pins: { token },
        measure: (journal) => measure(journal, context),
        next: () => [
            `restored into ${place.target}: Argo CD syncs the rest from Git; objects that already existed were kept as they were (AWS Backup never overwrites).`,
            "It does not restore: container images, the VPC and subnets, nodes, events, leases, jobs (EKS backups do not include them), nor the database (npm run dr -- restore db / failover).",
        ],
    };
}

/**
 * `restore cluster` as a changing command. It reads the DR vault only ({@link VAULT_CHOICE}):
 * the primary cluster's copies land there, and they are there when the home region is not.
 */
export function restoreClusterCommand(
    request: RestoreClusterRequest,
    context: CommandContext,
): ChangingCommand {
    const { config, ports } = context;
    return {
        operation: RESTORE_CLUSTER_OPERATION,
        title: `restore of the primary cluster's state into ${clusterName(config.prefix, "dr")} (${config.drRegion})`,
        request: {
            "--recovery-point": request.recoveryPoint ?? "newest",
            "--namespaces": request.namespaces?.join(",") ?? "all",
            "--manifests-only": String(request.manifestsOnly),
            "--volumes-az": request.volumesAz ?? "none",
        },
        resumeArgs: [
            "restore",
            "cluster",
            ...(request.recoveryPoint ? ["--recovery-point", request.recoveryPoint] : []),
            ...(request.namespaces ? ["--namespaces", request.namespaces.join(",")] : []),
            ...(request.manifestsOnly ? ["--manifests-only"] : []),
            ...(request.volumesAz ? ["--volumes-az", request.volumesAz] : []),
        ],
        reportStore: artifactReportStore(config, ports, RESTORE_CLUSTER_OPERATION),
        plan: (run) => plan(request, context, run),
    };
}

/**
 * `npm run dr -- restore cluster`: restores a composite EKS recovery point of the primary
 * cluster from the DR vault into the DR cluster, waits for the job, and verifies the cluster.
 * Returns the exit code: 0 done, 1 failed (resumable), 2 refused.
 */
export function runRestoreCluster(request: RestoreClusterRequest, context: CommandContext): Promise<number> {
    return runInContext(restoreClusterCommand(request, context), request.change, context);
}
