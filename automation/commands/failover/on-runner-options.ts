import type { StackConfig } from "../../../config/stack-config";
import { deployRunnerProjectName } from "../../../lib/naming";
import { problem } from "../../run/refusal";
import type { OptionSpec, OptionValues, ParseContext } from "../definition";

/*
 * The flags of `failover --on-runner`, checked with the failover's own: the same failover, run
 * in the dr stack's deploy runner in the DR region instead of here. What cannot work there is
 * refused here, naming the flag, before anything is read or started.
 */

/** What the operator asked of the runner. */
export interface OnRunnerRequest {
    /** `--follow <build id>`: follow a build already started, start nothing. @default start a new build */
    readonly follow?: string;
}

/** The flags `failover` takes for the runner. */
export const ON_RUNNER_OPTIONS: Readonly<Record<string, OptionSpec>> = {
    "on-runner": {
        type: "boolean",
        describe:
            "run this failover, with these arguments, in the dr stack's deploy runner (CodeBuild in the DR region, inside the DR VPC) and follow its log, journal and report from here",
    },
    follow: {
        type: "string",
        describe:
            "with --on-runner: follow the runner's build <build id> (printed when it started) again; starts nothing",
    },
};

/** The flags the runner's failover decides itself: given to `--follow`, they would be silently ignored. */
const FAILOVER_ARGUMENT_FLAGS = ["restore-time", "failure-time", "accept-rpo"] as const;

/** CodeBuild build ids: `<project name>:<UUID>` (CodeBuild API reference, Build id). */
const BUILD_ID_PATTERN =
    /^([A-Za-z0-9][A-Za-z0-9_-]{1,254}):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The runner part of a failover's flags, or undefined without `--on-runner`; every problem is
 * pushed to `problems` (a flag named with its value).
 */
export function onRunnerRequestOf(
    values: OptionValues,
    context: ParseContext,
    problems: string[],
): OnRunnerRequest | undefined {
    const follow = values.follow;
    if (values["on-runner"] !== true) {
        if (follow !== undefined) {
            problems.push(problem("--follow", "be given only with --on-runner", follow));
        }
        return undefined;
    }
    if (context.simulated) {
        problems.push(
            problem(
                "--on-runner",
                "not be given with --simulate: the simulated deploy runner runs pulumi commands, not the CLI; rehearse the failover itself with --simulate alone",
                true,
            ),
        );
    }
    for (const [flag, why] of [
        [
            "journal",
            "the journal is the build's own, copied to the DR state bucket, where this command reads it",
        ],
        [
            "report-dir",
            "the report is written in the build and to the DR artifact bucket, where this command reads it",
        ],
    ] as const) {
        if (values[flag] !== undefined) {
            problems.push(problem(`--${flag}`, `be left out with --on-runner: ${why}`, values[flag]));
        }
    }
    if (typeof follow === "string") {
        problems.push(...followProblems(follow, values, context.config));
        return { follow };
    }
    return {};
}

/** What is wrong with `--follow <id>` among `values`. */
function followProblems(follow: string, values: OptionValues, config: StackConfig): string[] {
    const problems: string[] = [];
    const project = deployRunnerProjectName(config.prefix, "dr");
    const match = BUILD_ID_PATTERN.exec(follow);
    if (!match || match[1] !== project) {
        problems.push(
            problem(
                "--follow",
                `be a build id of the dr stack's deploy runner, ${project}:<UUID> (as the start printed it)`,
                follow,
            ),
        );
    }
    for (const flag of FAILOVER_ARGUMENT_FLAGS) {
        if (values[flag] !== undefined) {
            problems.push(
                problem(
                    `--${flag}`,
                    "be left out with --follow: the build runs with the arguments it was started with",
                    values[flag],
                ),
            );
        }
    }
    if (values["dry-run"] === true) {
        problems.push(
            problem("--dry-run", "be left out with --follow: following starts and changes nothing", true),
        );
    }
    return problems;
}
