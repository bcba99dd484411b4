import type { StackConfig } from "../../../config/stack-config";
import { formatCommandLine } from "../../../lib/command-line";
import { bucketName } from "../../../lib/naming";
import { RUNNER_EXIT_MARKER } from "../../../lib/kubernetes-access";
import type { InterruptSource } from "../definition";
import type { RecoveryPorts, RunnerBuildState } from "../../ports";
import type { JournalDocument } from "../../run/journal";
import { EXIT, Refusal, reportFailure } from "../../run/refusal";
import type { RecoveryReport } from "../../run/report-types";
import { artifactReportKey, journalCopyKey } from "../../run/stores";
import { readJsonObject } from "./remote-journal";

/*
 * Following a failover that runs in the dr stack's deploy runner: the build (BatchGetBuilds),
 * its log as it arrives (CloudWatch Logs), the steps its journal copy in the DR state bucket
 * records, and at the end its report in the DR artifact bucket. Only DR-region ports are used:
 * the home region may be the one that is down. An interrupted follower leaves the build running.
 */

/** Milliseconds between two reads of the build, its log and its journal. */
export const FOLLOW_POLL_MILLISECONDS = 10_000;

/** Build statuses after which nothing more happens (CodeBuild StatusType). */
const ENDED = ["SUCCEEDED", "FAILED", "FAULT", "STOPPED", "TIMED_OUT"];

/** The line the CLI prints when a failover's run starts: `failover run <run id>...` (run/runner.ts). */
const RUN_LINE = /^failover run ([A-Za-z0-9-]+)/;

/** `npm run dr -- failover --on-runner --follow <build id>`. */
export function followCommand(buildId: string): string {
    return formatCommandLine("npm", ["run", "dr", "--", "failover", "--on-runner", "--follow", buildId]);
}

/** What {@link followRunnerBuild} follows, and with what. */
export interface FollowOptions {
    /** The dr stack's config. */
    readonly config: StackConfig;
    /** The ports: only `dr`, `identity`, `output` and `timers` are used. */
    readonly ports: RecoveryPorts;
    /** The dr stack's runner project. */
    readonly projectName: string;
    /** The build. */
    readonly buildId: string;
    /** SIGINT and SIGTERM: they stop the following, never the build. */
    readonly interrupts: InterruptSource;
    /** Milliseconds between reads. @default {@link FOLLOW_POLL_MILLISECONDS} */
    readonly pollMilliseconds?: number;
}

/** What the follower has seen so far. */
interface Seen {
    token?: string;
    runId?: string;
    exitCode?: number;
    steps: number;
    incidents: number;
}

/**
 * Follows the build to its end: prints its log lines (`runner | `), the journal's steps as
 * they complete, and the report. Resolves to the remote failover's exit code (the runner's last
 * line); a build that ended otherwise without one is a failure (1), with its log link.
 */
