import { formatCommandLine } from "../../../lib/command-line";
import { RunnerRecoveryCommand } from "../../../lib/kubernetes-access";
import { EXIT, Refusal, reportFailure, UsageError } from "../../run/refusal";
import { newRunId } from "../../run/runner";
import type { CommandContext } from "../definition";
import { bucketName } from "../../../lib/naming";
import type { JournalDocument } from "../../run/journal";
import { runnerTarget, RunnerTarget, uploadDeploySource } from "../shared/runner-deploy";
import { failoverArgs, failoverQuestion, FailoverRequest } from "./command";
import { followRunnerBuild, followCommand } from "./on-runner-follow";
import type { OnRunnerRequest } from "./on-runner-options";
import { unfinishedFailover } from "./remote-journal";

/*
 * `npm run dr -- failover --on-runner`: the same failover, run by the dr stack's deploy runner
 * (a CodeBuild project in the DR VPC, components/deploy-runner.ts), so that it depends neither
 * on the operator's network path to the DR cluster's private endpoint nor on anything in the
 * home region. Here: the arguments were checked by failover's own parser; the runner is looked
 * up, the operator confirms, the program is uploaded (a new version of the DR artifact
 * bucket's `deploy-sources/dr.zip`) and a build started on exactly that version, then followed
 * (on-runner-follow.ts). Every client is of the DR region.
 */

/** The command the runner's build runs. */
const COMMAND: RunnerRecoveryCommand = "failover";

/** The arguments the runner's failover runs with (it adds `--yes`: the operator confirmed here). */
export function runnerFailoverArgs(request: FailoverRequest): string[] {
    return failoverArgs(request).slice(1);
}

/** Why the dr stack has no runner to run the failover in, and what to do instead. */
function missingRunner(target: RunnerTarget, posture: string): string {
    return (
        `the dr stack's deploy runner ${target.projectName} does not exist in ${target.region.region} ` +
        `(aws codebuild batch-get-projects --region ${target.region.region} --names ${target.projectName}): ` +
        `the dr stack creates it with its cluster, and its posture is ${posture}` +
        (posture === "pilot" ? ", which has no cluster and so no runner before a failover" : "") +
        ". Run the failover from a machine that reaches the DR VPC instead, after: pulumi config set -s dr webank:kubernetesAccess direct"
    );
}

/**
 * Runs `request` in the dr stack's deploy runner and follows it. Resolves to the remote
 * failover's exit code (2 when refused here, before anything is started).
 */
export async function runFailoverOnRunner(
    request: FailoverRequest,
    onRunner: OnRunnerRequest,
    context: CommandContext,
): Promise<number> {
    const { config, ports } = context;
    const out = ports.output;
    let target: RunnerTarget;
    let unfinished: JournalDocument | undefined;
    try {
        target = await runnerTarget(config, ports, "dr");
        if (!(await target.region.runner.projectExists(target.projectName))) {
            throw new Refusal(missingRunner(target, config.dr.posture), EXIT.refused);
        }
        const state = bucketName(config.prefix, "state", await ports.identity.accountId(), config.drRegion);
        unfinished =
            onRunner.follow === undefined ? await unfinishedFailover(ports.dr.objects, state) : undefined;
    } catch (error) {
        return reportFailure(error, out);
    }
    const follow = {
        config,
        ports,
        projectName: target.projectName,
        interrupts: context.interrupts,
        pollMilliseconds: request.runnerPollMilliseconds,
    };
    if (onRunner.follow !== undefined) {
        return followRunnerBuild({ ...follow, buildId: onRunner.follow });
    }

    const args = runnerFailoverArgs(request);
    const remote = formatCommandLine("npm", ["run", "dr", "--", COMMAND, ...args, "--yes"]);
    const where = ` from its deploy runner ${target.projectName} (CodeBuild, ${target.region.region})`;
    const upload = `s3://${target.bucket}/${target.key} (${target.region.region})`;
    // The runner's run decides (run/resume.ts): the same arguments resume it, others are refused.
    const resuming = unfinished
        ? `resume the unfinished failover run ${unfinished.runId} (${unfinished.status}, ${unfinished.steps.length} steps done; its journal copy in the DR state bucket)`
        : "";
    if (request.change.dryRun) {
        out(
            `DRY RUN: failover of ${config.prefix} to ${config.drRegion}${where}; nothing will be started, changed or written.`,
        );
        out(`  1. upload the program with Pulumi.dr.yaml as it is here to ${upload}, a new object version`);
        out(
            `  2. start ${target.projectName} on that version, running: ${remote}${resuming ? `, to ${resuming}` : ""}`,
        );
        out(
            `  3. follow its log, its journal (DR state bucket) and its report (DR artifact bucket) from here`,
        );
        out(
            `  the runner's own preflights run first; to see them now: npm run dr -- failover --dry-run (from a machine that reaches the DR VPC)`,
        );
        return EXIT.done;
    }
    if (!request.change.yes) {
        if (!context.confirm) {
            return reportFailure(
                new UsageError(
                    "failover changes things and there is no terminal to ask on: pass --yes to run it unattended",
                ),
                out,
            );
        }
        const question =
            `${resuming ? `${resuming.replace(/^resume/, "Resume")}? ` : ""}` +
            `${failoverQuestion(config, undefined, where)} The runner runs: ${remote}`;
        if (!(await context.confirm(question))) {
            out("aborted: nothing was changed");
            return EXIT.refused;
        }
    }

    let buildId: string;
    try {
        const uploaded = await uploadDeploySource(target, ports);
        out(`uploaded ${uploaded.where} version ${uploaded.version}: ${uploaded.description}`);
        // One token per start: the SDK's retries of this StartBuild return the same build.
        const token = newRunId("failover-on-runner", ports.now());
        buildId = await target.region.runner.startRecovery(target.projectName, {
            command: COMMAND,
            args,
            sourceVersion: uploaded.version,
            idempotencyToken: token,
            ...(unfinished ? { resumeRunId: unfinished.runId } : {}),
        });
    } catch (error) {
        return reportFailure(error, out);
    }
    out(
        `started build ${buildId} of ${target.projectName} in ${target.region.region}: ${remote}${resuming ? `, to ${resuming}` : ""}`,
    );
    out(`it goes on if this command stops; follow it again with: ${followCommand(buildId)}`);
    return followRunnerBuild({ ...follow, buildId });
}
