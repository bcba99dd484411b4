import type { StoredObject } from "../../../ports";
import { ArtifactStore, currentVersion, listCommand, noArtifactError } from "../artifacts";
import { applicationsIn, ExportedApplication } from "./applications";

/*
 * Which export `restore argocd` imports when the operator names none. The newest is not
 * always the one to trust: a cluster whose Argo CD was half restored, or whose applications
 * were failing, exports that state too (argocd-operator#205), and it becomes the newest. So
 * the newest export *of a healthy cluster* is taken: one that holds Applications, every one
 * of them Healthy or Suspended when it was written. `argocd admin export` keeps each
 * Application's status (argo-cd cmd/argocd/commands/admin/backup.go, `export` removes only
 * the server-set metadata), so the export itself says how its cluster was.
 */

/**
 * The Application health states that mean the cluster was working when it exported. Argo CD
 * "Resource Health": Suspended is a resource paused on purpose (a suspended CronJob, a paused
 * rollout), not a failure; Progressing, Degraded, Missing and Unknown are not taken.
 */
export const HEALTHY_STATES: readonly string[] = ["Healthy", "Suspended"];

/**
 * How many of the newest exports are read looking for a healthy one: four hours of exports
 * at the default 5-minute period. Past that the operator chooses with `--export-key`: an
 * export that old is a decision to take knowingly, not a default.
 */
export const HEALTHY_EXPORT_SEARCH_LIMIT = 48;

/** An export chosen, with its bytes and Applications, and the newer ones passed over. */
export interface ExportChoice {
    /** The export. */
    readonly object: StoredObject;
    /** Its bytes (they hold Argo CD's secrets: kept in memory only). */
    readonly body: Buffer;
    /** Its Applications. */
    readonly applications: ExportedApplication[];
    /** Newer exports not taken, newest first, each with the reason. */
    readonly passedOver: { readonly key: string; readonly reason: string }[];
}

/**
 * Why an export's Applications do not show a healthy cluster, or undefined when they do:
 * none at all (an empty or half-restored Argo CD), or some not in {@link HEALTHY_STATES}.
 */
export function unhealthyReason(applications: readonly ExportedApplication[]): string | undefined {
    if (applications.length === 0) {
        return "it holds no Argo CD Application";
    }
    const unhealthy = applications.filter((a) => !HEALTHY_STATES.includes(a.health ?? ""));
    if (unhealthy.length === 0) {
        return undefined;
    }
    const states = unhealthy.map((a) => `${a.name} ${a.health ?? "(no status)"}`).join(", ");
    return `${unhealthy.length} of its ${applications.length} Applications were not healthy when it was written: ${states}`;
}

/**
 * The newest export under `prefix` whose cluster was healthy ({@link unhealthyReason}), read
 * newest first, at most {@link HEALTHY_EXPORT_SEARCH_LIMIT}. Fails, naming each export passed
 * over and why, when none of those is healthy; `progress` hears each one passed over.
 */
export async function newestHealthyExport(
    store: ArtifactStore,
    prefix: string,
    progress: (line: string) => void,
): Promise<ExportChoice> {
    const objects = await store.objects.currentObjects(store.bucket, prefix);
    if (objects.length === 0) {
        throw noArtifactError(store, prefix);
    }
    const passedOver: { key: string; reason: string }[] = [];
    for (const listed of objects.slice(0, HEALTHY_EXPORT_SEARCH_LIMIT)) {
        const object = await currentVersion(store, listed);
        const body = await store.objects.getObject(store.bucket, object.key, object.versionId);
        let applications: ExportedApplication[];
        let reason: string | undefined;
        try {
            applications = applicationsIn(body.toString("utf8"), `s3://${store.bucket}/${object.key}`);
            reason = unhealthyReason(applications);
        } catch (error) {
            applications = [];
            reason = error instanceof Error ? error.message : String(error);
        }
        if (reason === undefined) {
            return { object, body, applications, passedOver };
        }
        passedOver.push({ key: object.key, reason });
        progress(`passed over ${object.key}: ${reason}`);
    }
    const searched = Math.min(objects.length, HEALTHY_EXPORT_SEARCH_LIMIT);
    throw new Error(
        `none of the ${searched} newest exports under s3://${store.bucket}/${prefix} (${store.region}) is of a healthy cluster ` +
            `(${passedOver
                .slice(0, 3)
                .map((p) => `${p.key}: ${p.reason}`)
                .join(
                    "; ",
                )}${passedOver.length > 3 ? `; and ${passedOver.length - 3} more, printed above` : ""}). ` +
            `Choose one knowingly with --export-key; list them with: ${listCommand(store, prefix)}`,
    );
}