export async function followRunnerBuild(options: FollowOptions): Promise<number> {
    const { ports, buildId } = options;
    const out = ports.output;
    const runner = ports.dr.runner;
    const region = ports.dr.region;
    let stopped = false;
    const unsubscribe = options.interrupts.onInterrupt((signal) => {
        stopped = true;
        out(`${signal}: no longer following; the build goes on`);
    });
    const seen: Seen = { steps: 0, incidents: 0 };
    try {
        const account = await ports.identity.accountId();
        const buckets = {
            state: bucketName(options.config.prefix, "state", account, options.config.drRegion),
            artifacts: bucketName(options.config.prefix, "artifacts", account, options.config.drRegion),
        };
        out(`following build ${buildId} of ${options.projectName} in ${region}`);
        for (;;) {
            const build = await runner.buildState(buildId);
            if (!build) {
                throw new Refusal(
                    `CodeBuild knows no build ${buildId} in ${region}; list the runner's builds with: ` +
                        `aws codebuild list-builds-for-project --region ${region} --project-name ${options.projectName}`,
                    EXIT.refused,
                );
            }
            await readLog(options, build, seen);
            await readJournal(options, buckets.state, seen);
            if (ENDED.includes(build.status)) {
                return await ended(options, build, buckets.artifacts, seen);
            }
            if (stopped) {
                out(`the failover in build ${buildId} was NOT stopped: it runs on in CodeBuild (${region}).`);
                out(`follow it again with: ${followCommand(buildId)}`);
                out(`or read it with: aws codebuild batch-get-builds --region ${region} --ids ${buildId}`);
                return EXIT.failed;
            }
            await ports.timers.sleep(options.pollMilliseconds ?? FOLLOW_POLL_MILLISECONDS);
        }
    } catch (error) {
        if (error instanceof Refusal) {
            return reportFailure(error, out);
        }
        out(
            `error: following build ${buildId} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
        out(`the build was not stopped; follow it again with: ${followCommand(buildId)}`);
        return EXIT.failed;
    } finally {
        unsubscribe();
    }
}

/** Prints the log lines after the last read; notes the run id and the exit code. */
async function readLog(options: FollowOptions, build: RunnerBuildState, seen: Seen): Promise<void> {
    const page = await options.ports.dr.runner.logLines(build, seen.token);
    seen.token = page.nextToken ?? seen.token;
    for (const line of page.lines) {
        options.ports.output(`runner | ${line}`);
        seen.runId ??= RUN_LINE.exec(line)?.[1];
        const exit = line.startsWith(RUNNER_EXIT_MARKER)
            ? Number(line.slice(RUNNER_EXIT_MARKER.length).trim())
            : NaN;
        if (Number.isInteger(exit)) {
            seen.exitCode = exit;
        }
    }
}

/** Prints the steps the journal copy records since the last read; none before it exists. */
async function readJournal(options: FollowOptions, bucket: string, seen: Seen): Promise<void> {
    if (!seen.runId) {
        return;
    }
    const journal = await readJsonObject<JournalDocument>(
        options.ports.dr.objects,
        bucket,
        journalCopyKey("failover", seen.runId),
    );
    if (!journal) {
        return;
    }
    for (const entry of journal.steps.slice(seen.steps)) {
        options.ports.output(`journal | ${entry.step} done: ${entry.detail}`);
    }
    for (const incident of journal.incidents.slice(seen.incidents)) {
        options.ports.output(`journal | ${incident.step} ${incident.outcome}: ${incident.detail}`);
    }
    seen.steps = journal.steps.length;
    seen.incidents = journal.incidents.length;
}

/** The end: the last log lines and journal entries, the report, and the exit code. */
async function ended(
    options: FollowOptions,
    build: RunnerBuildState,
    artifacts: string,
    seen: Seen,
): Promise<number> {
    const out = options.ports.output;
    const link = build.deepLink ? `; its log: ${build.deepLink}` : "";
    out(`build ${build.id} ended ${build.status}${link}`);
    if (seen.runId) {
        const key = artifactReportKey("failover", `${seen.runId}.json`);
        const report = await readJsonObject<RecoveryReport>(options.ports.dr.objects, artifacts, key);
        if (report) {
            out(
                `report: s3://${artifacts}/${key} (and .md beside it): ${report.outcome}${report.failedStep ? ` at ${report.failedStep}` : ""}`,
            );
            for (const [name, value] of [
                ["measured RTO", report.measurements.rto],
                ["achieved RPO", report.measurements.rpo],
            ] as const) {
                if (value) {
                    out(
                        `  ${name}: ${value.minutes} min (objective ${value.objectiveMinutes} min: ${value.met ? "met" : "MISSED"})`,
                    );
                }
            }
        } else {
            out(
                `no report at s3://${artifacts}/${key}: the run ended before writing one; its journal is recovery-journals/failover/${seen.runId}.json in the DR state bucket`,
            );
        }
    } else {
        out(
            "the runner's log names no failover run: it stopped before the failover started (see the log above)",
        );
    }
    if (seen.exitCode !== undefined) {
        return seen.exitCode;
    }
    return build.status === "SUCCEEDED" ? EXIT.done : EXIT.failed;
}
