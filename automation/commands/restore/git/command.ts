import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { bundlePrefixOf } from "../../../../lib/artifacts";
import { configKey } from "../../../../config/keys";
import type { ChangingCommand, PlanContext, RunPlan } from "../../../run/runner";
import { artifactReportStore } from "../../../run/stores";
import type { CommandContext } from "../../definition";
import { artifactPins, artifactStore, chooseArtifact, describeArtifact } from "../artifacts";
import { contextArgs } from "../options";
import { copyAgeRpo, rtoToStep } from "../runs";
import { runInContext } from "../../run-in-context";
import { runnerTarget, runnerUpStepsAfter, stackUpPlace } from "../../shared/runner-deploy";
import type { RestoreGitRequest } from "./request";
import { GIT_ENV, isPushed, lsRemote, parseRefs } from "./refs";
import { gitSteps, LocalMirror, MIRROR_SOURCE } from "./steps";

/** The journal's and the report's operation. */
export const RESTORE_GIT_OPERATION = "restore-git";

/** Where a run keeps its temporary copy of the bundle; removed when the run ends, whatever happens. */
interface Scratch {
    directory?: string;
}

/**
 * The plan: the bundle (the pinned one when resumed, else `--bundle-key` or the newest) and
 * its age against the source RPO, the remote's refs now, and the stack's current Git source.
 * Reads only; the bundle is downloaded when the first step needs it.
 */
async function planGitRestore(
    request: RestoreGitRequest,
    context: CommandContext,
    run: PlanContext,
    scratch: Scratch,
): Promise<RunPlan> {
    const { ports, config } = context;
    const { remote } = request;
    const git = (args: string[], cwd?: string) =>
        ports.commands.run("git", args, { env: GIT_ENV, ...(cwd ? { cwd } : {}) });
    const store = await artifactStore(ports, config, request.region);
    const prefix = bundlePrefixOf(config.platform.mirror.repository);
    const chosen = await chooseArtifact(store, prefix, {
        key: run.pins.bundleKey ?? request.bundleKey,
        versionId: run.pins.bundleVersion,
        flag: "--bundle-key",
    });
    // When the bundle was not "the newest now", say which is: a resumed run keeps its pinned one.
    const newest =
        request.bundleKey !== undefined || run.pins.bundleKey !== undefined
            ? await store.objects.newestObject(store.bucket, prefix)
            : chosen;
    const stack = await ports.workspace.selectStack(request.stack);
    const before = {
        source: (await stack.getConfig(configKey("gitSource"))) ?? "github (default)",
        url: (await stack.getConfig(configKey("mirrorRepoUrl"))) ?? "(not set)",
    };
    const remoteRefs = await lsRemote(ports.commands, remote);
    const place = await stackUpPlace(stack);
    const runner = place.runner ? await runnerTarget(config, ports, request.stack) : undefined;

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

    const objectives = config.objectives.source;
    return {
        summary: `repository from s3://${store.bucket}/${chosen.key} to ${remote}, stack ${request.stack} repointed`,
        findings: [
            ...describeArtifact("Git bundle", store, chosen, ports.now(), objectives.rpoMinutes),
            ...(newest && newest.key !== chosen.key
                ? [`the newest bundle is ${newest.key}, written ${newest.lastModified.toISOString()}`]
                : []),
            `older bundles: aws s3 ls s3://${store.bucket}/${prefix} --region ${store.region} ` +
                "(after a compromise pass the last bundle from before it with --bundle-key)",
            `remote ${remote} holds ${remoteRefs.size} refs now (a restore needs it empty)`,
            `stack ${request.stack}: ${configKey("gitSource")} ${before.source} -> ${MIRROR_SOURCE}, ` +
                `${configKey("mirrorRepoUrl")} ${before.url} -> ${remote}`,
            place.reason,
            `pulumi up of ${request.stack} applies every pending change of that stack, not only the repoint: ` +
                `preview it first (pulumi preview --stack ${request.stack})`,
            `Argo CD reads the mirror with the token in ${configKey("platformRepoToken")}; if the new remote needs ` +
                `another, set it first: pulumi config set --secret ${configKey("platformRepoToken")} --stack ${request.stack}`,
        ],
        question: `Push bundle ${chosen.key} to ${remote} and repoint Argo CD of stack ${request.stack} to it (pulumi up)?`,
        steps: gitSteps({
            commands: ports.commands,
            git,
            bundleKey: chosen.key,
            localMirror,
            remote,
            stack,
            stackName: request.stack,
            before,
            ...(request.context !== undefined ? { context: request.context } : {}),
            out: ports.output,
            ...(runner
                ? {
                      upSteps: runnerUpStepsAfter(runner, ports, run),
                  }
                : {}),
        }),
        pins: artifactPins("bundle", chosen),
        // The repository is served again once Argo CD follows the new remote (RTO, from this
        // run's start); commits made after the bundle was written are not in it (RPO).
        measure: (journal) => {
            const rto = rtoToStep(
                journal,
                "verify-argocd",
                "Argo CD following the new remote",
                objectives.rtoMinutes,
            );
            return {
                ...(rto ? { rto } : {}),
                rpo: copyAgeRpo(journal, `bundle ${chosen.key}`, chosen.lastModified, objectives.rpoMinutes),
                notes: rto ? [] : ["no RTO: Argo CD was not verified to follow the new remote"],
            };
        },
        next: () => [
            `Next: check Argo CD syncs from ${remote}; when GitHub is back and clean, set ${configKey("gitSource")}=github on stack ${request.stack} and pulumi up it`,
            ...(runner
                ? [
                      `Commit Pulumi.${request.stack}.yaml now: the runner deployed it as this run set it, and a later deploy of a commit without it would undo the repoint (${configKey("gitSource")} back to ${before.source})`,
                  ]
                : []),
        ],
    };
}

