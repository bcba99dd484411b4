import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ARGOCD_NAMESPACE, ROOT_APP_NAME } from "../../../lib/argocd";
import { bundlePrefixOf } from "../../../lib/artifacts";
import { configKey, StackConfig } from "../../../config";
import { GIT_URL, GitSource } from "../../../lib/stack-config/platform";
import { CommandPort, RecoveryPorts } from "../../ports";
import { Step } from "../../run/steps";
import {
    ArtifactRegion,
    artifactStore,
    chooseArtifact,
    contextArgs,
    contextProblem,
    describeArtifact,
    problem,
    regionProblem,
    RestoreCommandOptions,
    runRestoreCommand,
} from "./run";

/** A URL with credentials in it: `https://user[:token]@…` or `ssh://user:password@…`. */
const URL_WITH_CREDENTIALS = /^(https:\/\/[^/]*@|ssh:\/\/[^/@]*:[^/@]*@)/;

/** A Pulumi stack name: `name`, `org/name` or `org/project/name`. */
const STACK_NAME = /^[A-Za-z0-9_.][A-Za-z0-9_.-]*(\/[A-Za-z0-9_.-]+){0,2}$/;

/**
 * Environment of every git command: git fails at once instead of prompting for a password
 * (credentials come from the credential helper or the SSH agent, never from this command).
 */
const GIT_ENV = { GIT_TERMINAL_PROMPT: "0" };

/** The Argo CD source the repoint sets. */
const MIRROR_SOURCE: GitSource = "mirror";

/** The refs a restore pushes: branches and tags. GitHub's own `refs/pull/*` cannot be pushed to a new repository. */
const PUSHED_REFS = ["refs/heads/", "refs/tags/"];

/** Options of `npm run dr -- restore git`. */
export interface RestoreGitOptions extends RestoreCommandOptions {
    /**
     * Required. The new, empty remote to push the bundle to (https://, ssh:// or git@). It must
     * carry no credentials: git reads them from its credential helper or SSH agent, so no token
     * is ever on a command line, in the journal or in the stack config.
     */
    readonly remote?: string;
    /**
     * Key of the bundle to restore instead of the newest, e.g.
     * `git-bundles/webank/platform/20261125T024700Z.bundle`. After a compromise the newest
     * bundle may hold the attacker's commits: choose the last one from before it.
     */
    readonly bundleKey?: string;
    /** Which copy of the artifact bucket to read. Default `home`; `dr` after a loss of the home region. */
    readonly region?: ArtifactRegion;
    /** The stack that runs the platform, whose Argo CD is repointed. Default `primary`; `dr` after a failover. */
    readonly stack?: string;
    /**
     * Kube context of the cluster the stack runs. Optional: the push and `pulumi up` do not use
     * it; when given, the root app's repository URL is checked on that cluster after the up.
     */
    readonly context?: string;
}

/** Refs as `git bundle list-heads` and `git ls-remote` print them (`<sha> <ref>`), peeled tags left out. */
export function parseRefs(text: string): Map<string, string> {
    const refs = new Map<string, string>();
    for (const line of text.split("\n")) {
        const match = /^([0-9a-f]{40}|[0-9a-f]{64})\s+(\S+)\s*$/.exec(line.trim());
        if (match && !match[2].endsWith("^{}")) {
            refs.set(match[2], match[1]);
        }
    }
    return refs;
}

/** True for the refs a restore pushes and verifies (branches and tags). */
function isPushed(ref: string): boolean {
    return PUSHED_REFS.some((prefix) => ref.startsWith(prefix));
}

/** A URL fit to print: any user-info replaced, in case one slipped past validation. */
function redact(url: string): string {
    return url.replace(/\/\/[^/]*@/, "//***@");
}

/** Problems with the options of `restore git`, each naming its flag and value. */
export function restoreGitProblems(options: RestoreGitOptions, config: StackConfig): string[] {
    const problems = [regionProblem(options.region), contextProblem(options.context)];
    const remote = options.remote;
    if (remote === undefined || !GIT_URL.test(remote)) {
        problems.push(
            problem("--remote", "be the Git URL of the new remote (https://, ssh:// or git@)", remote),
        );
    } else if (URL_WITH_CREDENTIALS.test(remote)) {
        problems.push(
            problem(
                "--remote",
                "carry no credentials (they would be on a command line, in the journal and in the stack config); " +
                    "configure a git credential helper or an SSH key instead",
                redact(remote),
            ),
        );
    }
    const prefix = bundlePrefixOf(config.platform.mirror.repository);
    if (
        options.bundleKey !== undefined &&
        !(options.bundleKey.startsWith(prefix) && options.bundleKey.endsWith(".bundle"))
    ) {
        problems.push(
            problem("--bundle-key", `be a key under ${prefix} ending in .bundle`, options.bundleKey),
        );
    }
    const stack = options.stack ?? "primary";
    if (!STACK_NAME.test(stack)) {
        problems.push(problem("--stack", "be a Pulumi stack name such as primary or dr", stack));
    }
    return problems.filter((p): p is string => p !== undefined);
}

