import { primaryDatabaseIdentifier } from "../../../../lib/naming";
import { problem } from "../../../run/refusal";
import { parseInstant } from "../../times";

/*
 * The instance names of an in-place database restore. They carry the UTC minute the restore
 * started, so they are unique per run in practice, readable by hand, and tie the replaced
 * instance to the restore that replaced it. Pure: the parser uses them.
 */

/** The names of one restore and its cut-over. */
export interface RestoreNames {
    /** The damaged (source) instance, whose identifier clients use: `<prefix>-db`. */
    readonly source: string;
    /** The new instance the restore creates: `<prefix>-db-r<YYYYMMDDHHmm>`. */
    readonly target: string;
    /** What the cut-over renames the source to (kept, never deleted): `<prefix>-db-replaced-<YYYYMMDDHHmm>`. */
    readonly replaced: string;
}

/** A UTC minute as 12 digits, `YYYYMMDDHHmm`. */
export function minuteStamp(at: Date): string {
    return at.toISOString().slice(0, 16).replace(/[-:T]/g, "");
}

/** The names of a restore that started at `startedAt`. */
export function restoreNames(prefix: string, startedAt: Date): RestoreNames {
    return cutOverNames(prefix, `${primaryDatabaseIdentifier(prefix)}-r${minuteStamp(startedAt)}`);
}

/** The names of a cut-over to `restored` (an instance `restore db` made): the replaced name keeps its stamp. */
export function cutOverNames(prefix: string, restored: string): RestoreNames {
    const source = primaryDatabaseIdentifier(prefix);
    const stamp = restored.slice(`${source}-r`.length);
    return { source, target: restored, replaced: `${source}-replaced-${stamp}` };
}

/**
 * When the restore that made `restored` started, to the minute (the stamp in its name), or
 * undefined when `restored` is not the name of a restore of `prefix`'s database.
 */
export function restoreStartOf(prefix: string, restored: string): Date | undefined {
    const head = `${primaryDatabaseIdentifier(prefix)}-r`;
    const stamp = restored.startsWith(head) ? restored.slice(head.length) : "";
    const digits = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(stamp);
    return digits
        ? parseInstant(`${digits[1]}-${digits[2]}-${digits[3]}T${digits[4]}:${digits[5]}Z`)
        : undefined;
}

/** A problem with `--restored-instance`, or undefined when it names a restore of `prefix`'s database. */
export function restoredInstanceProblem(prefix: string, restored: string): string | undefined {
    return restoreStartOf(prefix, restored)
        ? undefined
        : problem(
              "--restored-instance",
              `name an instance restore db made: ${primaryDatabaseIdentifier(prefix)}-r<the UTC minute of its restore, YYYYMMDDHHmm>`,
              restored,
          );
}