/** `restore git` as a changing command for the runner; the bundle's temporary copy lives in `scratch`. */
export function restoreGitCommand(
    request: RestoreGitRequest,
    context: CommandContext,
    scratch: Scratch = {},
): ChangingCommand {
    return {
        operation: RESTORE_GIT_OPERATION,
        title: `restore of the platform repository to ${request.remote} (stack ${request.stack})`,
        request: {
            "--remote": request.remote,
            "--bundle-key": request.bundleKey ?? "newest",
            "--region": request.region,
            "--stack": request.stack,
            ...(request.context !== undefined ? { "--context": request.context } : {}),
        },
        resumeArgs: [
            "restore",
            "git",
            "--remote",
            request.remote,
            ...(request.bundleKey !== undefined ? ["--bundle-key", request.bundleKey] : []),
            "--region",
            request.region,
            "--stack",
            request.stack,
            ...contextArgs("--context", request.context),
        ],
        reportStore: artifactReportStore(context.config, context.ports, RESTORE_GIT_OPERATION),
        plan: (run) => planGitRestore(request, context, run, scratch),
    };
}

/**
 * `npm run dr -- restore git`: the platform repository from a Git bundle to a new remote, and
 * Argo CD repointed to it (GitHub loss or compromise): the bundle is cloned into a temporary
 * directory and verified, the remote checked empty, branches, tags and notes pushed (never forced),
 * checked with `git ls-remote`, then `webank:mirrorRepoUrl` and `webank:gitSource=mirror` set
 * on the stack and `pulumi up` run. Credentials come from git's credential helper or SSH
 * agent, never from a command line. The temporary copy is removed however the run ends.
 */
export async function runRestoreGit(request: RestoreGitRequest, context: CommandContext): Promise<number> {
    const scratch: Scratch = {};
    try {
        return await runInContext(restoreGitCommand(request, context, scratch), request.change, context);
    } finally {
        if (scratch.directory) {
            // Only the temporary copy of the bundle: the bundle itself stays in S3.
            fs.rmSync(scratch.directory, { recursive: true, force: true });
        }
    }
}
