import { ARGOCD_NAMESPACE, ROOT_APP_NAME } from "../../../../lib/argocd";
import { configKey } from "../../../../config/keys";
import { GitSource } from "../../../../config/platform";
import type { CommandPort, StackPort } from "../../../ports";
import type { Step } from "../../../run/steps";
import { contextArgs } from "../options";
import { redact } from "./request";
import { lsRemote, PUSHED_REFS, refCounts } from "./refs";

/** The Argo CD source the repoint sets. */
export const MIRROR_SOURCE: GitSource = "mirror";

/** The bundle as a local mirror clone: its refs (branches, tags and notes) and its SHA-256. */
export interface LocalMirror {
    /** The temporary mirror clone. */
    readonly directory: string;
    /** Branches and tags of the bundle, by ref. */
    readonly refs: ReadonlyMap<string, string>;
    /** SHA-256 of the bundle's bytes, to compare with the mirror build's log. */
    readonly sha256: string;
}

/** What the steps of `restore git` work with. */
export interface GitRestore {
    /** External tools. */
    readonly commands: CommandPort;
    /** Runs git (non-interactive) in `cwd`. */
    readonly git: (args: string[], cwd?: string) => Promise<{ stdout: string }>;
    /** The bundle's key. */
    readonly bundleKey: string;
    /** The bundle cloned locally, made once when a step first needs it. */
    readonly localMirror: () => Promise<LocalMirror>;
    /** The new remote. */
    readonly remote: string;
    /** The stack repointed, and its name. */
    readonly stack: StackPort;
    /** The Pulumi stack's name (`--stack`), for progress lines and the commands it suggests. */
    readonly stackName: string;
    /** The stack's Git source and mirror URL before the repoint, for the journal (how to go back). */
    readonly before: { readonly source: string; readonly url: string };
    /** Kube context to check the root app on. @default not checked */
    readonly context?: string;
    /** Progress lines (pulumi up's output). */
    readonly out: (line: string) => void;
    /**
     * The steps that run the stack's `up` after the repoint, when its deploy runner must
     * (commands/shared/runner-deploy.ts), given the step they follow; the last one's name is
     * the one the Argo CD check follows. @default `pulumi up` here, in one step `up`
     */
    readonly upSteps?: (after: string) => Step[];
}

/**
 * The steps of `restore git`. The bundle and the remote are checked first (read-only: a dry
 * run runs them, and a run that did only these changed nothing). Nothing is deleted or
 * overwritten: the push names its refspecs without `+` and without `--mirror`/`--prune`
 * (`git push --mirror` deletes remote refs the bundle lacks and force-updates the rest), so a
 * remote that is not empty refuses, and the check before it stops the run first.
 */
