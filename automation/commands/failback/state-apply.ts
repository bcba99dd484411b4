import type { ObjectStorePort, StackPort } from "../../ports";
import type { StateEdit } from "./state-edit";

/** Where the state before an edit is kept: an object in the stack region's artifact bucket. */
export interface StateBackup {
    /** The artifact bucket (versioned: a second save keeps the first). */
    readonly bucket: string;
    /** The object key, e.g. `stack-exports/primary/before-failback-202611250320.json`. */
    readonly key: string;
}

/**
 * Imports `edit` into `stack` after saving `before` (the export it was made from) to `backup`,
 * so the state the edit replaced can be imported again by hand. An edit that forgets nothing
 * (an earlier attempt applied it) saves and imports nothing. Returns where the state before is.
 */
export async function applyStateEdit(
    stack: StackPort,
    objects: ObjectStorePort,
    backup: StateBackup,
    before: string,
    edit: StateEdit,
): Promise<string> {
    if (edit.forgotten.length > 0) {
        await objects.putObject(backup.bucket, backup.key, before, "application/json");
        await stack.importState(edit.deployment);
    }
    return `s3://${backup.bucket}/${backup.key}`;
}
