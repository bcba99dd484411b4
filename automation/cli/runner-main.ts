import {
    RUNNER_ARGS_VARIABLE,
    RUNNER_COMMAND_VARIABLE,
    RUNNER_EXIT_MARKER,
    RUNNER_RECOVERY_COMMANDS,
    RUNNER_RESUME_VARIABLE,
    RunnerRecoveryCommand,
} from "../../lib/kubernetes-access";
import { runAsMain } from "../../lib/run-as-main";

/*
 * The entry point of a recovery command inside the dr stack's deploy runner
 * (components/deploy-runner-buildspec.ts): the buildspec runs this file without arguments,
 * and it reads the command and its arguments from the build's environment, so no argument
 * ever passes through the shell. The operator confirmed on their own machine (`failover
 * --on-runner`), so the command runs with `--yes`. Its last line is the exit code, which the
 * follower on the operator's machine reads from the build's log (failover/on-runner-follow.ts).
 */

/** Flags the runner refuses in the arguments: they would start another runner, rehearse, or duplicate its own `--yes`. */
const REFUSED_ON_RUNNER = ["--on-runner", "--follow", "--simulate", "--yes"] as const;

/**
 * The command line the runner runs, from its environment: `<command> <args...> --yes`. Throws,
 * naming the variable and the value, when the command is not a recovery command, the
 * arguments are not a JSON array of strings, or they hold a flag the runner must not take.
 */
export function runnerArgv(env: Readonly<Record<string, string | undefined>>): string[] {
    const command = env[RUNNER_COMMAND_VARIABLE];
    if (!RUNNER_RECOVERY_COMMANDS.includes(command as RunnerRecoveryCommand)) {
        throw new Error(
            `${RUNNER_COMMAND_VARIABLE} must be one of ${RUNNER_RECOVERY_COMMANDS.join(", ")}; got ${JSON.stringify(command)}. Nothing was changed`,
        );
    }
    const text = env[RUNNER_ARGS_VARIABLE] ?? "[]";
    let args: unknown;
    try {
        args = JSON.parse(text);
    } catch {
        args = undefined;
    }
    if (!Array.isArray(args) || !args.every((a): a is string => typeof a === "string")) {
        throw new Error(
            `${RUNNER_ARGS_VARIABLE} must be a JSON array of strings; got ${JSON.stringify(text)}. Nothing was changed`,
        );
    }
    const refused = args.filter((a) => REFUSED_ON_RUNNER.some((f) => a === f || a.startsWith(`${f}=`)));
    if (refused.length > 0) {
        throw new Error(
            `${RUNNER_ARGS_VARIABLE} must not hold ${refused.join(", ")} (the runner adds --yes; it runs no runner and no rehearsal); got ${text}. Nothing was changed`,
        );
    }
    return [command as string, ...args, "--yes"];
}

/**
 * Seeds the build's default failover journal with run `runId`'s copy from the DR state bucket
 * (failover/remote-journal.ts), through the DR region's S3, before the CLI reads it.
 */
async function seedResumedJournal(
    runId: string,
    env: Readonly<Record<string, string | undefined>>,
): Promise<void> {
    const { FAILOVER_RUN_ID, seedJournal } = await import("../commands/failover/remote-journal");
    if (!FAILOVER_RUN_ID.test(runId)) {
        // Refused before any config is loaded or AWS is called.
        throw new Error(
            `${RUNNER_RESUME_VARIABLE} must be a failover's run id; got ${JSON.stringify(runId)}. Nothing was changed`,
        );
    }
    const { loadDrConfig, workDirOf } = await import("./wiring");
    const { realPorts } = await import("../adapters/environment");
    const { bucketName } = await import("../../lib/naming");
    const { runLocations } = await import("../run/locations");
    const config = await loadDrConfig(undefined, new Date());
    const ports = realPorts(config, { output: (line) => process.stdout.write(`${line}\n`) });
    const bucket = bucketName(config.prefix, "state", await ports.identity.accountId(), config.drRegion);
    const file = runLocations(await workDirOf(undefined, env), "failover", false).journalFile;
    const copy = await seedJournal(ports.dr.objects, bucket, runId, file);
    process.stdout.write(
        `resuming failover run ${runId} from s3://${bucket}: ${copy.steps.length} steps done\n`,
    );
}

/** Runs the command line of {@link runnerArgv} through the CLI; prints the exit code last. */
export async function runnerMain(env: Readonly<Record<string, string | undefined>>): Promise<number> {
    let code: number;
    try {
        const argv = runnerArgv(env);
        const resume = env[RUNNER_RESUME_VARIABLE];
        if (resume !== undefined) {
            await seedResumedJournal(resume, env);
        }
        // Loaded only now: a refused environment loads no config and no SDK.
        const { main } = await import("./main");
        code = await main(argv);
    } catch (error) {
        process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
        code = 2;
    }
    process.stdout.write(`${RUNNER_EXIT_MARKER} ${code}\n`);
    return code;
}

if (require.main === module) {
    runAsMain(() => runnerMain(process.env));
}
