import { argocdExportPrefix } from "../../../../lib/artifacts";
import { clusterName } from "../../../../lib/naming";
import type { ChangeRequest } from "../../change-options";
import type { ArtifactRegion } from "../options";

/*
 * The request of `restore argocd` and what both its parser (./definition.ts) and its run
 * (./command.ts) use, in a module of their own: the definition loads the command lazily, so
 * the command must not import the definition.
 */

/** The cluster roles whose exports exist (`argocd-exports/<clusterName(prefix, role)>/`). */
export const EXPORT_CLUSTERS = ["primary", "dr"] as const;

/** What the operator asked `restore argocd` for, checked by the parser. */
export interface RestoreArgocdRequest {
    /** Which copy of the artifact bucket to read; `dr` after a loss of the home region. @default "home" */
    readonly region: ArtifactRegion;
    /** Role of the cluster whose exports are imported. @default "primary" */
    readonly fromCluster: (typeof EXPORT_CLUSTERS)[number];
    /**
     * Key of the export to import instead of the newest, e.g.
     * `argocd-exports/webank-primary/20261125T024900Z.yaml` (when the newest holds the bad change).
     * @default the newest export of the cluster taken while its Applications were healthy
     */
    readonly exportKey?: string;
    /**
     * Kube context of the cluster to import into. Required unless `--dry-run`: an import
     * overwrites Argo CD objects of the same names. @default none (a dry run reads the current context)
     */
    readonly context?: string;
    /** How the run runs: dry run, confirmation, journal and report locations. */
    readonly change: ChangeRequest;
}

/** The key prefix of the exports of the cluster of `role`. */
export function exportPrefixOf(prefix: string, role: string): string {
    return argocdExportPrefix(clusterName(prefix, role));
}
