import * as path from "path";
import yargs, { Argv } from "yargs";
import { StackConfig } from "../config";
import { runAsMain } from "../offline/cli";
import { PROJECT_ROOT } from "../offline/project-files";
import { backupCommand } from "./backup";
import { projectRto } from "./bench/failover-bench";
import { drillCommand } from "./drill";
import { realPorts } from "./environment";
import { drStackConfig, failoverCommand, terminalConfirm } from "./failover-command";
import { RecoveryPorts } from "./ports";
import { standardWorld } from "./simulation/standard-world";
import { restoreArgocdCommand } from "./restore/argocd";
import { restoreDatabaseCommand } from "./restore/database";
import { restoreStateCommand } from "./restore/state";
import { restoreGitCommand } from "./restore/git";
import { restoreHelmCommand } from "./restore/helm";
import { scenario } from "./scenarios";
import { STATUS_FORMATS, statusCommand } from "./status";

/** Which copy of an artifact to read, for the artifact restores. */
const REGION_OPTION = {
    choices: ["home", "dr"] as const,
    default: "home" as const,
    describe:
        "read the artifact bucket of the home region, or its replica in the DR region (after a region loss)",
};

/** Where the commands' ports come from: AWS and Pulumi, or the simulated account. */
interface Wiring {
    /** The dr stack's validated config. */
    readonly config: StackConfig;
    /** The ports; with `--simulate`, a simulated account seeded as on a normal day. */
    readonly ports: RecoveryPorts;
}

/** Builds the ports only when a command runs, so `--help` needs no credentials. */
function wire(simulate: boolean, output: (line: string) => void, simulatedNow: Date): Wiring {
    const config = drStackConfig();
    if (simulate) {
        const world = standardWorld(config, { now: simulatedNow });
        const ports = world.ports();
        output(
            "SIMULATION: against an in-memory AWS account seeded as on a normal day; nothing real is touched.",
        );
        return { config, ports: { ...ports, output } };
    }
    return { config, ports: realPorts(config, { output }) };
}

/** Options every changing command shares. */
function changeOptions<T>(y: Argv<T>) {
    return y
        .option("dry-run", {
            type: "boolean",
            default: false,
            describe: "print the plan and what the read-only checks find; change nothing",
        })
        .option("yes", { type: "boolean", default: false, describe: "do not ask before the first change" })
        .option("journal", { type: "string", describe: "journal file (default .journal/<command>.json)" });
}

/**
 * The journal of a command: `--journal`, or with `--simulate` one under `.journal/simulated/`.
 * A rehearsal must never leave a journal that a real run would resume (and skip steps by).
 */
function journalOf(args: { journal?: string; simulate?: boolean }, operation: string): string | undefined {
    if (args.journal !== undefined || !args.simulate) {
        return args.journal;
    }
    return path.join(PROJECT_ROOT, ".journal", "simulated", `${operation}.json`);
}

/** Where a simulated run's reports go, apart from real ones; undefined: the command's default. */
function reportDirOf(args: { "report-dir"?: string; simulate?: boolean }): string | undefined {
    return (
        args["report-dir"] ?? (args.simulate ? path.join(PROJECT_ROOT, "reports", "simulated") : undefined)
    );
}

/** The options of {@link changeOptions} as the restore commands take them. */
function changeArgs(
    args: { yes: boolean; "dry-run": boolean; journal?: string; simulate?: boolean },
    operation: string,
) {
    return {
        yes: args.yes,
        dryRun: args["dry-run"],
        journalFile: journalOf(args, operation),
        confirm: terminalConfirm(),
    };
}

/**
 * `npm run dr -- <command>`. Commands are thin: they parse options and call a module whose
 * Pulumi and AWS access goes through ports. Every command takes `--simulate` to run against
 * the in-memory account instead (rehearsal, demos, and this repository's tests).
 */
