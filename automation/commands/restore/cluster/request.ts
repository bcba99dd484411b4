import type { ChangeRequest } from "../../change-options";

/*
 * The request of `restore cluster`, in a module of its own: the definition (./definition.ts)
 * loads the command (./command.ts) lazily, so the command must not import the definition.
 */

/** What the operator asked `restore cluster` for, checked by the parser. */
export interface RestoreClusterRequest {
    /** A composite recovery point of the primary cluster in the DR vault; the newest COMPLETED one when absent. @default newest */
    readonly recoveryPoint?: string;
    /** Up to five namespaces to restore (a namespace-level restore); all when absent. @default all */
    readonly namespaces?: readonly string[];
    /** Restore the Kubernetes manifests only, no persistent volume. @default false */
    readonly manifestsOnly: boolean;
    /** Availability Zone of the DR region the EBS volumes are restored in (required when the point has EBS volumes). @default none */
    readonly volumesAz?: string;
    /** How the run runs: dry run, confirmation, journal and report locations. */
    readonly change: ChangeRequest;
}
