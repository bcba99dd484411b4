import type { ChangeRequest } from "../../change-options";

/*
 * The request of `restore helm`, in a module of its own: the definition (./definition.ts)
 * loads the command (./command.ts) lazily, so the command must not import the definition.
 */

/** What the operator asked `restore helm` for, checked by the parser. */
export interface RestoreHelmRequest {
    /** The Helm release, e.g. `argocd`. */
    readonly release: string;
    /** Its namespace, e.g. `argocd`. */
    readonly namespace: string;
    /**
     * The revision to roll back to. Without it the history is listed, with how to choose, and
     * nothing changes. @default none (list the history)
     */
    readonly revision?: number;
    /** How long the rollback may wait for the release's resources, in minutes. @default 10 */
    readonly timeoutMinutes: number;
    /**
     * Kube context of the cluster the release runs in (`helm --kube-context`). Required for a
     * rollback (it changes that cluster), except with `--dry-run`. @default none (the current context, reading only)
     */
    readonly context?: string;
    /** How the run runs: dry run, confirmation, journal and report locations. */
    readonly change: ChangeRequest;
}
