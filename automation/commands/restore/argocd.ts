import { parseAllDocuments } from "yaml";
import { ARGOCD_NAMESPACE } from "../../../lib/argocd";
import { ARTIFACT_PREFIXES } from "../../../lib/artifacts";
import { StackConfig } from "../../../config";
import { clusterName } from "../../../lib/naming";
import { CommandPort, RecoveryPorts } from "../../ports";
import { Step } from "../../run/steps";
import {
    ArtifactRegion,
    artifactStore,
    chooseArtifact,
    contextArgs,
    contextProblem,
    describeArtifact,
    problem,
    regionProblem,
    RestoreCommandOptions,
    runRestoreCommand,
} from "./run";

/** The cluster roles whose exports exist (`argocd-exports/<clusterName(prefix, role)>/`). */
export const EXPORT_CLUSTERS = ["primary", "dr"] as const;

/** Options of `npm run dr -- restore argocd`. */
export interface RestoreArgocdOptions extends RestoreCommandOptions {
    /** Which copy of the artifact bucket to read. Default `home`; `dr` after a loss of the home region. */
    readonly region?: ArtifactRegion;
    /** Role of the cluster whose exports are imported: `primary` (default) or `dr`. */
    readonly fromCluster?: string;
    /**
     * Key of the export to import instead of the newest, e.g.
     * `argocd-exports/webank-primary/20261125T024900Z.yaml` (when the newest holds the bad change).
     */
    readonly exportKey?: string;
    /**
     * Kube context of the cluster to import into (`argocd --context`, `kubectl --context`).
     * Required unless `--dry-run`: an import overwrites Argo CD objects of the same names.
     */
    readonly context?: string;
}

/** An Application an export holds. */
export interface ExportedApplication {
    /** `metadata.name`. */
    readonly name: string;
    /** `metadata.namespace`, or the Argo CD namespace when the export leaves it out. */
    readonly namespace: string;
}

/**
 * The Applications in an `argocd admin export` (a YAML stream of Argo CD's objects). Throws
 * when the stream does not parse, so a damaged export is found before the import.
 */
export function applicationsIn(exportYaml: string, source: string): ExportedApplication[] {
    const applications: ExportedApplication[] = [];
    parseAllDocuments(exportYaml).forEach((document, index) => {
        if (document.errors.length > 0) {
            throw new Error(
                `${source} is not a valid Argo CD export: document ${index + 1}: ${document.errors[0].message}; ` +
                    "choose another export with --export-key",
            );
        }
        const value: unknown = document.toJS();
        if (!isRecord(value) || value.kind !== "Application") {
            return;
        }
        const metadata = isRecord(value.metadata) ? value.metadata : {};
        if (typeof metadata.name === "string") {
            applications.push({
                name: metadata.name,
                namespace: typeof metadata.namespace === "string" ? metadata.namespace : ARGOCD_NAMESPACE,
            });
        }
    });
    return applications;
}

