import type { ChangeRequest } from "../../change-options";
import type { ArtifactRegion } from "../options";

/*
 * The request of `restore git` and the redaction its parser and its steps both use, in a
 * module of their own: the definition (./definition.ts) loads the command (./command.ts)
 * lazily, so the command (and ./steps.ts, which it imports) must not import the definition.
 */

/** The stacks whose Argo CD can be repointed: the one that runs the platform. */
export const REPOINTED_STACKS = ["primary", "dr"] as const;

/** A URL fit to print: any user-info replaced, in case one slipped past validation. */
export function redact(url: string): string {
    return url.replace(/\/\/[^/]*@/, "//***@");
}

/** What the operator asked `restore git` for, checked by the parser. */
export interface RestoreGitRequest {
    /**
     * The new, empty remote to push the bundle to (https://, ssh:// or git@). It carries no
     * credentials: git reads them from its credential helper or SSH agent, so no token is ever
     * on a command line, in the journal or in the stack config.
     */
    readonly remote: string;
    /**
     * Key of the bundle to restore instead of the newest, e.g.
     * `git-bundles/webank/platform/20261125T024700Z.bundle`. After a compromise the newest
     * bundle may hold the attacker's commits: choose the last one from before it.
     * @default the newest bundle
     */
    readonly bundleKey?: string;
    /** Which copy of the artifact bucket to read; `dr` after a loss of the home region. @default "home" */
    readonly region: ArtifactRegion;
    /** The stack that runs the platform, whose Argo CD is repointed; `dr` after a failover. @default "primary" */
    readonly stack: (typeof REPOINTED_STACKS)[number];
    /**
     * Kube context of the cluster the stack runs: when given, the root app's repository URL is
     * checked there after the up (the push and `pulumi up` do not use it). @default none
     */
    readonly context?: string;
    /** How the run runs: dry run, confirmation, journal and report locations. */
    readonly change: ChangeRequest;
}
