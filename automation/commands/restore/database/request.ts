import type { ChangeRequest } from "../../change-options";

/*
 * The request of `restore db`, in a module of its own: the definition (./definition.ts)
 * loads the command (./command.ts) lazily, so the command must not import the definition.
 */

/** What the operator asked `restore db` for, checked by the parser. One of three runs. */
export interface RestoreDbRequest {
    /**
     * `latest`, or an ISO-8601 instant in UTC (normalised): restore into a new instance.
     * Undefined for a cut-over to an instance an earlier run restored.
     * @default "latest" when `--restored-instance` is not given
     */
    readonly restoreTime?: string;
    /** Rename the restored instance into the source's identifier (the old one is kept, renamed). @default false */
    readonly cutOver: boolean;
    /** With `cutOver` alone: the instance an earlier `restore db` made, to cut over to. @default none */
    readonly restoredInstance?: string;
    /** How the run runs: dry run, confirmation, journal and report locations. */
    readonly change: ChangeRequest;
}
