import { scenario } from "../../../runbook/scenarios";
import { problem, UsageError } from "../../../run/refusal";
import { CHANGE_OPTIONS, changeRequestOf } from "../../change-options";
import { CommandDefinition, OptionValues, ParseContext } from "../../definition";
import { ARTIFACT_REGION_OPTION, ARTIFACT_REGIONS, choiceOf, contextProblem, textOf } from "../options";
import { EXPORT_CLUSTERS, exportPrefixOf, RestoreArgocdRequest } from "./request";

/** Checks the flags of `restore argocd`: choices, the export key's prefix, and `--context` unless a dry run. */
export function parseRestoreArgocd(values: OptionValues, context: ParseContext): RestoreArgocdRequest {
    const problems: string[] = [];
    const change = changeRequestOf(values);
    const region = choiceOf(values, "region", ARTIFACT_REGIONS, "home", problems);
    const fromCluster = choiceOf(values, "from-cluster", EXPORT_CLUSTERS, "primary", problems);
    const exportKey = textOf(values, "export-key", problems);
    const kube = textOf(values, "context", problems);
    const contextIssue = contextProblem(kube, change.dryRun ? undefined : "to import Argo CD into");
    if (contextIssue) {
        problems.push(contextIssue);
    }
    const prefix = exportPrefixOf(context.config.prefix, fromCluster);
    if (exportKey !== undefined && !(exportKey.startsWith(prefix) && exportKey.endsWith(".yaml"))) {
        problems.push(problem("--export-key", `be a key under ${prefix} ending in .yaml`, exportKey));
    }
    if (problems.length > 0) {
        throw new UsageError(problems);
    }
    return {
        region,
        fromCluster,
        ...(exportKey !== undefined ? { exportKey } : {}),
        ...(kube !== undefined ? { context: kube } : {}),
        change,
    };
}

/** `npm run dr -- restore argocd`. */
export const restoreArgocdDefinition: CommandDefinition<RestoreArgocdRequest> = {
    path: ["restore", "argocd"],
    summary: scenario("argocd-loss").summary,
    options: {
        region: ARTIFACT_REGION_OPTION,
        "from-cluster": {
            type: "string",
            choices: EXPORT_CLUSTERS,
            defaultValue: "primary",
            describe: "whose exports to read",
        },
        "export-key": {
            type: "string",
            describe: "an export's key instead of the newest one taken while every Application was healthy",
        },
        context: {
            type: "string",
            describe: "kube context of the cluster to restore into (required, except with --dry-run)",
        },
        ...CHANGE_OPTIONS,
    },
    parse: parseRestoreArgocd,
    run: async (request, context) => (await import("./command")).runRestoreArgocd(request, context),
};