/** Names of the Applications in the Argo CD namespace of the cluster (`kubectl get applications -o name`). */
export async function applicationsOnCluster(
    commands: CommandPort,
    context: string | undefined,
): Promise<Set<string>> {
    const { stdout } = await commands.run("kubectl", [
        "-n",
        ARGOCD_NAMESPACE,
        "get",
        "applications",
        "-o",
        "name",
        ...contextArgs("--context", context),
    ]);
    // `-o name` prints `application.argoproj.io/<name>`; a table's first column is the name too.
    const names = stdout
        .split("\n")
        .map((line) => line.trim().split(/\s+/)[0] ?? "")
        .map((token) => token.slice(token.lastIndexOf("/") + 1))
        .filter((name) => name !== "" && name !== "NAME");
    return new Set(names);
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Problems with the options of `restore argocd`, each naming its flag and value. */
export function restoreArgocdProblems(options: RestoreArgocdOptions, config: StackConfig): string[] {
    const fromCluster = options.fromCluster ?? "primary";
    const problems = [
        regionProblem(options.region),
        (EXPORT_CLUSTERS as readonly string[]).includes(fromCluster)
            ? undefined
            : problem("--from-cluster", `be ${EXPORT_CLUSTERS.join(" or ")}`, fromCluster),
        contextProblem(options.context, options.dryRun ? undefined : "to import Argo CD into"),
    ];
    const prefix = exportPrefix(config, fromCluster);
    if (
        options.exportKey !== undefined &&
        !(options.exportKey.startsWith(prefix) && options.exportKey.endsWith(".yaml"))
    ) {
        problems.push(problem("--export-key", `be a key under ${prefix} ending in .yaml`, options.exportKey));
    }
    return problems.filter((p): p is string => p !== undefined);
}

function exportPrefix(config: StackConfig, fromCluster: string): string {
    return `${ARTIFACT_PREFIXES.argocdExports}${clusterName(config.prefix, fromCluster)}/`;
}

/**
 * `restore argocd`: Argo CD's configuration from the newest export (Argo CD loss). Finds the
 * newest `argocd-exports/<cluster>/` export in the artifact bucket (or the one `--export-key`
 * names), reports its age against the Argo CD RPO (a warning, not a failure: an old export
 * beats none), checks that it parses and counts its Applications, then imports it with
 * `argocd admin import -n argocd -` and checks that every Application of the export exists
 * on the cluster again.
 *
 * The export holds Argo CD's secrets (repository credentials, the SSO client secret), so it
 * goes from S3 to argocd's standard input in memory and is never written to disk. The import
 * never passes `--prune`: objects the export does not hold are left alone, nothing is deleted.
 * Argo CD itself must be installed first (`pulumi up` of the stack that runs the cluster).
 */
export async function restoreArgocdCommand(
    options: RestoreArgocdOptions,
    ports: RecoveryPorts,
    config: StackConfig,
): Promise<number> {
    const out = ports.output;
    const problems = restoreArgocdProblems(options, config);
    if (problems.length > 0) {
        problems.forEach((p) => out(`error: ${p}`));
        out("nothing was changed");
        return 2;
    }
    const side = options.region ?? "home";
    const fromCluster = options.fromCluster ?? "primary";
    const context = options.context;
    const contextName = context ?? "(the current kube context)";
    const request = {
        region: side,
        fromCluster,
        exportKey: options.exportKey ?? "newest",
        context: context ?? "current",
    };
    return runRestoreCommand("argocd", options, ports, request, async (pins) => {
        const store = await artifactStore(ports, config, side);
        const chosen = await chooseArtifact(store, exportPrefix(config, fromCluster), {
            key: pins.exportKey ?? options.exportKey,
            versionId: pins.exportVersion,
            flag: "--export-key",
        });
        const body = await store.objects.getObject(store.bucket, chosen.key, chosen.versionId);
        const source = `s3://${store.bucket}/${chosen.key}`;
        const applications = applicationsIn(body.toString("utf8"), source);
        if (applications.length === 0) {
            throw new Error(
                `${source} holds no Argo CD Application; it is empty or not an export. ` +
                    `Choose an older export with --export-key (aws s3 ls s3://${store.bucket}/${exportPrefix(config, fromCluster)} --region ${store.region})`,
            );
        }
        const expected = applications.filter((a) => a.namespace === ARGOCD_NAMESPACE).map((a) => a.name);
        const elsewhere = applications.filter((a) => a.namespace !== ARGOCD_NAMESPACE);
        const present = await applicationsOnCluster(ports.commands, context).catch((error: unknown) => {
            throw new Error(
                `cannot list Argo CD Applications on ${contextName} (${error instanceof Error ? error.message : String(error)}); ` +
                    "Argo CD must be installed before its configuration is imported: pulumi up of the stack that runs the cluster",
            );
        });
        const findings = [
            ...describeArtifact(
                "Argo CD export",
                store,
                chosen,
                ports.now(),
                config.objectives.gitops.rpoMinutes,
            ),
            `the export holds ${applications.length} Applications: ${applications.map((a) => a.name).join(", ")}`,
            `cluster ${contextName} has ${expected.filter((n) => present.has(n)).length} of the ${expected.length} in namespace ${ARGOCD_NAMESPACE} now`,
            ...(elsewhere.length > 0
                ? [
                      `not checked after the import (outside namespace ${ARGOCD_NAMESPACE}): ${elsewhere.map((a) => `${a.namespace}/${a.name}`).join(", ")}`,
                  ]
                : []),
        ];
        const steps: Step[] = [
            {
                name: "import",
                after: [],
                describe: `argocd admin import -n ${ARGOCD_NAMESPACE} - < ${chosen.key} on ${contextName} (no --prune: nothing is deleted)`,
                run: async () => {
                    const { stdout } = await ports.commands.run(
                        "argocd",
                        [
                            "admin",
                            "import",
                            "-n",
                            ARGOCD_NAMESPACE,
                            "-",
                            ...contextArgs("--context", context),
                        ],
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
                describe: `check that the ${expected.length} Applications of the export exist on ${contextName}`,
                run: async () => {
                    const now = await applicationsOnCluster(ports.commands, context);
                    const missing = expected.filter((name) => !now.has(name));
                    if (missing.length > 0) {
                        const check = ["kubectl", "-n", ARGOCD_NAMESPACE, "get", "applications"]
                            .concat(contextArgs("--context", context))
                            .join(" ");
                        throw new Error(
                            `${missing.length} of the ${expected.length} Applications of the export are missing after the import: ` +
                                `${missing.join(", ")}. Check with: ${check}, then run the same command again`,
                        );
                    }
                    return `all ${expected.length} Applications of the export exist: ${expected.join(", ")}`;
                },
            },
        ];
        return {
            summary: `Argo CD from ${source} into ${contextName}`,
            pins: { exportKey: chosen.key, ...(chosen.versionId ? { exportVersion: chosen.versionId } : {}) },
            findings,
            question: `Import Argo CD export ${chosen.key} into the cluster of kube context ${contextName}? Argo CD objects of the same names are overwritten with the export's.`,
            steps,
        };
    });
}
