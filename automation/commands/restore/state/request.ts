import type { ChangeRequest } from "../../change-options";
import type { ArtifactRegion } from "../options";

/*
 * The request of `restore state` and the choices its type names, in a module of their own:
 * the definition (./definition.ts) loads the command (./command.ts) lazily, so the command must
 * not import the definition.
 */

/** The stacks whose state can be restored. */
export const STATE_STACKS = ["primary", "dr"] as const;

/**
 * Where a stack's state can live. `bootstrap`: the bootstrap bucket in the DR region, which
 * holds the `primary` and `dr` stacks themselves (README, bootstrap). `state`: the platform's
 * replicated state bucket, for stacks that log in to `pulumiLoginUrl`.
 */
export const STATE_BACKENDS = ["bootstrap", "state"] as const;

/** What the operator asked `restore state` for, checked by the parser. */
export interface RestoreStateRequest {
    /** The stack whose state is restored. @default "primary" */
    readonly stack: (typeof STATE_STACKS)[number];
    /** Where its state lives. @default "bootstrap" */
    readonly backend: (typeof STATE_BACKENDS)[number];
    /**
     * With `backend` `state` only: which copy to read, `home` (the state bucket) or `dr` (its
     * replica, when the home region is lost); the before-restore export is stored there too.
     * @default "home" with --backend state; none with bootstrap (that bucket is in the DR region only)
     */
    readonly region?: ArtifactRegion;
    /** The S3 object version to restore. Without it the versions are listed and nothing changes. @default none */
    readonly versionId?: string;
    /** How the run runs: dry run, confirmation, journal and report locations. */
    readonly change: ChangeRequest;
}
