import { parseAllDocuments } from "yaml";
import { ARGOCD_NAMESPACE } from "../../../../lib/argocd";
import type { CommandPort } from "../../../ports";
import { contextArgs } from "../options";

/*
 * What `restore argocd` reads of an export and of a cluster: the Applications, by name. Only
 * names leave these functions; the export's secrets never do.
 */

/** An Application an export holds. */
export interface ExportedApplication {
    /** `metadata.name`. */
    readonly name: string;
    /** `metadata.namespace`, or the Argo CD namespace when the export leaves it out. */
    readonly namespace: string;
    /**
     * `status.health.status` when the export was written (`argocd admin export` keeps an
     * Application's status: argo-cd backup.go): Healthy, Progressing, Degraded, Suspended,
     * Missing or Unknown (Argo CD "Resource Health"). @default undefined (no status exported)
     */
    readonly health?: string;
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
        const status = isRecord(value.status) ? value.status : {};
        const health = isRecord(status.health) ? status.health.status : undefined;
        if (typeof metadata.name === "string") {
            applications.push({
                name: metadata.name,
                namespace: typeof metadata.namespace === "string" ? metadata.namespace : ARGOCD_NAMESPACE,
                ...(typeof health === "string" ? { health } : {}),
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
