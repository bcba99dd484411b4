import { ARGOCD_NAMESPACE, EXPORT_CRONJOB_NAME, exportStaleAlarmName } from "../../../../lib/argocd";
import type { ChangingCommand, PlanContext, RunPlan } from "../../../run/runner";
import type { Step } from "../../../run/steps";
import { artifactReportStore } from "../../../run/stores";
import type { CommandContext } from "../../definition";
import {
    artifactPins,
    artifactStore,
    ArtifactStore,
    chooseArtifact,
    describeArtifact,
    listCommand,
} from "../artifacts";
import { contextArgs, contextName } from "../options";
import { copyAgeRpo, rtoToStep } from "../runs";
import { runInContext } from "../../run-in-context";
import { applicationsIn, applicationsOnCluster, ExportedApplication } from "./applications";
import { ExportChoice, HEALTHY_STATES, newestHealthyExport, unhealthyReason } from "./healthy-export";
import { clusterOfContext, enableExportAlarmArgs, resumeExportsArgs } from "../../shared/argocd-exports";
import { exportPrefixOf, RestoreArgocdRequest } from "./request";

/** The journal's and the report's operation. */
export const RESTORE_ARGOCD_OPERATION = "restore-argocd";

/**
 * The plan: the export (the pinned one when resumed, else `--export-key` or the newest of a
 * healthy cluster), that it parses and holds Applications, and that Argo CD answers on the
 * cluster. Reads only.
 */
async function planArgocdRestore(
    request: RestoreArgocdRequest,
    context: CommandContext,
    run: PlanContext,
): Promise<RunPlan> {
    const { ports, config } = context;
    const out = ports.output;
    const kube = request.context;
    const cluster = contextName(kube);
    const prefix = exportPrefixOf(config.prefix, request.fromCluster);
    const store = await artifactStore(ports, config, request.region);
    const {
        object: chosen,
        body,
        applications,
        passedOver,
    } = await chooseExport(
        store,
        prefix,
        run.pins.exportKey ?? request.exportKey,
        run.pins.exportVersion,
        out,
    );
    const source = `s3://${store.bucket}/${chosen.key}`;
    const expected = applications.filter((a) => a.namespace === ARGOCD_NAMESPACE).map((a) => a.name);
    const elsewhere = applications.filter((a) => a.namespace !== ARGOCD_NAMESPACE);
    const present = await applicationsOnCluster(ports.commands, kube).catch((error: unknown) => {
        throw new Error(
            `cannot list Argo CD Applications on ${cluster} (${error instanceof Error ? error.message : String(error)}); ` +
                "Argo CD must be installed before its configuration is imported: pulumi up of the stack that runs the cluster",
        );
    });
    const objectives = config.objectives.gitops;
    const steps: Step[] = [
        {
            name: "import",
            after: [],
            describe: `argocd admin import -n ${ARGOCD_NAMESPACE} - < ${chosen.key} on ${cluster} (no --prune: nothing is deleted)`,
            run: async () => {
                // The export holds Argo CD's secrets: it goes from S3 to argocd's stdin in memory, never to disk.
                const { stdout } = await ports.commands.run(
                    "argocd",
                    ["admin", "import", "-n", ARGOCD_NAMESPACE, "-", ...contextArgs("--context", kube)],
                    { stdin: body },
                );
                // argocd prints one `<Kind>/<name> <action>` line per object: names, never values.
                const lines = stdout.split("\n").filter((l) => l.trim() !== "");
                lines.forEach((line) => out(`  ${line.trim()}`));
                return `imported ${chosen.key} (${lines.length} lines of argocd output)`;
            },
        },
        {
            name: "verify",
            after: ["import"],
            describe: `check that the ${expected.length} Applications of the export exist on ${cluster}`,
            run: async () => {
                const now = await applicationsOnCluster(ports.commands, kube);
                const missing = expected.filter((name) => !now.has(name));
                if (missing.length > 0) {
                    const check = ["kubectl", "-n", ARGOCD_NAMESPACE, "get", "applications"]
                        .concat(contextArgs("--context", kube))
                        .join(" ");
                    throw new Error(
                        `${missing.length} of the ${expected.length} Applications of the export are missing after the import: ` +
                            `${missing.join(", ")}. Check with: ${check}, then run the same command again`,
                    );
                }
                return `all ${expected.length} Applications of the export exist: ${expected.join(", ")}`;
            },
        },
        {
            // The DR cluster's export CronJob is created suspended (components/argocd.ts
            // suspendExport) so a half-restored Argo CD is never exported as the newest
            // (argocd-operator#205); once the import is verified its exports are trustworthy.
            name: "resume-exports",
            after: ["verify"],
            describe: `unsuspend the ${EXPORT_CRONJOB_NAME} CronJob on ${cluster} (kubectl patch) and enable its stale-export alarm: its exports are of a verified Argo CD from now on`,
            run: async () => {
                await ports.commands.run("kubectl", resumeExportsArgs(kube));
                // Its stale-export alarm was declared without actions while the job was suspended.
                const eks = clusterOfContext(kube);
                if (!eks) {
                    return (
                        `${EXPORT_CRONJOB_NAME} on ${cluster} runs on its schedule again; the kube context names no EKS cluster ARN, ` +
                        `so enable its stale-export alarm yourself if its actions are off: aws cloudwatch enable-alarm-actions --region <cluster region> --alarm-names ${exportStaleAlarmName("<cluster name>")}`
                    );
                }
                await ports.commands.run("aws", enableExportAlarmArgs(eks.name, eks.region));
                return `${EXPORT_CRONJOB_NAME} on ${cluster} runs on its schedule again, watched by ${exportStaleAlarmName(eks.name)}`;
            },
        },
    ];
    return {
        summary: `Argo CD from ${source} into ${cluster}`,
        findings: [
            ...describeArtifact("Argo CD export", store, chosen, ports.now(), objectives.rpoMinutes),
            ...exportHealthFindings(applications, passedOver),
            `the export holds ${applications.length} Applications: ${applications.map((a) => a.name).join(", ")}`,
            `cluster ${cluster} has ${expected.filter((n) => present.has(n)).length} of the ${expected.length} in namespace ${ARGOCD_NAMESPACE} now`,
            ...(elsewhere.length > 0
                ? [
                      `not checked after the import (outside namespace ${ARGOCD_NAMESPACE}): ${elsewhere.map((a) => `${a.namespace}/${a.name}`).join(", ")}`,
                  ]
                : []),
        ],
        question: `Import Argo CD export ${chosen.key} into the cluster of kube context ${cluster}? Argo CD objects of the same names are overwritten with the export's.`,
        steps,
        pins: artifactPins("export", chosen),
        // Argo CD's configuration is back once its Applications exist again (RTO, from this
        // run's start: the reinstall before it is not counted); what changed in Argo CD after
        // the export was written is lost (RPO).
        measure: (journal) => {
            const rto = rtoToStep(
                journal,
                "verify",
                "every Application of the export on the cluster",
                objectives.rtoMinutes,
            );
            return {
                ...(rto ? { rto } : {}),
                rpo: copyAgeRpo(journal, `export ${chosen.key}`, chosen.lastModified, objectives.rpoMinutes),
                notes: [
                    rto
                        ? "RTO counts from this run's start: reinstalling Argo CD (pulumi up) before it is not included"
                        : "no RTO: the Applications were not verified",
                ],
            };
        },
        next: () => [
            `Next: sync the Applications and check they become Synced and Healthy: ${["kubectl", "-n", ARGOCD_NAMESPACE, "get", "applications", ...contextArgs("--context", kube)].join(" ")}`,
        ],
    };
}