/** The bundle as a local mirror clone: its refs (branches and tags) and its SHA-256. */
interface LocalMirror {
    readonly directory: string;
    readonly refs: Map<string, string>;
    readonly sha256: string;
}

/**
 * `restore git`: the platform repository from a Git bundle to a new remote, and Argo CD
 * repointed to it (GitHub loss or compromise).
 *
 * Preflight (reads only): the bundle (newest under `git-bundles/<owner>/<name>/`, or
 * `--bundle-key`) and its age against the source RPO, the remote's refs, and the stack's
 * current Git source. Steps: download the bundle into a temporary directory (removed at the
 * end), `git clone --mirror` it there and `git bundle verify` it (verify needs a repository,
 * and the fresh clone is one); check the remote is empty (or holds only this bundle's refs,
 * from an interrupted run); push branches and tags; check with `git ls-remote` that every
 * branch and tag of the bundle is on the remote at the same commit; set
 * `webank:mirrorRepoUrl` and `webank:gitSource=mirror` on the stack and `pulumi up` it, so
 * the root app and the repository secret follow the mirror.
 *
 * Nothing is deleted or overwritten: the push names its refspecs without `+` and without
 * `--mirror`/`--prune` (`git push --mirror` deletes remote refs the bundle lacks and
 * force-updates the rest), so a remote that is not empty refuses, and the check before it
 * stops the run first. Credentials come from git's credential helper or SSH agent, never from
 * a command line.
 */