export async function main(
    argv: readonly string[],
    output: (line: string) => void = (line) => {
        process.stdout.write(`${line}\n`);
    },
    /** The simulated account's clock (tests pin it). Default: now. */
    simulatedNow: Date = new Date(),
): Promise<number> {
    let exitCode = 0;
    await yargs([...argv])
        .scriptName("npm run dr --")
        .strict()
        .demandCommand(1, "name a command")
        .option("simulate", {
            type: "boolean",
            default: false,
            global: true,
            describe: "run against a simulated AWS account instead of the real one",
        })
        .command(
            "status",
            "how old the newest copy of each asset in the DR region is, against its RPO (read-only; exit 1 when any is stale)",
            (y) =>
                y.option("format", {
                    choices: STATUS_FORMATS,
                    default: "text" as const,
                    describe: "text or json",
                }),
            async (args) => {
                const { config, ports } = wire(args.simulate, output, simulatedNow);
                exitCode = await statusCommand({ format: args.format }, ports, config);
            },
        )
        .command(
            "backup",
            "back up everything now (e.g. before a risky change): RDS snapshot copied to the DR region, AWS Backup jobs, stack exports, mirror and Argo CD export; waits and verifies each",
            (y) =>
                y
                    .option("label", {
                        type: "string",
                        describe: "why, e.g. before-release-42 (kept in the journal)",
                    })
                    .option("dry-run", {
                        type: "boolean",
                        default: false,
                        describe: "print the steps and the protected resources; change nothing",
                    })
                    .option("journal", {
                        type: "string",
                        describe: "journal file (default .journal/backup.json)",
                    }),
            async (args) => {
                const { config, ports } = wire(args.simulate, output, simulatedNow);
                exitCode = await backupCommand(
                    { label: args.label, dryRun: args["dry-run"], journalFile: journalOf(args, "backup") },
                    ports,
                    config,
                );
            },
        )
        .command(
            "failover",
            scenario("region-outage").summary,
            (y) =>
                changeOptions(y)
                    .option("restore-time", {
                        type: "string",
                        default: "latest",
                        describe: '"latest" or an ISO-8601 instant with a zone',
                    })
                    .option("failure-time", {
                        type: "string",
                        describe:
                            "when the primary failed (ISO-8601), for the achieved RPO; default the run's start",
                    })
                    .option("report-dir", {
                        type: "string",
                        describe: "directory of the report (default reports/)",
                    }),
            async (args) => {
                const { config, ports } = wire(args.simulate, output, simulatedNow);
                exitCode = await failoverCommand(
                    {
                        restoreTime: args["restore-time"],
                        failureTime: args["failure-time"],
                        dryRun: args["dry-run"],
                        yes: args.yes,
                        journalFile: journalOf(args, "failover"),
                        reportDir: reportDirOf(args),
                    },
                    { config, ports, confirm: terminalConfirm(), projectRto },
                );
            },
        )
        .command(
            "restore",
            "recover from one disaster in place: db, state, argocd, git or helm (npm run dr -- restore <kind> --help)",
            (y) =>
                restoreCommands(
                    y,
                    (simulate) => wire(simulate, output, simulatedNow),
                    (code) => {
                        exitCode = code;
                    },
                ),
        )
        .command(
            "drill",
            "restore into a new, uniquely named stack, verify, destroy it, and report RTO and RPO (never touches dr or traffic)",
            (y) =>
                changeOptions(y)
                    .option("restore-time", {
                        type: "string",
                        default: "latest",
                        describe: '"latest" or an ISO-8601 instant',
                    })
                    .option("scope", {
                        choices: ["database", "full"] as const,
                        default: "database" as const,
                        describe: "database: the restore only; full: the cluster and Argo CD too",
                    })
                    .option("keep", {
                        type: "boolean",
                        default: false,
                        describe: "keep the drill stack to inspect it",
                    })
                    .option("report-dir", {
                        type: "string",
                        describe: "directory of the report (default reports/)",
                    }),
            async (args) => {
                const { config, ports } = wire(args.simulate, output, simulatedNow);
                exitCode = await drillCommand(
                    {
                        restoreTime: args["restore-time"],
                        scope: args.scope,
                        keep: args.keep,
                        dryRun: args["dry-run"],
                        journalFile: journalOf(args, "drill"),
                        reportDir: reportDirOf(args),
                    },
                    ports,
                    config,
                );
            },
        )
        .help()
        .exitProcess(false)
        .fail((message, error) => {
            if (error) {
                throw error;
            }
            // Usage errors exit 2, apart from a command that ran and failed (1).
            process.stderr.write(`error: ${message}\nsee: npm run dr -- --help\n`);
            exitCode = 2;
        })
        .parseAsync();
    return exitCode;
}

if (require.main === module) {
    runAsMain((argv) => main(argv));
}