export function gitSteps(restore: GitRestore): Step[] {
    const { remote, stack, stackName, context } = restore;
    const refspecs = PUSHED_REFS.map((p) => `${p}*:${p}*`);
    const up: Step[] = restore.upSteps?.("repoint") ?? [
        {
            name: "up",
            after: ["repoint"],
            describe: `pulumi up of stack ${stackName}: the root app and the repository secret follow the mirror`,
            run: async () => {
                await stack.up({ onOutput: restore.out });
                return `stack ${stackName} updated`;
            },
        },
    ];
    return [
        {
            name: "verify-bundle",
            after: [],
            readOnly: true,
            describe: `download ${restore.bundleKey}, git clone --mirror it into a temporary directory and git bundle verify it`,
            run: async () => {
                const local = await restore.localMirror();
                return `bundle verified: ${refCounts(local.refs)}, sha256 ${local.sha256} (compare with the mirror build log)`;
            },
        },
        {
            name: "check-remote",
            after: ["verify-bundle"],
            readOnly: true,
            describe: `check that ${remote} is empty (or holds only this bundle's refs, from an interrupted run)`,
            run: async () => {
                const local = await restore.localMirror();
                const current = await lsRemote(restore.commands, remote);
                const foreign = [...current].filter(([ref, sha]) => local.refs.get(ref) !== sha);
                if (foreign.length > 0) {
                    throw new Error(
                        `${remote} is not empty: ${foreign.length} of its refs are not this bundle's (` +
                            foreign
                                .slice(0, 5)
                                .map(([ref, sha]) => `${ref} at ${sha.slice(0, 12)}`)
                                .join(", ") +
                            "). A restore pushes only to an empty repository and never overwrites: create an empty one and pass it with --remote",
                    );
                }
                return `${remote} holds ${current.size} refs, all of them this bundle's`;
            },
        },
        {
            name: "push",
            after: ["check-remote"],
            describe: `git push ${remote} ${refspecs.join(" ")} (no force, no --mirror: nothing on the remote is overwritten or deleted)`,
            run: async () => {
                const local = await restore.localMirror();
                await restore.git(["push", remote, ...refspecs], local.directory);
                return `pushed ${refCounts(local.refs)} to ${remote}`;
            },
        },
        {
            name: "verify-remote",
            after: ["push"],
            describe: `git ls-remote ${remote}: every branch and tag of the bundle at the same commit`,
            run: async () => {
                const local = await restore.localMirror();
                const current = await lsRemote(restore.commands, remote);
                const wrong = [...local.refs].filter(([ref, sha]) => current.get(ref) !== sha);
                if (wrong.length > 0) {
                    throw new Error(
                        `${wrong.length} refs of the bundle are not on ${remote} at the bundle's commit: ` +
                            wrong
                                .slice(0, 5)
                                .map(
                                    ([ref, sha]) =>
                                        `${ref} (bundle ${sha.slice(0, 12)}, remote ${current.get(ref)?.slice(0, 12) ?? "missing"})`,
                                )
                                .join(", ") +
                            ". Check the remote's push rules (protected branches, size limits), then run the same command again",
                    );
                }
                return `all ${refCounts(local.refs)} of the bundle are on ${remote}`;
            },
        },
        {
            name: "repoint",
            after: ["verify-remote"],
            describe: `set ${configKey("mirrorRepoUrl")}=${remote} and ${configKey("gitSource")}=${MIRROR_SOURCE} on stack ${stackName}`,
            run: async () => {
                await stack.setConfig({
                    [configKey("mirrorRepoUrl")]: remote,
                    [configKey("gitSource")]: MIRROR_SOURCE,
                });
                return `stack ${stackName} follows ${remote} (was ${restore.before.source}, ${restore.before.url}; to go back set ${configKey("gitSource")}=github)`;
            },
        },
        ...up,
        {
            name: "verify-argocd",
            after: [up[up.length - 1].name],
            describe:
                "read the config back" +
                (context ? ` and check the root app ${ROOT_APP_NAME} on ${context} follows ${remote}` : ""),
            run: async () => {
                const source = await stack.getConfig(configKey("gitSource"));
                const url = await stack.getConfig(configKey("mirrorRepoUrl"));
                if (source !== MIRROR_SOURCE || url !== remote) {
                    throw new Error(
                        `stack ${stackName} has ${configKey("gitSource")}=${source ?? "(not set)"} and ` +
                            `${configKey("mirrorRepoUrl")}=${url ?? "(not set)"} after the repoint; ` +
                            `check with: pulumi config --stack ${stackName}, then run the same command again`,
                    );
                }
                const check = [
                    "-n",
                    ARGOCD_NAMESPACE,
                    "get",
                    "application",
                    ROOT_APP_NAME,
                    "-o",
                    "jsonpath={.spec.source.repoURL}",
                ];
                if (!context) {
                    return `stack ${stackName} follows ${remote}; root app not checked (no --context): kubectl ${check.join(" ")}`;
                }
                const { stdout } = await restore.commands.run("kubectl", [
                    ...check,
                    ...contextArgs("--context", context),
                ]);
                if (stdout.trim() !== remote) {
                    throw new Error(
                        `the root app ${ROOT_APP_NAME} on ${context} follows ${redact(stdout.trim()) || "nothing"}, not ${remote}; ` +
                            `check the pulumi up output of stack ${stackName}, then run the same command again`,
                    );
                }
                return `root app ${ROOT_APP_NAME} on ${context} follows ${remote}`;
            },
        },
    ];
}