export async function restoreGitCommand(
    options: RestoreGitOptions,
    ports: RecoveryPorts,
    config: StackConfig,
): Promise<number> {
    const out = ports.output;
    const problems = restoreGitProblems(options, config);
    if (problems.length > 0 || options.remote === undefined) {
        problems.forEach((p) => out(`error: ${p}`));
        out("nothing was changed");
        return 2;
    }
    const remote = options.remote;
    const side = options.region ?? "home";
    const stackName = options.stack ?? "primary";
    const context = options.context;
    const request = {
        remote,
        bundleKey: options.bundleKey ?? "newest",
        region: side,
        stack: stackName,
        context: context ?? "none",
    };
    // The temporary directory, made when the bundle is first needed and removed in `finally`.
    const scratch: { directory?: string } = {};
    try {
        return await runRestoreCommand("git", options, ports, request, async (pins) => {
            const git = (args: string[], cwd?: string) =>
                ports.commands.run("git", args, { env: GIT_ENV, ...(cwd ? { cwd } : {}) });
            const store = await artifactStore(ports, config, side);
            const prefix = bundlePrefixOf(config.platform.mirror.repository);
            const chosen = await chooseArtifact(store, prefix, {
                key: pins.bundleKey ?? options.bundleKey,
                versionId: pins.bundleVersion,
                flag: "--bundle-key",
            });
            const newest = options.bundleKey
                ? await store.objects.newestObject(store.bucket, prefix)
                : chosen;
            const stack = await ports.workspace.selectStack(stackName);
            const before = {
                source: (await stack.getConfig(configKey("gitSource"))) ?? "github (default)",
                url: (await stack.getConfig(configKey("mirrorRepoUrl"))) ?? "(not set)",
            };
            const remoteRefs = await lsRemote(ports.commands, remote);

            let mirror: Promise<LocalMirror> | undefined;
            const localMirror = () =>
                (mirror ??= (async () => {
                    const body = await store.objects.getObject(store.bucket, chosen.key, chosen.versionId);
                    scratch.directory ??= fs.mkdtempSync(path.join(os.tmpdir(), "webank-restore-git-"));
                    const file = path.join(scratch.directory, "repo.bundle");
                    fs.writeFileSync(file, body, { mode: 0o600 });
                    const directory = path.join(scratch.directory, "repo.git");
                    await git(["clone", "--mirror", file, directory]);
                    await git(["bundle", "verify", file], directory);
                    const refs = new Map(
                        [...parseRefs((await git(["bundle", "list-heads", file], directory)).stdout)].filter(
                            ([ref]) => isPushed(ref),
                        ),
                    );
                    if (![...refs.keys()].some((ref) => ref.startsWith("refs/heads/"))) {
                        throw new Error(
                            `bundle ${chosen.key} holds no branch; it is empty or damaged. Choose another with --bundle-key ` +
                                `(aws s3 ls s3://${store.bucket}/${prefix} --region ${store.region})`,
                        );
                    }
                    return { directory, refs, sha256: createHash("sha256").update(body).digest("hex") };
                })());
            const counts = (refs: Map<string, string>) => {
                const branches = [...refs.keys()].filter((r) => r.startsWith("refs/heads/")).length;
                return `${branches} branches and ${refs.size - branches} tags`;
            };

            const findings = [
                ...describeArtifact(
                    "Git bundle",
                    store,
                    chosen,
                    ports.now(),
                    config.objectives.source.rpoMinutes,
                ),
                ...(newest && newest.key !== chosen.key
                    ? [`the newest bundle is ${newest.key}, written ${newest.lastModified.toISOString()}`]
                    : []),
                `older bundles: aws s3 ls s3://${store.bucket}/${prefix} --region ${store.region} ` +
                    "(after a compromise pass the last bundle from before it with --bundle-key)",
                `remote ${remote} holds ${remoteRefs.size} refs now (a restore needs it empty)`,
                `stack ${stackName}: ${configKey("gitSource")} ${before.source} -> ${MIRROR_SOURCE}, ` +
                    `${configKey("mirrorRepoUrl")} ${before.url} -> ${remote}`,
                `pulumi up of ${stackName} applies every pending change of that stack, not only the repoint: ` +
                    `preview it first (pulumi preview --stack ${stackName})`,
                `Argo CD reads the mirror with the token in ${configKey("platformRepoToken")}; if the new remote needs ` +
                    `another, set it first: pulumi config set --secret ${configKey("platformRepoToken")} --stack ${stackName}`,
            ];
            const steps: Step[] = [
                {
                    name: "verify-bundle",
                    after: [],
                    describe: `download ${chosen.key}, git clone --mirror it into a temporary directory and git bundle verify it`,
                    run: async () => {
                        const local = await localMirror();
                        return `bundle verified: ${counts(local.refs)}, sha256 ${local.sha256} (compare with the mirror build log)`;
                    },
                },
                {
                    name: "check-remote",
                    after: ["verify-bundle"],
                    describe: `check that ${remote} is empty (or holds only this bundle's refs, from an interrupted run)`,
                    run: async () => {
                        const local = await localMirror();
                        const current = await lsRemote(ports.commands, remote);
                        const foreign = [...current].filter(([ref, sha]) => local.refs.get(ref) !== sha);
                        if (foreign.length > 0) {
                            throw new Error(
                                `${remote} is not empty: ${foreign.length} of its refs are not this bundle's ` +
                                    `(${foreign
                                        .slice(0, 5)
                                        .map(([ref, sha]) => `${ref} at ${sha.slice(0, 12)}`)
                                        .join(
                                            ", ",
                                        )}). A restore pushes only to an empty repository and never overwrites: ` +
                                    "create an empty one and pass it with --remote",
                            );
                        }
                        return `${remote} holds ${current.size} refs, all of them this bundle's`;
                    },
                },
                {
                    name: "push",
                    after: ["check-remote"],
                    describe: `git push ${remote} ${PUSHED_REFS.map((p) => `${p}*:${p}*`).join(" ")} (no force, no --mirror: nothing on the remote is overwritten or deleted)`,
                    run: async () => {
                        const local = await localMirror();
                        await git(
                            ["push", remote, ...PUSHED_REFS.map((p) => `${p}*:${p}*`)],
                            local.directory,
                        );
                        return `pushed ${counts(local.refs)} to ${remote}`;
                    },
                },
                {
                    name: "verify-remote",
                    after: ["push"],
                    describe: `git ls-remote ${remote}: every branch and tag of the bundle at the same commit`,
                    run: async () => {
                        const local = await localMirror();
                        const current = await lsRemote(ports.commands, remote);
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
                        return `all ${counts(local.refs)} of the bundle are on ${remote}`;
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
                        return `stack ${stackName} follows ${remote} (was ${before.source}, ${before.url}; to go back set ${configKey("gitSource")}=github)`;
                    },
                },
                {
                    name: "up",
                    after: ["repoint"],
                    describe: `pulumi up of stack ${stackName}: the root app and the repository secret follow the mirror`,
                    run: async () => {
                        await stack.up({ onOutput: out });
                        return `stack ${stackName} updated`;
                    },
                },
                {
                    name: "verify-argocd",
                    after: ["up"],
                    describe:
                        `read the config back` +
                        (context
                            ? ` and check the root app ${ROOT_APP_NAME} on ${context} follows ${remote}`
                            : ""),
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
                        const { stdout } = await ports.commands.run("kubectl", [
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
            return {
                summary: `repository from s3://${store.bucket}/${chosen.key} to ${remote}, stack ${stackName} repointed`,
                pins: {
                    bundleKey: chosen.key,
                    ...(chosen.versionId ? { bundleVersion: chosen.versionId } : {}),
                },
                findings,
                question: `Push bundle ${chosen.key} to ${remote} and repoint Argo CD of stack ${stackName} to it (pulumi up)?`,
                steps,
            };
        });
    } finally {
        if (scratch.directory) {
            // Only the temporary copy of the bundle: the bundle itself stays in S3.
            fs.rmSync(scratch.directory, { recursive: true, force: true });
        }
    }
}

/** The remote's refs (`git ls-remote`), symbolic `HEAD` and peeled tags left out. */
async function lsRemote(commands: CommandPort, remote: string): Promise<Map<string, string>> {
    const refs = parseRefs((await commands.run("git", ["ls-remote", remote], { env: GIT_ENV })).stdout);
    refs.delete("HEAD");
    return refs;
}