/** `restore <kind>`: one subcommand per disaster of the runbook. */
function restoreCommands<T>(
    y: Argv<T>,
    wireFor: (simulate: boolean) => Wiring,
    setExitCode: (code: number) => void,
) {
    return y
        .command(
            "db",
            scenario("database-loss").summary,
            (c) =>
                changeOptions(c)
                    .option("restore-time", {
                        type: "string",
                        default: "latest",
                        describe: '"latest" or an ISO-8601 instant with a zone (before the corruption)',
                    })
                    .option("cut-over", {
                        type: "boolean",
                        default: false,
                        describe:
                            "rename the restored instance into the primary's name (the old one is kept, renamed)",
                    }),
            async (args) => {
                const { config, ports } = wireFor(Boolean(args.simulate));
                setExitCode(
                    await restoreDatabaseCommand(
                        {
                            restoreTime: args["restore-time"],
                            cutOver: args["cut-over"],
                            ...changeArgs(args, "restore-db"),
                        },
                        ports,
                        config,
                    ),
                );
            },
        )
        .command(
            "state",
            scenario("state-loss").summary,
            (c) =>
                changeOptions(c)
                    .option("stack", { type: "string", default: "primary", describe: "primary or dr" })
                    .option("version-id", {
                        type: "string",
                        describe: "the S3 version to restore; without it, list them",
                    })
                    .option("backend", {
                        type: "string",
                        default: "bootstrap",
                        describe:
                            "bootstrap (where primary and dr live) or state (the platform state bucket)",
                    })
                    .option("region", {
                        type: "string",
                        describe: "with --backend state: home, or dr for its replica",
                    }),
            async (args) => {
                const { config, ports } = wireFor(Boolean(args.simulate));
                setExitCode(
                    await restoreStateCommand(
                        {
                            stack: args.stack,
                            versionId: args["version-id"],
                            backend: args.backend,
                            region: args.region,
                            ...changeArgs(args, "restore-state"),
                        },
                        ports,
                        config,
                    ),
                );
            },
        )
        .command(
            "argocd",
            scenario("argocd-loss").summary,
            (c) =>
                changeOptions(c)
                    .option("region", REGION_OPTION)
                    .option("from-cluster", {
                        choices: ["primary", "dr"] as const,
                        default: "primary" as const,
                        describe: "whose exports to read",
                    })
                    .option("export-key", {
                        type: "string",
                        describe: "an older export's key instead of the newest",
                    })
                    .option("context", {
                        type: "string",
                        describe: "kube context of the cluster to restore into (required)",
                    }),
            async (args) => {
                const { config, ports } = wireFor(Boolean(args.simulate));
                setExitCode(
                    await restoreArgocdCommand(
                        {
                            ...changeArgs(args, "restore-argocd"),
                            region: args.region,
                            fromCluster: args["from-cluster"],
                            exportKey: args["export-key"],
                            context: args.context,
                        },
                        ports,
                        config,
                    ),
                );
            },
        )
        .command(
            "git",
            scenario("github-loss").summary,
            (c) =>
                changeOptions(c)
                    .option("remote", {
                        type: "string",
                        describe: "the new, empty remote (https:// or ssh://; no credentials in it)",
                    })
                    .option("bundle-key", {
                        type: "string",
                        describe: "a known-good older bundle's key instead of the newest",
                    })
                    .option("region", REGION_OPTION)
                    .option("stack", {
                        choices: ["primary", "dr"] as const,
                        default: "primary" as const,
                        describe: "the stack whose Argo CD follows the repository",
                    })
                    .option("context", {
                        type: "string",
                        describe: "kube context, to check the root app follows the new remote",
                    }),
            async (args) => {
                const { config, ports } = wireFor(Boolean(args.simulate));
                setExitCode(
                    await restoreGitCommand(
                        {
                            ...changeArgs(args, "restore-git"),
                            remote: args.remote,
                            bundleKey: args["bundle-key"],
                            region: args.region,
                            stack: args.stack,
                            context: args.context,
                        },
                        ports,
                        config,
                    ),
                );
            },
        )
        .command(
            "helm",
            scenario("bad-helm-release").summary,
            (c) =>
                changeOptions(c)
                    .option("release", { type: "string", describe: "release name (required)" })
                    .option("namespace", { type: "string", describe: "its namespace (required)" })
                    .option("revision", {
                        type: "number",
                        describe: "revision to roll back to; without it, list the history",
                    })
                    .option("timeout", {
                        type: "number",
                        default: 10,
                        describe: "minutes helm may wait for the rollback",
                    })
                    .option("context", {
                        type: "string",
                        describe: "kube context (required for a rollback)",
                    }),
            async (args) => {
                const { config, ports } = wireFor(Boolean(args.simulate));
                setExitCode(
                    await restoreHelmCommand(
                        {
                            ...changeArgs(args, "restore-helm"),
                            release: args.release,
                            namespace: args.namespace,
                            revision: args.revision,
                            timeoutMinutes: args.timeout,
                            context: args.context,
                        },
                        ports,
                        config,
                    ),
                );
            },
        )
        .demandCommand(1, "name what to restore: db, state, argocd, git or helm");
}