/**
 * The export to import: the one named (`--export-key`, or pinned by the run being resumed),
 * which must hold Applications; else the newest of a healthy cluster ({@link newestHealthyExport}).
 */
async function chooseExport(
    store: ArtifactStore,
    prefix: string,
    key: string | undefined,
    versionId: string | undefined,
    out: (line: string) => void,
): Promise<ExportChoice> {
    if (key === undefined) {
        return newestHealthyExport(store, prefix, out);
    }
    const object = await chooseArtifact(store, prefix, { key, versionId, flag: "--export-key" });
    const body = await store.objects.getObject(store.bucket, object.key, object.versionId);
    const source = `s3://${store.bucket}/${object.key}`;
    const applications = applicationsIn(body.toString("utf8"), source);
    if (applications.length === 0) {
        throw new Error(
            `${source} holds no Argo CD Application; it is empty or not an export. ` +
                `Choose an older export with --export-key (${listCommand(store, prefix)})`,
        );
    }
    return { object, body, applications, passedOver: [] };
}

/** What the plan says of the export's health: the newer exports passed over, or a chosen export's unhealthy Applications. */
function exportHealthFindings(
    applications: readonly ExportedApplication[],
    passedOver: ExportChoice["passedOver"],
): string[] {
    const reason = unhealthyReason(applications);
    return [
        ...(passedOver.length > 0
            ? [
                  `passed over ${passedOver.length} newer export(s) not of a healthy cluster (${passedOver.map((p) => p.key).join(", ")}): ` +
                      `the newest export whose Applications were all ${HEALTHY_STATES.join(" or ")} is taken`,
              ]
            : []),
        ...(reason ? [`WARNING: the chosen export is not of a healthy cluster: ${reason}`] : []),
    ];
}

/** `restore argocd` as a changing command for the runner. */
export function restoreArgocdCommand(
    request: RestoreArgocdRequest,
    context: CommandContext,
): ChangingCommand {
    const exportKey = request.exportKey ?? "newest";
    return {
        operation: RESTORE_ARGOCD_OPERATION,
        title: `restore of Argo CD (${request.fromCluster} exports, ${request.region} region) into ${contextName(request.context)}`,
        request: {
            "--region": request.region,
            "--from-cluster": request.fromCluster,
            "--export-key": exportKey,
            ...(request.context !== undefined ? { "--context": request.context } : {}),
        },
        resumeArgs: [
            "restore",
            "argocd",
            "--region",
            request.region,
            "--from-cluster",
            request.fromCluster,
            ...(request.exportKey !== undefined ? ["--export-key", request.exportKey] : []),
            ...contextArgs("--context", request.context),
        ],
        reportStore: artifactReportStore(context.config, context.ports, RESTORE_ARGOCD_OPERATION),
        plan: (run) => planArgocdRestore(request, context, run),
    };
}

/**
 * `npm run dr -- restore argocd`: Argo CD's configuration from the newest export taken while
 * every Application was healthy (Argo CD loss; healthy-export.ts), or the one `--export-key` names. Reports the export's age against the Argo CD RPO (a
 * warning, not a failure: an old export beats none), checks that it parses and counts its
 * Applications, then imports it with `argocd admin import -n argocd -` and checks that every
 * Application of the export exists on the cluster again. The import never passes `--prune`:
 * objects the export does not hold are left alone, nothing is deleted. Argo CD itself must be
 * installed first (`pulumi up` of the stack that runs the cluster).
 */
export function runRestoreArgocd(request: RestoreArgocdRequest, context: CommandContext): Promise<number> {
    return runInContext(restoreArgocdCommand(request, context), request.change, context);
}
